# Bad cells in the validation CSVs (study/case_cells.hpp): each fixture is the header and one row (two for a
# repeated case_id) of tests/data/validation/, one cell changed. Each was read as a wrong number, exit 0
# (value "137abc" as 137, VPP "8.0" as not reported, precision "int4" as bf16, "ZeRO-7" as ZeRO 0, ...); now
# one message naming file, line and column, exit 2. Included from tests/CMakeLists.txt.
set(BAD ${DATA}/bad)
set(EXCLUDE_HINT "\\(exclude the row in .* if it cannot be predicted\\)")

# validate training
commsim_data_test("validate training: a value is the whole cell" 2
  "training_value_not_number.csv:2: key 'value': MEG21-1.7B: '137abc' is not a number"
  validate training ${BAD}/training_value_not_number.csv)
commsim_data_test("validate training: a value within its metric's range" 2
  "training_value_out_of_range.csv:2: key 'value': MEG21-1.7B: '1e30' is not from 0.001 to 100000 TFLOPS/GPU"
  validate training ${BAD}/training_value_out_of_range.csv)
commsim_data_test("validate training: an arch dimension is a whole number" 2
  "training_arch_not_whole.csv:2: key 'arch': MEG21-1.7B: L=2.4: L is not a whole number from 1 to 2147483647 ${EXCLUDE_HINT}"
  validate training ${BAD}/training_arch_not_whole.csv)
commsim_data_test("validate training: an arch shape train rejects" 2
  "training_arch_kv_not_dividing.csv:2: key 'arch': MEG21-1.7B: model.kv_heads: kv_heads \\(5\\) does not divide heads \\(24\\)"
  validate training ${BAD}/training_arch_kv_not_dividing.csv)
commsim_data_test("validate training: VPP is a whole number or not reported" 2
  "training_vpp_not_whole.csv:2: key 'VPP': MEG21-1.7B: '8.5' is not a whole number from 1 to 2147483647, nor n/r"
  validate training ${BAD}/training_vpp_not_whole.csv)
# (INT4, a quantized format, is out of reach by the mapping's unsupported rule since session 51: the file's one
# row, exit 2.)
commsim_data_test("validate training: a precision commsim does not model" 2
  "training_precision_unknown.csv:2: key 'precision': MEG21-1.7B: quantized base weights \\(NF4, INT4, INT8: QLoRA\\)"
  validate training ${BAD}/training_precision_unknown.csv)
commsim_data_test("validate training: a ZeRO stage past 3" 2
  "training_zero_stage_past_3.csv:2: key 'zero_sharding': MEG21-1.7B: 'ZeRO-7' names a ZeRO stage past 3"
  validate training ${BAD}/training_zero_stage_past_3.csv)
commsim_data_test("validate training: a case_id given twice" 2
  "training_duplicate_case_id.csv:3: key 'case_id': 'MEG21-1.7B' is also the case_id of line 2"
  validate training ${BAD}/training_duplicate_case_id.csv)

# params_B and gpus_per_node: junk numbers are refused wherever the row goes (params_B "0x10" was skipped
# unless a rule picked a size by it; gpus_per_node "nan" left the system's); the placeholders ("n/r") and a
# count described in words ("4 per tray / 72 per NVL domain", rows of the public file) are read as before.
commsim_data_test("validate training: params_B 0x10" 2
  "training_params_hex.csv:2: key 'params_B': MEG21-1.7B: '0x10' is not a number ${EXCLUDE_HINT}"
  validate training ${BAD}/training_params_hex.csv)
commsim_data_test("validate training: params_B -1" 2
  "training_params_negative.csv:2: key 'params_B': MEG21-1.7B: '-1' must be a finite number > 0"
  validate training ${BAD}/training_params_negative.csv)
commsim_data_test("validate training: params_B n/r is not reported" 0 "MEG21-1.7B +dgx-a100"
  validate training ${BAD}/training_params_nr.csv)
foreach(bad nan hex abc)
  commsim_data_test("validate training: gpus_per_node ${bad}" 2
    "training_gpus_per_node_${bad}.csv:2: key 'gpus_per_node': MEG21-1.7B: '[^']*' is not a whole number from 1 to 2147483647, nor n/r"
    validate training ${BAD}/training_gpus_per_node_${bad}.csv)
endforeach()

# validate memory
set(MEM_ROW "TTM-H100-8B-8GPU-FSDP")
commsim_data_test("validate memory: a count is a whole number" 2
  "memory_tp_not_whole.csv:2: key 'TP': ${MEM_ROW}: '2.5' is not a whole number from 1 to 2147483647"
  validate memory ${BAD}/memory_tp_not_whole.csv)
commsim_data_test("validate memory: DP 0" 2
  "memory_dp_zero.csv:2: key 'DP': ${MEM_ROW}: '0' is not a whole number from 1"
  validate memory ${BAD}/memory_dp_zero.csv)
commsim_data_test("validate memory: a micro_batch that is neither a number nor not reported" 2
  "memory_micro_batch_junk.csv:2: key 'micro_batch': ${MEM_ROW}: 'abc' is not a whole number"
  validate memory ${BAD}/memory_micro_batch_junk.csv)
commsim_data_test("validate memory: a published size within range" 2
  "memory_published_out_of_range.csv:2: key 'memory_GiB_per_gpu': ${MEM_ROW}: '1e30' is not from 0.001 to 1e\\+06 GiB"
  validate memory ${BAD}/memory_published_out_of_range.csv)
commsim_data_test("validate memory: an unknown memory_kind lists the kinds" 2
  "memory_unknown_kind.csv:2: key 'memory_kind': ${MEM_ROW}: unknown kind 'virtual' \\(allocated, peak allocated, peak, max allocated, reserved, peak reserved, max reserved, used or nvidia-smi"
  validate memory ${BAD}/memory_unknown_kind.csv)
commsim_data_test("validate memory: zero_sharding naming no stage" 2
  "memory_zero_no_stage.csv:2: key 'zero_sharding': ${MEM_ROW}: 'abc' names no ZeRO stage"
  validate memory ${BAD}/memory_zero_no_stage.csv)
