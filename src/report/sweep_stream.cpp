#include "report/sweep_stream.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/input_file.hpp"
#include "report/sweep_report.hpp"

namespace commsim {

SweepStream::SweepStream(std::string path, Format format, const SweepSpec& spec, bool resume)
    : path_(std::move(path)), format_(format) {
  check_outside_catalog(path_);
  struct stat st {};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (!exists) created_ = resolve_symlinks(path_);  // a dangling link creates the file it points to
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int err = errno;
    created_.clear();
    // A FIFO's open waits for a reader; a signal then is the run stopped, not a bad path (exit 2).
    if (err == EINTR)
      throw RuntimeError(path_ + ": interrupted while waiting to open it (a FIFO without a reader?)");
    throw InputError(SourceLoc{path_, 0, 0, ""},
                     std::string("cannot open output file: ") + std::strerror(err));
  }
  // One writer per file: two sweeps streaming into one file interleaved their lines (two headers' worth of
  // rows, a torn line, a point twice) and both exited 0. The lock is the open file's, held until it is closed
  // (the process's end included); a device or pipe is not locked (two sweeps may share a terminal).
  // A file system without locks (Lustre without -o flock: ENOSYS; some NFS: ENOLCK) runs unlocked, as before.
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd_, LOCK_EX | LOCK_NB) != 0 &&
      errno == EWOULDBLOCK) {
    ::close(fd_);
    fd_ = -1;
    created_.clear();  // the other writer's file
    throw InputError(SourceLoc{path_, 0, 0, ""},
                     "another process is writing this file (a sweep with the same --csv or --jsonl); "
                     "wait for it, or write to a new file");
  }
  append_ = resume && exists && S_ISREG(st.st_mode) && read_existing(spec);
  if (!append_) size_ = 0;  // nothing kept (a file without a header yet starts over)
  if (!append_ && format_ == Format::kCsv) header_ = sweep_csv_context(spec) + sweep_csv_header(spec);
}

void SweepStream::start() {
  check_not_an_input(path_, path_);  // the points' models and systems count too
  struct stat st {};
  const bool regular = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);  // a device or pipe has nothing to cut
  if (regular && (::ftruncate(fd_, size_) != 0 || ::lseek(fd_, size_, SEEK_SET) < 0))
    throw RuntimeError(path_ + ": cannot cut the file to its last whole line: " + std::strerror(errno));
  created_.clear();
  write(header_);
}

SweepStream::~SweepStream() {
  // Unlinked while still locked: a sweep waiting for the name would otherwise lock and fill a removed file.
  if (!created_.empty()) ::unlink(created_.c_str());  // never started: no new file left behind
  if (fd_ >= 0) ::close(fd_);
}

