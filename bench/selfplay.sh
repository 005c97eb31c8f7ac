#!/usr/bin/env bash
# selfplay.sh: a match between two Gomocup brains, to measure strength.
#
# Runs bin/gomoku-match (the project's match runner, docs/match.md) with the
# committed balanced openings, a time per move, nice'd so that it shares the
# machine politely; it prints a line per game, then the score, Elo with its
# 95% interval, LOS and draw ratio. Default: pbrain-gomoku (the real engine)
# against pbrain-minimax (the plain baseline in bench/minimax_brain.c).
#
# usage: bench/selfplay.sh [-a CMD] [-b CMD] [-n GAMES] [-t TURN_MS] [-r RULE]
#                          [-s SIZE] [-c CONCURRENCY] [-o OPENINGS]
#                          [-- extra gomoku-match options]
#   -a, -b   brain command lines (default: $BIN/pbrain-gomoku, $BIN/pbrain-minimax);
#            any Gomocup engine given by path, e.g. -b /opt/rapfi/pbrain-rapfi
#   -n       games (default 20; each opening is played twice, colours swapped)
#   -t       time per move in ms for both sides (default 300; time odds:
#            -- --time-a MS --time-b MS)
#   -r       0 = freestyle (default), 1 = exactly five
#   -s       board size (default 15)
#   -c       games at once (default 1: timings are cleanest one at a time)
#   -o       openings file (default: bench/openings/openings15.txt on 15x15,
#            none on other sizes)
# Environment:
#   GOMOKU_BIN_DIR  where gomoku-match and the brains are (default: bin/ at the
#                   top of the tree)
#   NICE            niceness of the match (default 10)
# Examples:
#   bench/selfplay.sh -n 40 -t 200 -- --jsonl /tmp/games.jsonl
#   bench/selfplay.sh -n 400 -t 100 -- --sprt 0,10,0.05,0.05
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${GOMOKU_BIN_DIR:-$root/bin}
match="$bin/gomoku-match"
a="$bin/pbrain-gomoku"
b="$bin/pbrain-minimax"
games=20
turn=300
rule=0
size=15
concurrency=1
openings=

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
    -c) concurrency=$2; shift 2 ;;
    -o) openings=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    *) echo "selfplay.sh: unknown option $1" >&2; usage 2 ;;
    esac
done

[ -x "$match" ] || { echo "selfplay.sh: $match is not built (run make)" >&2; exit 2; }
if [ -z "$openings" ] && [ "$size" = 15 ]; then
    openings="$root/bench/openings/openings15.txt"
fi
open_args=()
if [ -n "$openings" ]; then
    open_args=(--openings "$openings")
else
    echo "selfplay.sh: no openings file for ${size}x$size, games start from the empty board" >&2
fi

exec nice -n "${NICE:-10}" "$match" -a "$a" -b "$b" -n "$games" -c "$concurrency" \
    --size "$size" --rule "$rule" --time "$turn" "${open_args[@]}" "$@"
