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
