# Issue 7 "Checks that mean something", "Every key settable, every result honest", "One vocabulary" (commsim
# side): gates that fail on nothing, zero scales, -f, model shapes, --set on training keys, exit 3 in every
# format, overrides and the bottleneck in every format, the shared CSV schema and flag names.
set(CHK ${CMAKE_CURRENT_SOURCE_DIR}/data/checks)
set(VAL ${CMAKE_CURRENT_SOURCE_DIR}/data/validation)
set(T70 ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml)
set(NOFIT train --model llama3-70b --system dgx-h100 --gpus 8 --tp 8 --seq-len 8192 --global-batch 64)
set(CHECKS_TESTS)
macro(checks_test name code regex)
  commsim_cli_test("checks: ${name}" ${code} "${regex}" ${ARGN})
  list(APPEND CHECKS_TESTS "cli: checks: ${name}")
endmacro()

# Validation gates: exit 2 for a bad bound, exit 1 when the gate fails, including on no qualifying row.
checks_test("gate on a header-only CSV fails" 1 "--max-median-error-64m: no rows >= 64 MiB to check"
            validate collectives ${CHK}/nccl_header_only.csv --max-median-error-64m 15)
checks_test("gate with a negative bound" 2 "--max-median-error-64m: the bound must be a finite percentage >= 0"
            validate collectives ${VAL}/nccl_public.csv --max-median-error-64m -15)
# Each mode's options, refused in the other (a gate of the other mode passed at exit 0, never checked).
checks_test("CSV mode with --measured's gate" 2 "^commsim: error: --max-median-error: applies with --measured"
            validate collectives ${VAL}/nccl_public.csv --max-median-error 0.001)
checks_test("CSV mode with a system" 2 "^commsim: error: --set: applies with --measured"
            validate collectives ${VAL}/nccl_public.csv --set fabric.nic_speed=200Gb/s)
checks_test("measured mode with the CSV's gate" 2 "^commsim: error: --max-median-error-1m: applies to a CSV of published results, not to --measured"
            validate collectives --system dgx-a100 --gpus 2 --measured ${VAL}/../logs/a100_1x2_all_reduce_debug.log --max-median-error-1m 0.001)
checks_test("measured mode beside a CSV" 2 "^commsim: error: --measured: a CSV of published results .* and --measured are two modes"
            validate collectives ${VAL}/nccl_public.csv --system dgx-a100 --gpus 2 --measured ${VAL}/../logs/a100_1x2_all_reduce_debug.log)
# A row printed twice in one run (two ranks' copies) weighed twice in every median and fit; --op naming another
# collective than the log's was ignored.
checks_test("log with another rank's copy of a row" 2 "log_duplicate_row.log:16: another rank's copy of the result for reduce_scatter float 8388608 B sum at line 15"
            validate collectives --measured ${CHK}/log_duplicate_row.log --system dgx-a100 --gpus 4)
# nccl-tests -N repeats the size loop in one table: each cycle is a measurement (not a copy), kept.
checks_test("log of two -N cycles" 0 "^all_reduce +16 "
            validate collectives --measured ${CHK}/log_cycles_2x1.log --system dgx-h100 --nodes 2 --gpus-per-node 1)
checks_test("--op that no log needs, against the log's collective" 2 "gh200_2x1_all_reduce.log:[0-9]+: this table measures all_reduce [(]the log says so[)], and no file needs --op all_gather"
            calibrate --measured ${VAL}/../logs/gh200_2x1_all_reduce.log --system dgx-h100 --nodes 2 --gpus-per-node 1 --op all_gather -O /dev/null)
# --op names the collective of the logs that do not; another file naming its own is read as it says.
checks_test("--op beside a log that names its collective" 0 "^all_reduce +14 "
            calibrate --measured ${VAL}/../logs/old_error_column_1x8_all_reduce.log ${VAL}/../logs/gh200_2x1_all_reduce.log --system dgx-h100 --op all_reduce -O /dev/null)
# A measured prod (or int8) row is predicted as NCCL would run it: not on NVLS.
checks_test("measured prod rows are not NVLS" 0 "log_prod_1x8.log +all_reduce +8 +268435456 .* ring +Simple"
            validate collectives --measured ${CHK}/log_prod_1x8.log --system dgx-h100 --gpus 8)
checks_test("validate --measured with --set nodes" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply: the measurements give the scale"
            validate collectives --system dgx-a100 --set nodes=4 --measured ${VAL}/../logs/mpirun_tag_output_1x4_reduce_scatter.log)
# Physically impossible measurements were predicted and counted (-88.7%, -99.9%), exit 0.
checks_test("validate kernels above the dense peak" 2 "kernel_above_peak.csv:2: key 'value': 7000 TFLOPS is above h800-sxm's dense fp8_block peak"
            validate kernels ${CHK}/kernel_above_peak.csv)
checks_test("validate memory above any GPU" 2 "memory_above_any_gpu.csv:2: key 'memory_GiB_per_gpu': .*82400 GiB is more than any GPU of the catalog holds"
            validate memory ${CHK}/memory_above_any_gpu.csv)
# A time or a busbw edited alone was compared or fitted as it stood (`error 0.0%` for busbw 0; t_err -86.8%
# beside bw_err -0.1% in a fit).
checks_test("CSV busbw against its time" 2 "nccl_busbw_edited.csv:2: key 'busbw_GBps': 46.53 GB/s disagrees with the time"
            validate collectives ${CHK}/nccl_busbw_edited.csv)
