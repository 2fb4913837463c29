// Listing every page of rooms or members has one budget for the whole
// request (lib/meet_client.c): MEET_LIST_MAX_BYTES across all pages (502
// past it) and MEET_TIMEOUT_MS from the first page to the last (504 past it;
// each page gets what is left, not a fresh timeout). The upstream here is a
// small HTTP server of this test that never stops paging, with big or slow
// pages; the program lives on and answers the next request. A stop signal
// during such a request waits for its answer.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startApp } from '../../lib/stack.mjs';
import { call, programPids } from '../../lib/http.mjs';

// Under valgrind (make check-valgrind) every program runs far slower.
const SLOW_TOOLS = Boolean(process.env.MEET_UNDER_VALGRIND);
const TIMEOUT_MS = SLOW_TOOLS ? 4000 : 1000;
const SLACK_MS = SLOW_TOOLS ? 3000 : 600;
const PAGE_DELAY_MS = TIMEOUT_MS / 4 + 10;
const LIST_MAX_BYTES = 1024 * 1024;
const BIG_PAGE_BYTES = 200 * 1024;

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// A Meet of rooms and members with endless pages: mode 'big' pages of about
// BIG_PAGE_BYTES, 'slow' pages after PAGE_DELAY_MS, 'small' one short page.
async function startUpstream() {
  const upstream = { mode: 'small', pages: 0 };
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://upstream');
    const list = /\/members$/.test(url.pathname) ? 'members' : 'rooms';
    const page = Number(url.searchParams.get('nextPageToken') || 0);
    const item = list === 'rooms'
      ? { roomId: `room-${page}`, roomName: `Room ${page}`, creationDate: 1, status: 'open' }
      : { memberId: `guest-${page}`, type: 'identified_guest', name: `Guest ${page}`, baseRole: 'speaker' };
    upstream.pages++;
    if (upstream.mode === 'big') item.padding = 'x'.repeat(BIG_PAGE_BYTES);
    const more = upstream.mode !== 'small';
    const body = JSON.stringify({
      [list]: [item],
      pagination: more ? { isTruncated: true, nextPageToken: String(page + 1), maxItems: 100 }
        : { isTruncated: false, maxItems: 100 },
    });
    const answer = () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    };
    if (upstream.mode === 'slow') setTimeout(answer, PAGE_DELAY_MS);
    else answer();
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  upstream.url = `http://127.0.0.1:${server.address().port}/meet`;
  upstream.stop = () => new Promise((done) => {
    server.closeAllConnections();
    server.close(done);
  });
  return upstream;
}

const lists = [['GET /rooms', '/rooms', 'rooms.fcgi'], ['GET members', '/rooms/r1/members', 'members.fcgi']];

for (const webServer of ['lighttpd', 'lighttpd-cgi']) {
  describe(`the budget of a list (${webServer})`, () => {
    let upstream;
    let app;

    before(async () => {
      upstream = await startUpstream();
      app = await startApp({
        webServer,
        meetUrl: upstream.url,
        env: { MEET_TIMEOUT_MS: String(TIMEOUT_MS), MEET_LIST_MAX_BYTES: String(LIST_MAX_BYTES) },
      });
    });
    after(async () => {
      await app?.stop();
      await upstream?.stop();
    });

    // The next request after a failure is answered, by the same process
    // under FastCGI.
    async function livesOn(path, program, pidsBefore) {
      upstream.mode = 'small';
      const r = await call(app, 'GET', path);
      assert.equal(r.status, 200, r.text);
      if (webServer === 'lighttpd') assert.deepEqual(programPids(app)[program], pidsBefore[program]);
    }

    for (const [name, path, program] of lists) {
      test(`${name}: pages past MEET_LIST_MAX_BYTES in all are a 502, after no more than that`, async () => {
        const pids = programPids(app);
        upstream.mode = 'big';
        upstream.pages = 0;
        const r = await call(app, 'GET', path);
        assert.equal(r.status, 502, r.text);
        assert.match(r.json.message, /MEET_LIST_MAX_BYTES/);
        // Each page is over BIG_PAGE_BYTES: the budget holds fewer than that many.
        const most = Math.ceil(LIST_MAX_BYTES / BIG_PAGE_BYTES);
        assert.ok(upstream.pages <= most, `${upstream.pages} pages asked for, at most ${most} fit`);
        assert.ok(upstream.pages >= most - 1, `${upstream.pages} pages asked for`);
        await livesOn(path, program, pids);
      });

      test(`${name}: slow pages are a 504 at MEET_TIMEOUT_MS for all of them, not per page`, async () => {
        const pids = programPids(app);
        upstream.mode = 'slow';
        upstream.pages = 0;
        const started = Date.now();
        const r = await call(app, 'GET', path);
        const took = Date.now() - started;
        assert.equal(r.status, 504, r.text);
        assert.match(r.json.message, /did not answer in time/);
        assert.ok(took >= TIMEOUT_MS - 50, `answered after ${took} ms`);
        assert.ok(took < TIMEOUT_MS + SLACK_MS, `answered after ${took} ms, MEET_TIMEOUT_MS is ${TIMEOUT_MS}`);
        // A fresh timeout per page would have gone on paging far longer.
        assert.ok(upstream.pages <= Math.ceil(TIMEOUT_MS / PAGE_DELAY_MS), `${upstream.pages} pages`);
        await livesOn(path, program, pids);
      });
    }
  });
}

describe('a stop signal during a slow list (lighttpd)', () => {
  let upstream;
  let app;

  before(async () => {
    upstream = await startUpstream();
    app = await startApp({
      webServer: 'lighttpd',
      meetUrl: upstream.url,
      env: { MEET_TIMEOUT_MS: String(TIMEOUT_MS), MEET_LIST_MAX_BYTES: String(LIST_MAX_BYTES) },
    });
  });
  after(async () => {
    await app?.stop();
    await upstream?.stop();
  });

  test('the request in progress still gets its answer (504 at MEET_TIMEOUT_MS), then the process exits 0', async () => {
    const pid = programPids(app)['rooms.fcgi']?.[0];
    assert.ok(pid, JSON.stringify(programPids(app)));
    upstream.mode = 'slow';
    const started = Date.now();
    const pending = call(app, 'GET', '/rooms');
    await sleep(PAGE_DELAY_MS + PAGE_DELAY_MS / 2);
    process.kill(pid, 'SIGTERM');
    const r = await pending;
    const took = Date.now() - started;
    assert.equal(r.status, 504, r.text);
    assert.ok(took >= TIMEOUT_MS - 50 && took < TIMEOUT_MS + SLACK_MS, `answered after ${took} ms`);
    for (let waited = 0; waited < 2000 && programPids(app)['rooms.fcgi']?.includes(pid); waited += 20) await sleep(20);
    assert.ok(!programPids(app)['rooms.fcgi']?.includes(pid), `rooms.fcgi (${pid}) still runs`);
    await sleep(100);
    assert.match(app.logs(), /child exited: 0 unix:\S*rooms\.sock/, app.logs());
  });
});
