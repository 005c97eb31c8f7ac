// Browser test of the play page: Debian's Chromium, driven by playwright-core,
// against the real gomoku-httpd on a free loopback port. Run by ctest
// (browser/play) or by hand: node --test tests/browser/play.test.mjs
//
// Environment: GOMOKU_BIN_DIR (default <repo>/bin) holds gomoku-httpd;
// screenshots and the daemon's log go to $GOMOKU_BUILD_DIR/test-artifacts
// (default <repo>/build/test-artifacts). CHROMIUM overrides /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const binDir = process.env.GOMOKU_BIN_DIR || path.join(repo, 'bin');
const buildDir = process.env.GOMOKU_BUILD_DIR || path.join(repo, 'build');
const artifacts = path.join(buildDir, 'test-artifacts');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const STORE_KEY = 'gomoku-httpd.game.v1';

fs.mkdirSync(artifacts, { recursive: true });

let daemon = null;
let daemonExit = null;
let base = '';
let browser = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(url, proc, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return false;
}

// One search thread and a queue of one: two long searches fill the daemon,
// so the busy test can get a real 503 from a full queue.
async function startDaemon() {
  const exe = path.join(binDir, 'gomoku-httpd');
  assert.ok(fs.existsSync(exe), `${exe} is missing: build gomoku-httpd first`);
  const log = fs.openSync(path.join(artifacts, 'browser-gomoku-httpd.log'), 'w');
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn(exe, ['--bind', `127.0.0.1:${port}`, '-t', '1', '-q', '1'], {
      stdio: ['ignore', log, log],
    });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const url = `http://127.0.0.1:${port}`;
    if (await waitForHealth(url, proc, 10000)) {
      daemon = proc;
      daemonExit = exited;
      base = url;
      return;
    }
    // Lost the race for the port (or failed to start): try another one.
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
  }
  assert.fail('gomoku-httpd did not become healthy; see test-artifacts/browser-gomoku-httpd.log');
}

before(async () => {
  await startDaemon();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // playwright-core gives each launch a fresh, empty profile directory.
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (daemon) {
    daemon.kill('SIGTERM');
    let timer;
    const { code, signal } = await Promise.race([
      daemonExit,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve({ code: null, signal: 'timeout' }), 20000);
      }),
    ]);
    clearTimeout(timer); // a pending timer would hold node's exit for 20 s
    if (signal === 'timeout') daemon.kill('SIGKILL');
    assert.equal(signal, null, `gomoku-httpd ended by ${signal} instead of exiting`);
    assert.equal(code, 0, 'gomoku-httpd exit status after SIGTERM');
  }
});

// A fresh context per test (own localStorage) that fails the test on any
// request leaving the daemon, on a script error or on a CSP violation.
async function openPage(t, { viewport = { width: 1280, height: 860 }, state = null } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(`${base}/`) && !u.startsWith('blob:') && !u.startsWith('data:')) {
      problems.push(`external request: ${u}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 503 or an aborted fetch is logged by Chromium itself; that is the
    // scenario under test, not a page bug.
    if (m.type() === 'error' && !/Failed to load resource|net::ERR_/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  if (state) {
    await context.addInitScript(([key, value]) => {
      // Only on the first load: a later reload must see what the page saved.
      // (about:blank has no storage: skip it.)
      try {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem(key, value);
          sessionStorage.setItem('seeded', '1');
        }
      } catch {
        // no storage on this document
      }
    }, [STORE_KEY, JSON.stringify(state)]);
  }
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], 'the page stayed on its own origin without errors');
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('#board .hit');
  return page;
}

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `browser-${name}.png`), fullPage: true });
const stoneCount = (page) => page.locator('#board .stone').count();
const waitStones = (page, n, timeout = 30000) =>
  page.waitForFunction((k) => document.querySelectorAll('#board .stone').length === k, n, { timeout });
const waitState = (page, s, timeout = 30000) =>
  page.waitForFunction((k) => document.body.dataset.state === k, s, { timeout });

async function newGame(page, { side = 'X', size = '15', rule = 'freestyle', time = '100', level = '10' } = {}) {
  await page.check(`input[name="side"][value="${side}"]`);
  await page.selectOption('#size', size);
  await page.selectOption('#rule', rule);
  await page.selectOption('#level', level);
  // The thinking time sits under "Advanced".
  await page.locator('details.advanced').evaluate((d) => { d.open = true; });
  await page.selectOption('#time', time);
  await page.click('#start');
}

// The first of cells the AI has not taken (it answers with one stone, so
// two candidates always leave one free).
async function emptyCell(page, cells) {
  for (const c of cells) {
    if ((await page.locator(`#board .stone[data-cell="${c}"]`).count()) === 0) return c;
  }
  throw new Error(`all of ${cells} are taken`);
}