checks_test("log time against its algbw" 2 "log_time_edited.log:15: the out-of-place algbw 85.25 GB/s disagrees with the time"
            validate collectives --measured ${CHK}/log_time_edited.log --system dgx-a100 --gpus 4)
# An older commbench build printed 13537807 us as `1e+07`: refused as an edited time, or read 26% short.
checks_test("log time printed 1e+07 is read from its algbw" 0 "log_coarse_time.log +all_reduce +4 +8589934592 +1363481[0-9][.][0-9]+ "
            validate collectives --measured ${CHK}/log_coarse_time.log --system localhost --gpus 4 --op all_reduce)
# Hosts that cannot be nodes of one size, or flags that contradict them, were predicted as one NVLink node.
checks_test("log of 4 ranks on 3 hosts" 2 "log_uneven_hosts.log:9: ranks spread unevenly over hosts [(]nodeA 1, nodeB 1, nodeC 2[)]: commsim models nodes of one size"
            validate collectives --measured ${CHK}/log_uneven_hosts.log --system dgx-h100)
checks_test("log of 3 ranks on one host and 1 on another" 2 "log_uneven_3_1.log:9: ranks spread unevenly over hosts [(]nodeA 3, nodeB 1[)]"
            validate collectives --measured ${CHK}/log_uneven_3_1.log --system dgx-h100)
checks_test("2-host log against --gpus 2" 2 "gh200_2x1_all_reduce.log:[0-9]+: measured on 2 hosts .*, but the flags make 1 node"
            calibrate --measured ${VAL}/../logs/gh200_2x1_all_reduce.log --system dgx-h100 --gpus 2 -O /dev/null)
# The reverse: a one-host log against --nodes 2 was predicted over InfiniBand (+330% errors) and calibrated so
# (bandwidth_scale 8.9; helper-153).
checks_test("1-host log against --nodes 2" 2 "a100_1x2_all_reduce_debug.log:[0-9]+: measured on 1 host [(]its Rank lines or context.hosts[)], but the flags make 2 nodes"
            validate collectives --measured ${VAL}/../logs/a100_1x2_all_reduce_debug.log --system dgx-h100 --nodes 2 --gpus-per-node 1)
# The same log twice in one file (cat a.log a.log): its rows counted twice in every median and fit (helper-153).
checks_test("one log twice in a file" 2 "log_run_twice.log:[0-9]+: this run's rows are the run's at line [0-9]+, every time and busbw alike: the same log twice in one file"
            validate collectives --measured ${CHK}/log_run_twice.log --system dgx-h100)
# Files of two GPUs fitted into one system file (a GH200 and an A100 log into dgx-h100, exit 0).
checks_test("calibrate over two GPUs' files" 2 "^commsim: error: --measured: the files ran on different GPUs: a100-sxm-80gb [(][^)]*a100_1x2_all_reduce_debug.log[)], h200-sxm [(][^)]*gh200_2x1_all_reduce.log[)]"
            calibrate --measured ${VAL}/../logs/gh200_2x1_all_reduce.log --measured ${VAL}/../logs/a100_1x2_all_reduce_debug.log --system dgx-h100 -O /dev/null)
# A commbench CSV's unknown reduction was read as sum, its row kept apart from its in-place twin.
checks_test("commbench CSV with an unknown redop" 2 "commbench_bogus_redop.csv:2: key 'redop': unknown reduction 'bogus'"
            validate collectives --measured ${CHK}/commbench_bogus_redop.csv --system localhost)
# A blank case_id was printed as a blank case (the training, memory and kernel files refused it).
checks_test("published CSV with an empty case_id" 2 "nccl_empty_case_id.csv:2: key 'case_id': empty: each row needs an id"
            validate collectives ${CHK}/nccl_empty_case_id.csv)
# A table whose footer says it failed its data check (older nccl-tests: no #wrong column) was fitted, exit 0.
checks_test("log whose footer counts values out of bounds" 2 "3 of 3 measured rows report wrong data .*log_old_failed.log:7"
            validate collectives --measured ${CHK}/log_old_failed.log --system dgx-a100 --op all_reduce)
checks_test("log busbw against its time" 2 "log_busbw_edited.log:15: the out-of-place busbw 6.39 GB/s disagrees with the time"
            validate collectives --measured ${CHK}/log_busbw_edited.log --system dgx-a100 --gpus 4)
checks_test("gate with a NaN bound" 2 "--max-median-error-1m.*(finite|nan)"
            validate collectives ${VAL}/nccl_public.csv --max-median-error-1m nan)
checks_test("gate with an infinite bound" 2 "--max-median-error-64m.*(finite|inf)"
            validate collectives ${VAL}/nccl_public.csv --max-median-error-64m inf)
checks_test("gate that the data fails" 1 "median [|]error[|] over [0-9]+ rows >= 64 MiB is .*above the bound 0.0%"
            validate collectives ${VAL}/nccl_public.csv --max-median-error-64m 0)
checks_test("NaN busbw in a validation CSV" 2 "nccl_nan_busbw.csv:2: cannot read the busbw_GBps value 'nan'"
            validate collectives ${CHK}/nccl_nan_busbw.csv --max-median-error-64m 15)
