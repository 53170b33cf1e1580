#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <mutex>

#include "core/data_path.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"

namespace commsim {

namespace {

// ".NAME.tmp.PID.N" in the target's directory: unique per process and per AtomicFile; ".commsim.tmp.PID.N"
// where that would be longer than a file name may be (a legal 250-character NAME was refused: "File name too
// long", of the temporary's name).
std::string temp_name_beside(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  constexpr std::size_t kNameMax = 255;  // NAME_MAX of Linux's file systems
  const std::filesystem::path p(path);
  const std::string suffix =
      ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  std::string name = "." + p.filename().string() + suffix;
  if (name.size() > kNameMax) name = ".commsim" + suffix;
  return (p.parent_path() / name).string();
}

// The temporaries that exist now, for the SIGINT/SIGTERM/SIGHUP handler: a run stopped by Ctrl-C left its
// `.NAME.tmp.PID.N` beside the target (one more per interrupt). Fixed slots, each written before it is marked
// live (0 free, 1 being written, 2 live): the handler reads only live ones and calls only unlink, signal and
// raise, which are async-signal-safe, then dies of the signal as before (exit status 128 + signal).
constexpr int kTempSlots = 64;
constexpr std::size_t kTempPathMax = 4096;
char g_temp_path[kTempSlots][kTempPathMax];
std::atomic<int> g_temp_state[kTempSlots];

extern "C" void remove_temporaries_and_die_c(int sig) {
  remove_temporaries_and_die(sig);
}

// Installed with the first temporary, where the signal's action is the default one: a command with its own
// handler (sweep stops between points and ends with exit 1) keeps it, and its destructors remove the files.
void install_temp_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {  // SIGPIPE: a closed stdout pipe (`... | head -1`)
      struct sigaction old {};
      if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temporaries_and_die_c;
      sigemptyset(&sa.sa_mask);
      sigaction(sig, &sa, nullptr);
    }
  });
}

// A slot for `path`, -1 when none is free or the path is too long (the file is then only left behind by a
// signal).
int hold_temp(const std::string& path) {
  if (path.size() >= kTempPathMax) return -1;
  install_temp_cleanup();
  for (int i = 0; i < kTempSlots; ++i) {
    int free = 0;
    if (!g_temp_state[i].compare_exchange_strong(free, 1)) continue;
    std::memcpy(g_temp_path[i], path.c_str(), path.size() + 1);
    g_temp_state[i].store(2);
    return i;
  }
  return -1;
}

void release_temp(int slot) {
  if (slot >= 0) g_temp_state[slot].store(0);
}

}  // namespace

