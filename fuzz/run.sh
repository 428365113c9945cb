#!/usr/bin/env bash
# Fuzzes sim-core's parsers and engine for a while: `fuzz/run.sh [SECONDS_PER_TARGET]` (default
# 60). Needs the nightly toolchain and cargo-fuzz (installed from crates.io if missing). The
# corpus starts from scenarios/ and the committed corpus; a crash is saved under
# fuzz/artifacts/TARGET/ and the script exits non-zero: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
targets=(scenario_text answer_text engine renderers templates swf ostep arguments bomb)
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
done
# Seed the text targets with every shipped scenario, a few answers, the example template and
# trace.
for file in ../scenarios/*/*.yaml; do
  name="$(basename "$(dirname "$file")")-$(basename "$file")"
  for target in scenario_text renderers bomb; do
    cp "$file" "corpus/$target/$name"
  done
done
cp ../scenarios/grading/answers/*.json corpus/answer_text/ 2>/dev/null || true
cp ../docs/examples/*template*.yaml corpus/templates/
cp ../docs/examples/*.swf corpus/swf/
for target in "${targets[@]}"; do
  echo "== fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
