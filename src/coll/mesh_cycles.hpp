// Rings over one full-mesh node (scale_up: mesh; MI300X xGMI, Ascend 910B HCCS): a decomposition of the
// complete directed graph on g ranks into g - 1 directed Hamiltonian cycles, every directed link in exactly
// one. Channel c of a one-node ring runs cycle c mod their count, so the rings load every link alike;
// closed Hamiltonian paths (Walecki's, coll/flows.cpp) load g of the links twice and halved a one-node
// broadcast against two nodes (MI300X 1 GiB: 196 against 368 GB/s busbw).
//
// The decomposition exists for every g except 4 and 6 (Tillson, "A Hamiltonian decomposition of K*_2m,
// 2m >= 8", J. Combin. Theory B 29, 1980). For odd g it is built: Walecki's undirected cycles, each in both
// directions. For even g from 8 to 18 a depth-first search finds it, cycle after cycle through rank 0: 151
// steps for g = 8, 454 for 10, 31,673 for 12 (under 15 ms up to 18). For 4 and 6 the search finds 2(g - 1)
// cycles that use every link exactly twice (45 and 12,429 steps): the load is as even. Beyond 18 (no shipped
// node has more than 8 GPUs in a mesh) Tillson's construction is not implemented: the closed Walecki paths
// stay.
#pragma once

#include <vector>

namespace commsim {

// The g - 1 cycles (2(g - 1) for g = 4 and 6), each a list of the g ranks in ring order starting at rank 0;
// empty when g < 3 and for even g above 18. Memoized per g; thread-safe.
const std::vector<std::vector<int>>& mesh_hamiltonian_cycles(int g);

}  // namespace commsim
