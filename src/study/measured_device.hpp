// The GPU a measured file ran on against the system it is predicted on. nccl-tests prints each rank's GPU
// ("#  Rank  0 Group  0 Pid 1234 on node-1 device  0 [0x1b] NVIDIA H100 80GB HBM3") and commbench writes it
// in its context (ranks[].name). `validate collectives --measured` and `calibrate` predict every row on
// --system whatever ran it: an A100 log read with --system dgx-h100 was compared with H100 predictions (and
// fitted into an H100 system file) without a word. The note names the file, the GPU it ran on, the catalog
// GPU that name is (the kernel mapping's GPU rules, configs/validation/kernel-benchmarks.yaml: "NVIDIA H100
// NVL" is h100-nvl, "NVIDIA A100-SXM4-80GB" a100-sxm-80gb) and the system's own GPU. A device no rule names
// (a CPU under commbench's MPI backend, a V100) is named where the system's is a GPU, and a run naming
// several devices (Measurement::device holds them one per line) is named as such.
#pragma once

#include <string>
#include <vector>

#include "study/measurements.hpp"
#include "topo/system_spec.hpp"

namespace commsim {

// "" when every file that names its GPU ran on `spec`'s GPU; else one "note: ..." line per file and GPU.
std::string device_mismatch_note(const std::vector<Measurement>& rows, const SystemSpec& spec);
// "" unless the files name GPUs of two or more catalog GPUs (a GH200 log beside an A100 one); else those
// GPUs with a file of each, for calibrate's refusal: one fit over both is no GPU's calibration.
std::string mixed_catalog_gpus(const std::vector<Measurement>& rows);

}  // namespace commsim
