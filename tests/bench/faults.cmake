# commbench never hangs and never loses a -J file (issue 7): included from tests/bench/CMakeLists.txt.
#   A killed rank (SIGKILL) ends the job; a stopped rank (SIGSTOP) and a rank whose peer never starts (an MPMD
#   launch with a non-MPI program) are ended by the DEFAULT watchdog within its limit. The -J file is then
#   either the previous file, untouched, or a valid JSON of the rows so far with "complete": false.
#   Every rank must run the same arguments, --help and --version included.
set(fault_small -b 1K -e 4K -f 4 -n 5 -w 1)  # the default -T for this on 2 ranks: 13 s (time_limit.hpp)
set(fault_json ${CMAKE_CURRENT_BINARY_DIR}/fault)
set(fault_interrupted --json-interrupted $<TARGET_FILE:commbench_json_check>)

commbench_test(mpi.fault.killed_rank 2
  CHECKS --rc nonzero --max-seconds 20 ${fault_interrupted} ${fault_json}_killed.json 2
  ARGS --backend mpi ${fault_small} -J ${fault_json}_killed.json ENV COMMBENCH_TEST_RAISE=1:KILL)
commbench_test(mpi.fault.stopped_rank_default_watchdog 2
  CHECKS --rc 1 --max-seconds 30
         --expect "rank 0: error: -T/--timeout of 13 s \\(the default for this sweep"
         --expect "expired during (timing|check) of all_reduce float sum [0-9]+ B (in|out-of)-place"
         ${fault_interrupted} ${fault_json}_stopped.json 2
  ARGS --backend mpi ${fault_small} -J ${fault_json}_stopped.json ENV COMMBENCH_TEST_RAISE=1:STOP)
# Warm-up is per size, so -T bounds the time to the first row: with -w 100 up to 64 MiB, warming every size
# first (nccl-tests' order) would take far longer than 8 s before the first row.
commbench_test(mpi.fault.first_row_within_timeout 2
  CHECKS --rc 1 --max-seconds 25 --expect "^ +1024 +256 +float +sum" --expect "timeout of 8 s \\(-T 8\\) expired"
  ARGS --backend mpi -b 1K -e 64M -f 2 -n 5 -w 100 -T 8 ENV COMMBENCH_TEST_HANG_RANK=1)

# MPMD launches: the second program differs from the first.
function(commbench_mpmd name)
  cmake_parse_arguments(T "" "" "CHECKS;FIRST;SECOND" ${ARGN})
  add_test(NAME commbench.${name}
           COMMAND ${commbench_check} ${T_CHECKS} --
                   ${MPIEXEC_EXECUTABLE} ${commbench_mpi_flags} ${MPIEXEC_NUMPROC_FLAG} 1 ${T_FIRST}
                   : ${MPIEXEC_NUMPROC_FLAG} 1 ${T_SECOND})
  set_tests_properties(commbench.${name} PROPERTIES ENVIRONMENT "${commbench_env}" TIMEOUT 45
                       LABELS "commbench;mpi")
  mpi_private_session(commbench.${name})
endfunction()
# The other process never calls MPI_Init, so this rank's MPI_Init never returns: the watchdog, armed before
# MPI_Init, ends it (no MPI_Abort possible yet: exit 1, and the launcher ends the job).
commbench_mpmd(mpi.fault.mpmd_peer_never_starts
  CHECKS --rc nonzero --max-seconds 30 --expect "expired during MPI_Init"
         ${fault_interrupted} ${fault_json}_mpmd.json 2
  FIRST $<TARGET_FILE:commbench> --backend mpi ${fault_small} -J ${fault_json}_mpmd.json
  SECOND sleep 600)
commbench_mpmd(mpi.help_on_one_rank
  CHECKS --rc 2 --expect "different arguments" --expect "rank 0: --help or --version"
  FIRST $<TARGET_FILE:commbench> --help SECOND $<TARGET_FILE:commbench> --backend mpi ${fault_small})
commbench_mpmd(mpi.version_on_one_rank
  CHECKS --rc 2 --expect "different arguments"
  FIRST $<TARGET_FILE:commbench> --backend mpi ${fault_small} SECOND $<TARGET_FILE:commbench> --version)

# Inputs checked before anything is measured, on every rank, exit 2; an existing -J file survives.
commbench_test(mpi.min_busbw_nan 2 CHECKS --rc 2 --expect "--min-busbw: 'nan' is not a finite number"
  ARGS --backend mpi ${fault_small} --min-busbw nan)
