// Prices for capacity planning (topologies/prices.yaml, or plan --prices FILE): rent per GPU-hour, or a
// purchase priced per GPU-hour as the server's price amortised over the years plus its power at the site's
// PUE and energy price:
//
//   purchase USD/GPU-h = price / gpus / (years x 8760 h) + power / gpus x PUE x energy price
//   e.g. H100 (shipped file): 350,000 / 8 / 35,040 = 1.2486 + 1.275 kW x 1.3 x 0.08 = 0.1326 -> 1.3812
//
// Facility power per GPU (energy) = server power / gpus x PUE (the GPU's TDP x PUE when no server is given).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/yaml_reader.hpp"
#include "hw/gpu_spec.hpp"
#include "train/train_config.hpp"

namespace commsim {

struct ServerPrice {
  Figure price;  // USD
  Figure gpus;   // GPUs per server (rack, supernode)
  Figure power;  // W, whole server
  SourceLoc power_where;  // its line: checked against the GPU's TDP when the GPU is known (cost_rate)
};

struct GpuPrice {
  std::optional<Figure> rent;  // USD per GPU-hour
  std::optional<ServerPrice> server;
  SourceLoc where;  // the gpus.NAME entry
};

struct Prices {
  std::string file;
  Figure pue, energy_price_per_kwh, amortisation_years;
  std::map<std::string, GpuPrice>
      gpus;  // GPU name (a catalog GPU's, or one a GPU file of your own names) -> prices
};

enum class Pricing { kRent, kPurchase };
Pricing parse_pricing(const std::string& s);  // "rent" | "purchase"; InputError naming --pricing
const char* pricing_name(Pricing p);

// A key under `gpus` names a GPU: a catalog one (its server power is checked against its TDP here) or one a
// GPU file of the user's names (checked when a plan prices it: cost_rate).
Prices parse_prices(YamlMap& m);
Prices load_prices(const std::string& path);  // "" = the shipped topologies/prices.yaml

struct CostRate {
  double usd_per_gpu_hour = 0;
  double facility_watts_per_gpu = 0;  // power per GPU x PUE
  // The price it rests on, so that a plan can say what it compares: "rent" or "purchase: 350kUSD per 8 GPUs
  // over 4 years, plus power"; and the rent's or the server price's kind and source (not the power's, nor the
  // site's figures).
  std::string basis;
  Provenance provenance;
  long server_gpus = 0;  // purchase: the GPUs the server price buys (0: rent)
};

// The rate for a GPU under a pricing; InputError naming the missing key (gpus.NAME.rent_per_gpu_hour, ...).
CostRate cost_rate(const Prices& prices, const GpuSpec& gpu, Pricing pricing);

// A training config's `cost.pricing` (rent | purchase): sets its cost.gpu_hour_usd to cost_rate's for `gpu`,
// the GPU of its system; InputError naming cost.pricing and the price missing. No-op without cost.pricing.
void price_training(TrainConfig& c, const GpuSpec& gpu, const Prices& prices);

}  // namespace commsim
