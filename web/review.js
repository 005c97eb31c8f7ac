// The play page's study tools, on top of app.js (window.gomokuPage): a hint,
// the analysis (evaluation bar, the best moves marked, their continuation
// on hover), the review of the game (step through it, an evaluation chart
// computed move by move, the biggest mistakes, play from here), move
// numbers, import and a share link. Everything comes from
// POST gomoku/analyze (docs/api.md); nothing is kept on the server.
'use strict';

(() => {
  const page = window.gomokuPage;
  if (!page) return;
  const ANALYZE_URL = 'gomoku/analyze';
  // Depth limits with a node budget and no time: the answers are
  // deterministic and quick (the node budget only bounds a rare long
  // search). Every ranked move is searched to the same depth, so their
  // scores compare (the engine's score swings between odd and even depths).
  const HINT = { depth: 8, nodes: 400000 };
  const ANALYSIS = { depth: 6, nodes: 400000 };
  const REVIEW = { depth: 4, nodes: 150000 };
  const REVIEW_TOP = 5; // moves ranked per position, to price the move played
  const CHART_CAP = 1000; // scores beyond are drawn at the edge; mates at it
  const MISTAKE_MIN = 150; // a loss of evaluation that counts as a mistake
  const WIN_SCORE = 29000;

  const $ = (id) => document.getElementById(id);
  const el = {
    hint: $('hint'),
    hintText: $('hint-text'),
    analysisToggle: $('analysis-toggle'),
    numbersToggle: $('numbers-toggle'),
    analysis: $('analysis'),
    analysisStatus: $('analysis-status'),
    topMoves: $('top-moves'),
    evalBar: $('eval-bar'),
    evalText: $('eval-text'),
    reviewOpen: $('review-open'),
    review: $('review'),
    slider: $('review-slider'),
    first: $('review-first'),
    prev: $('review-prev'),
    next: $('review-next'),
    last: $('review-last'),
    position: $('review-position'),
    chart: $('chart'),
    progress: $('review-progress'),
    mistakes: $('mistakes'),
    playHere: $('play-here'),
    reviewClose: $('review-close'),
    importText: $('import-text'),
    importFile: $('import-file'),
    importGo: $('import-go'),
    importStatus: $('import-status'),
    share: $('share'),
    shareLink: $('share-link'),
  };
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const other = (side) => (side === 'X' ? 'O' : 'X');

  // ---- the analyze request --------------------------------------------------

  // The record cut to the first n moves, with the side to move's budget
  // replaced by a node budget (no clock: the same position always gets the
  // same answer).
  function analysisRecord(n, budget, top) {
    const record = JSON.parse(page.requestBody());
    record.moves = record.moves.slice(0, n);
    for (const m of record.moves) delete m.winner;
    record.winner = 'none';
    const side = n % 2 === 0 ? 'X' : 'O';
    const p = { player: record[side].player, depth: budget.depth, nodes: budget.nodes };
    record[side] = p;
    const o = record[other(side)];
    record[other(side)] = { player: o.player };
    record.top = top;
    return record;
  }

  async function analyze(n, budget, top, signal) {
    const res = await fetch(ANALYZE_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(analysisRecord(n, budget, top)),
      cache: 'no-store',
      signal,
    });
    const data = await res.json().catch(() => null);
    if (!res.ok || !data || !data.analysis) {
      const why = data && data.error ? data.error : `HTTP ${res.status}`;
      throw new Error(res.status === 503 ? 'the server is busy; try again in a moment' : why);
    }
    return data.analysis;
  }

  function cellOf(value) {
    const m = page.parseMove({ 'X (human)': value });
    return m ? { row: m.row, col: m.col, name: page.cellName(m.row, m.col) } : null;
  }

  function describe(score, proven) {
    if (proven && proven !== 'none') return proven;
    if (Math.abs(score) >= WIN_SCORE) return score > 0 ? 'winning' : 'losing';
    return (score > 0 ? '+' : '') + String(score);
  }

  // Scores in X's view, for the bar and the chart.
  const forX = (toMove, score) => (toMove === 'X' ? score : -score);

  // ---- marks on the board -----------------------------------------------------

  // Our own layer, just under the click targets (which stay on top).
  function layer(cls) {
    const board = page.board();
    let g = board.querySelector(`g.${cls}`);
    if (!g) {
      g = document.createElementNS(SVG_NS, 'g');
      g.setAttribute('class', cls);
      g.setAttribute('aria-hidden', 'true');
      board.insertBefore(g, board.querySelector('g.hits'));
    }
    return g;
  }

  function clear(g) {
    while (g.firstChild) g.removeChild(g.firstChild);
  }

  function markCell(g, cell, cls, label) {
    page.svg('circle', { class: cls, cx: page.px(cell.col), cy: page.py(cell.row), r: page.STONE_R - 2,
      'data-cell': cell.name }, g);
    if (label) {
      const t = page.svg('text', { class: `${cls.split(' ')[0]}-label`, x: page.px(cell.col), y: page.py(cell.row) }, g);
      t.textContent = label;
    }
  }

  // ---- hint -------------------------------------------------------------------

  let hintToken = 0;
  let hintAt = -1; // the position (move count) the hint mark belongs to

  async function hint() {
    const g = page.game();
    if (!g || page.isOver() || page.thinking() || page.view() !== null) return;
    const n = g.record.moves.length;
    if ((n % 2 === 0 ? 'X' : 'O') !== g.human) return;
    const token = ++hintToken;
    el.hintText.textContent = 'Looking for a good move…';
    try {
      const a = await analyze(n, HINT, 1);
      if (token !== hintToken || page.game().record.moves.length !== n) return;
      const best = a.moves[0] && cellOf(a.moves[0].move);
      if (!best) {
        el.hintText.textContent = 'No hint: the game is over.';
        return;
      }
      hintAt = n;
      el.hintText.textContent = `Hint: ${best.name} (${describe(a.moves[0].score, a.proven)}).`;
      const layerHint = layer('hint-layer');
      clear(layerHint);
      markCell(layerHint, best, 'hint-mark', '?');
    } catch (e) {
      if (token === hintToken) el.hintText.textContent = `No hint: ${e.message}.`;
    }
  }

  // ---- analysis -----------------------------------------------------------------

  let analysisKey = '';
  let analysisAbort = null;
  let lastAnalysis = null;

  function positionKey() {
    const g = page.game();
    const n = page.view() === null ? g.record.moves.length : page.view();
    const last = g.record.moves[n - 1];
    return `${g.size}:${g.rule}:${n}:${last ? JSON.stringify(page.parseMove(last)) : ''}`;
  }

  function drawBar(a) {
    const n = a ? a.moves : [];
    let px = 0.5;
    let text = '';
    if (a && a.winner && a.winner !== 'none') {
      px = a.winner === 'X' ? 1 : a.winner === 'O' ? 0 : 0.5;
      text = a.winner === 'draw' ? 'draw' : `${a.winner} won`;
    } else if (n.length) {
      const p = n[0].win_probability;
      px = a.to_move === 'X' ? p : 1 - p;
      const s = forX(a.to_move, n[0].score);
      text = a.proven !== 'none' ? `${a.to_move} ${a.proven}` : `${s > 0 ? '+' : ''}${s}`;
    }
    el.evalBar.style.setProperty('--x-share', `${Math.round(px * 100)}%`);
    el.evalBar.setAttribute('aria-valuenow', String(Math.round(px * 100)));
    el.evalBar.setAttribute('aria-valuetext', `X ${Math.round(px * 100)}%, ${text}`);
    el.evalBar.dataset.x = String(px);
    el.evalText.textContent = text;
  }

  function drawTopMoves(a) {
    const marks = layer('analysis-layer');
    clear(marks);
    clear(el.topMoves);
    clear(layer('pv-layer'));
    if (!a) return;
    a.moves.forEach((m, i) => {
      const cell = cellOf(m.move);
      if (!cell) return;
      markCell(marks, cell, `top-move rank-${i + 1}`, String(i + 1));
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'top-move-item';
      b.dataset.cell = cell.name;
      const pv = m.pv.map((c) => (cellOf(c) || {}).name).filter(Boolean);
      b.textContent = `${cell.name}: ${describe(m.score, i === 0 ? a.proven : 'none')} ` +
        `(${Math.round(m.win_probability * 100)}%, depth ${m.depth})`;
      b.title = `Continuation: ${pv.join(' ')}`;
      b.addEventListener('mouseenter', () => showPv(m));
      b.addEventListener('focus', () => showPv(m));
      b.addEventListener('mouseleave', hidePv);
      b.addEventListener('blur', hidePv);
      li.append(b);
      el.topMoves.append(li);
    });
  }

  // The continuation as numbered ghost stones.
  function showPv(line) {
    const g = layer('pv-layer');
    clear(g);
    const toMove = lastAnalysis ? lastAnalysis.to_move : 'X';
    line.pv.forEach((c, i) => {
      const cell = cellOf(c);
      if (!cell) return;
      const side = i % 2 === 0 ? toMove : other(toMove);
      page.svg('circle', { class: `pv-stone ${side.toLowerCase()}`, cx: page.px(cell.col), cy: page.py(cell.row),
        r: page.STONE_R, 'data-cell': cell.name }, g);
      const t = page.svg('text', { class: `pv-num on-${side.toLowerCase()}`, x: page.px(cell.col),
        y: page.py(cell.row) }, g);
      t.textContent = String(i + 1);
    });
    document.body.dataset.pv = String(line.pv.length);
  }

  function hidePv() {
    clear(layer('pv-layer'));
    delete document.body.dataset.pv;
  }

  async function refreshAnalysis() {
    if (!el.analysisToggle.checked) return;
    const g = page.game();
    if (!g || page.thinking()) return;
    const key = positionKey();
    if (key === analysisKey) return;
    analysisKey = key;
    if (analysisAbort) analysisAbort.abort();
    const controller = new AbortController();
    analysisAbort = controller;
    const n = page.view() === null ? g.record.moves.length : page.view();
    el.analysisStatus.textContent = 'Analysing…';
    el.analysis.dataset.state = 'busy';
    try {
      const a = await analyze(n, ANALYSIS, 3, controller.signal);
      if (controller !== analysisAbort) return;
      lastAnalysis = a;
      drawBar(a);
      drawTopMoves(a);
      el.analysisStatus.textContent = a.winner !== 'none' ? 'The game is over.'
        : `${a.to_move} to move · depth ${a.depth} · ${a.proven === 'none' ? 'nothing proven' : a.proven}`;
      el.analysis.dataset.state = 'done';
    } catch (e) {
      if (controller !== analysisAbort || e.name === 'AbortError') return;
      analysisKey = '';
      el.analysisStatus.textContent = `Analysis unavailable: ${e.message}.`;
      el.analysis.dataset.state = 'error';
    }
  }

  function setAnalysis(on) {
    el.analysis.hidden = !on;
    el.evalBar.hidden = !on;
    document.body.classList.toggle('analysing', on);
    analysisKey = '';
    if (!on) {
      if (analysisAbort) analysisAbort.abort();
      analysisAbort = null;
      lastAnalysis = null;
      drawTopMoves(null);
    }
    refreshAnalysis();
  }

  // ---- review -------------------------------------------------------------------

  // After k moves: raw[k] the best score in X's view (undefined until
  // computed), cost[k + 1] what the move played there lost, from the mover's
  // view, against the best move of the same search.
  let raw = [];
  let cost = [];
  let reviewToken = 0;

  function reviewLength() {
    return page.game().record.moves.length;
  }

  function goTo(k) {
    if (el.review.hidden) return;
    const n = reviewLength();
    const v = Math.max(0, Math.min(n, k));
    page.setView(v);
    el.slider.value = String(v);
  }

  function drawChart() {
    const svg = el.chart;
    clear(svg);
    const n = reviewLength();
    const w = 300;
    const h = 100;
    const x = (k) => (n ? (k / n) * w : 0);
    const y = (s) => h / 2 - (Math.max(-CHART_CAP, Math.min(CHART_CAP, s)) / CHART_CAP) * (h / 2 - 4);
    page.svg('line', { class: 'chart-axis', x1: 0, y1: h / 2, x2: w, y2: h / 2 }, svg);
    const pts = [];
    for (let k = 0; k <= n; k++) if (chartValue(k) !== undefined) pts.push(`${x(k).toFixed(1)},${y(chartValue(k)).toFixed(1)}`);
    if (pts.length) page.svg('polyline', { class: 'chart-line', points: pts.join(' ') }, svg);
    for (const m of mistakes()) {
      const v = chartValue(m.k);
      if (v === undefined) continue;
      page.svg('circle', { class: 'chart-mistake', cx: x(m.k), cy: y(v), r: 3.5, 'data-move': m.k }, svg);
    }
    const v = page.view() === null ? n : page.view();
    page.svg('line', { class: 'chart-now', x1: x(v), y1: 0, x2: x(v), y2: h }, svg);
    svg.dataset.points = String(pts.length);
  }

  // The engine's score favours the side to move, so consecutive positions
  // alternate; the chart shows the mean of each position and the one before
  // (the two sides' views), which cancels that bonus. A decided position is
  // drawn at the edge.
  function chartValue(k) {
    if (raw[k] === undefined) return undefined;
    if (k === 0 || Math.abs(raw[k]) >= CHART_CAP || raw[k - 1] === undefined) return raw[k];
    return Math.abs(raw[k - 1]) >= CHART_CAP ? raw[k] : (raw[k] + raw[k - 1]) / 2;
  }

  // The three costliest moves, at least MISTAKE_MIN each.
  function mistakes() {
    const out = [];
    cost.forEach((loss, k) => {
      if (loss >= MISTAKE_MIN) out.push({ k, side: k % 2 === 1 ? 'X' : 'O', loss });
    });
    return out.sort((a, b) => b.loss - a.loss).slice(0, 3).sort((a, b) => a.k - b.k);
  }

  // What the move played at position k cost against the best one, both
  // from the multi-PV ranking of that position (the same search, so the
  // side-to-move bonus cancels). A move outside the ranking cost at least
  // the gap to the last ranked move; outside a short ranking (the only
  // moves that hold against a five or a winning threat) it lost the game.
  function moveCost(a, played) {
    if (!a.moves.length) return 0;
    const best = a.moves[0].score;
    if (best <= -WIN_SCORE) return 0; // lost whatever was played
    const i = a.moves.findIndex((m) => {
      const c = cellOf(m.move);
      return c && c.row === played.row && c.col === played.col;
    });
    if (i >= 0) return Math.min(CHART_CAP, best - a.moves[i].score);
    if (a.moves.length < REVIEW_TOP) return CHART_CAP;
    return Math.min(CHART_CAP, best - a.moves[a.moves.length - 1].score);
  }

  function drawMistakes() {
    clear(el.mistakes);
    const moves = page.game().record.moves;
    for (const m of mistakes()) {
      const mv = page.parseMove(moves[m.k - 1]);
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'mistake';
      b.dataset.move = String(m.k);
      const lost = m.loss >= WIN_SCORE ? 'a won game' : m.loss >= CHART_CAP ? 'the game' : `${Math.round(m.loss)}`;
      b.textContent = `Move ${m.k}, ${m.side} ${mv ? page.cellName(mv.row, mv.col) : ''}: lost ${lost}`;
      b.addEventListener('click', () => goTo(m.k - 1));
      li.append(b);
      el.mistakes.append(li);
    }
  }

  function showPosition() {
    if (el.review.hidden) return;
    const n = reviewLength();
    const v = page.view() === null ? n : page.view();
    el.slider.max = String(n);
    el.slider.value = String(v);
    const mv = v > 0 ? page.parseMove(page.game().record.moves[v - 1]) : null;
    el.position.textContent = v === 0 ? `Start (0 of ${n})`
      : `Move ${v} of ${n}: ${mv.side} ${page.cellName(mv.row, mv.col)}`;
    el.prev.disabled = el.first.disabled = v === 0;
    el.next.disabled = el.last.disabled = v === n;
    drawChart();
  }

  async function computeEvals(token) {
    const g = page.game();
    const n = g.record.moves.length;
    const moves = g.record.moves.map(page.parseMove);
    raw = [];
    cost = [];
    const ranked = [];
    for (let k = 0; k <= n; k++) {
      if (token !== reviewToken) return;
      el.progress.textContent = `Evaluating the game: position ${k} of ${n}…`;
      el.review.dataset.progress = String(Math.max(0, k - 1));
      let a = null;
      for (let attempt = 0; attempt < 4 && !a; attempt++) {
        try {
          a = await analyze(k, REVIEW, k < n ? REVIEW_TOP : 1);
        } catch (e) {
          await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
        }
      }
      if (token !== reviewToken) return;
      if (!a) {
        el.progress.textContent = `Stopped at position ${k}: the server did not answer.`;
        return;
      }
      if (a.winner === 'X' || a.winner === 'O') raw[k] = a.winner === 'X' ? CHART_CAP : -CHART_CAP;
      else if (!a.moves.length) raw[k] = 0;
      else raw[k] = Math.max(-CHART_CAP, Math.min(CHART_CAP, forX(a.to_move, a.moves[0].score)));
      ranked[k] = a;
      drawChart();
    }
    // The first move on an empty board is not priced (the engine answers
    // the centre there without searching), nor a move after which its
    // player is proven winning (another way to win costs nothing).
    for (let k = 1; k < n; k++) {
      const mover = k % 2 === 0 ? 1 : -1; // X moves at even k
      cost[k + 1] = mover * raw[k + 1] >= CHART_CAP ? 0 : moveCost(ranked[k], moves[k]);
    }
    el.review.dataset.progress = String(n);
    el.progress.textContent = `Evaluated all ${n} moves.`;
    drawMistakes();
    drawChart();
  }

  function openReview() {
    const g = page.game();
    if (!g) return;
    el.review.hidden = false;
    document.body.classList.add('reviewing');
    raw = [];
    cost = [];
    clear(el.mistakes);
    const token = ++reviewToken;
    page.setView(g.record.moves.length);
    showPosition();
    el.slider.focus();
    computeEvals(token);
  }

  function closeReview() {
    reviewToken++;
    el.review.hidden = true;
    document.body.classList.remove('reviewing');
    delete el.review.dataset.progress;
    page.setView(null);
  }

  function playFromHere() {
    const g = page.game();
    const v = page.view() === null ? g.record.moves.length : page.view();
    reviewToken++;
    el.review.hidden = true;
    document.body.classList.remove('reviewing');
    const record = JSON.parse(JSON.stringify(g.record));
    record.moves = record.moves.slice(0, v);
    for (const m of record.moves) delete m.winner;
    record.winner = 'none';
    page.replaceGame({ ...g, record, resigned: null });
  }

  // ---- import and share ---------------------------------------------------------

  // A record from a file, a paste or a link: the human is the side named
  // "human" (X when both or neither are); level and time come from the AI.
  function gameFromRecord(record) {
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error('not a game record');
    if (record.v === 1 && record.record) record = record.record; // the page's own saved form
    const moves = Array.isArray(record.moves) ? record.moves : [];
    const size = record.board_size === undefined ? 19 : Number(record.board_size);
    if (!Number.isInteger(size) || size < 5 || size > 25) throw new Error('board_size must be 5..25');
    const parsed = moves.map(page.parseMove);
    parsed.forEach((m, i) => {
      if (!m) throw new Error(`moves[${i}] is not a move`);
      if (m.side !== (i % 2 === 0 ? 'X' : 'O')) throw new Error(`moves[${i}] is out of turn`);
      if (m.row < 0 || m.col < 0 || m.row >= size || m.col >= size) throw new Error(`moves[${i}] is off the board`);
    });
    const kind = (s) => String((record[s] || {}).player || '').toLowerCase();
    const human = kind('X') === 'human' && kind('O') !== 'human' ? 'X'
      : kind('O') === 'human' && kind('X') !== 'human' ? 'O' : 'X';
    const ai = other(human);
    const aiPlayer = record[ai] && typeof record[ai] === 'object' ? record[ai] : {};
    const level = Number.isInteger(aiPlayer.level) && aiPlayer.level >= 1 && aiPlayer.level <= 10 ? aiPlayer.level : 10;
    const timeMs = Number.isFinite(aiPlayer.max_time_ms) ? aiPlayer.max_time_ms : 500;
    const rule = record.rule === 'standard' || record.rule === 'renju' ? record.rule : 'freestyle';
    const fresh = page.newRecord(human, size, rule, timeMs, level);
    if (Number.isInteger(record.seed)) fresh.seed = record.seed;
    // Each move under the key of its side as the new players see it.
    fresh.moves = parsed.map((m) => ({ [`${m.side} (${m.side === human ? 'human' : 'AI'})`]: [m.row, m.col] }));
    const w = record.winner;
    fresh.winner = w === 'X' || w === 'O' || w === 'draw' ? w : 'none';
    return { human, size, rule, timeMs, level, record: fresh, resigned: null };
  }

  async function importRecord(text, source) {
    let g;
    try {
      g = gameFromRecord(JSON.parse(text));
    } catch (e) {
      el.importStatus.textContent = `Cannot import ${source}: ${e.message}.`;
      el.importStatus.dataset.state = 'error';
      return false;
    }
    if (!el.review.hidden) closeReview();
    page.replaceGame(g);
    el.importStatus.textContent = `Imported ${g.record.moves.length} moves from ${source}.`;
    el.importStatus.dataset.state = 'done';
    return true;
  }

  const toBase64Url = (text) => btoa(unescape(encodeURIComponent(text)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const fromBase64Url = (text) => decodeURIComponent(escape(atob(text.replace(/-/g, '+').replace(/_/g, '/'))));

  function shareLink() {
    const record = JSON.parse(page.requestBody());
    // Compact cells keep the link short.
    record.moves = record.moves.map((m) => {
      const p = page.parseMove(m);
      return { [`${p.side} (${p.ai ? 'AI' : 'human'})`]: page.cellName(p.row, p.col) };
    });
    const url = `${location.origin}${location.pathname}#game=${toBase64Url(JSON.stringify(record))}`;
    el.shareLink.hidden = false;
    el.shareLink.value = url;
    el.shareLink.select();
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).catch(() => {});
    el.importStatus.textContent = 'Link ready: it carries the whole game (nothing is stored on the server).';
    return url;
  }

  async function fromFragment() {
    const m = /^#game=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (!m) return;
    let text;
    try {
      text = fromBase64Url(m[1]);
    } catch (e) {
      el.importStatus.textContent = 'The link is damaged: it does not hold a game.';
      return;
    }
    const ok = await importRecord(text, 'the link');
    if (ok) history.replaceState(null, '', location.pathname + location.search);
    $('import-box').open = true;
  }

  // ---- wiring ---------------------------------------------------------------------

  el.hint.addEventListener('click', hint);
  el.analysisToggle.addEventListener('change', () => setAnalysis(el.analysisToggle.checked));
  el.numbersToggle.addEventListener('change', () => {
    page.board().classList.toggle('show-numbers', el.numbersToggle.checked);
  });
  el.reviewOpen.addEventListener('click', openReview);
  el.reviewClose.addEventListener('click', closeReview);
  el.playHere.addEventListener('click', playFromHere);
  el.slider.addEventListener('input', () => goTo(Number(el.slider.value)));
  el.first.addEventListener('click', () => goTo(0));
  el.prev.addEventListener('click', () => goTo(page.view() - 1));
  el.next.addEventListener('click', () => goTo(page.view() + 1));
  el.last.addEventListener('click', () => goTo(reviewLength()));
  // Arrow keys step through the game anywhere but in a text field or on
  // the slider (which steps by itself).
  document.addEventListener('keydown', (e) => {
    if (el.review.hidden) return;
    const t = e.target;
    if (t === el.slider || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const steps = { ArrowLeft: -1, ArrowRight: 1 };
    if (e.key in steps) goTo(page.view() + steps[e.key]);
    else if (e.key === 'Home') goTo(0);
    else if (e.key === 'End') goTo(reviewLength());
    else if (e.key === 'Escape') closeReview();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }, true);
  el.importGo.addEventListener('click', () => importRecord(el.importText.value, 'the pasted text'));
  el.importFile.addEventListener('change', async () => {
    const f = el.importFile.files && el.importFile.files[0];
    if (f) await importRecord(await f.text(), f.name);
    el.importFile.value = '';
  });
  el.share.addEventListener('click', shareLink);
  window.addEventListener('hashchange', fromFragment);

  page.onRender.push(() => {
    const g = page.game();
    // A hint belongs to one position.
    if (hintAt !== g.record.moves.length || page.view() !== null) {
      clear(layer('hint-layer'));
      if (hintAt !== -1 && hintAt !== g.record.moves.length) el.hintText.textContent = '';
      hintAt = page.view() === null ? hintAt : -1;
    }
    const humanToMove = (g.record.moves.length % 2 === 0 ? 'X' : 'O') === g.human;
    el.hint.disabled = page.isOver() || page.thinking() || page.view() !== null || !humanToMove;
    el.reviewOpen.disabled = page.thinking() || !el.review.hidden;
    if (el.analysisToggle.checked) {
      if (positionKey() !== analysisKey) {
        drawTopMoves(null);
      }
      refreshAnalysis();
    }
    showPosition();
  });

  page.render();
  fromFragment();
})();