void remove_temporaries_and_die(int sig) {
  for (int i = 0; i < kTempSlots; ++i)
    if (g_temp_state[i].load() == 2) ::unlink(g_temp_path[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string resolve_symlinks(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  for (int links = 0;; ++links) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    if (links == 40)
      throw InputError(SourceLoc{path, 0, 0, ""}, "too many levels of symbolic links (a loop?)");
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) return p.string();  // unreadable: let the open report it
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
}

AtomicFile::AtomicFile(std::string path, Into into) : path_(std::move(path)) {
  std::error_code ec;
  const auto st = std::filesystem::status(path_, ec);
  if (std::filesystem::is_directory(st))
    throw InputError(SourceLoc{path_, 0, 0, ""}, "cannot write output file: it is a directory");
  if (into == Into::kOutsideCatalog) check_outside_catalog(path_);
  // A name the file system cannot hold failed at the rename, after the whole run (exit 1; helper-153).
  for (const auto& part : std::filesystem::path(path_))
    if (part.native().size() > 255)
      throw InputError(SourceLoc{path_, 0, 0, ""},
                       "cannot write output file: a name in the path is longer than "
                       "255 bytes, the most a file system's name holds");
  // A device or pipe (/dev/stdout, /dev/full, a FIFO) cannot be replaced by a rename: write to it directly,
  // still checking every write at commit().
  direct_ = std::filesystem::exists(st) && !std::filesystem::is_regular_file(st);
  // Through a symlink, the file it points to is replaced or created (the link stays), even when the link
  // dangles: the temporary goes beside that file, so the rename lands on it and not on the link.
  target_ = direct_ ? path_ : resolve_symlinks(path_);
  // A file mounted over (a container's `-v host.csv:/out.csv`) is the root of a mount: no rename can replace
  // it ("Device or resource busy", after the whole run). It is written to the temporary as any file, and the
  // complete temporary copied into it at commit(): a failed run leaves it as it was.
  if (!direct_ && std::filesystem::is_regular_file(st)) {
    struct statx sx {};
    mounted_ = ::statx(AT_FDCWD, target_.c_str(), 0, 0, &sx) == 0 &&
               (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
               (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
  }
  // A file this process may not write is not replaced either: the rename would (it needs the directory
  // only), where the shell's `>` and --csv refuse it (helper-134: --out and --html replaced a 0444 file, and
  // another user's). Root may write any, as the shell lets it.
  if (!direct_ && std::filesystem::is_regular_file(st) && ::access(target_.c_str(), W_OK) != 0)
    throw InputError(SourceLoc{path_, 0, 0, ""},
                     "cannot open output file for writing: " + std::string(std::strerror(errno)));
  tmp_ = direct_ ? path_ : temp_name_beside(target_);
  if (!direct_) temp_slot_ = hold_temp(tmp_);
  out_.open(tmp_, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out_) {
    release_temp(temp_slot_);
    temp_slot_ = -1;
  }
  if (!out_) {
    const int err = errno;
    // The temporary's errno is not the file's: /proc/version "cannot open ...: No such file or directory".
    if (!direct_ && std::filesystem::exists(st)) {
      const std::filesystem::path dir = std::filesystem::path(tmp_).parent_path();
      throw InputError(
          SourceLoc{path_, 0, 0, ""},
          "cannot create a file in " + (dir.empty() ? std::string(".") : dir.string()) +
              " (the output is written to a temporary file there, then renamed over this one): " +
              std::strerror(err));
    }
    throw InputError(SourceLoc{path_, 0, 0, ""},
                     "cannot open output file for writing: " + std::string(std::strerror(err)));
  }
  // A replaced file keeps its permission bits, and its owner where this process may give it (root: `sudo
  // commsim ... -O ~/x.csv` left the user a file of root's they could not read).
  if (!direct_ && std::filesystem::is_regular_file(st)) {
    std::filesystem::permissions(tmp_, st.permissions() & std::filesystem::perms::all, ec);
    struct stat old {};
    if (::stat(target_.c_str(), &old) == 0 && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) &&
        ::chown(tmp_.c_str(), old.st_uid, old.st_gid) != 0) {
      // not ours to give (an unprivileged user replacing another's file in a shared directory): stays ours
    }
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  if (!direct_) std::remove(tmp_.c_str());
  release_temp(temp_slot_);
}

void AtomicFile::commit() {
  if (committed_) return;
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || out_.fail()) {
    if (!direct_) std::remove(tmp_.c_str());
    release_temp(temp_slot_);
    committed_ = true;
    throw RuntimeError(path_ + ": write failed (disk full or I/O error)" +
                       std::string(direct_ ? "" : "; the file was left unchanged"));
  }
  if (direct_) {
    committed_ = true;
    return;
  }
  try {
    check_not_an_input(target_, path_, may_replace_);
  } catch (const InputError&) {
    std::remove(tmp_.c_str());
    release_temp(temp_slot_);
    committed_ = true;
    throw;
  }
  if (mounted_) {
    std::string why;
    {
      std::ifstream in(tmp_, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::ofstream to(target_, std::ios::out | std::ios::trunc | std::ios::binary);
      if (!in || !to)
        why = std::strerror(errno);
      else if (!to.write(text.data(), static_cast<std::streamsize>(text.size())) || !to.flush())
        why = "write failed (disk full or I/O error)";
    }
    std::remove(tmp_.c_str());
    release_temp(temp_slot_);
    committed_ = true;
    if (!why.empty()) throw RuntimeError(path_ + ": cannot write the file mounted there: " + why);
    return;
  }
  if (std::rename(tmp_.c_str(), target_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp_.c_str());
    release_temp(temp_slot_);
    committed_ = true;
    throw RuntimeError(path_ + ": cannot replace the file: " + why);
  }
  release_temp(temp_slot_);  // renamed: no temporary is left to remove
  committed_ = true;
}

void check_outside_catalog(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) return;  // a device or pipe
  if (const std::string part = data_part_of(path); !part.empty())
    throw InputError(SourceLoc{path, 0, 0, ""},
                     "is in the data directory's " + part + "/ (" + data_file(part) +
                         "), which holds the catalog every run reads: write the output elsewhere");
  // A hard link to a catalog file: the sweep's streams write through it (helper-155: --csv onto a link to
  // configs/studies/flagship.yaml replaced the study). Searched only for a file with more than one name.
  struct stat lst {};
  if (::stat(path.c_str(), &lst) != 0 || !S_ISREG(lst.st_mode) || lst.st_nlink < 2) return;
  std::string root;
  try {
    root = data_dir();
  } catch (const InputError&) {
    return;
  }
  for (const char* part : {"topologies", "configs"}) {
    std::filesystem::recursive_directory_iterator it(root + "/" + part, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      struct stat cst {};
      if (::stat(it->path().c_str(), &cst) == 0 && cst.st_dev == lst.st_dev && cst.st_ino == lst.st_ino)
        throw InputError(SourceLoc{path, 0, 0, ""}, "is another name (a hard link) of " +
                                                        it->path().string() +
                                                        ", a file of the data directory's catalog: write the "
                                                        "output elsewhere");
    }
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicFile f(path);
  f.stream() << content;
  f.commit();
}

void check_stdout() {
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))
    throw RuntimeError("write to standard output failed (closed pipe or full disk)");
}

}  // namespace commsim
