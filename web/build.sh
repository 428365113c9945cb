#!/usr/bin/env bash
# Builds procsim-gui for the browser into web/dist/ (index.html, the wasm and its JS glue), a
# static folder any web server can serve:  web/build.sh && python3 -m http.server -d web/dist
# Only crates.io tools: wasm-bindgen-cli is installed from crates.io at exactly the version of
# wasm-bindgen in Cargo.lock, if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
version="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$version"; then
  # Its own lockfile first; if the registry lacks one of those exact versions, the newest
  # compatible ones (the CLI must match wasm-bindgen's version, not its dependencies').
  cargo install wasm-bindgen-cli --version "$version" --locked \
    || cargo install wasm-bindgen-cli --version "$version"
fi
flags=()
if [ "$profile" = release ]; then flags+=(--release); fi
cargo build -p sim-gui --lib --target wasm32-unknown-unknown --locked "${flags[@]}"
rm -rf web/dist && mkdir -p web/dist
wasm-bindgen --target web --no-typescript --out-dir web/dist \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/sim_gui.wasm"
cp web/index.html web/dist/
echo "built web/dist/ (serve it: python3 -m http.server -d web/dist 8000)"
