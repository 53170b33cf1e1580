// Checks of a sweep before any point runs, so bad input is one message at its place (exit 2) and not a table of
// invalid points (exit 0): the base with its overrides, each axis value alone on the base (an unknown key, a bad
// value: at the value's line, naming `axes.KEY`), and a price for every system a priced study reaches.
#pragma once

#include "study/sweep_spec.hpp"

namespace commsim {

// Called by parse_sweep. Throws InputError.
void check_sweep_axes(const SweepSpec& spec);

struct StudySpec;
SweepSpec sweep_from_study(const StudySpec& study);  // the older study form (systems x gpus x ops) as a collective sweep

}  // namespace commsim
