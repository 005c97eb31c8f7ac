#!/usr/bin/env bash
# level_ladder.sh: the Elo ladder of the AI's levels, by self-play through the
# daemon, plus the simulated human against the lowest levels.
#
# Starts gomoku-httpd (niced) on a free port and plays, with
# gomoku-http-client, each level L against L-1 for L = FROM+1..TO, half the
# games with each colour (--mode ai --level L:L-1, then L-1:L). Every game
# sends its own seed derived from --seed, so a run replays exactly. Prints
# each pair's score and Elo difference (from the score s: -400 log10(1/s - 1),
# s clamped to [0.5, n - 0.5] / n so that a sweep stays finite), the ladder
# with level FROM at 0, and the simulated human's score against the levels
# up to HUMAN_TO.
#
# Each game starts from a random opening of OPENING moves (the client's
# --opening, default 3: X, O, X in the 5x5 square at the centre, so O moves
# next); game i gets the same opening with both colours. From the empty
# board X wins most games between levels of similar strength, which would
# hide the difference.
#
# usage: bench/level_ladder.sh [-n GAMES_PER_COLOUR] [-f FROM] [-t TO]
#                              [-H HUMAN_TO] [-s SEED] [-o OPENING]
#   -n   games per pair and colour (default 10, so 20 per pair)
#   -f   lowest level (default 1)
#   -t   highest level (default 10)
#   -H   the simulated human plays levels 1..H (default 3; 0 = skip)
#   -s   seed of the run (default 1)
#   -o   random opening moves (default 3)
# Environment: GOMOKU_BIN_DIR (default bin/), BENCH_NICE (default 5).
# Example (docs/engine.md, "Levels"): bench/level_ladder.sh -n 10
source "$(dirname "$0")/httpd_common.sh"
client=$bin_dir/gomoku-http-client
games=10
from=1
to=10
human_to=3
seed=1
opening=3
while getopts "n:f:t:H:s:o:" o; do
    case $o in
        n) games=$OPTARG ;;
        f) from=$OPTARG ;;
        t) to=$OPTARG ;;
        H) human_to=$OPTARG ;;
        s) seed=$OPTARG ;;
        o) opening=$OPTARG ;;
        *) sed -n '2,/^source/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2 ;;
    esac
done

port=$(free_port)
start_httpd "$port" -t 2 -L warn

# play X_LEVEL O_LEVEL MODE: prints "x_wins o_wins draws".
play() {
    local summary=$work/summary-$1-$2-$3.json op=0
    [[ $3 == ai ]] && op=$opening
    nice -n "${BENCH_NICE:-5}" "$client" -p "$port" --mode "$3" --level "$1:$2" -g "$games" -c 2 \
        --seed "$seed" --opening "$op" -q --no-progress --json-summary "$summary" >/dev/null
    python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print(s["wins"]["X"], s["wins"]["O"], s["wins"]["draw"])' "$summary"
}

elo() { # elo WINS DRAWS N: Elo difference for a score of WINS + DRAWS/2 out of N
    python3 -c 'import math, sys
w, d, n = (float(x) for x in sys.argv[1:])
s = min(max(w + d / 2, 0.5), n - 0.5) / n
print(round(-400 * math.log10(1 / s - 1)))' "$1" "$2" "$3"
}

machine
echo "pairs: level L against L-1, $games games with each colour, seed $seed, opening $opening moves"
printf '%-8s %6s %6s %6s %8s %8s\n' pair won lost drawn score elo
ladder=0
table="level $from: 0"
for ((l = from + 1; l <= to; l++)); do
    read -r a_x b_o d1 < <(play "$l" "$((l - 1))" ai)
    read -r b_x a_o d2 < <(play "$((l - 1))" "$l" ai)
    won=$((a_x + a_o)) lost=$((b_o + b_x)) drawn=$((d1 + d2)) n=$((2 * games))
    e=$(elo "$won" "$drawn" "$n")
    ladder=$((ladder + e))
    table="$table, level $l: $ladder"
    printf '%-8s %6d %6d %6d %7.0f%% %8s\n' "$l-$((l - 1))" "$won" "$lost" "$drawn" \
        "$(python3 -c "print(100 * ($won + $drawn / 2) / $n)")" "$e"
done
echo "ladder (Elo, level $from = 0): $table"

for ((l = 1; l <= human_to; l++)); do
    read -r hx ao d < <(play 10 "$l" human)
    echo "simulated human (X) against level $l (O): human won $hx, lost $ao, drawn $d of $games"
done
