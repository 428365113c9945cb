#!/usr/bin/env bash
# The browser build, tried as a visitor would: build web/dist, serve it on localhost, open it in
# headless Chromium (Debian's package; WebGL through SwiftShader), and check that the app draws
# (a screenshot that is not blank) and plays a built-in scenario (the page title, which the app
# sets, shows the clock past 0).
set -euo pipefail
cd "$(dirname "$0")/.."
web/build.sh
chrome="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chrome" ]; then
  echo "error: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
port="${PORT:-8765}"
python3 -m http.server --bind 127.0.0.1 -d web/dist "$port" >/dev/null 2>&1 &
server=$!
out="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
flags=(--headless=new --no-sandbox --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --use-gl=angle --use-angle=swiftshader
  --enable-unsafe-swiftshader --user-data-dir="$out/profile" --window-size=1600,1000)
url="http://127.0.0.1:$port/"
"$chrome" "${flags[@]}" --virtual-time-budget=10000 --dump-dom "$url" > "$out/dom.html" 2>/dev/null
title="$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$out/dom.html" | head -1)"
echo "page title: $title"
# The app sets the title each frame: the scenario, the clock, and whether it plays.
case "$title" in
  "procsim — "*" — t = "*" (playing)") ;;
  *) echo "error: the app did not play a built-in scenario (title: $title)" >&2; exit 1 ;;
esac
# Links open scenarios: a built-in one by its path, any one by its text (base64url).
title_of() {
  "$chrome" "${flags[@]}" --virtual-time-budget=10000 --dump-dom "$1" 2>/dev/null \
    | sed -n 's:.*<title>\(.*\)</title>.*:\1:p' | head -1
}
linked="$(title_of "${url}?scenario=python/counter-race-gil")"
echo "?scenario= title: $linked"
case "$linked" in
  "procsim — Counter race under the GIL — t = "*) ;;
  *) echo "error: ?scenario=python/counter-race-gil did not open it (title: $linked)" >&2; exit 1 ;;
esac
yaml="$(python3 -c 'import base64; print(base64.urlsafe_b64encode(b"name: Linked scenario\npolicy: fcfs\nprocesses: [{name: A, burst: 50}]\n").decode().rstrip("="))')"
linked="$(title_of "${url}#yaml=${yaml}")"
echo "#yaml= title: $linked"
case "$linked" in
  "procsim — Linked scenario — t = "*) ;;
  *) echo "error: #yaml= did not open its scenario (title: $linked)" >&2; exit 1 ;;
esac
# Loading and compiling the wasm under SwiftShader can take longer than a first wait on a busy
# machine (a blank capture was seen once in CI): up to three tries, each waiting longer.
for wait in 8000 15000 25000; do
  "$chrome" "${flags[@]}" --timeout="$wait" --screenshot="$out/page.png" "$url" 2>/dev/null
  cp "$out/page.png" web/dist/last-test-screenshot.png
  if python3 - "$out/page.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", chunk[:10])
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[ctype]
row = width * channels + 1
# Distinct colours over a sample of pixels (filters aside, a blank page has one or two).
colours = {raw[y * row + 1 + x * channels: y * row + 1 + x * channels + 3]
           for y in range(0, height, 7) for x in range(0, width, 7)}
print(f"screenshot {width}x{height}, {len(colours)} distinct sampled values")
sys.exit(0 if len(colours) > 20 else 1)
PY
  then
    echo "the browser build draws and plays"
    exit 0
  fi
  echo "the page was still blank after ${wait} ms; trying again with a longer wait"
done
echo "error: the browser build drew nothing (web/dist/last-test-screenshot.png)" >&2
exit 1
