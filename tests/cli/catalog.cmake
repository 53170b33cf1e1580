# Catalog (B300 / GB300), the new built-in models and the 82-row training validation: every row maps to a
# system and model or is excluded, every published run is predicted to fit (--require-fit); the accuracy gates on
# the 82 rows are in loso.cmake (docs/validation.md, "Training").
commsim_data_test("catalog lists b300" 0 " b300 +blackwell +2250.0 +4500.0 +13500.0 +268.6 " catalog)
commsim_data_test("catalog lists gb300" 0 " gb300 +blackwell +2500.0 +5000.0 +15000.0 +268.6 " catalog)
commsim_data_test("catalog lists dgx-b300" 0 "dgx-b300 +b300 +dgx-b300 +8 +nvswitch +ib-xdr-rail" catalog)
commsim_data_test("catalog lists gb300-nvl72" 0 "gb300-nvl72 +gb300 +gb300-nvl72 +72 +nvswitch +ib-xdr-rail" catalog)
commsim_data_test("train llama4-scout on gb300-nvl72" 0 "llama4-scout \\(107.8B params, 17.2B active\\) on gb300-nvl72"
  train --model llama4-scout --system gb300-nvl72 --gpus 64 --ep 16 --seq-len 8192 --global-batch 64 --precision fp8)
commsim_data_test("train nemotron4-340b on dgx-b300" 0 "nemotron4-340b \\(341.0B params"
  train --model nemotron4-340b --system dgx-b300 --gpus 128 --tp 8 --pp 4 --vpp 12 --seq-len 4096 --global-batch 32 --precision fp8)
commsim_data_test("train gpt-oss-20b on dgx-b300" 0 "gpt-oss-20b \\(20.9B params, 4.2B active\\)"
  train --model gpt-oss-20b --system dgx-b300 --gpus 8 --ep 8 --seq-len 4096 --global-batch 64 --precision mxfp8)
# Llama 4 Maverick: MoE on every other layer (moe.layer_step 2), 400.7B total, 17.2B active; pp 4 puts 6 dense
# and 6 MoE layers on each stage. A step of 0 is an input error naming the key.
commsim_data_test("train llama4-maverick on gb300-nvl72" 0 "llama4-maverick \\(400.7B params, 17.2B active\\)"
  train --model llama4-maverick --system gb300-nvl72 --gpus 64 --pp 4 --ep 16 --seq-len 8192 --global-batch 64 --precision fp8)
commsim_data_test("train moe.layer_step past the layers, set on the command line" 2
  "^commsim: error: --set: key 'model.moe.layer_step': layer_step 100 leaves no MoE layer [(]48 layer[(]s[)] after the dense ones"
  train --model llama4-maverick --system gb300-nvl72 --gpus 64 --ep 8 --seq-len 8192 --global-batch 64 --set model.moe.layer_step=100)
# A moe section whose dense_layers are every layer: EP 16 ran over no expert (accepted, a dense estimate).
commsim_data_test("train moe.dense_layers equal to the layers" 2
  "^commsim: error: --set: key 'model.moe.dense_layers': dense_layers 94 leaves no MoE layer [(]the model has 94[)]$"
  train ${PROJECT_SOURCE_DIR}/configs/train/qwen3-235b-h100.yaml --set model.moe.dense_layers=94)
commsim_data_test("train moe.layer_step 0" 2
  "train_moe_layer_step_zero.yaml:9:[0-9]+: key 'model.moe.layer_step': must be at least 1, got 0"
  train ${DATA}/bad/train_moe_layer_step_zero.yaml)
commsim_data_test("validate training: 78 of the 82 rows predicted" 0 "^# 78 rows: median"
  validate training ${DATA}/validation/training_public.csv)
commsim_data_test("validate training: the Nemotron 3 Super rows are excluded with the reason" 0
  "# excluded MB2606-B300-NEMOTRON3_SUPER-MXFP8: Nemotron 3 Super is a hybrid Mamba-2/attention model with LatentMoE"
  validate training ${DATA}/validation/training_public.csv)
commsim_data_test("validate training: the hybrid Mamba-2 Nemotron 3 Nano row is predicted within 10%" 0
  "MB2606-H100-NEMOTRON3_NANO-FP8 +dgx-h100 +16 +TP1 PP1 DP16 EP8 Z1 none fp8 +tokens/s/GPU +14719.00 +1[45][0-9][0-9][0-9]\\.[0-9][0-9] +-?[0-9]\\.[0-9]%"
  validate training ${DATA}/validation/training_public.csv)
