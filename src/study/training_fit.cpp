#include "study/training_fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/stats.hpp"
#include "study/fit_constants.hpp"
#include "topo/system_cache.hpp"

namespace commsim {
namespace {

// '*' matches any run of characters; everything else itself.
bool glob(const char* p, const char* s) {
  if (*p == '\0') return *s == '\0';
  if (*p == '*') return glob(p + 1, s) || (*s != '\0' && glob(p, s + 1));
  return *s == *p && glob(p + 1, s + 1);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Predicts cases[rows[j]] with the constants at `values`, on up to `threads` threads.
std::vector<TrainingValidationRow> predict_all(const std::vector<TrainingCase>& cases,
                                               const std::vector<EfficiencyConstant>& consts,
                                               const std::vector<double>& values, const std::vector<std::size_t>& rows,
                                               unsigned threads) {
  std::vector<std::unique_ptr<EfficiencyOverride>> overrides;
  for (std::size_t i = 0; i < consts.size(); ++i) overrides.push_back(std::make_unique<EfficiencyOverride>(consts[i].name, values[i]));
  std::vector<TrainingValidationRow> out(rows.size());
  const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(rows.size())));
  std::vector<std::exception_ptr> errors(n);
  auto work = [&](unsigned t) {
    try {
      for (std::size_t j = t; j < rows.size(); j += n) out[j] = predict_training_case(cases[rows[j]]);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  while (!overrides.empty()) overrides.pop_back();  // restore in reverse order
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

struct Fold {
  FitResult fit;
  std::vector<FitConstant> constants;
};

// Fits every constant on the rows in `train` that its selector picks.
Fold fit_on(const std::vector<TrainingCase>& cases, const std::vector<EfficiencyConstant>& consts,
            const std::vector<bool>& train, unsigned threads) {
  Fold f;
  std::vector<double> published;
  for (const TrainingCase& c : cases) published.push_back(c.published);
  for (const EfficiencyConstant& k : consts) {
    FitConstant fc{k.name, k.figure.value, k.lo, k.hi, {}};
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (train[i] && selects(k.fit, k.arch, cases[i])) fc.rows.push_back(i);
    f.constants.push_back(fc);
  }
  auto predict = [&](const std::vector<double>& values, const std::vector<std::size_t>& rows) {
    std::vector<double> p;
    for (const TrainingValidationRow& r : predict_all(cases, consts, values, rows, threads)) p.push_back(r.predicted);
    return p;
  };
  f.fit = fit_constants(f.constants, published, predict);
  return f;
}

}  // namespace

bool selects(const FitSelector& sel, const std::string& arch, const TrainingCase& c) {
  if (c.arch != arch) return false;
  if (!sel.precisions.empty() &&
      std::find(sel.precisions.begin(), sel.precisions.end(), precision_name(c.config.train.precision)) == sel.precisions.end())
    return false;
  if (sel.moe && *sel.moe != c.moe) return false;
  if (c.config.train.seq_len < sel.min_seq_len) return false;
  if (!sel.case_ids.empty() &&
      std::none_of(sel.case_ids.begin(), sel.case_ids.end(), [&](const std::string& p) { return glob(p.c_str(), c.case_id.c_str()); }))
    return false;
  return true;
}

TrainingErrorStats error_stats(const std::vector<double>& errors) {
  TrainingErrorStats s;
  std::vector<double> a;
  for (double e : errors)
    if (std::isfinite(e)) a.push_back(std::fabs(e));
  s.rows = static_cast<int>(a.size());
  s.median = a.empty() ? 0.0 : median(a);
  s.worst = a.empty() ? 0.0 : *std::max_element(a.begin(), a.end());
  return s;
}

TrainingFitReport fit_training(const std::vector<TrainingCase>& cases, bool loso, unsigned threads) {
  threads = threads == 0 ? std::clamp(std::thread::hardware_concurrency(), 1u, 8u) : std::min(threads, 64u);
  const std::vector<EfficiencyConstant> consts = calibrated_efficiencies();
  const SystemCache systems;  // the rows' systems are parsed once, not once per prediction
  TrainingFitReport rep;
  rep.loso = loso;
  std::vector<std::size_t> all(cases.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<double> shipped;
  for (const EfficiencyConstant& k : consts) shipped.push_back(k.figure.value);
  auto errors = [&](const std::vector<double>& values, const std::vector<std::size_t>& rows) {
    std::vector<double> e;
    for (const TrainingValidationRow& r : predict_all(cases, consts, values, rows, threads)) e.push_back(r.error);
    return e;
  };
  rep.shipped_error = errors(shipped, all);

  auto t0 = std::chrono::steady_clock::now();
  const Fold full = fit_on(cases, consts, std::vector<bool>(cases.size(), true), threads);
  rep.fitted_error = errors(full.fit.values, all);
  rep.fit_seconds = seconds_since(t0);
  rep.sweeps = full.fit.sweeps;
  rep.converged = full.fit.converged;
  rep.predictions = full.fit.predictions;
  for (std::size_t k = 0; k < consts.size(); ++k)
    rep.constants.push_back({consts[k].name, shipped[k], full.fit.values[k], static_cast<int>(full.constants[k].rows.size()),
                             full.fit.fitted[k], full.fit.loss[k]});
  rep.fitted_all = error_stats(rep.fitted_error);

  rep.loso_error.assign(cases.size(), NAN);
  if (loso) {
    t0 = std::chrono::steady_clock::now();
    std::set<std::string> families;
    for (const TrainingCase& c : cases) {
      if (c.family.empty()) throw InputError("leave-one-source-out: the mapping has no source_families rules (the source of row " + c.case_id + ")");
      families.insert(c.family);
    }
    for (const std::string& fam : families) {
      std::vector<bool> train(cases.size());
      std::vector<std::size_t> held;
      for (std::size_t i = 0; i < cases.size(); ++i) {
        train[i] = cases[i].family != fam;
        if (!train[i]) held.push_back(i);
      }
      const Fold fold = fit_on(cases, consts, train, threads);
      rep.predictions += fold.fit.predictions;
      std::vector<std::size_t> covered;
      for (std::size_t i : held) {
        bool ok = true;
        for (std::size_t k = 0; k < consts.size(); ++k)
          if (!fold.fit.fitted[k] && selects(consts[k].fit, consts[k].arch, cases[i])) ok = false;
        if (ok) covered.push_back(i);
        else ++rep.loso_uncovered;
      }
      const std::vector<double> e = errors(fold.fit.values, covered);
      for (std::size_t j = 0; j < covered.size(); ++j) rep.loso_error[covered[j]] = e[j];
    }
    rep.loso_seconds = seconds_since(t0);
    rep.loso_all = error_stats(rep.loso_error);
  }

  std::map<std::string, std::vector<std::size_t>> fam, kind, model;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    fam[cases[i].family].push_back(i);
    kind[cases[i].moe ? "MoE" : "dense"].push_back(i);
    model[cases[i].model].push_back(i);
  }
  auto fill = [&](std::map<std::string, TrainingFitReport::Group>& out, const std::map<std::string, std::vector<std::size_t>>& idx) {
    for (const auto& [key, ids] : idx) {
      std::vector<double> s, f, l;
      for (std::size_t i : ids) {
        s.push_back(rep.shipped_error[i]);
        f.push_back(rep.fitted_error[i]);
        l.push_back(rep.loso_error[i]);
      }
      out[key] = {error_stats(s), error_stats(f), error_stats(l)};
    }
  };
  fill(rep.by_family, fam);
  fill(rep.by_kind, kind);
  fill(rep.by_model, model);
  return rep;
}

}  // namespace commsim