commsim_data_test("validate memory: a case_id given twice" 2
  "memory_duplicate_case_id.csv:3: key 'case_id': '${MEM_ROW}' is also the case_id of line 2"
  validate memory ${BAD}/memory_duplicate_case_id.csv)
# A layout error named column TP whatever it was about, with a second location nested in it.
commsim_data_test("validate memory: a layout error names its column once" 2
  "^commsim: error: [^ ]*memory_layout_gpus.csv:2: key 'num_gpus': ${MEM_ROW}: layout: parallelism: tp\\*pp\\*dp\\*cp = 8 does not equal the 16 GPUs"
  validate memory ${BAD}/memory_layout_gpus.csv)
commsim_data_test("validate memory: a missing num_gpus column is not nested in another" 2
  "^commsim: error: [^ ]*memory_no_num_gpus_column.csv:1: key 'num_gpus': the CSV has no column 'num_gpus'$"
  validate memory ${BAD}/memory_no_num_gpus_column.csv)

# A model no mapping rule names: a dense row's arch column is its shape (study/arch_model.hpp); a MoE row's
# cannot be (expert widths, shared experts, MLA are not in it), so it is an error naming the model cell.
commsim_data_test("validate training: an unnamed dense model takes its shape from the arch column" 0
  "ARCH-QWEN25-72B +dgx-h100 +64 +TP8 PP2 DP4 Z1 full bf16 +tokens/s/GPU +700.00"
  validate training ${DATA}/mapping/arch_model.csv)
commsim_data_test("validate training: an unnamed MoE model is an error naming the model cell" 2
  "training_unknown_moe_model.csv:2: key 'model': ARCH-MOE: no rule maps model 'Zeta-MoE 16B' to a built-in shape, and the arch column gives no dense shape"
  validate training ${BAD}/training_unknown_moe_model.csv)

# Rows out of the catalog's reach (hardware or a model no rule names, an unsupported architecture, a generic
# rule that caught the wrong model) are named with why, and the file's other rows are still predicted
# (tests/data/mapping/out_of_reach.csv: two rows in reach, eleven out). A gate fails on them.
set(REACH ${DATA}/mapping/out_of_reach.csv)
# A malformed cell ("AMP O2" for a precision, a value that is no number, sizes that do not multiply to the
# GPUs) stopped the whole file, exit 2, so one row of a new source hid every other row's figure (helper-171):
# it is that row's, named at its file, line and column, and a gate fails on it. (A file with no other row is
# still its error, exit 2: "validate row not predicted" in ops.cmake.)
set(MALFORMED ${DATA}/mapping/malformed_rows.csv)
commsim_data_test("validate training: a malformed row is named and the others predicted" 0
  "REACH-OK +dgx-h100 +8 +TP1 PP1 DP8 Z1 full bf16 +tokens/s/GPU +9000.00"
  validate training ${MALFORMED})
commsim_data_test("validate training: a malformed precision is that row's" 0
  "^# not predicted BAD-PREC: [^ ]*malformed_rows.csv:3: key 'precision': BAD-PREC: 'AMP O2' names no precision"
  validate training ${MALFORMED})
commsim_data_test("validate training: sizes that do not multiply to the GPUs are that row's" 0
  "^# not predicted BAD-GPUS: [^ ]*malformed_rows.csv:5: key 'num_gpus': BAD-GPUS: parallelism: tp[*]pp[*]dp[*]cp = 8 does not equal the 16 GPUs"
  validate training ${MALFORMED})
commsim_data_test("validate training: a gate fails on a malformed row" 1
  "BAD-VALUE: [^ ]*malformed_rows.csv:4: key 'value': BAD-VALUE: '9.8 per second' is not a number"
  validate training ${MALFORMED} --require-fit)
# A block count that stands but does not read ("block, 2.5", "block, 0", "1.5 layers") recomputed every layer:
# the row is malformed, named at its cell (session 51).
foreach(block FRACTION:2.5 ZERO:0 LAYERS:1.5)
  string(REPLACE ":" ";" pair ${block})
  list(GET pair 0 name)
  list(GET pair 1 count)
  commsim_data_test("validate training: block count ${count} is the row's error" 0
    "^# not predicted BAD-BLOCK-${name}: [^ ]*malformed_rows.csv:[0-9]+: key 'act_recompute': .*the block method's count '${count}' is not a whole number of layers from 1"
    validate training ${MALFORMED})
endforeach()
# JSON tells a malformed row from one out of reach (session 51): a script could not.
commsim_data_test("validate training: json marks a malformed row" 0
  "\"case_id\": \"BAD-PREC\",[^{}]*\"kind\": \"malformed\""
  validate training ${MALFORMED} --format json)
commsim_data_test("validate training: json marks a row out of reach" 0
  "\"case_id\": \"REACH-GPU\",[^{}]*\"kind\": \"out_of_reach\""
  validate training ${REACH} --format json)
commsim_data_test("validate memory: a malformed row is named and the others predicted" 0
  "^# not predicted BAD-MEM-GB: [^ ]*malformed_memory_rows.csv:3: key 'memory_GiB_per_gpu': BAD-MEM-GB: '105 GB' is not a number"
  validate memory ${DATA}/mapping/malformed_memory_rows.csv)
# A source no source_families rule matches is the mapping's gap, not the row's: it stops the file (helper-173:
# it was listed as one row not predicted, exit 0, once malformed rows became their rows').
commsim_edited_mapping_test("validate training: a source no family rule matches stops the file" 2
  "^commsim: error: [^ ]*[.]yaml: key 'source_families': REACH-OK [(][^ ]*malformed_rows.csv:2[)]: no source_families rule matches the source"
  "/match: \"\", family:/d" ${MALFORMED})
# Model names that a broader rule took for another architecture (2026-12-05): DeepSeek-R1-Distill-Llama-70B
# is a dense Llama (the DeepSeek-R1 rule gave DeepSeek-V3), DeepSeek-V3.2's sparse attention is not modelled.
commsim_data_test("validate training: DeepSeek-R1-Distill-Llama-70B is a Llama" 0
  "MODEL-R1-DISTILL +dgx-h100 +8 +TP8 PP1 DP1 Z1 full bf16" validate training ${DATA}/mapping/model_rules.csv)
