# Kernel model (src/train/kernel_model.hpp) against published kernel measurements (docs/validation.md,
# "Kernels"): 97 rows within the bound, in-sample median |error| 6.4%, worst 34.4%; leave-one-source-out
# median 21.3%. Bounds: median 8%, every row 35%, leave-one-source-out median 25%.
add_test(NAME "validation: kernels within bounds (median 8%, every row 35%, leave-one-source-out median 25%)"
         COMMAND ${COMMSIM_BIN} validate kernels ${DATA}/validation/kernel_benchmarks.csv --loso
                 --max-median-error 8 --max-row-error 35 --max-loso-median-error 25)
set_tests_properties("validation: kernels within bounds (median 8%, every row 35%, leave-one-source-out median 25%)"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")  # 0.9 s under ASan
commsim_cli_test("validate kernels table" 0 "97 rows within the bound: median" validate kernels ${DATA}/validation/kernel_benchmarks.csv)
commsim_cli_test("validate kernels json" 0 "\"median_abs_error\"" validate kernels ${DATA}/validation/kernel_benchmarks.csv --format json)
commsim_cli_test("validate kernels bound exceeded" 1 "median \\|error\\| over [0-9]+ rows within the bound is .*above the bound 1.0% \\(--max-median-error\\)" validate kernels ${DATA}/validation/kernel_benchmarks.csv --max-median-error 1)
commsim_cli_test("validate kernels loso bound needs --loso" 2 "--max-loso-median-error needs --loso" validate kernels ${DATA}/validation/kernel_benchmarks.csv --max-loso-median-error 20)
commsim_cli_test("validate kernels bad number" 2 "kernels_bad_value.csv:2.*key 'M'.*'abc' is not a whole number" validate kernels ${DATA}/bad/kernels_bad_value.csv)
# Shapes are whole numbers read whole, the value a number of TFLOPS within bounds: each of these was read, exit 0
# (M 1e308 predicted nan TFLOPS and a summary of nan%, K 0x10 was 16; ep_size and tokens, which only the EP
# rows have, were not read at all). Each fixture's row has one bad cell: FILE COLUMN LINE.
# A fixture's bad row beside a good one (ep_size, tokens) is that row's: named, the other predicted (since
# 2026-12-07; it stopped the file); a file with nothing else is the row's error, exit 2.
foreach(bad "m_1e308 M 2" "n_overflow N 2" "k_hex K 2" "seq_len_hex seq_len 2" "head_dim_abc head_dim 2"
            "heads_negative heads 2")
  separate_arguments(bad)
  list(GET bad 0 file)
  list(GET bad 1 col)
  list(GET bad 2 line)
  commsim_data_test("validate kernels: ${col} ${file}" 2
    "^commsim: error: [^ ]*kernels_${file}.csv:${line}: key '${col}': '[^']*' is not a whole number from 1 to 2147483647$"
    validate kernels ${DATA}/bad/kernels_${file}.csv)
endforeach()
foreach(bad "ep_size_hex ep_size 3" "tokens_nan tokens 3")
  separate_arguments(bad)
  list(GET bad 0 file)
  list(GET bad 1 col)
  list(GET bad 2 line)
  commsim_data_test("validate kernels: ${col} ${file}" 0
    "^# not predicted X_[a-z]+: [^ ]*kernels_${file}.csv:${line}: key '${col}': '[^']*' is not a whole number from 1 to 2147483647$"
    validate kernels ${DATA}/bad/kernels_${file}.csv)
endforeach()
commsim_data_test("validate kernels: value 1e308" 2
  "^commsim: error: [^ ]*kernels_value_1e308.csv:2: key 'value': '1e308' is not a number of TFLOPS from 0.001 to 100000$"
  validate kernels ${DATA}/bad/kernels_value_1e308.csv)
commsim_data_test("validate kernels: causal is True or False" 2
  "^commsim: error: [^ ]*kernels_causal_maybe.csv:2: key 'causal': 'maybe' is not True or False [(]yes/no, 1/0[)] or empty$"
  validate kernels ${DATA}/bad/kernels_causal_maybe.csv)
# Published rows written another way (helper-133; tests/data/mapping/kernels_reworded.csv): each is read as its
# twin in the public spelling. "8k" tokens are 8,192 (were 8: -100%), an "H100-PCIe" is the PCIe card (was the
# SXM part: +27%), causal "yes" is causal (stopped the file), "TFLOP/s" and "GEMM" are read (were out of reach),
# FA2 on Blackwell under any case_id is outside the bound (was counted at +254%), a te.Linear row times its
# casts, "Low" confidence is outside the bound, an NVFP4 GEMM is an nvfp4 one (with its fp8 scales: it was not
# predicted), an MXFP4 row and an attention row that does not say whether it is causal are not predicted, named.
set(KWORD ${DATA}/mapping/kernels_reworded.csv)
foreach(row "KW_S8K +blackwell +bf16 +b1 s8192 d128 causal +1400.0 +1[0-9][0-9][0-9]\\.[0-9] +[-0-9.]+% +in"
            "KW_GEMM8K +hopper +bf16 +8192x8192x8192 +750.0 +7[0-9][0-9]\\.[0-9] +[-0-9.]+% +in"
            "KW_PCIE +hopper +bf16 +8192x8192x8192 +600.0 +62[0-9]\\.[0-9] +[-0-9.]+% +in"
            "KW_YES +blackwell +bf16 +b1 s8192 d128 causal +1400.0 +1[0-9][0-9][0-9]\\.[0-9] +[-0-9.]+% +in"
            "KW_FA2 +blackwell +bf16 +b1 s8192 d128 causal +400.0 +[0-9.]+ +[-0-9.]+% +out"
            "KW_TE +blackwell +fp8_tensor +8192x8192x8192 +2377.0 +28[0-9][0-9]\\.[0-9] +[-0-9.]+% +in"
            "KW_LOW +hopper +bf16 +8192x8192x8192 +750.0 +[0-9.]+ +[-0-9.]+% +out"
            "KW_MXFP8 +blackwell +mxfp8 +8192x8192x8192 +3000.0"
            "KW_TEPRE +blackwell +fp8_tensor +8192x8192x8192 +2377.0 +39[0-9][0-9]\\.[0-9]"
            "KW_TEVER +blackwell +fp8_tensor +8192x8192x8192 +2377.0 +28[0-9][0-9]\\.[0-9]"
            "KW_NVFP4 +blackwell +nvfp4 +8192x8192x8192 +7000.0 +[0-9.]+")
  string(REGEX MATCH "^KW_[A-Z0-9]+" id "${row}")
  commsim_data_test("validate kernels: reworded ${id} is read as its twin" 0 "${row}" validate kernels ${KWORD})
endforeach()
foreach(row "KW_MXFP4: [^ ]*kernels_reworded.csv:14: key 'precision': KW_MXFP4: precision 'MXFP4'"
            "KW_NOCAUSAL: [^ ]*kernels_reworded.csv:11: key 'causal': KW_NOCAUSAL: an attention row says whether it is causal")
  string(REGEX MATCH "^KW_[A-Z0-9]+" id "${row}")
  commsim_data_test("validate kernels: reworded ${id} is not predicted, named" 0 "^# not predicted ${row}" validate kernels ${KWORD})
endforeach()
commsim_cli_test("validate kernels unknown kind" 2 "^commsim: error: [^ ]*kernels_bad_kind.csv:2: key 'kind': X: unknown kind 'conv'" validate kernels ${DATA}/bad/kernels_bad_kind.csv)
# A row out of the kernel model's reach is named with file, line and column, and the file's other rows are
# predicted (tests/data/mapping/kernels_reach.csv: one row in reach, three out). A case_id the mapping names
# that is not a row of the file is said once (the shipped mapping meets files it was not written for); on the
# public file there is none (the second test fails on the note).
set(KREACH ${DATA}/mapping/kernels_reach.csv)
commsim_data_test("validate kernels: the rows in reach are predicted beside those out of it" 0 "KR_OK +hopper +bf16 +4096x4096x4096 +600.0"
  validate kernels ${KREACH})
foreach(row "KR_GPU: [^ ]*kernels_reach.csv:3: key 'gpu': KR_GPU: no catalog GPU for 'Zeta GPU X'"
            "KR_KIND: [^ ]*kernels_reach.csv:4: key 'kind': KR_KIND: unknown kind 'conv2d'"
            "KR_METRIC: [^ ]*kernels_reach.csv:5: key 'metric': KR_METRIC: 'GB/s' for kind gemm")
  string(REGEX MATCH "^KR_[A-Z]+" id "${row}")
  commsim_data_test("validate kernels: ${id} is not predicted, named" 0 "^# not predicted ${row}" validate kernels ${KREACH})
endforeach()
commsim_data_test("validate kernels: json lists the rows not predicted" 0 "\"not_predicted\": \\[" validate kernels ${KREACH} --format json)
commsim_data_test("validate kernels: a gate fails on a file with rows not predicted" 1
  "3 row\\(s\\) not predicted, so no gate can pass on this file: KR_GPU, KR_KIND, KR_METRIC" validate kernels ${KREACH} --max-median-error 90)
commsim_cli_test("validate kernels: a case_id the mapping names that is not a row is said" 0
  "^# the mapping names 1 case_id\\(s\\) not in this file \\(applied to none of its rows\\): excluded NO_SUCH_CASE$"
  validate kernels ${KREACH} --mapping ${DATA}/mapping/kernels_mapping_unknown_case.yaml)
commsim_data_test("validate kernels: the shipped mapping names only rows of the public file" 0 "rows within the bound"
  validate kernels ${DATA}/validation/kernel_benchmarks.csv)
set_tests_properties("cli: validate kernels: the shipped mapping names only rows of the public file" PROPERTIES
                     FAIL_REGULAR_EXPRESSION "not in this file")
# A precision cell that names no precision the model predicts was read as bf16 (predicted and counted): the row
# is not predicted, naming the cell (a file of no other row: exit 2 with that message).
commsim_data_test("validate kernels: unknown precision" 2
  "^commsim: error: [^ ]*kernels_precision_abc.csv:2: key 'precision': X_gemm: precision 'abc' is not one the kernel model predicts [(]bf16, fp16, fp8, fp8 block-scaled, mxfp8, nvfp4[)]$"
  validate kernels ${DATA}/bad/kernels_precision_abc.csv)
# --fit over rows that determine no constant (two M=64 DeepGEMM rows: neither moves any constant by 1%): each
# undetermined constant is "-", not "nan", and the JSON carries the fit as null values (it printed nan in the
# table, exit 0, and JSON and CSV left the fit out: helper-157).
commsim_data_test("validate kernels: --fit prints an undetermined constant as -" 0
  "# hopper: gemm_bf16 - gemm_fp8_tensor - gemm_fp8_block - .* attention_fp8 -\n"
  validate kernels ${DATA}/checks/kernels_two_small_gemms.csv --fit)
commsim_data_test("validate kernels: --fit --format json carries the refitted constants" 0
  "(?s)\"fitted\": \\{.*\"hopper\": \\{.*\"gemm_fp8_block\": \\{[^}]*\"value\": null"
  validate kernels ${DATA}/checks/kernels_two_small_gemms.csv --fit --format json)
commsim_data_test("validate kernels: the shipped file's fit, in CSV, puts the constants on stderr" 0
  "\n# hopper: gemm_bf16 0\\.[0-9]+ "
  validate kernels ${DATA}/validation/kernel_benchmarks.csv --fit --format csv)