commbench_test(mpi.stepfactor_nan 2 CHECKS --rc 2 --expect "-f/--stepfactor must be a finite number"
  ARGS --backend mpi -f nan)
commbench_test(mpi.ngpus_overflow 2 CHECKS --rc 2 --expect "ranks, more than an int rank count holds"
  ARGS --backend nccl -g 2000000000)
commbench_test(mpi.json_unwritable 2 CHECKS --rc 2 --expect "-J/--output_file: .*nonexistent"
  ARGS --backend mpi ${fault_small} -J ${fault_json}_nonexistent/out.json)
commbench_test(mpi.json_kept_on_input_error 2
  CHECKS --rc 2 --expect "is not a rank" ${fault_interrupted} ${fault_json}_kept.json 2
  ARGS --backend mpi ${fault_small} -r 5 -J ${fault_json}_kept.json)
# A value twice (-d float,fp32: fp32 is float) ran every size twice and exited 0; commsim then refused the JSON
# (a second result for one size). 'all' in a list said "unknown value 'all' (valid: ..., or all)".
commbench_test(mpi.dtype_twice 2
  CHECKS --rc 2 --expect "^commbench: error: -d/--datatype: 'fp32' is float, given twice$"
         ${fault_interrupted} ${fault_json}_twice.json 2
  ARGS --backend mpi -b 1K -e 4K -f 4 -d float,fp32 -J ${fault_json}_twice.json)
commbench_test(mpi.op_twice 2 CHECKS --rc 2 --expect "^commbench: error: --op: 'all_reduce' is given twice$"
  ARGS --backend mpi ${fault_small} --op all_reduce,all_reduce)
commbench_test(mpi.redop_twice_env 2
  CHECKS --rc 2 --expect "^commbench: error: COMMBENCH_REDOP \\(-o/--redop\\): 'sum' is given twice$"
  ARGS --backend mpi ${fault_small} ENV COMMBENCH_REDOP=sum,sum)
commbench_test(mpi.all_not_alone 2
  CHECKS --rc 2 --expect "^commbench: error: --op: 'all' stands alone: it cannot be combined with other names$"
  ARGS --backend mpi ${fault_small} --op all,all_reduce)
# A bad value from a COMMBENCH_* variable named the flag: CLI11's checks ("--format: xml not in {table,csv}"),
# its conversions ("Could not convert: --timeout = 1.5") and the root check after MPI start. A variable set but
# empty ran the default (COMMBENCH_OP= ran all_reduce, exit 0) while the empty value on the command line is exit 2.
commbench_test(mpi.env_format 2
  CHECKS --rc 2 --expect "^commbench: error: COMMBENCH_FORMAT \\(--format\\): xml not in \\{table,csv\\}$"
  ARGS --backend mpi ${fault_small} ENV COMMBENCH_FORMAT=xml)
commbench_test(mpi.env_timeout_fraction 2
  CHECKS --rc 2 --expect "^commbench: error: COMMBENCH_TIMEOUT \\(-T/--timeout\\): '1.5' is not a whole number$"
  ARGS --backend mpi ${fault_small} ENV COMMBENCH_TIMEOUT=1.5)
commbench_test(mpi.env_root 2
  CHECKS --rc 2 --expect "^commbench: error: COMMBENCH_ROOT \\(-r/--root\\) 5 is not a rank \\(there are 2\\)$"
  ARGS --backend mpi ${fault_small} ENV COMMBENCH_ROOT=5)
commbench_test(mpi.env_op_empty 2
  CHECKS --rc 2 --expect "^commbench: error: COMMBENCH_OP \\(--op\\): set but empty \\(unset it for the default\\)$"
  ARGS --backend mpi ${fault_small} ENV COMMBENCH_OP=)

# -J to a named pipe (FIFO) delivered nothing: the start-up check opened and closed it (its reader got end-of-file)
# and the real write then waited for a reader until the watchdog fired (exit 1 after 13 s). Now it is not opened
# before the end, and written once. With no reader the final open waits: the watchdog ends it (exit 1).
set(fault_fifo sh ${CMAKE_CURRENT_SOURCE_DIR}/json_fifo.sh)
add_test(NAME commbench.mpi.json_fifo
         COMMAND ${commbench_check} --rc 0 --max-seconds 30 --table --rows 2 --
                 ${fault_fifo} ${fault_json}_fifo --read ${fault_json}_fifo.out $<TARGET_FILE:commbench_json_check> 2 4 --
                 ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 2 ${commbench_mpi_flags} ${MPIEXEC_PREFLAGS}
                 $<TARGET_FILE:commbench> ${MPIEXEC_POSTFLAGS} --backend mpi ${fault_small} -J ${fault_json}_fifo)