# Published rows written another way than the public file's (helper-122, 2026-12-06): each mapped as its twin.
set(REWORDED ${DATA}/mapping/reworded_rows.csv)
commsim_data_test("validate training: the live performance-summary page is the tables' source" 0
  "RW-LIVE-PAGE .*source family Megatron-Bridge tables" validate training ${REWORDED} --row RW-LIVE-PAGE)
commsim_data_test("validate training: Megatron Bridge spaced is the tables' source" 0
  "RW-MB-SPACED .*source family Megatron-Bridge tables" validate training ${REWORDED} --row RW-MB-SPACED)
commsim_data_test("validate training: FSDP=0 in the tables is the distributed optimizer" 0
  "# TP1 PP1 DP16 CP1 EP16 ETP1 VPP1 ZeRO-1 "
  validate training ${REWORDED} --row RW-MB-SPACED)
commsim_data_test("validate training: Llama 2 (70B) is Llama 2" 0
  "# commsim train: llama2-70b " validate training ${REWORDED} --row RW-LLAMA2-PAREN)
commsim_data_test("validate training: w/o MTP in the notes drops the MTP module" 0
  "# TP1 PP2 DP128 CP1 EP32 ETP1 VPP4 ZeRO-1 interleaved stages 32[+]29[;]" validate training ${REWORDED} --row RW-NO-MTP)
# The Llama 3 report cited another way ("Llama 3 paper", "Dubey et al. 2024"), its FSDP written alone or as the
# words of what it shards, and the DeepSeek-V3 report cited as a paper (helper-171): each was the generic
# source, the 405B rows ZeRO-3 or ZeRO-0 (-39% .. -56%, or not fitting), DeepSeek-V3 1F1B (-52%).
commsim_data_test("validate training: the Llama 3 report's bare FSDP is its ZeRO-2" 0
  "# TP8 PP16 DP64 CP1 EP1 VPP8 ZeRO-2 " validate training ${REWORDED} --row RW-HERD-FSDP)
commsim_data_test("validate training: the Llama 3 paper cited by its authors" 0
  "RW-HERD-PAPER-NR .*source family Llama 3 report" validate training ${REWORDED} --row RW-HERD-PAPER-NR)
commsim_data_test("validate training: the Llama 3 paper's unreported ZeRO and VPP are the report's" 0
  "# TP8 PP16 DP64 CP1 EP1 VPP8 ZeRO-2 " validate training ${REWORDED} --row RW-HERD-PAPER-NR)
commsim_data_test("validate training: gradients and optimizer states sharded, in words, is ZeRO-2" 0
  "# TP8 PP16 DP64 CP1 EP1 VPP8 ZeRO-2 " validate training ${REWORDED} --row RW-HERD-GRADS-WORDS)
commsim_data_test("validate training: the DeepSeek-V3 paper is its report" 0
  "RW-DSV3-PAPER .*source family DeepSeek-V3 report" validate training ${REWORDED} --row RW-DSV3-PAPER)
commsim_data_test("validate training: the DeepSeek-V3 paper runs DualPipe" 0
  "# TP1 PP16 DP128 CP1 EP64 ETP1 VPP1 ZeRO-1 dualpipe" validate training ${REWORDED} --row RW-DSV3-PAPER)
# An EP cell naming the expert TP beside its count ("EP8/ETP1" stopped the file; "8 (ETP 1)" ran ETP 2).
commsim_data_test("validate training: an EP cell with its ETP" 0
  "RW-EP-ETP +gb200-nvl72 +256 +TP2 PP4 DP4 CP8 EP8 ETP1 VPP14 " validate training ${REWORDED})
# The pair written under one label ("8/1 (EP/ETP)") and a VPP cell "VP=n/a" as Megatron-Bridge's tables print
# it were refused (helper-176).
commsim_data_test("validate training: an EP/ETP pair" 0
  "RW-EP-ETP-PAIR +gb200-nvl72 +256 +TP2 PP4 DP4 CP8 EP8 ETP1 VPP14 " validate training ${REWORDED})
commsim_data_test("validate training: VP=n/a is 1F1B" 0
  "RW-VP-LABEL-NA +gb200-nvl72 +256 +TP2 PP4 DP4 CP8 EP8 ETP1 Z1 none fp8 " validate training ${REWORDED})
# A reshaped rule model without an ffn keeps its MLP's ratio (helper-128: GPT 8.3B kept GPT-3 175B's 49,152)
commsim_data_test("validate training: an arch cell without ffn keeps the rule's 4h" 0
  "RW-GPT-NOFFN +dgx-a100 +256 +TP8 PP1 DP32 Z0 full fp16 +TFLOPS/GPU +135.00 +115.46" validate training ${REWORDED})
commsim_data_test("validate training: CP n/r beside a reported DP is derived" 0
  "RW-CP-NR +dgx-h100 +64 +TP4 PP8 DP2 VPP5 Z1 none fp8" validate training ${REWORDED})
commsim_data_test("validate training: ZeRO offload is not predicted, named" 0
  "^# not predicted MODEL-OFFLOAD: [^ ]*model_rules.csv:4: key 'zero_sharding': MODEL-OFFLOAD: offload to the host or NVMe"
  validate training ${DATA}/mapping/model_rules.csv)
commsim_data_test("validate training: DeepSeek-V3.2 is not predicted, named" 0
  "^# not predicted MODEL-V32: [^ ]*model_rules.csv:3: key 'model': MODEL-V32: DeepSeek Sparse Attention"
  validate training ${DATA}/mapping/model_rules.csv)
commsim_data_test("validate training: the rows in reach are predicted beside the rows out of it" 0
  "REACH-OK +dgx-h100 +8 +TP1 PP1 DP8 Z1 full bf16 +tokens/s/GPU +9000.00"
  validate training ${REACH})