function stored(page) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key)), STORE_KEY);
}

// A record where X (the human) has four in a row on row 8 (H8..L8) and O
// has scattered stones: the next X move at M8 or G8 wins.
function nearWinForHuman() {
  const moves = [];
  const x = [[7, 7], [7, 8], [7, 9], [7, 10]];
  const o = [[0, 0], [0, 2], [0, 4], [0, 6]];
  for (let i = 0; i < 4; i++) moves.push({ 'X (human)': x[i] }, { 'O (AI)': o[i] });
  return {
    v: 1, human: 'X', size: 15, rule: 'freestyle', timeMs: 100, resigned: null,
    record: {
      X: { player: 'human' }, O: { player: 'AI', max_time_ms: 100 },
      board_size: 15, rule: 'freestyle', moves, winner: 'none',
    },
  };
}

test('the page is served with its content types and a CSP', async () => {
  const r = await fetch(`${base}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.ok(r.headers.get('content-security-policy'), 'GET / carries a Content-Security-Policy');
  const html = await r.text();
  for (const [asset, type] of [['app.js', /^text\/javascript/], ['style.css', /^text\/css/], ['favicon.svg', /^image\/svg\+xml/]]) {
    assert.ok(html.includes(asset), `index.html references ${asset}`);
    const a = await fetch(`${base}/${asset}`);
    assert.equal(a.status, 200, asset);
    assert.match(a.headers.get('content-type'), type, asset);
    await a.arrayBuffer();
  }
});

test('play as X: a click, the AI answers, the move list follows; reload restores', async (t) => {
  const page = await openPage(t);
  await newGame(page, { side: 'X', time: '100' });
  assert.equal(await stoneCount(page), 0);
  await page.click('#board [data-cell="H8"]');
  await waitStones(page, 2);
  await waitState(page, 'human');
  assert.equal(await page.locator('#board .stone[data-cell="H8"][data-side="X"]').count(), 1);
  assert.equal(await page.locator('#board .stone[data-side="O"]').count(), 1);
  const items = page.locator('#moves li');
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).innerText(), /H8/);
  const aiCell = await page.locator('#board .stone[data-side="O"]').getAttribute('data-cell');
  assert.match(await items.nth(1).innerText(), new RegExp(`${aiCell}[\\s\\S]*AI`));
  assert.equal(await page.locator('#board .last-mark').count(), 1);
  assert.match(await page.locator('#ai-info').innerText(), new RegExp(`AI ${aiCell} · [0-9.]+\\ss · depth \\d+`));
  assert.match(await page.locator('#status-text').innerText(), /Your move/);
  await shot(page, 'desktop-first-pair');

  const record = await stored(page);
  assert.equal(record.record.moves.length, 2);
  await page.reload();
  await page.waitForSelector('#board .hit');
  await waitStones(page, 2);
  assert.equal(await page.locator('#board .stone[data-cell="H8"]').count(), 1);
  assert.equal(await page.locator(`#board .stone[data-cell="${aiCell}"]`).count(), 1);
  assert.equal(await page.locator('#moves li').count(), 2);
  assert.equal(await page.inputValue('#time'), '100');

  // Undo takes back the pair.
  await page.click('#undo');
  await waitStones(page, 0);
  assert.equal(await page.locator('#moves li').count(), 0);
  assert.equal((await stored(page)).record.moves.length, 0);
});

test('a winning click shows the win and highlights the five', async (t) => {
  const page = await openPage(t, { state: nearWinForHuman() });
  await waitStones(page, 8);
  await waitState(page, 'human');
  await page.click('#board [data-cell="M8"]');
  await waitState(page, 'over');
  assert.match(await page.locator('#status-text').innerText(), /You win/);
  const win = await page.locator('#board .stone.win').evaluateAll((els) => els.map((e) => e.dataset.cell).sort());
  assert.deepEqual(win, ['H8', 'J8', 'K8', 'L8', 'M8']);
  assert.equal(await page.locator('#board .win-line').count(), 1);
  assert.equal((await stored(page)).record.winner, 'X');
  await shot(page, 'desktop-human-wins');

  // A finished game stays finished: clicks do nothing, resign is off.
  await page.click('#board [data-cell="A15"]');
  assert.equal(await stoneCount(page), 9);
  assert.ok(await page.locator('#resign').isDisabled());

  // The download is the JSON record.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = path.join(artifacts, 'browser-download.json');
  await download.saveAs(file);
  const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(rec.winner, 'X');
  assert.equal(rec.moves.length, 9);
  assert.deepEqual(rec.moves[8]['X (human)'], [7, 11]);
});

test('the AI completes its five after a reload mid-request; phone layout', async (t) => {
  // O (the AI) has four on column B; X's last move is unanswered, as if the
  // page was closed while the AI was thinking. On load it asks again.
  const s = nearWinForHuman();
  s.record.moves = [];
  const x = [[7, 7], [9, 9], [11, 12], [3, 12], [13, 7]];
  const o = [[2, 1], [3, 1], [4, 1], [5, 1]];
  for (let i = 0; i < 5; i++) {
    s.record.moves.push({ 'X (human)': x[i] });
    if (o[i]) s.record.moves.push({ 'O (AI)': o[i] });
  }
  const page = await openPage(t, { state: s, viewport: { width: 390, height: 844 } });
  await waitState(page, 'over');
  assert.match(await page.locator('#status-text').innerText(), /AI wins/);
  assert.equal(await page.locator('#board .stone.win').count(), 5);
  const w = await page.locator('#board .stone.win').evaluateAll((els) => els.map((e) => e.dataset.side));
  assert.deepEqual(w, ['O', 'O', 'O', 'O', 'O']);
  // The board fills the phone's width without horizontal scrolling.
  const { scroll, client, board } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    board: document.getElementById('board').getBoundingClientRect().width,
  }));
  assert.ok(scroll <= client, 'no horizontal scrolling on a phone');
  assert.ok(board >= 340, `board uses the width (${board}px)`);
  await shot(page, 'phone-ai-wins');
});

