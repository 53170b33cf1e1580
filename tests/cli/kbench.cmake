# kernelbench (bench/kernelbench) and `commsim calibrate --compute` (docs/benchmark.md, "kernelbench").
set(KB ${DATA}/kernelbench)

# calibrate --compute on the synthetic H200 file (generated from the kernel model with gemm_bf16 0.70,
# gemm_fp8_tensor 0.62, epilogue 2.5 us, memory 0.65, grouped 0.75 and +-2% noise; tests/unit/kbench_test.cpp):
# the fit gives them back and the written file, read back by validate kernels, moves the 8192^3 bf16
# prediction from 793.8 TFLOPS (shipped constants today, +22%; the test asks for >= 10%) to the measured 649
# within 1%.
set(kb_out ${CMAKE_CURRENT_BINARY_DIR}/kbench-hopper.yaml)
add_test(NAME "cli: calibrate --compute synthetic H200"
         COMMAND ${EXPECT} 0 "fitted: epilogue [0-9.]+us -> 2\\.[45][0-9]us gemm_bf16 [0-9.]+ -> 0\\.70[0-9] gemm_fp8_tensor [0-9.]+ -> 0\\.6[12][0-9] grouped [0-9.]+ -> 0\\.7[3-6][0-9] memory [0-9.]+ -> 0\\.6[45][0-9]"
                 ${COMMSIM_BIN} calibrate --compute ${KB}/synthetic-h200.json --out ${kb_out})
set_tests_properties("cli: calibrate --compute synthetic H200" PROPERTIES FIXTURES_SETUP kbench_calibrated)
add_test(NAME "cli: validate kernels shipped constants (synthetic H200 row)"
         COMMAND ${EXPECT} 0 "synthetic_1 +hopper +bf16 +8192x8192x8192 +649\\.1 +[0-9.]+ +[1-9][0-9]\\.[0-9]%"
                 ${COMMSIM_BIN} validate kernels ${KB}/synthetic-h200.csv --mapping ${KB}/mapping.yaml)
add_test(NAME "cli: validate kernels --compute-efficiency reads the calibrated file back"
         COMMAND ${EXPECT} 0 "synthetic_1 +hopper +bf16 +8192x8192x8192 +649\\.1 +6[45][0-9]\\.[0-9] +-?0\\.[0-9]%"
                 ${COMMSIM_BIN} validate kernels ${KB}/synthetic-h200.csv --mapping ${KB}/mapping.yaml --compute-efficiency ${kb_out})
set_tests_properties("cli: validate kernels --compute-efficiency reads the calibrated file back" PROPERTIES FIXTURES_REQUIRED kbench_calibrated)

