"""Property of POST /gomoku/play, through the real daemon: after any accepted
request, the returned record is the input plus exactly one legal move by the
side to move, and the answer is itself a valid request.

Random positions (seeded, so every run sends the same requests): every board
size 5..25, both rules, both cell notations mixed, every optional field of
the record, players and moves; small budgets. Each answer is judged by an
independent referee written here (five in a row, exactly five for
"standard"), not by the daemon's own code.

The generator and the checker are also used by the overload, hostile and
soak tests (import this file as a module).
"""

import json
import random
import unittest

from harness import Daemon, http_request, run_tests

COLUMNS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"  # no I, as on Go boards
SIDE_KEYS = ("X (human)", "X (AI)", "O (human)", "O (AI)")
# Informational move fields the contract echoes, with their type.
MOVE_INFO = {"time_ms": float, "moves_searched": int, "moves_evaluated": int, "score": int,
             "opponent": int, "queue_wait_ms": float, "depth": int, "nodes": int, "pv": str,
             "queue_ms": float}


def compact(row, col):
    return f"{COLUMNS[col]}{row + 1}"


def parse_cell(value):
    """(row, col) of a cell in either notation."""
    if isinstance(value, str):
        return int(value[1:]) - 1, COLUMNS.index(value[0].upper())
    return value[0], value[1]


def move_of(move):
    """(side letter, kind, (row, col), compact?) of a move object."""
    keys = [k for k in move if k in SIDE_KEYS]
    assert len(keys) == 1, f"not exactly one side key: {move}"
    side, kind = keys[0][0], keys[0][3:-1]
    value = move[keys[0]]
    return side, kind, parse_cell(value), isinstance(value, str)


def wins(board, size, row, col, rule):
    """Whether the stone at (row, col) makes five (freestyle: five or more;
    standard: exactly five)."""
    who = board[row][col]
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        n = 1
        for sign in (1, -1):
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < size and 0 <= c < size and board[r][c] == who:
                n += 1
                r, c = r + sign * dr, c + sign * dc
        if n == 5 or (n > 5 and rule == "freestyle"):
            return True
    return False


def replay(record):
    """Referee: the board (rows of '.', 'X', 'O') and the winner of a record
    the daemon accepted, checking every move on the way."""
    size = record.get("board_size", 19)
    rule = record.get("rule", "freestyle")
    board = [["."] * size for _ in range(size)]
    winner = "none"
    for i, m in enumerate(record.get("moves") or []):
        side, _, (r, c), _ = move_of(m)
        assert winner == "none", f"move {i} after the game was won"
        assert side == "XO"[i % 2], f"move {i} out of turn"
        assert 0 <= r < size and 0 <= c < size, f"move {i} off the board"
        assert board[r][c] == ".", f"move {i} on an occupied cell"
        board[r][c] = side
        if wins(board, size, r, c, rule):
            winner = side
        elif i + 1 == size * size:
            winner = "draw"
    return board, winner


