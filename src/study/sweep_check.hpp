// Checks of a sweep before any point runs, so bad input is one message at its place (exit 2) and not a table of
// invalid points (exit 0): the base with its overrides, each axis value alone on the base (an unknown key, a bad
// value: at the value's line, naming `axes.KEY`), and a price for every system a priced study reaches.
#pragma once

#include "study/sweep_spec.hpp"

namespace commsim {

// Called by parse_sweep. Throws InputError.
void check_sweep_axes(const SweepSpec& spec);

// A place the training parse gave in the base's file (from the per-point clone: 1:1, or none): its key's line in
// the base as written (spec.base_marked), named base.KEY for an inline base and --set for a base --set gave
// whole; a clone's position without a key is dropped. A place in any other file is returned as it was.
SourceLoc place_base_loc(const SourceLoc& at, const SweepSpec& spec);
InputError place_base_error(const InputError& e, const SweepSpec& spec);

struct StudySpec;
SweepSpec sweep_from_study(const StudySpec& study);  // the older study form (systems x gpus x ops) as a collective sweep

}  // namespace commsim
