# `train --ops`: where a micro-batch's compute goes, op by op (train/compute_profile.hpp), in every format;
# refused with --auto and for a layout the estimator refuses. (expect.sh matches one line.)
set(OPS_DSV3 train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-h800.yaml --ops)
commsim_data_test("train ops table" 0 "moe layer +58 +experts\\.fc1 +grouped gemm +yes" ${OPS_DSV3})
commsim_data_test("train ops table mtp" 0 "mtp module +1 +mtp_proj +gemm" ${OPS_DSV3})
# Short sequences: the host issues the routed experts' kernels more slowly than the GPU runs them. A layout
# that does not fit is still profiled (the profile is compute only).
commsim_data_test("train ops host issue row" 0 "moe layer +58 +experts\\.host_issue +host"
  train --model deepseek-v3 --system hgx-h800 --gpus 64 --pp 8 --ep 8 --seq-len 256 --global-batch 64 --precision fp8 --ops)
commsim_data_test("train ops json" 0 "\"op\": \"attention\"" ${OPS_DSV3} --format json)
commsim_data_test("train ops csv" 0 "^dense layer,3,norm1,memory,no,0," ${OPS_DSV3} --format csv)
commsim_data_test("train ops not with auto" 2 "--ops: profiles one layout; not with --auto" ${OPS_DSV3} --auto)
commsim_data_test("train ops bad layout" 2 "parallelism.tp: 3 does not divide"
  train --model llama3-8b --system dgx-h100 --gpus 3 --tp 3 --seq-len 4096 --global-batch 8 --ops)

# `validate training FILE --row CASE_ID [--ops]`: one published row as `train` estimates it.
set(ROW_FILE ${PROJECT_SOURCE_DIR}/tests/data/validation/training_public.csv)
set(ROW_DSV3 validate training ${ROW_FILE} --row MB2606-GB300-DSV3-MXFP8-GBS15360)
commsim_data_test("validate row header" 0
  "^# MB2606-GB300-DSV3-MXFP8-GBS15360 \\(.*training_public.csv:[0-9]+\\): tokens/s/GPU published 6422.00, predicted [0-9.]+ \\(-?[0-9.]+%\\), computed as its source does; source family Megatron-Bridge tables$"
  ${ROW_DSV3})
commsim_data_test("validate row as train prints it" 0 "TP1 PP2 DP128 CP1 EP32 ETP1 VPP8 ZeRO-1 interleaved stages [0-9]+\\+[0-9]+ MTP1" ${ROW_DSV3})
commsim_data_test("validate row fits with" 0 "recompute not reported: fits with full recompute of 1 layer"
  validate training ${ROW_FILE} --row MB260401-B200-DSV3-MXFP8)
# torchtitan's FSDP under PP keeps weights gathered and syncs gradients once (ZeRO-1), and its December 2024
# benchmark splits the local batch (32) into pp (8) micro-batches, as the memory mapping reads the same run.
commsim_data_test("validate row torchtitan PP as ZeRO-1, pp micro-batches" 0 "TP8 PP8 DP8 CP1 EP1 VPP1 ZeRO-1 SP 1f1b .* micro-batch 4 [(]8 per pipeline[)]"
  validate training ${ROW_FILE} --row TT-H100-405B-3D-1F1B)
# A source citing an arXiv id older than sequence parallelism and FlashAttention runs without them (the mapping's
# before_arxiv rules); a later one keeps today's defaults (tests/data/mapping/arxiv_era.csv, constructed rows).
set(ERA_FILE ${DATA}/mapping/arxiv_era.csv)
commsim_data_test("validate row before sequence parallelism" 0 "TP8 PP35 DP8 CP1 EP1 VPP1 ZeRO-1 1f1b; seq 2048"
  validate training ${ERA_FILE} --row ERA-2201)
commsim_data_test("validate row before FlashAttention pays the softmax" 0 "dense layer +105 +softmax +memory"
  validate training ${ERA_FILE} --row ERA-2201 --ops)
commsim_data_test("validate row after both keeps the defaults" 0 "TP8 PP35 DP8 CP1 EP1 VPP1 ZeRO-1 SP 1f1b; seq 2048"
  validate training ${ERA_FILE} --row ERA-2407)
commsim_data_test("validate row json" 0 "\"published_row\": \\{" ${ROW_DSV3} --format json)
commsim_data_test("validate row csv" 0 "^deepseek-v3,gb300-nvl72,256,1,2,128,1,32,8,1," ${ROW_DSV3} --format csv)
commsim_data_test("validate row ops" 0 "moe layer +58 +experts\\.fc1 +grouped gemm +yes" ${ROW_DSV3} --ops)
commsim_data_test("validate row ops names the row" 0 "^# MB2606-GB300-DSV3-MXFP8-GBS15360 \\(" ${ROW_DSV3} --ops)
commsim_data_test("validate row ops json" 0 "\"published_row\": \\{" ${ROW_DSV3} --ops --format json)
commsim_data_test("validate row csv names the row's config" 0 "^# commsim [0-9.]+ train: .*training_public.csv:[0-9]+$" ${ROW_DSV3} --format csv)
commsim_data_test("validate row excluded" 2 "--row: MCORE-H100-175B-strong is excluded by the mapping: value is a range"
  validate training ${ROW_FILE} --row MCORE-H100-175B-strong)
commsim_data_test("validate row not predicted" 2 "--row: REACH-GPU is not predicted: .*out_of_reach.csv:3: key 'gpu'"
  validate training ${DATA}/mapping/out_of_reach.csv --row REACH-GPU)
commsim_data_test("validate row unknown" 2 "--row: no row with case_id 'NOPE' in .*training_public.csv$" validate training ${ROW_FILE} --row NOPE)
commsim_data_test("validate ops needs row" 2 "--ops: needs --row CASE_ID" validate training ${ROW_FILE} --ops)
commsim_data_test("validate row not with a fit" 2 "--row: prints one row's estimate; not with --fit" ${ROW_DSV3} --fit)
# A built-in shape the row's arch cell changes is named so (Narayanan SC'21's 1.7B row through gpt3-175b).
commsim_data_test("validate row names a reshaped built-in" 0 "commsim train: gpt3-175b \\(arch cell: L=24 h=2304 a=24 ffn=9216\\)"
  validate training ${ROW_FILE} --row MEG21-1.7B)