def random_game(rng, ai_to_move=True, max_time_ms=(5, 30), finished=False):
    """A random legal record whose side to move is an AI (unless
    ai_to_move is False). With finished=True the game is played on until
    someone wins or the board is full."""
    size = rng.randint(5, 25)
    rule = rng.choice(["freestyle", "standard", None])
    board = [["."] * size for _ in range(size)]
    cells = [(r, c) for r in range(size) for c in range(size)]
    rng.shuffle(cells)
    # Short games mostly (the engine's work grows with them), some long.
    n = len(cells) if finished else min(len(cells) - 1, int(rng.expovariate(1 / 12)))
    notation = rng.choice(["arrays", "compact", "mixed"])
    played = []
    winner = None
    for r, c in cells:
        if len(played) >= n:
            break
        side = "XO"[len(played) % 2]
        board[r][c] = side
        if wins(board, size, r, c, rule or "freestyle"):
            if finished:
                played.append((r, c))
                winner = side
                break
            board[r][c] = "."  # keep the game open: try another cell
            continue
        played.append((r, c))
    to_move = "XO"[len(played) % 2]
    kinds = {s: rng.choice(["human", "AI"]) for s in "XO"}
    if ai_to_move:
        kinds[to_move] = "AI"
    record = {}
    for s in "XO":
        p = {"player": kinds[s] if rng.random() < 0.8 else kinds[s].upper()}
        if kinds[s] == "AI" or rng.random() < 0.3:
            if rng.random() < 0.7:
                p["max_time_ms"] = rng.randint(*max_time_ms)
            if rng.random() < 0.3:
                p["depth"] = rng.randint(1, 3)
        if rng.random() < 0.3:
            p["time_ms"] = round(rng.uniform(0, 5000), 3)
        record[s] = p
    if size != 19 or rng.random() < 0.5:
        record["board_size"] = size
    if rule is not None:
        record["rule"] = rule
    if rng.random() < 0.3:
        record["radius"] = rng.randint(-2, 7)  # clamped to 1..4
    if rng.random() < 0.3:
        record["timeout"] = rng.choice(["none", 0.05, 1, 2.5])
    if rng.random() < 0.2:
        record["undo"] = rng.random() < 0.5
    if rng.random() < 0.2:
        record["undo_limit"] = rng.randint(0, 10)
    if rng.random() < 0.2:
        record["winner"] = rng.choice(["none", "X", 7])  # ignored
    if rng.random() < 0.2:
        record["board_state"] = ["ignored"]
    if rng.random() < 0.1:
        record["something_else"] = {"ignored": True}
    moves = []
    for i, (r, c) in enumerate(played):
        side = "XO"[i % 2]
        use_compact = notation == "compact" or (notation == "mixed" and rng.random() < 0.5)
        m = {f"{side} ({kinds[side]})": compact(r, c) if use_compact else [r, c]}
        if rng.random() < 0.5:
            m["time_ms"] = round(rng.uniform(0, 1000), 3)
        if rng.random() < 0.2:
            m["score"] = rng.randint(-30000, 30000)
        if rng.random() < 0.2:
            m["nodes"] = m["moves_searched"] = rng.randint(0, 10 ** 7)
        if rng.random() < 0.1:
            m["pv"] = " ".join(compact(rng.randrange(size), rng.randrange(size))
                               for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.1:
            m["scoring"] = {"unknown": "ignored"}
        moves.append(m)
    if moves or rng.random() < 0.5:
        record["moves"] = moves
    return record


def check_answer(request, answer):
    """Asserts that answer (a decoded 200 body) is request plus exactly one
    legal move by the side to move, made by its AI, with the contract's
    metadata, and that the rest of the record is echoed. Returns the new
    move as (row, col)."""
    moves_in = request.get("moves") or []
    moves_out = answer["moves"]
    n = len(moves_in)
    assert len(moves_out) == n + 1, f"{len(moves_out)} moves for {n} sent"
    for i, (a, b) in enumerate(zip(moves_in, moves_out)):
        sa, ka, cell_a, comp_a = move_of(a)
        sb, kb, cell_b, comp_b = move_of(b)
        assert (sa, ka.lower(), cell_a, comp_a) == (sb, kb.lower(), cell_b, comp_b), \
            f"move {i} changed: {a} -> {b}"
        for key, typ in MOVE_INFO.items():
            if key in a:
                assert key in b, f"move {i}: {key} not echoed"
                if typ is float:
                    assert abs(b[key] - a[key]) <= 0.0005, f"move {i}: {key} changed"
                else:
                    assert b[key] == a[key], f"move {i}: {key} changed"
        assert not (set(b) - set(SIDE_KEYS) - set(MOVE_INFO) - {"winner"}), \
            f"move {i}: unknown keys echoed: {b}"
    side = "XO"[n % 2]
    player = request[side]["player"].lower()
    assert player == "ai", "the daemon moved for a human"
    new = moves_out[n]
    s, kind, (r, c), is_compact = move_of(new)
    assert (s, kind) == (side, "AI"), f"the new move is {s} ({kind}), not {side} (AI)"
    previous_compact = n > 0 and move_of(moves_in[-1])[3]
    assert is_compact == previous_compact, "the new move is not in the previous move's notation"
    for key in ("time_ms", "depth", "nodes", "moves_searched", "score", "queue_ms"):
        assert key in new, f"the new move has no {key}"
    assert new["nodes"] == new["moves_searched"]
    assert new["time_ms"] >= 0 and new["queue_ms"] >= 0 and new["nodes"] >= 0
    if new.get("pv"):
        assert new["pv"].split()[0] == compact(r, c), f"pv {new['pv']} does not start with the move"
    board, winner = replay(answer)  # also judges the new move's legality
    size = answer["board_size"]
    assert answer["winner"] == winner, f"winner {answer['winner']}, referee says {winner}"
    assert bool(new.get("winner")) == (winner == side)
    assert answer["board_state"] == [" ".join(row) for row in board]
    # The rest of the record.
    assert size == request.get("board_size", 19)
    assert answer["rule"] == request.get("rule", "freestyle")
    radius = request.get("radius", 2)
    assert answer["radius"] == min(max(radius, 1), 4)
    for key in ("undo", "undo_limit"):
        assert answer.get(key) == request.get(key)
    for p in "XO":
        assert answer[p]["player"].lower() == request[p]["player"].lower()
        for key in ("depth", "max_time_ms"):
            assert answer[p].get(key) == request[p].get(key), f"{p}.{key} not echoed"
        total = sum(m.get("time_ms", 0) for m in moves_out if move_of(m)[0] == p)
        assert abs(answer[p]["time_ms"] - total) <= 0.0015, f"{p}.time_ms is not the sum"
    assert "something_else" not in answer
    return r, c


class PlayProperty(unittest.TestCase):
    N_POSITIONS = 160

    def test_every_accepted_move_is_the_input_plus_one_legal_move(self):
        rng = random.Random(20240608)
        with Daemon(["-t", "2", "-q", "64", "--hash-mb", "4", "--max-time-ms", "60",
                     "--default-time-ms", "20"], name="play-property") as d:
            stats = {"moves": 0, "wins": 0, "chained": 0}
            for i in range(self.N_POSITIONS):
                record = random_game(rng)
                # AI against AI sometimes: the answer is sent back as the
                # next request, which must be accepted as it is.
                chain = 3 if record["X"]["player"].lower() == record["O"]["player"].lower() \
                    == "ai" else 1
                for step in range(chain):
                    status, headers, body = http_request(d.port, "POST", "/gomoku/play", record)
                    self.assertEqual(status, 200, f"position {i} step {step}: {body[:300]}\n"
                                     f"{json.dumps(record)[:2000]}")
                    self.assertEqual(headers["content-type"], "application/json")
                    answer = json.loads(body)
                    try:
                        check_answer(record, answer)
                    except AssertionError as e:
                        self.fail(f"position {i} step {step}: {e}\nrequest: "
                                  f"{json.dumps(record)[:3000]}\nanswer: {body[:3000]}")
                    stats["moves"] += 1
                    stats["chained"] += step > 0
                    stats["wins"] += answer["winner"] != "none"
                    if answer["winner"] != "none":
                        break
                    record = answer
            print(f"\nplay property: {stats['moves']} moves checked from {self.N_POSITIONS} "
                  f"positions ({stats['chained']} on the daemon's own answers, "
                  f"{stats['wins']} ended the game)")
            self.assertGreater(stats["chained"], 10)

    def test_finished_games_and_human_turns_are_not_moved(self):
        rng = random.Random(77)
        with Daemon(["-t", "1", "--hash-mb", "4", "--max-time-ms", "40"],
                    name="play-property-refusals") as d:
            for i in range(30):
                record = random_game(rng, finished=True)
                status, _, body = http_request(d.port, "POST", "/gomoku/play", record)
                self.assertEqual(status, 200, body)
                answer = json.loads(body)
                self.assertEqual(len(answer["moves"]), len(record["moves"]))
                self.assertEqual(answer["winner"], replay(record)[1])
                self.assertNotEqual(answer["winner"], "none")
            for i in range(30):
                record = random_game(rng, ai_to_move=False)
                to_move = "XO"[len(record.get("moves") or []) % 2]
                record[to_move]["player"] = "human"
                status, _, body = http_request(d.port, "POST", "/gomoku/play", record)
                self.assertEqual(status, 400, body)
                self.assertEqual(json.loads(body)["field"], "moves")


if __name__ == "__main__":
    run_tests()
