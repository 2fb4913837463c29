// One FastCGI process serves MEET_THREADS requests at once (lib/app.h):
// against an emulator that answers every Meet request after a fixed delay,
// a batch of concurrent requests to the lighttpd stack takes one delay, not
// one per request, and all of it happens in the one rooms.fcgi process
// lighttpd runs. MEET_THREADS=2 makes the same batch take two rounds.
// SIGTERM lets the request in progress finish before the process exits 0.
// MEET_THREADS outside 1-64 keeps a program from starting, in both modes.
//
// Why the time bounds cannot flake on a slow machine and still catch a
// regression: every Meet call takes at least SLOW_MS, so a request that had
// to wait for another one takes at least 2 × SLOW_MS. A batch under that
// bound was served entirely in parallel; load only makes things slower, so
// the lower bounds are safe whatever else runs on the machine.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startEmulator, startApp, cgiDir } from '../../lib/stack.mjs';
import { call, meet } from '../../lib/http.mjs';

// Under valgrind (make check-valgrind) everything is far slower: Meet's
// delay and the waits are longer there and the upper time bounds are
// skipped; the rest still holds.
const SLOW_TOOLS = Boolean(process.env.MEET_UNDER_VALGRIND);
const SLOW_MS = SLOW_TOOLS ? 3000 : 1000;
const EXIT_WAIT_MS = SLOW_TOOLS ? 30000 : 5000;

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Live pids of the programs lighttpd runs, by program name. Found by their
 * command line, not their name, so also when they run under valgrind.
 */
function programPids(app) {
  const pids = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== app.pid || state === 'Z') continue;
      const program = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').findLast((arg) => arg.endsWith('.fcgi'));
      if (program) (pids[basename(program)] ||= []).push(Number(entry));
    } catch { /* the process went away */ }
  }
  for (const list of Object.values(pids)) list.sort((a, b) => a - b);
  return pids;
}

/** Number of threads of a process (/proc/PID/status), without the one
 * ThreadSanitizer adds to every process under `make check-tsan`. */
const sanitizerThreads = process.env.MEET_UNDER_TSAN ? 1 : 0;
function threadCount(pid) {
  return Number(/^Threads:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]) - sanitizerThreads;
}

/**
 * Threads of a FastCGI program once it has started its workers: lighttpd
 * starts the programs while startApp waits for /config, so a program may
 * still be setting up. Waits until the count is above 1 and has stayed the
 * same for a while.
 */
async function settledThreadCount(pid) {
  const steadyMs = SLOW_TOOLS ? 2000 : 200;
  let count = threadCount(pid);
  let sameSince = Date.now();
  for (const deadline = Date.now() + EXIT_WAIT_MS; Date.now() < deadline;) {
    await sleep(20);
    const now = threadCount(pid);
    if (now !== count) {
      count = now;
      sameSince = Date.now();
    } else if (count > 1 && Date.now() - sameSince >= steadyMs) break;
  }
  return count;
}

/** True while pid is a live process (a zombie has exited). */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return false; }
}

/** The one rooms.fcgi process lighttpd runs (asserts there is exactly one). */
function roomsPid(app) {
  const pids = programPids(app)['rooms.fcgi'] || [];
  assert.equal(pids.length, 1, `rooms.fcgi processes: ${JSON.stringify(programPids(app))}`);
  return pids[0];
}

/** Lines the programs logged for GET /rooms answered 200. */
function roomsLogLines(app) {
  return app.logs().split('\n').filter((line) => /^meet-fcgi rooms\.fcgi: GET \/rooms 200 meet=200 \d+ms$/.test(line));
}

/** Meet calls that listed rooms (GET .../rooms?...). */
function meetRoomListings(emu) {
  return emu.readLog().filter((entry) => entry.method === 'GET' && /\/rooms(\?|$)/.test(entry.path));
}

/** Sends count GET /rooms at once; resolves to {answers, ms} once all are answered. */
async function concurrentGetRooms(app, count) {
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: count }, () => call(app, 'GET', '/rooms')));
  return { answers, ms: Date.now() - started };
}

