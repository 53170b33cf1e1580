# Scale (issue 7 item 9): every op at the rank cap on the largest supernode system runs (about a second with
# the symmetry reduction, docs/performance.md; not a timed test). The figures are pinned as a regression;
# tests/unit/symmetry_test.cpp proves the reduced solve equal to the full one at sizes a full solve allows.
# Ascend runs HCCL's Simple protocol only since 2026-12-05 (the tree took LL128: 1527 us), and HCCL's recursive
# halving-doubling (36 steps against the tree's 3703 us).
commsim_cli_test("scale: cloudmatrix-384 at the rank cap, all_reduce by recursive halving-doubling" 0
  "all_reduce,33554432,8388608,float,sum,-1,261888,0,1052\\.998,31\\.8656,63\\.7310,,rhd,Simple"
  collective --system cloudmatrix-384 --gpus 261888 --op all --format csv)
commsim_cli_test("scale: cloudmatrix-384 at the rank cap, alltoall by the hose model" 0
  "alltoall,33521664,32,float,none,-1,261888,0,79687\\.480,0\\.4207"
  collective --system cloudmatrix-384 --gpus 261888 --op all --format csv)
commsim_cli_test("scale: dgx-h100 at 131,072 GPUs, 1 GiB all_reduce" 0
  "1073741824 +268435456 +float +sum +-1 +6299\\.91 +170\\.44 +340\\.87 +nvls_tree"
  collective --system dgx-h100 --gpus 131072 --op all_reduce -b 1G -e 1G)