commsim_data_test("validate training: hardware no rule names is not predicted, named" 0
  "^# not predicted REACH-GPU: [^ ]*out_of_reach.csv:3: key 'gpu': REACH-GPU: no rule maps hardware 'Zeta TPU v9' to a system"
  validate training ${REACH})
commsim_data_test("validate training: a hybrid Mamba architecture is not predicted, with the unsupported rule's reason" 0
  "^# not predicted REACH-MAMBA: [^ ]*out_of_reach.csv:4: key 'arch': REACH-MAMBA: hybrid or state-space layers .*the mapping's unsupported rules"
  validate training ${REACH})
commsim_data_test("validate training: a MoE model no rule names is not predicted, named" 0
  "^# not predicted REACH-MOE: [^ ]*out_of_reach.csv:5: key 'model': REACH-MOE: no rule maps model 'Zeta-MoE 16B'"
  validate training ${REACH})
commsim_data_test("validate training: a generic rule mapping a MoE row to a dense model is caught" 0
  "^# not predicted REACH-KIND: [^ ]*out_of_reach.csv:6: key 'model': REACH-KIND: the rule 'Llama [+] 70B' maps model 'Zeta-Llama 70B MoE' to llama3-70b \\(dense, and the arch column says MoE\\)"
  validate training ${REACH})
commsim_data_test("validate training: a generic rule mapping a model of another size is caught" 0
  "^# not predicted REACH-SIZE: [^ ]*out_of_reach.csv:7: key 'params_B': REACH-SIZE: .*gpt3-175b.* has 174.6B parameters, the row 20.0B"
  validate training ${REACH})
commsim_data_test("validate training: a row not reporting what a prediction needs is not predicted, named" 0
  "^# not predicted REACH-NR: [^ ]*out_of_reach.csv:8: key 'PP': REACH-NR: not reported \\('n/r'\\), and a prediction needs it"
  validate training ${REACH})
commsim_data_test("validate training: a metric commsim does not compute is not predicted, named" 0
  "^# not predicted REACH-METRIC: [^ ]*out_of_reach.csv:9: key 'metric': REACH-METRIC: unknown metric 'tokens/day'"
  validate training ${REACH})
commsim_data_test("validate training: a LoRA run is not predicted, named by the column that says so" 0
  "^# not predicted REACH-LORA: [^ ]*out_of_reach.csv:10: key 'case_id': REACH-LORA: parameter-efficient fine-tuning"
  validate training ${REACH})
commsim_data_test("validate training: a precision the estimator does not model (MXFP4) is not predicted, named" 0
  "^# not predicted REACH-FP4: [^ ]*out_of_reach.csv:11: key 'precision': REACH-FP4: MXFP4 is not a precision the estimator models"
  validate training ${REACH})
# NVFP4 (2026-12-06, session 41): predicted on a GPU with an fp4 rate, named where the GPU has none.
commsim_data_test("validate training: an NVFP4 row on B200 is predicted" 0
  "REACH-NVFP4 +hgx-b200 +8 +TP1 PP1 DP8 Z1 full nvfp4 +tokens/s/GPU +20000.00"
  validate training ${REACH})
commsim_data_test("validate training: an MFU over the FP4 peak of a BF16 run is not predicted, named" 0
  "^# not predicted REACH-MFU4: [^ ]*out_of_reach.csv:14: key 'metric': REACH-MFU4: an MFU over the FP4 peak of a run that is not in NVFP4"
  validate training ${REACH})
commsim_data_test("validate training: an NVFP4 row on H100 (no fp4 rate) is not predicted, named" 0
  "^# not predicted REACH-NVFP4-H100: [^ ]*out_of_reach.csv:12: key 'precision': REACH-NVFP4-H100: .*nvfp4 needs a GPU with an fp4 rate \\(compute.fp4\\); h100-sxm has none"
  validate training ${REACH})
commsim_data_test("validate training: json lists the rows not predicted" 0
  "\"not_predicted\": 11"
  validate training ${REACH} --format json)
commsim_data_test("validate training: a gate fails on a file with rows not predicted" 1
  "11 row\\(s\\) not predicted, so no gate can pass on this file: REACH-GPU, REACH-MAMBA, REACH-MOE, REACH-KIND, REACH-SIZE, REACH-NR, REACH-METRIC, REACH-LORA, REACH-FP4, REACH-NVFP4-H100, REACH-MFU4"
  validate training ${REACH} --max-median-error 50)

# nccl-tests rows likewise (tests/data/mapping/nccl_out_of_reach.csv: one case in reach, four out, one of them
# with two rows): each case out of reach is named once, with its first row, and the others are predicted.
set(NREACH ${DATA}/mapping/nccl_out_of_reach.csv)
commsim_data_test("validate collectives: the cases in reach are predicted beside those out of it" 0
  "NREACH_OK +all_reduce +dgx-h100 +1 +8 +1073741824 +375.81"
  validate collectives ${NREACH})
foreach(case "NREACH_GPU: [^ ]*nccl_out_of_reach.csv:3: key 'gpu': NREACH_GPU: no rule in [^ ]*nccl-systems.yaml maps hardware 'Zeta GPU X'"
             "NREACH_OP: [^ ]*nccl_out_of_reach.csv:5: key 'collective': NREACH_OP: unknown collective 'hypercube' \\(all_reduce,"
             "NREACH_DTYPE: [^ ]*nccl_out_of_reach.csv:6: key 'dtype': NREACH_DTYPE: unknown dtype 'fp4' \\(int8,"
             "NREACH_SCALE: [^ ]*nccl_out_of_reach.csv:7: key 'gpus_per_node': NREACH_SCALE: dgx-h100 cannot hold 1 node\\(s\\) x 16 GPU\\(s\\)")
  string(REGEX MATCH "^NREACH_[A-Z]+" id "${case}")
  commsim_data_test("validate collectives: ${id} is not predicted, named" 0 "^# not predicted ${case}"
    validate collectives ${NREACH})