describe(`one rooms.fcgi process serves MEET_THREADS requests at once (lighttpd, Meet slow:${SLOW_MS})`, () => {
  let emu;
  let app;

  before(async () => {
    emu = await startEmulator({ fault: `slow:${SLOW_MS}` });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, env: { MEET_TIMEOUT_MS: String(SLOW_MS * 10) } });
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  test('default (8 workers): 8 slow requests are answered in one round, by the same process', async (t) => {
    const pid = roomsPid(app);
    // The main thread and MEET_THREADS (default 8) workers.
    assert.equal(await settledThreadCount(pid), 1 + 8, 'rooms.fcgi does not run 8 worker threads');
    emu.clearLog();
    const logged = roomsLogLines(app).length;

    const { answers, ms } = await concurrentGetRooms(app, 8);
    t.diagnostic(`8 requests on 8 workers: ${ms} ms`);

    for (const answer of answers) {
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json, { rooms: [] });
    }
    assert.equal(meetRoomListings(emu).length, 8, 'each request asks Meet once');
    assert.ok(ms >= SLOW_MS - 10, `answered in ${ms} ms, faster than Meet answers (${SLOW_MS} ms)`);
    if (!SLOW_TOOLS) {
      // Served one after another it would take 8 × SLOW_MS; any request
      // that waited for another one would take 2 × SLOW_MS.
      assert.ok(ms < 2 * SLOW_MS, `8 requests took ${ms} ms: not all served at once (one round is ${SLOW_MS} ms)`);
    }
    // The same single process, still there, logged all 8.
    assert.deepEqual(programPids(app)['rooms.fcgi'], [pid], 'rooms.fcgi was replaced or joined by another process');
    assert.ok(alive(pid));
    assert.equal(roomsLogLines(app).length - logged, 8, app.logs());
  });

  test('more requests than workers: 12 at once on 8 workers take two rounds', async (t) => {
    const pid = roomsPid(app);
    const { answers, ms } = await concurrentGetRooms(app, 12);
    t.diagnostic(`12 requests on 8 workers: ${ms} ms`);
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    // 4 of them had to wait for a free worker: at least two rounds.
    assert.ok(ms >= 2 * SLOW_MS - 10, `12 requests on 8 workers took only ${ms} ms`);
    if (!SLOW_TOOLS) assert.ok(ms < 3 * SLOW_MS, `12 requests on 8 workers took ${ms} ms`);
    assert.deepEqual(programPids(app)['rooms.fcgi'], [pid]);
  });

  test('MEET_THREADS=2: 4 slow requests take two rounds, all answered', async (t) => {
    const two = await startApp({
      webServer: 'lighttpd', meetUrl: emu.url, env: { MEET_TIMEOUT_MS: String(SLOW_MS * 10), MEET_THREADS: '2' },
    });
    try {
      const pid = roomsPid(two);
      assert.equal(await settledThreadCount(pid), 1 + 2, 'MEET_THREADS=2 is not 2 worker threads');
      emu.clearLog();

      const { answers, ms } = await concurrentGetRooms(two, 4);
      t.diagnostic(`4 requests on 2 workers: ${ms} ms`);

      for (const answer of answers) assert.equal(answer.status, 200, answer.text);
      assert.equal(meetRoomListings(emu).length, 4);
      // With 2 workers, 2 of the 4 wait for the first 2: at least 2 rounds.
      assert.ok(ms >= 2 * SLOW_MS - 10, `4 requests on 2 workers took only ${ms} ms: MEET_THREADS=2 not honoured`);
      // One worker (or one request at a time) would be 4 rounds.
      if (!SLOW_TOOLS) assert.ok(ms < 4 * SLOW_MS, `4 requests on 2 workers took ${ms} ms: served one at a time`);
      assert.deepEqual(programPids(two)['rooms.fcgi'], [pid]);
    } finally {
      await two.stop();
    }
  });
});

describe('SIGTERM: the requests in progress are answered, then the process exits 0 (lighttpd)', () => {
  const SIGTERM_SLOW_MS = SLOW_TOOLS ? 6000 : 800;
  // When the signal goes: the request has reached the program and waits for Meet.
  const SIGNAL_AFTER_MS = SLOW_TOOLS ? 3000 : 200;
  let emu;
  let app;

  before(async () => {
    emu = await startEmulator({ fault: `slow:${SIGTERM_SLOW_MS}` });
    // Well above Meet's delay: the wait after SIGTERM may be that long.
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, env: { MEET_TIMEOUT_MS: '10000' } });
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  /** Waits up to ms for pid to exit; returns how long it took, or null. */
  async function waitForExit(pid, ms) {
    const started = Date.now();
    while (Date.now() - started < ms) {
      if (!alive(pid)) return Date.now() - started;
      await sleep(10);
    }
    return null;
  }

  test('a slow GET /rooms in progress still gets its 200 and rooms; the old process is gone afterwards', async () => {
    const created = await meet(emu, 'POST', '/rooms', { roomName: 'Drained' });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const pid = roomsPid(app);
    emu.clearLog();
    const logged = roomsLogLines(app).length;

    const started = Date.now();
    const pending = call(app, 'GET', '/rooms');
    await sleep(SIGNAL_AFTER_MS);
    assert.ok(alive(pid), 'rooms.fcgi died before the signal');
    process.kill(pid, 'SIGTERM');
    const signalledAt = Date.now();
    const answer = await pending;
    const answeredAt = Date.now();

    assert.equal(answer.status, 200, answer.text);
    assert.ok(Array.isArray(answer.json.rooms), answer.text);
    assert.deepEqual(answer.json.rooms.map((room) => room.roomId), [created.json.roomId]);
    // Answered after Meet's delay, by the process that was signalled: one
    // Meet call, no retry on a new process.
    assert.ok(answeredAt - started >= SIGTERM_SLOW_MS - 10, `answered after ${answeredAt - started} ms`);
    assert.ok(answeredAt > signalledAt);
    assert.equal(meetRoomListings(emu).length, 1, JSON.stringify(emu.readLog()));
    assert.equal(roomsLogLines(app).length - logged, 1, app.logs());

    const exitedAfter = await waitForExit(pid, EXIT_WAIT_MS);
    assert.notEqual(exitedAfter, null, `rooms.fcgi (${pid}) still runs ${EXIT_WAIT_MS} ms after answering its last request`);
    // lighttpd reports its program's exit status.
    await sleep(100);
    assert.match(app.logs(), /child exited: 0 unix:\S*rooms\.sock/, app.logs());
    assert.doesNotMatch(app.logs(), /child (exited: [1-9]|signalled)/, app.logs());
  });

  test('with no request in progress, SIGTERM ends the process at once (no MEET_TIMEOUT_MS wait)', async (t) => {
    const pid = programPids(app)['config.fcgi']?.[0];
    assert.ok(pid, JSON.stringify(programPids(app)));
    assert.equal((await call(app, 'GET', '/config')).status, 200);
    process.kill(pid, 'SIGTERM');
    const exitedAfter = await waitForExit(pid, EXIT_WAIT_MS);
    assert.notEqual(exitedAfter, null, `config.fcgi still runs ${EXIT_WAIT_MS} ms after SIGTERM`);
    t.diagnostic(`idle config.fcgi stopped ${exitedAfter} ms after SIGTERM`);
    if (!SLOW_TOOLS) assert.ok(exitedAfter < 1000, `config.fcgi took ${exitedAfter} ms to stop while idle`);
    await sleep(100);
    assert.match(app.logs(), /child exited: 0 unix:\S*config\.sock/, app.logs());
  });
});