add_test(NAME commbench.mpi.json_fifo_no_reader
         COMMAND ${commbench_check} --rc 1 --max-seconds 25
                 --expect "rank 0: error: -T/--timeout of 4 s \\(-T 4\\) expired during writing the results" --
                 ${fault_fifo} ${fault_json}_fifo_unread --
                 ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 2 ${commbench_mpi_flags} ${MPIEXEC_PREFLAGS}
                 $<TARGET_FILE:commbench> ${MPIEXEC_POSTFLAGS} --backend mpi ${fault_small} -T 4 -J ${fault_json}_fifo_unread)
set_tests_properties(commbench.mpi.json_fifo commbench.mpi.json_fifo_no_reader PROPERTIES
                     ENVIRONMENT "${commbench_env}" TIMEOUT 45 LABELS "commbench;mpi")
mpi_private_session(commbench.mpi.json_fifo commbench.mpi.json_fifo_no_reader)
# -J /proc/version said "cannot open output file for writing: No such file or directory" of a file that exists:
# the errno of the temporary beside it, which /proc cannot hold. The message now says which file failed.
if(EXISTS /proc/version)
  commbench_test(mpi.json_proc_file 2
    CHECKS --rc 2 --expect "^commbench: error: -J/--output_file: /proc/version: cannot create a file in /proc \\(the JSON is written to a temporary file there, then renamed to version\\): "
    ARGS --backend mpi ${fault_small} -J /proc/version)
endif()
commbench_test(mpi.op_reduce_alias 2 CHECKS --csv 4 ARGS --backend mpi ${fault_small} --op-reduce max --format csv)

set_tests_properties(commbench.mpi.fault.killed_rank commbench.mpi.fault.stopped_rank_default_watchdog
                     commbench.mpi.fault.first_row_within_timeout PROPERTIES TIMEOUT 45)

# A full disk on stdout is a failure (exit 1), not a run that exits 0 having lost its table. Run as an MPI
# singleton (no mpirun), so that commbench's own stdout is /dev/full.
foreach(what run help)
  set(args --backend mpi -b 1K -e 1K -n 2)
  if(what STREQUAL help)
    set(args --help)
  endif()
  list(JOIN args " " args)
  add_test(NAME commbench.mpi.stdout_full_${what}
           COMMAND ${commbench_check} --rc 1 --expect "write to standard output failed" --
                   sh -c "$<TARGET_FILE:commbench> ${args} >/dev/full")
  set_tests_properties(commbench.mpi.stdout_full_${what} PROPERTIES ENVIRONMENT "${commbench_env}" TIMEOUT 30
                       LABELS "commbench;mpi")
  mpi_private_session(commbench.mpi.stdout_full_${what})
endforeach()

# A closed stdout pipe (`commbench ... | head -1`) is a write error, exit 1, the -J file written whole: SIGPIPE
# killed the run (141), no message, no file. As an MPI singleton, so that commbench's own stdout is the pipe.
add_test(NAME commbench.mpi.stdout_closed_pipe
         COMMAND ${commbench_check} --rc 0 --expect "^rc=1$" --expect "write to standard output failed" --expect "^json complete$" --
                 sh -c "rm -f \"$0\"; { $<TARGET_FILE:commbench> --backend mpi -b 1K -e 1M -f 2 -n 2 -J \"$0\"; echo rc=$? >&2; } | head -1 >/dev/null
                        grep -q '\"complete\": true' \"$0\" && echo 'json complete'" ${CMAKE_CURRENT_BINARY_DIR}/closed_pipe.json)
set_tests_properties(commbench.mpi.stdout_closed_pipe PROPERTIES ENVIRONMENT "${commbench_env}" TIMEOUT 30
                     LABELS "commbench;mpi")
mpi_private_session(commbench.mpi.stdout_closed_pipe)

# -J '' (a variable left unset) ran and wrote no file; now exit 2 before anything runs. Run as an MPI singleton:
# sh passes the empty argument, which CMake would drop.
add_test(NAME commbench.mpi.json_empty_name
         COMMAND ${commbench_check} --rc 2 --expect "--output_file: empty file name" --
                 sh -c "$<TARGET_FILE:commbench> --backend mpi -b 1K -e 1K -n 2 -J ''")
set_tests_properties(commbench.mpi.json_empty_name PROPERTIES ENVIRONMENT "${commbench_env}" TIMEOUT 30
                     LABELS "commbench;mpi")
mpi_private_session(commbench.mpi.json_empty_name)