test('keyboard: arrows move the cursor, Enter places a stone', async (t) => {
  const page = await openPage(t);
  await newGame(page, { side: 'X', size: '19', time: '100' });
  await page.focus('#board');
  // The cursor starts at the centre (K10 on 19x19).
  for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowUp']) await page.keyboard.press(key);
  assert.match(await page.locator('#cursor-announce').innerText(), /H9, empty/);
  await page.keyboard.press('Enter');
  await waitStones(page, 2);
  await waitState(page, 'human');
  assert.equal(await page.locator('#board .stone[data-cell="H9"][data-side="X"]').count(), 1);
  // Next to it, on whichever side the AI left free.
  const downFree = (await page.locator('#board .stone[data-cell="H10"]').count()) === 0;
  await page.keyboard.press(downFree ? 'ArrowDown' : 'ArrowUp');
  await page.keyboard.press(' ');
  await waitStones(page, 4);
  await waitState(page, 'human');
  const second = downFree ? 'H10' : 'H8';
  assert.equal(await page.locator(`#board .stone[data-cell="${second}"][data-side="X"]`).count(), 1);
  assert.equal(await page.locator('#moves li').count(), 4);
  await shot(page, 'desktop-keyboard-19');
});

test('play as O (exactly five, 0.5 s): the AI opens; resign ends the game', async (t) => {
  const page = await openPage(t);
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/gomoku/play')) sent.push(JSON.parse(r.postData())); });
  await newGame(page, { side: 'O', rule: 'standard', time: '500' });
  await waitStones(page, 1);
  // The choices travel in the record: the AI's budget as max_time_ms.
  assert.deepEqual(sent[0], {
    X: { player: 'AI', max_time_ms: 500 }, O: { player: 'human' },
    board_size: 15, rule: 'standard', moves: [], winner: 'none',
  });
  await waitState(page, 'human');
  assert.equal(await page.locator('#board .stone[data-side="X"]').count(), 1);
  assert.equal(await page.locator('#undo').isDisabled(), true, 'nothing of yours to take back');
  await page.click('#resign');
  assert.equal(await page.locator('#resign').innerText(), 'Really resign?');
  await page.click('#resign');
  await waitState(page, 'over');
  assert.match(await page.locator('#status-text').innerText(), /You resigned/);
});

