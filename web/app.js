// The play page: one game against the gomoku-httpd AI.
//
// The server is stateless: every request carries the whole game record and
// the answer is that record with the AI's move appended (docs/api.md). So the
// page owns the game; it keeps the record in localStorage (a reload or a
// restarted daemon loses nothing) and any daemon behind a balancer can answer.
// No framework and no build step: the file is served exactly as written.
'use strict';

(() => {
  // Relative on purpose: works on any port, behind a balancer, under a prefix.
  const PLAY_URL = 'gomoku/play';
  const STORE_KEY = 'gomoku-httpd.game.v1';
  const LETTERS = 'ABCDEFGHJKLMNOPQRSTUVWXYZ'; // the API's columns: no I
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const STEP = 32; // distance between lines, in SVG user units
  // Room for the coordinates beside an edge stone, which must not cover them.
  const MARGIN_TOP = 38;
  const MARGIN_LEFT = 42;
  const MARGIN_END = 18; // a stone's radius plus a little, right and bottom
  const STONE_R = 14.5;
  const WIN_SCORE = 29000; // engine.h: |score| >= ENGINE_WIN_MIN is a forced result
  const WIN_PLIES = 30000; // engine.h: ENGINE_WIN
  const MAX_BUSY_RETRIES = 12;
  const MAX_UNREACHABLE_RETRIES = 2;
  const SIDE_NAME = { X: 'X (black)', O: 'O (white)' };
  const RULE_NAME = { freestyle: 'freestyle', standard: 'exactly five', renju: 'renju' };

  const $ = (id) => document.getElementById(id);
  const el = {
    board: $('board'),
    status: $('status-text'),
    spinner: $('spinner'),
    alert: $('alert'),
    alertText: $('alert-text'),
    retry: $('retry'),
    aiInfo: $('ai-info'),
    announce: $('cursor-announce'),
    summary: $('summary'),
    undo: $('undo'),
    resign: $('resign'),
    download: $('download'),
    form: $('new-game'),
    moves: $('moves'),
  };

  // game: { human: 'X'|'O', size, rule, timeMs, level (1..10), record,
  //         resigned: null|'X'|'O' }
  let game = null;
  // Review (review.js): the number of moves shown, or null for the live game.
  let view = null;
  let cursor = { row: 7, col: 7 };
  let builtSize = 0;
  let layers = null;
  // Each request gets a token; anything that changes the game bumps it, so a
  // late answer (or a pending retry) for an older position is dropped.
  let requestToken = 0;
  let inFlight = null; // AbortController of the running fetch
  let thinking = false;
  let waitingForServer = false; // between retries of a busy or unreachable server
  let resignArmed = null; // timer while "Really resign?" is showing

  // ---- record helpers -------------------------------------------------------

  const other = (side) => (side === 'X' ? 'O' : 'X');
  const cellName = (row, col) => LETTERS[col] + (row + 1);

  // A move is {"X (human)": [row, col], ...info} or with a compact "H8".
  function parseMove(move) {
    if (!move || typeof move !== 'object') return null;
    for (const key of Object.keys(move)) {
      const m = /^([XO]) \((human|ai)\)$/i.exec(key);
      if (!m) continue;
      const value = move[key];
      let row;
      let col;
      if (Array.isArray(value) && value.length === 2) {
        [row, col] = value;
      } else if (typeof value === 'string') {
        const c = /^([A-Za-z])(\d+)$/.exec(value.trim());
        if (!c) return null;
        col = LETTERS.indexOf(c[1].toUpperCase());
        row = Number(c[2]) - 1;
      } else {
        return null;
      }
      if (!Number.isInteger(row) || !Number.isInteger(col)) return null;
      return { side: m[1].toUpperCase(), ai: m[2].toLowerCase() === 'ai', row, col, info: move };
    }
    return null;
  }

  // A level below 10 travels as the AI's "level", with a seed for the game:
  // the server mixes it with the move number, so the game varies from game
  // to game but a record replays (docs/api.md, "Levels").
  function newSeed() {
    const a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return (a[0] & 0x1fffff) * 2 ** 32 + a[1];
  }

  function newRecord(human, size, rule, timeMs, level = 10) {
    const player = (side) => {
      if (side === human) return { player: 'human' };
      const p = { player: 'AI', max_time_ms: timeMs };
      if (level < 10) p.level = level;
      return p;
    };
    const rec = { X: player('X'), O: player('O'), board_size: size, rule, moves: [], winner: 'none' };
    if (level < 10) rec.seed = newSeed();
    return rec;
  }

  function parsedMoves() {
    const all = game.record.moves.map(parseMove);
    return view === null ? all : all.slice(0, view);
  }

  function boardOf(moves, size) {
    const b = Array.from({ length: size }, () => Array(size).fill(''));
    for (const m of moves) {
      if (m && m.row >= 0 && m.row < size && m.col >= 0 && m.col < size) b[m.row][m.col] = m.side;
    }
    return b;
  }

  const sideToMove = () => (game.record.moves.length % 2 === 0 ? 'X' : 'O');
  const winner = () => (game.record.winner && game.record.winner !== 'none' ? game.record.winner : null);
  const isOver = () => Boolean(game.resigned || winner());

  // The server says who won; the page only finds where, to highlight it.
  // Freestyle: a run of five or more; standard: a run of exactly five.
  function winningLine(moves, size, rule, side) {
    const b = boardOf(moves, size);
    const exact = rule === 'standard' || (rule === 'renju' && side === 'X');
    const fits = (n) => (exact ? n === 5 : n >= 5);
    const runAt = (row, col, dr, dc) => {
      const cells = [[row, col]];
      for (const s of [1, -1]) {
        let r = row + s * dr;
        let c = col + s * dc;
        while (r >= 0 && r < size && c >= 0 && c < size && b[r][c] === side) {
          if (s === 1) cells.push([r, c]);
          else cells.unshift([r, c]);
          r += s * dr;
          c += s * dc;
        }
      }
      return cells;
    };
    // The winner's last stone completes the line; scan the rest only if a
    // record from elsewhere ended differently.
    const mine = moves.filter((m) => m && m.side === side).reverse();
    for (const m of mine) {
      for (const [dr, dc] of [[0, 1], [1, 0], [1, 1], [1, -1]]) {
        const run = runAt(m.row, m.col, dr, dc);
        if (fits(run.length)) return run;
      }
    }
    return null;
  }

  // ---- persistence -----------------------------------------------------------

  function save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ v: 1, ...game }));
    } catch (e) {
      // Private browsing or a full quota: the game still plays, it just
      // will not survive a reload.
    }
  }

  function load() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
    } catch (e) {
      return null;
    }
    if (!saved || saved.v !== 1 || !saved.record || !Array.isArray(saved.record.moves)) return null;
    const size = Number(saved.record.board_size || saved.size);
    if (!Number.isInteger(size) || size < 5 || size > 25) return null;
    if (saved.human !== 'X' && saved.human !== 'O') return null;
    if (saved.record.moves.some((m) => !parseMove(m))) return null;
    const level = Number(saved.level);
    return {
      human: saved.human,
      size,
      rule: RULE_NAME[saved.record.rule] ? saved.record.rule : 'freestyle',
      timeMs: Number(saved.timeMs) || 500,
      level: Number.isInteger(level) && level >= 1 && level <= 10 ? level : 10,
      record: saved.record,
      resigned: saved.resigned === 'X' || saved.resigned === 'O' ? saved.resigned : null,
    };
  }

  // ---- drawing ----------------------------------------------------------------

  function svg(name, attrs, parent) {
    const node = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  const px = (col) => MARGIN_LEFT + col * STEP;
  const py = (row) => MARGIN_TOP + row * STEP;

  function starPoints(size) {
    if (size < 9) return [];
    const edge = size >= 13 ? 3 : 2;
    const mid = (size - 1) / 2;
    const pts = [[edge, edge], [edge, size - 1 - edge], [size - 1 - edge, edge], [size - 1 - edge, size - 1 - edge]];
    if (Number.isInteger(mid)) {
      pts.push([mid, mid]);
      if (size >= 19) pts.push([edge, mid], [mid, edge], [mid, size - 1 - edge], [size - 1 - edge, mid]);
    }
    return pts;
  }

  // The static part of the board (grid, labels, hit targets) is built once
  // per size; stones and markers are redrawn on every change.
  function buildBoard(size) {
    const b = el.board;
    while (b.firstChild) b.removeChild(b.firstChild);
    const last = (size - 1) * STEP;
    const width = MARGIN_LEFT + last + MARGIN_END;
    const height = MARGIN_TOP + last + MARGIN_END;
    b.setAttribute('viewBox', `0 0 ${width} ${height}`);
    b.dataset.size = String(size);

    const defs = svg('defs', {}, b);
    const grad = (id, stops) => {
      const g = svg('radialGradient', { id, cx: '35%', cy: '30%', r: '70%' }, defs);
      for (const [offset, cls] of stops) svg('stop', { offset, class: cls }, g);
    };
    grad('stone-x', [['0%', 'gx0'], ['100%', 'gx1']]);
    grad('stone-o', [['0%', 'go0'], ['100%', 'go1']]);

    const deco = svg('g', { 'aria-hidden': 'true' }, b);
    svg('rect', { class: 'wood', x: 0, y: 0, width, height, rx: 6 }, deco);
    let d = '';
    for (let i = 0; i < size; i++) {
      d += `M${px(0)} ${py(i)}H${px(size - 1)}M${px(i)} ${py(0)}V${py(size - 1)}`;
    }
    svg('path', { class: 'grid', d }, deco);
    svg('rect', { class: 'grid-edge', x: px(0), y: py(0), width: last, height: last }, deco);
    for (const [r, c] of starPoints(size)) svg('circle', { class: 'star', cx: px(c), cy: py(r), r: 3.2 }, deco);
    for (let i = 0; i < size; i++) {
      const t = svg('text', { class: 'coord', x: px(i), y: 12 }, deco);
      t.textContent = LETTERS[i];
      const n = svg('text', { class: 'coord row', x: 14, y: py(i) }, deco);
      n.textContent = String(i + 1);
    }

    const stones = svg('g', { class: 'stones', 'aria-hidden': 'true' }, b);
    const marks = svg('g', { class: 'marks', 'aria-hidden': 'true' }, b);
    const ghost = svg('circle', { class: 'ghost', r: STONE_R, cx: -100, cy: -100 }, b);
    const cur = svg('rect', { class: 'cursor', width: STEP - 2, height: STEP - 2, rx: 5, x: -100, y: -100 }, b);
    // Transparent hit targets on top of everything, one per intersection, so
    // a tap anywhere in a cell's square counts and nothing intercepts it.
    const hits = svg('g', { class: 'hits', 'aria-hidden': 'true' }, b);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        svg('rect', {
          class: 'hit', x: px(c) - STEP / 2, y: py(r) - STEP / 2, width: STEP, height: STEP,
          'data-row': r, 'data-col': c, 'data-cell': cellName(r, c),
        }, hits);
      }
    }
    layers = { stones, marks, ghost, cursor: cur };
    builtSize = size;
  }

  function drawStones() {
    const { stones, marks } = layers;
    while (stones.firstChild) stones.removeChild(stones.firstChild);
    while (marks.firstChild) marks.removeChild(marks.firstChild);
    const moves = parsedMoves();
    const w = winner();
    const line = w === 'X' || w === 'O' ? winningLine(moves, game.size, game.rule, w) : null;
    const onLine = new Set((line || []).map(([r, c]) => `${r},${c}`));
    moves.forEach((m, i) => {
      const cls = `stone ${m.side.toLowerCase()}${onLine.has(`${m.row},${m.col}`) ? ' win' : ''}`;
      svg('circle', {
        class: cls, cx: px(m.col), cy: py(m.row), r: STONE_R,
        'data-cell': cellName(m.row, m.col), 'data-side': m.side, 'data-n': i + 1,
      }, stones);
      // Move numbers, shown when the board has the show-numbers class.
      const n = svg('text', { class: `num on-${m.side.toLowerCase()}`, x: px(m.col), y: py(m.row) }, stones);
      n.textContent = String(i + 1);
    });
    if (line) {
      const [a, z] = [line[0], line[line.length - 1]];
      svg('line', { class: 'win-line', x1: px(a[1]), y1: py(a[0]), x2: px(z[1]), y2: py(z[0]) }, marks);
    }
    drawForbidden(marks);
    const lastMove = moves[moves.length - 1];
    if (lastMove) {
      svg('circle', {
        class: `last-mark on-${lastMove.side.toLowerCase()}`, cx: px(lastMove.col), cy: py(lastMove.row), r: 4.5,
      }, marks);
    }
  }

  // ---- renju ------------------------------------------------------------------
  // The server judges renju (docs/api.md): with black to move its answer
  // lists the points black may not play ("forbidden") and why. The page
  // only shows that list; a record changed here (a move, an undo) drops it
  // until the next answer, and the server still refuses a forbidden move.

  function forbiddenPoints() {
    const r = game.record;
    if (game.rule !== 'renju' || isOver() || thinking || sideToMove() !== 'X') return [];
    if (!Array.isArray(r.forbidden) || !Array.isArray(r.forbidden_why)) return [];
    return r.forbidden
      .map((cell, i) => ({ ...(parseMove({ 'X (human)': cell }) || {}), why: r.forbidden_why[i] }))
      .filter((p) => Number.isInteger(p.row) && typeof p.why === 'string');
  }

  function drawForbidden(marks) {
    const k = 5.5;
    for (const p of forbiddenPoints()) {
      const x = px(p.col);
      const y = py(p.row);
      svg('path', {
        class: 'forbidden', d: `M${x - k} ${y - k}L${x + k} ${y + k}M${x + k} ${y - k}L${x - k} ${y + k}`,
        'data-cell': cellName(p.row, p.col), 'data-why': p.why,
      }, marks);
    }
  }

  function dropForbidden() {
    delete game.record.forbidden;
    delete game.record.forbidden_why;
  }

  // A click on a marked point explains instead of playing. True if it did.
  function explainForbidden(row, col) {
    const p = forbiddenPoints().find((f) => f.row === row && f.col === col);
    if (!p) return false;
    const text = `${cellName(row, col)} is forbidden to black under renju: ${p.why}.`;
    showAlert(text, { kind: 'forbidden' });
    el.announce.textContent = text;
    return true;
  }

  function showRuleNote(rule) {
    $('renju-note').hidden = rule !== 'renju';
  }

  function drawCursor() {
    layers.cursor.setAttribute('x', px(cursor.col) - (STEP - 2) / 2);
    layers.cursor.setAttribute('y', py(cursor.row) - (STEP - 2) / 2);
  }

  function formatSeconds(ms) {
    const s = Number(ms) / 1000;
    return `${s < 10 ? s.toFixed(2) : s.toFixed(1)}\u00a0s`; // no break before the unit
  }

  function aiMoveMeta(info) {
    const parts = [];
    if (Number.isFinite(info.time_ms)) parts.push(formatSeconds(info.time_ms));
    if (Number.isFinite(info.depth)) parts.push(`depth ${info.depth}`);
    return parts.join(' · ');
  }

  function describeScore(score) {
    if (!Number.isFinite(score)) return '';
    if (score >= WIN_SCORE) {
      const n = Math.ceil((WIN_PLIES - score + 1) / 2);
      return `sees a win in ${n} move${n === 1 ? '' : 's'}`;
    }
    if (score <= -WIN_SCORE) return 'expects to lose';
    return `eval ${score > 0 ? '+' : ''}${score}`;
  }

  function drawMoveList(moves) {
    const list = el.moves;
    while (list.firstChild) list.removeChild(list.firstChild);
    moves.forEach((m) => {
      const li = document.createElement('li');
      const dot = document.createElement('span');
      dot.className = `dot ${m.side.toLowerCase()}`;
      dot.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'mv';
      name.textContent = cellName(m.row, m.col);
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = m.ai ? `${m.side} AI` : `${m.side} you`;
      li.append(dot, name, who);
      if (m.ai) {
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = aiMoveMeta(m.info);
        li.append(meta);
      }
      li.dataset.cell = cellName(m.row, m.col);
      list.append(li);
    });
    list.scrollTop = list.scrollHeight;
  }

  function drawAiInfo(moves) {
    const lastAi = [...moves].reverse().find((m) => m.ai);
    if (!lastAi) {
      el.aiInfo.textContent = '';
      el.aiInfo.removeAttribute('title');
      return;
    }
    const i = lastAi.info;
    const parts = [`AI ${cellName(lastAi.row, lastAi.col)}`];
    if (Number.isFinite(i.time_ms)) parts.push(formatSeconds(i.time_ms));
    if (Number.isFinite(i.depth)) parts.push(`depth ${i.depth}`);
    if (Number.isFinite(i.nodes)) parts.push(`${i.nodes.toLocaleString('en')} nodes`);
    const s = describeScore(i.score);
    if (s) parts.push(s);
    el.aiInfo.textContent = parts.join(' · ');
    const pv = Array.isArray(i.pv) ? i.pv.join(' ') : typeof i.pv === 'string' ? i.pv : '';
    if (pv) el.aiInfo.title = `Expected continuation: ${pv} (evaluation from the AI's side)`;
    else el.aiInfo.removeAttribute('title');
  }

  function statusText() {
    const w = winner();
    if (game.resigned) return 'You resigned. The AI wins.';
    if (w === 'draw') return 'Draw: the board is full.';
    if (w === game.human) return 'You win: five in a row!';
    if (w) return 'The AI wins: five in a row.';
    if (view !== null) return `Reviewing: position after move ${view} of ${game.record.moves.length}.`;
    if (thinking) return waitingForServer ? 'Waiting for the server…' : 'AI is thinking…';
    if (sideToMove() === game.human) {
      const last = parsedMoves().pop();
      const prefix = last && last.ai ? `AI played ${cellName(last.row, last.col)}. ` : '';
      return `${prefix}Your move, ${SIDE_NAME[game.human]}.`;
    }
    return 'Waiting for the AI. Press Retry to ask again.';
  }

  function render() {
    if (builtSize !== game.size) buildBoard(game.size);
    const moves = parsedMoves();
    drawStones();
    drawCursor();
    drawMoveList(moves);
    drawAiInfo(moves);

    const over = isOver();
    const state = view !== null ? 'review' : over ? 'over' : thinking ? 'thinking'
      : sideToMove() === game.human ? 'human' : 'waiting';
    document.body.dataset.state = state;
    el.board.classList.toggle('thinking', thinking);
    el.board.classList.toggle('human-x', game.human === 'X');
    el.board.classList.toggle('human-o', game.human === 'O');
    el.board.classList.toggle('playable', state === 'human');
    el.board.setAttribute('aria-busy', thinking ? 'true' : 'false');
    el.spinner.hidden = !thinking;
    el.status.textContent = statusText();
    el.status.parentElement.classList.toggle('over', over);
    el.board.setAttribute(
      'aria-label',
      `Board, ${game.size} by ${game.size}, ${moves.length} stones. Cursor at ${cellName(cursor.row, cursor.col)}.`,
    );

    el.summary.textContent =
      `You: ${SIDE_NAME[game.human]} · ${game.size}×${game.size} · ` +
      `${RULE_NAME[game.rule]} · ` +
      `${game.level < 10 ? `level ${game.level}` : `AI thinks ${game.timeMs / 1000}\u00a0s`}`;
    el.undo.disabled = Boolean(game.resigned) || !moves.some((m) => m.side === game.human);
    el.resign.disabled = over;
    if (over) disarmResign();
    el.download.disabled = false;
    for (const hook of page.onRender) hook();
  }

  // ---- messages -----------------------------------------------------------------

  function showAlert(text, { retry = false, kind = 'error' } = {}) {
    el.alertText.textContent = text;
    el.alert.dataset.kind = kind;
    el.alert.hidden = false;
    el.retry.hidden = !retry;
  }

  function hideAlert() {
    el.alert.hidden = true;
    el.alertText.textContent = '';
    delete el.alert.dataset.kind;
  }

  // ---- talking to the server ---------------------------------------------------

  function cancelRequest() {
    requestToken++;
    if (inFlight) inFlight.abort();
    inFlight = null;
    thinking = false;
    waitingForServer = false;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Retry-After is either seconds or an HTTP date.
  function retryAfterSeconds(value) {
    if (!value) return 0;
    if (/^\s*\d+\s*$/.test(value)) return Number(value);
    const when = Date.parse(value);
    return Number.isNaN(when) ? 0 : Math.max(0, (when - Date.now()) / 1000);
  }

  // Exponential backoff with jitter, never sooner than the server asked: many
  // pages retrying in lockstep would keep a busy swarm busy.
  function backoffSeconds(attempt, retryAfter) {
    const base = Math.min(16, 2 ** (attempt - 1));
    const jittered = base * (1 + Math.random() * 0.3);
    // A minute at most: past that the user is better served by Retry now.
    return Math.max(1, Math.ceil(Math.min(60, Math.max(retryAfter, jittered))));
  }

  // The message is announced once; the seconds tick in a span of their own
  // that screen readers are told not to re-read every second.
  async function countdown(token, seconds, before, after, kind, now) {
    const tick = document.createElement('span');
    tick.setAttribute('aria-live', 'off');
    showAlert('', { kind, retry: true });
    el.alertText.append(before, tick, after);
    waitingForServer = true;
    render();
    for (let left = seconds; left > 0; left--) {
      if (token !== requestToken) return false;
      tick.textContent = String(left);
      await sleep(1000);
    }
    waitingForServer = false;
    if (token !== requestToken) return false;
    el.alertText.textContent = now;
    render();
    return true;
  }

  function requestBody() {
    // board_state is regenerated by the server and ignored on input.
    const { board_state: _unused, ...record } = game.record;
    return JSON.stringify(record);
  }

  async function askAI() {
    cancelRequest();
    const token = requestToken;
    const sent = game.record.moves.length;
    thinking = true;
    render();
    let busy = 0;
    let unreachable = 0;
    for (;;) {
      const controller = new AbortController();
      inFlight = controller;
      // Queueing plus thinking should never take this long; past it the
      // server or the network is stuck, and the user deserves to know.
      const timer = setTimeout(() => controller.abort(), game.timeMs + 60000);
      let res = null;
      let data = null;
      let failure = null;
      try {
        res = await fetch(PLAY_URL, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: requestBody(),
          cache: 'no-store',
          signal: controller.signal,
        });
        if (res.status !== 503) data = await res.json().catch(() => null);
      } catch (e) {
        failure = e;
      } finally {
        clearTimeout(timer);
      }
      if (token !== requestToken) return; // the game changed meanwhile
      inFlight = null;

      if (failure) {
        unreachable++;
        if (unreachable <= MAX_UNREACHABLE_RETRIES) {
          const wait = backoffSeconds(unreachable, 0);
          const ok = await countdown(token, wait, 'Cannot reach the server. Trying again in ',
            ' s…', 'unreachable-retry', 'Cannot reach the server. Trying again now…');
          if (!ok) return;
          continue;
        }
        thinking = false;
        showAlert('Cannot reach the server: it may be down or your connection lost. ' +
          'Your game is saved; press Retry when it is back.', { retry: true, kind: 'unreachable' });
        render();
        return;
      }

      if (res.status === 503) {
        busy++;
        if (busy > MAX_BUSY_RETRIES) {
          thinking = false;
          showAlert('The server is still busy. Your game is saved; press Retry to try again.',
            { retry: true, kind: 'busy' });
          render();
          return;
        }
        const wait = backoffSeconds(busy, retryAfterSeconds(res.headers.get('Retry-After')));
        const ok = await countdown(token, wait,
          'The server is busy (every AI thread is working). Retrying in ', ` s… (attempt ${busy})`, 'busy',
          `The server is busy (every AI thread is working). Retrying now… (attempt ${busy + 1})`);
        if (!ok) return;
        continue;
      }

      thinking = false;
      if (res.ok && data && Array.isArray(data.moves) && data.moves.length >= sent &&
          data.moves.every((m) => parseMove(m))) {
        hideAlert();
        game.record = data;
        save();
        render();
        return;
      }

      // A refusal: say what the server said. The move that was not answered
      // is taken back so the board shows a position the server accepts.
      const why = data && typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
      const field = data && typeof data.field === 'string' && data.field ? ` (${data.field})` : '';
      const moves = game.record.moves;
      const lastMove = parseMove(moves[moves.length - 1]);
      if (res.status >= 400 && res.status < 500 && lastMove && lastMove.side === game.human) {
        moves.pop();
        save();
      }
      showAlert(`The server refused the request: ${why}${field}.`,
        { retry: res.status >= 500, kind: 'error' });
      render();
      return;
    }
  }

  // ---- actions ------------------------------------------------------------------

  function place(row, col) {
    if (!game || isOver() || thinking || view !== null) return;
    if (sideToMove() !== game.human) return;
    if (row < 0 || col < 0 || row >= game.size || col >= game.size) return;
    if (boardOf(parsedMoves(), game.size)[row][col]) {
      el.announce.textContent = `${cellName(row, col)} is taken.`;
      return;
    }
    if (explainForbidden(row, col)) return;
    hideAlert();
    dropForbidden();
    game.record.moves.push({ [`${game.human} (human)`]: [row, col] });
    game.record.winner = 'none';
    save();
    // The server also judges the human's move: a winning move comes back
    // unchanged with "winner" set, and only then is the game over.
    askAI();
  }

  function undo() {
    if (!game || game.resigned) return;
    const moves = game.record.moves;
    if (!moves.some((m) => (parseMove(m) || {}).side === game.human)) return;
    cancelRequest();
    // Take back the AI's answer (if any) and the human move before it.
    while (moves.length) {
      const m = parseMove(moves.pop());
      if (m && m.side === game.human) break;
    }
    for (const m of moves) delete m.winner;
    game.record.winner = 'none';
    dropForbidden();
    hideAlert();
    save();
    render();
    el.announce.textContent = 'Took back the last move pair.';
  }

  function disarmResign() {
    if (resignArmed) clearTimeout(resignArmed);
    resignArmed = null;
    el.resign.textContent = 'Resign';
    el.resign.classList.remove('danger');
  }

  // Two clicks instead of a modal confirm(): nothing blocks the page.
  function resign() {
    if (!game || isOver()) return;
    if (!resignArmed) {
      el.resign.textContent = 'Really resign?';
      el.resign.classList.add('danger');
      resignArmed = setTimeout(disarmResign, 4000);
      return;
    }
    disarmResign();
    cancelRequest();
    game.resigned = game.human;
    hideAlert();
    save();
    render();
  }

  function download() {
    if (!game) return;
    const record = JSON.parse(JSON.stringify(game.record));
    if (game.resigned) {
      record.winner = other(game.resigned);
      record.resigned = game.resigned; // ours: the board alone cannot say it
    }
    const blob = new Blob([`${JSON.stringify(record, null, 2)}\n`], { type: 'application/json' });
    const stamp = new Date().toISOString().replace(/[:T]/g, '-').slice(0, 16);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `gomoku-${stamp}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function startGame(human, size, rule, timeMs, level = 10) {
    cancelRequest();
    disarmResign();
    hideAlert();
    view = null;
    game = {
      human, size, rule, timeMs, level, record: newRecord(human, size, rule, timeMs, level), resigned: null,
    };
    showRuleNote(rule);
    const mid = Math.floor(size / 2);
    cursor = { row: mid, col: mid };
    save();
    render();
    if (human === 'O') askAI();
  }

  function syncForm() {
    const f = el.form.elements;
    f.side.value = game.human;
    f.size.value = String(game.size);
    f.rule.value = game.rule;
    showRuleNote(game.rule);
    if ([...f.time.options].some((o) => o.value === String(game.timeMs))) f.time.value = String(game.timeMs);
    f.level.value = String(game.level);
  }

  // ---- input --------------------------------------------------------------------

  function announceCursor() {
    const b = boardOf(parsedMoves(), game.size);
    const v = b[cursor.row][cursor.col];
    el.announce.textContent = `${cellName(cursor.row, cursor.col)}, ${v ? SIDE_NAME[v] : 'empty'}`;
  }

  el.board.addEventListener('click', (e) => {
    const hit = e.target.closest && e.target.closest('[data-row]');
    if (!hit) return;
    const row = Number(hit.dataset.row);
    const col = Number(hit.dataset.col);
    cursor = { row, col };
    el.board.classList.remove('keyboard');
    place(row, col);
    drawCursor();
  });

  el.board.addEventListener('pointerover', (e) => {
    const hit = e.target.closest && e.target.closest('[data-row]');
    if (!hit || !layers) return;
    layers.ghost.setAttribute('cx', px(Number(hit.dataset.col)));
    layers.ghost.setAttribute('cy', py(Number(hit.dataset.row)));
  });
  el.board.addEventListener('pointerleave', () => {
    if (layers) layers.ghost.setAttribute('cx', -100);
  });

  el.board.addEventListener('keydown', (e) => {
    if (!game) return;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const n = game.size - 1;
    if (moves[e.key]) {
      const [dr, dc] = moves[e.key];
      cursor = {
        row: Math.min(n, Math.max(0, cursor.row + dr)),
        col: Math.min(n, Math.max(0, cursor.col + dc)),
      };
    } else if (e.key === 'Home') {
      cursor = { row: cursor.row, col: 0 };
    } else if (e.key === 'End') {
      cursor = { row: cursor.row, col: n };
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      el.board.classList.add('keyboard');
      place(cursor.row, cursor.col);
      return;
    } else {
      return;
    }
    e.preventDefault();
    el.board.classList.add('keyboard');
    drawCursor();
    announceCursor();
  });

  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = el.form.elements;
    startGame(f.side.value === 'O' ? 'O' : 'X', Number(f.size.value), f.rule.value, Number(f.time.value),
      Number(f.level.value));
    // On a phone the form sits below the board: bring the new board back.
    const area = el.board.closest('.board-area');
    if (area.getBoundingClientRect().top < 0) area.scrollIntoView({ block: 'start' });
    el.board.focus({ preventScroll: true });
  });
  el.form.elements.rule.addEventListener('change', (e) => showRuleNote(e.target.value));
  el.undo.addEventListener('click', undo);
  el.resign.addEventListener('click', resign);
  el.download.addEventListener('click', download);
  el.retry.addEventListener('click', () => {
    if (game && !isOver() && sideToMove() !== game.human) askAI();
  });

  // Another tab playing the same stored game: follow it rather than fight it.
  window.addEventListener('storage', (e) => {
    if (e.key !== STORE_KEY) return;
    const g = load();
    if (!g) return;
    cancelRequest();
    game = g;
    syncForm();
    render();
  });

  // ---- the interface of review.js (hint, analysis, review, import, share) ------

  // Replaces the game by g (an imported record, or the game cut at a
  // reviewed position) and lets the AI move if it is its turn.
  function replaceGame(g) {
    cancelRequest();
    disarmResign();
    hideAlert();
    view = null;
    game = g;
    const last = parseMove(game.record.moves[game.record.moves.length - 1]);
    const mid = Math.floor(game.size / 2);
    cursor = last ? { row: last.row, col: last.col } : { row: mid, col: mid };
    save();
    syncForm();
    render();
    if (!isOver() && sideToMove() !== game.human) askAI();
  }

  const page = {
    onRender: [],
    game: () => game,
    view: () => view,
    setView(k) {
      view = k === null ? null : Math.max(0, Math.min(game.record.moves.length, k));
      render();
    },
    thinking: () => thinking,
    isOver,
    parseMove,
    cellName,
    svg,
    px,
    py,
    STONE_R,
    LETTERS,
    board: () => el.board,
    render,
    replaceGame,
    newRecord,
    requestBody,
  };
  window.gomokuPage = page;

  // ---- start --------------------------------------------------------------------

  game = load();
  if (game) {
    const last = parseMove(game.record.moves[game.record.moves.length - 1]);
    if (last) cursor = { row: last.row, col: last.col };
    syncForm();
    render();
    // Reloaded while the AI was thinking: ask again, the record has it all.
    if (!isOver() && sideToMove() !== game.human) askAI();
  } else {
    const f = el.form.elements;
    startGame('X', Number(f.size.value), f.rule.value, Number(f.time.value), Number(f.level.value));
  }
  document.dispatchEvent(new Event('gomoku-page-ready'));
})();