endforeach()
# A mapping rule's set that breaks its system names the entry's line (it named "--set").
commsim_data_test("validate collectives: a rule's bad set names its line" 2
  "nccl_mapping_bad_set.yaml:7:11: key 'rules.0..set.0.': 'fabric.nic_speed=fast': .*does not start with a number"
  validate collectives ${NREACH} --mapping ${DATA}/bad/nccl_mapping_bad_set.yaml)
commsim_data_test("validate collectives: a gate fails on a file with cases not predicted" 1
  "4 case\\(s\\) not predicted, so no gate can pass on this file: NREACH_GPU, NREACH_OP, NREACH_DTYPE, NREACH_SCALE"
  validate collectives ${NREACH} --max-median-error-1m 90)
# A row with a cell that does not read (a size "abc", a busbw "fast", an empty collective) stopped the file,
# exit 2: it is that row's, named, the others predicted, and a gate fails on it (2026-12-07).
set(NMAL ${DATA}/mapping/nccl_malformed_rows.csv)
commsim_data_test("validate collectives: a malformed row is named and the others predicted" 0
  "^# not predicted BAD_SIZE_BYTES: [^ ]*nccl_malformed_rows.csv:3: cannot read the size_bytes value 'abc'"
  validate collectives ${NMAL})
commsim_data_test("validate collectives: a row beside a malformed one is predicted" 0
  "A3MEGA_H100_2x8_AR +all_reduce +gcp-a3-mega +2 +8 +1073741824 +297.86"
  validate collectives ${NMAL})
commsim_data_test("validate collectives: a gate fails on a malformed row" 1
  "3 case\\(s\\) not predicted, so no gate can pass on this file: BAD_SIZE_BYTES, BAD_BUSBW_GBPS, BAD_COLLECTIVE"
  validate collectives ${NMAL} --max-median-error-1m 90)
# A busbw of 1e-320 (denormal) made an error of inf%, 1e-300 a 60-digit one, exit 0: a bandwidth is 0 (printed
# 0.00) or from 1e-12 to 1e6 GB/s.
foreach(bad denormal 1e-300)
  commsim_data_test("validate collectives: busbw ${bad}" 2
    "^commsim: error: [^ ]*nccl_busbw_${bad}.csv:2: the busbw_GBps is below 1e-12 GB/s and not 0"
    validate collectives ${BAD}/nccl_busbw_${bad}.csv)
endforeach()
# A repeated row counted twice in the medians; algbw was not read (nan, -1 taken); a 0-byte row was predicted
# as 0 (-100%), exit 0 (2026-12-04).
commsim_data_test("validate collectives: a repeated row" 2
  "^commsim: error: [^ ]*nccl_repeated_row.csv:3: key 'size_bytes': A3MEGA_H100_2x8_AR: all_reduce float of 8 B is already on line 2"
  validate collectives ${BAD}/nccl_repeated_row.csv)
commsim_data_test("validate collectives: algbw nan" 2 "^commsim: error: [^ ]*nccl_algbw_nan.csv:2: cannot read the algbw_GBps value 'nan'"
  validate collectives ${BAD}/nccl_algbw_nan.csv)
commsim_data_test("validate collectives: size 0" 2 "^commsim: error: [^ ]*nccl_size_zero.csv:2: key 'size_bytes': a published size must be > 0"
  validate collectives ${BAD}/nccl_size_zero.csv)
commsim_data_test("validate collectives: a file where no case is in reach is the first one's error" 2
  "^commsim: error: [^ ]*nccl_unknown_gpu.csv:2: key 'gpu': NREACH_GPU: no rule in"
  validate collectives ${BAD}/nccl_unknown_gpu.csv)

# Memory rows: an architecture the mapping lists as unsupported, or a generic rule that caught a model of the
# other kind, is named and the file's other rows predicted (tests/data/mapping/memory_out_of_reach.csv); a
# model no rule names stays an error (exit 2, above), as the issue asks.
set(MREACH ${DATA}/mapping/memory_out_of_reach.csv)
commsim_data_test("validate memory: a precision the memory model does not know (MXFP4) is not predicted, named" 0
  "^# not predicted MREACH-FP4: [^ ]*memory_out_of_reach.csv:8: key 'precision': MREACH-FP4: MXFP4 is not a precision the memory model knows"
  validate memory ${MREACH})
commsim_data_test("validate memory: an NVFP4 row on B200 is predicted" 0 "MREACH-NVFP4 +other +TP1 PP1 DP8 Z3 mb2 selective nvfp4"
  validate memory ${MREACH})
commsim_data_test("validate memory: the rows in reach are predicted beside those out of it" 0 "MREACH-OK +other"
  validate memory ${MREACH})
commsim_data_test("validate memory: a hybrid Mamba architecture is not predicted, named" 0
  "^# not predicted MREACH-MAMBA: [^ ]*memory_out_of_reach.csv:3: key 'arch': MREACH-MAMBA: hybrid or state-space layers"
  validate memory ${MREACH})
commsim_data_test("validate memory: a generic rule mapping a MoE row to a dense model is caught" 0
  "^# not predicted MREACH-KIND: [^ ]*memory_out_of_reach.csv:4: key 'model': MREACH-KIND: the rule 'Llama [+] 70B' maps model 'Zeta-Llama 70B MoE' to llama3-70b \\(dense, and the arch column says MoE\\)"
  validate memory ${MREACH})
commsim_data_test("validate memory: a measure the model has no kind for is not predicted, named" 0
  "^# not predicted MREACH-GPUMEM: [^ ]*memory_out_of_reach.csv:5: key 'memory_kind': MREACH-GPUMEM: unknown kind 'GPU memory \\(kind not stated\\)'"
  validate memory ${MREACH})
commsim_data_test("validate memory: nvidia-smi's used memory is the used kind" 0
  "MREACH-SMI +other +TP1 PP1 DP8 Z3 mb2 selective bf16 +used"
  validate memory ${MREACH})
commsim_data_test("validate memory: PyTorch's max_memory_reserved is the reserved kind" 0
  "MREACH-MAXRES +other +TP1 PP1 DP8 Z3 mb2 selective bf16 +reserved"
  validate memory ${MREACH})
