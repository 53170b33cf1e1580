// A published nccl-tests row's cells (study/nccl_row_cells.hpp): sizes with nccl-tests' suffixes, values left
// out, and the NICs an inter-node cell states (helper-125, 2026-12-06: each of these stopped the file or was
// predicted on the system's own 8 x 400 Gb/s).
#include "study/nccl_row_cells.hpp"

#include <catch2/catch.hpp>

#include "coll/simulator.hpp"
#include "core/data_path.hpp"
#include "study/validate_collectives.hpp"
#include "topo/system_loader.hpp"

using namespace commsim;

namespace {
const SourceLoc kAt{"rows.csv", 2, 0, "size_bytes"};
}

TEST_CASE("nccl rows: a size in bytes, with a binary suffix or thousands separators", "[validation][nccl]") {
  CHECK(published_size("1073741824", "size_bytes", kAt) == 1073741824ULL);
  CHECK(published_size("1G", "size_bytes", kAt) == 1073741824ULL);
  CHECK(published_size("128M", "size_bytes", kAt) == 134217728ULL);
  CHECK(published_size("4K", "size_bytes", kAt) == 4096ULL);
  CHECK(published_size("1GB", "size_bytes", kAt) == 1073741824ULL);
  CHECK(published_size("128 MiB", "size_bytes", kAt) == 134217728ULL);
  CHECK(published_size("1,073,741,824", "size_bytes", kAt) == 1073741824ULL);
  CHECK_THROWS_AS(published_size("1,07", "size_bytes", kAt), InputError);  // no thousands grouping
  CHECK_THROWS_AS(published_size("1.5G", "size_bytes", kAt), InputError);  // not a whole count
  CHECK_THROWS_AS(published_size("12Q", "size_bytes", kAt), InputError);
  CHECK_THROWS_AS(published_size("2000000T", "size_bytes", kAt), InputError);  // over 1 PiB
  CHECK(published_size("1,024K", "size_bytes", kAt) == 1048576ULL);
  CHECK(published_size("1024 B", "size_bytes", kAt) == 1024ULL);
  CHECK(published_size("1g", "size_bytes", kAt) == 1073741824ULL);
  CHECK_THROWS_AS(published_size("1 Mb", "size_bytes", kAt), InputError);  // a megabit
  CHECK(published_size("1.0G", "size_bytes", kAt) == 1073741824ULL);  // whole, as a spreadsheet writes it
}

TEST_CASE("nccl rows: a value with its unit or a note or a tilde, and collective and dtype spellings",
          "[validation][nccl]") {
  const PublishedValue ms = published_value("4.7 ms", {{"us", 1}, {"ms", 1000}});
  CHECK(ms.number == "4.7");
  CHECK(ms.scale == 1000);
  CHECK(published_value("400.0 (in-place 401)", {{"gb/s", 1}}).number == "400.0");
  CHECK(published_value("~400", {}).number == "400");
  CHECK(published_value("400 GB/s", {{"gb/s", 1}}).number == "400");
  CHECK(published_value("8 GPUs", {{"gpus", 1}}).number == "8");
  CHECK(published_value("GB/s", {{"gb/s", 1}}).number == "GB/s");  // no number before the unit: as written
  CHECK(published_op_name("ncclAllReduce") == "allreduce");
  CHECK(published_op_name("All Reduce") == "all_reduce");
  CHECK(published_op_name("all_reduce_perf") == "all_reduce");
  CHECK(published_op_name("all2all") == "alltoall");
  CHECK(published_op_name("send/recv") == "sendrecv");
  CHECK(published_op_name("allreduce (in-place)") == "allreduce");
  CHECK(published_dtype_name("float (fp32)") == "float");
  CHECK(published_dtype_name("torch.bfloat16") == "bfloat16");
  CHECK(published_dtype_name("fp8_e4m3fnuz") == "fp8_e4m3");
}

TEST_CASE("nccl rows: a value left out", "[validation][nccl]") {
  for (const char* t : {"", "  ", "n/a", "N/A", "n/r", "-", "\xe2\x80\x94"}) CHECK(value_left_out(t));
  for (const char* t : {"0", "0.00", "339.6"}) CHECK_FALSE(value_left_out(t));
}

