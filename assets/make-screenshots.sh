#!/usr/bin/env bash
# Remakes the README screenshots from the real binary: runs gigawatt in tmux,
# visits each tab, captures the pane with its colours, renders it to PNG.
# Needs: tmux, python3 with pillow and fonttools, DejaVu fonts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
cols=${COLS:-120}
rows=${ROWS:-40}
session=gigawatt-shots
tmux kill-session -t "$session" 2>/dev/null || true
TERM=xterm-256color tmux new-session -d -s "$session" -x "$cols" -y "$rows" \
  "./target/release/gigawatt --no-watch --color always"
sleep 1
shoot() {
  local name=$1 terminal=${2:-dark}
  sleep 0.4
  tmux capture-pane -e -p -t "$session" > "assets/$name.ans"
  python3 assets/ansi2png.py "assets/$name.ans" "assets/$name.png" "$cols" "$rows" "$terminal"
  rm "assets/$name.ans"
}
tmux send-keys -t "$session" 1; shoot providers
tmux send-keys -t "$session" 2 j; shoot commitments
tmux send-keys -t "$session" 3 + +; shoot ramp
tmux send-keys -t "$session" 4 j; shoot notes
tmux send-keys -t "$session" 5 j; shoot flows
tmux send-keys -t "$session" 6; shoot sites
tmux send-keys -t "$session" 1 b; shoot lens
tmux send-keys -t "$session" q

# One picture per theme, the same screen in each: Commitments with the
# selection, a search match, hedges, bars and the footer's keys. The light
# theme is drawn on a light terminal, the others on a dark one.
for theme in dark light high-contrast; do
  terminal=dark
  [ "$theme" = light ] && terminal=light
  sleep 0.5
  tmux kill-session -t "$session" 2>/dev/null || true
  TERM=xterm-256color tmux new-session -d -s "$session" -x "$cols" -y "$rows" \
    "./target/release/gigawatt --no-watch --color always --theme $theme"
  sleep 1
  tmux send-keys -t "$session" 2 j /; tmux send-keys -t "$session" -l oracle
  tmux send-keys -t "$session" Enter
  shoot "theme-$theme" "$terminal"
  tmux send-keys -t "$session" q
done
echo "wrote assets/{providers,commitments,ramp,notes,flows,sites,lens}.png"
echo "wrote assets/theme-{dark,light,high-contrast}.png"