commsim_data_test("validate memory: a published layout the memory model cannot lay out is not predicted, named" 0
  "^# not predicted MREACH-VPP: [^ ]*memory_out_of_reach.csv:7: key 'VPP': MREACH-VPP: layout: parallelism.vpp: 3 does not divide the 16 layers"
  validate memory ${MREACH})
# Framework spellings of a kind read as words ('_', '-' and '.' as spaces); words naming two kinds name none.
foreach(row "MREACH-MEGATRON|allocated" "MREACH-TTGIB|reserved" "MREACH-SMIUSED|used")
  string(REPLACE "|" ";" parts "${row}")
  list(GET parts 0 id)
  list(GET parts 1 kind)
  commsim_data_test("validate memory: ${id} is the ${kind} kind" 0 "${id} +other +TP1 PP1 DP8 Z3 mb2 selective bf16 +${kind}"
    validate memory ${MREACH})
endforeach()
commsim_data_test("validate memory: a kind cell naming two kinds is not predicted" 0
  "^# not predicted MREACH-TWO: [^ ]*memory_out_of_reach.csv:13: key 'memory_kind': MREACH-TWO: unknown kind 'allocated and reserved'"
  validate memory ${MREACH})
commsim_data_test("validate memory: a kind cell denying its kind is not predicted" 0
  "^# not predicted MREACH-NOT: [^ ]*memory_out_of_reach.csv:14: key 'memory_kind': MREACH-NOT: unknown kind 'not reserved'"
  validate memory ${MREACH})
commsim_data_test("validate memory: the gate fails on a file with rows not predicted" 1
  "7 row\\(s\\) not predicted, so no gate can pass on this file: MREACH-MAMBA, MREACH-KIND, MREACH-GPUMEM, MREACH-VPP, MREACH-FP4, MREACH-TWO, MREACH-NOT"
  validate memory ${MREACH} --max-median-error 90)

# A published run the estimator refuses (12 GPUs on 8-GPU nodes) is out of reach and named; a row on fewer GPUs
# per node than the system's uses that many of each node (4 of dgx-h100's 8: predicted).
set(LAYOUT_REACH ${DATA}/mapping/layout_reach.csv)
commsim_data_test("validate training: a layout the estimator refuses is not predicted, named" 0
  "^# not predicted LR-12: [^ ]*layout_reach.csv:3: key 'num_gpus': LR-12: the estimator cannot run the published layout: cluster.gpus 12 is not a multiple of the 8 GPUs per node"
  validate training ${LAYOUT_REACH})
add_test(NAME "cli: validate training: gpus_per_node below the system's is used, a tray's on NVL72 ignored"
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/gpus_per_node.sh ${COMMSIM_BIN} ${LAYOUT_REACH})
set_tests_properties("cli: validate training: gpus_per_node below the system's is used, a tray's on NVL72 ignored" PROPERTIES
                     ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}" PASS_REGULAR_EXPRESSION "gpus_per_node read")
commsim_data_test("validate training: a precision the GPU cannot run is not predicted, named by its column" 0
  "^# not predicted LR-MXFP8-H100: [^ ]*layout_reach.csv:8: key 'precision': LR-MXFP8-H100: the estimator cannot run the published layout: training.precision: mxfp8 is not supported on h100-sxm"
  validate training ${LAYOUT_REACH})
commsim_data_test("validate training: block recompute of N layers reads as recompute_num_layers N" 0
  "LR-BLOCK2 +dgx-h100 +8 +TP1 PP1 DP8 Z1 full\\(2\\) bf16 "
  validate training ${LAYOUT_REACH})
commsim_data_test("validate training: gpus_per_node above the system's is not predicted" 0
  "^# not predicted LR-16: [^ ]*layout_reach.csv:4: key 'gpus_per_node': LR-16: 16 GPUs per node, and dgx-h100 has 8"
  validate training ${LAYOUT_REACH})

# nccl-tests rows on every catalog GPU map to a system (configs/validation/nccl-systems.yaml, matching ignoring
# case and separators); a GB200 row's nodes are trays of one NVL72 domain, so 2 x 4 GPUs run NVLS inside it.
set(NMAP ${DATA}/mapping/nccl_other_hardware.csv)
foreach(row "NMAP_GB200_TRAYS +all_reduce +gb200-nvl72 +2 +4 .* nvls +Simple"
            "NMAP_H100_HBM3 +all_reduce +dgx-h100 +2 +8 " "NMAP_A800 +all_reduce +dgx-a100 +1 +8 "
            "NMAP_MI300X +all_reduce +mi300x-8 +1 +8 .* mesh " "NMAP_MI325X +all_reduce +mi325x-8 +1 +8 .* mesh "
            "NMAP_910B +all_reduce +ascend-910b-8 +1 +8 " "NMAP_L40S +all_reduce +l40s-pcie +1 +8 "
            "NMAP_H100NVL +all_reduce +h100-pcie-nvlbridge +1 +2 " "NMAP_H200NVL +all_reduce +h200-nvl-pcie +1 +2 "
            "NMAP_B300 +all_reduce +dgx-b300 +1 +8 ")
  string(REGEX MATCH "^NMAP_[A-Z0-9_]+" id "${row}")
  commsim_data_test("validate collectives: ${id} maps to a catalog system" 0 "${row}" validate collectives ${NMAP})
endforeach()
# AWS's p4d and p4de (helper-178): 4 x 100 Gb/s EFA, whichever way the row says it (an instance's total "EFA 400
# Gbps", the instance's name beside a bare "400 Gbps"; each was 8 NICs of 400 Gb/s, 224 GB/s busbw on a 50 GB/s
# network); an InfiniBand row whose cell says "default" is no EFA row (it holds the letters), and keeps the DGX
# A100's 8 x 200 Gb/s.
foreach(row "NMAP_P4D_EFA +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +81.15 "
            "NMAP_P4D_NAMED +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +81.15 "
            "NMAP_A100_DEFAULT_IB +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +215.37 "
            "NMAP_A100_HDR +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +215.37 "
            "NMAP_P4DE +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +81.15 "
            "NMAP_A100_EFAV2 +all_reduce +dgx-a100 +2 +8 +1073741824 +402.65 +81.15 "
            "NMAP_A3U_MACHINE +all_reduce +gcp-a3-ultra +2 +8 ")
  string(REGEX MATCH "^NMAP_[A-Z0-9_]+" id "${row}")
  commsim_data_test("validate collectives: ${id}, AWS's EFA as its instances have it" 0 "${row}" validate collectives ${NMAP})
