# The error contract (docs/cli.md, "Exit codes") as a script meets it: odd inputs found by an audit, each one
# message naming the flag, file or key, and exit 2 (or the right answer). Included from tests/CMakeLists.txt.
macro(contract_test name code regex)
  commsim_cli_test("contract: ${name}" ${code} "${regex}" ${ARGN})
endmacro()

# CLI11's own flag errors carry the same prefix as every other error.
contract_test("flag parse error has the error prefix" 2 "^commsim: error: --gpus: must be at least 1, got -1"
              collective --system dgx-h100 --gpus -1)
# -b = -e = 2^64 - 1 is one size, not a wrapped sweep of 100000 points.
contract_test("size sweep at 2^64 - 1 is one point" 0 "18446744073709551612"
              collective --system dgx-h100 -b 18446744073709551615 -e 18446744073709551615)
contract_test("max below min names the flags and sizes" 2 "-b/-e/-f/-i: maximum size 1024 is smaller than the minimum size 1048576"
              collective --system dgx-h100 -b 1M -e 1K)
# A CSV saved by a spreadsheet starts with a UTF-8 byte order mark: read as the header's first name, it hid
# the case_id column ("the CSV has no column 'case_id'").
contract_test("CSV with a UTF-8 byte order mark" 0 "A3MEGA_H100_2x8_AR +all_reduce"
              validate collectives ${DATA}/contract/nccl_bom.csv)
# plan: a NaN TPP bound compared false to every TPP and dropped nothing; an empty --candidates item was
# skipped (--op rejects one) and a repeated one planned twice.
set(CONTRACT_PLAN plan --model llama3-8b --tokens 1T --max-gpus 64 --deadline 30d)
contract_test("plan --max-tpp nan" 2 "--max-tpp: 'nan' is not a decimal number" ${CONTRACT_PLAN} --candidates dgx-h100 --max-tpp nan)
contract_test("plan --candidates with an empty item" 2 "--candidates: empty system name in 'dgx-h100,,'"
              ${CONTRACT_PLAN} --candidates dgx-h100,,)
add_test(NAME "cli: contract: plan --candidates repeated is planned once"
         COMMAND sh -c "test \"$(\"$0\" \"$@\" --format csv | grep -c '^dgx-h100,')\" = 1" ${COMMSIM_BIN} ${CONTRACT_PLAN}
                 --candidates dgx-h100,dgx-h100)
# calibrate: --out "" ran the fit, then failed to rename (exit 1); a file given twice to --measured counted its
# rows twice in the fit; --fit-sizes errors did not name the flag.
set(CONTRACT_LOG ${DATA}/logs/a100_1x2_all_reduce_debug.log)
set(CONTRACT_CAL calibrate --system dgx-a100 --gpus 2 --measured ${CONTRACT_LOG})
# (CMake drops an empty argument: sh passes it.)
add_test(NAME "cli: contract: calibrate --out empty"
         COMMAND ${EXPECT} 2 "--out: empty file name" sh -c "\"$0\" \"$@\" --out ''" ${COMMSIM_BIN} ${CONTRACT_CAL})
# The same for every output flag: --out '' (train, collective, validate...) wrote to stdout with exit 0 and
# sweep --csv '' or --html '' wrote no file.
add_test(NAME "cli: contract: train -O empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --out: empty file name" sh -c "\"$0\" \"$@\" -O ''" ${COMMSIM_BIN}
                 train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml)
add_test(NAME "cli: contract: sweep --csv empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --csv: empty file name" sh -c "\"$0\" \"$@\" --csv ''" ${COMMSIM_BIN}
                 sweep ${DATA}/sweep/zip_where.yaml --quiet)
# calibrate keeps the system's default scale: one no topology can be built at (`nodes: 300000`, or 2 nodes of a
# one-host system) made a file every command then refused at that scale (2026-12-04).
contract_test("calibrate: a default scale beyond the rank limit" 2 "^commsim: error: --set: key 'nodes': the calibrated file [(]--out[)] would keep a default scale no command can run: system 'dgx-a100' [(]300000 nodes[)]: 2400000 ranks"
              ${CONTRACT_CAL} --out ${CMAKE_CURRENT_BINARY_DIR}/contract-nodes.yaml --set nodes=300000)
contract_test("calibrate: a default scale of several nodes without NICs" 2 "^commsim: error: --set: key 'nodes': the calibrated file [(]--out[)] would keep a default scale no command can run: .*has no NIC"
              calibrate --system localhost --gpus 2 --measured ${CONTRACT_LOG} --out ${CMAKE_CURRENT_BINARY_DIR}/contract-nodes.yaml --set nodes=2)
# A first word that is no command said only "A subcommand is required"; --set model.moe.experts below top_k named
# the model file's top_k line (2026-12-04).
# A single-valued flag given twice: CLI11's "At Most 1 required but received 2" reworded.
contract_test("a flag given twice" 2 "^commsim: error: --nodes: given 2 times: give it once$"
              collective --system dgx-h100 --nodes 1 --nodes 2)
contract_test("unknown command is named" 2 "^commsim: error: unknown command 'bogus' [(]valid: collective, topo, validate"
              bogus)
commsim_data_test("contract: --set experts below top_k names --set" 2 "^commsim: error: --set: key 'model.moe.experts': top_k 2 exceeds the number of experts [(]1[)]"
                  train mixtral-8x7b-h100 --set model.moe.experts=1)
commsim_data_test("contract: --set layers below dense_layers names --set" 2 "^commsim: error: --set: key 'model.layers': dense_layers 3 exceeds layers [(]2[)]"
                  train deepseek-v3-h800 --set model.layers=2)
# A byte-identical copy under another name counted twice in the fit (bandwidth_scale 0.135 -> 0.068, 2026-12-04).
file(COPY_FILE ${CONTRACT_LOG} ${CMAKE_CURRENT_BINARY_DIR}/contract-copy-of-a100.log)
contract_test("calibrate --measured a copy" 2 "--measured: '.*contract-copy-of-a100.log' has the same content as '.*a100_1x2_all_reduce_debug.log'"
              ${CONTRACT_CAL} --measured ${CMAKE_CURRENT_BINARY_DIR}/contract-copy-of-a100.log --out ${CMAKE_CURRENT_BINARY_DIR}/contract-copy.yaml)
contract_test("unknown flag beside a missing required one names the flag" 2 "^commsim: error: The following argument was not expected: --bogus-flag"
              topo --bogus-flag)
# A measured file from a pipe is read once (the copy check read it twice, and the second read found nothing).
add_test(NAME "cli: contract: --measured from a pipe"
         COMMAND ${EXPECT} 0 "^all_reduce +3 " sh -c "cat \"$1\" | \"$0\" validate collectives --system dgx-a100 --measured /dev/stdin"
                 ${COMMSIM_BIN} ${CONTRACT_LOG})
