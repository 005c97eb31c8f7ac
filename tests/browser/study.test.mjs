// Browser test of the play page's study tools (web/review.js) and levels:
// hint, analysis (bar, best moves, continuation on hover), review (steps,
// chart, mistakes, play from here), move numbers, import/export, the share
// link, and the level reaching the request. Debian's Chromium driven by
// playwright-core against the real gomoku-httpd on a free loopback port.
// Run by ctest (browser/study) or: node --test tests/browser/study.test.mjs
//
// Environment as play.test.mjs: GOMOKU_BIN_DIR, GOMOKU_BUILD_DIR (screenshots
// of the analysis and the review go to its test-artifacts), CHROMIUM.
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

async function startDaemon() {
  const exe = path.join(binDir, 'gomoku-httpd');
  assert.ok(fs.existsSync(exe), `${exe} is missing: build gomoku-httpd first`);
  const log = fs.openSync(path.join(artifacts, 'browser-study-gomoku-httpd.log'), 'w');
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn(exe, ['--bind', `127.0.0.1:${port}`, '-t', '2'], { stdio: ['ignore', log, log] });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
      try {
        const r = await fetch(`${url}/health`);
        if (r.ok) {
          daemon = proc;
          daemonExit = exited;
          base = url;
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
  }
  assert.fail('gomoku-httpd did not become healthy');
}

before(async () => {
  await startDaemon();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (daemon) {
    daemon.kill('SIGTERM');
    let timer;
    const { code, signal } = await Promise.race([
      daemonExit,
      new Promise((resolve) => { timer = setTimeout(() => resolve({ code: null, signal: 'timeout' }), 20000); }),
    ]);
    clearTimeout(timer);
    if (signal === 'timeout') daemon.kill('SIGKILL');
    assert.equal(code, 0, 'gomoku-httpd exit status after SIGTERM');
  }
});

// A fresh context per test that fails it on any request leaving the daemon
// or any script error.
async function openPage(t, { state = null, url = '/', viewport = { width: 1280, height: 900 } } = {}) {
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
    if (m.type() === 'error' && !/Failed to load resource|net::ERR_/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  if (state) {
    await context.addInitScript(([key, value]) => {
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
  await page.goto(`${base}${url}`);
  await page.waitForSelector('#board .hit');
  return page;
}

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `browser-${name}.png`), fullPage: true });
const waitStones = (page, n, timeout = 30000) =>
  page.waitForFunction((k) => document.querySelectorAll('#board .stone').length === k, n, { timeout });
const waitState = (page, s, timeout = 30000) =>
  page.waitForFunction((k) => document.body.dataset.state === k, s, { timeout });
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), STORE_KEY);
const stoneCells = (page) => page.locator('#board .stone').evaluateAll((els) => els.map((e) => `${e.dataset.side}${e.dataset.cell}`));

async function newGame(page, { side = 'X', level = '10', time = '100' } = {}) {
  await page.check(`input[name="side"][value="${side}"]`);
  await page.selectOption('#level', level);
  await page.locator('details.advanced').evaluate((d) => { d.open = true; });
  await page.selectOption('#time', time);
  await page.click('#start');
}

// A stored game (the page's own saved form) with the human as X.
function savedGame(moves, { level = 10 } = {}) {
  const O = { player: 'AI', max_time_ms: 100 };
  if (level < 10) O.level = level;
  return {
    v: 1, human: 'X', size: 15, rule: 'freestyle', timeMs: 100, level, resigned: null,
    record: {
      X: { player: 'human' }, O, board_size: 15, rule: 'freestyle', winner: 'none',
      moves: moves.map((c, i) => ({ [i % 2 === 0 ? 'X (human)' : 'O (AI)']: c })),
    },
  };
}

// X makes an open three (H8 J8 K8), O looks away (A5), X makes an open four
// and five: O's sixth move is the game's big mistake.
const BLUNDER = [[7, 7], [0, 0], [7, 8], [2, 0], [7, 9], [4, 0], [7, 10], [6, 0], [7, 11]];
// A quiet opening, X (the human) to move.
const OPENING = [[7, 7], [8, 8], [7, 8], [6, 6]];

test('a level travels in the record with a seed', async (t) => {
  const page = await openPage(t);
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/gomoku/play')) sent.push(JSON.parse(r.postData())); });
  await newGame(page, { side: 'O', level: '3' });
  await waitStones(page, 1);
  await waitState(page, 'human');
  assert.equal(sent.length, 1);
  assert.equal(sent[0].X.player, 'AI');
  assert.equal(sent[0].X.level, 3);
  assert.deepEqual(sent[0].O, { player: 'human' });
  assert.ok(Number.isInteger(sent[0].seed) && sent[0].seed >= 0 && sent[0].seed < 2 ** 53, 'a seed');
  assert.match(await page.locator('#summary').innerText(), /level 3/);
  // The seed stays for the game: the next request carries the same one.
  const seed = sent[0].seed;
  const free = (await page.locator('#board .stone[data-cell="H8"]').count()) ? 'J9' : 'H8';
  await page.click(`#board .hit[data-cell="${free}"]`);
  await waitStones(page, 3);
  assert.equal(sent[1].seed, seed);
  assert.equal(sent[1].X.level, 3);
  // Full strength sends no level and no seed.
  await newGame(page, { side: 'O', level: '10' });
  await waitStones(page, 1);
  assert.equal(sent[2].X.level, undefined);
  assert.equal(sent[2].seed, undefined);
});

