#!/usr/bin/env bash
# Writes everything gigawatt shows a user, on the bundled set and the test
# fixtures, into one folder: every export in every format, check and diff
# output, and every tab's screen (plus help and a detail pane) at 80x24,
# 120x40 and 200x60, read back from tmux. Run it with two builds and compare
# the folders (`diff -r`) to show that a refactor changed no byte a user sees.
#
#   scripts/same-output.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1"); out=$2
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"
export NO_COLOR=1 TZ=UTC
cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
sets=(bundled tests/fixtures/base.toml tests/fixtures/multi-buyer.toml tests/fixtures/ui.toml tests/fixtures/probe.toml)
for s in "${sets[@]}"; do
  name=$(basename "$s" .toml); args=(); [ "$s" = bundled ] || args=(--data "$s")
  "$bin" check "${args[@]}" >"$out/$name.check" 2>&1 || true
  for t in providers commitments milestones notes derived parties sites site-timeline clusters; do
    for f in csv json markdown; do
      "$bin" export "$t" --format "$f" "${args[@]}" >"$out/$name.$t.$f" 2>&1 || echo "exit $?" >>"$out/$name.$t.$f"
    done
  done
done
"$bin" check --data tests/fixtures/broken.toml >"$out/broken.check" 2>&1 || true
"$bin" diff data/openai-compute.toml data/openai-deals.toml >"$out/diff.text" 2>&1 || true
"$bin" diff --format json tests/fixtures/base.toml tests/fixtures/ui.toml >"$out/diff.json" 2>&1 || true
for size in 80x24 120x40 200x60; do
  w=${size%x*}; h=${size#*x}
  for s in bundled tests/fixtures/multi-buyer.toml; do
    name=$(basename "$s" .toml); args=(--no-watch --config "$cfg"); [ "$s" = bundled ] || args+=(--data "$s")
    tmux kill-session -t same 2>/dev/null || true
    tmux new -d -s same -x "$w" -y "$h" "$bin" "${args[@]}"
    sleep 0.6
    snap() { sleep 0.25; tmux capture-pane -p -t same >"$out/screen.$name.$size.$1"; }
    for tab in 1 2 3 4 5; do
      tmux send-keys -t same "$tab"; snap "tab$tab"
      tmux send-keys -t same j Enter; snap "tab$tab.detail"; tmux send-keys -t same Escape; sleep 0.3
    done
    tmux send-keys -t same 2 b; sleep 0.3; snap lens; tmux send-keys -t same b b b b b b b b b
    tmux send-keys -t same '?'; snap help; tmux send-keys -t same Escape; sleep 0.3
    tmux send-keys -t same q; sleep 0.2
    tmux kill-session -t same 2>/dev/null || true
  done
done
