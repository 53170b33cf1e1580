# Layout: expert tensor parallelism and EP folded over TP x CP x DP, pipeline schedules, the default uneven
# split, multi-token prediction, EP overlap; every key through --set; bad input names file:line:key or --set.
set(LAYOUT_QWEN train --model qwen3-235b-a22b --system dgx-h100 --gpus 256 --tp 2 --pp 8 --seq-len 4096 --global-batch 512 --recompute full)
set(LAYOUT_DSV3 train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-h800.yaml)
set(LAYOUT_8B train --model llama3-8b --system dgx-h100 --gpus 16 --pp 4 --seq-len 4096)

# EP 32 > DP 16 with ETP 1 (Megatron's parallel folding), and the default 94-layer split on 8 stages.
commsim_data_test("layout ep folded over tp x dp" 0 "TP2 PP8 DP16 CP1 EP32 ETP1 .* 1f1b stages 11\\+6x12\\+11"
  ${LAYOUT_QWEN} --ep 32 --set parallelism.etp=1)
commsim_data_test("layout etp and edp in json" 0 "\"edp\": 2,"
  train --model qwen3-235b-a22b --system dgx-h100 --gpus 512 --tp 2 --pp 8 --seq-len 4096 --global-batch 512 --recompute full --ep 16 --format json)
commsim_data_test("layout default split 126 layers on 16 stages" 0 "stages 7\\+14x8\\+7"
  train --model llama3-405b --system dgx-h100 --gpus 2048 --tp 8 --pp 16 --seq-len 8192 --global-batch 1024 --recompute full)
commsim_data_test("layout explicit split overrides the default" 0 "stages 5\\+6x13\\+11"
  train --model qwen3-235b-a22b --system dgx-h100 --gpus 256 --tp 2 --seq-len 4096 --global-batch 512 --recompute full
  --set parallelism.pp=8 --set parallelism.first_stage_layers=5 --set parallelism.last_stage_layers=11 --ep 32 --set parallelism.etp=1)
commsim_data_test("layout dsv3 with mtp" 0 "stages 3\\+14x4\\+2 MTP1" ${LAYOUT_DSV3})
commsim_data_test("layout mtp off by --set" 0 "stages 3\\+14x4\\+2; seq" ${LAYOUT_DSV3} --set training.mtp=false)
commsim_data_test("layout dualpipe by --set" 0 "EP32 ETP1 VPP1 ZeRO-1 SP dualpipe"
  ${LAYOUT_QWEN} --ep 32 --set parallelism.etp=1 --set parallelism.schedule=dualpipe)
# DeepSeek-V3's own setting: DualPipe with DeepEP's exchange hides it behind the other micro-batch's compute.
# Hidden behind the other direction's compute, which runs on the 112 of 132 SMs DeepEP's kernels leave: 0.739 s of
# the 13.0 s exchange stays (overlap.ep=false: 13.009 s exposed).
commsim_data_test("layout dsv3 dualpipe with deepep hides the EP exchange but for the SMs it holds" 0 "exposed EP comm +0.739"
  ${LAYOUT_DSV3} --set parallelism.schedule=dualpipe --recompute full --set training.moe_dispatcher=deepep)
# On Ascend the exchange runs on HCCL's SDMA engines, not the AI cores: no SMs held (helper-155: an H800's NCCL
# channel count over a 910C's 24 cores left 70% of it exposed).
commsim_data_test("layout cloudmatrix ep overlap holds no cores" 0 "exposed EP comm +0.267"
  train ${PROJECT_SOURCE_DIR}/configs/train/deepseek-v3-cloudmatrix.yaml --set overlap.ep=true)
commsim_data_test("layout dsv3 dualpipe without ep overlap exposes the EP exchange" 0 "exposed EP comm +13.009"
  ${LAYOUT_DSV3} --set parallelism.schedule=dualpipe --recompute full --set training.moe_dispatcher=deepep --set overlap.ep=false)
commsim_data_test("layout zero-bubble by --set" 0 "zero-bubble" ${LAYOUT_8B} --global-batch 32 --set parallelism.schedule=zero-bubble)
commsim_data_test("layout ep overlap by --set" 0 "EP32 ETP1" ${LAYOUT_QWEN} --ep 32 --set parallelism.etp=1 --set overlap.ep=true)

# Bad input: one message naming file:line:key (or --set / the flag), exit 2.
commsim_data_test("layout ep not dividing the folded group" 2
  "train_ep_not_folding.yaml:5:[0-9]+: parallelism.ep: etp\\*ep = 1\\*64 does not divide tp\\*cp\\*dp = 32"
  train ${DATA}/bad/train_ep_not_folding.yaml)