test('hint marks a good empty cell for the player', async (t) => {
  const page = await openPage(t, { state: savedGame(OPENING) });
  await waitStones(page, 4);
  await waitState(page, 'human');
  const asked = [];
  page.on('request', (r) => { if (r.url().endsWith('/gomoku/analyze')) asked.push(JSON.parse(r.postData())); });
  await page.click('#hint');
  await page.waitForFunction(() => /^Hint: [A-Z]\d+/.test(document.getElementById('hint-text').textContent));
  const cell = (await page.locator('#hint-text').innerText()).match(/Hint: ([A-Z]\d+)/)[1];
  assert.equal(await page.locator(`#board .hint-mark[data-cell="${cell}"]`).count(), 1);
  assert.equal(await page.locator(`#board .stone[data-cell="${cell}"]`).count(), 0, 'the hint is an empty cell');
  assert.equal(asked.length, 1);
  assert.equal(asked[0].top, 1);
  assert.equal(asked[0].moves.length, 4);
  assert.ok(asked[0].X.nodes > 0 && asked[0].X.depth > 0, 'a clockless budget for the side to move');
  assert.equal(asked[0].X.max_time_ms, undefined);
  // Playing the hint moves on; the mark goes.
  await page.click(`#board .hit[data-cell="${cell}"]`);
  await waitStones(page, 6);
  await waitState(page, 'human');
  assert.equal(await page.locator('#board .hint-mark').count(), 0);
});

test('analysis: the bar, the three best moves, the continuation on hover', async (t) => {
  const page = await openPage(t, { state: savedGame(OPENING) });
  await waitStones(page, 4);
  await page.check('#analysis-toggle');
  await page.waitForSelector('#analysis[data-state="done"]');
  assert.ok(await page.locator('#eval-bar').isVisible());
  const share = Number(await page.locator('#eval-bar').getAttribute('aria-valuenow'));
  assert.ok(share >= 0 && share <= 100);
  assert.equal(await page.locator('#board .top-move').count(), 3);
  const items = page.locator('#top-moves .top-move-item');
  assert.equal(await items.count(), 3);
  const texts = await items.allInnerTexts();
  for (const text of texts) assert.match(text, /^[A-Z]\d+: [+-]?\d+|^[A-Z]\d+: (win|loss)/);
  // Marked cells are the listed ones, all empty.
  const listed = await items.evaluateAll((els) => els.map((e) => e.dataset.cell));
  const marked = await page.locator('#board .top-move').evaluateAll((els) => els.map((e) => e.dataset.cell));
  assert.deepEqual(marked, listed);
  for (const c of listed) assert.equal(await page.locator(`#board .stone[data-cell="${c}"]`).count(), 0);
  // Best first: the scores never rise.
  const scores = texts.map((s) => Number((s.match(/: ([+-]?\d+)/) || [0, 0])[1]));
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1], `${texts}`);
  await items.first().hover();
  await page.waitForFunction(() => Number(document.body.dataset.pv || 0) >= 1);
  const pv = await page.locator('#board .pv-stone').count();
  assert.ok(pv >= 1);
  assert.equal(await page.locator('#board .pv-stone').first().getAttribute('data-cell'), listed[0]);
  await shot(page, 'study-analysis');
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => document.querySelectorAll('#board .pv-stone').length === 0);
  // After a move the analysis follows the new position.
  await page.click(`#board .hit[data-cell="${listed[0]}"]`);
  await waitStones(page, 6);
  await waitState(page, 'human');
  await page.waitForFunction(() => /O to move|X to move/.test(document.getElementById('analysis-status').textContent) &&
    document.getElementById('analysis').dataset.state === 'done');
  assert.match(await page.locator('#analysis-status').innerText(), /X to move/);
});

