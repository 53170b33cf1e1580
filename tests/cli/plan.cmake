# Capacity planning (plan): shipped candidates with a small model so that the searches are fast, bad inputs,
# --max-tpp filtering (docs/cli.md).
set(PLAN_8B plan --model llama3-8b --tokens 1T --max-gpus 1024)
commsim_data_test("plan deadline on the shipped candidates" 0
  "cloudmatrix-384 +ascend-910c +12800 +meets +384 +TP[0-9]+ PP[0-9]+[(0-9+.)]* DP[0-9]+ CP" ${PLAN_8B} --deadline 30d)
commsim_data_test("plan deadline on h20" 0 "hgx-h20 +h20 +2368 +meets +[0-9]+ +TP" ${PLAN_8B} --deadline 30d --candidates hgx-h20,dgx-h100)
commsim_data_test("plan budget" 0 "dgx-h100 +h100-sxm +15831 +meets" ${PLAN_8B} --budget 2MUSD)
commsim_data_test("plan rent pricing" 0 "dgx-h100 .* 2\\.99 " ${PLAN_8B} --deadline 30d --candidates dgx-h100 --pricing rent)
# A100 and H100 PCIe have prices (rent; A100 a DGX A100 purchase too): A100 against H100, the common question.
commsim_data_test("plan rent pricing on A100 and H100 PCIe" 0 "dgx-a100 +a100-sxm-80gb .* 1\\.79 .*\n.*h100-pcie +h100-pcie .* 2\\.49 "
  ${PLAN_8B} --deadline 30d --candidates dgx-a100,h100-pcie --pricing rent)
# A candidate given as a system file is planned as written: its name was looked up in the catalog again (a
# file named like a shipped system ran as that system; any other name was "--system: unknown system", exit 2).
commsim_data_test("plan a candidate system file" 0 "my-h100-slow +h100-sxm +15831 +meets"
  ${PLAN_8B} --deadline 40d --candidates ${DATA}/plan/my-h100-slow.yaml)
commsim_data_test("plan two candidates of one system name" 2 "^commsim: error: --candidates: 'dgx-h100' and '.*dgx-h100.yaml' are both system 'dgx-h100'"
  ${PLAN_8B} --deadline 40d --candidates dgx-h100,${PROJECT_SOURCE_DIR}/topologies/systems/dgx-h100.yaml)
commsim_data_test("plan purchase on A100" 0 "dgx-a100 +a100-sxm-80gb +[0-9]+ +meets" ${PLAN_8B} --deadline 30d --candidates dgx-a100)
commsim_data_test("plan csv" 0 "system,gpu,tpp,status,gpus,nodes,tp,pp,dp,cp,ep,etp,vpp,schedule,first_stage_layers,last_stage_layers,zero,dp_shard,micro_batch,recompute,recompute_num_layers,global_batch,train_days"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-h20 --format csv)
commsim_data_test("plan json" 0 "\"pareto\": true" ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-h20 --format json)
commsim_data_test("plan max-tpp drops controlled chips" 0 "dgx-h100 +h100-sxm +15831 +dropped \\(TPP >= max\\)"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-h20 --max-tpp 4800)
commsim_data_test("plan max-tpp drops every candidate" 2 "--max-tpp.*every candidate has TPP at or above 4800"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-b200 --max-tpp 4800)
commsim_data_test("plan infeasible deadline names the best reachable" 2
  "--deadline.*no candidate trains .* within 2.0 hours.*best reachable: .* GPUs, [0-9.]+ days" ${PLAN_8B} --deadline 2h)
commsim_data_test("plan infeasible budget names the best reachable" 2 "--budget.*best reachable: " ${PLAN_8B} --budget 10USD)
commsim_data_test("plan needs deadline or budget" 2 "give exactly one of --deadline and --budget" ${PLAN_8B})
commsim_data_test("plan bad deadline unit" 2 "--deadline.*'90x' has unit 'x'" ${PLAN_8B} --deadline 90x)
commsim_data_test("plan deadline under a second is printed as given" 2 "--deadline: no candidate trains 1.00T tokens within 1e-09 s on up to 1024 GPUs"
  ${PLAN_8B} --deadline 1e-9s --candidates dgx-h100 --layouts quick)