checks_test("negative size in a validation CSV" 2 "nccl_negative_size.csv:2: the size_bytes is negative"
            validate collectives ${CHK}/nccl_negative_size.csv)
checks_test("training gate on a header-only CSV fails" 1 "--max-median-error: no rows to check"
            validate training ${CHK}/training_header_only.csv --max-median-error 15)
# Without a gate, a header-only file printed "0 rows: median |error| 0.0%", exit 0: now an input error.
checks_test("validate training of a header-only CSV" 2 "^commsim: error: .*training_header_only.csv: no row to predict [(]a header only[)]"
            validate training ${CHK}/training_header_only.csv)
checks_test("validate collectives of a header-only CSV" 2 "^commsim: error: .*nccl_header_only.csv: no row to predict [(]a header only[)]"
            validate collectives ${CHK}/nccl_header_only.csv)
checks_test("validate memory of a header-only CSV" 2 "^commsim: error: .*memory_header_only.csv: no row to predict [(]a header only[)]"
            validate memory ${CHK}/memory_header_only.csv)
checks_test("training gate with a negative bound" 2 "--max-row-error: the bound must be a finite percentage"
            validate training ${VAL}/training_public_2024.csv --max-row-error -1)
checks_test("training row gate that the data fails" 1 "worst [|]error[|] over [0-9]+ rows is .*--max-row-error"
            validate training ${VAL}/training_public_2024.csv --max-row-error 0.01)
checks_test("measured gate with a NaN bound" 2 "--max-median-error.*(finite|nan)"
            validate collectives --system dgx-h100 --measured ${CHK}/none.json --max-median-error nan)

# Zero is not "the default"; CLI11 range messages stay short.
checks_test("collective --nodes 0" 2 "--nodes: must be at least 1, got 0" collective --system dgx-h100 --nodes 0)
checks_test("collective --gpus 0" 2 "--gpus: must be at least 1, got 0" collective --system dgx-h100 --gpus 0)
checks_test("collective --gpus-per-node 0" 2 "--gpus-per-node: must be at least 1, got 0" collective --system dgx-h100 --gpus-per-node 0)
checks_test("topo --nodes 0" 2 "--nodes: must be at least 1" topo --system dgx-h100 --nodes 0)
checks_test("train --gpus 0" 2 "--gpus: must be at least 1, got 0" ${NOFIT} --gpus 0)
checks_test("train --tp 0" 2 "--tp: must be at least 1, got 0" ${NOFIT} --tp 0)
checks_test("train --zero 4" 2 "--zero: must be 0, 1, 2 or 3" ${NOFIT} --zero 4)
add_test(NAME "cli: checks: range errors print no 300-digit bound"
         COMMAND sh -c "\"$0\" collective --system dgx-h100 --nodes -1 2>&1 | grep -Eq '[0-9]{20}' && exit 1; exit 0" ${COMMSIM_BIN})
list(APPEND CHECKS_TESTS "cli: checks: range errors print no 300-digit bound")
checks_test("-f nan" 2 "-f: step factor must be a finite number >= 1" collective --system dgx-h100 -b 1M -e 1G -f nan)
checks_test("-f inf" 2 "-f: step factor must be a finite number >= 1" collective --system dgx-h100 -b 1M -e 1G -f inf)
checks_test("-f below 1" 2 "-f: step factor must be a finite number >= 1, got 0.5$" collective --system dgx-h100 -b 1M -e 1G -f 0.5)

# Model shapes: heads divide hidden unless head_dim is given; kv_heads divide heads.
checks_test("heads not dividing hidden" 2 "train_heads_hidden.yaml:[0-9]+:[0-9]+: key 'model.heads': heads [(]48[)] does not divide hidden [(]4000[)]"
            train ${CHK}/train_heads_hidden.yaml)
checks_test("heads not dividing hidden with head_dim" 0 "step time" train ${CHK}/train_heads_hidden_head_dim.yaml)
checks_test("kv_heads not dividing heads" 2 "train_kv_heads.yaml:[0-9]+:[0-9]+: key 'model.kv_heads': kv_heads [(]6[)] does not divide heads [(]32[)]"
            train ${CHK}/train_kv_heads.yaml)

# --set reaches every training key; errors blame --set or the flag, file values name file:line.
checks_test("train --set parallelism and training" 0 "TP8 PP2 DP4 .*global batch 512"
            train ${T70} --set parallelism.pp=2 --set parallelism.dp=4 --set training.global_batch=512)
# 80 layers on 48 stages: 2 per middle stage are 92 > 80, and 48 divides neither 80 nor 82 (no default split).
checks_test("train --set blamed for a bad layout" 2 "^commsim: error: --set: parallelism.pp: 48 does not divide layers [(]80[)]"
            train ${T70} --set parallelism.pp=48 --set parallelism.tp=1 --set parallelism.dp=1 --gpus 48)
checks_test("train flag blamed for a bad layout" 2 "^commsim: error: --pp: parallelism.pp: 48 does not divide layers [(]80[)]"
            train ${T70} --pp 48 --tp 1 --dp 1 --gpus 48)
checks_test("train file value named by line" 2 "train_pp_48.yaml:6:[0-9]+: parallelism.pp: 48 does not divide layers"
            train ${CHK}/train_pp_48.yaml)
