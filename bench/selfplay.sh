#!/usr/bin/env bash
# selfplay.sh: a match between two Gomocup brains, to measure strength.
#
# Runs the Gomocup match runner (pbrain_match.py) with an openings file, at
# a given time per move, nice'd so it shares the machine politely, and
# prints its score line and Elo estimate. Default: pbrain-gomoku (the real
# engine) against pbrain-minimax (the plain baseline in bench/minimax_brain.c).
#
# usage: bench/selfplay.sh [-a CMD] [-b CMD] [-n GAMES] [-t TURN_MS] [-r RULE]
#                          [-s SIZE] [-o OPENINGS] [-- extra pbrain_match.py args]
#   -a, -b   brain command lines (default: $BIN/pbrain-gomoku, $BIN/pbrain-minimax)
#   -n       games (default 20; each opening is played twice, colours swapped)
#   -t       INFO timeout_turn in ms (default 300)
#   -r       0 = freestyle (default), 1 = exactly five
#   -s       board size (default 15)
#   -o       openings file (default: $OPENINGS or openings15.txt next to the runner)
# Environment:
#   GOMOKU_BIN_DIR  where the brains are (default: bin/ at the top of the tree)
#   PBRAIN_MATCH    the Gomocup match runner pbrain_match.py (required)
#   NICE            niceness of the match (default 10)
# Example:
#   bench/selfplay.sh -n 30 -t 300 -- --jsonl /tmp/games.jsonl
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${GOMOKU_BIN_DIR:-$root/bin}
match=${PBRAIN_MATCH:?set PBRAIN_MATCH to the Gomocup match runner pbrain_match.py}
a="$bin/pbrain-gomoku"
b="$bin/pbrain-minimax"
games=20
turn=300
rule=0
size=15
openings=${OPENINGS:-$(dirname "$match")/openings15.txt}

usage() {
    sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
    -a) a=$2; shift 2 ;;
    -b) b=$2; shift 2 ;;
    -n) games=$2; shift 2 ;;
    -t) turn=$2; shift 2 ;;
    -r) rule=$2; shift 2 ;;
    -s) size=$2; shift 2 ;;
    -o) openings=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    *) echo "selfplay.sh: unknown option $1" >&2; usage 2 ;;
    esac
done

[ -f "$match" ] || { echo "selfplay.sh: match runner not found: $match (set PBRAIN_MATCH)" >&2; exit 2; }
for brain in "$a" "$b"; do
    exe=${brain%% *}
    [ -x "$exe" ] || { echo "selfplay.sh: not executable: $exe (build it first)" >&2; exit 2; }
done
open_args=()
if [ -n "$openings" ] && [ -f "$openings" ]; then
    open_args=(--openings "$openings")
else
    echo "selfplay.sh: no openings file, games start from the empty board" >&2
fi

echo "selfplay: A = $a, B = $b, $games games, ${size}x$size, rule $rule, $turn ms per move"
exec nice -n "${NICE:-10}" python3 "$match" -a "$a" -b "$b" -n "$games" --size "$size" \
    --rule "$rule" --turn-ms "$turn" "${open_args[@]}" "$@"
