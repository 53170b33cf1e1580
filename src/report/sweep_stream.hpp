// A sweep's --csv / --jsonl file, streamed: every row is written with one write(2) as its point finishes (in
// point order), so an interrupted sweep leaves complete lines only. A failed write is undone (the file is
// cut back to its last complete line) and reported as RuntimeError.
//
// The constructor opens the file and checks it without changing it; start() then cuts it and writes the
// header. So a run opens every output first, and one that fails (another output's directory missing, a bad
// file to resume) leaves each existing file as it was; a file the constructor created is removed again when
// start() was never called.
//
// With resume, an existing file is read first: its header must be this sweep's (CSV), a trailing partial
// line is cut off, and the keys of its rows are kept, so has() tells which points to skip; new rows are
// appended. A point twice in the file is an InputError at the second line; check_points() rejects a row that
// is no point of the sweep (a hand-edited value) or whose point number is not its values' (rows would then
// repeat a number and the file differ from a fresh run's). Without resume, start() empties the file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "study/sweep_run.hpp"
#include "study/sweep_spec.hpp"

namespace commsim {

class SweepStream {
 public:
  enum class Format { kCsv, kJsonl };
  SweepStream(std::string path, Format format, const SweepSpec& spec, bool resume);
  SweepStream(const SweepStream&) = delete;
  SweepStream& operator=(const SweepStream&) = delete;
  ~SweepStream();

  bool has(const std::string& key) const { return done_.count(key) > 0; }
  // Throws InputError naming the file and line of the first row whose point is not among `points` (key ->
  // point number), or whose number is not its key's.
  void check_points(const std::map<std::string, std::size_t>& points) const;
  std::size_t resumed() const { return done_.size(); }
  // The rows read back under --resume, in file order (the summary and --html cover them with the new ones).
  const std::vector<SweepRow>& resumed_rows() const { return rows_; }
  void start();  // cuts the file to the rows kept (none without resume) and writes the header
  void write(const std::string& line);  // one complete line
  Format format() const { return format_; }

 private:
  bool read_existing(const SweepSpec& spec);  // false: nothing whole to resume from
  std::string path_;
  Format format_;
  int fd_ = -1;
  bool append_ = false;
  std::string header_;   // written by start(): the CSV's context and header when not appending
  std::string created_;  // the file the constructor created, until start()
  long long size_ = 0;   // bytes of complete lines kept (0 without resume)
  struct Done {
    std::size_t line = 0, point = 0;  // where the row is, and the point number it states
  };
  std::map<std::string, Done> done_;  // point key -> its row
  std::vector<SweepRow> rows_;        // the rows themselves
  void add_done(const std::string& key, std::size_t line, std::size_t point);
};

}  // namespace commsim