commsim_data_test("validate training --require-fit names the row that does not fit" 1
  "--require-fit: 1 published run\\(s\\) predicted not to fit in memory: CHECK-H100-LLAMA3_70B-8GPU-NOFIT \\(151.2 of 79.6 GiB\\)"
  validate training ${DATA}/checks/training_no_fit.csv --require-fit)

add_test(NAME "validation: every published training run fits in memory (82 rows, --require-fit)"
         COMMAND ${COMMSIM_BIN} validate training ${DATA}/validation/training_public.csv --require-fit)
set_tests_properties("validation: every published training run fits in memory (82 rows, --require-fit)" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
commsim_data_test("validate training --require-fit on a header-only CSV fails" 1 "--require-fit: no rows to check"
  validate training ${DATA}/checks/training_header_only.csv --require-fit)
commsim_data_test("training mapping: a stage rule without pp" 2
  "training_mapping_stage_no_pp.yaml:8:5: key 'stages\\[0\\].pp': missing required integer"
  validate training ${DATA}/validation/training_public.csv --mapping ${DATA}/bad/training_mapping_stage_no_pp.yaml)
commsim_data_test("training mapping: a stage rule naming an unknown model" 2
  "training_mapping_stage_unknown_model.yaml:6:.*stages\\[0\\].model.*unknown model 'llama9-1t'"
  validate training ${DATA}/validation/training_public.csv --mapping ${DATA}/bad/training_mapping_stage_unknown_model.yaml)
# MI325X (AMD datasheet: the MI300X's peaks, 256 GB HBM3E at 6 TB/s) and its 8-GPU mesh platform; H200 NVL's
# bridged PCIe system. CDNA3's GEMM efficiency in training is Hopper's scaled by the two CDNA3 MAMF rows
# (0.354 of the bf16 peak; topologies/compute-efficiency.yaml): Llama 3 8B on 8 MI325X reports it as MFU.
commsim_data_test("catalog lists mi325x" 0 " mi325x +cdna3 +1307.4 +2614.9 +- +256.0 +6.00 " catalog)
commsim_data_test("catalog lists mi325x-8" 0 "mi325x-8 +mi325x +oam-8-mesh +8 +mesh +roce-400g-rail" catalog)
commsim_data_test("catalog lists h200-nvl-pcie" 0 "h200-nvl-pcie +h200-nvl +pcie-8gpu-gen5-nvlbridge +8 +pairs +ib-ndr-rail" catalog)
commsim_data_test("catalog lists a100-pcie" 0 "a100-pcie +a100-pcie-80gb +pcie-8gpu-gen4-nvlbridge +8 +pairs +ib-hdr-rail" catalog)
commsim_data_test("train llama3-8b on a100-pcie" 0 "MFU +[1-5][0-9]\\.[0-9] +%"
  train --model llama3-8b --system a100-pcie --gpus 16 --seq-len 4096 --global-batch 64 --zero 3)
commsim_data_test("train llama3-8b on mi325x-8" 0 "MFU +[23][0-9]\\.[0-9] +%"
  train --model llama3-8b --system mi325x-8 --gpus 8 --zero 1 --seq-len 8192 --global-batch 64 --recompute full)
# MI355X (AMD datasheet: CDNA 4, 256 CUs, 2,516.6 bf16 / 5,033.2 fp8 dense TFLOPS, 288 GB HBM3E at 8 TB/s) on its
# 8-GPU mesh; it runs MXFP8. Its training GEMM efficiency is Hopper's scaled by its MAMF row (0.397).
commsim_data_test("catalog lists mi355x" 0 " mi355x +cdna4 +2516.6 +5033.2 +10066.3 +288.0 +8.00 " catalog)
commsim_data_test("train llama3-8b on mi355x-8 in mxfp8" 0 "MFU +[0-9]+\\.[0-9] +%  of 2516.6 TFLOPS"
  train --model llama3-8b --system mi355x-8 --gpus 8 --zero 1 --seq-len 8192 --global-batch 64 --recompute full --precision mxfp8)
commsim_data_test("train: --set model.layers on a hybrid model names --set and the pattern's length" 2
  "--set: key 'model.layers': 52 blocks in hybrid_pattern where layers is 40"
  train ${PROJECT_SOURCE_DIR}/configs/train/nemotron3-nano-h100.yaml --set model.layers=40)
commsim_data_test("train: context parallelism over Mamba-2 layers is refused, named" 2
  "--cp: parallelism.cp: context parallelism over Mamba-2 layers is not modelled"
  train ${PROJECT_SOURCE_DIR}/configs/train/nemotron3-nano-h100.yaml --cp 2)
commsim_data_test("train: a hybrid model's header counts its blocks by kind" 0
  "^# commsim train: nemotron3-nano-30b-a3b \\(31.6B params, 3.6B active; hybrid: 23 Mamba-2, 6 attention, 23 MoE blocks\\) on dgx-h100"
  train ${PROJECT_SOURCE_DIR}/configs/train/nemotron3-nano-h100.yaml)
# The CSV carries what the table's footer says: fits, the memory needed and the capacity, the recompute that
# would make it fit (the header, then a row that fits only with recompute); rows the mapping excludes are named
# on stderr (the CSV on stdout stays data).
set(labels "the memory columns" "a run that fits only with recompute" "excluded rows on stderr")
set(wants
    "^case_id,system,gpus,layout,metric,published,predicted,error,fits,needed_gib,capacity_gib,fits_with$"
    "MB2511-GB200-LLAMA3_70B,gb200-nvl72,64,[^,]+,tokens/s/GPU,[0-9.]+,[0-9.]+,-?[0-9.]+%,no,[0-9.]+,185[.]0,full recompute of [0-9]+ layer"
    "commsim: excluded MB2606-B300-NEMOTRON3_SUPER-MXFP8: Nemotron 3 Super is a hybrid")
foreach(label want IN ZIP_LISTS labels wants)
  commsim_data_test("validate training --format csv: ${label}" 0 "${want}"
    validate training ${DATA}/validation/training_public.csv --format csv)
endforeach()
commsim_data_test("validate memory --format csv: excluded rows on stderr" 0
  "commsim: excluded TTM-H100-405B-3D-Interleaved-1F1B: the number of model chunks"
  validate memory ${DATA}/validation/training_memory.csv --format csv)
# The mapping's exclusion names no row of this file (a misspelt case_id excluded nothing): named, as validate
# training does, in the table, on stderr beside a CSV and in JSON.
set(labels "are named" "on stderr beside a CSV" "in JSON")
set(formats table csv json)
set(wants
    "# the mapping excludes 1 case_id[(]s[)] not in this file [(]excluding none of its rows[)]: TTM-H100-405B-3D-Interleaved-1F1B"
    "commsim: the mapping excludes 1 case_id[(]s[)] not in this file"
    "\"mapping_excludes_not_rows\": \\[\n *\"TTM-H100-405B-3D-Interleaved-1F1B\"")
foreach(label format want IN ZIP_LISTS labels formats wants)
  commsim_data_test("validate memory --format ${format}: the mapping's exclusions not in the file ${label}" 0 "${want}"
    validate memory ${DATA}/checks/memory_without_excluded_row.csv --format ${format})
endforeach()
# The shipped files hold every row their mappings exclude: no such line (CaseIds::has looked a case_id up among
# the lower-case ones, and each excluded row with a capital was named "not in this file" too).
commsim_data_test("validate memory: the public file's exclusions are all in it" 0
  "\\A(?s)(?!.*the mapping excludes).*# excluded TTM-H100-405B-3D-Interleaved-1F1B"
  validate memory ${DATA}/validation/training_memory.csv)
commsim_data_test("validate training: the public file's exclusions are all in it" 0
  "\\A(?s)(?!.*the mapping excludes).*# excluded MCORE-H100-175B-strong"
  validate training ${DATA}/validation/training_public.csv)
commsim_data_test("validate collectives --format csv: excluded rows on stderr" 0
  "commsim: excluded H100PCIE_2_NVLBRIDGE_AR: a test's exclusion: named on stderr beside a CSV"
  validate collectives ${DATA}/validation/nccl_public.csv --mapping ${DATA}/checks/nccl_mapping_exclude.yaml --format csv)
# A directory named X.yaml in the catalog: `catalog` listed it and failed, and `gpu: X` said "unknown GPU 'X'
# (valid: ..., X, ...)"; a GPU saved as .yml was "unknown" without a word on why.
add_test(NAME "cli: catalog: a directory, a dangling link and a .yml file in topologies/gpus"
  COMMAND ${EXPECT} 2 "^commsim: error: .*xs[.]yaml:4:6: key 'gpu': GPU 'gdir': .*gdir[.]yaml is a directory, not a file$"
  sh -c "bin=\"$0\" dd=\"$1/catalog_dirs\" src=\"$2\"; rm -rf \"$dd\"; mkdir -p \"$dd\"
    cp -r \"$src/topologies\" \"$src/configs\" \"$dd/\" && mkdir \"$dd/topologies/gpus/gdir.yaml\" &&
    ln -s \"$dd/no-such-file\" \"$dd/topologies/gpus/gdang.yaml\" &&
    cp \"$src/topologies/gpus/h100-sxm.yaml\" \"$dd/topologies/gpus/h301.yml\" || exit 1
    export COMMSIM_DATA_DIR=\"$dd\"
    \"$bin\" catalog >/dev/null && \"$bin\" catalog --export-control >/dev/null || { echo 'FAIL: catalog'; exit 1; }
    for g in gdang h301; do
      printf 'schema_version: 1\\nkind: system\\nname: x\\ngpu: %s\\nnode: hgx-8-nvswitch\\nfabric: ib-ndr-rail\\n' $g >\"$dd/xs.yaml\"
      \"$bin\" topo --system \"$dd/xs.yaml\" 2>&1 | grep -q \"$g.* is a link to no file\\|$g.*h301[.]yml ends in [.]yml: rename it\" ||
        { echo \"FAIL: $g\"; exit 1; }
    done
    printf 'schema_version: 1\\nkind: system\\nname: x\\ngpu: gdir\\nnode: hgx-8-nvswitch\\nfabric: ib-ndr-rail\\n' >\"$dd/xs.yaml\"
    \"$bin\" topo --system \"$dd/xs.yaml\"" ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
# A kernels.gpu_sms key that names no catalog GPU (h100_sxm for h100-sxm) was read and never looked up: the
# GPU ran with its arch's SM count. The data directory's file names catalog GPUs; a GPU added beside them may
# take an entry.
add_test(NAME "cli: catalog: kernels.gpu_sms names catalog GPUs"
  COMMAND ${EXPECT} 2 "compute-efficiency[.]yaml:[0-9]+:[0-9]+: key 'kernels[.]gpu_sms[.]h100_sxm': 'h100_sxm' is no GPU of the catalog [(]topologies/gpus/[)]: a100-pcie-80gb, "
  sh -c "bin=\"$0\" dd=\"$1/gpu_sms_names\" src=\"$2\"; rm -rf \"$dd\"; mkdir -p \"$dd\"
    cp -r \"$src/topologies\" \"$src/configs\" \"$dd/\" || exit 1
    export COMMSIM_DATA_DIR=\"$dd\"
    cp \"$dd/topologies/gpus/h20.yaml\" \"$dd/topologies/gpus/h20x.yaml\" && sed -i 's/^name: h20$/name: h20x/' \"$dd/topologies/gpus/h20x.yaml\" &&
      sed -i 's/^    h20: {value: 78,/    h20x: {value: 78, kind: claim, source: x}\\n    h20: {value: 78,/' \"$dd/topologies/compute-efficiency.yaml\" || exit 1
    \"$bin\" train --model llama3-8b --system hgx-h20 --gpus 8 --seq-len 4096 --global-batch 16 >/dev/null ||
      { echo 'FAIL: a GPU added to the catalog with its gpu_sms entry'; exit 1; }
    sed -i 's/^    h100-sxm: {value: 132,/    h100_sxm: {value: 132,/' \"$dd/topologies/compute-efficiency.yaml\" || exit 1
    \"$bin\" train --model llama3-8b --system dgx-h100 --gpus 8 --seq-len 4096 --global-batch 16" ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
# A GPU file whose arch has no efficiencies blamed topologies/compute-efficiency.yaml (no line); plan's quick
# layouts skipped it with every layout and said "none fits the model in memory", exit 0.
commsim_data_test("train: a GPU arch without efficiencies is named at gpu.arch" 2
  "^commsim: error: .*gpu_arch_cpu[.]yaml:[0-9]+:[0-9]+: key 'gpu.arch': arch cpu: no compute efficiencies for it"
  train --model llama3-8b --system ${DATA}/checks/system_arch_cpu.yaml --gpus 8 --seq-len 4096 --global-batch 16)
commsim_data_test("plan --layouts quick: a GPU arch without efficiencies is named at gpu.arch" 2
  "^commsim: error: .*gpu_arch_cpu[.]yaml:[0-9]+:[0-9]+: key 'gpu.arch': arch cpu"
  plan --model llama3-8b --tokens 1T --deadline 30d --candidates ${DATA}/checks/system_arch_cpu.yaml --prices ${DATA}/checks/prices_arch_cpu.yaml --layouts quick)
# A catalog system or model whose `name` is not its file's: `-s hgx-h20` ran "hgx-h20x", `-s hgx-h20x` was
# unknown, and two files named dgx-h100 were listed twice. calibrate wrote its "-calibrated" system over the
# catalog file it had looked up by name (exit 0), or by its path in the data directory; a file written into a
# catalog directory is named as its file (NAME-calibrated.yaml); the user's own file elsewhere may be replaced.
add_test(NAME "cli: catalog: a system or model named unlike its file, and calibrate over a catalog system"
  COMMAND ${EXPECT} 2 "^commsim: error: .*hgx-h20[.]yaml:3:7: key 'name': 'hgx-h20x' is not the file's name: a catalog system's name is its file's [(]hgx-h20[)]$"
  sh -c "bin=\"$0\" dd=\"$1/catalog_names\" src=\"$2\"; rm -rf \"$dd\"; mkdir -p \"$dd\"
    cp -r \"$src/topologies\" \"$src/configs\" \"$dd/\" || exit 1
    export COMMSIM_DATA_DIR=\"$dd\"
    log=\"$src/tests/data/logs/gh200_2x1_all_reduce.log\"
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/topologies/systems/dgx-h100.yaml\" 2>&1 >/dev/null |
      grep -q \"^commsim: error: --out: is an input of this run\" || { echo 'FAIL: calibrate over the catalog'; exit 1; }
    cmp -s \"$src/topologies/systems/dgx-h100.yaml\" \"$dd/topologies/systems/dgx-h100.yaml\" || { echo 'FAIL: replaced'; exit 1; }
    for out in topologies/systems/dgx-h100.yaml topologies/systems/dgx-h100-tuned.yaml topologies/nodes/x.yaml; do
      \"$bin\" calibrate -s topologies/systems/dgx-h100.yaml --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/$out\" >/dev/null 2>&1 &&
        { echo \"FAIL: calibrate by path into $out\"; exit 1; }
    done
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/topologies/systems/dgx-h100-calibrated.yaml\" >/dev/null 2>&1 &&
      \"$bin\" collective -s dgx-h100-calibrated >/dev/null || { echo 'FAIL: NAME-calibrated.yaml in the catalog'; exit 1; }
    sed -i '/^name:/d' \"$dd/topologies/fabrics/ib-ndr-rail.yaml\"
    \"$bin\" topo -s dgx-h100 --nodes 2 | grep -q 'ib-ndr-rail' || { echo 'FAIL: a catalog fabric without a name is its file'; exit 1; }
    cp \"$src/topologies/systems/dgx-h100.yaml\" \"$dd/mine.yaml\"
    \"$bin\" calibrate -s \"$dd/mine.yaml\" --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/mine.yaml\" >/dev/null 2>&1 &&
      grep -q '^name: dgx-h100-calibrated' \"$dd/mine.yaml\" || { echo 'FAIL: a path may be replaced'; exit 1; }
    sed -i 's/^name: llama3-8b$/name: llama3-8bx/' \"$dd/configs/models/llama3-8b.yaml\"
    \"$bin\" train -m llama3-8b -s dgx-h100 --gpus 8 --seq-len 4096 --global-batch 16 2>&1 >/dev/null |
      grep -q \"llama3-8b[.]yaml:[0-9]*:[0-9]*: key 'name': 'llama3-8bx' is not the file's name: a catalog model's name is its file's (llama3-8b)\" ||
      { echo 'FAIL: model'; exit 1; }
    sed -i 's/^name: hgx-h20$/name: hgx-h20x/' \"$dd/topologies/systems/hgx-h20.yaml\"
    \"$bin\" collective -s hgx-h20" ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
# calibrate's outputs stay out of the catalog (helper-149, 2026-12-07): `calibrate --compute -O` wrote its kernel
# calibration over a catalog system, GPU, prices or study file, or added a file every command then refused (exit
# 0), and `calibrate --measured -O LINK` replaced the catalog file the link lands on. Both are refused (exit 2) and
# the files are left as they were; a calibration written beside the catalog (the data directory's root) is fine.
add_test(NAME "cli: catalog: calibrate --compute and a link into the catalog leave the catalog alone"
  COMMAND sh -c "bin=\"$0\" dd=\"$1/catalog_calib_out\" src=\"$2\"; rm -rf \"$dd\"; mkdir -p \"$dd\"
    cp -r \"$src/topologies\" \"$src/configs\" \"$dd/\" || exit 1
    export COMMSIM_DATA_DIR=\"$dd\"
    kb=\"$src/tests/data/kernelbench/synthetic-h200.json\" log=\"$src/tests/data/logs/gh200_2x1_all_reduce.log\"
    for out in topologies/systems/dgx-h100.yaml topologies/gpus/b200.yaml topologies/prices.yaml topologies/gpus/x.yaml configs/models/x.yaml configs/studies/flagship.yaml; do
      \"$bin\" calibrate --compute \"$kb\" -O \"$dd/$out\" >/dev/null 2>\"$dd/err\"; rc=$?
      [ $rc = 2 ] && grep -q \"^commsim: error: --out: .* is in the data directory's .*--compute-efficiency\" \"$dd/err\" ||
        { echo \"FAIL: --compute into $out (exit $rc)\"; cat \"$dd/err\"; exit 1; }
    done
    [ ! -e \"$dd/topologies/gpus/x.yaml\" ] && [ ! -e \"$dd/configs/models/x.yaml\" ] || { echo 'FAIL: a file was added'; exit 1; }
    for f in topologies/systems/dgx-h100.yaml topologies/gpus/b200.yaml topologies/prices.yaml configs/studies/flagship.yaml; do
      cmp -s \"$src/$f\" \"$dd/$f\" || { echo \"FAIL: $f replaced\"; exit 1; }
    done
    \"$bin\" calibrate --compute \"$kb\" -O \"$dd/h200-kernels.yaml\" >/dev/null 2>&1 || { echo 'FAIL: beside the catalog'; exit 1; }
    ln -s \"$dd/topologies/gpus/b200.yaml\" \"$dd/b200link.yaml\"
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/b200link.yaml\" >/dev/null 2>\"$dd/err\"; rc=$?
    [ $rc = 2 ] && grep -q \"^commsim: error: --out: .*topologies/gpus\" \"$dd/err\" || { echo \"FAIL: --measured through a link (exit $rc)\"; cat \"$dd/err\"; exit 1; }
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/topologies/prices.yaml\" >/dev/null 2>\"$dd/err\"; rc=$?
    [ $rc = 2 ] && grep -q \"^commsim: error: --out: .* is in the data directory's topologies, which holds the catalog\" \"$dd/err\" ||
      { echo \"FAIL: --measured over prices.yaml (exit $rc)\"; cat \"$dd/err\"; exit 1; }
    cmp -s \"$src/topologies/gpus/b200.yaml\" \"$dd/topologies/gpus/b200.yaml\" && cmp -s \"$src/topologies/prices.yaml\" \"$dd/topologies/prices.yaml\" ||
      { echo 'FAIL: replaced by --measured'; exit 1; }
    mkdir -p \"$dd/out\" && ln -s \"$dd/topologies/systems/dgx-a100.yaml\" \"$dd/out/dgx-h100-calibrated.yaml\"
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/out/dgx-h100-calibrated.yaml\" >/dev/null 2>&1 &&
      { echo 'FAIL: a link named NAME-calibrated.yaml onto dgx-a100.yaml'; exit 1; }
    cmp -s \"$src/topologies/systems/dgx-a100.yaml\" \"$dd/topologies/systems/dgx-a100.yaml\" || { echo 'FAIL: dgx-a100 replaced'; exit 1; }
    ln -s \"$dd/topologies/gpus/zz.yaml\" \"$dd/out/dangling.yaml\" && ln -s \"$dd/configs/models/new.yaml\" \"$dd/out/dangling2.yaml\"
    \"$bin\" calibrate --compute \"$kb\" -O \"$dd/out/dangling.yaml\" >/dev/null 2>&1 && { echo 'FAIL: --compute through a dangling link'; exit 1; }
    \"$bin\" calibrate -s dgx-h100 --nodes 2 --gpus-per-node 1 -m \"$log\" -O \"$dd/out/dangling2.yaml\" >/dev/null 2>&1 &&
      { echo 'FAIL: --measured through a dangling link'; exit 1; }
    [ ! -e \"$dd/topologies/gpus/zz.yaml\" ] && [ ! -e \"$dd/configs/models/new.yaml\" ] || { echo 'FAIL: created through a dangling link'; exit 1; }
    \"$bin\" catalog >/dev/null || { echo 'FAIL: catalog'; exit 1; }" ${COMMSIM_BIN} ${CMAKE_CURRENT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
