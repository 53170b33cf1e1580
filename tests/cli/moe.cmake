# MoE and FP8 mechanisms of the training estimator (docs/training.md, "MoE and FP8").
set(MOE_QWEN train --model qwen3-30b-a3b --system dgx-h100 --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --precision fp8 --recompute none)
commsim_data_test("train moe imbalance below 1" 2 "train_moe_imbalance.yaml:5:[0-9]+:.*moe_imbalance.: must be between 1 and 64, got 0[.][0-9]+\n"
  train ${DATA}/bad/train_moe_imbalance.yaml)
commsim_data_test("train moe imbalance below 1 from --set" 2 "--set.*training.moe_imbalance"
  ${MOE_QWEN} --set training.moe_imbalance=0.5)
commsim_data_test("train moe imbalance accepted" 0 "step time +[0-9.]+ +s" ${MOE_QWEN} --set training.moe_imbalance=1.5)
commsim_data_test("train mxfp8 on hopper is an input error" 2 "training.precision: mxfp8 is not supported on h100-sxm"
  train --model qwen3-30b-a3b --system dgx-h100 --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --precision mxfp8)
commsim_data_test("train deepep dispatcher" 0 "exposed EP comm +[0-9.]+ +s"
  train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-h800.yaml --set training.moe_dispatcher=deepep)
# DeepEP / Hybrid-EP run over NVLink: on a PCIe-only node (or bridged pairs) the GPU's catalog NVLink figure
# priced the exchange at NVLink speed (Mixtral EP 8 on h100-pcie: 0.32 s of EP against NCCL's 4.95 s).
commsim_data_test("train deepep on a node without a scale-up domain" 2
  "--set: training.moe_dispatcher: deepep needs a scale-up domain joining the GPUs of a node \\(NVSwitch or mesh\\); system 'h100-pcie' has scale_up none"
  train --model qwen3-30b-a3b --system h100-pcie --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --set training.moe_dispatcher=deepep)
commsim_data_test("train hybridep on NVLink bridge pairs" 2 "system 'h100-pcie-nvlbridge' has scale_up pairs \\(use alltoall\\)"
  train --model qwen3-30b-a3b --system h100-pcie-nvlbridge --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --set training.moe_dispatcher=hybridep)
commsim_data_test("train unknown dispatcher" 2 "--set.*training.moe_dispatcher.*unknown value 'nccl' \\(valid: alltoall, deepep, hybridep\\)"
  train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-h800.yaml --set training.moe_dispatcher=nccl)
# MFU over the bf16 peak (the convention), and for fp8-class runs also over the fp8 peak (docs/training.md).
commsim_data_test("train: an fp8 run's MFU names both peaks" 0
  "MFU +[0-9.]+ +% +of 989\\.4 TFLOPS \\(bf16 peak\\); [0-9.]+% of the 1978\\.9 fp8 peak" ${MOE_QWEN})
commsim_data_test("train: an fp8 run's JSON has mfu_fp8_peak" 0 "\"mfu_fp8_peak\": 0\\.[0-9]+" ${MOE_QWEN} --format json)
# NVFP4 (docs/training.md, "NVFP4"; an assumption no published run checks): GEMMs at the fp4 rate on
# Blackwell, MFU over the fp4 peak, the --ops rows saying which GEMMs run at it; on H100 (no fp4 rate) and
# MI355X (MXFP4 only) an input error naming the flag.
set(MOE_QWEN_NVFP4 train --model qwen3-30b-a3b --system hgx-b200 --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --precision nvfp4 --recompute none)
commsim_data_test("train: an nvfp4 run's MFU names both peaks" 0
  "MFU +[0-9.]+ +% +of 2250\\.0 TFLOPS \\(bf16 peak\\); [0-9.]+% of the 9000\\.0 fp4 peak" ${MOE_QWEN_NVFP4})
commsim_data_test("train: an nvfp4 run's JSON has mfu_fp4_peak" 0 "\"mfu_fp4_peak\": 0\\.[0-9]+" ${MOE_QWEN_NVFP4} --format json)
commsim_data_test("train --ops: nvfp4 GEMMs say so" 0 "experts\\.fc1 +grouped gemm +nvfp4" ${MOE_QWEN_NVFP4} --ops)
commsim_data_test("train: nvfp4 on H100 is an input error" 2
  "--precision: training.precision: nvfp4 needs a GPU with an fp4 rate \\(compute\\.fp4\\); h100-sxm has none"
  train --model qwen3-30b-a3b --system dgx-h100 --gpus 16 --pp 2 --ep 8 --seq-len 4096 --global-batch 1024 --precision nvfp4)
commsim_data_test("train: nvfp4 on MI355X is an input error" 2
  "--precision: training.precision: nvfp4 is not supported on mi355x \\(cdna4 has no gemm_nvfp4"
  train --model llama3-8b --system mi355x-8 --gpus 8 --seq-len 4096 --global-batch 64 --precision nvfp4)
