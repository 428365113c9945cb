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
mkdir -p corpus/scenario_text corpus/answer_text corpus/engine
# Seed the text targets with every shipped scenario and a few answers.
for file in ../scenarios/*/*.yaml; do
  cp "$file" "corpus/scenario_text/$(basename "$(dirname "$file")")-$(basename "$file")"
done
cp ../scenarios/grading/answers/*.json corpus/answer_text/ 2>/dev/null || true
for target in scenario_text answer_text engine; do
  echo "== fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
