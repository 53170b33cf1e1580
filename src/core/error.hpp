// Typed errors. Library code throws these; only main() turns them into a message and an exit code.
//
// Exit codes (docs/cli.md): 0 ok, 1 runtime failure, 2 usage or input error, 3 wrong data (benchmark) or
// does not fit (training), 4 below a bandwidth floor, 77 skipped (no GPU).
#pragma once

#include <stdexcept>
#include <string>

namespace commsim {

enum ExitCode : int {
  kExitOk = 0,
  kExitRuntime = 1,
  kExitInput = 2,
  kExitWrongData = 3,
  kExitBelowFloor = 4,
  kExitSkipped = 77,
};

// Where a bad value came from: a file position and the dotted key path, or a command-line flag.
struct SourceLoc {
  std::string file;  // file name or "--set"/"command line"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  std::string key;   // dotted key path, e.g. "node.nvswitch.bandwidth"

  std::string str() const;  // "file:line:col: key 'a.b'" (parts omitted when unknown)
};

class Error : public std::runtime_error {
 public:
  Error(const std::string& what, int exit_code) : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Bad input: malformed file, unknown name, out-of-range value, bad flag. Exit code 2.
class InputError : public Error {
 public:
  explicit InputError(const std::string& what) : Error(what, kExitInput), message_(what) {}
  InputError(const SourceLoc& loc, const std::string& what);

  // Where the error was placed (an empty file when the message carries no location) and the message without
  // it, so a caller that knows better where a value came from can place it again.
  const SourceLoc& loc() const { return loc_; }
  const std::string& message() const { return message_; }

 private:
  SourceLoc loc_;
  std::string message_;
};

// A failure at run time that is not the user's input (I/O error, MPI failure). Exit code 1.
class RuntimeError : public Error {
 public:
  explicit RuntimeError(const std::string& what) : Error(what, kExitRuntime) {}
};

}  // namespace commsim
