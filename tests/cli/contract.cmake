# The error contract (docs/cli.md, "Exit codes") as a script meets it: odd inputs found by an audit, each one
# message naming the flag, file or key, and exit 2 (or the right answer). Included from tests/CMakeLists.txt.
macro(contract_test name code regex)
  commsim_cli_test("contract: ${name}" ${code} "${regex}" ${ARGN})
endmacro()

# CLI11's own flag errors carry the same prefix as every other error.
contract_test("flag parse error has the error prefix" 2 "^commsim: error: --gpus: must be at least 1, got -1"
              collective --system dgx-h100 --gpus -1)