commsim_data_test("layout ep not dividing the folded group by --set" 2 "--set: parallelism.ep: etp\\*ep = 2\\*32 does not divide.*; parallelism.etp=1 folds it"
  train --model qwen3-235b-a22b --system dgx-h100 --gpus 256 --tp 2 --pp 8 --seq-len 4096 --global-batch 512 --set parallelism.ep=32)
# An etp given (the shipped EP 32 config at ETP 2): the hint and the blame go to it too (the hint was only for an
# etp left to its default, and the error named the config's ep line; 2026-12-05).
commsim_data_test("layout etp given that does not fold" 2 "^commsim: error: --set: parallelism.etp: etp\\*ep = 2\\*32 does not divide.*; parallelism.etp=1 folds it"
  train ${PROJECT_SOURCE_DIR}/configs/train/qwen3-235b-h100-ep32.yaml --set parallelism.etp=2)
commsim_data_test("layout dualpipe with odd pp" 2
  "train_dualpipe_odd_pp.yaml:6:[0-9]+: parallelism.schedule: dualpipe needs an even pp" train ${DATA}/bad/train_dualpipe_odd_pp.yaml)
commsim_data_test("layout dualpipe with too few micro-batches" 2
  "--global-batch: training.global_batch: dualpipe needs an even number of micro-batches per pipeline, at least 2\\*pp = 8; got 4"
  ${LAYOUT_8B} --global-batch 16 --set parallelism.schedule=dualpipe)
# Megatron's interleaved schedule needs at least pp micro-batches per pipeline (microbatch_group_size_per_vp_stage
# in [pp, M]); with fewer, the model chunks run one after another and (p - 1)/v understated the bubble: the
# Kimi-K2-on-H20 study picked PP2 VPP8 with one micro-batch (31 days; 55 at VPP 1).
commsim_data_test("layout interleaved with fewer micro-batches than stages" 2
  "--global-batch: training.global_batch: the interleaved schedule needs at least pp = 4 micro-batches per pipeline .global_batch / .micro_batch \\* dp..; got 2"
  ${LAYOUT_8B} --global-batch 8 --vpp 2)
commsim_data_test("layout vpp not dividing the stage" 2
  "train_vpp_not_dividing.yaml:7:[0-9]+: parallelism.vpp: 3 does not divide the 20 layers of stage 0" train ${DATA}/bad/train_vpp_not_dividing.yaml)
# Shortened end stages may split unevenly into model chunks (Llama 3 405B's 7 layers under vpp 8: the first
# chunk holds only the embedding), but no chunk may be left with nothing: 5 layers and the embedding in 7.
commsim_data_test("layout vpp leaving an end stage's chunk empty" 2
  "--vpp: parallelism.vpp: 7 model chunks leave one of stage 0 empty .its 5 layers, with the embedding."
  train -m llama3-70b -s dgx-h100 --gpus 96 --tp 1 --pp 12 --vpp 7 --seq-len 8192 --global-batch 96
  --set parallelism.first_stage_layers=5 --set parallelism.last_stage_layers=5)
commsim_data_test("layout vpp 8 on Llama 3 405B's 7-layer end stages" 0 "interleaved stages 7[+]14x8[+]7"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-405b-h100-16k.yaml)
commsim_data_test("layout interleaved without vpp" 2 "--set: parallelism.schedule: interleaved needs vpp >= 2"
  ${LAYOUT_8B} --global-batch 32 --set parallelism.schedule=interleaved)
# pipeline.schedule (the issue's spelling) is parallelism.schedule; errors name the key as given.
commsim_data_test("layout pipeline.schedule by --set" 0 "# TP1 PP4 DP[0-9]+ CP1 EP1 VPP1 ZeRO-1 zero-bubble;"
  ${LAYOUT_8B} --global-batch 32 --set pipeline.schedule=zero-bubble)
commsim_data_test("layout pipeline.schedule dualpipe with odd pp" 2
  "train_pipeline_dualpipe_odd_pp.yaml:6:[0-9]+: pipeline.schedule: dualpipe needs an even pp" train ${DATA}/bad/train_pipeline_dualpipe_odd_pp.yaml)
commsim_data_test("layout pipeline.schedule conflicting with parallelism.schedule" 2
  "--set: key 'pipeline.schedule': conflicts with parallelism.schedule"
  ${LAYOUT_8B} --global-batch 32 --set parallelism.schedule=1f1b --set pipeline.schedule=zero-bubble)
commsim_data_test("layout unknown schedule" 2 "--set: key 'parallelism.schedule': unknown value 'gpipe' \\(valid: 1f1b, interleaved, zero-bubble, dualpipe\\)"
  ${LAYOUT_8B} --global-batch 32 --set parallelism.schedule=gpipe)
