# Export-control view (catalog --export-control): TPP, density and ECCN 3A090 class per GPU (docs/cli.md).
commsim_data_test("export control h100 is 3A090.a" 0 "h100-sxm +15831 +fp8 +814.0 +19.45 +3A090.a" catalog --export-control)
commsim_data_test("export control h20 below the bands" 0 "h20 +2368 +bf16 +814.0 +2.91 +not 3A090" catalog --export-control)
commsim_data_test("export control cites the rule" 0 "# rule: ECCN 3A090, 15 CFR Part 774" catalog --export-control)
commsim_data_test("export control csv" 0 "^h100-sxm,15831.2,fp8,814.0,19.449,3A090.a$"
  catalog --export-control --format csv)
commsim_data_test("export control json" 0 "\"classification\": \"3A090.a\"" catalog --export-control --format json)
commsim_data_test("catalog format needs export control" 2 "--format and --out need --export-control" catalog --format csv)
commsim_data_test("export control missing rules file" 2 "rules file '/nonexistent.yaml' not found"
  catalog --export-control --rules /nonexistent.yaml)

# A directory given as --rules said "not found".
commsim_data_test("export control rules file a directory" 2 "export-control rules file: is a directory, not a file"
  catalog --export-control --rules ${DATA})
