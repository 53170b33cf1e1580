#include "coll/op_list.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace commsim {

std::vector<Op> parse_op_list(const std::string& text, const std::string& flag) {
  if (text == "all") return all_ops();
  std::vector<Op> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty())
      throw InputError(flag + ": empty operation name in '" + text + "' (a comma-separated list such as all_reduce,all_gather, or all)");
    // `all` is every operation on its own; inside a list it named itself "unknown" while listing itself as valid.
    if (name == "all")
      throw InputError(flag + ": 'all' is every operation and stands alone, not in a list ('" + text + "')");
    const auto op = op_from_name(name);
    if (!op) throw InputError(flag + ": unknown operation '" + name + "' (valid: " + op_names() + ", or all alone)");
    if (std::find(out.begin(), out.end(), *op) == out.end()) out.push_back(*op);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace commsim