# 61 layers on 8 stages without MTP: Megatron's split needs 8 | 63; the balanced split is 7 + 6 x 8 + 6. On 32
# stages 2 layers per middle stage leave the last none: refused.
commsim_data_test("layout balanced default split" 0 "EP64 ETP1 VPP1 ZeRO-1 1f1b stages 7\\+6x8\\+6;"
  train --model deepseek-v3 --system hgx-h800 --gpus 1024 --pp 8 --ep 64 --seq-len 4096 --global-batch 1024 --set training.mtp=false
  --recompute full)
commsim_data_test("layout no default split" 2
  "--pp: parallelism.pp: 32 does not divide layers \\(61\\) nor layers \\+ embedding \\+ loss \\(63\\).*, and 2 layers on each middle stage leave the first or last none"
  train --model deepseek-v3 --system hgx-h800 --gpus 1024 --pp 32 --ep 32 --seq-len 4096 --global-batch 1024 --set training.mtp=false)

# Errors placed where the value was given (an audit found them with no location, doubled, or blamed on
# --system / --model / a sweep's first axis), and --pp keeping a --set split.
set(LAYOUT_70B train ${PROJECT_SOURCE_DIR}/configs/train/llama3-70b-h100.yaml)
commsim_data_test("train order in a file names file and line" 2 "train_bad_order.yaml:4:[0-9]+: parallelism.order: 'tp-dp' must order all of"
  train ${DATA}/bad/train_bad_order.yaml)
commsim_data_test("train order by --set names --set" 2 "^commsim: error: --set: parallelism.order: 'foo'" ${LAYOUT_70B} --set parallelism.order=foo)
commsim_data_test("train dp bucket by --set names --set" 2 "^commsim: error: --set: overlap.dp_bucket_params: '-5' must be a non-negative count"
  ${LAYOUT_70B} --set overlap.dp_bucket_params=-5)
commsim_data_test("train tokens as a list: one location" 2 "^commsim: error: [^ ]*train_tokens_list.yaml:4:[0-9]+: key 'training.tokens': expected a string\n$"
  train ${DATA}/bad/train_tokens_list.yaml)
commsim_data_test("train tokens less than one step" 2
  "^commsim: error: --set: training.tokens: 1000 tokens are less than one step's 8.38861e[+]06 [(]global_batch 1024 x seq_len 8192[)]"
  ${LAYOUT_70B} --set training.tokens=1000)
commsim_data_test("train tokens past 1e21" 2 "--set: training.tokens: '1e30T' is past the largest count" ${LAYOUT_70B} --set training.tokens=1e30T)
commsim_data_test("train unknown system in a file names file and line" 2 "train_unknown_system.yaml:3:[0-9]+: key 'cluster.system': unknown system 'no-such-system'"
  train ${DATA}/bad/train_unknown_system.yaml)
commsim_data_test("train unknown model in a file names file and line" 2 "train_unknown_model.yaml:2:[0-9]+: key 'model': unknown model 'no-such-model'"
  train ${DATA}/bad/train_unknown_model.yaml)
commsim_data_test("train unknown model by flag names --model" 2 "^commsim: error: --model: unknown model 'no-such-model'"
  train --model no-such-model --system dgx-h100 --gpus 8 --seq-len 4096 --global-batch 8)
commsim_data_test("sweep: a --set error in the base names --set, not an axis" 2 "^commsim: error: --set: parallelism.order: 'foo'"
  sweep ${DATA}/sweep/zip_where.yaml --set parallelism.order=foo --quiet)
commsim_data_test("train --pp keeps a --set split" 2 "--set: parallelism.first_stage_layers: first_stage_layers [+] last_stage_layers = 200 is more than the model.s 126 layers"
  train --model llama3-405b --system dgx-h100 --gpus 1024 --seq-len 8192 --global-batch 512 --tp 8 --pp 16 --recompute full
  --set parallelism.first_stage_layers=200)
# A new pp drops the file's split (made for its pp) whether it came from --pp or --set parallelism.pp; the same pp
# keeps it (--pp 8 on a pp 8 file reset 10+7x12 to the default until 2026-12-04; --set kept 11+..+11 on pp 4).
commsim_data_test("train --set parallelism.pp drops the file's split as --pp does" 0 "stages 23[+]2x24[+]23;"
  train qwen3-235b-h100-ep32 --set parallelism.pp=4 --set parallelism.dp=32)
commsim_data_test("train --pp of the file's pp keeps its split" 0 "stages 10[+]7x12;"
  train ${DATA}/checks/train_split_10_12.yaml --pp 8)
commsim_data_test("train --set parallelism.pp of the file's pp keeps its split" 0 "stages 10[+]7x12;"
  train ${DATA}/checks/train_split_10_12.yaml --set parallelism.pp=8)
