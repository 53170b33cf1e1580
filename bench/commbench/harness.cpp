#include "harness.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "buffer_data.hpp"
#include "core/error.hpp"

namespace commsim::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

// A poisoned byte: 0xFF.. is NaN in every floating type and -1 / max in integers, never a pattern value, so
// an element the collective failed to write shows up as #wrong.
constexpr unsigned char kPoison = 0xFF;

}  // namespace

TestHooks read_test_hooks() {
  TestHooks h;
  if (const char* v = std::getenv("COMMBENCH_TEST_FAIL_RANK"); v != nullptr && *v != '\0') {
    h.fail_rank = std::atoi(v);
    if (const char* colon = std::strchr(v, ':')) h.fail_code = std::atoi(colon + 1);
  }
  h.hang_rank = env_int("COMMBENCH_TEST_HANG_RANK", -1);
  if (const char* v = std::getenv("COMMBENCH_TEST_RAISE"); v != nullptr && *v != '\0') {
    h.raise_rank = std::atoi(v);
    const char* colon = std::strchr(v, ':');
    const std::string sig = colon ? colon + 1 : "";
    h.raise_signal = sig == "KILL" ? SIGKILL : sig == "STOP" ? SIGSTOP : 0;
  }
  return h;
}

Harness::Harness(const MpiWorld& world, Backend& backend, const Options& opts, TestHooks hooks,
                 Watchdog& watchdog)
    : world_(world),
      backend_(backend),
      opts_(opts),
      hooks_(hooks),
      watchdog_(watchdog),
      ngpus_(backend.devices_per_process()),
      nranks_(world.size() * backend.devices_per_process()) {
  // As nccl-tests, allocate once for the largest row of the sweep; in-place rows live in the receive buffer.
  std::uint64_t bytes = 1;
  for (Op op : opts.ops)
    for (DataType t : opts.types)
      bytes = std::max(bytes, op_sizes(op, opts.max_bytes, dtype_info(t).size, nranks_).size_bytes);
  host_.resize(bytes);
  for (int local = 0; local < ngpus_; ++local) {
    send_.push_back(backend.allocate(local, bytes));
    recv_.push_back(backend.allocate(local, bytes));
    backend.fill(local, send_.back().get(), 0, bytes);  // the warm-up runs on these (zeros, no denormals)
    backend.fill(local, recv_.back().get(), 0, bytes);
  }
}

Harness::Case Harness::make_case(Op op, DataType type, RedOp redop, std::uint64_t bytes) const {
  return Case{&collective(op), type, redop, op_sizes(op, bytes, dtype_info(type).size, nranks_),
              Pattern(nranks_, type, redop)};
}

DataCtx Harness::data_ctx(int local, const Case& c, bool in_place) const {
  return DataCtx{
      world_.rank() * ngpus_ + local, nranks_, opts_.root, in_place, c.sizes, &c.pattern, backend_.quirks()};
}

// nccl-tests startColl: out of place, the two buffers; in place, both inside the receive buffer.
Launch Harness::launch_args(int local, const Case& c, bool in_place) const {
  const DataCtx ctx = data_ctx(local, c, in_place);
  std::byte* send = send_[local].get();
  std::byte* recv = recv_[local].get();
  if (in_place) {
    const InPlaceLayout layout = c.def->in_place_layout(ctx);
    const std::size_t elem = static_cast<std::size_t>(dtype_info(c.type).size);
    send = recv + layout.send_offset * elem;
    recv = recv + layout.recv_offset * elem;
  }
  return Launch{local, ctx.rank, nranks_, send, recv, c.sizes.count, c.type, c.redop, opts_.root};
}