checks_test("train --set bad integer" 2 "--set: key 'training.seq_len'.*expected an integer" train ${T70} --set training.seq_len=abc)
checks_test("train --set bad boolean" 2 "--set: key 'overlap.tp'.*expected true or false" train ${T70} --set overlap.tp=maybe)
# A list where a scalar is due said "got ''".
checks_test("train --set a list for a boolean" 2 "--set: key 'overlap.tp': expected true or false .*, got a list" train ${T70} --set "overlap.tp=[1]")
checks_test("train --set a list for an integer" 2 "--set: key 'training.seq_len': expected an integer, got a list" train ${T70} --set "training.seq_len=[1]")
# A GPU figure checked once the kernels are known names where it was given (it named the GPU file).
checks_test("train --set softmax_exp on an arch without a reference" 2 "^commsim: error: --set: key 'gpu.compute.softmax_exp': arch hopper has no kernels.archs.hopper.softmax_exp"
            train ${T70} --set gpu.compute.softmax_exp=5TFLOPS)
# A required key emptied on the command line named the shipped config (or no place).
checks_test("train --set a required key to null" 2 "^commsim: error: --set: training.global_batch: required"
            train ${T70} --set training.global_batch=~)
checks_test("train --set the system to null" 2 "^commsim: error: --set: cluster.system: no system given"
            train ${T70} --set cluster.system=~)
# The system's default scale beside --gpus was ignored (nodes=4 in the overrides line, 16 GPUs run).
checks_test("collective --set nodes beside --gpus" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply: --gpus sizes"
            collective -s dgx-h100 --gpus 16 --set nodes=4)
checks_test("collective NVLS cannot reduce prod" 2 "^commsim: error: --algo: algorithm 'nvls' cannot run all_reduce here: NVSwitch multicast does not reduce prod of float"
            collective -s dgx-h100 -o prod --algo nvls -b 1G -e 1G)
checks_test("collective prod takes another algorithm" 0 "^ +1073741824 +268435456 +float +prod +-1 .* (ring|tree) "
            collective -s dgx-h100 -o prod -b 1G -e 1G)
# NCCL refuses fp8 reductions below sm90; the prediction was a time NCCL never runs.
checks_test("collective fp8 all_reduce on Ampere" 2 "^commsim: error: -d/--datatype fp8 with --op all_reduce: NCCL reduces f8e4m3 only on sm90 and newer GPUs .*, not on a100-sxm-80gb [(]ampere[)]; all_gather"
            collective -s dgx-a100 -d fp8 -b 1M -e 1M)
checks_test("collective fp8 all_gather on Ampere" 0 "^ +1048576 +131072 +f8e4m3 +none .* ring "
            collective -s dgx-a100 -d fp8 --op all_gather -b 1M -e 1M)
# Over more than 8 ranks NCCL's tuner weighs an fp8 ring x1024: four hgx-h20 nodes take the tree at 4 GiB.
checks_test("collective fp8 ring is the last resort" 0 "^ +4294967296 +4294967296 +f8e4m3 +sum .* tree "
            collective -s hgx-h20 --nodes 4 -d fp8 -b 4G -e 4G)
# --op all leaves out the reductions NCCL refuses and says so; the moves run.
checks_test("collective fp8 --op all on Ampere" 0 "^ +1048576 +131072 +f8e4m3 +none .* ring "
            collective -s dgx-a100 -d fp8 --op all -b 1M -e 1M)
checks_test("collective fp8 --op all on Ampere says what it left out" 0 "all_reduce, reduce_scatter, reduce not predicted: NCCL reduces f8e4m3 only on sm90"
            collective -s dgx-a100 -d fp8 --op all -b 1M -e 1M -O /dev/null)
# Training keys that ran as if unset or beyond what they can mean (exit 0 before).
set(MIX ${PROJECT_SOURCE_DIR}/configs/train/mixtral-8x7b-h100.yaml)
checks_test("train moe_imbalance beyond experts / top_k" 2 "^commsim: error: --set: training.moe_imbalance: 5 is more than the busiest expert can take: every routed token, 4 times"
            train ${MIX} --set training.moe_imbalance=5)
checks_test("train moe_imbalance at experts / top_k" 0 "step time" train ${MIX} --set training.moe_imbalance=4)
# training.tokens from --set below one step was blamed on --global-batch (2026-12-05).
checks_test("train tokens below a step names its --set" 2 "^commsim: error: --set: training.tokens: 1 tokens are less than one step's"
            train ${T70} --set training.tokens=1)
# No price: the JSON's gpu_hour_usd and pricing are null, as cost_usd (gpu_hour_usd was 0.0).
checks_test("train JSON without a price has a null price" 0 "\"gpu_hour_usd\": null"
            train --model llama3-8b --system dgx-h100 --gpus 8 --tp 2 --seq-len 8192 --global-batch 64 --set training.tokens=1T --format json)
checks_test("train recompute_modules with a module twice" 2 "--set: key 'training.recompute_modules': 'mlp' is given twice: each module once"
            train ${T70} --recompute selective --set "training.recompute_modules=[mlp, mlp]")
checks_test("train recompute_modules beside --recompute full" 2 "training.recompute_modules: needs recompute: selective .*, not full"
            train ${T70} --recompute full --set training.recompute_modules=[mlp])
