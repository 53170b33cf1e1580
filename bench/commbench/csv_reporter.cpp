// CSV: one line per result in the schema shared with commsim's predictions (`collective --format csv`) and
// read by `commsim validate collectives --measured` and `calibrate --measured`:
//   op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,protocol,bottleneck
// A measurement leaves algorithm, protocol and bottleneck empty; wrong is empty when not checked (-c 0). The
// '#' context lines go to stderr so stdout can be redirected straight into a spreadsheet or pandas.
#include <cstdio>
#include <string>

#include "reporter.hpp"

namespace commsim::bench {
namespace {

constexpr const char* kCsvHeader =
    "op,size_bytes,count,dtype,redop,root,ranks,in_place,time_us,algbw_GBps,busbw_GBps,wrong,algorithm,"
    "protocol,"
    "bottleneck\n";

class CsvReporter final : public Reporter {
 public:
  CsvReporter(std::FILE* out, std::FILE* context_out) : out_(out), context_out_(context_out) {}

  void context(const RunContext& ctx) override {
    std::fputs(context_header(ctx).c_str(), context_out_);
    std::fflush(context_out_);
    nranks_ = ctx.nranks;
    std::fputs(kCsvHeader, out_);
    std::fflush(out_);
  }

  void begin_test(Op) override {}

  void result(const Result& r) override {
    const OpInfo& info = op_info(r.op);
    const std::string wrong = r.wrong ? std::to_string(*r.wrong) : "";  // empty when not checked (-c 0)
    std::fprintf(out_, "%s,%llu,%llu,%s,%s,%d,%d,%d,%.3f,%.4f,%.4f,%s,,,\n", info.name,
                 static_cast<unsigned long long>(r.size_bytes), static_cast<unsigned long long>(r.count),
                 dtype_info(r.type).name, info.prints_redop ? redop_name(r.redop) : "none",
                 info.rooted ? r.root : -1, nranks_, r.in_place ? 1 : 0, r.time_us, r.algbw_GBps,
                 r.busbw_GBps, wrong.c_str());
    std::fflush(out_);
  }

  void end_test(const TestSummary& s) override {
    std::fprintf(context_out_, "# %s: Out of bounds values : %lld %s, Avg bus bandwidth : %g\n",
                 op_name(s.op), static_cast<long long>(s.wrong), s.wrong ? "FAILED" : "OK", s.avg_busbw_GBps);
    std::fflush(context_out_);
  }

 private:
  std::FILE* out_;
  std::FILE* context_out_;
  int nranks_ = 1;
};

}  // namespace

std::unique_ptr<Reporter> make_csv_reporter(std::FILE* out, std::FILE* context_out) {
  return std::make_unique<CsvReporter>(out, context_out);
}

}  // namespace commsim::bench
