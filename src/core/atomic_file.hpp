// Output files are whole or absent.
//
// AtomicFile writes to a temporary file beside the target (same directory, so rename(2) is atomic on POSIX)
// and renames it over the target only in commit(), after a flush and a check of the stream state. A run that
// throws, aborts or is killed before commit() leaves the target as it was (an existing file survives; a new
// one does not appear); the destructor removes the temporary, and so does SIGINT, SIGTERM or SIGHUP (a
// handler installed with the first temporary where the signal has its default action; the process then dies
// of the signal as before). Only SIGKILL leaves it. Write errors, including a full disk, are reported by
// commit() as RuntimeError (exit 1). A target that is a device or a pipe (/dev/stdout, /dev/full) is written
// in place, with the same checks. Through a symlink, the file it points to is replaced; a replaced file keeps
// its permission bits. A target that is an input this run read (core/input_file.hpp) is not replaced:
// commit() throws InputError (exit 2), so `train run.yaml -O run.yaml` cannot destroy its config;
// may_replace(F) allows it for F. Nor is a file in the data directory's topologies/ or configs/ (the catalog
// every later run reads; core/data_path.hpp's data_part_of): the constructor throws InputError, unless it is
// given kCatalogEntry (`calibrate`, which writes a system named as its file there on purpose).
//
//   AtomicFile f("out.csv");   // InputError (exit 2) when the directory does not exist or is not writable
//   f.stream() << rows;
//   f.commit();                // RuntimeError (exit 1) when any write failed; then out.csv is untouched
//
// resolve_symlinks() names the file a write to a path lands on: a chain of symlinks is followed to its end
// even when that end does not exist yet (a dangling link), relative targets read from the link's directory.
// AtomicFile replaces that file (the links stay), and check_distinct_outputs compares outputs by it.
//
// write_file_atomically() is the one-shot form. check_stdout() flushes std::cout and throws RuntimeError
// when a write to it failed (a closed pipe, /dev/full), so a command never exits 0 having lost its output.
#pragma once

#include <fstream>
#include <ostream>
#include <string>

namespace commsim {

class AtomicFile {
 public:
  enum class Into { kOutsideCatalog, kCatalogEntry };
  explicit AtomicFile(std::string path, Into into = Into::kOutsideCatalog);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  std::ostream& stream() { return out_; }
  const std::string& path() const { return path_; }
  // The one input this file may replace (`calibrate --system F.yaml --out F.yaml` updates F on purpose).
  void may_replace(const std::string& input) { may_replace_ = input; }
  void commit();

 private:
  std::string path_;    // as given (messages)
  std::string target_;  // what the rename replaces: path_, or the file a symlink points to
  std::string tmp_;
  std::ofstream out_;
  bool direct_ = false;   // the target is a device or pipe: written in place
  bool mounted_ = false;  // the target is a file mounted over: the complete temporary is copied into it
  bool committed_ = false;
  int temp_slot_ = -1;  // the slot that names tmp_ to the signal handler (-1: none)
  std::string may_replace_;
};

// InputError (exit 2) naming `path` when the chain is longer than 40 links (a loop).
std::string resolve_symlinks(const std::string& path);
// Removes every temporary that exists now and dies of `sig` (its default action): async-signal-safe (unlink,
// signal, raise). The handler installed with the first temporary, and a command's own that ends the process
// at once (sweep's second Ctrl-C), where the destructors will not run.
void remove_temporaries_and_die(int sig);

void write_file_atomically(const std::string& path, const std::string& content);
// InputError naming `path` when it lands in the data directory's topologies/ or configs/ (data_part_of).
void check_outside_catalog(const std::string& path);
void check_stdout();

}  // namespace commsim
