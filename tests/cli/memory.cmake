# Memory model: per-stage report, recompute modules, bad input, and validation against published memory
# figures (tests/data/validation/training_memory.csv; docs/validation.md, "Memory").
set(MEM_405B train ${PROJECT_SOURCE_DIR}/configs/train/llama3-405b-h100-16k.yaml)
commsim_data_test("memory per stage in the table" 0 "memory per stage +[0-9.]+-[0-9.]+ +GiB +16 stages, each below" ${MEM_405B})
commsim_data_test("memory per stage below the table" 0 "^# memory per stage, stages 0..15 [(]GiB[)]: [0-9.]+ [0-9.]+ " ${MEM_405B})
commsim_data_test("memory per stage in json" 0 "\"microbatches_in_flight\": [0-9.]+" ${MEM_405B} --format json)
commsim_data_test("memory runtime overhead in the table" 0 "runtime overhead +[0-9.]+ +GiB" ${MEM_405B})
commsim_data_test("train unknown recompute module" 2
  "train_bad_recompute_module.yaml:5:.*training.recompute_modules.*unknown module 'attention' \\(valid: core_attn, mla_up_proj"
  train ${DATA}/bad/train_bad_recompute_module.yaml)
commsim_data_test("train recompute modules need selective" 2
  "train_modules_without_selective.yaml:5:.*recompute_modules.*needs recompute: selective"
  train ${DATA}/bad/train_modules_without_selective.yaml)
commsim_data_test("train block recompute needs full" 2
  "train_block_recompute_without_full.yaml:5:.*training.recompute_num_layers: needs recompute: full .*not selective"
  train ${DATA}/bad/train_block_recompute_without_full.yaml)
commsim_data_test("train block recompute of zero layers" 2 "train_block_recompute_zero.yaml:5:.*recompute_num_layers"
  train ${DATA}/bad/train_block_recompute_zero.yaml)
commsim_data_test("train block recompute from --set, then --recompute none" 2
  "--set: training.recompute_num_layers: needs recompute: full .*not none"
  train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 8192 --global-batch 8 --set training.recompute_num_layers=4 --recompute none)
commsim_data_test("train block recompute fits where none does not" 0 "fits +yes"
  train --model llama3-70b --system dgx-h100 --gpus 32 --tp 8 --pp 4 --seq-len 8192 --global-batch 64 --micro-batch 2
  --recompute full --set training.recompute_num_layers=5 --set parallelism.sequence_parallel=true)
commsim_data_test("train on one GPU" 0 "1 x b200 \\(1 node\\)"
  train --model llama3-8b --system hgx-b200 --gpus 1 --seq-len 4096 --global-batch 4)
commsim_data_test("validate memory unknown model" 2 "memory_unknown_model.csv:2:.*model.*no rule maps model 'Llama 9 1T'"
  validate memory ${DATA}/bad/memory_unknown_model.csv)
commsim_data_test("validate memory reports per source" 0 "# Megatron-LM CI: median \\|error\\| [0-9.]+%"
  validate memory ${DATA}/validation/training_memory.csv)

add_test(NAME "validation: memory per GPU within bounds (median 15%)"
         COMMAND ${COMMSIM_BIN} validate memory ${DATA}/validation/training_memory.csv --max-median-error 15)
set_tests_properties("validation: memory per GPU within bounds (median 15%)" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