# A layout search tries every recompute policy: modules from --set apply to its selective layouts only.
checks_test("train --auto with recompute_modules from --set" 0 "^# overrides: training.recompute_modules=[[]mlp[]] [(]--set[)]"
            train ${T70} --auto --set training.recompute_modules=[mlp])
# Ranks that hold every expert do all the routed work whatever the routing: imbalance changes nothing there
# (the step time of u = 1; this layout does not fit in memory, exit 3, either way).
checks_test("train moe_imbalance with every expert on a rank" 3 "step time +5.940 "
            train ${MIX} --ep 1 --set training.moe_imbalance=4)
checks_test("train mtp on a model without MTP" 2 "training.mtp: model 'llama3-70b' has no multi-token-prediction layers"
            train ${T70} --set training.mtp=true)
checks_test("train tokens in hex" 2 "training.tokens: '0x10' is not a count" train ${T70} --set training.tokens=0x10)
checks_test("plan tokens in hex" 2 "--tokens: '0x1p40' is not a count" plan --model llama3-8b --tokens 0x1p40 --candidates dgx-h100)
checks_test("train cost.gpu_hour_usd unset keeps the pricing" 0 "cost +[0-9.]+ +M USD +at 2.99 USD/GPU-h [(]rent"
            train ${T70} --set cost.pricing=rent --set cost.gpu_hour_usd=~)
checks_test("train tp against another file's model names it" 2 "llama3-70b-h100.yaml:5:19: parallelism.tp: 8 does not divide ffn_hidden [(]28671[)] of model 'odd-ffn' [(].*odd_ffn_model.yaml[)]"
            train ${T70} --set model=${CHK}/odd_ffn_model.yaml)
# A config's cluster.set changed the system without a word in the table (a 40 GiB H100 read as the catalog's).
checks_test("train table names the config's cluster.set" 0 "^# cluster.set: gpu.memory.capacity=40GiB$"
            train ${CHK}/cluster_set_memory.yaml)
# A default scale from --set nodes beyond what commsim models named the system, not the --set.
checks_test("collective --set nodes beyond the model" 2 "^commsim: error: --set: key 'nodes': system 'dgx-h100' [(]100000 nodes[)]: 800000 ranks is more than"
            collective -s dgx-h100 --set nodes=100000)
# A time of 10 s or more is printed whole, not as 1e+07 (26% low).
checks_test("collective long time printed whole" 0 "^ +68719476736 +17179869184 +float +sum +-1 +13537807 "
            collective -s localhost -b 64G -e 64G)
# A value from the environment named the flag the user never typed.
checks_test("COMMSIM_PROTO named as itself" 2 "^commsim: error: COMMSIM_PROTO [(]--proto[)]: unknown protocol 'foo'" collective -s dgx-h100)
checks_test("COMMSIM_SYSTEM named as itself" 2 "^commsim: error: COMMSIM_SYSTEM [(]--system[)]: unknown system 'nope'" collective)
# A mesh node whose GPUs have fewer links than peers was predicted as if each peer had its own link.
checks_test("mesh with fewer links than peers" 2 "^commsim: error: --set: key 'gpu.scale_up.links': 3 links per GPU cannot join a full mesh of 8 GPUs"
            collective -s mi300x-8 --set gpu.scale_up.links=3)
checks_test("train --set unknown section" 2 "--set: key 'optimizer'.*unknown key 'optimizer'" train ${T70} --set optimizer.lr=3e-4)
checks_test("train --set inside a built-in model" 0 "overrides: model.layers=40 [(]--set[)]" train ${T70} --set model.layers=40)
checks_test("train --set cost" 0 "at 3.00 USD/GPU-h" train ${T70} --set cost.gpu_hour_usd=3)
# A GPU-hour price was read as a ratio (any size): 1e308 printed a cost of "inf M USD", exit 0. It is a price now.
checks_test("train --set cost past a price's range" 2 "--set: key 'cost.gpu_hour_usd': '1e308' is outside the plausible range of a price"
            train ${T70} --set cost.gpu_hour_usd=1e308)
# cost.pricing: the prices file's figure for the system's GPU (H100: rent 2.99; purchase 350,000 / 8 / 35,040 h
# + 10.2 kW / 8 x 1.3 x 0.08 = 1.38 USD/GPU-h); a --set of it replaces the file's cost.gpu_hour_usd.
checks_test("train cost.pricing rent" 0 "at 2[.]99 USD/GPU-h [(]rent, prices[.]yaml[)]" train ${T70} --set cost.pricing=rent)
checks_test("train cost.pricing purchase" 0 "at 1[.]38 USD/GPU-h [(]purchase, prices[.]yaml[)]" train ${T70} --set cost.pricing=purchase)
# Whole nodes are paid for: 8 DGX H100 nodes at one GPU each cost their 64 GPUs (the 8 used were priced until
# 2026-12-06: $5,050 for 19 days of eight servers). 3,656 GPU-hours used; 64 x 19.04 days x 24 x 1.3812 = $40,400.
checks_test("train cost of partly used nodes pays for whole nodes" 0
            "cost +0[.]0404 +M USD +at 1[.]38 USD/GPU-h [(]purchase, prices[.]yaml[)] for the 64 GPUs of its 8 nodes, 8 used"
            train -m llama3-8b -s dgx-h100 --nodes 8 --gpus-per-node 1 --tp 1 --zero 1 --seq-len 4096 --global-batch 64
            --set training.tokens=100B --set cost.pricing=purchase)