test('a full queue answers 503: the page says busy, backs off, then plays', async (t) => {
  const page = await openPage(t);
  await newGame(page, { side: 'X', time: '100' });
  // Keep the only search thread and the queue of one full with long
  // searches (a middle-game position, so no opening shortcut answers at
  // once), re-sent as soon as one ends, until the page has seen the 503.
  const long = JSON.stringify({
    X: { player: 'AI', max_time_ms: 2000 }, O: { player: 'human' }, board_size: 19,
    moves: [{ 'X (AI)': [9, 9] }, { 'O (human)': [9, 10] }, { 'X (AI)': [10, 10] }, { 'O (human)': [8, 8] }],
  });
  let hogging = true;
  const hogStatuses = [];
  const hog = async () => {
    while (hogging) {
      const started = Date.now();
      const r = await fetch(`${base}/gomoku/play`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: long,
      });
      await r.arrayBuffer();
      hogStatuses.push({ status: r.status, ms: Date.now() - started });
      if (r.status === 503) await sleep(20);
    }
  };
  const hogs = [hog(), hog(), hog()];
  t.after(async () => {
    hogging = false;
    await Promise.all(hogs);
  });
  // Wait until the thread is busy (GET /ready says so) and the queue had
  // time to fill.
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${base}/ready`);
    await r.arrayBuffer();
    if (r.status === 503) break;
    await sleep(20);
  }
  await sleep(300);

  const statuses = [];
  page.on('response', (r) => { if (r.url().endsWith('/gomoku/play')) statuses.push(r.status()); });
  await page.click('#board [data-cell="H8"]');
  try {
    await page.waitForSelector('#alert[data-kind="busy"]', { timeout: 15000 });
  } catch (e) {
    const searches = hogStatuses.filter((h) => h.status === 200).map((h) => h.ms);
    assert.fail(`no busy message; page saw ${JSON.stringify(statuses)}; ` +
      `the long searches took ${JSON.stringify(searches.slice(0, 5))} ms (too short to fill the queue?)`);
  }
  assert.match(await page.locator('#alert-text').innerText(), /server is busy.*Retrying in \d+ s/i);
  assert.equal(statuses[0], 503);
  await shot(page, 'desktop-busy');

  // Once the load goes away, a retry gets through.
  hogging = false;
  await Promise.all(hogs);
  await waitStones(page, 2, 60000);
  await waitState(page, 'human');
  assert.ok(await page.locator('#alert').isHidden());
  assert.equal(statuses[statuses.length - 1], 200);
  assert.ok(hogStatuses.some((h) => h.status === 200), 'the long searches were answered');
});

test('Retry-After is honoured and an unreachable server is reported', async (t) => {
  const page = await openPage(t);
  await newGame(page, { side: 'X', time: '100' });
  // A balancer's 503 (no free backend) with Retry-After: 2, then the real one.
  let answered = 0;
  await page.route('**/gomoku/play', async (route) => {
    answered++;
    if (answered === 1) {
      await route.fulfill({
        status: 503, headers: { 'Retry-After': '2', 'Content-Type': 'application/json' },
        body: '{"error":"busy"}',
      });
    } else {
      await route.continue();
    }
  });
  const t0 = Date.now();
  await page.click('#board [data-cell="H8"]');
  await page.waitForSelector('#alert[data-kind="busy"]');
  assert.match(await page.locator('#alert-text').innerText(), /Retrying in 2 s/);
  await waitStones(page, 2);
  assert.ok(Date.now() - t0 >= 1900, 'waited at least the Retry-After');
  assert.equal(answered, 2);
  await page.unroute('**/gomoku/play');

  // Connection refused every time: after its retries the page gives up,
  // says so, keeps the move, and Retry works once the server is back.
  await page.route('**/gomoku/play', (route) => route.abort('connectionrefused'));
  const free = await emptyCell(page, ['J9', 'G7', 'K10']);
  await page.click(`#board [data-cell="${free}"]`);
  await page.waitForSelector('#alert[data-kind="unreachable"]', { timeout: 20000 });
  assert.match(await page.locator('#alert-text').innerText(), /Cannot reach the server/);
  assert.equal(await stoneCount(page), 3);
  await shot(page, 'desktop-unreachable');
  await page.unroute('**/gomoku/play');
  await page.click('#retry');
  await waitStones(page, 4);
  await waitState(page, 'human');
  assert.ok(await page.locator('#alert').isHidden());
});