// Poisons the receive side and writes this rank's input (nccl-tests InitData).
void Harness::prepare(const Case& c, bool in_place) {
  const std::uint64_t elem = static_cast<std::uint64_t>(dtype_info(c.type).size);
  for (int local = 0; local < ngpus_; ++local) {
    const DataCtx ctx = data_ctx(local, c, in_place);
    std::uint64_t poison_bytes = c.sizes.recv_bytes;
    if (in_place) {  // the whole stretch of the receive buffer that the op reads or writes
      const InPlaceLayout layout = c.def->in_place_layout(ctx);
      poison_bytes = std::max(layout.send_offset * elem + c.sizes.send_bytes,
                              layout.recv_offset * elem + c.sizes.recv_bytes);
    }
    backend_.fill(local, recv_[local].get(), kPoison, poison_bytes);
    fill_elements(c.type, host_.data(), c.sizes.send_bytes / elem,
                  [&](std::uint64_t k) { return c.def->send_value(ctx, k); });
    backend_.upload(local, const_cast<void*>(launch_args(local, c, in_place).send), host_.data(),
                    c.sizes.send_bytes);
  }
}

std::vector<Launch> Harness::launches(const Case& c, bool in_place) const {
  std::vector<Launch> out;
  for (int local = 0; local < ngpus_; ++local) out.push_back(launch_args(local, c, in_place));
  return out;
}

// `ops` ops on every local device, in one group (nccl-tests: ncclGroupStart/End around the per-GPU launches
// and, with -m > 1, around the aggregated ops of a timed iteration).
void Harness::launch_group(const Case& c, const std::vector<Launch>& launches, int ops) {
  backend_.group_start();
  for (int a = 0; a < ops; ++a)
    for (const Launch& l : launches) c.def->run(backend_, l);
  backend_.group_end();
}

std::string Harness::describe(const Case& c) const {
  return std::string(op_name(c.def->op)) + " " + dtype_info(c.type).name + " " + redop_name(c.redop) + " " +
         std::to_string(c.sizes.size_bytes) + " B";
}

// `-w` untimed out-of-place ops at this row's size.
void Harness::warm_up(const Case& c) {
  if (opts_.warmup_iters == 0) return;
  watchdog_.stage("warm-up of " + describe(c));
  const std::vector<Launch> group = launches(c, false);
  for (int w = 0; w < opts_.warmup_iters; ++w) launch_group(c, group, 1);
  backend_.synchronize();
}

double Harness::timed_seconds(const Case& c, bool in_place) {
  const std::vector<Launch> group = launches(c, in_place);
  launch_group(c, group, 1);  // nccl-tests: one untimed op, completed, then a barrier
  backend_.synchronize();
  world_.barrier();

  double elapsed = 0;
  Clock::time_point start = Clock::now();
  for (int it = 0; it < opts_.iters; ++it) {
    launch_group(c, group, opts_.agg_iters);
    switch (opts_.blocking) {
      case 1:  // wait and barrier after every iteration, timed
        backend_.synchronize();
        world_.barrier();
        break;
      case 2:  // wait after every iteration
        backend_.synchronize();
        break;
      case 3:  // wait after every iteration, barrier outside the clock
        backend_.synchronize();
        elapsed += seconds_since(start);
        world_.barrier();
        start = Clock::now();
        break;
      default:
        break;
    }
  }
  backend_.synchronize();
  elapsed += seconds_since(start);
  return elapsed / (static_cast<double>(opts_.iters) * opts_.agg_iters);
}

std::int64_t Harness::count_wrong_elements(const Case& c, bool in_place) {
  const std::uint64_t recv_count = c.sizes.recv_bytes / static_cast<std::uint64_t>(dtype_info(c.type).size);
  const bool reduces = op_info(c.def->op).reduces;
  std::int64_t wrong = 0;
  for (int pass = 0; pass < opts_.check && wrong == 0; ++pass) {
    prepare(c, in_place);
    const std::vector<Launch> group = launches(c, in_place);
    launch_group(c, group, 1);  // exactly one op: in place, a second one would change the result
    backend_.synchronize();
    std::int64_t local_wrong = 0;
    for (int local = 0; local < ngpus_; ++local) {
      const DataCtx ctx = data_ctx(local, c, in_place);
      if (!c.def->has_result(ctx)) continue;
      backend_.download(local, host_.data(), group[local].recv, c.sizes.recv_bytes);
      local_wrong += static_cast<std::int64_t>(count_wrong(
          c.type, host_.data(), recv_count, [&](std::uint64_t k) { return c.def->expected_value(ctx, k); },
          [&](double want) { return reduces ? c.pattern.tolerance(want) : 0.0; }));
    }
    wrong = world_.sum(local_wrong);
  }
  return wrong;
}

