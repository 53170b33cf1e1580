# Kernel model (src/train/kernel_model.hpp) against published kernel measurements (docs/validation.md,
# "Kernels"): 92 rows within the bound, in-sample median |error| 6.4%, worst 34.4%; leave-one-source-out
# median 20.1%. Bounds: median 8%, every row 35%, leave-one-source-out median 25%.
add_test(NAME "validation: kernels within bounds (median 8%, every row 35%, leave-one-source-out median 25%)"
         COMMAND ${COMMSIM_BIN} validate kernels ${DATA}/validation/kernel_benchmarks.csv --loso
                 --max-median-error 8 --max-row-error 35 --max-loso-median-error 25)
set_tests_properties("validation: kernels within bounds (median 8%, every row 35%, leave-one-source-out median 25%)"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")  # 0.9 s under ASan
commsim_cli_test("validate kernels table" 0 "92 rows within the bound: median" validate kernels ${DATA}/validation/kernel_benchmarks.csv)
commsim_cli_test("validate kernels json" 0 "\"median_abs_error\"" validate kernels ${DATA}/validation/kernel_benchmarks.csv --format json)
commsim_cli_test("validate kernels bound exceeded" 1 "median \\|error\\| over [0-9]+ rows within the bound is .*above the bound 1.0% \\(--max-median-error\\)" validate kernels ${DATA}/validation/kernel_benchmarks.csv --max-median-error 1)
commsim_cli_test("validate kernels loso bound needs --loso" 2 "--max-loso-median-error needs --loso" validate kernels ${DATA}/validation/kernel_benchmarks.csv --max-loso-median-error 20)
commsim_cli_test("validate kernels bad number" 2 "kernels_bad_value.csv:2.*key 'M'.*'abc' is not a positive number" validate kernels ${DATA}/bad/kernels_bad_value.csv)
commsim_cli_test("validate kernels unknown kind" 2 "kernels_bad_kind.csv:2.*key 'kind'.*unknown kind 'conv'" validate kernels ${DATA}/bad/kernels_bad_kind.csv)
commsim_cli_test("validate kernels excluded case not a row" 2 "kernels_mapping_unknown_case.yaml: excluded case_id 'NO_SUCH_CASE' is not a row" validate kernels ${DATA}/bad/kernels_bad_kind.csv --mapping ${DATA}/bad/kernels_mapping_unknown_case.yaml)