commsim_data_test("plan unknown candidate" 2 "unknown system 'dgx-h900'" ${PLAN_8B} --deadline 30d --candidates dgx-h900)
# A GPU of the user's (its file beside its system file, named by a relative path, found from the build directory)
# is priced by a prices file of the user's: a name outside the catalog was refused until 2026-12-05, so such a GPU
# could not be planned. Its server power is checked against its TDP when the plan prices it.
set(USER_GPU ${DATA}/user_gpu)
commsim_data_test("plan a GPU of the user's with its prices" 0 "^ hgx-h300 +h300 +23744 +meets +32 "
  ${PLAN_8B} --deadline 30d --candidates ${USER_GPU}/system-h300.yaml --prices ${USER_GPU}/prices-h300.yaml --layouts quick)
commsim_data_test("plan a GPU of the user's without prices" 2
  "^commsim: error: .*topologies/prices.yaml: key 'gpus.h300': no prices for GPU 'h300' [(]add gpus.h300 to a prices file: --prices FILE[)]"
  ${PLAN_8B} --deadline 30d --candidates ${USER_GPU}/system-h300.yaml --layouts quick)
commsim_data_test("plan a GPU of the user's with a server below its TDP" 2
  "prices-h300-low-power.yaml:13:14: key 'gpus.h300.server.power': below its GPUs' TDP [(]8 x 700 W[)]"
  ${PLAN_8B} --deadline 30d --candidates ${USER_GPU}/system-h300.yaml --prices ${USER_GPU}/prices-h300-low-power.yaml --layouts quick)
# cost.prices: a prices file of the user's prices a training run by cost.pricing (only the shipped file could, so a
# GPU of the user's had no cost but cost.gpu_hour_usd; 2026-12-05); a relative path is read beside the config.
commsim_data_test("train priced from a prices file beside its config" 0
  "cost +0[.]0331 +M USD +at 4[.]00 USD/GPU-h [(]rent, .*user_gpu/prices-h300[.]yaml[)]"
  train ${USER_GPU}/train-h300-priced.yaml)
commsim_data_test("train priced from a prices file: JSON names the file" 0 "\"prices_file\": \".*user_gpu/prices-h300[.]yaml\","
  train ${USER_GPU}/train-h300-priced.yaml --format json)
commsim_data_test("train purchase price from a prices file by --set" 0 "at 1[.]94 USD/GPU-h [(]purchase, "
  train ${USER_GPU}/train-h300-priced.yaml --set cost.pricing=purchase)
commsim_data_test("cost.prices without cost.pricing" 2
  "^commsim: error: .*train-h300-prices-only[.]yaml:7:[0-9]+: key 'cost.prices': a prices file is read by cost.pricing"
  train ${USER_GPU}/train-h300-prices-only.yaml)
commsim_data_test("--set cost.pricing=~ on a config with cost.prices runs unpriced" 0 "^# overrides: cost.pricing=~ [(]--set[)]"
  train ${USER_GPU}/train-h300-priced.yaml --set cost.pricing=~)
commsim_data_test("cost.prices that names no file" 2 "^commsim: error: --set: key 'cost.prices': 'prices' is not a path to a prices file"
  train ${USER_GPU}/train-h300-priced.yaml --set cost.prices=prices)
commsim_data_test("cost.prices by --set is read from the current directory" 2
  "^commsim: error: --set: key 'cost.prices': prices file 'prices-h300[.]yaml' not found"
  train ${USER_GPU}/train-h300-priced.yaml --set cost.prices=prices-h300.yaml)
commsim_data_test("cost.prices without the GPU's price" 2
  "^commsim: error: .*train-h300-priced[.]yaml:8:[0-9]+: key 'cost.pricing': no rent price for GPU 'h100-sxm' in .*prices-h300[.]yaml"
  train ${USER_GPU}/train-h300-priced.yaml --system dgx-h100)
commsim_data_test("train config with its model and system beside it" 0 "tiny-3b .* on .*system-h300.yaml, 16 x h300 "
  train ${USER_GPU}/train-h300.yaml)
# A --set inside that model reads the model file beside the config too (it was "--set: key 'model': model file
# 'model-tiny.yaml' not found" until 2026-12-05, in train and in every study on such a base).
commsim_data_test("train --set model.* on a model beside its config" 0 "^# overrides: model.layers=4 [(]--set[)]"
  train ${USER_GPU}/train-h300.yaml --set model.layers=4)