Result Harness::measure(const Case& c, bool in_place) {
  const std::string where = describe(c) + (in_place ? " in-place" : " out-of-place");
  watchdog_.stage("timing of " + where);
  prepare(c, in_place);
  const double seconds = world_.combine_time(timed_seconds(c, in_place), opts_.average);
  Result r;
  r.op = c.def->op;
  r.type = c.type;
  r.redop = c.redop;
  r.root = opts_.root;
  r.in_place = in_place;
  r.size_bytes = c.sizes.size_bytes;
  r.count = c.sizes.count;
  r.time_us = seconds * 1e6;
  r.algbw_GBps = algbw_GBps(r.size_bytes, r.time_us);
  r.busbw_GBps = busbw_GBps(r.op, nranks_, r.size_bytes, r.time_us);
  if (opts_.check > 0) {
    watchdog_.stage("check of " + where);
    r.wrong = count_wrong_elements(c, in_place);
  }
  return r;
}

void Harness::inject_faults() const {
  if (world_.rank() == hooks_.hang_rank) {
    for (;;) pause();  // only the -T watchdog (SIGALRM) ends this
  }
  if (world_.rank() == hooks_.raise_rank && hooks_.raise_signal != 0) raise(hooks_.raise_signal);
  if (world_.rank() == hooks_.fail_rank)
    throw Error("test fault injected by COMMBENCH_TEST_FAIL_RANK", hooks_.fail_code);
}

std::vector<TestSummary> Harness::run(const std::vector<Reporter*>& reporters) {
  const std::vector<std::uint64_t> sizes =
      sweep_sizes(opts_.min_bytes, opts_.max_bytes, opts_.step_factor, opts_.step_bytes);
  std::vector<TestSummary> summaries;
  bool first_result = true;
  for (Op op : opts_.ops) {
    for (Reporter* r : reporters) r->begin_test(op);
    TestSummary summary{op, 0, 0, 0};
    double busbw_sum = 0;
    // The redop only matters to reducing collectives; the others run once per type.
    const std::vector<RedOp> redops = op_info(op).reduces ? opts_.redops : std::vector<RedOp>{RedOp::kSum};
    for (DataType type : opts_.types) {
      for (RedOp redop : redops) {
        std::uint64_t previous = ~std::uint64_t{0};
        for (std::uint64_t bytes : sizes) {
          const Case c = make_case(op, type, redop, bytes);
          // A size that rounds to no element, or to the previous size's (8 and 16 B of an all_gather on 8
          // ranks are both 0 B), would be a row of nothing or a second row of one measurement: commsim reads
          // neither. nccl-tests prints them; commbench does not.
          if (c.sizes.size_bytes == 0 || c.sizes.size_bytes == previous) continue;
          previous = c.sizes.size_bytes;
          warm_up(c);
          for (bool in_place : {false, true}) {
            const Result r = measure(c, in_place);
            watchdog_.stage("reporting of " + describe(c));
            for (Reporter* rep : reporters) rep->result(r);
            busbw_sum += r.busbw_GBps;
            ++summary.results;
            summary.wrong += r.wrong.value_or(0);
            if (first_result) inject_faults();
            first_result = false;
          }
        }
      }
    }
    summary.avg_busbw_GBps = summary.results > 0 ? busbw_sum / summary.results : 0;
    for (Reporter* r : reporters) r->end_test(summary);
    summaries.push_back(summary);
  }
  return summaries;
}

}  // namespace commsim::bench