bool SweepStream::read_existing(const SweepSpec& spec) {
  std::ifstream in(path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  text.resize(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);  // complete lines only
  size_ = static_cast<long long>(text.size());
  if (format_ == Format::kJsonl) {
    std::size_t line = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t nl = text.find('\n', pos);
      ++line;
      const std::string l = text.substr(pos, nl - pos);
      pos = nl + 1;
      // The sweep writes no blank line: one kept here stayed in the middle of the resumed file.
      if (l.find_first_not_of(" \t\r") == std::string::npos)
        throw InputError(SourceLoc{path_, static_cast<int>(line), 0, ""},
                         "--resume: a blank line (the sweep writes none); remove it or write to a new file");
      SweepRow row = row_from_jsonl(spec, l, path_ + ":" + std::to_string(line));
      add_done(row.key, line, row.index);
      rows_.push_back(std::move(row));
    }
    return true;
  }
  // CSV: the context line, then this sweep's header exactly. The context line names the same base fingerprint
  // and overrides (a resume with another base or other --set values would mix two bases).
  const std::string context = sweep_csv_context(spec);
  // Saved with CR LF line ends (an editor on Windows): its lines are not the sweep's, byte for byte, and rows
  // appended with LF would mix the two; it was "written by another sweep", quoting a line that looked the same.
  if (const auto nl = text.find('\n');
      nl != std::string::npos && nl > 0 && text[nl - 1] == '\r' && text.rfind("# commsim sweep ", 0) == 0)
    throw InputError(SourceLoc{path_, 1, 0, ""}, "--resume: the file's lines end in CR LF (saved by another program), "
                                                 "not the LF the sweep writes; convert it back (dos2unix) or write to a new file");
  if (text.rfind("# commsim sweep ", 0) == 0 && text.compare(0, text.find('\n') + 1, context) != 0)
    throw InputError(
        SourceLoc{path_, 1, 0, ""},
        "--resume: the file was written by another sweep, from another base (the study's base, its "
        "config, a system, GPU, model or other file they name, or the model's data files edited) or "
        "with other --set values (" +
            text.substr(0, text.find('\n')) + "; this run: " + context.substr(0, context.size() - 1) +
            "); write to a new file");
  std::size_t pos = 0, comments = 0;
  while (pos < text.size() && text[pos] == '#') pos = text.find('\n', pos) + 1, ++comments;
  const std::string header = sweep_csv_header(spec);
  if (pos >= text.size()) return false;  // no header yet: start over
  // The context line is the one the sweep writes first, and its only '#' line: a file without it (its first
  // lines cut) or with another (a second base's, pasted in) could hold another base's rows, and was read as
  // this one's.
  if (text.rfind("# commsim sweep ", 0) != 0)
    throw InputError(SourceLoc{path_, 1, 0, ""},
                     "--resume: the file does not start with the sweep's context line ('# commsim sweep "
                     "...', naming its base): its rows may be another base's; write to a new file");
  if (comments != 1)
    throw InputError(SourceLoc{path_, 2, 0, ""},
                     "--resume: " + std::to_string(comments) +
                         " '#' lines, where the sweep writes one (its context line); write to a new file");
  if (text.compare(pos, header.size(), header) != 0)
    throw InputError(SourceLoc{path_, 0, 0, ""}, "--resume: the file's header is not this sweep's (" + header.substr(0, header.size() - 1) +
                                                 "); write to a new file");
  // The sweep writes no blank line (a quoted reason aside): one kept here stayed in the middle of the resumed
  // file, which was then not the sweep's byte for byte.
  bool quoted = false, blank = true;
  for (std::size_t i = pos, line = 1 + static_cast<std::size_t>(std::count(
                                           text.begin(), text.begin() + static_cast<long>(pos), '\n'));
       i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '"') quoted = !quoted;
    if (quoted || (ch != '\n' && ch != ' ' && ch != '\t' && ch != '\r')) blank = false;
    if (quoted || ch != '\n') continue;
    if (blank)
      throw InputError(SourceLoc{path_, static_cast<int>(line), 0, ""},
                       "--resume: a blank line (the sweep writes none); remove it or write to a new file");
    blank = true, ++line;
  }
  for (const CsvRow& r : parse_csv(text, path_)) {
    SweepRow row = row_from_csv(spec, r, path_);
    add_done(row.key, static_cast<std::size_t>(r.line), row.index);
    rows_.push_back(std::move(row));
  }
  return true;
}

void SweepStream::add_done(const std::string& key, std::size_t line, std::size_t point) {
  const auto [it, added] = done_.emplace(key, Done{line, point});
  if (!added)
    throw InputError(SourceLoc{path_, static_cast<int>(line), 0, ""},
                     "--resume: point '" + key + "' is already on line " + std::to_string(it->second.line) +
                         "; remove one of them or write to a new file");
}

void SweepStream::check_points(const std::map<std::string, std::size_t>& points) const {
  for (const auto& [key, d] : done_) {
    const auto p = points.find(key);
    if (p == points.end())
      throw InputError(SourceLoc{path_, static_cast<int>(d.line), 0, ""},
                       "--resume: the row's point '" + key + "' is not a point of this sweep; write to a new file");
    if (p->second != d.point)
      throw InputError(SourceLoc{path_, static_cast<int>(d.line), 0, "point"},
                       "--resume: the row says point " + std::to_string(d.point) + ", but '" + key + "' is point " +
                           std::to_string(p->second) + " of this sweep; write to a new file");
  }
}

void SweepStream::write(const std::string& line) {
  std::size_t off = 0;
  while (off < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      if (::ftruncate(fd_, size_) == 0) ::lseek(fd_, size_, SEEK_SET);  // no half line left behind
      throw RuntimeError(path_ + ": write failed: " + why);
    }
    off += static_cast<std::size_t>(n);
  }
  size_ += static_cast<long long>(line.size());
}

}  // namespace commsim