checks_test("train cost.pricing without a price for the GPU" 2
            "--set: key 'cost.pricing': no rent price for GPU 'h20' in .*prices[.]yaml [(]gpus[.]h20[.]rent_per_gpu_hour[)]"
            train ${T70} --set cost.pricing=rent --system hgx-h20)
checks_test("train cost.pricing unknown" 2 "--set: key 'cost.pricing': unknown value 'lease'" train ${T70} --set cost.pricing=lease)
checks_test("train two prices in one file" 2 "train_two_prices.yaml:5:[0-9]+: key 'cost.pricing': give cost.gpu_hour_usd or cost.pricing, not both"
            train ${CHK}/train_two_prices.yaml)
checks_test("train --set system key" 0 "overrides: fabric.nic_speed=200Gb/s [(]--set[)]" train ${T70} --set fabric.nic_speed=200Gb/s)
checks_test("train --set without a config" 0 "step time" train --model llama3-8b --system dgx-h100 --gpus 8
            --set training.seq_len=2048 --set training.global_batch=8)
# --model with --set model.KEY: the keys edit the flag's model (they once built an inline model without a name).
checks_test("train --model with --set model.layers" 0 "commsim train: llama3-8b [(]4[.][0-9]B params"
            train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 2048 --global-batch 8 --set model.layers=16)
checks_test("plan --model with --set model.layers" 0 "commsim plan: llama3-8b in bf16, 1.000T tokens"
            plan --model llama3-8b --set model.layers=16 --tokens 1T --deadline 30d --candidates dgx-h100)
checks_test("train config without model" 2 "train_no_model.yaml.*model: no model given" train ${CHK}/train_no_model.yaml)
checks_test("train config with a list in cluster.set" 2 "train_set_list.yaml:7:[0-9]+: key 'cluster.set.0.': expected a string"
            train ${CHK}/train_set_list.yaml)

# Every result honest: exit 3 in every format with the row printed; overrides in every format.
checks_test("train does not fit, csv" 3 "^llama3-70b,dgx-h100,8,.*,false," ${NOFIT} --format csv)
checks_test("train does not fit, json" 3 "\"fits\": false" ${NOFIT} --format json)
checks_test("train does not fit, table" 3 "fits +NO" ${NOFIT})
checks_test("train overrides in the table" 0 "^# overrides: parallelism.pp=2 [(]--pp[)] parallelism.dp=4 [(]--dp[)]" train ${T70} --pp 2 --dp 4)
checks_test("train overrides in csv" 0 "^# overrides: parallelism.pp=2 [(]--pp[)]" train ${T70} --pp 2 --dp 4 --format csv)
checks_test("train overrides in json" 0 "\"origin\": \"--pp\"" train ${T70} --pp 2 --dp 4 --format json)
checks_test("collective overrides in csv" 0 "^# overrides: fabric.nic_speed=200Gb/s"
            collective --system dgx-h100 --nodes 2 --set fabric.nic_speed=200Gb/s -b 1G -e 1G --format csv)
checks_test("collective bottleneck in the table" 0 "bottleneck" collective --system dgx-h100 --nodes 2 -b 1G -e 1G)
checks_test("collective bottleneck in csv" 0 "^all_reduce,1073741824,.*,[^,]+$" collective --system dgx-h100 --nodes 2 -b 1G -e 1G --format csv)
checks_test("collective --help shows defaults" 0 "--minbytes TEXT=32M" collective --help)
checks_test("train --help shows defaults" 0 "--format TEXT=table" train --help)

# One vocabulary: the CSV schema, -o/--redop with --op-reduce, --op lists.
checks_test("collective csv schema" 0
            "^op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,protocol,bottleneck$"
            collective --system dgx-h100 -b 1M -e 1M --format csv)
checks_test("--redop" 0 "float +max" collective --system dgx-h100 -b 1M -e 1M --redop max)
checks_test("-o" 0 "float +min" collective --system dgx-h100 -b 1M -e 1M -o min)
checks_test("--op-reduce alias" 0 "float +prod" collective --system dgx-h100 -b 1M -e 1M --op-reduce prod)
checks_test("--op list" 0 "prediction: all_gather" collective --system dgx-h100 -b 1M -e 1M --op all_reduce,all_gather)
checks_test("--op list with an empty item" 2 "--op: empty operation name" collective --system dgx-h100 --op all_reduce,,all_gather)
checks_test("--op list with an unknown item" 2 "--op: unknown operation 'allmagic'" collective --system dgx-h100 --op all_reduce,allmagic)

# Ranges that kept a number finite (a robustness review, 2026-12-03): a scale of 1e-310 or an efficiency of
# 1e-310 made every time inf, printed with exit 0; a bit length of 1e308 made every TPP inf; an empty band held
# every GPU; a kernel efficiency of 50 timed GEMMs at twice the H100's peak; a fit outside the scales a system
# file accepts was written, then refused on load.
checks_test("fabric efficiency past its range" 2 "--set: key 'fabric.efficiency': efficiency must be in [[]0.01, 1[]]"
            train ${T70} --set fabric.efficiency=1e-310)
