# Kernel model (src/train/kernel_model.hpp) against published kernel measurements; bounds in docs/validation.md.
commsim_cli_test("validate kernels table" 0 "rows within the bound: median" validate kernels ${DATA}/validation/kernel_benchmarks.csv)
