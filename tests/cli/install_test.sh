#!/usr/bin/env bash
# install_test.sh MODE BUILD_DIR: the installed commsim finds its own data (docs/cli.md, "Data directory").
#   install: `cmake --install BUILD_DIR --prefix TMP` (outside the build tree), then bin/commsim catalog with
#            COMMSIM_DATA_DIR unset reads TMP/share/commsim; the prefix still works once moved; without its
#            share/commsim it fails with exit 2 listing the paths tried (the build tree is not consulted); a
#            wrong or empty COMMSIM_DATA_DIR is exit 2 too.
#   deb:     `cpack -G DEB` from BUILD_DIR's config, `dpkg-deb -x` into a scratch root, and usr/bin/commsim
#            catalog runs from there; Depends (from dpkg-shlibdeps, most of the test's time) names yaml-cpp.
# No rebuild: the targets are already built when ctest runs.
set -u
mode=$1 build=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/commsim-${mode}.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset COMMSIM_DATA_DIR
fail() { echo "FAIL: $*"; exit 1; }
# run WANT_RC REGEX CMD...: exit code and output (stdout+stderr) as expected.
run() {
  local want=$1 pattern=$2 out rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  [ "$rc" = "$want" ] || { echo "$out" | tail -20; fail "exit $rc (want $want): $*"; }
  printf '%s' "$out" | grep -Eq -- "$pattern" || { echo "$out" | tail -20; fail "output does not match /$pattern/: $*"; }
}

case $mode in
install)
  cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
  [ -x "$tmp/prefix/bin/commsim" ] || fail "bin/commsim not installed"
  if [ -x "$build/bench/commbench/commbench" ]; then
    [ -x "$tmp/prefix/bin/commbench" ] || fail "bin/commbench not installed"
  fi
  if [ -x "$build/bench/kernelbench/kernelbench" ]; then
    [ -x "$tmp/prefix/bin/kernelbench" ] || fail "bin/kernelbench not installed"
    # No GPU here: the installed binary answers --help and, asked to time, exits 77 (skipped) or runs.
    run 0 "Usage" "$tmp/prefix/bin/kernelbench" --help
  fi
  for d in topologies/gpus topologies/systems configs/train configs/studies; do
    [ -d "$tmp/prefix/share/commsim/$d" ] || fail "share/commsim/$d not installed"
  done
  run 0 "# GPUs \\($tmp/prefix/share/commsim/topologies/gpus/\\)" "$tmp/prefix/bin/commsim" catalog
  run 0 "cloudmatrix-384" "$tmp/prefix/bin/commsim" catalog
  run 0 "busbw" "$tmp/prefix/bin/commsim" collective --system dgx-h100 --op all_reduce -b 1M -e 1M
  run 0 "step time" "$tmp/prefix/bin/commsim" train "$tmp/prefix/share/commsim/configs/train/llama3-70b-h100.yaml"
  # Relocatable: the prefix moved elsewhere still finds its data.
  mv "$tmp/prefix" "$tmp/moved"
  run 0 "# GPUs \\($tmp/moved/share/commsim/topologies/gpus/\\)" "$tmp/moved/bin/commsim" catalog
  # Without share/commsim: exit 2 naming the path tried, and no fall-back to the build tree.
  mv "$tmp/moved/share/commsim" "$tmp/data"
  run 2 "cannot find commsim's data directory.*tried:" "$tmp/moved/bin/commsim" catalog
  run 2 "$tmp/moved/share/commsim \\(next to the binary\\): does not exist" "$tmp/moved/bin/commsim" catalog
  out=$("$tmp/moved/bin/commsim" catalog 2>&1)
  printf '%s' "$out" | grep -q "build tree" && fail "the installed binary consulted the build tree: $out"
  # COMMSIM_DATA_DIR: used when right, an error (exit 2, the path named) when wrong or empty.
  run 0 "# GPUs \\($tmp/data/topologies/gpus/\\)" env COMMSIM_DATA_DIR="$tmp/data" "$tmp/moved/bin/commsim" catalog
  run 2 "$tmp/nowhere \\(COMMSIM_DATA_DIR\\): does not exist" env COMMSIM_DATA_DIR="$tmp/nowhere" "$tmp/moved/bin/commsim" catalog
  mkdir -p "$tmp/empty/topologies/gpus"
  run 2 "$tmp/empty \\(COMMSIM_DATA_DIR\\): topologies/gpus/ holds no .yaml file" \
    env COMMSIM_DATA_DIR="$tmp/empty" "$tmp/moved/bin/commsim" collective --system dgx-h100
  ;;
deb)
  command -v dpkg-deb >/dev/null || { echo "dpkg-deb not found: skipped"; exit 77; }
  (cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$tmp"/pkg/*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { cat "$tmp/cpack.log"; fail "no .deb produced"; }
  dpkg-deb -f "$deb" Package Version Depends
  if command -v dpkg-shlibdeps >/dev/null; then
    dpkg-deb -f "$deb" Depends | grep -q libyaml-cpp || fail "Depends lacks yaml-cpp: $(dpkg-deb -f "$deb" Depends)"
  fi
  dpkg-deb -x "$deb" "$tmp/root" || fail "dpkg-deb -x"
  [ -x "$tmp/root/usr/bin/commsim" ] || fail "usr/bin/commsim not in the package"
  if [ -x "$build/bench/kernelbench/kernelbench" ]; then
    [ -x "$tmp/root/usr/bin/kernelbench" ] || fail "usr/bin/kernelbench not in the package"
  fi
  [ -f "$tmp/root/usr/share/commsim/topologies/gpus/h100-sxm.yaml" ] || fail "usr/share/commsim data not in the package"
  run 0 "# GPUs \\($tmp/root/usr/share/commsim/topologies/gpus/\\)" "$tmp/root/usr/bin/commsim" catalog
  run 0 "dgx-h100" "$tmp/root/usr/bin/commsim" catalog
  ;;
*) fail "unknown mode '$mode' (install, deb)" ;;
esac
echo "ok: $mode"