commsim_data_test("a model beside its config that is not there is named at its line" 2
  "^commsim: error: .*train-h300-no-model.yaml:4:8: key 'model': model file 'no-such-model.yaml' not found"
  train ${USER_GPU}/train-h300-no-model.yaml --set model.layers=4)
# A candidate with no layout has every key of a chosen one, null (they were left out: a script's c["gpus"] failed).
commsim_data_test("plan JSON: a candidate without a layout has null figures" 0
  "\"cost_usd\": null,(.*\n)*.*\"gpus\": null,(.*\n)*.*\"status\": \"no layout\""
  plan --model llama3-70b --tokens 15T --deadline 20d --candidates dgx-h100,gb200-nvl72 --layouts quick --format json)
commsim_data_test("plan prices missing for a candidate" 2 "prices_no_h20.yaml.*gpus.h20.*no prices for GPU 'h20'"
  ${PLAN_8B} --deadline 30d --prices ${DATA}/plan/prices_no_h20.yaml)
commsim_data_test("plan rent missing for a candidate" 2 "gpus.h20.rent_per_gpu_hour.*no rent price"
  ${PLAN_8B} --deadline 30d --pricing rent)
commsim_data_test("plan prices with an implausible depreciation life" 2 "prices_bad_life.yaml:7:[0-9]+: key 'site.amortisation_years': a server's depreciation life is 1 to 30 years"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_bad_life.yaml)
commsim_data_test("plan prices with an energy price of no electricity" 2 "prices_bad_energy.yaml:6:[0-9]+: key 'site.energy_price_per_kwh': an energy price per kWh is 0 to 10 USD"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_bad_energy.yaml)
commsim_data_test("plan prices of a server of a billion GPUs" 2 "prices_bad_server_gpus.yaml:10:[0-9]+: key 'gpus.h100-sxm.server.gpus': the GPUs one server price buys"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_bad_server_gpus.yaml)
commsim_data_test("plan prices of a server drawing less than its GPUs" 2 "prices_low_power.yaml:10:[0-9]+: key 'gpus.h100-sxm.server.power': below its GPUs' TDP [(]8 x 700 W[)]"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_low_power.yaml)
commsim_data_test("plan prices of a server drawing megawatts" 2 "prices_high_power.yaml:10:[0-9]+: key 'gpus.h100-sxm.server.power': more than ten times its GPUs' TDP [(]8 x 700 W[)] and 10 kW of host [(]66 kW[)]"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_high_power.yaml)
# A looser deadline never cost less than the window allowed: anchored on the smallest size meeting it (16 H100
# for 1,000 days), the window stopped at 32 GPUs with full recompute ($391k) where 64 meet 400 days for $373k
# (helper-168). The window now runs on from each cheaper size.
commsim_data_test("plan: a looser deadline finds the cheaper size a tighter one chose" 0
  "^ dgx-h100 +h100-sxm +15831 +meets +64 +TP1 PP1 DP16 CP4 .* 0[.]373 "
  plan --model llama3-70b --tokens 1T --candidates dgx-h100 --deadline 1000d)
# Prices are read as prices, not any number (helper-169): a bare 350 bought 8 H100 for 350 USD, a rent of 299 for
# 2.99USD was 299 USD per GPU-hour, both exit 0.
commsim_data_test("plan prices: a server price without its unit" 2
  "prices_bare_server_price.yaml:10:[0-9]+: key 'gpus.h100-sxm.server.price': 350USD for 8 GPUs is 43.75USD per GPU: a server costs 1kUSD to 1MUSD per GPU"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --prices ${DATA}/plan/prices_bare_server_price.yaml)
commsim_data_test("plan prices: a rent of 299 USD per GPU-hour" 2
  "prices_rent_slip.yaml:10:[0-9]+: key 'gpus.h100-sxm.rent_per_gpu_hour': a GPU-hour rents for 0.01 to 100 USD"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --pricing rent --prices ${DATA}/plan/prices_rent_slip.yaml)
# A GPU of the user's named as a catalog GPU was priced (and given SM counts) as that GPU, exit 0 (helper-169).
commsim_data_test("plan: a GPU file of your own named as a catalog GPU" 2
  "h300-named-h100.yaml:4:[0-9]+: key 'gpu.name': 'h100-sxm' is the catalog's GPU [(].*topologies/gpus/h100-sxm.yaml[)], whose prices and kernel data are found by that name"
  ${PLAN_8B} --deadline 30d --candidates ${USER_GPU}/system-h300-named-h100.yaml,dgx-h100 --pricing rent)