checks_test("bandwidth scale past its range" 2 "--set: key 'calibration.bandwidth_scale': bandwidth_scale must be a ratio in [[]1e-6, 1e6[]]"
            collective -s dgx-h100 --set calibration.bandwidth_scale=1e-310)
checks_test("cache levels and scales of two lengths" 2 "--set: key 'calibration.dram_bandwidth_scale': dram_bandwidth_scale has 1 value.s., cache_bytes 2"
            collective -s localhost --gpus 2 --set "calibration.cache_bytes=[1MiB, 4MiB]" --set calibration.dram_bandwidth_scale=0.5)
checks_test("cache level scale past its range" 2 "--set: key 'calibration.dram_bandwidth_scale': dram_bandwidth_scale.1. must be a ratio"
            collective -s localhost --gpus 2 --set "calibration.cache_bytes=[1MiB, 4MiB]" --set "calibration.dram_bandwidth_scale=[1, 1e-310]")
checks_test("oversubscription past its range" 2 "--set: key 'fabric.oversubscription'.* must be in [[]1, 1000[]]"
            train ${T70} --set fabric.oversubscription=1e300)
checks_test("export-control bit length past 64" 2 "export_bit_length_huge.yaml:10:[0-9]+: key 'bit_length.bf16': expected a positive number up to 64"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_bit_length_huge.yaml)
# A bit length's provenance is checked as a GPU file's (a typo of `source`, a kind that is none were accepted).
checks_test("export-control provenance key typo" 2 "export_provenance_typo.yaml:10:[0-9]+: key 'bit_length.bf16.sourc': unknown key 'sourc'"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_provenance_typo.yaml)
checks_test("export-control provenance kind" 2 "export_provenance_kind.yaml:10:[0-9]+: key 'bit_length.bf16.kind': unknown value 'bogus'"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_provenance_kind.yaml)
checks_test("export-control bit length of an unknown rate" 2 "export_bit_length_unknown.yaml:12:[0-9]+: key 'bit_length.tf32': not a rate the catalog gives"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_bit_length_unknown.yaml)
checks_test("export-control empty band" 2 "export_empty_band.yaml:21:[0-9]+: key 'classes[[]0[]].any[[]1[]]': a band needs at least one of"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_empty_band.yaml)
checks_test("export-control band with only an unknown key" 2 "export_band_unknown_key.yaml:21:[0-9]+: key 'classes[[]0[]].any[[]1[]].tpp_max': unknown key 'tpp_max'"
            catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_band_unknown_key.yaml)
checks_test("kernel efficiency above 1" 2 "kernel_cal_gemm_over_one.yaml:12:[0-9]+: key 'kernels.archs.hopper.gemm_bf16': gemm_bf16 must be at most 1"
            validate kernels ${VAL}/kernel_benchmarks.csv --compute-efficiency ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/kernel_cal_gemm_over_one.yaml)
# An arch misspelt in a calibrated-constants file was read and never used (every GPU of the arch kept the
# shipped constants); an SM count was not bounded (a typo of 13,200 SMs made every small GEMM one wave).
checks_test("kernel calibration names no arch" 2 "kernel_cal_arch_typo.yaml:9:[0-9]+: key 'kernels.archs.hoper': no GPU arch 'hoper' [(]one of ampere, hopper, blackwell"
            validate kernels ${VAL}/kernel_benchmarks.csv --compute-efficiency ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/kernel_cal_arch_typo.yaml)
checks_test("kernel calibration SM count" 2 "kernel_cal_sms_huge.yaml:[0-9]+:[0-9]+: key 'kernels.gpu_sms.h200-sxm': at most 1024 SMs"
            validate kernels ${VAL}/kernel_benchmarks.csv --compute-efficiency ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/kernel_cal_sms_huge.yaml)
checks_test("calibrate fit outside the loadable scales" 2 "calib_times_not_this_system.log: the fitted rows give bandwidth_scale [0-9.e+]+, outside [[]1e-6, 1e6[]]"
            calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 --op all_reduce
            -m ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/calib_times_not_this_system.log -O ${CMAKE_CURRENT_BINARY_DIR}/never-written.yaml)
# A 1,024-package scale-up node: one shortest-path search per pair made its alltoall run past 20 s (one per
# source now: 1.3 s on this machine).
checks_test("alltoall on a 1024-GPU node" 0 "alltoall"
            collective -s gb200-nvl72 --set node.gpus=1024 --set node.board.gpus=4 --nodes 1 --op alltoall -b 1M -e 1M)
set_tests_properties("cli: checks: alltoall on a 1024-GPU node" PROPERTIES TIMEOUT 60)