endforeach()
# Cells other sources write (helper-136; each stopped the file or was not predicted): "ncclAllReduce", "All
# Reduce", "all_reduce_perf", "all2all"; "float (fp32)", "torch.bfloat16", "fp8_e4m3fnuz"; "8 GPUs", "1 node",
# "1G (1073741824)"; "400 GB/s", "~400", "400.0 (in-place 401)"; a time "4.7 ms" (4,700 us: busbw 199.9).
set(NUNITS ${DATA}/mapping/nccl_cells_units.csv)
foreach(row "NU_OP +all_reduce +dgx-h100 +1 +8 +1073741824 +400.00 " "NU_SPACED +all_reduce +dgx-h100 +1 +8 +1073741824 +400.00 "
            "NU_APPROX +all_reduce +dgx-h100 +1 +8 +1073741824 +400.00 " "NU_MS +all_gather +dgx-h100 +1 +8 +1073741824 +199.90 "
            "NU_NOTE +alltoall +dgx-h100 +1 +8 +1073741824 +400.00 ")
  string(REGEX MATCH "^NU_[A-Z]+" id "${row}")
  commsim_data_test("validate collectives: cells written another way, ${id}" 0 "${row}" validate collectives ${NUNITS})
endforeach()
# A GH200 NVL32 rack has no system: not predicted, named (the GH200 rule's DGX H100 ran it over InfiniBand,
# 7x low; helper-136).
commsim_data_test("validate collectives: a GH200 NVL32 row is not predicted" 0
  "# not predicted NMAP_GH200_NVL32: [^ ]*nccl_other_hardware.csv:12: key 'intra_interconnect': NMAP_GH200_NVL32: GH200 NVL32"
  validate collectives ${NMAP})
# TP x PP x DP x CP against num_gpus is the row's own contradiction: bad input whatever its recompute says (with
# recompute not reported it went through the least-recompute search and came out "not predicted", exit 0).
commsim_data_test("validate training: sizes that do not multiply to num_gpus are bad input, recompute not reported" 2
  "^commsim: error: [^ ]*training_product_nr.csv:2: key 'num_gpus': PM-NR: parallelism: tp.pp.dp.cp = 8 does not equal the 16 GPUs"
  validate training ${BAD}/training_product_nr.csv)

# Expert tensor parallelism of a MoE row (case_cells.hpp expert_tp_cell): an ETP column where the row has one,
# else Megatron's default TP where TP x EP folds over TP x CP x DP, else 1 (Qwen3-235B at TP2 EP32 on 256 GPUs,
# as issue 8 names it, ran); an ETP stated where it cannot fold is the estimator's limit; a cell that is no
# count is bad input.
set(ETP_ROWS ${DATA}/mapping/expert_tp.csv)
commsim_data_test("validate training: EP past TP x CP x DP runs at ETP 1 where the row states no ETP" 0
  "ETP-FOLD +dgx-h100 +256 +TP2 PP8 DP16 EP32 ETP1 VPP4 "
  validate training ${ETP_ROWS})
commsim_data_test("validate training: ETP not reported keeps TP where it folds" 0
  "ETP-TP +dgx-h100 +256 +TP2 PP8 DP16 EP16 VPP4 "
  validate training ${ETP_ROWS})
commsim_data_test("validate training: ETP n/a is 1" 0
  "ETP-NA +dgx-h100 +256 +TP2 PP8 DP16 EP16 ETP1 VPP4 "
  validate training ${ETP_ROWS})
commsim_data_test("validate training: an ETP that cannot fold is not predicted, named" 0
  "# not predicted ETP-STATED: [^ ]*expert_tp.csv:4: key 'EP': ETP-STATED: the estimator cannot run the published layout: parallelism.etp: etp.ep = 2.32 does not divide tp.cp.dp = 32"
  validate training ${ETP_ROWS})
commsim_data_test("validate training: an ETP cell that is no count is bad input" 2
  "^commsim: error: [^ ]*training_etp.csv:2: key 'ETP': ETP-BAD: 'two' is not a whole number"
  validate training ${BAD}/training_etp.csv)
# An act_recompute cell that is neither a policy nor "not reported" took the source rule's default (the
# Megatron-Bridge rows' none, torchtitan's selective) and was predicted: refused, naming the cell.
commsim_data_test("validate training: act_recompute junk is not the source's default" 2
  "training_recompute_junk.csv:2: key 'act_recompute': MB2511-H100-LLAMA3_8B: 'abc' is not a recompute policy \\(none, selective, full; n/r when not reported\\)"
  validate training ${BAD}/training_recompute_junk.csv)
commsim_data_test("validate memory: act_recompute junk is not the source's default" 2
  "memory_recompute_junk.csv:2: key 'act_recompute': ${MEM_ROW}: 'abc' is not a recompute policy \\(none, selective, full; n/r when not reported\\)"
  validate memory ${BAD}/memory_recompute_junk.csv)

# Free-text cells that deny what they name are read without it, and refused where nothing, or two
# alternatives, remain (review, 2026-12-06: each was read as the word it denied): "bf16, fp8 disabled" was
# FP8, "full (not selective)" selective, "reserved, allocated" allocated, "DDP (not FSDP)" ZeRO-3.
commsim_data_test("validate training: a denied precision and policy are read without them" 0
  "MB2511-H100-LLAMA3_8B .* TP1 PP1 DP8 .*full bf16"
  validate training ${PROJECT_SOURCE_DIR}/tests/data/mapping/training_denied_cells.csv)
commsim_data_test("validate training: a precision cell giving an 8-bit and a 16-bit one as alternatives" 2
  "training_precision_two.csv:2: key 'precision': MB2511-H100-LLAMA3_8B: 'bf16/fp8' names no precision .*as alternatives, bf16/fp8, names none"
  validate training ${BAD}/training_precision_two.csv)