commsim_data_test("--set gpu.name to a catalog GPU's" 2
  "^commsim: error: --set: key 'gpu.name': 'h100-sxm' is the catalog's GPU"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml --system hgx-h20 --set gpu.name=h100-sxm)
# A directory beside the system file, named as its GPU file, was "not found" (and a file of that name in the
# current directory read instead).
commsim_data_test("a system's GPU file beside it is a directory" 2
  "dir_gpu/system.yaml:6:[0-9]+: key 'gpu': GPU file '.*dir_gpu/h300.yaml' is a directory, not a file"
  topo --system ${USER_GPU}/dir_gpu/system.yaml)
# A directory given as --prices was "not found" (every other input says what it is).
commsim_data_test("plan prices file is a directory" 2 "plan: is a directory, not a file"
  ${PLAN_8B} --deadline 30d --prices ${DATA}/plan)
commsim_data_test("plan unknown pricing" 2 "unknown pricing 'lease'" ${PLAN_8B} --deadline 30d --pricing lease)
commsim_data_test("plan missing output directory" 2 "cannot open output file" ${PLAN_8B} --deadline 30d --candidates dgx-h100 --out /nonexistent/dir/p.csv)
commsim_data_test("plan quick layout search" 0 "dgx-h100 .* meets +64 +TP1 PP2 DP32 CP1" ${PLAN_8B} --deadline 30d --candidates dgx-h100 --layouts quick)
commsim_data_test("plan unknown layout search" 2 "--layouts.*unknown layout search 'best'" ${PLAN_8B} --deadline 30d --layouts best)
# Label `heavy` (the asan test preset leaves them out): the four plans over every shipped candidate or budget
# take 20-50 s each under ASan; the smaller plans above run the same code there (budget mode: "plan infeasible
# budget", deadline mode: "plan deadline on h20", the -j threads: every plan runs on 2).
set_tests_properties("cli: plan deadline on the shipped candidates" "cli: plan budget"
                     "cli: plan infeasible deadline names the best reachable" PROPERTIES LABELS heavy)
# The candidates are searched on -j threads: the output does not depend on how many (tests/cli/plan_jobs.sh).
add_test(NAME "cli: plan -j 1 and -j 3 write the same CSV"
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/plan_jobs.sh $<TARGET_FILE:commsim> ${CMAKE_CURRENT_BINARY_DIR}/plan_jobs
                 ${PLAN_8B} --deadline 30d --format csv --candidates dgx-h100,hgx-h20,gb200-nvl72)
set_tests_properties("cli: plan -j 1 and -j 3 write the same CSV" PROPERTIES
  ENVIRONMENT "COMMSIM_DATA_DIR=${PROJECT_SOURCE_DIR}" PASS_REGULAR_EXPRESSION "identical, 3 candidates meet" LABELS heavy)

# --set of a key plan decides itself was overwritten without a word (an audit: tp, schedule under the quick
# search, recompute, micro-batch, tokens); it is refused, naming who decides. Keys plan keeps still apply.
foreach(case "parallelism.tp=3|plan's layout search chooses it" "training.micro_batch=4|plan's layout search chooses it"
             "training.tokens=5T|plan's tokens are --tokens" "cluster.gpus=8|plan chooses the cluster"
             "nodes=4|the system's default node count does not apply"
             "cost.gpu_hour_usd=5|plan prices each candidate from --prices and --pricing"
             "parallelism.schedule=dualpipe|plan's layout search chooses it [(]--layouts quick tries Megatron's defaults"
             "pipeline.schedule=dualpipe|plan's layout search chooses it [(]--layouts quick tries Megatron's defaults"
             "search.max_pp=1|--layouts quick tries Megatron's defaults, not a search; --layouts auto reads the search bounds"
             "parallelism.dp_shard=8|plan does not hold a shard group [(]train --auto does[)]; --layouts auto searches them with --set search.hybrid_sharding=true"
             "parallelism={schedule: dualpipe}|plan's layout search chooses the layout; set the keys it keeps one by one"
             "training={micro_batch: 4}|plan decides tokens, seq_len, global_batch and precision"
             "cluster={gpus: 8}|plan chooses the cluster")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 set)
  list(GET parts 1 why)
  commsim_data_test("plan --set ${set} is refused" 2 "--set: key '[a-z_.]+': ${why}"
    ${PLAN_8B} --deadline 30d --candidates dgx-h100 --layouts quick --set ${set})
