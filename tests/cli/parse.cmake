# Parsers that cannot crash (docs/robustness.md): the log layouts clusters produce, read end to end by
# `validate collectives --measured`, and the inputs that crashed or misread before, each one message with
# file:line and exit 2. Included from tests/CMakeLists.txt.
set(PARSE_LOGS ${PROJECT_SOURCE_DIR}/tests/data/logs)
set(PARSE_REG ${PROJECT_SOURCE_DIR}/tests/data/fuzz-regressions)
function(parse_cli_test name code regex)
  add_test(NAME "parse: ${name}" COMMAND ${EXPECT} ${code} "${regex}" ${COMMSIM_BIN} ${ARGN})
  set_tests_properties("parse: ${name}" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

set(MEASURED validate collectives --measured)
parse_cli_test("srun --label log" 0 "srun_label_2x4_all_gather.log +all_gather +8 "
  ${MEASURED} ${PARSE_LOGS}/srun_label_2x4_all_gather.log --system dgx-h100)
# Hosts of a rack-scale system are its trays, in one NVLink domain (helper-129: two racks over InfiniBand, nvls_tree)
parse_cli_test("GB200 trays are one NVL72 domain" 0 "gb200_2trays_all_reduce.log,all_reduce,8,1073741824,.*,nvls,"
  ${MEASURED} ${PARSE_LOGS}/gb200_2trays_all_reduce.log --system gb200-nvl72 --format csv)
parse_cli_test("mpirun --tag-output log" 0 "mpirun_tag_output_1x4_reduce_scatter.log +reduce_scatter +4 "
  ${MEASURED} ${PARSE_LOGS}/mpirun_tag_output_1x4_reduce_scatter.log --system dgx-a100 --gpus 4)
# bw_err from the measured time, not the printed two decimals (0.03 of a true 0.0331 gave +42.1% beside a t_err
# of -22.4%; 0.00 gave none): 1 / (1 - 0.224) - 1 = +28.9%.
parse_cli_test("bw_err from the time, not the printed busbw" 0 "old_error_column_1x8_all_reduce.log +all_reduce +8 +512 +27[.]10 .* -22[.]4% +0[.]03 +0[.]04 +28[.]9% "
  ${MEASURED} ${PARSE_LOGS}/old_error_column_1x8_all_reduce.log --system dgx-a100 --gpus 8 --op all_reduce)
parse_cli_test("old log with an error column" 0 "old_error_column_1x8_all_reduce.log +all_reduce +8 +262144"
  ${MEASURED} ${PARSE_LOGS}/old_error_column_1x8_all_reduce.log --system dgx-a100 --gpus 8 --op all_reduce)
parse_cli_test("log without # headers" 0 "no_hash_header_1x4_all_gather.log +all_gather +4 +16384"
  ${MEASURED} ${PARSE_LOGS}/no_hash_header_1x4_all_gather.log --system dgx-a100 --gpus 4)
parse_cli_test("rccl-tests log" 0 "rccl_tests_1x8_all_reduce.log +all_reduce +8 +268435456"
  ${MEASURED} ${PARSE_LOGS}/rccl_tests_1x8_all_reduce.log --system mi300x-8 --gpus 8)
parse_cli_test("rows with #wrong > 0 left out, with a note" 0
  "note: 2 of 5 measured rows report wrong data.*wrong_rows_2x1_all_reduce.log:13"
  ${MEASURED} ${PARSE_LOGS}/wrong_rows_2x1_all_reduce.log --system dgx-h100)

# Regressions: inputs that crashed, ended in "internal error" or were silently misread.
# Two nccl-tests runs in one log (2 ranks, then 4): each row has its own run's ranks (all had 4, the union).
parse_cli_test("two runs in one log: the first run's rows" 0 "two_runs_2_then_4_ranks.log +all_reduce +2 +1048576 +339.61"
  ${MEASURED} ${PARSE_REG}/two_runs_2_then_4_ranks.log --system dgx-h100)
parse_cli_test("two runs in one log: the second run's row" 0 "two_runs_2_then_4_ranks.log +all_reduce +4 +1048576 +401.22"
  ${MEASURED} ${PARSE_REG}/two_runs_2_then_4_ranks.log --system dgx-h100)
parse_cli_test("log line of only \\v or \\r" 2 "vt_cr_only_lines.log.*no result rows"
  ${MEASURED} ${PARSE_REG}/vt_cr_only_lines.log --system dgx-h100 --gpus 8)
parse_cli_test("26 KB log line" 2 "long_line_26k.log.*no result rows"
  ${MEASURED} ${PARSE_REG}/long_line_26k.log --system dgx-h100 --gpus 8)
parse_cli_test("log size 1e30" 2 "size_1e30.log:3: .*size is larger than"
  ${MEASURED} ${PARSE_REG}/size_1e30.log --system dgx-h100 --gpus 8)
parse_cli_test("log time nan" 2 "time_nan.log:3: .*time value 'nan'"
  ${MEASURED} ${PARSE_REG}/time_nan.log --system dgx-h100 --gpus 8)
parse_cli_test("log nThread x nGpus overflow" 2 "nthread_overflow.log:1: .*nThread is larger"
  ${MEASURED} ${PARSE_REG}/nthread_overflow.log --system dgx-h100 --gpus 8)
parse_cli_test("JSON number 1e999" 2 "number_1e999.json.*a number out of a double.s range"
  ${MEASURED} ${PARSE_REG}/number_1e999.json --system dgx-h100 --gpus 8)
parse_cli_test("JSON size 1e23" 2 "size_1e23.json.*results\\[0\\].size_bytes.*larger than"
  ${MEASURED} ${PARSE_REG}/size_1e23.json --system dgx-h100 --gpus 8)
parse_cli_test("CSV negative time" 2 "negative_time.csv:3: .*time_us is negative"
  ${MEASURED} ${PARSE_REG}/negative_time.csv --system dgx-h100 --gpus 2)
parse_cli_test("study size 1e30B" 2 "study_size_1e30.yaml:8:.*key 'size'.*too large"
  study ${PARSE_REG}/study_size_1e30.yaml)
parse_cli_test("duplicate YAML key" 2 "duplicate_key_system.yaml:7:1.*duplicate key 'fabric' \\(first at line 6, again at line 7\\)"
  collective --system ${PARSE_REG}/duplicate_key_system.yaml)
parse_cli_test("-e 8G is 8 GiB" 0 "8589934592"
  collective --system dgx-h100 --op all_reduce -b 8G -e 8G)
parse_cli_test("-e 1GB is 10^9 bytes" 0 "1000000000"
  collective --system dgx-h100 --op all_reduce -b 1GB -e 1GB)
parse_cli_test("train config without model" 2 "train_no_model.yaml:[0-9:]* ?model: no model given"
  train ${PARSE_REG}/train_no_model.yaml)
parse_cli_test("list item in cluster.set" 2 "train_set_list.yaml:6:9: key 'cluster.set\\[0\\]': expected a string"
  train ${PARSE_REG}/train_set_list.yaml)
# A system override written in the config (cluster.set) names its line; the same key given with --set names --set.
parse_cli_test("bad value in cluster.set" 2
  "train_cluster_set_value.yaml:8:7: key 'cluster.set\\[1\\]': 'fabric.nic_speed=fast': 'fast' does not start with a number"
  train ${PROJECT_SOURCE_DIR}/tests/data/bad/train_cluster_set_value.yaml)
parse_cli_test("bad --set over a cluster.set key" 2 "^commsim: error: --set: key 'fabric.nic_speed': 'zz' does not start"
  train ${PROJECT_SOURCE_DIR}/tests/data/bad/train_cluster_set_value.yaml --set fabric.nic_speed=zz)
parse_cli_test("--set mends a cluster.set value" 0 "dgx-h100, 16 x h100-sxm"
  train ${PROJECT_SOURCE_DIR}/tests/data/bad/train_cluster_set_value.yaml --set fabric.nic_speed=400Gb/s)
parse_cli_test("list for training.tokens" 2 "train_tokens_list.yaml:5:[0-9]+: key 'training.tokens': expected a string"
  train ${PARSE_REG}/train_tokens_list.yaml)
parse_cli_test("provenance mapping without value" 2 "--set: key 'fabric.nic_speed.value': missing 'value'"
  collective --system dgx-h100 "--set=fabric.nic_speed={kind: datasheet}")
# YAML::LoadAll looped forever on these (fuzz_system_yaml and fuzz_study_config timeouts, 2026-12-02): the
# second-document check reads the markers itself (core/yaml_reader.hpp).
parse_cli_test("system yaml that hung LoadAll" 2 "loadall_loop_system.yaml: expected a YAML mapping"
  collective --system ${PARSE_REG}/loadall_loop_system.yaml --op all_reduce)
parse_cli_test("study yaml that hung LoadAll" 2 "loadall_loop_study.yaml: expected a YAML mapping"
  sweep ${PARSE_REG}/loadall_loop_study.yaml)
# A measured file whose name is not UTF-8 (a valid POSIX name): --format json ended in "internal error"
# (nlohmann's type_error 316) after the whole comparison; the byte is written as U+FFFD.
add_test(NAME "parse: --format json with a file name that is not UTF-8"
         COMMAND ${EXPECT} 0 "\"file\": \".*/a100_1x2.+\\.log\""
                 sh -c "f=\"$0/a100_1x2$(printf '\\377').log\"; cp \"$1\" \"$f\" && exec \"$2\" validate collectives --system dgx-a100 --gpus 2 --format json --measured \"$f\""
                 ${CMAKE_CURRENT_BINARY_DIR} ${PARSE_LOGS}/a100_1x2_all_reduce_debug.log ${COMMSIM_BIN})
set_tests_properties("parse: --format json with a file name that is not UTF-8" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# A second result for one size replaced the first silently (CSV, JSON); a JSON in_place of the wrong type was
# read as false, so the in-place time replaced the out-of-place one.
parse_cli_test("CSV result given twice" 2
  "duplicate_row.csv:5: a second out-of-place result for all_reduce float 1048576 B \\(first at line 3\\)"
  ${MEASURED} ${PARSE_REG}/duplicate_row.csv --system dgx-h100 --gpus 2)
parse_cli_test("JSON in_place not a boolean" 2 "in_place_string.json:7: key 'results\\[1\\]\\.in_place': expected true or false"
  ${MEASURED} ${PARSE_REG}/in_place_string.json --system dgx-h100 --gpus 2)
# A measured busbw printed as 0.00 (small sizes) counted as a 0.0% busbw error, an exact match, in the medians;
# then as no figure (-); since 2026-12-05 the busbw is the measured time's: t_err +84.0%, bw_err 1 / 1.84 - 1.
parse_cli_test("busbw 0.00 is the time's busbw" 0 "busbw_zero.log +all_reduce +2 +8 +7[.]50 +13[.]80 +84[.]0% +0\\.00 +0[.]00 +-45[.]7% "
  ${MEASURED} ${PARSE_REG}/busbw_zero.log --system dgx-h100 --gpus 2)
# Result rows whose size was not digits (hex, negative, nan, a fraction) were skipped as log lines, silently;
# nan in the algbw or root column, a root past the Rank lines' ranks, an unknown redop and a time of 1e-320 us
# (fitted as 0) were read. Now each
# is an error naming the line and the column, as count, time, busbw and #wrong were (tests/data/bad/log_*).
set(PARSE_BAD ${PROJECT_SOURCE_DIR}/tests/data/bad)
set(LOG_2x1 -s dgx-h100 --nodes 2 --gpus-per-node 1 --op all_reduce)
foreach(bad "size_hex|cannot read the size value '0x100000'" "size_negative|the size is negative"
            "size_nan|cannot read the size value 'nan'" "size_fraction|the size is not a whole number"
            "algbw_nan|cannot read the algbw value 'nan'" "root_nan|cannot read the root value 'nan'"
            "redop_bogus|unknown reduction 'bogus' in the redop column"
            "root_past_ranks|root 2 is not a rank of the run's 2 \\(0 to 1\\)"
            "time_denormal|the time is below 0.001 us"
            "algbw_edited|the in-place algbw 31.2 GB/s disagrees with the time: 1.04858e[+]06 B in 335.85 us is 3.1221[0-9] GB/s of algbw")
  string(REPLACE "|" ";" bad "${bad}")
  list(GET bad 0 file)
  list(GET bad 1 message)
  parse_cli_test("log ${file}" 2 "^commsim: error: [^ ]*log_${file}.log:4: ${message}"
    ${MEASURED} ${PARSE_BAD}/log_${file}.log ${LOG_2x1})
endforeach()
# commbench writes an 8-byte sendrecv of 9.6 ms unrounded, 8.3e-7 GB/s: a real measurement, which the first
# bandwidth floor (1e-6 GB/s) refused; the floor is 1e-12 GB/s (8 bytes in over 2 hours).
parse_cli_test("JSON slow small transfer loads" 0 "sendrecv"
  ${MEASURED} ${PROJECT_SOURCE_DIR}/tests/data/logs/commbench_slow_8B_sendrecv.json --system localhost --gpus 2)
# commbench JSON: a context.nranks of null, "x", [] or 0 was read as unknown ranks, a root past the ranks and
# "complete": "no" were taken, and a key given twice kept its last value.
# Each names its line (the value's; 2026-12-04) and its JSON path.
foreach(bad "nranks_null|2: key 'context.nranks': missing value" "nranks_string|2: key 'context.nranks': expected a number"
            "nranks_list|2: key 'context.nranks': expected a number" "nranks_zero|2: key 'context.nranks': a run has at least 1 rank"
            "root_99|4: key 'results\\[0\\].root': root 99 is not a rank of the 2"
            "complete_no|2: key 'complete': expected true or false"
            "duplicate_key|5: key 'results\\[0\\].time_us': the key is given twice in one object"
            "busbw_edited|7: key 'results\\[1\\].busbw_GBps': 77.792 GB/s disagrees with the time: 1.04858e[+]06 B in 134.79 us on 2 ranks is 7.7793[0-9] GB/s of busbw"
            "algbw_edited|6: key 'results\\[0\\].algbw_GBps': 1.5 GB/s disagrees with the time: 1.04858e[+]06 B in 134.79 us is 7.7793[0-9] GB/s of algbw")
  string(REPLACE "|" ";" bad "${bad}")
  list(GET bad 0 file)
  list(GET bad 1 message)
  parse_cli_test("JSON ${file}" 2 "^commsim: error: [^ ]*commbench_${file}.json:${message}"
    ${MEASURED} ${PARSE_BAD}/commbench_${file}.json --system dgx-h100 --gpus 2)
endforeach()
# Ranks unknown (a CSV's ranks 0, a JSON without context.nranks, a log without Rank lines): a busbw above what
# any rank count allows (2 x algbw for all_reduce) was compared as it stood (bw_err -95.9%, exit 0).
foreach(bad "csv_busbw_ranks_unknown.csv|2: key 'busbw_GBps'" "commbench_busbw_ranks_unknown.json|2: key 'results\\[0\\].busbw_GBps'"
            "log_busbw_ranks_unknown.log|5: the out-of-place busbw")
  string(REPLACE "|" ";" bad "${bad}")
  list(GET bad 0 file)
  list(GET bad 1 where)
  parse_cli_test("busbw ranks unknown: ${file}" 2 "${file}:${where}:? 999 GB/s is more than the time allows on any number of ranks"
    ${MEASURED} ${PARSE_BAD}/${file} --system dgx-h100 --gpus 2)
endforeach()
# The published CSV: its algbw against its time, and a row NCCL cannot run (fp8 reduced on Ampere) at its line:
# out of reach, named (the file's only row: its error, exit 2; beside others it is listed, since 2026-12-06).
parse_cli_test("published algbw edited" 2 "published_algbw_edited.csv:2: key 'algbw_GBps': 999 GB/s disagrees with the time"
  validate collectives ${PARSE_BAD}/published_algbw_edited.csv)
parse_cli_test("published fp8 reduction on Ampere" 2 "published_fp8_ampere.csv:2: key 'dtype': A100_1x8_AR_THANOS: NCCL reduces f8e4m3 only on sm90"
  validate collectives ${PARSE_BAD}/published_fp8_ampere.csv)
# commbench's CSV: the time, algbw and busbw of a row are one measurement (an edited time was compared as it stood).
parse_cli_test("CSV time edited alone" 2 "^commsim: error: [^ ]*csv_time_edited.csv:3: key 'algbw_GBps': 7.7792 GB/s disagrees with the time: 1.04858e[+]06 B in 13.479 us is 77.793[0-9] GB/s of algbw [(]one measurement written twice"
  ${MEASURED} ${PARSE_BAD}/csv_time_edited.csv --system dgx-h100 --gpus 2)
# A known key set null by --set is unset (its default), not "unknown key 'tokens'"; an unknown one still is.
commsim_data_test("train --set a known key to null unsets it" 0 "^ +step time +[0-9.]+ +s "
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set training.tokens=~)
commsim_data_test("train --set an unknown key to null" 2 "^commsim: error: --set: key 'training.bogus': unknown key 'bogus'$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set training.bogus=~)
# Logs as clusters write them (helper-136; tests/data/logs/README.md): monitor lines that start with digits
# (rocm-smi's tables, nvidia-smi dmon) before or inside a table are skipped (they stopped the file); a last row
# cut mid-number is where the run stops (with the note); a second test without its command line is refused
# at its first row, whose redop is not the first test's collective's (it was read as that collective).
parse_cli_test("rocm-smi lines around the table" 0 "rocm_smi_1x8_all_reduce.log,all_reduce,8,1073741824,"
  ${MEASURED} ${PARSE_LOGS}/rocm_smi_1x8_all_reduce.log --system dgx-h100 --format csv)
parse_cli_test("nvidia-smi dmon lines inside the table" 0 "nvidia_smi_dmon_1x8_all_reduce.log,all_reduce,8,1073741824,"
  ${MEASURED} ${PARSE_LOGS}/nvidia_smi_dmon_1x8_all_reduce.log --system dgx-h100 --format csv)
parse_cli_test("a last row cut mid-number" 0 "cut_mid_row_1x8_all_reduce.log: from a log that stops at 512 MiB of its maxBytes 1 GiB"
  ${MEASURED} ${PARSE_LOGS}/cut_mid_row_1x8_all_reduce.log --system dgx-h100)
parse_cli_test("a second test without its command line" 2
  "^commsim: error: [^ ]*concat_all_gather_then_reduce_scatter.log:46: this row's redop 'sum' is not all_gather's, the collective taken from the last [*]_perf command line before it"
  ${MEASURED} ${PARSE_LOGS}/concat_all_gather_then_reduce_scatter.log --system dgx-h100)
# Huawei hccl_test's table (Ascend): the collective from the *_test binary, 8 ranks from mpirun -n, the busbw
# from the algorithm bandwidth with nccl-tests' factor (59.90 x 2 x 7/8 = 104.82 GB/s at 1 GiB); it was refused.
parse_cli_test("hccl_test log" 0 "hccl_test_1x8_all_reduce.log,all_reduce,8,1073741824,17925.70,.*,104.82,"
  ${MEASURED} ${PARSE_LOGS}/hccl_test_1x8_all_reduce.log --system ascend-910b-8 --format csv)
parse_cli_test("nvidia-smi dmon lines with the header's field count" 0 "old_header_dmon_1x8_all_reduce.log,all_reduce,8,"
  ${MEASURED} ${PARSE_LOGS}/old_header_dmon_1x8_all_reduce.log --system dgx-a100 --op all_reduce --format csv)
# hccl_test's own -n is its iteration count (mpirun's, before the binary, is the ranks: 16 on 2 nodes of -p 8),
# a `cd .../hccl_test` line names no test, and a line after the table that starts with a digit is no row
# (helper-139: 20 ranks, exit 2, exit 2). busbw 47.09 x 2 x 15/16 = 88.30 GB/s at 256 MiB.
parse_cli_test("hccl_test: mpirun's ranks, not the test's iterations" 0
  "hccl_test_2x8_all_reduce_iters.log,all_reduce,16,268435456,5700.00,.*,88.30,"
  ${MEASURED} ${PARSE_LOGS}/hccl_test_2x8_all_reduce_iters.log --system ascend-910b-8 --format csv)