commsim_data_test("validate training: an act_recompute cell that only denies a policy" 2
  "training_recompute_denied.csv:2: key 'act_recompute': MB2511-H100-LLAMA3_8B: 'non-selective' is not a recompute policy"
  validate training ${BAD}/training_recompute_denied.csv)
commsim_data_test("validate memory: a memory_kind naming two kinds" 2
  "memory_kind_two_kinds.csv:2: key 'memory_kind': ${MEM_ROW}: unknown kind 'reserved, allocated'"
  validate memory ${BAD}/memory_kind_two_kinds.csv)
commsim_data_test("validate memory: DDP, not FSDP, is ZeRO-0" 0
  "TTM-H100-8B-8GPU-FSDP +torchtitan +TP1 PP1 DP8 Z0 mb2 selective bf16 +reserved"
  validate memory ${PROJECT_SOURCE_DIR}/tests/data/mapping/memory_ddp_not_fsdp.csv)
# NCCL_ALGO in a row's notes: quoted, the algorithm; an exclusion, a list or the per-collective form names no
# one algorithm (^Tree was ignored and predicted with tree, Tree,Ring forced tree), bad input naming the notes
# (review, 2026-12-06). NCCL_ALGO=Ring,NCCL_PROTO=Simple is ring.
commsim_data_test("validate collectives: NCCL_ALGO quoted in the notes is forced" 0
  "A3MEGA_H100_2x8_AR +all_reduce +gcp-a3-mega +2 +8 +1048576 .* ring \\(forced\\)"
  validate collectives ${PROJECT_SOURCE_DIR}/tests/data/mapping/nccl_algo_quoted.csv)
commsim_data_test("validate collectives: nodes 0 names its column" 2
  "^commsim: error: [^ ]*nccl_nodes_zero.csv:2: key 'nodes': 0: a run has at least 1"
  validate collectives ${BAD}/nccl_nodes_zero.csv)
commsim_data_test("validate collectives: NCCL_ALGO then another variable" 0
  "A3MEGA_H100_2x8_AR +all_reduce .* ring \\(forced\\)"
  validate collectives ${PROJECT_SOURCE_DIR}/tests/data/mapping/nccl_algo_then_proto.csv)
foreach(case "excluded:NCCL_ALGO=\\^Tree" "list:NCCL_ALGO=Tree,Ring" "per_collective:NCCL_ALGO=allreduce:ring")
  string(REGEX REPLACE ":.*" "" form "${case}")
  string(REGEX REPLACE "^[a-z_]+:" "" value "${case}")
  commsim_data_test("validate collectives: NCCL_ALGO ${form} names no one algorithm" 2
    "^commsim: error: [^ ]*nccl_algo_${form}.csv:2: key 'notes': '${value}' names no one algorithm"
    validate collectives ${BAD}/nccl_algo_${form}.csv)
endforeach()
# torchtitan's 70B and 405B tomls run full AC (source rule recompute_by_model, 2026-12-06): a 70B memory row
# that does not report its AC is predicted under full recompute, not the 8B toml's selective.
commsim_data_test("validate memory: a torchtitan 70B row without its AC runs full" 0
  "MREACH-TT70B +torchtitan +TP8 PP1 DP32 Z3 mb16 full fp8" validate memory ${MREACH})
# Memory rows written other ways (helper-177): "per op SAC" (the torchao README's wording) is torchtitan's
# op-level SAC, selective (it was refused), its per-layer SAC is another policy (refused); a figure of a part
# of the memory ("model states only", "no activations") names no kind (it was the allocated peak, +399%);
# quantized base weights or an 8-bit optimizer beside the precision are out of reach (they were bf16 full
# training with 32-bit Adam, +636% to +1839%).
set(MPROBE ${DATA}/mapping/memory_probe_rows.csv)
commsim_data_test("validate memory: per op SAC is selective" 0
  "MP-PER-OP-SAC +torchtitan +TP1 PP1 DP8 Z3 mb2 selective bf16 " validate memory ${MPROBE})
commsim_data_test("validate memory: per-layer SAC is refused" 0
  "# not predicted MP-PER-LAYER-SAC: [^ ]*memory_probe_rows.csv:4: key 'act_recompute'" validate memory ${MPROBE})
commsim_data_test("validate memory: a figure of model states only names no kind" 0
  "# not predicted MP-MODEL-STATES: [^ ]*memory_probe_rows.csv:5: key 'memory_kind'.*\n# not predicted MP-NO-ACT: [^ ]*memory_probe_rows.csv:6: key 'memory_kind'"
  validate memory ${MPROBE})
# A note on how the run saved memory is no part of the memory (helper-179: "reserved (no activation
# checkpointing)" was refused as a figure without activations); a kind that does not read is malformed in JSON.
commsim_data_test("validate memory: a note on recompute beside the kind is no partial figure" 0
  "MP-KIND-NO-AC +torchtitan +TP1 PP1 DP8 Z3 mb2 none bf16 +reserved .*\nMP-KIND-WITHOUT-RECOMPUTE +torchtitan +TP1 PP1 DP8 Z3 mb2 none bf16 +allocated "
  validate memory ${MPROBE})
commsim_data_test("validate memory: a partial figure is out of reach (JSON)" 0
  "MP-MODEL-STATES.,[^}]*kind.: .out_of_reach" validate memory ${MPROBE} --format json)
commsim_data_test("validate memory: an unknown kind is a malformed cell (JSON)" 0
  "MP-KIND-GIBBERISH.,[^}]*kind.: .malformed" validate memory ${MPROBE} --format json)
commsim_data_test("validate memory: QLoRA and an 8-bit optimizer are out of reach" 0
  "# not predicted MP-QLORA: [^ ]*memory_probe_rows.csv:7: key 'precision': MP-QLORA: quantized base weights.*\n# not predicted MP-8BIT-ADAM: [^ ]*memory_probe_rows.csv:8: key 'precision'"
  validate memory ${MPROBE})