set_tests_properties("cli: contract: --measured from a pipe" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# Every op is predicted before any output: --algo mesh --op all printed three tables, then the error (2026-12-04).
add_test(NAME "cli: contract: collective --algo that cannot run one op writes nothing"
         COMMAND ${EXPECT} 0 "^0$" sh -c "\"$0\" collective -s mi300x-8 --algo mesh --op all 2>/dev/null | wc -c" ${COMMSIM_BIN})
set_tests_properties("cli: contract: collective --algo that cannot run one op writes nothing" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# The older study form: a skipped point's time and busbw, and its nodes where its scale does not resolve, are
# empty (JSON null), not 0 (nodes was 0 until 2026-12-05); a study whose every
# point was skipped is exit 2 (a table of n/a, exit 0, until 2026-12-04).
commsim_data_test("contract: study skipped point has no busbw" 0 "^ascend-910b-8,ascend-910b,262145,,alltoall,,,,,gpus 262145"
                  study default --set "gpus=[8, 262145]" --format csv)
commsim_data_test("contract: study with every point skipped" 2 "^commsim: error: every point of study 'collectives-1GiB' was skipped"
                  study default --set "gpus=[262145]")
contract_test("calibrate --measured twice" 2 "--measured: '.*a100_1x2_all_reduce_debug.log' is given twice"
              ${CONTRACT_CAL} --measured ${CONTRACT_LOG} --out ${CMAKE_CURRENT_BINARY_DIR}/contract-twice.yaml)
contract_test("calibrate --fit-sizes names the flag" 2 "--fit-sizes: size selection '1M:1K'"
              ${CONTRACT_CAL} --fit-sizes 1M:1K --out ${CMAKE_CURRENT_BINARY_DIR}/contract-sizes.yaml)
contract_test("validate --sizes names the flag" 2 "--sizes: size selection 'x'"
              validate collectives --system dgx-a100 --gpus 2 --measured ${CONTRACT_LOG} --sizes x)
add_test(NAME "cli: contract: validate --sizes empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --sizes: empty selection" sh -c "\"$0\" \"$@\" --sizes ''"
                 ${COMMSIM_BIN} validate collectives --system dgx-a100 --gpus 2 --measured ${CONTRACT_LOG})
# train: layers = INT_MAX wrapped "layers + embedding + loss" to -2147483647 in the message; since 2026-12-04
# a model has at most 100,000 layers.
contract_test("train --set model.layers at INT_MAX" 2 "key 'model.layers': 2147483647 exceeds 100000"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model.layers=2147483647)
# train: a cluster that does not divide named the collective command's --gpus, whatever set it (a config's
# cluster.gpus, --set); a bad layout or batch from --set/--gpus/--micro-batch was blamed on the file's line.
contract_test("train cluster.gpus from the file names its line" 2
              "cluster_gpus_12.yaml:3:[0-9]+: cluster.gpus 12 is not a multiple of the 8 GPUs per node"
              train ${DATA}/contract/cluster_gpus_12.yaml)
# On a supernode the rule is an even split over the fewest racks (100 runs as 2 x 50): 2300 said only "not a
# multiple of 72". It names the rule and the nearest counts that split.
contract_test("topo --gpus that no rack count splits" 2
              "^commsim: error: --gpus 2300 is not a multiple of the 72 GPUs per node of system 'gb200-nvl72', nor split evenly over the 32 nodes that hold it .*2272 or 2304 GPUs would"
              topo --system gb200-nvl72 --gpus 2300)
contract_test("topo --gpus: the suggested counts run" 2 "289 is not a multiple .* 288 or 290 GPUs would"
              topo --system gb200-nvl72 --gpus 289)
# A leading zero made CLI11 read the count as octal (--nodes 010 ran 8 nodes).
contract_test("collective --nodes 010" 2 "^commsim: error: --nodes: '010' is not a whole number as written [(]a leading zero[)]"
              collective --system dgx-h100 --op all_reduce --nodes 010)
contract_test("train --set cluster.gpus_per_node blamed" 2 "^commsim: error: --set: cluster.gpus_per_node 9 exceeds"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set cluster.gpus_per_node=9)
# (Since 2026-12-07 a GPU count from the command line drops the file's dp: the layout it leaves is checked.)
contract_test("train --set cluster.gpus blamed for the layout" 2 "^commsim: error: --set: parallelism: tp.pp.cp = 32 does not divide the 16 GPUs"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set cluster.gpus=16)
contract_test("train --micro-batch blamed for the batch" 2 "^commsim: error: --micro-batch: training.global_batch: 1024 is not divisible"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --micro-batch 3)
# Two outputs named alike: the one written last replaced the other (sweep --csv F --jsonl F kept only the CSV,
# exit 0). Now exit 2 before anything runs; devices such as /dev/null may be shared.
contract_test("sweep --csv and --jsonl the same file" 2 "--csv and --jsonl name the same file"
              sweep ${DATA}/sweep/zip_where.yaml --csv ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out
              --jsonl ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out)
contract_test("study --out and --html the same file" 2 "--out and --html name the same file"
              study --out ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out --html ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out)
contract_test("plan --out and --html the same file" 2 "--out and --html name the same file"
              ${CONTRACT_PLAN} --candidates dgx-h100 --out ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out
              --html ${CMAKE_CURRENT_BINARY_DIR}/contract-same.out)
contract_test("sweep --csv and --jsonl both /dev/null" 0 "" sweep ${DATA}/sweep/zip_where.yaml --csv /dev/null --jsonl /dev/null)
# A bad --format (or COMMSIM_FORMAT) said "unknown format 'xml'" without the flag, in collective, train,
# study, plan and catalog (the validate commands and topo named it).
# -b 0 with a factor: 0, 1 and 2 B of floats are all 0 bytes; three alike rows were printed (2026-12-05).
contract_test("collective sizes that round to no element are left out" 2
              "^commsim: error: all_reduce: no size from -b/--minbytes 1 to -e/--maxbytes 3 is left on 8 ranks"
              collective --system dgx-h100 -b 1 -e 3 -f 2 --op all_reduce --format csv)
# --op all leaves out, named, an op none of whose sizes is left (all_gather's 16 bytes per rank), as it leaves out
# an fp8 reduction; the others run.
contract_test("collective --op all leaves out an op with no size left" 0
              "^commsim collective: --op all: all_gather, reduce_scatter, alltoall not predicted: no size from -b 4 to -e 64"
              collective --system dgx-h100 -b 4 -e 64 --op all --format csv)
contract_test("collective with no size holding an element" 2
              "^commsim: error: all_reduce: no size from -b/--minbytes 0 to -e/--maxbytes 0 is left on 8 ranks"
              collective --system dgx-h100 -b 0 -e 0 --op all_reduce)
# --algo in any case, as NCCL_ALGO reads it (COMMSIM_ALGO=RING was refused where COMMSIM_PROTO=ll was read).
contract_test("collective --algo in upper case" 0 "^ +1048576 +262144 +float +sum +-1 .* ring +"
              collective --system dgx-h100 -b 1M -e 1M --algo RING)
# -f 0x10 was read as 16 (strtod's hex), where every other count and factor is a decimal number.
contract_test("collective -f in hex" 2 "^commsim: error: --stepfactor: '0x10' is not a decimal number"
              collective --system dgx-h100 -b 1M -e 16M -f 0x10)
contract_test("collective --format names the flag" 2 "^commsim: error: --format: unknown format 'xml'"
              collective --system dgx-h100 --format xml)
# COMMSIM_FORMAT is the default of the commands that have that format, and left alone by the others: csv
# stopped `catalog` (exit 2), table stopped `topo`; a value no command has is an error.
macro(format_env_test name value code regex)
  commsim_cli_test("contract: COMMSIM_FORMAT=${value} ${name}" ${code} "${regex}" ${ARGN})
  set_tests_properties("cli: contract: COMMSIM_FORMAT=${value} ${name}" PROPERTIES ENVIRONMENT
                       "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR};COMMSIM_FORMAT=${value}")
endmacro()
format_env_test("plain catalog is its table" csv 0 "# systems" catalog)
format_env_test("topo keeps its text" table 0 "^system: dgx-h100" topo --system dgx-h100)
format_env_test("collective writes csv" csv 0 "\nop,size_bytes,count,dtype" collective --system dgx-h100 -b 8 -e 8)
format_env_test("a flag wins" csv 0 "#  +size +count +type" collective --system dgx-h100 -b 8 -e 8 --format table)
format_env_test("unknown value" xml 2 "^commsim: error: COMMSIM_FORMAT: unknown format 'xml'" catalog)
# A sweep-form study has no JSON: COMMSIM_FORMAT=json leaves its table (it was exit 2 blaming --format).
format_env_test("a sweep study keeps its table" json 0 "commsim sweep 'zip-where'" study ${DATA}/sweep/zip_where.yaml)
contract_test("study: a sweep study has no JSON" 2 "--format: a sweep study [(]base [+] axes[)] prints a table or CSV"
              study ${DATA}/sweep/zip_where.yaml --format json)
# validate training|memory: a row with TP 0 crashed (SIGFPE in the layout checks); a count past long ended
# in "internal error" (std::stol); a layout that does not divide did not name the row.
set(CONTRACT_DATA ${DATA}/contract)
contract_test("validate training TP 0" 2 "training_tp0.csv:2: key 'TP': MEG21-1.7B: '0' is not a whole number from 1"
              validate training ${CONTRACT_DATA}/training_tp0.csv)
contract_test("validate training num_gpus past long" 2 "training_gpus_huge.csv:2: key 'num_gpus'"
              validate training ${CONTRACT_DATA}/training_gpus_huge.csv)
contract_test("validate training layout names the row" 2 "training_tp3.csv:2: key 'num_gpus': MEG21-1.7B: parallelism: tp.pp.dp.cp = 96"
              validate training ${CONTRACT_DATA}/training_tp3.csv)
contract_test("validate memory TP 0" 2 "memory_tp0.csv:2: key 'TP': .*'0' is not a whole number from 1"
              validate memory ${CONTRACT_DATA}/memory_tp0.csv)
# validate memory: a published size of nan, inf, 0 or below gave an error of nan% or inf%, exit 0.
contract_test("validate memory published nan" 2 "memory_published_nan.csv:2: key 'memory_GiB_per_gpu'.*'nan' must be a finite number > 0"
              validate memory ${CONTRACT_DATA}/memory_published_nan.csv)
# validate kernels: heads 1e400 ended in "internal error: stod" (exit 1).
contract_test("validate kernels heads 1e400" 2 "kernels_heads_1e400.csv:2: key 'heads': '1e400' is not a whole number"
              validate kernels ${CONTRACT_DATA}/kernels_heads_1e400.csv)
# validate training: params_B nan (llm-foundry MFU rows) made the predicted MFU nan, exit 0.
contract_test("validate training params_B nan" 2 "training_params_nan.csv:2: key 'params_B'.*'nan' must be a finite number > 0"
              validate training ${CONTRACT_DATA}/training_params_nan.csv)
# plan --max-gpus past the most ranks commsim models: the node grid's larger sizes failed to build, which the
# binary searches read as "does not fit": "no candidate fits the model in memory" for llama3-8b.
contract_test("plan --max-gpus past the rank limit" 2 "--max-gpus: at most 262144"
              plan --model llama3-8b --tokens 1T --budget 1e12USD --candidates dgx-h100 --max-gpus 2147483647)
# plan --layouts quick where only a full search fits: it blamed memory alone (helper-123: Llama 3 405B's 126
# layers split over no quick PP, while train --tp 8 --pp 16 --recompute full fits).
contract_test("plan quick layouts name the search, not memory alone" 2
  "none of the layouts searched [(]--layouts quick: a few per size; --layouts auto searches them all[)] fits"
  plan -m llama3-405b --tokens 2T --deadline 300d --layouts quick --candidates dgx-h100)
# search.memory_headroom: a share, 0 to 0.5 (a plan that leaves memory free; quick layouts honour it too).
contract_test("search.memory_headroom past one half" 2 "key 'search.memory_headroom'"
  train -m llama3-8b -s dgx-h100 --gpus 8 --seq-len 4096 --global-batch 8 --auto --set search.memory_headroom=0.7)
contract_test("plan quick keeps search.memory_headroom" 0 "meets"
  plan -m llama3-8b --tokens 100B --deadline 30d --layouts quick --candidates dgx-h100 --set search.memory_headroom=0.1)
# An absurd but positive value ran and printed a silently absurd figure; now it is out of the plausible range.
contract_test("absurd --set value is out of the plausible range" 2
  "--set: key 'fabric.nic_speed': '1e-300Gb/s' is outside the plausible range of a bandwidth"
  collective --system dgx-h100 --op all_reduce -b 1M -e 1M --set fabric.nic_speed=1e-300Gb/s)
# Worker threads: sweep -j 50000 (or 2^31-1) aborted (std::terminate, exit 134) once the system refused a
# thread; validate training --threads 99999 was taken as 64 although its help said "at most 64". Now the bound
# is checked (exit 2), and a sweep starts no more threads than it has points.
contract_test("sweep -j past the cap" 2 "^commsim: error: --jobs: must be at most 1024, got 2147483647"
              sweep ${DATA}/sweep/zip_where.yaml --quiet -j 2147483647)
contract_test("sweep -j at the cap, more threads than points" 0 "does_not_fit"
              sweep ${DATA}/sweep/zip_where.yaml --quiet -j 1024)
contract_test("plan -j past the cap" 2 "--jobs: must be at most 1024, got 50000" ${CONTRACT_PLAN} --candidates dgx-h100 -j 50000)
contract_test("validate training --threads past 64" 2 "--threads: must be at most 64, got 99999"
              validate training ${CONTRACT_DATA}/training_params_nan.csv --threads 99999)
# Read only by the fit: alone it was accepted and did nothing (helper-153).
contract_test("validate training --threads without --fit" 2 "^commsim: error: --threads needs --fit or --loso"
              validate training ${PROJECT_SOURCE_DIR}/tests/data/validation/training_public.csv --threads 2)
# A directory given as an input file read as no bytes: "file is empty".
contract_test("train with a directory as the config" 2 "training config file '.*/contract' is a directory, not a file" train ${CONTRACT_DATA})
contract_test("sweep with a directory as the study" 2 "study file '.*/contract' is a directory, not a file"
              sweep ${CONTRACT_DATA})
contract_test("validate training --mapping a directory" 2 "contract: is a directory, not a file"
              validate training ${CONTRACT_DATA}/training_params_nan.csv --mapping ${CONTRACT_DATA})
# An endless input (/dev/zero, a pipe that never ends) was read until memory ran out (validate, calibrate --measured,
# plan --prices: 873 MB after 6 s). Since 2026-12-05 an input stops at 256 MiB, named (a pipe still reads).
contract_test("validate training on an endless stream" 2 "^commsim: error: /dev/zero: is larger than 256 MiB"
              validate training /dev/zero)
contract_test("plan --prices on an endless stream" 2 "^commsim: error: /dev/zero: is larger than 256 MiB"
              ${CONTRACT_PLAN} --candidates dgx-h100 --prices /dev/zero)
contract_test("catalog --rules a device" 2 "export-control rules file '/dev/zero' is not a regular file"
              catalog --export-control --rules /dev/zero)
# An empty name (a GPU's, a system's or a model's) was taken: the header read "16 x  (2 nodes)" (2026-12-05).
contract_test("a model whose name is empty" 2 "model_name_empty.yaml:4:7: key 'name': empty: a model is named in outputs by it"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model=${CONTRACT_DATA}/model_name_empty.yaml)
# Physically impossible GPU figures ran (2026-12-05): an fp8 rate below bf16 (a unit typo: 30TFLOPS for 3000) made
# fp8 GEMMs 50x slower, and 1e9 scale-up links 25 EB/s per GPU.
contract_test("a GPU whose fp8 rate is below its bf16 rate" 2 "--set: key 'gpu.compute.fp8': below compute.bf16"
              topo --system ${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml --set gpu.compute.fp8=30TFLOPS)
contract_test("a bf16 rate raised past fp8 names the flag" 2 "--set: key 'gpu.compute.bf16': above compute.fp8"
              topo --system ${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml --set gpu.compute.bf16=3000TFLOPS)
contract_test("a GPU with a billion scale-up links" 2 "--set: key 'gpu.scale_up.links': at most 1024 scale-up links per GPU"
              topo --system ${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml --set gpu.scale_up.links=1000000000)
# calibrate: a system name or GPU name with a newline went raw into the `#` comment heading the written file;
# the rest of the name became a key and the file, written with exit 0, did not load. Since 2026-12-04 a line
# break in any YAML text value is refused where it is read (it would break out of every `#` context line).
contract_test("a system whose name has a newline" 2 "system_name_newline.yaml:5:7: key 'name': a line break or control character"
              calibrate --system ${CONTRACT_DATA}/system_name_newline.yaml --gpus 2 --measured ${CONTRACT_LOG}
              --out ${CMAKE_CURRENT_BINARY_DIR}/contract-name-nl.yaml)
# A JSON text value with a line break (a GPU name, a case_id) is refused where it is read, as in YAML (it was
# written through one_line into the calibrated file until 2026-12-04, and a case_id printed a fake table row).
contract_test("calibrate --compute a GPU name with a newline" 2 "kbench_gpu_name_newline.json:[0-9]+: key 'context.gpu.name': a line break or control character"
              calibrate --compute ${CONTRACT_DATA}/kbench_gpu_name_newline.json --out ${CMAKE_CURRENT_BINARY_DIR}/contract-gpu-nl.yaml)
# A measured CSV or JSON starting with a UTF-8 byte order mark was read as a text log: "no result rows found".
contract_test("measured CSV with a byte order mark" 0 "commbench_bom.csv +all_reduce +2 +4194304"
              validate collectives --system dgx-a100 --gpus 2 --measured ${CONTRACT_DATA}/commbench_bom.csv)
contract_test("measured JSON with a byte order mark" 0 "commbench_bom.json +all_reduce +2 +1048576"
              validate collectives --system dgx-a100 --gpus 2 --measured ${CONTRACT_DATA}/commbench_bom.json)
# A commbench JSON of a run that was stopped ("complete": false): its rows are read, with a note saying so.
contract_test("measured JSON of an unfinished run" 0
              "note: .*commbench_unfinished.json: from a commbench run that did not finish"
              validate collectives --system dgx-a100 --gpus 2 --measured ${CONTRACT_DATA}/commbench_unfinished.json)
# A text log cut short (a killed job, a copy that stopped) was read as a complete sweep, without a word: its
# header asked for 8-128 MiB, the rows stop at 16 MiB and the closing "Out of bounds values" line is missing.
contract_test("measured log that stops short of its maxBytes" 0
              "note: .*log_stopped_early.log: from a log that stops at 16 MiB of its maxBytes 128 MiB"
              validate collectives --system dgx-a100 --gpus 4 --measured ${CONTRACT_DATA}/log_stopped_early.log)
# A size read as a quantity (gpu.memory.capacity, calibration.cache_bytes) had no upper bound: a capacity of
# 1e30B ran (exit 0) and printed a capacity of 9e20 GiB. Sizes are below 2^64 everywhere.
contract_test("train --set gpu.memory.capacity=1e30B" 2
              "^commsim: error: --set: key 'gpu.memory.capacity': size '1e30B' is too large"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set gpu.memory.capacity=1e30B)
# validate kernels: a case_id on two rows was read twice and counted twice in the medians (validate training
# and memory refuse it).
contract_test("validate kernels case_id twice" 2 "kernels_case_id_twice.csv:3: key 'case_id': 'synthetic_1' is also the case_id of line 2"
              validate kernels ${CONTRACT_DATA}/kernels_case_id_twice.csv --mapping ${DATA}/kernelbench/mapping.yaml)
# validate kernels: an empty value (or M, N, K, seq_len) was read as 0: an error of inf% (or a prediction of
# 0 TFLOPS), exit 0; "649abc" was read as 649.
contract_test("validate kernels empty value" 2 "kernels_value_empty.csv:2: key 'value': '' is not a number of TFLOPS"
              validate kernels ${CONTRACT_DATA}/kernels_value_empty.csv --mapping ${DATA}/kernelbench/mapping.yaml)
# validate kernels --mapping: an unknown GPU named no file or line (and only once a row matched its rule); a
# with_cast item that is not a string ended in yaml-cpp's "bad conversion" without the file; a with_cast
# case_id that is no row changed nothing, silently (now the output names it: the shipped mapping also meets
# files it was not written for, so it is a note, not an error: kernels.cmake).
set(CONTRACT_KCSV ${DATA}/kernelbench/synthetic-h200.csv)
contract_test("validate kernels mapping unknown GPU" 2 "kernels_mapping_unknown_gpu.yaml:4:[0-9]+: key 'gpus[[]0[]].gpu': unknown GPU 'h300-sxm'"
              validate kernels ${CONTRACT_KCSV} --mapping ${CONTRACT_DATA}/kernels_mapping_unknown_gpu.yaml)
contract_test("validate kernels mapping with_cast not a string" 2 "kernels_mapping_with_cast_map.yaml:5:[0-9]+: key 'with_cast[[]0[]]': expected a string"
              validate kernels ${CONTRACT_KCSV} --mapping ${CONTRACT_DATA}/kernels_mapping_with_cast_map.yaml)
contract_test("validate kernels mapping with_cast no row" 0 "^# the mapping names 1 case_id.s. not in this file .applied to none of its rows.: with_cast synthetic_01$"
              validate kernels ${CONTRACT_KCSV} --mapping ${CONTRACT_DATA}/kernels_mapping_with_cast_typo.yaml)
# More ranks than commsim models named nothing (collective --nodes 10^9) or the config file (train --gpus 10^9,
# --set cluster.gpus=10^9); now the flag or key that set the scale, and where it came from.
contract_test("train --gpus past the rank limit names the flag" 2
              "^commsim: error: --gpus: cluster.gpus 1000000000: 1000000000 ranks is more than commsim models"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --gpus 1000000000)
contract_test("collective --nodes past the rank limit names the flag" 2
              "^commsim: error: --nodes 1000000000: 8000000000 ranks is more than commsim models"
              collective --system dgx-h100 --nodes 1000000000)
# train: stage layers past the model's said "the remaining -999999920 layers do not divide evenly" (and two
# at INT_MAX overflowed int).
contract_test("train first_stage_layers past the layers" 2
              "^commsim: error: --set: parallelism.first_stage_layers: first_stage_layers [+] last_stage_layers = 4294967294 is more than the model's 80 layers"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set parallelism.first_stage_layers=2147483647
              --set parallelism.last_stage_layers=2147483647)
# calibrate --compute: a kernelbench row given twice (a hand-merged file) counted twice in the fit; the error
# names the JSON path and its line (2026-12-04: the path only).
contract_test("calibrate --compute case_id twice" 2
              "kbench_case_id_twice.json:26: key 'results[[]1[]].case_id': 'synthetic_1' is also the case_id of results[[]0[]]"
              calibrate --compute ${CONTRACT_DATA}/kbench_case_id_twice.json --out ${CMAKE_CURRENT_BINARY_DIR}/contract-kb-twice.yaml)
# One shape under two case_ids (a hand-merged file) is one timing counted twice: it "determined" a constant
# (epilogue from five copies of one 8192^3 row) that two shapes are needed to separate.
contract_test("calibrate --compute shape twice" 2
              "kbench_shape_twice.json:26: key 'results[[]1[]].case_id': the same gemm shape and precision as results[[]0[]]"
              calibrate --compute ${CONTRACT_DATA}/kbench_shape_twice.json --out ${CMAKE_CURRENT_BINARY_DIR}/contract-kb-shape.yaml)
# train --auto: flags that leave no valid layout (none rejected for memory) were exit 3, "no layout fits", as if
# memory were the reason; --ep 2 on a dense model was ignored (the layouts had EP 1, exit 0).
contract_test("train --auto --tp 16 leaves no valid layout" 2 "^commsim: error: --auto: no valid layout of 64 ranks.*rejected: heads % tp 1"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --tp 16)
contract_test("train --auto --ep 2 on a dense model" 2 "^commsim: error: --auto: no valid layout.*ep > 1 without experts"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --ep 2)
# System keys from --set were blamed on the node file (some without a line) when a check compared them with
# another key or ran in the topology: board.gpus, scale_up.type against nvls, an unknown scale-up technology,
# board.nics = 0 on several nodes.
contract_test("collective --set node.board.gpus names --set" 2 "^commsim: error: --set: key 'node.board.gpus': node gpus [(]8[)] must be a multiple"
              collective --system dgx-h100 --set node.board.gpus=3)
contract_test("collective --set node.scale_up.type names --set" 2 "^commsim: error: --set: key 'node.scale_up.type': nvls needs"
              collective --system dgx-h100 --set node.scale_up.type=mesh)
contract_test("collective --set gpu.scale_up.technology names --set" 2
              "^commsim: error: --set: key 'gpu.scale_up.technology': unknown link technology 'nvlink9'"
              collective --system dgx-h100 --set gpu.scale_up.technology=nvlink9)
contract_test("collective --set node.board.nics=0 names --set" 2 "^commsim: error: --set: key 'node.board.nics': disconnected topology"
              collective --system dgx-h100 --nodes 2 --set node.board.nics=0)
# Places a later check named by file alone, or blamed on another file: a system's default scale beyond the model
# (no line), a node file's nics 0 over several nodes (no line), the GPU's scale_up removed by --set (the node file).
contract_test("collective: the GPU's scale_up removed by --set names --set" 2
              "^commsim: error: --set: key 'gpu.scale_up': GPU 'h100-sxm' left with no scale_up section"
              collective --system dgx-h100 --set gpu.scale_up=~)
contract_test("collective: a system's nodes beyond the model names its line" 2
              "^commsim: error: .*system_many_nodes[.]yaml:[0-9]+:[0-9]+: key 'nodes': system 'many-nodes' [(]100000000 nodes[)]: .* ranks is more than commsim models"
              collective --system ${DATA}/checks/system_many_nodes.yaml)
contract_test("collective: a node file without NICs over two nodes names its line" 2
              "^commsim: error: .*node_no_nics[.]yaml:[0-9]+:[0-9]+: key 'node.board.nics': disconnected topology"
              collective --system ${DATA}/checks/system_no_nics.yaml --nodes 2)
# A GPU's fp8 matmul measurement far from its arch's was refused at --precision fp8 and taken at bf16.
contract_test("train bf16: a bad matmul_achievable.fp8 is refused as at fp8" 2
              "^commsim: error: --set: key 'gpu.matmul_achievable.fp8': 500 TFLOPS measured is 0.253 of the 1979 TFLOPS fp8 peak"
              train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 4096 --global-batch 16 --set gpu.matmul_achievable.fp8=500TFLOPS)
# Two NICs per GPU (a dual-rail board) ran at one NIC per GPU: the second of each pair was dropped silently.
contract_test("collective: more NICs than GPUs on a board is refused" 2
              "^commsim: error: --set: key 'node.board.nics': 16 NICs for 8 GPUs: each GPU sends through one NIC here"
              collective --system dgx-h100 --nodes 2 --set node.board.nics=16)
# train: --gpus-per-node 3 against the file's cluster.gpus 64 was blamed on the file's line, and --nodes 3
# against the file's layout on the file (no line); the flag given on the command line is named.
contract_test("train --gpus-per-node blamed for the node fill" 2
              "^commsim: error: --gpus-per-node: cluster.gpus 64 is not a multiple of the 3 GPUs per node"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --gpus-per-node 3)
contract_test("train --nodes blamed for the layout" 2 "^commsim: error: --nodes: parallelism: tp[*]pp[*]cp = 32 does not divide the 24 GPUs"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --nodes 3)
# train: a --set model key checked against another key was blamed on the other one's line (--set
# model.hidden=7 named the model file's heads line, --set model.ffn_hidden=7 the config's tp line).
contract_test("train --set model.hidden blamed" 2 "^commsim: error: --set: key 'model.hidden': heads [(]64[)] does not divide hidden [(]7[)]"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model.hidden=7)
contract_test("train --set model.ffn_hidden blamed" 2 "^commsim: error: --set: parallelism.tp: 8 does not divide ffn_hidden [(]7[)]"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model.ffn_hidden=7)
# collective --gpus 1: "a collective needs at least 2 ranks" named no flag.
contract_test("collective --gpus 1 names the flag" 2 "^commsim: error: --gpus 1: a collective needs at least 2 ranks"
              collective --system dgx-h100 --gpus 1)
# validate kernels --loso with one source: the refit had no row for a constant (NaN), the prediction came out
# 0 TFLOPS and the row an error of -100% (exit 0). Such a row is not covered.
contract_test("validate kernels --loso one source is not covered" 0 "leave-one-source-out: 0 rows.*[(]1 rows no other source covers[)]"
              validate kernels ${CONTRACT_KCSV} --mapping ${DATA}/kernelbench/mapping.yaml --loso)
# The same for input files: train '' ran without a config ("no system given"), --mapping '', --rules '' and
# --compute-efficiency '' fell back to the shipped files silently, validate kernels '' said "cannot open file"
# with no name.
add_test(NAME "cli: contract: validate training --mapping empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --mapping: empty file name" sh -c "\"$0\" \"$@\" --mapping ''" ${COMMSIM_BIN}
                 validate training ${CONTRACT_DATA}/training_params_nan.csv)
add_test(NAME "cli: contract: train with an empty config name"
         COMMAND ${EXPECT} 2 "^commsim: error: config: empty file name" sh -c "\"$0\" train ''" ${COMMSIM_BIN})
# A gate's bound given as '' (a variable left unset) turned the gate off (exit 0); '0x10' was read as 16.
add_test(NAME "cli: contract: validate kernels --max-median-error empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --max-median-error: '' is not a percentage" sh -c "\"$0\" \"$@\" --max-median-error ''"
                 ${COMMSIM_BIN} validate kernels ${CONTRACT_KCSV} --mapping ${DATA}/kernelbench/mapping.yaml)
contract_test("validate training --max-row-error hex" 2 "--max-row-error: '0x10' is not a percentage"
              validate training ${CONTRACT_DATA}/training_params_nan.csv --max-row-error 0x10)
# collective -r '' ran with root 0 (exit 0).
add_test(NAME "cli: contract: collective -r empty"
         COMMAND ${EXPECT} 2 "^commsim: error: --root: '' is not a whole number" sh -c "\"$0\" \"$@\" -r ''"
                 ${COMMSIM_BIN} collective --system dgx-h100 --op broadcast)
# A count with a leading space or sign ran (stol read " 4" and "+4" as 4); one past 2^63 said "not a whole number".
add_test(NAME "cli: contract: collective --nodes with a leading space"
         COMMAND ${EXPECT} 2 "^commsim: error: --nodes: ' 4' is not a whole number" sh -c "\"$0\" \"$@\" --nodes ' 4'"
                 ${COMMSIM_BIN} collective --system dgx-h100 --op all_reduce)
contract_test("collective --nodes +4" 2 "^commsim: error: --nodes: '[+]4' is not a whole number"
              collective --system dgx-h100 --op all_reduce --nodes +4)
contract_test("collective --nodes past 2^63" 2 "^commsim: error: --nodes: must be at most 2147483647, got 99999999999999999999$"
              collective --system dgx-h100 --op all_reduce --nodes 99999999999999999999)
# `-O -` wrote a file named '-'; it is stdout, and a stdout appended to a file is written into, not replaced.
add_test(NAME "cli: contract: -O - is stdout"
         COMMAND ${EXPECT} 0 "^PRE\n# commsim .*\nop,size_bytes,count," sh -c "cd \"$1\" && echo PRE >dash_out.txt && \"$0\" collective --system dgx-h100 -b 8 -e 8 --format csv -O - 2>/dev/null >>dash_out.txt && test ! -e ./- && cat dash_out.txt"
                 ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties("cli: contract: -O - is stdout" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# A price of 0 ran unpriced without a word (cost_usd null).
contract_test("train cost.gpu_hour_usd 0" 2 "^commsim: error: --set: key 'cost.gpu_hour_usd': '0' must be positive"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set cost.gpu_hour_usd=0 --set training.tokens=1T)
# The system key `nodes` beside the config's own scale was dropped without a word (exit 0, 8 nodes).
contract_test("train --set nodes beside cluster.gpus" 2
              "^commsim: error: --set: key 'nodes': the system's default node count does not apply"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set nodes=4)
# A pinned micro-batch that divides no DP's share of the global batch: the rejections were counted under
# "layers % (pp*vpp)" (850 of 853), the real reason not at all.
contract_test("train --auto --micro-batch that divides no share" 2
              "rejected: global_batch % [(]dp[*]micro_batch[)] 70, layers % pp 3$"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --micro-batch 3)
# A line break in a study title or a --set value went into the `#` context lines of the sweep CSV (a fake header
# and row after it; --resume then refused the file the sweep wrote) and of train's table and CSV (2026-12-04).
contract_test("study title with a line break" 2 "study_title_newline.yaml:4:8: key 'title': a line break or control character"
              sweep ${CONTRACT_DATA}/study_title_newline.yaml --csv ${CMAKE_CURRENT_BINARY_DIR}/contract-title-nl.csv --quiet)
contract_test("--set value with a line break" 2 "^commsim: error: --set: key 'description': a line break or control character"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --format csv --set "description=x\n0,evil,row")
# calibrate: rows that all have one message size cannot separate latency from bandwidth; the fit stopped at
# latency_scale 0.001 and wrote a file predicting an 8-byte all_reduce at 0.02 us, exit 0 (2026-12-04).
contract_test("calibrate on one message size" 2 "one_size_four_rows.log: the 4 fitted rows are all of one message size [(]1M[)]"
              calibrate --system dgx-h100 --measured ${CONTRACT_DATA}/one_size_four_rows.log --out ${CMAKE_CURRENT_BINARY_DIR}/contract-one-size.yaml)
# Past a file-size limit (ulimit -f) SIGXFSZ killed commsim with no message (exit 153) and a sweep CSV ended
# mid-row; the signal is ignored now, the write fails with EFBIG: exit 1, the file cut back to whole rows.
add_test(NAME "cli: contract: a file-size limit is a write failure, not a signal"
         COMMAND ${EXPECT} 1 "contract-fsize.csv: write failed"
                 sh -c "rm -f \"$1\"; ulimit -f 1 && exec \"$0\" sweep tp-nvlink-vs-pcie --csv \"$1\" --quiet -j 1"
                 ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/contract-fsize.csv)
set_tests_properties("cli: contract: a file-size limit is a write failure, not a signal"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# --set model.layers=2 then --set model=llama3-8b ran the plain 8B model, exit 0, while the header listed both.
contract_test("a --set that replaces an earlier one inside it" 2 "^commsim: error: --set: key 'model': would replace 'model.layers=2' given before it"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model.layers=2 --set model=llama3-8b)
# train --auto / plan: a given 1f1b or interleaved schedule was listed as an override and dropped (the search
# derives the schedule from VPP); it fixes the search now: interleaved is VPP >= 2, 1f1b VPP 1 (2026-12-04).
contract_test("train --auto keeps a given interleaved schedule" 0 "^ +1 +1 +2 .* [0-9]+ +interleaved "
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --set parallelism.schedule=interleaved)
contract_test("train --auto keeps a given 1f1b schedule" 0 "^ +1 .* 1 +1f1b "
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --set parallelism.schedule=1f1b --pp 4)
# train --format csv/json without training.tokens printed time, GPU-hours, cost and energy as 0 (2026-12-04).
contract_test("train csv without tokens leaves the totals empty" 0 "^llama3-8b,dgx-h100,8,.*,true,([^,]*,){8},,,,,[^,]+,"
              train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 4096 --global-batch 64 --set cost.gpu_hour_usd=2 --format csv)
contract_test("train json without tokens has null totals" 0 "\"gpu_hours\": null"
              train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 4096 --global-batch 64 --format json)
# plan and train --ops dropped --set overrides from their outputs: a capped and an uncapped plan could not be told
# apart (2026-12-04). plan names its precision and caps VPP at 8 as the shipped automatic studies do.
contract_test("plan lists its --set overrides" 0 "^# overrides: node.scale_up.bandwidth=200GB/s [(]--set[)]$"
              plan --model llama3-8b --tokens 1T --deadline 90d --candidates dgx-h100 --set node.scale_up.bandwidth=200GB/s --quiet)
contract_test("plan names its precision" 0 "^# commsim plan: llama3-8b in fp8, "
              plan --model llama3-8b --tokens 1T --deadline 90d --candidates dgx-h100 --precision fp8 --quiet)
contract_test("plan json has max_vpp 8 by default" 0 "\"max_vpp\": 8"
              plan --model llama3-8b --tokens 1T --deadline 90d --candidates dgx-h100 --quiet --format json)
contract_test("train --ops lists its --set overrides" 0 "^# overrides: fabric.nic_speed=200Gb/s [(]--set[)]"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --ops --set fabric.nic_speed=200Gb/s)
# train takes a shipped config by name, and a relative path under the data directory from anywhere (the README's
# lines failed outside the source tree: "cannot open file"; 2026-12-04).
contract_test("train a shipped config by name" 0 "^# commsim train: llama3-70b .* on dgx-h100" train llama3-70b-h100)
add_test(NAME "cli: contract: train a data-directory path from another directory"
         COMMAND ${EXPECT} 0 "^# commsim train: llama3-70b .* on dgx-h100"
                 sh -c "cd / && exec \"$0\" train configs/train/llama3-70b-h100.yaml" ${COMMSIM_BIN})
set_tests_properties("cli: contract: train a data-directory path from another directory"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
contract_test("train an unknown config name" 2 "^commsim: error: CONFIG: unknown training config 'nosuch' [(]valid: .*llama3-70b-h100"
              train nosuch)
# An NVLink cap as a plan candidate: the H800 had no price, so `plan --candidates hgx-h800` was exit 2 (2026-12-04).
contract_test("plan an H800 candidate" 0 "^ +hgx-h800 +h800-sxm +15831 +meets "
              plan --model llama3-8b --tokens 1T --deadline 90d --candidates hgx-h800,dgx-h100 --quiet)
# An empty case_id was predicted and printed with a blank name (`--row ''` selected it; 2026-12-04).
contract_test("validate training with an empty case_id" 2 "training_empty_case_id.csv:2: key 'case_id': empty: each row needs an id"
              validate training ${CONTRACT_DATA}/training_empty_case_id.csv)
# --auto --dp 5 on 64 ranks named a rejection of the other loops ("layers % pp") instead of the fixed dimensions.
contract_test("train --auto with a DP that cannot divide the ranks" 2 "^commsim: error: --auto: no layout of 64 ranks has the dimensions the layout flags fix [(]dp 5[)]: "
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --dp 5)
# A review of the above: a config file named without '/' or '.yaml' is read as given; a folded block scalar
# (`description: >`, which ends in a line break) is read; the cluster axes count as their cluster.* keys; an
# axis with a null value leaves the key to the base there; pipeline.schedule is parallelism.schedule.
add_test(NAME "cli: contract: train a config file named without .yaml"
         COMMAND ${EXPECT} 0 "^# commsim train: llama3-70b "
                 sh -c "cp \"$1\" \"$2\" && exec \"$0\" train \"$2\"" ${COMMSIM_BIN}
                 ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml l70-contract.yml)
set_tests_properties("cli: contract: train a config file named without .yaml" PROPERTIES
                     WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR} ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
contract_test("a folded block scalar description is read" 0 "^# commsim train: llama3-8b "
              train ${CONTRACT_DATA}/train_folded_description.yaml)
contract_test("sweep --set of a cluster axis key" 2 "^commsim: error: --set: key 'cluster.system': the axis 'system' sets this key"
              sweep tp-nvlink-vs-pcie --set cluster.system=hgx-h200 --dry-run)
contract_test("sweep --set of a key whose axis has a null" 0 "2 points"
              sweep ${CONTRACT_DATA}/study_null_axis.yaml --set training.recompute=selective --dry-run)
contract_test("train --auto keeps a given pipeline.schedule" 0 "^ +1 +1 +2 .* [0-9]+ +interleaved "
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --set pipeline.schedule=interleaved)
# A measurement of 1 rank was blamed on "--gpus 1", a flag nobody gave (2026-12-04).
contract_test("a measured row of one rank" 2 "measured_one_rank.csv:2: measured on 1 rank: a collective needs at least 2"
              validate collectives --system dgx-h100 --measured ${CONTRACT_DATA}/measured_one_rank.csv)
# An empty recompute_modules list was read as absent (Megatron's [core_attn]), silently.
commsim_data_test("contract: recompute_modules [] is refused" 2 "^commsim: error: --set: key 'training.recompute_modules': lists no module"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set training.recompute=selective --set "training.recompute_modules=[]")
# A billion layers ran for minutes (the estimator's time grows with the count): refused above 100,000.
commsim_data_test("contract: model.layers past 100000 is refused" 2 "^commsim: error: --set: key 'model.layers': 1000000000 exceeds 100000"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model.layers=1000000000)
# A directive line before the document was counted as a first document.
commsim_data_test("contract: a %YAML directive is no second document" 0 "step time" train ${DATA}/yaml_directive.yaml)
# A training step on a calibrated system takes its calibration (the step ignored `calibration:` until
# 2026-12-05: 170.647 s whatever the scales). Half the collective bandwidth: 204.703 s, TP exposed 70.589 s.
contract_test("train takes the system's collective calibration" 0 "step time +204\\.703 +s"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set calibration.bandwidth_scale=0.5)
# A path that exists but is no regular file (a device, a FIFO) was "not found".
contract_test("a model path that is a device" 2 "^commsim: error: --set: key 'model': model file '/dev/null' is not a regular file"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set model=/dev/null)

# A case_id with a space after it escaped the mapping's exclusion of that case (a 5-step smoke run was predicted
# and counted), and one in another case was a second row of its own (2026-12-06).
contract_test("validate training case_id with a trailing space is still excluded" 2
              "training_case_id_space.csv: no row to predict .every row is excluded by the mapping: 1."
              validate training ${CONTRACT_DATA}/training_case_id_space.csv)
contract_test("validate training case_id repeated in another case" 2
              "training_case_id_case.csv:3: key 'case_id': 'nemo2407-h100-gpt3-5b' is also the case_id of line 2"
              validate training ${CONTRACT_DATA}/training_case_id_case.csv)
# A published collective row repeated with another spelling ("allreduce fp32" for "all_reduce float") was
# counted twice in the medians; only a verbatim copy was refused.
contract_test("validate collectives row repeated in another spelling" 2
              "nccl_row_twice_spelled.csv:3: key 'size_bytes': NT290_H100_1x8_AR_LARGE: allreduce fp32 of 134217728 B is already on line 2"
              validate collectives ${CONTRACT_DATA}/nccl_row_twice_spelled.csv)
# Context parallelism gives each rank two of 2·cp equal chunks: seq 4098 on cp 2 (2,049 tokens a rank) ran, and
# `--auto` chose cp 2 for seq 8194 (2026-12-06).
contract_test("train --cp 2 on a sequence that 2 x cp does not divide" 2
              "^commsim: error: --cp: parallelism.cp: 2: seq_len 4098 is not a multiple of 2 x cp = 4"
              train -m llama3-8b -s dgx-h100 --gpus 16 --tp 1 --cp 2 --seq-len 4098 --global-batch 64)
# A layout key emptied with --set (pp back to its default, 1) blamed the config file for the product's
# mismatch, with no line or key (2026-12-06). Since 2026-12-07 it drops the file's dp as a new pp does (TP8 PP1
# DP8 on the 64 GPUs, which does not fit: exit 3); with the file's dp given again, the mismatch names the --set.
contract_test("train --set parallelism.pp=~ names the --set" 2
              "^commsim: error: --set: parallelism: tp[*]pp[*]dp[*]cp = 16 does not equal the 64 GPUs of the cluster"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set parallelism.pp=~ --set parallelism.dp=2)
contract_test("train --set parallelism.pp=~ drops the file's dp" 3 "TP8 PP1 DP8 CP1"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set parallelism.pp=~)
# A kernel row in a precision its GPU has no rate or fitted efficiency for stopped the whole file: "GEMM
# precision fp8_block is not supported on  (no gemm_fp8_block ...)", no file, line, key or GPU (2026-12-06).
contract_test("validate kernels: a precision the GPU lacks is not predicted, named at its row" 0
              "not predicted MX_ON_H800: .*kernels_precision_gpu_lacks.csv:4: key 'precision': MX_ON_H800: mxfp8 on h800-sxm: hopper has no gemm_mxfp8"
              validate kernels ${CONTRACT_DATA}/kernels_precision_gpu_lacks.csv)
contract_test("validate kernels: fp8 on a GPU without an fp8 rate is not predicted" 0
              "kernels_precision_gpu_lacks.csv:2: key 'precision': DG_H800_dense_64x2112x7168: fp8_block on a800-sxm: the GPU has no fp8 rate"
              validate kernels ${CONTRACT_DATA}/kernels_precision_gpu_lacks.csv)
# A commbench JSON whose context states another unit was read in commbench's own (2026-12-06).
contract_test("measured JSON stating time_us in ms" 2
              "commbench_units_ms.json:66: key 'context.units.time_us': commsim reads time_us in 'us', as commbench writes it"
              validate collectives --system localhost --gpus 2 --measured ${CONTRACT_DATA}/commbench_units_ms.json)
# A log whose NCCL INFO lines say the environment forced the algorithm and protocol was predicted and fitted
# with NCCL's own choice (ring LL here) (2026-12-06).
contract_test("measured log with NCCL_ALGO and NCCL_PROTO set by the environment: the note" 0
              "note: .*log_nccl_env.log: the run set NCCL_ALGO=tree, NCCL_PROTO=LL128 [(]its NCCL INFO lines or command line[)]"
              validate collectives --system dgx-h100 --gpus 8 --op all_reduce --measured ${CONTRACT_DATA}/log_nccl_env.log)
contract_test("measured log with NCCL_ALGO and NCCL_PROTO set by the environment: predicted with them" 0
              "log_nccl_env.log +all_reduce +8 +8 .* tree +LL128"
              validate collectives --system dgx-h100 --gpus 8 --op all_reduce --measured ${CONTRACT_DATA}/log_nccl_env.log)
# A CSV names no hosts: 2 ranks of a run over two hosts were modelled as one NVLink node without a word
# (calibrate fitted bandwidth_scale 0.13 to a 2 x 1 run; helper-120, 2026-12-06).
contract_test("measured CSV without hosts: the note" 0
              "note: .*measured_no_hosts.csv: names no hosts [(]a commbench CSV has no host column.*[)]: its 2 ranks are placed as the system places that many"
              validate collectives --system dgx-h100 --measured ${CONTRACT_DATA}/measured_no_hosts.csv)
# Two nodes of a system without NICs: the message says it is a one-node system (it named only the node file).
contract_test("collective on two nodes of a system without NICs" 2
              "^commsim: error: .*localhost-shm.yaml:.*has no NIC: a one-node system [(]ask for one node"
              collective -s localhost --nodes 2 --op all_reduce)
# An exclusion (NCCL_PROTO=^LL128) names no protocol to force: it was left out without a word (2026-12-06).
contract_test("measured log with NCCL_PROTO=^LL128 from the environment: the note" 0
              "note: .*log_nccl_env_exclusion.log: the run set NCCL_PROTO=.LL128, which names no one algorithm or protocol to force"
              validate collectives --system dgx-h100 --gpus 8 --op all_reduce --measured ${CONTRACT_DATA}/log_nccl_env_exclusion.log)
# fabric.leaf_ports had no upper bound: 2147483647 overflowed the leaf count (a segfault at 64 nodes, an
# internal error at 2) (2026-12-06).
contract_test("collective --set fabric.leaf_ports=2147483647" 2
              "^commsim: error: --set: key 'fabric.leaf_ports': 2147483647 NIC ports per leaf switch: at most 65536"
              collective -s dgx-h100 --nodes 64 --op alltoall --set fabric.leaf_ports=2147483647)
# An algorithm from COMMSIM_ALGO that cannot run the op named neither the variable nor --algo (2026-12-06).
add_test(NAME "cli: contract: COMMSIM_ALGO that cannot run the op is named"
         COMMAND ${EXPECT} 2 "^commsim: error: COMMSIM_ALGO [(]--algo[)]: algorithm 'tree' cannot run all_gather here"
                 ${COMMSIM_BIN} collective -s dgx-h100 --op all_gather)
set_tests_properties("cli: contract: COMMSIM_ALGO that cannot run the op is named" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR};COMMSIM_ALGO=tree")
# Bisection on a full mesh: every GPU crosses the cut on 4 of its 7 links (16 x 51.2 GB/s); the pairing
# r <-> r + 4 used one link each and printed 204.8 (2026-12-06).
contract_test("topo bisection of a full mesh counts every crossing link" 0
              "^bisection bandwidth [(]usable, per direction[)]: 819[.]2 GB/s over 8 ranks"
              topo -s mi300x-8)
# kernelbench JSON read past what it did not know: an unknown key in a result, a skipped list given as text,
# a library or a timestamp that is not a text (2026-12-06).
contract_test("calibrate --compute a result with an unknown key" 2
              "kbench_unknown_key.json:24: key 'results.0..foo': unknown key"
              calibrate --compute ${CONTRACT_DATA}/kbench_unknown_key.json --out ${CMAKE_CURRENT_BINARY_DIR}/contract-kb-foo.yaml)
contract_test("calibrate --compute a skipped list given as text" 2
              "kbench_skipped_text.json:302: key 'skipped': expected a list"
              calibrate --compute ${CONTRACT_DATA}/kbench_skipped_text.json --out ${CMAKE_CURRENT_BINARY_DIR}/contract-kb-skip.yaml)
# A memory row in FP8 on an A100 was predicted (validate training marks it not predicted) (2026-12-06).
contract_test("validate memory: FP8 on an A100 is not predicted" 0
              "not predicted MLM-CI-A100-TP1PP4: .*memory_fp8_on_a100.csv:3: key 'precision': MLM-CI-A100-TP1PP4: fp8 needs a GPU with an fp8 rate; a100-sxm-80gb has none"
              validate memory ${CONTRACT_DATA}/memory_fp8_on_a100.csv)
# '-' is stdout only for --out: --csv, --jsonl and --html beside a report refuse it (each made a file named '-',
# exit 0; helper-134).
foreach(flag --csv --jsonl --html)
  contract_test("sweep ${flag} - is refused" 2 "^commsim: error: ${flag}: '-' is no file here: stdout carries the table of points\n"
    sweep ${PROJECT_SOURCE_DIR}/configs/studies/default.yaml --dry-run ${flag} -)
endforeach()
# sweep has no --out or --format: its message named them (helper-153). plan's does.
contract_test("plan --html - names --out" 2 "^commsim: error: --html: '-' is no file here: stdout carries the report [(]--out - or --format"
  plan -m llama3-8b --tokens 1T --deadline 90d --html -)
# calibrate -O - wrote a file named '-' (helper-153); its output is loaded by path.
contract_test("calibrate -O - is refused" 2 "^commsim: error: --out: '-' is no file here: the calibrated file is loaded by its path"
  calibrate --system dgx-h100 --measured ${PROJECT_SOURCE_DIR}/tests/data/logs/a100_1x2_all_reduce_debug.log -O -)
# Every output refuses the data directory's topologies/ and configs/ (only calibrate wrote a system there, by
# name): collective -O topologies/gpus/b200.yaml replaced the GPU and every later command failed.
contract_test("collective -O into the catalog is refused" 2
  "^commsim: error: [^\n]*topologies/gpus/zz-out[.]yaml: is in the data directory's topologies/ [(][^\n]*[)], which holds the catalog every run reads"
  collective -s dgx-h100 -O ${PROJECT_SOURCE_DIR}/topologies/gpus/zz-out.yaml)
contract_test("sweep --csv into the catalog is refused" 2
  "^commsim: error: [^\n]*configs/studies/zz-out[.]csv: is in the data directory's configs/"
  sweep ${PROJECT_SOURCE_DIR}/configs/studies/default.yaml --csv ${PROJECT_SOURCE_DIR}/configs/studies/zz-out.csv)
# A name longer than the file system holds failed at the rename, after the search (exit 1).
string(REPEAT "c" 300 LONG_NAME)
contract_test("plan -O with a 300-byte name fails before the search" 2 "cannot write output file: a name in the path is longer than 255 bytes"
  plan -m llama3-8b --tokens 1T --deadline 90d -O ${CMAKE_CURRENT_BINARY_DIR}/${LONG_NAME})
# helper-144's audit (2026-12-06).
# A key twice in a --set mapping value kept the first without a word (a file's says "duplicate key").
contract_test("train --set with a key twice in its value" 2
  "^commsim: error: --set: key 'parallelism.tp': duplicate key 'tp' [(]given twice in the value[)]$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set "parallelism={tp: 8, tp: 4, pp: 4, dp: 2}")
contract_test("collective --set with a key twice in its value" 2 "^commsim: error: --set: key 'fabric.nic_speed.value': duplicate key 'value'"
  collective --system dgx-h100 --nodes 2 --set "fabric.nic_speed={value: 100Gb/s, value: 400Gb/s}")
# A collective study with no system anywhere ran every point to an invalid row, then exit 2; --dry-run passed.
contract_test("sweep: a collective base with no system, before any point" 2
  "^commsim: error: .*study_no_system[.]yaml:4:7: key 'base': the base names no system and no axis sets one$"
  sweep ${DATA}/contract/study_no_system.yaml --dry-run)
# The count column against the size and type: "int8" beside float's count was predicted as int8 (no NVLS).
contract_test("log: a type edited beside its count" 2
  "^commsim: error: .*log_type_edited[.]log:13: key 'count': count 262144 x 1 B is not the size 1048576 B [(]all_reduce: size = count x type size[)]"
  validate collectives --measured ${DATA}/contract/log_type_edited.log --system dgx-h100 --nodes 2 --gpus-per-node 1)
contract_test("commbench JSON: a type edited beside its count" 2
  "^commsim: error: .*commbench_count_type[.]json:[0-9]+: key 'results[[]0[]][.]count': count 262144 x 1 B is not the size"
  validate collectives --measured ${DATA}/bad/commbench_count_type.json --system dgx-h100 --gpus 2)
# A misspelled key in a commbench result ("wrogn") was read past, so a row with wrong data was compared.
contract_test("commbench JSON: an unknown key in a result" 2
  "^commsim: error: .*commbench_key_typo[.]json:[0-9]+: key 'results[[]1[]][.]wrogn': unknown key [(]a result has op, size_bytes"
  validate collectives --measured ${DATA}/bad/commbench_key_typo.json --system dgx-h100 --gpus 2)
# What is no text log at all is named as such (each was "no result rows found (expected nccl-tests output ...").
contract_test("a gzip-compressed log" 2 "^commsim: error: .*log_gzip[.]log[.]gz: a gzip-compressed file: decompress it first"
  validate collectives --measured ${DATA}/contract/log_gzip.log.gz --system dgx-h100)
contract_test("a commbench file as a JSON array" 2 "^commsim: error: .*commbench_array[.]json:1: a JSON array: a commbench file is one object"
  validate collectives --measured ${DATA}/contract/commbench_array.json --system dgx-h100)
# A YAML tag (`!!str`, `!custom`) was dropped without a word, in a file and in a --set value (2026-12-06).
contract_test("train --set with a YAML tag in its value" 2
  "^commsim: error: --set: key 'parallelism.tp': YAML tag '!!int' is not read; write the value without it$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set "parallelism.tp=!!int 8")
contract_test("collective --set with a custom YAML tag" 2 "^commsim: error: --set: key 'fabric.nic_speed': YAML tag '!fast' is not read"
  collective --system dgx-h100 --nodes 2 --set "fabric.nic_speed=!fast 400Gb/s")
# A command-line --set that makes a section a study's system lacks was placed at the study's system axis alone
# (the study was blamed for the user's --set): the --set is named, with the axis value it broke on.
contract_test("sweep: a --set making a section the axis's system lacks names the --set" 2
  "^commsim: error: --set: key 'node.chiplet.d2d_bandwidth': on hgx-h200 [(]axes.system, .*scale-up-alltoall.yaml:11[)]: key 'node.chiplet.dies': missing required integer$"
  sweep scale-up-alltoall --set node.chiplet.d2d_bandwidth=1TB/s --dry-run)
# helper-147: the section given whole by --set, and a section the study's own base.set made (named at its line,
# even beside a command-line --set of the same key).
contract_test("sweep: a --set giving the section whole names the --set" 2
  "^commsim: error: --set: key 'node.chiplet': on hgx-h200 [(]axes.system, .*scale-up-alltoall.yaml:11[)]: key 'node.chiplet.dies': missing required integer$"
  sweep scale-up-alltoall --set "node.chiplet={d2d_bandwidth: 1TB/s}" --dry-run)
contract_test("sweep: a section the study's base.set made names that line" 2
  "^commsim: error: .*study_set_section.yaml:10:9: key 'base.set[[]0[]]': 'node.chiplet.d2d_bandwidth=1TB/s': on hgx-h200 [(]axes.system, .*study_set_section.yaml:12[)]: key 'node.chiplet.dies': missing required integer$"
  sweep ${DATA}/contract/study_set_section.yaml --dry-run --set node.chiplet.d2d_bandwidth=2TB/s)
contract_test("train --set of a value that is only a tag" 2
  "^commsim: error: --set: key 'training.precision': YAML tag '!fp8' is not read; write the value without it$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set "training.precision=!fp8")
# A measured file from another device than the system's GPU is named (helper-149, 2026-12-07): commbench's MPI
# backend times host buffers ("AMD EPYC"), no GPU of the catalog, and was fitted into an H100 system at 3% of
# its NVLink bandwidth without a word; a run naming several devices was not compared either. On the host
# system (localhost, a CPU) the same file gets no note.
contract_test("measured on a CPU, predicted on an H100 system, is named" 0
              "note: [^ ]*commbench_mpi_cpu[.]json ran on 'AMD EPYC', which is no GPU of the catalog [(][^)]*[)]; --system dgx-h100 has h100-sxm"
              validate collectives --measured ${CONTRACT_DATA}/commbench_mpi_cpu.json --system dgx-h100 --gpus 2)
contract_test("measured on several GPUs is named" 0
              "note: [^ ]*commbench_mixed_gpus[.]json ran on several devices [(]'NVIDIA A100-SXM4-80GB', 'NVIDIA H100 80GB HBM3'[)]"
              validate collectives --measured ${CONTRACT_DATA}/commbench_mixed_gpus.json --system dgx-h100 --gpus 2)
add_test(NAME "cli: contract: measured on a CPU, predicted on the host system, gets no note"
  COMMAND sh -c "COMMSIM_DATA_DIR=\"$2\" \"$0\" validate collectives --measured \"$1\" --system localhost --gpus 2 2>&1 >/dev/null | grep -q 'no GPU of the catalog' && { echo 'FAIL: a note on the host system'; exit 1; }; exit 0"
  ${COMMSIM_BIN} ${CONTRACT_DATA}/commbench_mpi_cpu.json ${PROJECT_SOURCE_DIR})
# A recompute other than full on the command line drops the config's block recompute (it is Megatron's
# --recompute-method block, under full only), as a new --pp drops the file's stage split; given on the command
# line beside it, it is still refused. `train --auto` on nemotron3-nano-h100 (recompute_num_layers: 15) picks
# recompute none, which could not be re-run (helper-148, 2026-12-07).
contract_test("--recompute none drops the config's block recompute" 3 "recompute none"
              train nemotron3-nano-h100 --recompute none)
contract_test("--set training.recompute=selective drops the config's block recompute" 3 "recompute selective"
              train nemotron3-nano-h100 --set training.recompute=selective)
# --recompute full after it restores the file's blocks: the run ended with all layers recomputed.
contract_test("--recompute full after --set training.recompute restores the file's block recompute" 0
              "recompute full of the first 15 layer[(]s[)] per model chunk\n# overrides: training.recompute=selective [(]--set[)] training.recompute=full [(]--recompute[)]\n"
              train nemotron3-nano-h100 --set training.recompute=selective --recompute full)
contract_test("block recompute given beside recompute none is refused" 2
              "^commsim: error: --set: training.recompute_num_layers: needs recompute: full"
              train nemotron3-nano-h100 --recompute none --set training.recompute_num_layers=4)
# dp is what the GPUs leave of tp x pp x cp: a new tp, pp, cp or GPU count drops the file's dp (`--tp 4` on
# llama3-70b-h100, dp: 2, was refused and blamed on --tp); a dp given on the command line stays.
contract_test("--tp drops the config's dp" 3 "TP4 PP4 DP4 CP1" train llama3-70b-h100 --tp 4)
contract_test("--set parallelism.tp drops the config's dp" 3 "TP4 PP4 DP4 CP1" train llama3-70b-h100 --set parallelism.tp=4)
contract_test("--gpus drops the config's dp" 0 "128 x h100-sxm[^\n]*\n# TP8 PP4 DP4 CP1" train llama3-70b-h100 --gpus 128)
# The header (and JSON context.overrides) says what was dropped: `--gpus 128` turned the file's dp 2 into 4 unsaid.
contract_test("the header says the file's dp was dropped" 0
              "^# overrides: cluster.gpus=128 [(]--gpus[)] parallelism.dp=~ [(]the file's 2, dropped: --gpus[)]$"
              train llama3-70b-h100 --gpus 128)
contract_test("the header says the file's block recompute was dropped" 3
              "^# overrides: training.recompute=selective [(]--set[)] training.recompute_num_layers=~ [(]the file's 15, dropped: --set training.recompute[)]$"
              train nemotron3-nano-h100 --set training.recompute=selective)
contract_test("a dp given beside --tp is kept" 2 "^commsim: error: --dp: parallelism: tp[*]pp[*]dp[*]cp = 48 does not equal the 64 GPUs"
              train llama3-70b-h100 --tp 4 --dp 3)
# A cache cliff needs a cache side that says how fast its bytes move: a measured sendrecv flat up to 64K put one
# above it with bandwidth_scale 5.6e7 below, and calibrate stopped with exit 2 ("not this system's").
contract_test("calibrate: rows flat below a candidate cliff are no cache level" 0
              "(?s)sendrecv fit: latency_scale [0-9.]+, bandwidth_scale [0-9.]+, loss [0-9.]+ over [0-9]+ rows.*wrote "
              calibrate --system localhost --gpus 4 --measured ${PROJECT_SOURCE_DIR}/tests/data/logs/commbench_mpi_1x4_sendrecv_flat_small.log
              --out ${CMAKE_CURRENT_BINARY_DIR}/contract-flat-sendrecv.yaml)

# GPU figures a user writes, bounded as the others are (helper-169): a scale-up link that is none (pcie, nic)
# changed the answer, 1e8 dies flipped the export-control class, a 1-byte memory was "does not fit" (exit 3), and
# a refused unit did not say which units there are.
contract_test("a GPU's scale-up technology that is no scale-up link" 2
              "^commsim: error: --set: key 'gpu.scale_up.technology': 'pcie' is not a scale-up link .*one of hccs, host-shm, nvlink3, .*xgmi"
              topo --system hgx-h20 --set gpu.scale_up.technology=pcie)
contract_test("a GPU of 17 dies" 2 "^commsim: error: --set: key 'gpu.dies': at most 16 compute dies per package"
              topo --system hgx-h20 --set gpu.dies=17)
contract_test("a GPU memory of one byte" 2 "^commsim: error: --set: key 'gpu.memory.capacity': a device's memory is 1 GiB to 16 TiB"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set gpu.memory.capacity=1B)
contract_test("a GPU of 2000 SMs" 2 "^commsim: error: --set: key 'gpu.sms': at most 1024 SMs"
              topo --system hgx-h20 --set gpu.sms=2000)
contract_test("a refused unit lists the dimension's units" 2
              "key 'gpu.memory.bandwidth': '4TBs' has unit 'TBs', which is not a bandwidth unit [(]expected a bandwidth such as 450GB/s or 400Gb/s; units: B/s KB/s .* TBps Mbps Gbps Tbps[)]"
              topo --system hgx-h20 --set gpu.memory.bandwidth=4TBs)
contract_test("a model of a million MTP modules" 2 "^commsim: error: --set: key 'model.mtp_layers': at most 16 multi-token prediction modules"
              train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-h800.yaml --set model.mtp_layers=1000000)
contract_test("a PCIe switch uplink of 1000 lanes" 2 "^commsim: error: --set: key 'node.pcie.switch_uplink_lanes': PCIe lanes must be at most 32"
              topo --system dgx-h100 --set node.pcie.switch_uplink_lanes=1000)
# calibrate writes a catalog GPU changed by --set inline, under its name; the check of a GPU of the user's named
# as a catalog GPU refused the file it had just written (helper-170). A link to the catalog's GPU file is that GPU.
add_test(NAME "cli: contract: calibrate --set gpu.* writes a system that loads"
         COMMAND ${EXPECT} 0 "# Avg bus bandwidth +: [0-9.]+" sh -c "\"$0\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$2\" --set gpu.scale_up.bandwidth_per_link=20GB/s -O \"$1/calibrated-set-gpu.yaml\" 2>/dev/null && \"$0\" collective -s \"$1/calibrated-set-gpu.yaml\" --nodes 2 -b 1M -e 1M"
                 ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR}/tests/data/logs/gh200_2x1_all_reduce.log)
add_test(NAME "cli: contract: a link to a catalog GPU file is that GPU"
         COMMAND ${EXPECT} 0 "^system: link-to-h100 .*\ngpu: h100-sxm " sh -c "cd \"$1\" && ln -sf \"$2/topologies/gpus/h100-sxm.yaml\" h100-link.yaml && printf 'schema_version: 1\\nkind: system\\nname: link-to-h100\\ngpu: h100-link.yaml\\nnode: hgx-8-nvswitch\\nfabric: ib-ndr-rail\\n' > link-to-h100.yaml && \"$0\" topo -s link-to-h100.yaml"
                 ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties("cli: contract: calibrate --set gpu.* writes a system that loads" "cli: contract: a link to a catalog GPU file is that GPU"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
contract_test("a GPU-hour at 299 USD" 2 "^commsim: error: --set: key 'cost.gpu_hour_usd': a GPU-hour costs 0.01 to 100 USD"
              train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set cost.gpu_hour_usd=299)