endforeach()
commsim_data_test("plan --set schedule kept by the auto search" 0 "dgx-h100 .* zero-bubble"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --set parallelism.schedule=zero-bubble)
commsim_data_test("plan --set pipeline.schedule kept by the auto search" 0 "dgx-h100 .* zero-bubble"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --set pipeline.schedule=zero-bubble)
# A GPU without the precision's kernels was "does not fit"; now its own status, and an error naming
# --precision when no candidate runs it.
commsim_data_test("plan mxfp8 on Hopper is not supported, not 'does not fit'" 0 "dgx-h100 +h100-sxm +15831 +precision not supported"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-b200 --layouts quick --precision mxfp8)
commsim_data_test("plan mxfp8 with only Hopper names --precision" 2 "--precision: no candidate runs mxfp8 [(]mxfp8 is not supported on h100-sxm"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --layouts quick --precision mxfp8)
# --max-gpus below one node planned a whole node anyway (std::max(1 node)): a candidate whose node is larger
# is listed as such; when it is every candidate, exit 2 naming --max-gpus.
commsim_data_test("plan --max-gpus below every node" 2
  "--max-gpus: 71 GPUs hold no whole node of any candidate [(]the smallest: gb200-nvl72, 72 GPUs per node[)]"
  plan --model llama3-8b --tokens 1T --deadline 30d --candidates gb200-nvl72 --max-gpus 71)
commsim_data_test("plan --max-gpus below one candidate's node" 0 "^gb200-nvl72 +gb200 +40000 +node > --max-gpus +- "
  plan --model llama3-8b --tokens 1T --deadline 1000d --candidates dgx-h100,gb200-nvl72 --max-gpus 64)
# A small run printed its cost as 0.00 M USD and its tokens as 0.000T: two significant digits where the
# column's decimals would print a positive figure as 0.
commsim_data_test("plan small run tokens" 0 "^# commsim plan: llama3-8b in bf16, 0.0001T tokens,"
  plan --model llama3-8b --tokens 100M --candidates dgx-h100 --deadline 1d)
commsim_data_test("plan small run cost" 0 "^ dgx-h100 +h100-sxm +[0-9]+ +meets +8 .* 0.017 +3 +4.43e-06 +[0-9.]+ +0.0053 "
  plan --model llama3-8b --tokens 100M --candidates dgx-h100 --deadline 1d)
# --max-tpp inf dropped nothing and printed "TPP < inf"; 1.5 tokens planned 0.000T tokens in 0.0 days; a default
# batch that --seq-len makes 1 was blamed on --global-batch, which was not given.
commsim_data_test("plan --max-tpp inf" 2 "^commsim: error: --max-tpp: 'inf' is not a decimal number$"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --max-tpp inf)
# Hex was read (0x1000: "TPP < 4096"), and a denormal printed "TPP at or above 0" (2026-12-06).
commsim_data_test("plan --max-tpp hex" 2 "^commsim: error: --max-tpp: '0x1000' is not a decimal number$"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --max-tpp 0x1000)
commsim_data_test("plan --max-tpp below 1" 2 "^commsim: error: --max-tpp: must be a number of TPP from 1 to 1e12$"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --max-tpp 1e-320)
# A step of more tokens than the run "met" its deadline with a fraction of a step (2026-12-05).
commsim_data_test("plan with a step past the run" 2 "^commsim: error: --global-batch: one step's 1.75922e[+]13 tokens [(]global batch 2147483647 x seq_len 8192[)] are more than --tokens [(]1e[+]12[)]"
  plan --model llama3-8b --tokens 1T --deadline 90d --candidates dgx-h100 --layouts quick --global-batch 2147483647)
commsim_data_test("plan with a default step past the run names --tokens" 2 "^commsim: error: --tokens: one step's"
  plan --model llama3-8b --tokens 1M --deadline 90d --candidates dgx-h100)
commsim_data_test("plan --tokens not whole" 2 "^commsim: error: --tokens: '1.5' is not a whole count$"
  plan --model llama3-8b --tokens 1.5 --deadline 30d --candidates dgx-h100)