// Renju: two black double threes far apart (H8 and N13, each made by a
// column pair and a row pair); the AI (white) is to move. One white stone
// cannot undo both, so when black is to move again at least one is marked.
function renjuWithForbiddenPoints() {
  const x = [[5, 7], [6, 7], [7, 5], [7, 6], [10, 12], [11, 12], [12, 10], [12, 11]];
  const o = [[0, 0], [0, 14], [14, 14], [2, 0], [0, 5], [14, 5], [5, 14]];
  const moves = [];
  for (let i = 0; i < x.length; i++) {
    moves.push({ 'X (human)': x[i] });
    if (i < o.length) moves.push({ 'O (AI)': o[i] });
  }
  return {
    v: 1, human: 'X', size: 15, rule: 'renju', timeMs: 100, resigned: null,
    record: {
      X: { player: 'human' }, O: { player: 'AI', max_time_ms: 100 },
      board_size: 15, rule: 'renju', moves, winner: 'none',
    },
  };
}

test('renju: forbidden points are marked, a click on one explains instead of playing', async (t) => {
  const page = await openPage(t, { state: renjuWithForbiddenPoints() });
  await waitStones(page, 16); // the AI's answer to the reloaded position
  await waitState(page, 'human');
  assert.ok(await page.locator('#renju-note').isVisible(), 'the rule summary is shown');
  assert.match(await page.locator('#summary').innerText(), /renju/);

  const rec = (await stored(page)).record;
  assert.ok(Array.isArray(rec.forbidden) && rec.forbidden.length >= 1, 'the server listed forbidden points');
  const cells = rec.forbidden.map(([r, c]) => 'ABCDEFGHJKLMNOPQRST'[c] + (r + 1));
  const marked = await page.locator('#board .forbidden').evaluateAll((els) => els.map((e) => e.dataset.cell));
  assert.deepEqual(marked.sort(), [...cells].sort());
  await shot(page, 'desktop-renju-forbidden');

  // A click on a forbidden point: no stone, no request, the reason instead.
  const target = cells[0];
  const why = rec.forbidden_why[0];
  await page.click(`#board .hit[data-cell="${target}"]`);
  assert.equal(await page.locator('#alert').isVisible(), true);
  assert.equal(await page.locator('#alert-text').innerText(),
    `${target} is forbidden to black under renju: ${why}.`);
  assert.equal(await stoneCount(page), 16);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'human');

  // A legal click plays, and the marks go while the AI thinks.
  const free = await emptyCell(page, ['C3', 'D3']);
  await page.click(`#board .hit[data-cell="${free}"]`);
  await waitStones(page, 18);
  await waitState(page, 'human');
  assert.equal(await page.locator('#alert').isVisible(), false);

  // The rule menu offers renju and its summary follows the menu.
  await page.selectOption('#rule', 'freestyle');
  assert.equal(await page.locator('#renju-note').isVisible(), false);
  await page.selectOption('#rule', 'renju');
  assert.equal(await page.locator('#renju-note').isVisible(), true);
});