commsim_data_test("train --set parallelism.pp of the file's pp in another spelling keeps its split" 0 "stages 10[+]7x12;"
  train ${DATA}/checks/train_split_10_12.yaml --set parallelism.pp=4 --set parallelism.pp=08)
commsim_data_test("train --set parallelism.pp drops a provenance-form file's split" 0 "stages 23[+]2x24[+]23;"
  train ${DATA}/checks/train_split_10_12_provenance.yaml --set parallelism.pp=4 --set parallelism.dp=32)
# Sequence parallelism splits each CP rank's tokens over TP: seq 8191 on TP 8 ran (2026-12-04).
commsim_data_test("train sequence parallel needs tp to divide the tokens" 2 "^commsim: error: --seq-len: training.seq_len: with sequence parallelism, tp 8 does not divide the 8191 tokens"
  train llama3-70b-h100 --seq-len 8191)
commsim_data_test("train stages label as estimated: no last split" 0 "1f1b stages 6[+]15x8; seq"
  train --model llama3-405b --system dgx-h100 --gpus 1024 --seq-len 8192 --global-batch 512 --tp 8 --pp 16 --recompute full
  --set parallelism.first_stage_layers=6)
commsim_data_test("train a --set last_stage_layers is the key blamed" 2 "^commsim: error: --set: parallelism.last_stage_layers: the remaining 116 layers"
  train ${PROJECT_SOURCE_DIR}/configs/train/llama3-405b-h100-16k.yaml --set parallelism.last_stage_layers=3)

# The shipped config of issue 8's example, EP past DP at expert-TP 1: it runs and fits; at ETP 2 it is refused.
set(QWEN_EP32 train ${PROJECT_SOURCE_DIR}/configs/train/qwen3-235b-h100-ep32.yaml)
commsim_data_test("layout qwen3-235b ep32 config runs at etp 1" 0 "^# TP2 PP8 DP16 CP1 EP32 ETP1 VPP1 ZeRO-1 SP 1f1b stages 11\\+6x12\\+11" ${QWEN_EP32})
commsim_data_test("layout qwen3-235b ep32 config fits" 0 "fits +yes +needs" ${QWEN_EP32})
# Hybrid sharding (parallelism.dp_shard): ZeRO over 8 DP ranks of 32, 4 copies; errors name the key.
set(LAYOUT_HSDP train --model llama3-8b --system dgx-h100 --gpus 32 --seq-len 8192 --global-batch 32 --zero 3 --recompute full)
commsim_data_test("layout hybrid sharding by --set" 0 "ZeRO-3 1f1b hybrid-sharded over 8 DP ranks \\(4 copies\\)"
  ${LAYOUT_HSDP} --set parallelism.dp_shard=8)
commsim_data_test("layout hybrid sharding in json" 0 "\"dp_shard\": 8," ${LAYOUT_HSDP} --set parallelism.dp_shard=8 --format json)
commsim_data_test("layout hybrid sharding not dividing dp" 2 "^commsim: error: --set: parallelism.dp_shard: 3 does not divide dp \\(32\\)"
  ${LAYOUT_HSDP} --set parallelism.dp_shard=3)
commsim_data_test("layout hybrid sharding without ZeRO" 2
  "train_dp_shard_zero0.yaml:5:[0-9]+: parallelism.dp_shard: zero 0 shards nothing" train ${DATA}/bad/train_dp_shard_zero0.yaml)
# Under --auto a given shard group is held (it was refused until 2026-12-05): only layouts whose dp it divides,
# with ZeRO 1-3, are searched; the table's dp_shard column is ZeRO's shard group in DP ranks (dp where not hybrid).
commsim_data_test("layout hybrid sharding under --auto is held" 0
  "^ +1 +1 +1 +- +- +32 +1 +1 +1 +1 +1f1b +3 +8 +1 +full "
  ${LAYOUT_HSDP} --set parallelism.dp_shard=8 --auto --set search.max_cp=1)
# search.hybrid_sharding searches the shard group (2026-12-06): Llama 3 8B under ZeRO-3 on 2,048 H100 takes
# shard groups of 256 DP ranks (training.md, "Hybrid sharding"); beside a given dp_shard it is refused.
commsim_data_test("layout hybrid sharding searched under --auto" 0
  "^ +1 +1 +1 +- +- +2048 +1 +1 +1 +1 +1f1b +3 +256 +1 +none "
  train --model llama3-8b --system dgx-h100 --gpus 2048 --seq-len 8192 --global-batch 2048 --auto --zero 3
  --set search.hybrid_sharding=true)
commsim_data_test("layout hybrid sharding searched beside a held shard group" 2
  "--set: key 'search.hybrid_sharding': parallelism.dp_shard is given [(]8[)], which the search holds"
  ${LAYOUT_HSDP} --set parallelism.dp_shard=8 --auto --set search.hybrid_sharding=true)
