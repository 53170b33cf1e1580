// Each collective definition's expected_value must be what the collective's semantics produce from the
// send_value of every rank. The semantics are restated here as plain loops over host vectors (a reference
// implementation, independent of MPI and NCCL), for several rank counts.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "collective.hpp"

using namespace commsim;
using namespace commsim::bench;

namespace {

using Buffers = std::vector<std::vector<double>>;

struct World {
  int n;
  RedOp redop;
  int root;
  Op op;
  OpSizes sizes;
  Pattern pattern;

  World(Op op_, int n_, RedOp r, int root_)
      : n(n_),
        redop(r),
        root(root_),
        op(op_),
        sizes(op_sizes(op_, 4096, 4, n_)),
        pattern(n_, DataType::kFloat, r) {}

  DataCtx ctx(int rank, BackendQuirks q = {}) const {
    return DataCtx{rank, n, root, false, sizes, &pattern, q};
  }

  Buffers sends() const {
    Buffers out(n);
    for (int r = 0; r < n; ++r)
      for (std::uint64_t k = 0; k < sizes.send_bytes / 4; ++k)
        out[r].push_back(collective(op).send_value(ctx(r), k));
    return out;
  }

  double reduce(const Buffers& s, std::uint64_t k) const {
    double acc = s[0][k];
    for (int r = 1; r < n; ++r) acc = redop == RedOp::kMax ? std::max(acc, s[r][k]) : acc + s[r][k];
    return acc;
  }

  // What rank q holds after the collective, by definition.
  std::vector<double> reference(const Buffers& s, int q) const {
    const std::uint64_t c = sizes.count;
    std::vector<double> out(sizes.recv_bytes / 4);
    for (std::uint64_t k = 0; k < out.size(); ++k) {
      switch (op) {
        case Op::kAllReduce:
        case Op::kReduce:
          out[k] = reduce(s, k);
          break;
        case Op::kAllGather:
          out[k] = s[k / c][k % c];
          break;
        case Op::kReduceScatter:
          out[k] = reduce(s, q * c + k);
          break;
        case Op::kBroadcast:
          out[k] = s[root][k];
          break;
        case Op::kAllToAll:
          out[k] = s[k / c][q * c + k % c];
          break;
        case Op::kSendRecv:
          out[k] = s[(q + n - 1) % n][k];
          break;
      }
    }
    return out;
  }
};

}  // namespace

TEST_CASE("expected_value matches a reference implementation of every collective",
          "[commbench][collective]") {
  for (Op op : all_ops()) {
    for (int n : {1, 2, 3, 4, 8}) {
      for (RedOp r : {RedOp::kSum, RedOp::kMax}) {
        const World w(op, n, r, n - 1);
        const Buffers s = w.sends();
        for (int q = 0; q < n; ++q) {
          const CollectiveDef& def = collective(op);
          if (!def.has_result(w.ctx(q))) continue;
          const std::vector<double> want = w.reference(s, q);
          INFO(op_name(op) << " n=" << n << " redop=" << redop_name(r) << " rank " << q);
          REQUIRE(!want.empty());
          for (std::uint64_t k = 0; k < want.size(); ++k) REQUIRE(def.expected_value(w.ctx(q), k) == want[k]);
        }
      }
    }
  }
}

TEST_CASE("in-place layouts follow nccl-tests, with MPI's reduce_scatter at the buffer start",
          "[commbench][collective]") {
  const World ag(Op::kAllGather, 4, RedOp::kSum, 0);
  CHECK(collective(Op::kAllGather).in_place_layout(ag.ctx(3)).send_offset == 3 * ag.sizes.count);
  CHECK(collective(Op::kAllGather).in_place_layout(ag.ctx(3)).recv_offset == 0);
  const World rs(Op::kReduceScatter, 4, RedOp::kSum, 0);
  CHECK(collective(Op::kReduceScatter).in_place_layout(rs.ctx(2)).recv_offset == 2 * rs.sizes.count);
  BackendQuirks mpi;
  mpi.reduce_scatter_in_place_at_start = true;
  CHECK(collective(Op::kReduceScatter).in_place_layout(rs.ctx(2, mpi)).recv_offset == 0);
  const World ar(Op::kAllReduce, 4, RedOp::kSum, 0);
  CHECK(collective(Op::kAllReduce).in_place_layout(ar.ctx(1)).send_offset == 0);
}

TEST_CASE("only ranks holding a result are checked", "[commbench][collective]") {
  const World red(Op::kReduce, 4, RedOp::kSum, 2);
  CHECK(collective(Op::kReduce).has_result(red.ctx(2)));
  CHECK_FALSE(collective(Op::kReduce).has_result(red.ctx(1)));
  const World bc(Op::kBroadcast, 4, RedOp::kSum, 1);
  BackendQuirks mpi;
  mpi.bcast_root_fills_recv = false;
  CHECK(collective(Op::kBroadcast).has_result(bc.ctx(1)));  // NCCL writes the root's receive buffer
  CHECK_FALSE(collective(Op::kBroadcast).has_result(bc.ctx(1, mpi)));  // MPI_Bcast: one buffer
  CHECK(collective(Op::kBroadcast).has_result(bc.ctx(0, mpi)));
}