commsim_cli_test("calibrate --compute bad row" 2 "kbench_bad_row.json:17: key 'results\\[0\\]\\.M': the M is negative"
                 calibrate --compute ${DATA}/bad/kbench_bad_row.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute JSON syntax" 2 "kbench_syntax.json:3:[0-9]+: JSON syntax error [(]not a value, or a value ending early, at this column[)]$"
                 calibrate --compute ${DATA}/bad/kbench_syntax.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute unknown GPU" 2 "key 'context.gpu.name': no catalog GPU matches 'Mystery GPU 9000'.*give --gpu NAME"
                 calibrate --compute ${DATA}/bad/kbench_unknown_gpu.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute one row fits nothing" 2 "key 'results': no constant of the kernel model has two rows"
                 calibrate --compute ${DATA}/bad/kbench_one_row.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute precision not modelled" 2 "key 'results\\[1\\]\\.precision': mxfp8 is not modelled on h200-sxm"
                 calibrate --compute ${DATA}/bad/kbench_mxfp8_hopper.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute unknown --gpu" 2 "unknown GPU 'nope'"
                 calibrate --compute ${KB}/synthetic-h200.json --gpu nope --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute with --measured" 2 "--compute and --measured: give one"
                 calibrate --compute ${KB}/synthetic-h200.json --measured x.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
# --format json (and the other flags of the collective fit) were ignored with --compute: the table, exit 0.
commsim_cli_test("calibrate --compute --format" 2 "--format applies to --measured, not to --compute"
                 calibrate --compute ${KB}/synthetic-h200.json --format json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
# --system was read and dropped with --compute (exit 0); COMMSIM_SYSTEM, exported for other commands, is not a flag.
commsim_cli_test("calibrate --compute --system" 2 "^commsim: error: --system applies to --measured, not to --compute"
                 calibrate --compute ${KB}/synthetic-h200.json --system dgx-h100 --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --compute beside COMMSIM_SYSTEM" 0 "synthetic"
                 calibrate --compute ${KB}/synthetic-h200.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-env.yaml)
set_tests_properties("cli: calibrate --compute beside COMMSIM_SYSTEM" PROPERTIES ENVIRONMENT "COMMSIM_SYSTEM=dgx-h100")
# --gpu naming a GPU without kernel constants (host-cpu) blamed the data file, not the flag.
commsim_cli_test("calibrate --compute --gpu without kernel constants" 2 "^commsim: error: --gpu: .*no entry for 'cpu'"
                 calibrate --compute ${KB}/synthetic-h200.json --gpu host-cpu --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("calibrate --gpu needs --compute" 2 "--gpu needs --compute" calibrate --gpu h200-sxm --out ${CMAKE_CURRENT_BINARY_DIR}/kb-bad.yaml)
commsim_cli_test("validate kernels --compute-efficiency wrong kind" 2 "mapping.yaml:4:7: key 'kind': expected kind: kernel_calibration"
                 validate kernels ${KB}/synthetic-h200.csv --mapping ${KB}/mapping.yaml --compute-efficiency ${KB}/mapping.yaml)

# kernelbench's host side (built with or without CUDA): options, shape files, the JSON contract.
add_executable(kernelbench_unit_tests ${CMAKE_CURRENT_SOURCE_DIR}/bench/kernelbench_test.cpp)
target_link_libraries(kernelbench_unit_tests PRIVATE kernelbench_core commsim_study Catch2::Catch2WithMain)
catch_discover_tests(kernelbench_unit_tests TEST_PREFIX "kernelbench.unit." PROPERTIES LABELS "kernelbench;unit"
                     ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")

if(NOT TARGET kernelbench)
  message(STATUS "kernelbench CLI tests: skipped (kernelbench is not built)")
  return()
endif()
set(KBENCH_BIN $<TARGET_FILE:kernelbench>)
# On a GPU machine it times the shape list; here (no CUDA device) it exits 77, which ctest counts as skipped.
add_test(NAME "kernelbench: shape list (skipped without a GPU)"
         COMMAND ${KBENCH_BIN} --shapes ${KB}/shapes.txt -w 2 -n 5 -T 120 -J ${CMAKE_CURRENT_BINARY_DIR}/kernelbench.json)
set_tests_properties("kernelbench: shape list (skipped without a GPU)" PROPERTIES SKIP_RETURN_CODE 77 LABELS "kernelbench;gpu")
# Bad arguments exit 2 before any GPU is looked for.
add_test(NAME "kernelbench: bad shape" COMMAND ${EXPECT} 2 "--gemm: '4096x4096' is not MxNxK" ${KBENCH_BIN} --gemm 4096x4096)
add_test(NAME "kernelbench: zero dimension" COMMAND ${EXPECT} 2 "'0' in '8x0x1x2' is not a whole number in \\[1, 1048576\\]" ${KBENCH_BIN} --grouped 8x0x1x2)
add_test(NAME "kernelbench: unknown precision" COMMAND ${EXPECT} 2 "unknown precision 'fp4'" ${KBENCH_BIN} --gemm 8x8x8 -p fp4)
add_test(NAME "kernelbench: no case" COMMAND ${EXPECT} 2 "no case to time" ${KBENCH_BIN} -n 5)
# Cases calibrate --compute refuses were timed first (one case_id on two rows; more groups than it reads).
add_test(NAME "kernelbench: a case twice" COMMAND ${EXPECT} 2 "gemm_64x64x64_bf16 is also given by --gemm 64x64x64: each case once"
         ${KBENCH_BIN} --gemm 64x64x64,64x64x64)
add_test(NAME "kernelbench: too many groups" COMMAND ${EXPECT} 2 "--grouped 100000x1x1x1: 100000 groups: at most 65536"
         ${KBENCH_BIN} --grouped 100000x1x1x1)
add_test(NAME "kernelbench: bad shape-list line" COMMAND ${EXPECT} 2 "kbench_shapes.txt:3: expected gemm M N K" ${KBENCH_BIN} --shapes ${DATA}/bad/kbench_shapes.txt)
# A byte order mark was part of the first kind ("unknown kind '\ufeffgemm'"); a trailing comma was dropped.
add_test(NAME "kernelbench: a shape list with a byte order mark" COMMAND ${EXPECT} 2 "kbench_shapes_bom.txt:2: expected gemm M N K"
         ${KBENCH_BIN} --shapes ${DATA}/bad/kbench_shapes_bom.txt)
add_test(NAME "kernelbench: a trailing comma" COMMAND ${EXPECT} 2 "--gemm: empty name in the list '64x64x64,'" ${KBENCH_BIN} --gemm 64x64x64,)
add_test(NAME "kernelbench: a directory as the shape list" COMMAND ${EXPECT} 2 "bad: is a directory, not a file" ${KBENCH_BIN} --shapes ${DATA}/bad)
add_test(NAME "kernelbench: bad iterations" COMMAND ${EXPECT} 2 "-n/--iters: '0' is not a whole number in \\[1, 100000\\]" ${KBENCH_BIN} --gemm 8x8x8 -n 0)
add_test(NAME "kernelbench: unknown format" COMMAND ${EXPECT} 2 "--format: unknown format 'xml'" ${KBENCH_BIN} --gemm 8x8x8 --format xml)
# -J into a directory or a missing directory did not name the flag (commbench does); -J '' timed everything
# and wrote no file. Each is exit 2 before any GPU is looked for.
add_test(NAME "kernelbench: -J a directory names the flag"
         COMMAND ${EXPECT} 2 "^kernelbench: error: -J/--output_file: .*: cannot write output file: it is a directory"
                 ${KBENCH_BIN} --gemm 8x8x8 -J ${CMAKE_CURRENT_BINARY_DIR})
add_test(NAME "kernelbench: -J in a missing directory names the flag"
         COMMAND ${EXPECT} 2 "^kernelbench: error: -J/--output_file: .*no-such-dir/kb.json: cannot open output file"
                 ${KBENCH_BIN} --gemm 8x8x8 -J ${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/kb.json)
add_test(NAME "kernelbench: -J empty"
         COMMAND ${EXPECT} 2 "^kernelbench: error: -J/--output_file: empty file name" sh -c "\"$0\" --gemm 8x8x8 -J ''" ${KBENCH_BIN})
# --gpu of another architecture wrote that architecture's constants from an H200's measurements; --gpu '' fell
# back to the file's GPU name silently.
commsim_data_test("calibrate --compute --gpu of another architecture" 2
  "^commsim: error: --gpu: mi300x is cdna3, but the file ran on NVIDIA H200 [(]catalog h200-sxm, hopper[)]$"
  calibrate --compute ${PROJECT_SOURCE_DIR}/tests/data/kernelbench/synthetic-h200.json --gpu mi300x --out ${CMAKE_CURRENT_BINARY_DIR}/kb-never.yaml)
add_test(NAME "cli: calibrate --compute --gpu empty" COMMAND ${EXPECT} 2 "^commsim: error: --gpu: empty name"
         ${COMMSIM_BIN} calibrate --compute ${PROJECT_SOURCE_DIR}/tests/data/kernelbench/synthetic-h200.json --gpu ""
         --out ${CMAKE_CURRENT_BINARY_DIR}/kb-never.yaml)
set_tests_properties("cli: calibrate --compute --gpu empty" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# Measurements the kernel model cannot be fitted to write nothing (exit 2): a value above the catalog's dense peak
# pinned the efficiencies at their upper bound as "measurements"; 1000x slow rows left every constant at a bound
# and a median error of 4950%, exit 0 (2026-12-04). Both files are synthetic-h200.json scaled.
commsim_data_test("calibrate --compute refuses a value above the dense peak" 2
  "^commsim: error: [^ ]*above-peak.json:23: key 'results[[]0[]].value': 1039 TFLOPS is above h200-sxm's dense bf16 peak"
  calibrate --compute ${KB}/above-peak.json --out ${CMAKE_CURRENT_BINARY_DIR}/kbench-above-peak.yaml)
# Rows of another GPU than the context's were fitted as the context's GPU.
commsim_data_test("calibrate --compute refuses a row of another GPU" 2
  "^commsim: error: [^ ]*two-gpus.json:[0-9]+: key 'results[[]1[]].gpu': 'NVIDIA B200' is not the file's GPU"
  calibrate --compute ${KB}/two-gpus.json --out ${CMAKE_CURRENT_BINARY_DIR}/kbench-two-gpus.yaml)
commsim_data_test("calibrate --compute refuses a fit that describes nothing" 2
  "^commsim: error: [^ ]*thousandth.json: key 'results': the kernel model cannot describe these measurements: after the fit the median [|]error[|] is [0-9]+%"
  calibrate --compute ${KB}/thousandth.json --out ${CMAKE_CURRENT_BINARY_DIR}/kbench-thousandth.yaml)
# A line break in a case_id printed a fake table row; 1e999 named no line (2026-12-04).
commsim_data_test("calibrate --compute refuses a line break in a case_id" 2
  "^commsim: error: [^ ]*case-id-newline.json:[0-9]+: key 'results[[]0[]].case_id': a line break or control character"
  calibrate --compute ${KB}/case-id-newline.json --out ${CMAKE_CURRENT_BINARY_DIR}/kbench-newline.yaml)
commsim_data_test("calibrate --compute names the line of a number out of range" 2
  "^commsim: error: [^ ]*m-overflow.json:[0-9]+: key 'results[[]0[]].M': a number out of a double's range"
  calibrate --compute ${KB}/m-overflow.json --out ${CMAKE_CURRENT_BINARY_DIR}/kbench-overflow.yaml)

# Review, 2026-12-06: shapes a kernel does not run and a gemm row with groups were predicted (calibrate
# --compute refused the same row); an SM count far from the catalog GPU's was fitted and written as a
# measurement of it (1 SM for an H200: the epilogue 1.48 us -> 0.02 us); a calibrated file without
# gemm_bf16 was refused later, naming the shipped file, no line and no GPU.
commsim_data_test("validate kernels: K/V heads that do not divide the query heads" 2
  "kernels_heads_not_dividing.csv:2: key 'heads': '128q/7kv': the K/V heads \\(7\\) do not divide the query heads \\(128\\)"
  validate kernels ${DATA}/bad/kernels_heads_not_dividing.csv)
commsim_data_test("validate kernels: a head dimension no kernel runs" 2
  "kernels_head_dim_huge.csv:2: key 'head_dim': '100000' is not a head dimension from 1 to 1024"
  validate kernels ${DATA}/bad/kernels_head_dim_huge.csv)
commsim_data_test("validate kernels: a gemm row with groups" 2
  "kernels_gemm_groups.csv:2: key 'groups': '4': a gemm row's groups must be 1 or empty"
  validate kernels ${DATA}/bad/kernels_gemm_groups.csv)
commsim_data_test("calibrate --compute: an SM count far from the catalog GPU's" 2
  "kbench_one_sm.json: key 'context.gpu.sms': the GPU ran with 1 SM\\(s\\), and the catalog's h200-sxm has 132"
  calibrate --compute ${DATA}/bad/kbench_one_sm.json --out ${CMAKE_CURRENT_BINARY_DIR}/kb-never.yaml)
add_test(NAME "cli: validate kernels: a calibrated file without gemm_bf16 names its line"
         COMMAND ${EXPECT} 2 "nobf16.yaml:9:7: key 'kernels.archs.hopper.gemm_bf16': missing required ratio"
                 sh -c "\"$1\" calibrate --compute \"$2/synthetic-h200.json\" --out \"$3/kb-full.yaml\" >/dev/null && sed '/^      gemm_bf16:/d' \"$3/kb-full.yaml\" >\"$3/nobf16.yaml\" && \"$1\" validate kernels \"$2/synthetic-h200.csv\" --mapping \"$2/mapping.yaml\" --compute-efficiency \"$3/nobf16.yaml\""
                 sh ${COMMSIM_BIN} ${KB} ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties("cli: validate kernels: a calibrated file without gemm_bf16 names its line" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# nvfp4 is a precision kernelbench times (sm_100 and later; skipped with a note before): the list reads it (a
# bad list exits 2), and without a GPU the run skips (77).
add_test(NAME "kernelbench: nvfp4 in the precision list"
         COMMAND ${KBENCH_BIN} --gemm 256x256x256 -p bf16,nvfp4 -w 1 -n 3 -T 60 -J ${CMAKE_CURRENT_BINARY_DIR}/kernelbench-nvfp4.json)
set_tests_properties("kernelbench: nvfp4 in the precision list" PROPERTIES SKIP_RETURN_CODE 77 LABELS "kernelbench;gpu")