commsim_data_test("plan default batch of 1 names --seq-len" 2 "global batch of 1 [(]16M tokens / --seq-len; --global-batch sets it[)]$"
  plan --model llama3-8b --tokens 1T --deadline 30d --candidates dgx-h100 --seq-len 2147483647)
# A plan can search for minutes: a progress line on stderr, forced here; stdout unchanged. It counts cluster
# sizes (28 here: 14 node counts up to --max-gpus 1024 on each 8-GPU candidate), and a deadline's search that
# stops early still ends at the total (it moved once per candidate).
commsim_data_test("plan --progress" 0 "plan: 28/28 cluster sizes"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-h20 --progress)
# Candidates ruled out by precision and by --max-gpus: both named (the message blamed --precision alone).
commsim_data_test("plan precision and node size both" 2
  "^commsim: error: --precision: no candidate both runs mxfp8 and fits --max-gpus 64: .*; GPUs per node above it: gb200-nvl72 72$"
  plan --model llama3-8b --tokens 1T --deadline 1000d --candidates dgx-h100,gb200-nvl72 --max-gpus 64 --layouts quick --precision mxfp8)
# plan's auto search takes search.hybrid_sharding; its CSV gives ZeRO's shard group (dp_shard, dp where not hybrid).
commsim_data_test("plan --set search.hybrid_sharding under the auto search" 0 ",1f1b,,,2,64,1,none,"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --set search.hybrid_sharding=true --format csv)
# What each priced row's cost rests on: the GPU's rent or server price, its kind and source, and a warning when
# the kinds differ (a press estimate beside a list price; session 43).
commsim_data_test("plan names what each price rests on" 0
  "# price of h100-sxm: 1[.]38 USD/GPU-h [(]purchase: 350kUSD per 8 GPUs over 4 years, plus power[)]; assumption: press reports[^\n]*\n# price of b200: 2[.]02 USD/GPU-h [(]purchase: 515kUSD per 8 GPUs over 4 years, plus power[)]; claim: DGX B200 list price[^\n]*\n# these prices are of different kinds [(]assumption, claim[)]"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-b200 --layouts quick)
commsim_data_test("plan rent prices of one kind say no more" 0
  "# price of b200: 4[.]99 USD/GPU-h [(]rent[)]; claim: Lambda Cloud on-demand list price, 8x B200 [(]2025[)]\n$"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100,hgx-b200 --layouts quick --pricing rent)
commsim_data_test("plan json gives each candidate's price" 0
  "\"price\": [{][^}]*\"basis\": \"rent\",[^}]*\"kind\": \"claim\""
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --layouts quick --pricing rent --format json)
# A server price for another box than the system's node: the price line says the cost counts GPUs at the
# server's price per GPU, not whole servers (session 43).
commsim_data_test("plan says when a server is not the system's node" 0
  "# price of gb200: [0-9.]+ USD/GPU-h [(]purchase: 666kUSD per 16 GPUs over 4 years, plus power[)]; assumption: test: a 16-GPU share of a rack; the server holds 16 GPUs and gb200-nvl72's nodes 72: the cost counts GPUs at its price per GPU, not whole servers"
  ${PLAN_8B} --deadline 30d --candidates gb200-nvl72 --prices ${DATA}/plan/prices_server16.yaml)
# Every candidate of the GPU is checked, not its first: a GB200 system of 16-GPU nodes listed first hid the line
# (the price is printed once per GPU; helper-149, 2026-12-07).
commsim_data_test("plan notes a server that does not divide a later candidate's nodes" 0
  "# price of gb200: [^\n]*; the server holds 16 GPUs and gb200-nvl72's nodes 72: the cost counts GPUs"
  ${PLAN_8B} --deadline 30d --candidates ${DATA}/plan/gb200-x16.yaml,gb200-nvl72 --prices ${DATA}/plan/prices_server16.yaml)
# plan reports one layout per candidate and size: search.top was read and dropped (helper-149, 2026-12-07).
commsim_data_test("plan refuses search.top" 2
  "^commsim: error: --set: key 'search[.]top': plan reports the fastest layout of each candidate and size"
  ${PLAN_8B} --deadline 30d --candidates dgx-h100 --layouts auto --set search.top=3)
