# Output files are whole or absent, and write errors exit 1 (issue 7 item 2; docs/cli.md, "Files").
# Included from tests/CMakeLists.txt: uses COMMSIM_BIN and commsim_cli_test from there.
set(OUTPUT_FILES_TEST ${CMAKE_CURRENT_SOURCE_DIR}/cli/output_files_test.sh)
foreach(scenario keep-old no-partial replace verdict-keeps-report calibrate-in-place calibrate-error-keeps-old
                 calibrate-stdout-full-keeps-old study-no-result-keeps-old
                 dangling-same-file dangling-link input-as-output interrupted hard-link long-name owner
                 read-only no-temporary-there mounted)
  add_test(NAME "cli files: ${scenario}" COMMAND ${OUTPUT_FILES_TEST} ${scenario} ${COMMSIM_BIN} ${PROJECT_SOURCE_DIR})
endforeach()

# Full disk: on --out and on stdout, exit 1 with a message, whatever the command (a verdict included).
function(stdout_full_test name code regex)
  add_test(NAME "cli: files: ${name}" COMMAND ${EXPECT} ${code} "${regex}" sh -c "exec \"$0\" \"$@\" >/dev/full" ${COMMSIM_BIN} ${ARGN})
endfunction()
commsim_cli_test("files: --out /dev/full" 1 "/dev/full: write failed"
  collective --system dgx-h100 -b 1K -e 1G -f 2 --out /dev/full)
stdout_full_test("collective stdout full" 1 "write to standard output failed"
  collective --system dgx-h100 -b 1K -e 1G -f 2)
stdout_full_test("catalog stdout full" 1 "write to standard output failed" catalog)
stdout_full_test("help stdout full" 1 "write to standard output failed" --help)
stdout_full_test("train verdict with stdout full" 1 "write to standard output failed"
  train --model llama3-70b --system dgx-h100 --gpus 8 --tp 8 --seq-len 8192 --global-batch 64)
commsim_cli_test("files: calibrate --out in a missing directory, before the fit" 2 "x/y.yaml.*cannot open output file"
  calibrate --system dgx-a100 --gpus 2 --measured ${PROJECT_SOURCE_DIR}/tests/data/logs/a100_1x2_all_reduce_debug.log
  --out ${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/x/y.yaml)
# plan, study and train --auto opened --out and --html only after the search (minutes for a large plan), so a
# missing directory failed at the end. Opened first now: the error names the output, not the bad candidate
# the search would have reached.
set(FILES_NODIR ${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/x)
set(FILES_PLAN plan --model llama3-8b --tokens 1T --max-gpus 64 --deadline 30d --candidates no-such-system)
commsim_cli_test("files: plan --html in a missing directory, before the search" 2 "x/p.html: cannot open output file"
  ${FILES_PLAN} --html ${FILES_NODIR}/p.html)
commsim_cli_test("files: plan --out in a missing directory, before the search" 2 "x/p.csv: cannot open output file"
  ${FILES_PLAN} --out ${FILES_NODIR}/p.csv)
commsim_cli_test("files: plan --candidates names the flag" 2 "^commsim: error: --candidates: unknown system 'no-such-system'"
  ${FILES_PLAN})
commsim_cli_test("files: study --html in a missing directory" 2 "x/s.html: cannot open output file"
  study --html ${FILES_NODIR}/s.html)
commsim_cli_test("files: train --auto --out in a missing directory" 2 "x/t.csv: cannot open output file"
  train --model llama3-8b --system dgx-h100 --gpus 8 --auto --out ${FILES_NODIR}/t.csv)
# An output naming an input file replaced the input with the result, exit 0 (calibrate --measured F --out F
# turned the log into the calibrated YAML). Run on a copy (DST), so that a regression does not eat the test data.
function(output_is_input_test name regex src dst)
  add_test(NAME "cli: files: ${name}" COMMAND ${EXPECT} 2 "${regex}"
           sh -c "cp \"$0\" \"$1\" && shift && exec \"$@\"" ${src} ${dst} ${COMMSIM_BIN} ${ARGN})
  set_tests_properties("cli: files: ${name}" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
set(FILES_LOG ${CMAKE_CURRENT_BINARY_DIR}/files-input.log)
output_is_input_test("calibrate --out is the --measured file" "--measured and --out name the same file"
  ${PROJECT_SOURCE_DIR}/tests/data/logs/a100_1x2_all_reduce_debug.log ${FILES_LOG}
  calibrate --system dgx-a100 --gpus 2 --measured ${FILES_LOG} --out ${FILES_LOG})
output_is_input_test("validate --out is the --measured file" "--measured and --out name the same file"
  ${PROJECT_SOURCE_DIR}/tests/data/logs/a100_1x2_all_reduce_debug.log ${FILES_LOG}
  validate collectives --system dgx-a100 --gpus 2 --measured ${FILES_LOG} --out ${FILES_LOG})
set(FILES_KB ${CMAKE_CURRENT_BINARY_DIR}/files-input.json)
output_is_input_test("calibrate --out is the --compute file" "--compute and --out name the same file"
  ${PROJECT_SOURCE_DIR}/tests/data/kernelbench/synthetic-h200.json ${FILES_KB} calibrate --compute ${FILES_KB} --out ${FILES_KB})
