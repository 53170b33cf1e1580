# Automatic layouts (train --auto, parallelism: auto; docs/training.md "Automatic layouts"): the report's
# format, the search bounds from the config, no layout that fits (exit 3 with the rejection counts), bad input.
function(commsim_auto_test name code regex)
  commsim_cli_test("auto: ${name}" ${code} "${regex}" ${ARGN})
  set_tests_properties("cli: auto: ${name}" PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

set(AUTO_8B train ${DATA}/auto/llama3-8b-auto.yaml)
# expect.sh matches line by line: one line per test; the last row of the CSV gives the number of layouts.
commsim_auto_test("table: counts by reason" 0
  "^# search: tried 1800, fit 1457, estimated [0-9]+, pruned by bound [0-9]+; rejected: does not fit 343$" ${AUTO_8B})
commsim_auto_test("table: header" 0
  "^ *rank +tp +pp +first_stage_layers +last_stage_layers +dp +cp +ep +etp +vpp +schedule +zero +dp_shard +micro_batch +recompute +recompute_num_layers +step_time_s +tokens_per_s_per_gpu +mfu +memory_gib_per_gpu +needed_gib_per_gpu +time_days +gpu_hours +cost M USD$"
  ${AUTO_8B})
commsim_auto_test("table: a row" 0 "^ +1 +[124] +[0-9]+ +- +- +[0-9]+ +[0-9]+ +1 +[124] +[12] +(1f1b|interleaved) +[0-3] +[0-9]+ +[124] +(none|selective|full) +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+% +[0-9.]+ +[0-9.]+ +- +- +-$" ${AUTO_8B})
# With training.tokens and a price, the days, GPU-hours and cost of each layout (train without --auto prints
# them; the search's rows had none): 1T tokens on 8 H100 at its rent of 2.99 USD/GPU-h.
commsim_auto_test("table: days and cost with tokens and a price" 0 "^ +1 +.* +[0-9.]+ +[0-9]+ +[0-9.]+$"
  ${AUTO_8B} --set training.tokens=1T --set cost.pricing=rent)
commsim_auto_test("json: days and cost with tokens and a price" 0 "\"cost_usd\": [0-9.e+]+,(.*\n)*.*\"gpu_hours\": [0-9.e+]+,(.*\n)*.*\"time_days\": [0-9.e+]+"
  ${AUTO_8B} --set training.tokens=1T --set cost.pricing=rent --format json)
add_test(NAME "cli: auto: search.top 3 gives 3 rows" COMMAND ${EXPECT} 0 "^3,[0-9]"
         bash -c "set -o pipefail; \"$0\" train ${DATA}/auto/llama3-8b-auto.yaml --format csv | tail -n 1" ${COMMSIM_BIN})
add_test(NAME "cli: auto: --top 1 overrides search.top" COMMAND ${EXPECT} 0 "^1,[0-9]"
         bash -c "set -o pipefail; \"$0\" train ${DATA}/auto/llama3-8b-auto.yaml --format csv --top 1 | tail -n 1" ${COMMSIM_BIN})
set_tests_properties("cli: auto: search.top 3 gives 3 rows" "cli: auto: --top 1 overrides search.top"
                     PROPERTIES ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}")
commsim_auto_test("csv header" 0
  "^rank,tp,pp,first_stage_layers,last_stage_layers,dp,cp,ep,etp,vpp,schedule,zero,dp_shard,micro_batch,recompute,recompute_num_layers,step_time_s,tokens_per_s_per_gpu,mfu,memory_gib_per_gpu,needed_gib_per_gpu,time_days,gpu_hours,cost_usd$"
  ${AUTO_8B} --format csv)
commsim_auto_test("csv row" 0
  "^1,[124],[0-9]+,,,[0-9]+,[0-9]+,1,[124],[12],(1f1b|interleaved),[0-3],[0-9]+,[124],(none|selective|full),[0-9]+,[0-9.e+-]+,[0-9.e+-]+,0\\.[0-9]+,[0-9.]+,[0-9.]+,,,$"
  ${AUTO_8B} --format csv)
commsim_auto_test("json counts" 0 "^ +\"tried\": 1800$" ${AUTO_8B} --format json)
commsim_auto_test("json rejection reasons" 0 "^ +\"does not fit\": 343$" ${AUTO_8B} --format json)
commsim_auto_test("--auto on a hand config" 0 "# search: tried [0-9]+.*layers % \\(pp\\*vpp\\) [0-9]+"
  train ${PROJECT_SOURCE_DIR}/configs/train/gpt-inline-a100.yaml --auto)
commsim_auto_test("no layout fits: exit 3 with the rejection counts" 3
  "no layout fits: tried 4091, fit 0, estimated 0, pruned by bound 0; rejected: does not fit 2796, interleaved: micro-batches < pp 864, layers % \\(pp\\*vpp\\) 431"
  train --model llama3-405b --system hgx-h20 --gpus 8 --seq-len 8192 --global-batch 16 --auto)
commsim_auto_test("layout flags fix their dimension of the search" 0
  "^1,2,[0-9]+,,,[0-9]+,[0-9]+,1,[12],[12],(1f1b|interleaved),1,[0-9]+,[124],(none|selective|full),[0-9]+,"
  ${AUTO_8B} --format csv --tp 2 --zero 1)
commsim_auto_test("layout flags no layout can have" 2 "--auto: no layout of 16 ranks has the dimensions the layout flags fix [(]tp 3[)]: "
  ${AUTO_8B} --tp 3)
commsim_auto_test("--top without auto" 2 "--top: needs --auto or parallelism: auto"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --top 2)
commsim_auto_test("search.top below 1" 2 "train_auto_bad_search.yaml:5:15: key 'search.top': must be at least 1"
  train ${DATA}/bad/train_auto_bad_search.yaml)
commsim_auto_test("parallelism neither a mapping nor auto" 2 "train_auto_not_auto.yaml:4:14: key 'parallelism': expected a mapping of sizes or 'auto'"
  train ${DATA}/bad/train_auto_not_auto.yaml)
commsim_auto_test("unknown search key by --set" 2 "--set: key 'search.max_tpp': unknown key"
  ${AUTO_8B} --set search.max_tpp=4)
# DP outermost (order tp-cp-ep-pp-dp) on 16 NVL72 racks: some layouts split their groups across racks with one
# count of ranks per rack in one group and another in the next (36/36 beside 24/24/24). The hierarchical form
# compared each group's parts with its own first part and handed groups of unequal size to the collective
# model: exit 2 "process groups must be non-empty and of equal size" for valid input. Such groups now take
# the flat curve.
commsim_auto_test("groups split unevenly over NVL72 racks" 0 "^# search: tried [0-9]+, fit [0-9]+"
  train -m llama3-70b --system gb200-nvl72 --gpus 1152 --seq-len 8192 --global-batch 2048 --precision fp8
  --set parallelism.order=tp-cp-ep-pp-dp --auto)
# A layout key given by --set fixes its dimension as its flag does, and the header lists it (it was searched
# over and the --set silently dropped: same result as without it, no "# overrides" line).
commsim_auto_test("--set on a layout key fixes it as its flag does" 0
  "^1,2,[0-9]+,,,[0-9]+,[0-9]+,1,[12],[12],(1f1b|interleaved),1,[0-9]+,2,full,0,"
  ${AUTO_8B} --format csv --set training.micro_batch=2 --set training.recompute=full --zero 1 --tp 2)
commsim_auto_test("--set under --auto is listed in the header" 0
  "^# overrides: parallelism.tp=2 \\(--set\\) parallelism.dp=~ \\(the file's 2, dropped: --set parallelism.tp\\)$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --set parallelism.tp=2)
commsim_auto_test("--set under --auto gives the flag's search" 0 "^# search: tried 9853, "
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --set parallelism.tp=2)
commsim_auto_test("--tp under --auto: the same search" 0 "^# search: tried 9853, "
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --auto --tp 2)
commsim_auto_test("search bounds by --set without --auto" 2 "^commsim: error: --set: key 'search.max_tp': the search bounds need --auto or parallelism: auto$"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --set search.max_tp=2)
# Keys the search sets per layout, given by --set under --auto: listed in the header and dropped; refused now.
commsim_auto_test("--set parallelism.etp under --auto" 2
  "^commsim: error: --set: key 'parallelism.etp': the layout search sets it for each layout"
  train ${PROJECT_SOURCE_DIR}/configs/train/qwen3-235b-h100.yaml --auto --set parallelism.etp=4 --tp 4)
# A key absent from its section is placed at the section (the line was lost for a while on 2026-12-04).
commsim_auto_test("a missing seq_len names its section's line" 2 "^commsim: error: [^ ]*train_no_seq_len.yaml:7:3: training.seq_len: required"
  train ${DATA}/bad/train_no_seq_len.yaml)
# A fixed dimension above its search bound left nothing to search and blamed the layout flags (2026-12-04).
commsim_data_test("auto: a fixed dimension above its search bound" 2 "^commsim: error: --tp: 8 is above search.max_tp [(]4[)]"
  train llama3-70b-h100 --auto --tp 8 --set search.max_tp=4)
