#include "study/prices.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/data_path.hpp"
#include "hw/catalog.hpp"

namespace commsim {

Pricing parse_pricing(const std::string& s) {
  if (s == "rent") return Pricing::kRent;
  if (s == "purchase") return Pricing::kPurchase;
  throw InputError(SourceLoc{"--pricing", 0, 0, ""}, "unknown pricing '" + s + "' (valid: rent, purchase)");
}

const char* pricing_name(Pricing p) { return p == Pricing::kRent ? "rent" : "purchase"; }

namespace {
// A price as a prices file writes it, to 4 significant digits: 350kUSD, 3MUSD, 2.99USD.
std::string usd_text(double v) {
  const char* unit = v >= 1e9 ? "BUSD" : v >= 1e6 ? "MUSD" : v >= 1e3 ? "kUSD" : "USD";
  const double scaled = v >= 1e9 ? v / 1e9 : v >= 1e6 ? v / 1e6 : v >= 1e3 ? v / 1e3 : v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", scaled);
  return std::string(buf) + unit;
}

// A server draws at least its GPUs' TDP: 1W made the energy and its cost nothing, without a word. And at most
// ten times it plus 10 kW of host (shipped servers draw 1.5-2x their GPUs': DGX H100 10.2 kW for 8 x 700 W):
// 10.2MW for 10.2kW priced an H100 at 134 USD/GPU-h and its energy a thousand times over (helper-149).
void check_server_power(const ServerPrice& sp, const GpuSpec& gpu, const std::string& entry) {
  const double tdp = gpu.tdp_watts.value, gpus_w = tdp * sp.gpus.value, most = 10.0 * gpus_w + 10e3;
  SourceLoc at = sp.power_where;
  if (at.key.empty() || at.key == "power") at.key = entry + ".server.power";
  const std::string of = " (" + std::to_string(static_cast<long>(sp.gpus.value)) + " x " +
                         std::to_string(static_cast<long>(tdp)) + " W)";
  if (sp.power.value < gpus_w)
    throw InputError(at, "below its GPUs' TDP" + of + ": the whole server's power, GPUs, CPUs and fans");
  if (sp.power.value > most)
    throw InputError(at, "more than ten times its GPUs' TDP" + of + " and 10 kW of host (" +
                             std::to_string(static_cast<long>(most / 1e3)) + " kW" +
                             "): the whole server's power (a unit slip, MW for kW?)");
}
}  // namespace

Prices parse_prices(YamlMap& m) {
  Prices p;
  p.file = m.file();
  if (m.integer("schema_version") != 1) m.fail("schema_version", "unsupported schema_version (this build reads 1)");
  if (m.str("kind") != "prices") m.fail("kind", "expected kind: prices");
  YamlMap site = m.map("site");
  p.pue = site.figure("pue", Dimension::kRatio);
  if (p.pue.value < 1.0 || p.pue.value > 5.0) site.fail("pue", "PUE must be between 1 and 5");
  p.energy_price_per_kwh = site.figure("energy_price_per_kwh", Dimension::kCurrency, true);
  // Electricity, not any price: 1e12 USD/kWh priced a GPU-hour at a trillion dollars without a word.
  if (p.energy_price_per_kwh.value > 10)
    site.fail("energy_price_per_kwh", "an energy price per kWh is 0 to 10 USD");
  p.amortisation_years = site.integer_figure("amortisation_years", 1);
  // A depreciation life, not a free number: 1e9 years priced a server at nothing without a word.
  if (p.amortisation_years.value > 30) site.fail("amortisation_years", "a server's depreciation life is 1 to 30 years");
  site.finish();
  YamlMap gpus = m.map("gpus");
  const std::vector<std::string> known = gpu_names();
  for (const std::string& name : gpus.keys()) {
    // A GPU of the catalog, or one a GPU file of the user's names (refused until 2026-12-05: such a GPU could
    // not be priced at all); an entry that names no GPU a plan prices is never read.
    const bool catalog = std::find(known.begin(), known.end(), name) != known.end();
    YamlMap g = gpus.map(name);
    GpuPrice gp;
    gp.where = gpus.loc(name);
    gp.rent = g.optional_figure("rent_per_gpu_hour", Dimension::kCurrency);
    // A GPU-hour, not any price: 299 for 2.99USD was read as 299 USD/GPU-h without a word (helper-169).
    // Shipped rents are 1.79-10.50 USD.
    if (gp.rent && (gp.rent->value < 0.01 || gp.rent->value > 100))
      g.fail("rent_per_gpu_hour", "a GPU-hour rents for 0.01 to 100 USD (a unit slip?)");
    if (auto s = g.optional_map("server")) {
      ServerPrice sp;
      sp.price = s->figure("price", Dimension::kCurrency);
      sp.gpus = s->integer_figure("gpus", 1);
      // The GPUs the price buys (a box of 8, a rack of 72, a supernode of 384), at most a few thousand.
      if (sp.gpus.value > 4096) s->fail("gpus", "the GPUs one server price buys: 1 to 4096 (a box, a rack or a supernode)");
      // A server's price, not any number: a bare 350 for 350kUSD bought 8 H100 for 350 USD and flipped the
      // cost ranking without a word (helper-169). Shipped prices are 21k-64k USD per GPU.
      if (const double per_gpu = sp.price.value / sp.gpus.value; per_gpu < 1e3 || per_gpu > 1e6)
        s->fail("price",
                usd_text(sp.price.value) + " for " + std::to_string(static_cast<long>(sp.gpus.value)) +
                    " GPUs is " + usd_text(per_gpu) + " per GPU: a server costs 1kUSD to 1MUSD per GPU" +
                    (per_gpu < 1e3 ? " (a unit slip: 350 for 350kUSD?)" : " (a larger system's price?)"));
      sp.power = s->figure("power", Dimension::kPower);
      sp.power_where = s->loc("power");
      if (catalog) check_server_power(sp, load_gpu(name), name);
      s->finish();
      gp.server = sp;
    }
    if (!gp.rent && !gp.server) g.fail("rent_per_gpu_hour", "a GPU entry needs rent_per_gpu_hour or server");
    g.finish();
    p.gpus[name] = gp;
  }
  m.finish();
  return p;
}

Prices load_prices(const std::string& path) {
  const std::string p = path.empty() ? data_file("topologies/prices.yaml") : path;
  std::error_code ec;  // a directory or a device exists: reading it says what it is ("is a directory, not a file")
  if (!std::filesystem::exists(p, ec)) throw InputError(SourceLoc{"--prices", 0, 0, ""}, "prices file '" + p + "' not found");
  YamlMap m(load_yaml_file(p), p);
  return parse_prices(m);
}

CostRate cost_rate(const Prices& prices, const GpuSpec& gpu, Pricing pricing) {
  const auto it = prices.gpus.find(gpu.name);
  if (it == prices.gpus.end()) {
    // The file's entries that name no catalog GPU: a misspelt key (h100-sxn) is read, never used, and is
    // most likely the price meant here.
    const std::vector<std::string> known = gpu_names();
    std::string strays;
    for (const auto& [name, price] : prices.gpus)
      if (std::find(known.begin(), known.end(), name) == known.end())
        strays += (strays.empty() ? "" : ", ") + std::string("gpus.") + name;
    throw InputError(
        SourceLoc{prices.file, 0, 0, "gpus." + gpu.name},
        "no prices for GPU '" + gpu.name + "' (add gpus." + gpu.name + " to a prices file: --prices FILE)" +
            (strays.empty() ? "" : "; this file's " + strays + " names no catalog GPU: misspelt?"));
  }
  const GpuPrice& g = it->second;
  if (g.server) check_server_power(*g.server, gpu, "gpus." + gpu.name);
  CostRate r;
  const double pue = prices.pue.value;
  r.facility_watts_per_gpu = (g.server ? g.server->power.value / g.server->gpus.value : gpu.tdp_watts.value) * pue;
  if (pricing == Pricing::kRent) {
    if (!g.rent)
      throw InputError(SourceLoc{prices.file, g.where.line, g.where.column, "gpus." + gpu.name + ".rent_per_gpu_hour"},
                       "no rent price for '" + gpu.name + "' (add one, or use --pricing purchase)");
    r.usd_per_gpu_hour = g.rent->value;
    r.basis = "rent";
    r.provenance = g.rent->provenance;
    return r;
  }
  if (!g.server)
    throw InputError(SourceLoc{prices.file, g.where.line, g.where.column, "gpus." + gpu.name + ".server"},
                     "no server price for '" + gpu.name + "' (add one, or use --pricing rent)");
  const ServerPrice& s = *g.server;
  const double hours = prices.amortisation_years.value * 8760.0;
  r.usd_per_gpu_hour = s.price.value / s.gpus.value / hours +
                       s.power.value / s.gpus.value / 1000.0 * pue * prices.energy_price_per_kwh.value;
  char years[32];
  std::snprintf(years, sizeof years, "%g", prices.amortisation_years.value);
  r.basis = "purchase: " + usd_text(s.price.value) + " per " +
            std::to_string(static_cast<long>(s.gpus.value)) + " GPUs over " + years + " years, plus power";
  r.provenance = s.price.provenance;
  r.server_gpus = static_cast<long>(s.gpus.value);
  return r;
}

void price_training(TrainConfig& c, const GpuSpec& gpu, const Prices& prices) {
  if (c.pricing.empty()) return;
  const Pricing pricing = parse_pricing(c.pricing);
  const auto it = prices.gpus.find(gpu.name);
  const bool priced = it != prices.gpus.end() && (pricing == Pricing::kRent ? it->second.rent.has_value() : it->second.server.has_value());
  if (!priced)
    throw InputError(
        c.pricing_at,
        std::string("no ") + (pricing == Pricing::kRent ? "rent" : "server") + " price for GPU '" + gpu.name +
            "' in " + prices.file + " (gpus." + gpu.name +
            (pricing == Pricing::kRent ? ".rent_per_gpu_hour" : ".server") + "): " +
            (c.prices.empty()
                 ? "add one to a prices file of your own (a copy of this one, named by cost.prices)"
                 : "add one there") +
            ", or set cost.gpu_hour_usd");
  c.gpu_hour_usd = cost_rate(prices, gpu, pricing).usd_per_gpu_hour;
}

}  // namespace commsim