describe('MEET_THREADS is checked before anything is served', () => {
  let emu;

  before(async () => {
    emu = await startEmulator({ fault: `slow:${SLOW_MS}` });
  });
  after(async () => {
    await emu?.stop();
  });

  // The environment of a plain CGI GET /rooms.
  function cgiEnv(threads) {
    return {
      PATH: process.env.PATH,
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: 'GET',
      REQUEST_URI: '/rooms',
      OV_MEET_SERVER_URL: emu.url,
      OV_MEET_API_KEY: 'meet-api-key',
      MEET_ENV_FILE: '/dev/null',
      MEET_THREADS: threads,
      REMOTE_ADDR: '127.0.0.1',
      HTTP_HOST: 'localhost',
    };
  }

  for (const bad of ['0', '65', 'abc', '-1', '8x']) {
    test(`MEET_THREADS=${bad}: the program logs why and exits 1 without answering`, () => {
      const run = spawnSync(join(cgiDir(), 'rooms.fcgi'), [], { input: '', env: cgiEnv(bad), timeout: EXIT_WAIT_MS * 2 });
      assert.equal(run.error, undefined);
      assert.equal(run.status, 1, `exit ${run.status}, stderr: ${run.stderr}`);
      assert.match(run.stderr.toString('utf8'), /MEET_THREADS must be 1-64/);
      assert.equal(run.stdout.length, 0, `answered: ${run.stdout}`);
    });
  }

  test('MEET_THREADS=4 as plain CGI: one request answered 200, in a single thread', async () => {
    emu.clearLog();
    const child = spawn(join(cgiDir(), 'rooms.fcgi'), [], { env: cgiEnv('4'), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    try {
      // Halfway through Meet's delay, the process is waiting for Meet.
      await sleep(SLOW_MS / 2);
      assert.ok(alive(child.pid), `rooms.fcgi ended early: ${stderr}`);
      // (At most 1: ThreadSanitizer may not have started its own thread yet.)
      assert.ok(threadCount(child.pid) <= 1, 'plain CGI started worker threads');
      assert.deepEqual(await exited, { code: 0, signal: null }, stderr);
    } finally {
      child.kill('SIGKILL');
    }
    assert.match(stdout, /^Status: 200\b/m, stdout);
    assert.match(stdout, /\r\n\r\n\{"rooms":\[\]\}$/, stdout);
    assert.equal(meetRoomListings(emu).length, 1);
  });

  test('MEET_THREADS=0 behind lighttpd: the programs do not start, requests fail, the reason is logged', async () => {
    const app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, env: { MEET_THREADS: '0' } });
    try {
      emu.clearLog();
      const answer = await call(app, 'GET', '/rooms');
      assert.ok(answer.status >= 500, `GET /rooms answered ${answer.status}: ${answer.text}`);
      assert.deepEqual(emu.readLog(), [], 'a request reached Meet');
      // lighttpd may try again to start them, but none keeps running.
      const seen = Object.values(programPids(app)).flat();
      await sleep(SLOW_TOOLS ? 10000 : 1000);
      assert.deepEqual(seen.filter(alive), [], 'a program kept running');
      assert.match(app.logs(), /meet-fcgi rooms\.fcgi: configuration: MEET_THREADS must be 1-64/);
    } finally {
      await app.stop();
    }
  });
});