test('review: steps, chart, the biggest mistake, play from here', async (t) => {
  const page = await openPage(t, { state: savedGame(BLUNDER.slice(0, 8)) });
  await waitStones(page, 8);
  await waitState(page, 'human');
  // Finish the game with the five: the server judges it.
  await page.click('#board .hit[data-cell="M8"]');
  await waitState(page, 'over');
  await page.click('#review-open');
  await page.waitForSelector('#review[data-progress="9"]', { timeout: 60000 });
  assert.equal(await page.locator('#chart').getAttribute('data-points'), '10');
  assert.match(await page.locator('#review-progress').innerText(), /Evaluated all 9 moves/);
  const mistakes = await page.locator('#mistakes .mistake').allInnerTexts();
  assert.ok(mistakes.some((m) => /^Move 6, O A5: lost the game/.test(m)), `mistakes: ${mistakes}`);
  // The winning move and the moves of a lost side cost nothing.
  assert.ok(!mistakes.some((m) => /^Move (8|9),/.test(m)), `mistakes: ${mistakes}`);
  assert.ok(await page.locator('#chart .chart-mistake').count() >= 1);
  await shot(page, 'study-review');

  // The slider has the focus: arrow keys step back and forth.
  await page.keyboard.press('ArrowLeft');
  await waitStones(page, 8);
  await page.keyboard.press('ArrowLeft');
  await waitStones(page, 7);
  await page.keyboard.press('ArrowRight');
  await waitStones(page, 8);
  assert.equal(await page.locator('body').getAttribute('data-state'), 'review');
  // Elsewhere on the page too (the board is not playable while reviewing).
  await page.locator('#review-position').click();
  await page.keyboard.press('Home');
  await waitStones(page, 0);
  await page.keyboard.press('ArrowRight');
  await waitStones(page, 1);
  await page.click('#board .hit[data-cell="A15"]');
  assert.equal(await page.locator('#board .stone').count(), 1, 'no move while reviewing');
  // A mistake jumps to the position before it.
  await page.locator('#mistakes .mistake', { hasText: 'Move 6' }).click();
  await waitStones(page, 5);
  assert.match(await page.locator('#review-position').innerText(), /Move 5 of 9: X K8/);

  // Play from here: X is to move after 4 moves; the game goes on from there.
  await page.locator('#review-slider').fill('4');
  await waitStones(page, 4);
  await page.click('#play-here');
  await waitState(page, 'human');
  assert.ok(await page.locator('#review').isHidden());
  assert.equal((await stored(page)).record.moves.length, 4);
  assert.equal((await stored(page)).record.winner, 'none');
  await page.click('#board .hit[data-cell="K8"]');
  await waitStones(page, 6);
  await waitState(page, 'human');
});

test('move numbers, download and import round trip, bad imports refused', async (t) => {
  const page = await openPage(t, { state: savedGame(OPENING) });
  await waitStones(page, 4);
  await page.check('#numbers-toggle');
  assert.equal(await page.locator('#board.show-numbers').count(), 1);
  assert.equal(await page.locator('#board .num').first().innerHTML(), '1');
  assert.ok(await page.locator('#board .num').first().isVisible());
  const before = await stoneCells(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = path.join(artifacts, 'browser-study-export.json');
  await download.saveAs(file);

  await newGame(page, { side: 'X' });
  await waitStones(page, 0);
  await page.locator('#import-box summary').click();
  await page.setInputFiles('#import-file', file);
  await waitStones(page, 4);
  assert.deepEqual((await stoneCells(page)).sort(), before.sort());
  assert.match(await page.locator('#import-status').innerText(), /Imported 4 moves/);
  assert.equal((await stored(page)).record.moves.length, 4);
  await waitState(page, 'human');

  // Paste: a record in compact notation, O to move and O the AI: it answers.
  const pasted = {
    X: { player: 'human' }, O: { player: 'AI', max_time_ms: 100 }, board_size: 15,
    moves: [{ 'X (human)': 'H8' }, { 'O (AI)': 'J9' }, { 'X (human)': 'G7' }],
  };
  await page.fill('#import-text', JSON.stringify(pasted));
  await page.click('#import-go');
  await waitStones(page, 4);
  await waitState(page, 'human');
  for (const c of ['XH8', 'OJ9', 'XG7']) assert.ok((await stoneCells(page)).includes(c), c);

  for (const [bad, why] of [['{', /Cannot import/], ['{"moves":[{"O (AI)":"H8"}]}', /out of turn/],
    ['{"board_size":3}', /board_size/]]) {
    await page.fill('#import-text', bad);
    await page.click('#import-go');
    await page.waitForFunction(() => document.getElementById('import-status').dataset.state === 'error');
    assert.match(await page.locator('#import-status').innerText(), why);
    assert.equal(await page.locator('#board .stone').count(), 4, 'the game is untouched');
    await page.evaluate(() => { delete document.getElementById('import-status').dataset.state; });
  }
});

test('a share link carries the game in the fragment', async (t) => {
  const page = await openPage(t, { state: savedGame(OPENING, { level: 4 }) });
  await waitStones(page, 4);
  await page.locator('#import-box summary').click();
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  assert.ok(link.startsWith(`${base}/#game=`), link);
  const before = await stoneCells(page);

  const other = await openPage(t, { url: link.slice(base.length) });
  await waitStones(other, 4);
  assert.deepEqual((await stoneCells(other)).sort(), before.sort());
  const rec = (await stored(other)).record;
  assert.equal(rec.O.level, 4);
  assert.equal(await other.evaluate(() => location.hash), '', 'the fragment is consumed');
  assert.match(await other.locator('#summary').innerText(), /level 4/);
  // A damaged link is ignored: the stored game stays.
  await other.goto(`${base}/#game=%%%`);
  await other.waitForSelector('#board .hit');
  await waitStones(other, 4);
});
