#include <catch2/catch.hpp>

#include "coll/ops.hpp"
#include "report/nccl_format.hpp"

using namespace commsim;

TEST_CASE("busbw factors are nccl-tests'", "[ops]") {
  CHECK(busbw_factor(Op::kAllReduce, 8) == Approx(14.0 / 8));
  CHECK(busbw_factor(Op::kAllGather, 16) == Approx(15.0 / 16));
  CHECK(busbw_factor(Op::kReduceScatter, 2) == Approx(0.5));
  CHECK(busbw_factor(Op::kAllToAll, 4) == Approx(0.75));
  CHECK(busbw_factor(Op::kBroadcast, 8) == 1.0);
  CHECK(busbw_factor(Op::kSendRecv, 8) == 1.0);
}

TEST_CASE("a published all_reduce row reproduces its algbw and busbw", "[ops]") {
  // ../shared/validation NT290_H100_1x8_AR_LARGE: 1 GiB in 4038.8 us on 8 ranks -> 265.85 / 465.25 GB/s.
  CHECK(algbw_GBps(1073741824, 4038.8) == Approx(265.85).epsilon(1e-4));
  CHECK(busbw_GBps(Op::kAllReduce, 8, 1073741824, 4038.8) == Approx(465.25).epsilon(1e-4));
}

TEST_CASE("all_gather rounds the per-rank count down to 16 bytes", "[ops]") {
  // 1000 bytes of float on 3 ranks: 250 elements / 3 = 83, rounded to a multiple of 4 elements = 80.
  const OpSizes s = op_sizes(Op::kAllGather, 1000, 4, 3);
  CHECK(s.count == 80);
  CHECK(s.send_bytes == 320);
  CHECK(s.recv_bytes == 960);
  CHECK(s.size_bytes == 960);
  const OpSizes a = op_sizes(Op::kAllReduce, 1024, 4, 8);
  CHECK(a.count == 256);
  CHECK(a.size_bytes == 1024);
}

TEST_CASE("names round-trip and accept common aliases", "[ops]") {
  CHECK(op_from_name("allreduce") == Op::kAllReduce);
  CHECK(op_from_name("all-gather") == Op::kAllGather);
  CHECK_FALSE(op_from_name("allmagic").has_value());
  CHECK(dtype_from_name("bf16") == DataType::kBfloat16);
  CHECK(dtype_info(DataType::kHalf).size == 2);
}

TEST_CASE("sweep sizes follow nccl-tests' -b/-e/-f", "[ops]") {
  CHECK(sweep_sizes(8, 64, 2, 0) == std::vector<std::uint64_t>{8, 16, 32, 64});
  CHECK(sweep_sizes(1024, 3072, 1, 1024) == std::vector<std::uint64_t>{1024, 2048, 3072});
}

TEST_CASE("sweep sizes end at 2^64 - 1 without wrapping", "[ops]") {
  const std::uint64_t top = ~std::uint64_t{0};
  CHECK(sweep_sizes(top, top, 1, 1024) == std::vector<std::uint64_t>{top});
  CHECK(sweep_sizes(top, top, 2, 0) == std::vector<std::uint64_t>{top});
  CHECK(sweep_sizes(top - 1, top, 1, 1024) == std::vector<std::uint64_t>{top - 1});
  // Doubling from 2^62 reaches 2^63, then would pass 2^64: two points, no out-of-range cast.
  CHECK(sweep_sizes(std::uint64_t{1} << 62, top, 2, 0) ==
        std::vector<std::uint64_t>{std::uint64_t{1} << 62, std::uint64_t{1} << 63});
}

TEST_CASE("table rows are byte-compatible with nccl-tests", "[ops][format]") {
  // From ../shared/validation/logs/gh200_2x1_all_reduce.log.
  CHECK(nccl_row_preamble(Op::kAllReduce, 1048576, 262144, DataType::kFloat, RedOp::kSum, 0) ==
        "     1048576        262144     float     sum      -1");
  CHECK(nccl_row_body(339.61, 3.09, 3.09, "0") == "   339.61    3.09    3.09       0");
  CHECK(nccl_float(1537.62, 7) == "1537.62");
  CHECK(nccl_float(15870.4, 7) == "15870.4");
  CHECK(nccl_float(13.5e6, 7) == "13500000");  // no exponent: "1e+07" was 26% low
  CHECK(nccl_float(2.5e8, 6) == "250000000");
  // Bandwidths use the same width fallback (nccl-tests getFloatStr, width 6): 1451.2 GB/s -> "1451.2".
  CHECK(nccl_row_body(92.5, 1451.23, 0.0, "") == "    92.50  1451.2    0.00");
  CHECK(nccl_avg_busbw_line(14.9966) == "# Avg bus bandwidth    : 14.9966 ");
}

TEST_CASE("sendrecv prints the reduction operator as nccl-tests does, without reducing", "[ops][format]") {
  CHECK(op_info(Op::kSendRecv).prints_redop);
  CHECK_FALSE(op_info(Op::kSendRecv).reduces);
  CHECK(nccl_row_preamble(Op::kSendRecv, 1024, 256, DataType::kFloat, RedOp::kSum, 0) ==
        "        1024           256     float     sum      -1");
  CHECK(nccl_row_preamble(Op::kAllGather, 1024, 32, DataType::kFloat, RedOp::kSum, 0) ==
        "        1024            32     float    none      -1");
}