TEST_CASE("nccl rows: the NICs an inter-node cell states", "[validation][nccl]") {
  const double ndr = 400e9;  // the DGX H100's 8 x 400 Gb/s
  auto sets = [&](const char* cell) { return nic_sets(nic_cell(cell, 8), 8, 8, ndr); };
  CHECK(sets("IB 400Gb/s, 8x ConnectX-7 per node").empty());  // the system's own
  CHECK(sets("GCP A3 Mega GPUDirect-TCPXO (8x200Gb/s NICs per node)") ==
        std::vector<std::string>{"fabric.nic_speed=200Gb/s"});
  CHECK(sets("RoCE 4x 200Gb/s per node") ==
        std::vector<std::string>{"node.board.nics=4", "fabric.nic_speed=200Gb/s"});
  CHECK(sets("HPE Slingshot-11 200 Gb/s") == std::vector<std::string>{"fabric.nic_speed=200Gb/s"});
  // 32 x 100 Gb/s EFA on 8 GPUs: one per GPU at their sum, 400 Gb/s: the system's
  CHECK(sets("AWS p5.48xlarge EFA v2 (32x 100 Gb/s)").empty());
  CHECK(sets("CX-7 400Gb/s RoCE, 1 NIC per GPU").empty());
  CHECK(sets("HDR InfiniBand") == std::vector<std::string>{"fabric.nic_speed=200Gb/s"});
  CHECK(sets("IB 400Gb/s (per reporter; NIC count not stated)").empty());
  CHECK(sets("none").empty());
  CHECK(sets("NVLink4 900GB/s").empty());  // bytes: no NIC's line rate
  CHECK(nic_cell("2 x 3.2 Tb/s", 8).per_node == 2);
  CHECK(*nic_cell("2 x 3.2 Tb/s", 8).speed_bps == Approx(3.2e12));
  // helper-126: the first reader's misreadings, each now as the cell means it
  using V = std::vector<std::string>;
  for (const char* same :
       {"8x 400Gb/s NICs (1 per GPU)", "8x ConnectX-7 400Gb/s, one per GPU", "8x 400Gb/s/GPU",
        "3.2 Tbps per node (8x 400G)", "EFA 3200 Gbps total", "AWS EFA 3.2 Tbps", "EFA v2 3200Gbps (32 NICs)",
        "InfiniBand 4X NDR 400Gb/s", "ConnectX-6 NDR 4X", "InfiniBand NDR400 (rail-optimized)",
        "10GbE (mgmt), 8x IB NDR 400Gb/s", "1 GbE management + IB NDR", "8x NDR"}) {
    INFO(same);
    CHECK(sets(same).empty());
  }
  CHECK(sets("400 Gb/s InfiniBand NDR, 4 NICs per node") == V{"node.board.nics=4"});
  CHECK(sets("IB 200 Gb/s (HDR), 4 HCAs") == V{"node.board.nics=4", "fabric.nic_speed=200Gb/s"});
  CHECK(sets("NDR200") == V{"fabric.nic_speed=200Gb/s"});
  CHECK(sets("GPUDirect RDMA 1.6Tbps per node") == V{"fabric.nic_speed=200Gb/s"});
  CHECK(sets("2x 100Gb/s NICs per GPU") == V{"fabric.nic_speed=200Gb/s"});  // 16 on 8 GPUs: 8 of 200
  CHECK(sets("100 Gb/s Ethernet (1 NIC)") == V{"node.board.nics=1", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("RoCE 0.0001Gb/s").empty());  // no NIC's rate: the system's kept
  CHECK(sets("8*100GE RoCE") == V{"fabric.nic_speed=100Gb/s"});  // Huawei's spelling (helper-129)
  CHECK(sets("8x 100GE RoCE") == V{"fabric.nic_speed=100Gb/s"});
  // a count after the rate (helper-130: dropped, the system's 8 kept)
  CHECK(sets("RoCEv2 100G x 4") == V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("Spectrum-X 400GbE, 4 per node") == V{"node.board.nics=4"});
  CHECK(sets("RoCE 4x 100Gb/s per node") == V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  // helper-136: "per GPU" after a generation or a NIC's name, "NIC/GPU", and thousands separators
  for (const char* same : {"1x 400Gb/s NDR per GPU", "1x 400Gb/s ConnectX-7 per GPU", "1 NIC/GPU, 400Gb/s",
                           "EFA 3,200 Gbps total", "3,200 Gbps EFA (32 NICs)"}) {
    INFO(same);
    CHECK(sets(same).empty());
  }
  CHECK(sets("AWS EFA 1,600 Gbps total") == V{"fabric.nic_speed=200Gb/s"});
  // helper-178: AWS quotes an instance's EFA bandwidth, not one adapter's (a p4d's "EFA 400 Gbps" was 8 NICs
  // of 400 Gb/s, 8x its 4 x 100), and a total restated by its parts was read as one NIC's rate
  CHECK(sets("EFA 400 Gbps") == V{"fabric.nic_speed=50Gb/s"});  // the 400 Gb/s over the system's 8 NICs
  CHECK(sets("EFA 400 Gbps (4x 100 Gbps), p4d.24xlarge") ==
        V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("400 Gb/s (4x 100 Gb/s)") == V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("EFA 100 Gbps (single NIC)") == V{"node.board.nics=1", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("EFA 800 Gbps") == V{"fabric.nic_speed=100Gb/s"});
  CHECK(sets("800 Gbps per instance") == V{"fabric.nic_speed=100Gb/s"});
  CHECK(sets("EFA 400 Gbps per GPU").empty());                       // one GPU's: the system's 8 x 400
  CHECK(sets("default 200 Gb/s") == V{"fabric.nic_speed=200Gb/s"});  // "default" holds no word EFA
  CHECK(sets("2x 25GbE frontend, NDR 400 Gb/s").empty());  // a total is a restated sum only: 400 is no 2 x 25
  // helper-180: NICs counted beside an EFA rate make it one NIC's; "one NIC" per GPU is no single NIC
  CHECK(sets("32 EFA adapters at 100 Gbps").empty());  // 32 x 100 on 8 GPUs: 8 x 400, the system's
  CHECK(sets("4 EFA NICs, 100 Gbps each") == V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("EFA (4 NICs x 100 Gbps)") == V{"node.board.nics=4", "fabric.nic_speed=100Gb/s"});
  CHECK(sets("EFA 200 Gbps (2 adapters)") == V{"node.board.nics=2", "fabric.nic_speed=200Gb/s"});
  CHECK(sets("EFAv2 800 Gbps") == V{"fabric.nic_speed=100Gb/s"});
  CHECK(sets("Elastic Fabric Adapter 400 Gbps") == V{"fabric.nic_speed=50Gb/s"});
  for (const char* per_gpu :
       {"single NIC per GPU 400Gb/s", "one NIC per H100, 400Gb/s", "one NIC/GPU 400Gb/s",
        "400Gb/s, one NIC for each GPU", "each GPU has one NIC 400Gb/s", "gone NIC-less 400Gb/s"}) {
    INFO(per_gpu);
    CHECK(sets(per_gpu).empty());
  }
  CHECK(nic_sets(nic_cell("EFA 400 Gbps per GPU", 8), 8, 4, 100e9) ==
        V{"node.board.nics=8", "fabric.nic_speed=400Gb/s"});  // one GPU's rate restates no node total
  // a rate without a count that is the system's node total restates it: a p4d (4 x 100 Gb/s) named "400 Gbps"
  CHECK(nic_sets(nic_cell("400 Gbps", 8), 8, 4, 100e9).empty());
  CHECK(nic_sets(nic_cell("200 Gbps", 8), 8, 4, 100e9) == V{"fabric.nic_speed=200Gb/s"});
  // helper-137: a per-node count followed by another clause's "per GPU" stays per node
  CHECK(sets("8x 400Gb/s CX-7 per node - 1 NIC per GPU").empty());
  CHECK(nic_cell("8x 400Gb/s CX-7 per node - 1 NIC per GPU", 8).per_node == 8);
  // 4 GPUs of a node on a system whose board holds 8 (Alps' 4 GH200 per node): the node's 4 NICs are one per
  // GPU in use, 8 on the board (they were 4 on the board: the 4 GPUs reached 2 of them, helper-135).
  CHECK(nic_sets(nic_cell_for_board("4x 200 Gb/s per node", 4, 8), 8, 8, ndr) ==
        V{"fabric.nic_speed=200Gb/s"});
  CHECK(nic_sets(nic_cell_for_board("1 NIC per GPU, 200 Gb/s", 4, 8), 8, 8, ndr) ==
        V{"fabric.nic_speed=200Gb/s"});
  CHECK(nic_sets(nic_cell_for_board("2x 200 Gb/s per node", 4, 8), 8, 8, ndr) ==
        V{"node.board.nics=4", "fabric.nic_speed=200Gb/s"});
  // ... but a cell that counts the whole board's NICs (more than the GPUs in use) is not scaled again
  // (helper-137: 1 GPU of an A3 Ultra with "8x 400 Gb/s" was 64 NICs)
  CHECK(nic_sets(nic_cell_for_board("8x 400 Gb/s RoCE", 1, 8), 8, 8, ndr).empty());
  CHECK(nic_sets(nic_cell_for_board("8x 400 Gb/s", 4, 8), 8, 8, ndr).empty());
  // a count per GPU is per GPU whatever the GPUs in use (helper-138: 2 NICs on the board for 1 GPU of 8)
  CHECK(nic_sets(nic_cell_for_board("2x 200Gb/s per GPU", 1, 8), 8, 8, ndr).empty());
  CHECK(nic_sets(nic_cell_for_board("1 NIC per GPU, 100 Gb/s", 2, 8), 8, 8, ndr) ==
        V{"fabric.nic_speed=100Gb/s"});
}

TEST_CASE("nccl rows: a published file read with these cells", "[validation][nccl]") {
  const ValidationReport rep = validate_collectives(data_file("tests/data/mapping/nccl_reworded_rows.csv"));
  auto row = [&](const std::string& id) -> const ValidationRow& {
    for (const ValidationRow& r : rep.rows)
      if (r.case_id == id) return r;
    FAIL("no row " << id);
    return rep.rows.front();
  };
  CHECK(row("NR_SIZE_G").size_bytes == 1073741824.0);
  // busbw alone: compared on it, the time it implies from the op's factor (size / time x 7/8 for 8 ranks)
  CHECK(row("NR_BUSBW_ONLY").measured_busbw == 355.0);
  CHECK(row("NR_BUSBW_ONLY").measured_time_us == Approx(1073741824.0 / (355.0 / (7.0 / 8.0) * 1e3)));
  CHECK(row("NR_A3MEGA_SMI").system == "gcp-a3-mega");  // by its inter cell
  CHECK(row("NR_H800_NOBRIDGE").system == "h100-pcie");  // a denied bridge (helper-130: the bridged system)
  // 4 x 200 Gb/s per node: predicted as the DGX H100 with those NICs, not its own 8 x 400 Gb/s
  const ValidationRow& roce = row("NR_ROCE_4NIC");
  CHECK(roce.system == "dgx-h100");
  const SystemSpec spec = load_system("dgx-h100", {"node.board.nics=4", "fabric.nic_speed=200Gb/s"});
  const Topology topo(spec, resolve_scale(spec, 4, 0, 0));
  const CollectiveSimulator sim(topo);
  CHECK(roce.predicted_busbw == Approx(sim.predict(Op::kAllReduce, 1ULL << 30, DataType::kFloat).busbw_GBps));
  // CollNet and a disabled P2P transport are not modelled: the rows are named, the others predicted
  REQUIRE(rep.not_predicted.size() == 2);
  CHECK(rep.not_predicted[0].case_id == "NR_COLLNET");
  CHECK_THAT(rep.not_predicted[0].message,
             Catch::Contains("key 'notes'") && Catch::Contains("collnetdirect"));
  CHECK(rep.not_predicted[1].case_id == "NR_P2P_OFF");
  CHECK_THAT(rep.not_predicted[1].message, Catch::Contains("NCCL_P2P_DISABLE=1"));
}
