// The NCCL settings a run states in free text (a published row's notes, a log's "NCCL INFO ... set by
// environment" lines): NCCL_ALGO, NCCL_PROTO and NCCL_NVLS_ENABLE. A run that forced an algorithm or
// protocol, or turned NVLS off, is predicted the same way (docs/validation.md, "Collectives").
//
//   NCCL_ALGO=Ring, nccl_algo = ring, NCCL_ALGO="Tree"   the algorithm (NVLSTree is nvls_tree)
//   NCCL_PROTO=LL | LL128 | Simple                       the protocol
//   NCCL_NVLS_ENABLE=0                                   no NVLS or NVLSTree algorithm
//   NCCL_P2P_DISABLE=1, NCCL_NET=Socket, NCCL_NCHANNELS=4 ...  kept by name (`unmodelled`): not modelled
//
// The name in any case, spaces around '=' allowed; the value ends at a space, ';', a quote or the next
// variable (NCCL_ALGO=Ring,NCCL_PROTO=LL128). A variable named without a value ("NCCL_ALGO unset") or denied
// ("not NCCL_ALGO=Ring", "without NCCL_PROTO=LL") forces nothing (it was forced until 2026-12-06). Refused
// (InputError at `where`): a value that names no one setting (an exclusion ^Tree, a list Tree,Ring, the
// per-collective allreduce:ring), or a variable given two values.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "coll/model.hpp"
#include "core/error.hpp"

namespace commsim {

struct NcclSettings {
  std::string algo;            // "" when not forced
  std::optional<Proto> proto;  // none when not forced
  bool nvls_off = false;       // NCCL_NVLS_ENABLE=0
  std::map<std::string, std::string>
      unread;  // a log's values naming no one setting (NCCL_PROTO -> ^LL128), for a note
  // Settings the run states that change how it moves data and that commsim does not model
  // (NCCL_P2P_DISABLE=1, NCCL_SHM_DISABLE=1, NCCL_NET=Socket, NCCL_IB_DISABLE=1, NCCL_COLLNET_ENABLE=1,
  // NCCL_MNNVL_ENABLE=0, NCCL_NET_GDR_LEVEL=0, NCCL_P2P_LEVEL=LOC, NCCL_[MIN_|MAX_]NCHANNELS=N): NAME ->
  // value. A published row with one is not predicted; a log gets a note (helper-129: each was predicted as if
  // absent).
  std::map<std::string, std::string> unmodelled;
  bool any() const { return !algo.empty() || proto || nvls_off; }
};

NcclSettings read_nccl_settings(const std::string& text, const SourceLoc& where);
// A log's line: what NCCL read from the environment. A value that names no one setting (^LL128, Ring,Tree)
// leaves NCCL's choice to the prediction instead of refusing the log; a later value wins (every rank prints
// it).
NcclSettings read_nccl_log_settings(const std::string& line, const SourceLoc& where);

}  // namespace commsim