TEST_CASE("a printed busbw agrees with its printed time, to the digits printed and 2%", "[ops]") {
  // NT290_H100_1x8_AR_LARGE: 1 GiB in 4038.8 us on 8 ranks, busbw 465.25 as printed.
  CHECK(busbw_disagrees(Op::kAllReduce, 8, 1073741824, 4038.8, 465.25).empty());
  CHECK(busbw_disagrees(Op::kAllReduce, 8, 1073741824, 4038.8, 46.53) != "");
  // A few bytes: busbw printed as 0.00 against a computed 0.005 GB/s (H800_8_BCAST, 128 B in 25.63 us).
  CHECK(busbw_disagrees(Op::kBroadcast, 8, 128, 25.63, 0.0).empty());
  // 2% is the margin beside the digits: 465.25 x 1.03 is out.
  CHECK(busbw_disagrees(Op::kAllReduce, 8, 1073741824, 4038.8, 465.25 * 1.03) != "");
  // Ranks unknown: only the ceiling of any rank count (2 x algbw for all_reduce, 1 x for the others).
  CHECK(busbw_disagrees(Op::kAllReduce, 0, 1073741824, 4038.8, 465.25).empty());
  CHECK(busbw_disagrees(Op::kAllReduce, 0, 1073741824, 4038.8, 1.0).empty());
  CHECK_THAT(busbw_disagrees(Op::kAllReduce, 0, 1073741824, 4038.8, 560.0), Catch::Contains("any number of ranks"));
  CHECK(busbw_disagrees(Op::kAllGather, 0, 1073741824, 4038.8, 265.0).empty());
  CHECK(busbw_disagrees(Op::kAllGather, 0, 1073741824, 4038.8, 300.0) != "");
  // The algbw is size / time on any ranks: 1 GiB in 4038.8 us is 265.86 GB/s (printed 265.86).
  CHECK(algbw_disagrees(1073741824, 4038.8, 265.86).empty());
  CHECK(algbw_disagrees(1073741824, 4038.8, 465.25) != "");
  CHECK(algbw_disagrees(128, 25.63, 0.0).empty());  // 0.005 GB/s printed 0.00
}

TEST_CASE("a time printed with few digits is the range those digits allow", "[ops]") {
  CHECK(printed_half_unit("12.34") == Approx(0.005));
  CHECK(printed_half_unit("13537807") == Approx(0.5));
  CHECK(printed_half_unit("1e+07") == Approx(5e6));
  CHECK(printed_half_unit("1.35e+04") == Approx(50.0));
  CHECK(printed_half_unit("2.5E-3") == Approx(5e-5));
  CHECK(printed_half_unit("nan") == 0.0);
  CHECK(printed_half_unit("1e") == 0.0);
  CHECK(printed_half_unit("") == 0.0);
  // Older commbench builds printed 13537807 us as `1e+07`: 8 GiB of all_reduce on 4 ranks at 0.635 / 0.952
  // GB/s (algbw / busbw). Read as 1e7 us the algbw would be 0.859 GB/s (26% off); the printed digits allow
  // 5e6 to 1.5e7 us, so it agrees. A busbw beyond what 5e6 us allows still disagrees.
  const double size = 8589934592.0;
  CHECK(algbw_disagrees(size, 1e7, 0.635).empty() == false);
  CHECK(algbw_disagrees(size, 1e7, 0.635, printed_half_unit("1e+07")).empty());
  CHECK(busbw_disagrees(Op::kAllReduce, 4, size, 1e7, 0.952, printed_half_unit("1e+07")).empty());
  CHECK(busbw_disagrees(Op::kAllReduce, 4, size, 1e7, 3.0, printed_half_unit("1e+07")) != "");
  // `1e+01` us is 5 to 15 us: 1 MB in 6 us (166.7 GB/s) agrees, in 4 us (250 GB/s) or 20 us (50 GB/s) does
  // not.
  CHECK(algbw_disagrees(1e6, 10, 166.7, printed_half_unit("1e+01")).empty());
  CHECK(algbw_disagrees(1e6, 10, 250.0, printed_half_unit("1e+01")) != "");
  CHECK(algbw_disagrees(1e6, 10, 50.0, printed_half_unit("1e+01")) != "");
}

TEST_CASE("a row's count agrees with its size and type as nccl-tests prints them", "[ops]") {
  // all_reduce 1 MiB of float: 262144 elements; all_gather 1 MiB over 8 ranks: 32768 per rank.
  CHECK(count_disagrees(Op::kAllReduce, 8, 1048576, 262144, 4).empty());
  CHECK(count_disagrees(Op::kAllGather, 8, 1048576, 32768, 4).empty());
  CHECK(count_disagrees(Op::kAllGather, 0, 1048576, 32768, 4).empty());  // ranks unknown: a multiple
  CHECK(count_disagrees(Op::kSendRecv, 2, 0, 0, 4).empty());
  // float's count beside int8, a count for 4 ranks on 8, and one no rank count gives.
  CHECK(count_disagrees(Op::kAllReduce, 8, 1048576, 262144, 1) ==
        "count 262144 x 1 B is not the size 1048576 B (all_reduce: size = count x type size)");
  CHECK(!count_disagrees(Op::kAllGather, 8, 1048576, 65536, 4).empty());
  CHECK(!count_disagrees(Op::kAllToAll, 0, 1048576, 3, 4).empty());
  // 2^50 elements over 2^18 ranks: no overflow into agreement.
  CHECK(!count_disagrees(Op::kAllGather, 262144, 1048576, 1ULL << 50, 4).empty());
}
