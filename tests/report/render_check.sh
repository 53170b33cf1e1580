#!/usr/bin/env bash
# Opens an HTML report in headless Chromium and checks that every chart drew marks.
#   render_check.sh PAGE.html SCREENSHOT.png [MIN_CHARTS]
# The page (report/html_report) writes {chart id: marks drawn | "error: ..."} into #render-status when every
# chart has rendered. Exit 0: every chart drew at least one mark and there are at least MIN_CHARTS charts;
# 1: a chart failed, drew nothing, or the page fetched or linked anything outside itself; 77: no Chromium.
set -euo pipefail
page=$1 shot=$2 min=${3:-1}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "render_check: no chromium on PATH (scripts/setup.sh installs it)"; exit 77; fi
[ -s "$page" ] || { echo "render_check: $page is missing or empty"; exit 1; }
if grep -Eq '<(script|link|img)[^>]+(src|href)="(https?:)?//' "$page"; then
  echo "render_check: $page loads something from the network"; exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400)
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
# A loaded machine can end the virtual-time budget before the charts resolve: up to 4 tries, doubling it.
budget=30000
for try in 1 2 3 4; do
  dom=$(timeout 300 "$browser" "${flags[@]}" --virtual-time-budget=$budget --dump-dom "$url" 2>/dev/null || true)
  budget=$((budget * 2))
  grep -q 'data-rendered="1"' <<<"$dom" && break
  echo "render_check: try $try: the charts did not finish rendering"
done
status=$(grep -o '<pre id="render-status">[^<]*</pre>' <<<"$dom" | sed -e 's/<[^>]*>//g' || true)
if ! grep -q 'data-rendered="1"' <<<"$dom"; then echo "render_check: the charts did not finish rendering"; exit 1; fi
echo "render_check: marks per chart: $status"
charts=$(printf '%s' "$status" | grep -o '"chart[0-9]*":' | wc -l)
good=$(printf '%s' "$status" | grep -Eo '"chart[0-9]+":[1-9][0-9]*' | wc -l)
[ "$charts" -ge "$min" ] || { echo "render_check: $charts charts, expected at least $min"; exit 1; }
[ "$good" -eq "$charts" ] || { echo "render_check: $((charts - good)) of $charts charts drew no marks or failed"; exit 1; }
timeout 300 "$browser" "${flags[@]}" --virtual-time-budget=$budget --screenshot="$shot" "$url" >/dev/null 2>&1 || true
[ -s "$shot" ] && echo "render_check: screenshot $shot"
exit 0
