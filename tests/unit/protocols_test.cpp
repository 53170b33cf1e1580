#include "coll/protocols.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "coll/group.hpp"
#include "coll/simulator.hpp"
#include "core/data_path.hpp"
#include "core/error.hpp"
#include "scratch_dir.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {
// The protocol the tuner picks for an all_reduce of each size from 8 B to 1 GiB.
std::string protocols_picked(const CollectiveSimulator& sim) {
  std::string out;
  for (std::uint64_t b = 8; b <= (1ull << 30); b *= 4)
    out += std::string(proto_name(sim.predict(Op::kAllReduce, b, DataType::kFloat).proto)) + " ";
  return out;
}
}  // namespace

TEST_CASE("LL128 runs only where a node's GPUs are joined by NVLink, as NCCL enables it", "[protocols]") {
  // NCCL tuning.cc: LL128 needs typeIntra <= PATH_NVB. dgx-h100 on two nodes picks it somewhere between 8 B
  // and 1 GiB; a PCIe-only node and bridged pairs never do, and --proto ll128 there is an input error saying
  // why.
  const SystemSpec h100 = load_system("dgx-h100");
  const Topology th(h100, resolve_scale(h100, 2, 0, 0));
  CHECK(protocols_picked(CollectiveSimulator(th)).find("LL128") != std::string::npos);
  for (const char* name : {"rtx4090-pcie", "l40s-pcie", "h100-pcie", "h100-pcie-nvlbridge"}) {
    const SystemSpec s = load_system(name);
    const Topology t(s, resolve_scale(s, 0, 0, 0));
    const CollectiveSimulator sim(t);
    INFO(name);
    CHECK(protocols_picked(sim).find("LL128") == std::string::npos);
    CHECK_THROWS_WITH(sim.predict(Op::kAllReduce, 1 << 20, DataType::kFloat, "ring", Proto::kLL128),
                      Catch::Contains("typeIntra <= PATH_NVB"));
    CHECK(!protocol_enabled(Proto::kLL128, t, CollectiveModel::shipped(), false));
    // One rank per node has no hop inside a node.
    CHECK(protocol_enabled(Proto::kLL128, t, CollectiveModel::shipped(), true));
  }
}

TEST_CASE("an architecture whose library runs Simple only never picks LL or LL128", "[protocols]") {
  // davinci (HCCL): protocols [simple] in topologies/collective-model.yaml.
  const SystemSpec s = load_system("ascend-910b-8");
  const Topology t(s, resolve_scale(s, 2, 0, 0));
  const CollectiveSimulator sim(t);
  const std::string picked = protocols_picked(sim);
  CHECK(picked.find("LL") == std::string::npos);
  CHECK_THROWS_WITH(sim.predict(Op::kAllReduce, 8, DataType::kFloat, "auto", Proto::kLL),
                    Catch::Contains("architectures.davinci.protocols"));
  // Group collectives (training) take the same set.
  const GroupCollectives gc(t);
  for (double bytes : {8.0, 1e6, 1e9})
    CHECK(gc.time(Op::kAllReduce, {{0, 8}, {1, 9}}, bytes).proto == Proto::kSimple);
}

TEST_CASE("a protocols entry names known protocols once, Simple among them", "[protocols]") {
  const test::ScratchDir dir("protocols");
  std::ifstream in(data_file("topologies/collective-model.yaml"));
  const std::string shipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string anchor = "  davinci:\n";
  REQUIRE(shipped.find(anchor) != std::string::npos);
  const auto with = [&](const std::string& line) {
    std::string text = shipped;
    // the davinci entry's own protocols line replaced by `line`
    const std::size_t at = text.find("    protocols:", text.find(anchor));
    text.replace(at, text.find('\n', at) - at, line);
    const std::string path = dir.path("cm.yaml");
    std::ofstream(path) << text;
    return path;
  };
  CHECK_NOTHROW(
      CollectiveModel::load(with("    protocols: {value: [LL, simple], kind: assumption, source: x}")));
  CHECK_THROWS_WITH(CollectiveModel::load(with("    protocols: {value: [ll], kind: assumption, source: x}")),
                    Catch::Contains("simple must be listed"));
  CHECK_THROWS_WITH(
      CollectiveModel::load(with("    protocols: {value: [simple, ll256], kind: assumption, source: x}")),
      Catch::Contains("unknown protocol 'll256'"));
  CHECK_THROWS_WITH(
      CollectiveModel::load(with("    protocols: {value: [simple, simple], kind: assumption, source: x}")),
      Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(CollectiveModel::load(with("    protocols: {value: [simple], kind: guess, source: x}")),
                    Catch::Contains("kind"));
  CHECK_THROWS_AS(CollectiveModel::load(with("    protocols: {value: [simple], kind: assumption}")),
                  InputError);
}
