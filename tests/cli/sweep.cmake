# commsim sweep (issue 9 items 1, 5, 6): the shipped studies end to end, axes/zip/where, the output files
# (resume, interruption, MPI equivalence), the study alias, and bad studies (one message naming file, line
# and key; exit 2).
set(SWEEP_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/sweep)
function(sweep_test name code regex)
  commsim_cli_test("sweep: ${name}" ${code} "${regex}" ${ARGN})
  set_tests_properties("cli: sweep: ${name}" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# Regexes match the whole output (expect.sh: perl, ^ and $ at each line; (?s) lets . cross lines).
# Shipped studies.
sweep_test("nic x oversubscription 405B" 0 "^ +8 +800Gb/s +4 +ok +[0-9.]+ +[0-9]+ "
           sweep nic-oversub-405b)
# The PP sends cross the spine: 4:1 makes them four times slower (0.0666 -> 0.2638 s exposed at 200 Gb/s);
# the step was the same at 1:1 and 4:1 while the closures ignored the leaves.
# (ZeRO-2 reduce-scatters every micro-batch's gradients since 2026-12-08: at 200 Gb/s they outlast the pipeline's
# pace, 3.35 s of DP time, 0.077 s before, when one reduce-scatter a step was costed.)
sweep_test("oversubscription slows the 405B PP sends" 0 "^2,200Gb/s,4,ok,,16384,10\\.4738,.*,0\\.263809,3\\.34502,"
           sweep nic-oversub-405b --csv /dev/stdout)
sweep_test("tp on nvlink vs pcie" 0 "11 +h100-pcie-nvlbridge +8 +ok" sweep tp-nvlink-vs-pcie)
sweep_test("scale-up alltoall" 0 "gb200-nvl72 +64 +alltoall +1GiB +ok +64 .* direct" sweep scale-up-alltoall)
# The same sweep writes its report under ASan (report.sweep.scale-up-alltoall.write): this run is Release only.
set_tests_properties("cli: sweep: scale-up alltoall" PROPERTIES LABELS heavy)
sweep_test("study alias runs a sweep" 0 "commsim sweep 'tp-nvlink-vs-pcie'" study tp-nvlink-vs-pcie)
sweep_test("legacy study through sweep" 0 "66 points; axes: system \\(11\\) gpus \\(2\\) op \\(3\\) size \\(1\\)$" sweep default --dry-run)

# Axes, zip, where, dry run.
sweep_test("dry run counts" 0 "8 points of 12 \\(4 removed by where\\)" sweep ${SWEEP_DATA}/zip_where.yaml --dry-run)
sweep_test("zip keeps pairs" 0 "^ +6 +72 +4 +2 +1$" sweep ${SWEEP_DATA}/zip_where.yaml --dry-run)
# A point's reason names the key its axis value set, without the "--set: " of how the value reaches it.
sweep_test("failed points are rows" 0 "^# point 6 invalid: training.global_batch: 1024 is not divisible" sweep ${SWEEP_DATA}/zip_where.yaml)
sweep_test("an ok row among failed ones" 0 "^ +4 +64 +8 +2 +1 +ok .*TP8 PP2 DP4" sweep ${SWEEP_DATA}/zip_where.yaml)
sweep_test("--set on every point" 0 "does_not_fit" sweep ${SWEEP_DATA}/zip_where.yaml --set training.global_batch=4096 -j 1)
sweep_test("--set a study key" 0 "6 points; axes" sweep ${SWEEP_DATA}/zip_where.yaml --set "axes.gpus=[64]" --set "where=[]" --dry-run)
# An axis key is a whole dotted key: --set reaches it (it made axes.parallelism a section, blamed on the file).
sweep_test("--set a dotted axis key" 0 "6 points of 8 .*parallelism.tp \\(2\\) parallelism.pp \\(2\\)" sweep ${SWEEP_DATA}/zip_where.yaml
  --set "axes.parallelism.tp=[4,8]" --set "axes.parallelism.pp=[2,2]" --dry-run)
sweep_test("--set a dotted axis key, bad value" 2 "^commsim: error: --set: key 'axes.training.micro_batch'.*expected an integer, got 'x'"
  sweep ${SWEEP_DATA}/zip_where.yaml --set "axes.training.micro_batch=[1,x]" --dry-run)
sweep_test("csv to stdout through study" 0 "^11,h100-pcie-nvlbridge,8,ok,"
           study tp-nvlink-vs-pcie --format csv)
sweep_test("progress forced goes to stderr" 0 "sweep: 8/8 points" sweep ${SWEEP_DATA}/zip_where.yaml --progress)

# Bad studies: one message with file, line and key; exit 2.
# An inline base's bad value names its line and the study's key (it named the study at 1:1 and dropped
# `base.`: the base is cloned per point and a clone has no lines); a base config's, that file's line.
sweep_test("inline base value" 2 "bad_base_inline_value.yaml:12:16: key 'base.training.precision': unknown value 'fp9'"
           sweep ${SWEEP_DATA}/bad_base_inline_value.yaml --dry-run)
sweep_test("base config value" 2 "bad_base_config_value.train.yaml:4:56: key 'training.precision': unknown value 'fp9'"
           sweep ${SWEEP_DATA}/bad_base_config_value.yaml --dry-run)
# A sweep whose every point is invalid predicted nothing: exit 2 with the first reason (it was exit 0).
sweep_test("every point invalid" 2 "no point of study 'every-point-invalid' gave a result [(]2 points, each invalid or failed[)]; point 0: .*bad_base_every_point_invalid.yaml:8:37: base.cluster.gpus 8 does not equal"
           sweep ${SWEEP_DATA}/bad_base_every_point_invalid.yaml)
sweep_test("every point invalid: the rows name the base's line" 2 "^# point 1 invalid: .*bad_base_every_point_invalid.yaml:8:37: base.cluster.gpus"
           sweep ${SWEEP_DATA}/bad_base_every_point_invalid.yaml)
sweep_test("base cluster.set under a system axis" 2 "bad_base_cluster_set_system_axis.yaml:10:11: key 'base.cluster.set.0.': 'fabric.nic_speed=fast'"
           sweep ${SWEEP_DATA}/bad_base_cluster_set_system_axis.yaml --dry-run)
# --set base={...} replaces the study's base: the check reads the one given (an inline base, a config base).
sweep_test("--set base replaces a config base" 0 "2 points"
           sweep ${SWEEP_DATA}/bad_base_config_value.yaml --dry-run
           --set "base={model: llama3-8b, cluster: {system: dgx-h100, gpus: 8}, training: {seq_len: 4096, global_batch: 64}}")
sweep_test("--set base with a bad value names --set" 2 "^commsim: error: --set: key 'base.model': unknown model 'nope'"
           sweep ${SWEEP_DATA}/bad_base_inline_value.yaml --dry-run
           --set "base={model: nope, cluster: {system: dgx-h100, gpus: 8}, training: {seq_len: 4096, global_batch: 64}}")
sweep_test("unknown key" 2 "bad_unknown_key.yaml:6:21: key 'axes.fabric.nic_sped': unknown key 'nic_sped'" sweep ${SWEEP_DATA}/bad_unknown_key.yaml)
# cost.pricing with a system axis: a system whose GPU has no such price is bad input at the axis, before a run.
sweep_test("pricing without a price for an axis system" 2 "bad_pricing_no_rent.yaml:6:[0-9]+: key 'axes.system': cost.pricing rent on hgx-h20: no rent price for GPU 'h20'"
           sweep ${SWEEP_DATA}/bad_pricing_no_rent.yaml)
# Every pair of a system and a pricing the study reaches: with both as axes, checking each axis alone on the
# other's first value missed (hgx-h20, rent), an invalid point with exit 0; a zip group pairs only its rows.
sweep_test("pricing axis beside a system axis" 2 "bad_pricing_no_rent.yaml:6:[0-9]+: key 'axes.system': cost.pricing rent on hgx-h20"
           sweep ${SWEEP_DATA}/bad_pricing_no_rent.yaml --set "base.set=[]" --set "axes.cost.pricing=[purchase, rent]" --dry-run)
sweep_test("pricing zipped with the systems it has prices for" 0 "2 points"
           sweep ${SWEEP_DATA}/bad_pricing_no_rent.yaml --set "base.set=[]" --set "axes.cost.pricing=[rent, purchase]"
           --set "zip=[[system, cost.pricing]]" --dry-run)
sweep_test("base without a system" 2 "bad_no_system.yaml:[0-9]+:[0-9]+: key 'base': the base names no cluster.system and no axis sets one"
           sweep ${SWEEP_DATA}/bad_no_system.yaml)
sweep_test("base without a model" 2 "bad_no_model.yaml:[0-9]+:[0-9]+: key 'base.model': the base names no model and no axis sets one"
           sweep ${SWEEP_DATA}/bad_no_model.yaml)
sweep_test("base without a model, a model axis" 0 "4 points"
           sweep ${SWEEP_DATA}/bad_no_model.yaml --set "axes.model=[llama3-8b, qwen3-8b]" --dry-run)
# A --set of a key an axis sets was replaced at every point, exit 0 (2026-12-04).
sweep_test("--set of an axis key" 2 "^commsim: error: --set: key 'parallelism.tp': the axis 'parallelism.tp' sets this key at every point"
           sweep tp-nvlink-vs-pcie --set parallelism.tp=2 --dry-run)
# gpus and nodes both size the cluster: an axis of one replaced a --set of the other at every point, exit 0.
sweep_test("--set cluster.nodes beside a gpus axis" 2 "^commsim: error: --set: key 'cluster.nodes': the axis 'gpus' sets the cluster's size at every point"
           sweep flagship --set cluster.nodes=4 --dry-run)
sweep_test("--set cluster.gpus beside a nodes axis" 2 "^commsim: error: --set: key 'cluster.gpus': the axis 'nodes' sets the cluster's size"
           sweep ${SWEEP_DATA}/nodes_axis.yaml --set cluster.gpus=64 --dry-run)
sweep_test("--set cluster section with gpus beside a nodes axis" 2 "^commsim: error: --set: key 'cluster': the axis 'nodes' sets the cluster's size"
           sweep ${SWEEP_DATA}/nodes_axis.yaml --set "cluster={system: dgx-h100, gpus: 64}" --dry-run)
sweep_test("--set cluster section without a size beside a nodes axis" 0 "2 points"
           sweep ${SWEEP_DATA}/nodes_axis.yaml --set "cluster={system: hgx-h200}" --dry-run)
sweep_test("--set nodes beside a nodes axis" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply"
           sweep ${SWEEP_DATA}/nodes_axis.yaml --set nodes=2 --dry-run)
sweep_test("--set nodes with gpus emptied" 0 "points"
           sweep nic-oversub-405b --set cluster.gpus=~ --set nodes=2048 --dry-run)
sweep_test("--set nodes beside a --set cluster.gpus" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply"
           sweep tp-nvlink-vs-pcie --set cluster.gpus=16 --set nodes=2 --dry-run)
sweep_test("--set softmax_exp on Hopper refused before the points" 2 "^commsim: error: --set: key 'gpu.compute.softmax_exp': arch hopper has no"
           sweep tp-nvlink-vs-pcie --set gpu.compute.softmax_exp=5TFLOPS --set "axes.system=[hgx-b200, dgx-h100]" --dry-run)
sweep_test("one system by name and by path" 2 "key 'axes.system': the value system=.*dgx-h100.yaml is given twice"
           sweep tp-nvlink-vs-pcie --set "axes.system=[dgx-h100, ${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml]" --dry-run)
sweep_test("a name that spells a boolean on a non-boolean key" 0 "[(]dry run[)]: 24 points"
           sweep tp-nvlink-vs-pcie --set "axes.model.name=[yes, true]" --dry-run)
# The system key `nodes` (its default scale) beside a sweep or study that sizes the cluster: ignored (a
# collective sweep, the older study form: "# overrides: nodes=4" over the same rows) or every point invalid.
sweep_test("--set nodes beside a gpus axis" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply: the sweep sizes"
           sweep flagship --set nodes=4 --dry-run)
sweep_test("--set nodes on an older-form study" 2 "^commsim: error: --set: key 'nodes': the system's default node count does not apply: the study sizes"
           study default --set nodes=4)
# A seq_len the command line emptied is the --set's (it was blamed on the base's line in the study).
sweep_test("base without a seq_len" 2 "^commsim: error: --set: key 'training.seq_len': required: the base gives none and no axis sets it"
           sweep ${SWEEP_DATA}/bad_no_model.yaml --set base.model=llama3-8b --set base.training.seq_len=~)
sweep_test("base config's batch emptied by --set" 2 "^commsim: error: --set: key 'training.global_batch': required: the base gives none"
           sweep tp-nvlink-vs-pcie --set training.global_batch=~ --dry-run)
# A base.set entry's error names its line in the study (it named "--set"); one that breaks the base's system
# is every point's error, exit 2 (it ran as a table of invalid points, exit 0), in a training study too.
sweep_test("base.set value" 2 "bad_base_set_train.yaml:9:7: key 'base.set.0.': 'parallelism.tp=abc': .*expected an integer, got 'abc'"
           sweep ${SWEEP_DATA}/bad_base_set_train.yaml)
sweep_test("base.set breaks the system" 2 "bad_base_set_system.yaml:10:9: key 'base.set.0.': 'fabric.nic_speed=fast': .*does not start with a number"
           sweep ${SWEEP_DATA}/bad_base_set_system.yaml)
sweep_test("base.set breaks a training study's system" 2 "bad_base_set_train_system.yaml:7:9: key 'base.set.0.': 'fabric.nic_speed=fast': .*does not start"
           sweep ${SWEEP_DATA}/bad_base_set_train_system.yaml)
sweep_test("base.set breaks every system of an axis" 2 "bad_base_set_system_axis.yaml:9:9: key 'base.set.0.': 'fabric.nic_speed=fast': .*does not start"
           sweep ${SWEEP_DATA}/bad_base_set_system_axis.yaml --dry-run)
sweep_test("base.set breaks every system of a system axis" 2 "bad_base_set_system_axis2.yaml:[0-9]+:9: key 'base.set.0.'"
           sweep ${SWEEP_DATA}/bad_base_set_system_axis2.yaml --dry-run)
sweep_test("malformed base.set entry" 2 "bad_base_set_malformed.yaml:9:9: key 'base.set.0.': 'fabric' is not of the form"
           sweep ${SWEEP_DATA}/bad_base_set_malformed.yaml --dry-run)
sweep_test("a command-line --set equal to a base.set entry is the command line's" 2 "^commsim: error: --set: key 'fabric.nic_speed'"
           sweep ${SWEEP_DATA}/bad_base_set_system.yaml --set fabric.nic_speed=fast)
sweep_test("base.set from the command line stays --set" 2 "--set: key 'fabric.nic_speed': 'fast' does not start with a number"
           sweep ${SWEEP_DATA}/bad_base_set_train.yaml --set "base.set=[fabric.nic_speed=fast]")
sweep_test("unknown axis" 2 "bad_unknown_axis.yaml:7:24: key 'axes.parallelism.colour'.*unknown key" sweep ${SWEEP_DATA}/bad_unknown_axis.yaml)
sweep_test("empty axis" 2 "bad_empty_axis.yaml:7:3: key 'axes.parallelism.pp': empty axis" sweep ${SWEEP_DATA}/bad_empty_axis.yaml)
# An empty string read as ~ (the base's value): a second point equal to the first under its own key, exit 0.
sweep_test("empty string value" 2 "bad_empty_string_value.yaml:6:30: key 'axes.training.precision': an empty value" sweep ${SWEEP_DATA}/bad_empty_string_value.yaml)
sweep_test("filter removes every point" 2 "bad_filter_all.yaml:8:3: key 'where': the filters remove every one of the 2 points"
           sweep ${SWEEP_DATA}/bad_filter_all.yaml)
sweep_test("zip lengths differ" 2 "bad_zip.yaml:9:22: key 'zip.parallelism.pp': zip group lengths differ" sweep ${SWEEP_DATA}/bad_zip.yaml)
# A value twice made two points with one key: the rows repeated and --resume rejected the sweep's own file.
sweep_test("value given twice" 2 "bad_duplicate_value.yaml:11:26: key 'axes.parallelism.tp': the value parallelism.tp=2 is given twice [(]entries 2 and 3[)]"
           sweep ${SWEEP_DATA}/bad_duplicate_value.yaml)
# cost.prices ~ is the shipped file: beside that file's path it ran one point twice (2026-12-06).
sweep_test("shipped prices as ~ and by path" 2 "bad_prices_shipped_twice.yaml:12:20: key 'axes.cost.prices': the value cost.prices=.*prices.yaml is given twice [(]entries 1 and 2[)]"
           sweep ${SWEEP_DATA}/bad_prices_shipped_twice.yaml --dry-run)
# The same number spelled two ways ([1, 2, 02]) ran one point twice under two keys.
sweep_test("value given twice in two spellings" 2 "key 'axes.parallelism.tp': the value parallelism.tp=02 is given twice [(]entries 2 and 3[)]"
           sweep ${SWEEP_DATA}/bad_duplicate_value.yaml --set "axes.parallelism.tp=[1, 2, 02]" --dry-run)
# A quantity in two units ([400Gb/s, 50GB/s]) ran one point twice under two keys (2026-12-04).
# Two axes for one key (system beside cluster.system) ran with one and reported both (2026-12-04).
sweep_test("two axes for one key" 2 "--set: key 'axes.cluster.system': 'cluster.system' and the axis 'system' set one key"
           sweep tp-nvlink-vs-pcie --set "axes.cluster.system=[hgx-h200]" --dry-run)
sweep_test("an axis twice in one zip group" 2 "--set: key 'zip.parallelism.tp': 'parallelism.tp' is twice in one zip group"
           sweep tp-nvlink-vs-pcie --set "zip=[[parallelism.tp, parallelism.tp]]" --dry-run)
sweep_test("--progress and --quiet" 2 "--progress excludes --quiet" sweep tp-nvlink-vs-pcie --progress --quiet --dry-run)
sweep_test("one bandwidth in two units" 2 "--set: key 'axes.fabric.nic_speed': the value fabric.nic_speed=50GB/s is given twice [(]entries 1 and 2[)]"
           sweep tp-nvlink-vs-pcie --set "axes.fabric.nic_speed=[400Gb/s, 50GB/s]" --dry-run)
# An axis value reaches its point's config through a flag: the error named the flag (--model), not the file.
sweep_test("unknown model on an axis" 2 "^commsim: error: --set: key 'axes.model': unknown model 'nope'"
           sweep tp-nvlink-vs-pcie --set "axes.model=[llama3-8b, nope]" --dry-run)
sweep_test("one boolean in two spellings" 2 "--set: key 'axes.overlap.tp': the value overlap.tp=yes is given twice [(]entries 1 and 2[)]"
           sweep tp-nvlink-vs-pcie --set "axes.overlap.tp=[true, yes]" --dry-run)
sweep_test("zero and minus zero are one value" 2 "key 'axes.parallelism.zero': the value parallelism.zero=-0 is given twice"
           sweep ${SWEEP_DATA}/bad_pricing_no_rent.yaml --set "base.set=[]" --set "axes.parallelism.zero=[0, -0]" --dry-run)
sweep_test("zip values given twice" 2 "bad_duplicate_zip.yaml:11:29: key 'axes.parallelism.tp': the zip group's values parallelism.tp=2, parallelism.pp=2 are given twice"
           sweep ${SWEEP_DATA}/bad_duplicate_zip.yaml --dry-run)
# In a study of the older form the error names where the list was written: --set, or the study file's line.
sweep_test("legacy study value given twice" 2 "^commsim: error: --set: key 'gpus': 8 is given twice" sweep default --set "gpus=[8,08]" --dry-run)
# The older form's GPU counts read whole: std::stoi took '8.9' as 8 and '16GPUs' as 16, exit 0 (2026-12-04).
sweep_test("legacy study gpus not whole" 2 "^commsim: error: --set: key 'gpus': '8.9' is not a whole number of GPUs" sweep default --set "gpus=[8.9,16]" --dry-run)
sweep_test("legacy study gpus with text" 2 "^commsim: error: --set: key 'gpus': '16GPUs' is not a whole number of GPUs" sweep default --set "gpus=[8,16GPUs]" --dry-run)
sweep_test("legacy study file value given twice" 2 "bad_legacy_duplicate.yaml:8:6: key 'ops': 'all_reduce' is given twice"
           study ${SWEEP_DATA}/bad_legacy_duplicate.yaml)
# One operation in two spellings was refused later as the sweep's axis `op` (the study file, no line); a
# nested --set value was placed in the study file at the --set text's column.
sweep_test("legacy study one op in two spellings" 2 "^commsim: error: --set: key 'ops': 'allreduce' is all_reduce, given twice"
           study --set "ops=[all_reduce, allreduce]")
sweep_test("legacy study --set nested list" 2 "^commsim: error: --set: key 'gpus': expected a list of plain values"
           study --set "gpus=[8, [16]]")
sweep_test("legacy study --set value given twice" 2 "^commsim: error: --set: key 'systems': 'dgx-h100' is given twice"
           study --set "systems=[dgx-h100,dgx-h100]")
sweep_test("legacy study one system by name and by path" 2 "^commsim: error: --set: key 'systems': '.*dgx-h100.yaml' is a system already listed"
           study --set "systems=[dgx-h100, ${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml]")
sweep_test("where names no axis" 2 "bad_where_axis.yaml:7:9: key 'where'.*unknown axis 'parallelism.tpp'" sweep ${SWEEP_DATA}/bad_where_axis.yaml)
sweep_test("bad axis value" 2 "bad_value.yaml:7:31: key 'axes.fabric.nic_speed'.*has no unit" sweep ${SWEEP_DATA}/bad_value.yaml)
sweep_test("resume without a file" 2 "--resume: needs --csv or --jsonl" sweep ${SWEEP_DATA}/zip_where.yaml --resume)
sweep_test("resume onto another sweep's csv" 2 "--resume: the file does not start with the sweep's context line" sweep ${SWEEP_DATA}/zip_where.yaml
           --resume --csv ${CMAKE_CURRENT_SOURCE_DIR}/data/validation/nccl_public.csv)

# Output files.
set(SWEEP_FILES ${CMAKE_CURRENT_SOURCE_DIR}/cli/sweep_files.sh)
add_test(NAME "cli: sweep: resume continues byte-identical" COMMAND ${SWEEP_FILES} resume ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_resume)
add_test(NAME "cli: sweep: SIGINT leaves whole lines" COMMAND ${SWEEP_FILES} interrupt ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_int)
# One output that cannot be written (or names the study) emptied the CSV opened before it, or the study itself.
add_test(NAME "cli: sweep: a bad output leaves the others as they were" COMMAND ${SWEEP_FILES} outputs ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_outputs)
add_test(NAME "cli: sweep: a model axis beside model.* keys" COMMAND ${SWEEP_FILES} axes ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_axes)
add_test(NAME "cli: sweep: SIGHUP stops it, a second signal at once" COMMAND ${SWEEP_FILES} hangup ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_hup)
set_tests_properties("cli: sweep: resume continues byte-identical" "cli: sweep: SIGINT leaves whole lines"
                     "cli: sweep: SIGHUP stops it, a second signal at once"
                     "cli: sweep: a bad output leaves the others as they were" "cli: sweep: a model axis beside model.* keys"
  PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}" TIMEOUT 120)
find_program(SWEEP_MPIEXEC NAMES mpiexec mpirun)
get_property(sweep_mpi GLOBAL PROPERTY COMMSIM_SWEEP_MPI)
if(sweep_mpi AND SWEEP_MPIEXEC)
  add_test(NAME "cli: sweep: mpirun -np 2 output equals one process"
           COMMAND ${SWEEP_FILES} mpi ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR}/sweep_mpi ${SWEEP_MPIEXEC})
  set(sweep_mpi_env "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
  if(COMMSIM_SANITIZE)
    # Open MPI keeps allocations past MPI_Finalize by design (as for commbench's mpirun tests): no leak check.
    list(APPEND sweep_mpi_env "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:protect_shadow_gap=0")
  endif()
  set_tests_properties("cli: sweep: mpirun -np 2 output equals one process" PROPERTIES
    ENVIRONMENT "${sweep_mpi_env}" TIMEOUT 120 LABELS mpi)
  mpi_private_session("cli: sweep: mpirun -np 2 output equals one process")
endif()
# A parallelism: auto base: an axis on the micro-batch or recompute fixes it in each point's search (the
# search ran over them and every point gave the same layout and step).
sweep_test("auto base: a recompute axis fixes recompute" 0 "^ +2 +full +1 +ok +4\\.[0-9]+ "
  sweep ${SWEEP_DATA}/auto_axes.yaml -j 1)
sweep_test("auto base: without recompute it is faster" 0 "^ +0 +none +1 +ok +3\\.[0-9]+ "
  sweep ${SWEEP_DATA}/auto_axes.yaml -j 1)
# No valid layout at all under parallelism: auto is an invalid point, as `train --auto` exits 2 on it; it was
# does_not_fit (a result), and a sweep of nothing else exited 0. does_not_fit stays for valid layouts none of
# which fits.
sweep_test("auto base: no valid layout is invalid, exit 2" 2
  "no point of study 'auto-no-valid' gave a result .*point 0: no valid layout \\(1 tried: 1 global_batch % \\(dp\\*micro_batch\\)\\)"
  sweep ${SWEEP_DATA}/auto_no_valid.yaml -j 1)
# where/zip given by --set: the error names --set, not the study file at the --set text's line and column
# ("tp-nvlink-vs-pcie.yaml:1:10").
sweep_test("--set zip: the error names --set" 2
  "^commsim: error: --set: key 'zip.parallelism.tp': zip group lengths differ"
  sweep tp-nvlink-vs-pcie --set "zip=[[system,parallelism.tp]]" --dry-run)
sweep_test("--set where: the error names --set" 2
  "^commsim: error: --set: key 'where': where 'parallelism.tp / 0 > 1': division by zero$"
  sweep tp-nvlink-vs-pcie --set "where=parallelism.tp / 0 > 1" --dry-run)
# One collective point spelled two ways (op case, size unit) ran twice under two keys with one result.
sweep_test("an op given twice in two cases" 2 "op_case_twice.yaml:6:20: key 'axes.op': the value op=ALL_REDUCE is given twice"
  sweep ${SWEEP_DATA}/op_case_twice.yaml --dry-run)
sweep_test("a size given twice in two units" 2 "size_units_twice.yaml:6:16: key 'axes.size': the value size=1M is given twice"
  sweep ${SWEEP_DATA}/size_units_twice.yaml --dry-run)
# A null in a collective study's size axis ran as an invalid point ("size ''"): it keeps the base's one size,
# and is refused where the base gives a list.
sweep_test("a null size keeps the base's" 0 "^ +0 +1MiB +all_reduce +ok "
  sweep ${SWEEP_DATA}/size_null_keeps_base.yaml)
sweep_test("a null size with a base list" 2 "size_null_base_list.yaml:6:10: key 'axes.size': a null keeps the base's size, and the base gives a list"
  sweep ${SWEEP_DATA}/size_null_base_list.yaml)
sweep_test("a dtype given twice by two names" 2 "dtype_alias_twice.yaml:6:17: key 'axes.dtype': the value dtype=bfloat16 is given twice"
  sweep ${SWEEP_DATA}/dtype_alias_twice.yaml --dry-run)
sweep_test("--set base.size: the error names --set" 2 "^commsim: error: --set: key 'base.size': expected a list of plain values"
  sweep scale-up-alltoall --set "base.size=[[1MiB]]" --dry-run)
# --set base.KEY=V on a training base is an override of the base, as --set KEY=V: its errors name --set (they
# named the study file's first line; 2026-12-04).
sweep_test("--set base.key error names --set" 2 "^commsim: error: --set: key 'cluster.gpus': must be at least 1, got 0"
           sweep tp-nvlink-vs-pcie --set base.cluster.gpus=0 --dry-run)
sweep_test("--set base.model null names --set" 2 "^commsim: error: --set: key 'model': the base names no model"
           sweep tp-nvlink-vs-pcie --set "base.model=null" --quiet)
# Hybrid sharding as an axis: the layout column names the shard group; 12 does not divide DP 32 (that point is
# invalid, named; the others run).
sweep_test("hybrid sharding axis" 0 "ZeRO-3 shard 8\n.*ZeRO-3 shard 16\n.*ZeRO-3\n.*invalid.*\n# point 3 invalid: parallelism.dp_shard: 12 does not divide dp .32.*\n# 3 of 4 points ran"
           sweep ${SWEEP_DATA}/hsdp_axis.yaml)

# A study that names its model and system files by paths relative to itself runs from any directory (its axes'
# were "not found", a collective base's blamed on --system, until 2026-12-05); the rows show the paths as written.
sweep_test("axis files beside the study" 0 "^ +0 +model-tiny[.]yaml +system-h300[.]yaml +ok "
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300.yaml -j 1)
# A path written in a file is the file beside it, whatever the current directory holds: a decoy h300.yaml where
# the command ran was read before the one beside system-h300.yaml (one system file, two GPUs; 2026-12-05).
add_test(NAME "cli: a path written in a file is read beside it, not from the current directory"
  COMMAND ${EXPECT} 0 "^same: +step time" sh -c "bin=\"$0\" d=\"$1/decoy\" src=\"$2\"; rm -rf \"$d\"; mkdir -p \"$d\"
    sed 's/^  bf16: {value: [0-9.]*TFLOPS/  bf16: {value: 100TFLOPS/' \"$src/h300.yaml\" >\"$d/h300.yaml\"
    cmp -s \"$src/h300.yaml\" \"$d/h300.yaml\" && { echo 'the decoy is no decoy'; exit 1; }
    run() { cd \"$1\" && \"$bin\" train --model llama3-8b --system \"$src/system-h300.yaml\" --gpus 8 --seq-len 4096 --global-batch 16 | grep 'step time'; }
    a=$(run \"$src\") && b=$(run \"$d\") && [ \"$a\" = \"$b\" ] && echo \"same: $a\" || echo \"differ: $a / $b\"" ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu)
set_tests_properties("cli: a path written in a file is read beside it, not from the current directory" PROPERTIES
  ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
sweep_test("a GPU arch without efficiencies in an axis is named at gpu.arch" 2
  "study_arch_cpu[.]yaml:[0-9]+:[0-9]+: key 'axes.system': .*gpu_arch_cpu[.]yaml:[0-9]+:[0-9]+: key 'gpu.arch': arch cpu: no compute efficiencies"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/checks/study_arch_cpu.yaml)
# A path given by --set is the command line's, read from the current directory (the test's build directory, which
# has no system-h300.yaml): it was read beside the study once paths written in files were.
sweep_test("an axis value given by --set is read from the current directory" 2
  "^commsim: error: --set: key 'axes.system': system file 'system-h300[.]yaml' not found"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300.yaml --set "axes.system=[system-h300.yaml]" -j 1)
sweep_test("collective base system beside the study" 0 "^ +1 +16 +all_reduce +1GiB +ok +16 "
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-allreduce.yaml -j 1)
sweep_test("collective base system not found names base.system" 2 "^commsim: error: .*bad_base_system_file[.]yaml:[0-9]+:[0-9]+: key 'base.system': system file 'no-such-system.yaml' not found"
  sweep ${SWEEP_DATA}/bad_base_system_file.yaml)
sweep_test("older-form study: a system file beside it" 0 "^system-h300[.]yaml +h300 +16 +2 +[0-9.]+ "
  study ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-legacy.yaml)
# A size that rounds to no element per rank is an invalid point, as `collective` leaves it out (it was "ok" at a
# busbw of 0 and ranked the lowest).
sweep_test("collective size under one element per rank is invalid" 0 "^# point 2 invalid: size 1B rounds to no bfloat16 element per rank on 16 ranks"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-allreduce.yaml --set "base.size=[1B, 1GiB]" -j 1)
sweep_test("older-form study: every size under one element" 2 "^commsim: error: every point of study 'study-h300-legacy' was skipped: .*size 1 rounds to no bfloat16 element"
  study ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-legacy.yaml --set size=1B)
sweep_test("older-form study: one op under one element per rank" 0 "^# n/a: system-h300[.]yaml at 16 GPUs, all_gather: size 4 rounds to no"
  study ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-legacy.yaml --set size=4B --set "ops=[all_reduce, all_gather]")
# A prices file beside the study (its base's cost.prices; an axis of prices files): every system the study reaches
# must have its price there, checked before a point runs, named at the axis value (it was "base.axes.system").
sweep_test("a prices file beside the study prices its points" 0 "Fastest to train: .*, [$]33k "
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]")
# The table gives each priced point's cost in M USD, to three significant digits below $1M (33,1xx USD).
sweep_test("a priced sweep's table has a cost column" 0 "^ +0 .* ok .* 21[.]5 +0[.]0331 +TP1 "
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]")
sweep_test("a sweep without a price has no cost column" 0 "MFU % +mem GiB +days +layout$"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1 --set base.cost.pricing=~
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]")
sweep_test("a prices file without an axis system's GPU" 2
  "^commsim: error: .*study-h300-priced[.]yaml:13:[0-9]+: key 'axes.system': cost.pricing rent on dgx-h100: no rent price for GPU 'h100-sxm' in .*prices-h300[.]yaml"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1)
sweep_test("an axis of prices files: each one is checked" 2
  "^commsim: error: --set: key 'axes.cost.prices': cost.pricing rent on .*system-h300[.]yaml: no rent price for GPU 'h300' in .*prices-h300-low-power[.]yaml"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]"
  --set "axes.cost.prices=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/prices-h300.yaml, ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/prices-h300-low-power.yaml]")
# A bad prices file named at its own line and key, under the axis value that names it (the message had neither).
sweep_test("an axis of prices files: a bad one is named at its line" 2
  "^commsim: error: --set: key 'axes.cost.prices': cost.pricing purchase [(]given by --set[)] on .*: .*prices-h300-bad-unit[.]yaml:12:[0-9]+: key 'gpus.h300.server.price': '500k' has unit 'k'"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1 --set cost.pricing=purchase
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]"
  --set "axes.cost.prices=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/prices-h300.yaml, ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/prices-h300-bad-unit.yaml]")
sweep_test("an axis naming one prices file twice" 2 "key 'axes.cost.prices': the value cost.prices=.*/[.]/prices-h300[.]yaml is given twice"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-priced.yaml -j 1
  --set "axes.system=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/system-h300.yaml]"
  --set "axes.cost.prices=[${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/prices-h300.yaml, ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/./prices-h300.yaml]")
sweep_test("base.set files beside the study" 0 "^# 2 of 2 points ran[.]"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-base-set.yaml -j 1)
sweep_test("one file beside the study twice in an axis" 2 "study-h300-dup[.]yaml:8:[0-9]+: key 'axes.system': the value system=./system-h300.yaml is given twice"
  sweep ${CMAKE_CURRENT_SOURCE_DIR}/data/user_gpu/study-h300-dup.yaml)
# A sweep point is one row, its fastest layout: search.top (train --auto's --top) was read and dropped, in the
# base or by --set (helper-149, 2026-12-07).
sweep_test("search.top in the base is refused" 2
  "^commsim: error: [^ ]*bad_search_top[.]yaml:9:17: key 'base[.]search[.]top': a sweep reports the fastest layout of each point"
  sweep ${SWEEP_DATA}/bad_search_top.yaml)
sweep_test("search.top as an axis is refused" 2
  "^commsim: error: [^ ]*bad_search_top_axis[.]yaml:11:3: key 'axes[.]search[.]top': a sweep reports the fastest layout of each point"
  sweep ${SWEEP_DATA}/bad_search_top_axis.yaml)
sweep_test("search.top by --set is refused" 2
  "^commsim: error: --set: key 'search[.]top': a sweep reports the fastest layout of each point"
  sweep ${SWEEP_DATA}/auto_axes.yaml --set search.top=2)
# With a model axis each model's points are ranked apart: the fastest of a Llama 3 70B and a Mixtral sweep was a
# statement about the models (helper-148, 2026-12-07).
sweep_test("a model axis ranks each model's points apart" 0
  "^# model=llama3-70b: Highest throughput per GPU: model=llama3-70b, system=hgx-b200: [^\n]*\n# model=llama3-70b: Lowest throughput per GPU: model=llama3-70b, system=dgx-h100: [^\n]*\n# model=mixtral-8x7b: Highest throughput per GPU: model=mixtral-8x7b, system=hgx-b200"
  sweep ${SWEEP_DATA}/model_axis.yaml)
# A prices axis that a --set leaves unread (cost.gpu_hour_usd replaces the pricing, or cost.pricing unset)
# priced every point alike, or none, exit 0 (helper-149, 2026-12-07).
sweep_test("a prices axis the gpu_hour_usd --set leaves unread is refused" 2
  "^commsim: error: [^ ]*prices_axis[.]yaml:12:17: key 'axes[.]cost[.]prices': a prices file is read by cost[.]pricing [(]rent | purchase[)], which cost[.]gpu_hour_usd replaced"
  sweep ${SWEEP_DATA}/prices_axis.yaml --set cost.gpu_hour_usd=3)
sweep_test("a prices axis with the pricing unset is refused" 2
  "^commsim: error: [^ ]*prices_axis[.]yaml:12:17: key 'axes[.]cost[.]prices': [^\n]*which is unset: this file would price nothing"
  sweep ${SWEEP_DATA}/prices_axis.yaml --set cost.pricing=~)
sweep_test("a prices axis prices each point by its file" 0 "^# 2 of 2 points ran" sweep ${SWEEP_DATA}/prices_axis.yaml)
# A collective base with axes of gpus and of nodes: both size the cluster at each point, which must agree (the
# point invalid otherwise, as a training base's); the later axis replaced the earlier, and gpus=8 x nodes=2
# ran 16 ranks, exit 0.
sweep_test("collective: gpus and nodes axes that disagree are invalid points" 0
  "(?s)^ +0 +8 +1 +all_reduce +1MiB +ok +8 .*^ +1 +8 +2 +all_reduce +1MiB +invalid .*^ +3 +16 +2 +all_reduce +1MiB +ok +16 .*# point 1 invalid: gpus 8 does not equal nodes 2 x 8 GPUs per node"
  sweep ${SWEEP_DATA}/gpus_nodes_axes.yaml -j 1)
# A collective base's op and dtype are checked at the base's line: the op was blamed on 'axes.op', the dtype on
# each point, with no file named.
sweep_test("collective: an unknown base op names base.op" 2 "base_op_unknown.yaml:4:30: key 'base.op': unknown operation 'nosuch'"
  sweep ${SWEEP_DATA}/base_op_unknown.yaml --dry-run)
sweep_test("collective: an unknown base dtype names base.dtype" 2 "base_dtype_unknown.yaml:4:[0-9]+: key 'base.dtype': unknown data type 'int4'"
  sweep ${SWEEP_DATA}/base_dtype_unknown.yaml --dry-run)
# A --set that leaves no point with a result is named beside the first point's reason (it was not: the reason
# spoke of cluster.gpus or a size, and the cause was on the command line).
sweep_test("a --set that breaks every point is named" 2
  "no point of study 'tp-nvlink-vs-pcie' gave a result .*point 0: cluster.gpus 8 does not equal cluster.nodes 2 x 8 GPUs per node [(]with --set cluster.nodes=2[)]$"
  sweep tp-nvlink-vs-pcie --set cluster.nodes=2 --quiet)
sweep_test("older-form study: a --set that skips every point is named" 2
  "every point of study 'collectives-1GiB' was skipped: .*[(]with --set size=1B[)]$"
  study --set size=1B)