set_tests_properties(${CHECKS_TESTS}
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
set_tests_properties("cli: checks: COMMSIM_PROTO named as itself" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR};COMMSIM_PROTO=foo")
set_tests_properties("cli: checks: COMMSIM_SYSTEM named as itself" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR};COMMSIM_SYSTEM=nope")

# --set reaches study keys too (system keys still apply to every system).
checks_test("study --set size" 0 "message size 1 MiB" study --set size=1MiB)
checks_test("study --set ops list" 0 "all_gather busbw" study --set "ops=[all_gather]")
checks_test("study --set bad value" 2 "--set: key 'size'" study --set size=-1B)
checks_test("study --set unknown key" 2 "--set: key 'colour'.*unknown key" study --set colour=red)
# Past the sweep's bound the study file was blamed, with no line (helper-153).
checks_test("study --set gpus past the bound" 2 "^commsim: error: --set: key 'gpus': '200000000' is more than 100,000,000 GPUs"
            study --set "gpus=[200000000]")
# Older-form studies (systems x gpus x ops): a system key's --set, or a systems list, that is bad is blamed where
# it was given, not on the study file's axes.system (2026-12-05).
checks_test("study --set bad system key" 2 "^commsim: error: --set: key 'fabric.nic_speed': 'fast' does not start with a number"
            study --set fabric.nic_speed=fast)
checks_test("study --set systems with an unknown one" 2 "^commsim: error: --set: key 'systems': unknown system 'nope'"
            study --set "systems=[hgx-h20, nope]")
checks_test("study file with an unknown system" 2 "study_unknown_system.yaml:6:3: key 'systems.1.': unknown system 'nope'"
            study ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/study_unknown_system.yaml)
# A null entry was "a nested list or mapping", without a line.
checks_test("study file with a null system" 2 "study_null_system.yaml:5:10: key 'systems': entry 2 is empty [(]~ or null[)]"
            study ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/study_null_system.yaml)
set_tests_properties("cli: checks: study --set bad system key" "cli: checks: study --set systems with an unknown one"
                     "cli: checks: study file with an unknown system" "cli: checks: study file with a null system" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
# A precision the GPU has no rate for names where the precision came from (it named no place).
checks_test("train precision without a rate names --set" 2 "^commsim: error: --set: training.precision: fp8 needs a GPU with an fp8 rate; a100-sxm-80gb has none"
            train ${PROJECT_SOURCE_DIR}/configs/train/gpt-inline-a100.yaml --set training.precision=fp8)
checks_test("train precision without a kernel names the flag" 2 "^commsim: error: --precision: training.precision: mxfp8 is not supported on h100-sxm"
            train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --precision mxfp8)
set_tests_properties("cli: checks: train precision without a rate names --set" "cli: checks: train precision without a kernel names the flag"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
checks_test("study overrides in the table" 0 "^# overrides: fabric.nic_speed=200Gb/s" study --set fabric.nic_speed=200Gb/s)
set_tests_properties("cli: checks: study --set size" "cli: checks: study --set ops list" "cli: checks: study --set bad value"
                     "cli: checks: study --set unknown key" "cli: checks: study overrides in the table"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
checks_test("topo overrides in the summary" 0 "^overrides: fabric.nic_speed=200Gb/s" topo --system dgx-h100 --set fabric.nic_speed=200Gb/s)
checks_test("topo overrides in dot" 0 "^// override: fabric.nic_speed=200Gb/s" topo --system dgx-h100 --set fabric.nic_speed=200Gb/s --format dot)

# Rules files that were accepted and classified nonsense: a band no TPP can satisfy, a class given twice or with
# no name, a fractional bit length (TPP x 16.5), an empty `otherwise` (an empty class printed).
foreach(case "band_impossible|:21:[0-9]+: key 'classes[[]0[]].any[[]1[]].tpp_below': must be above tpp_min [(]4800[)]: the band holds no GPU"
             "class_twice|:21:[0-9]+: key 'classes[[]1[]].name': class '3A090.a' is given twice"
             "class_no_name|:21:[0-9]+: key 'classes[[]1[]].name': a class needs a name"
             "bits_fraction|:10:[0-9]+: key 'bit_length.bf16': expected a whole number of bits from 1 to 64"
             "otherwise_empty|:25:[0-9]+: key 'otherwise': expected the class of a GPU no band holds")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 file)
  list(GET parts 1 what)
  checks_test("export-control ${file}" 2 "export_${file}.yaml${what}"
              catalog --export-control --rules ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/export_${file}.yaml)
endforeach()
# DOT output quotes the system's name (a `"` in it ended the ID early); GPUs on root ports are PHB, not PIX, and
# staged in host memory (SHM) as NCCL's default P2P level has them, but for two GPUs on an AMD host (2026-12-06).
checks_test("topo dot quotes the system name" 0 "^digraph \"we\\\\x5c\"ird\\\\x5c\\\\x5cname\" [{]"
            topo --system ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/system_odd_name.yaml --format dot)
checks_test("topo GPUs on root ports are SHM" 0 "^ +r0 +X SHM +30 SHM +30"
            topo --system ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/system_root_ports.yaml)
checks_test("topo two GPUs on an AMD host's root ports are PHB" 0 "^ +r0 +X PHB +54"
            topo --system ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/system_root_ports_amd2.yaml)
# The GPU a log ran on against --system's (2026-12-06, session 41): an A100 log read on dgx-h100 is named on
# stderr and still compared (exit 0); on dgx-a100 no note.
commsim_data_test("validate collectives --measured: a log from another GPU is named" 0
  "note: [^ ]*a100_1x2_all_reduce_debug.log ran on 'NVIDIA A100-SXM4-80GB' \\(a100-sxm-80gb in the catalog\\); --system dgx-h100 has h100-sxm"
  validate collectives --system dgx-h100 --gpus 2 --measured ${VAL}/../logs/a100_1x2_all_reduce_debug.log)
