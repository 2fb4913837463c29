// Hostile requests for GET /rooms/{roomId}/members.csv (lighttpd + FastCGI
// programs + emulator): bad room ids, look-alike paths, other methods and
// a Meet that fails. Each gets an exact status with our JSON {message}
// (never a half-written file), Meet sees none of the refused ones, and a
// good request still works afterwards.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { rawRequest, httpRequest, assertJsonError } from '../../lib/raw.mjs';
import { meet } from '../../lib/http.mjs';

const get = (target) => httpRequest('GET', target);

// [label, raw request, status, answered by: 'app' (JSON error) | 'server' (lighttpd itself), Allow of a 405]
const cases = [
  ['roomId with a dot', get('/rooms/r.1/members.csv'), 400, 'app'],
  // lighttpd decodes %2E%2E and removes the dot segment: /members.csv, a static 404.
  ['roomId %2E%2E', get('/rooms/%2E%2E/members.csv'), 404, 'server'],
  ['roomId a%2Fb', get('/rooms/a%2Fb/members.csv'), 404, 'app'],
  ['roomId with %0D%0A and a header', get('/rooms/r1%0D%0AContent-Disposition:%20inline/members.csv'), 400, 'server'],
  ['roomId with an encoded quote', get('/rooms/r1%22;%20filename=evil.html/members.csv'), 400, 'app'],
  ['roomId with %00', get('/rooms/r1%00/members.csv'), 400, 'server'],
  ['roomId with unicode (%C3%A9)', get('/rooms/caf%C3%A9/members.csv'), 400, 'app'],
  ['roomId with %25', get('/rooms/r1%25/members.csv'), 400, 'app'],
  ['roomId of 101 characters', get(`/rooms/${'a'.repeat(101)}/members.csv`), 400, 'app'],
  ['path over 1 KiB (a 5,000-character roomId)', get(`/rooms/${'a'.repeat(5000)}/members.csv`), 404, 'app'],
  ['a segment after members.csv', get('/rooms/r1/members.csv/x'), 404, 'app'],
  ['members.csv as a member id (a route for PUT and DELETE only)', get('/rooms/r1/members/members.csv'), 405, 'app', 'PUT, DELETE'],
  ['members.CSV (case matters)', get('/rooms/r1/members.CSV'), 404, 'app'],
  ['members.csvx', get('/rooms/r1/members.csvx'), 404, 'app'],
  ['members.csv without a room', get('/rooms//members.csv'), 404, 'app'],
  ['POST members.csv', httpRequest('POST', '/rooms/r1/members.csv', { headers: { 'Content-Type': 'application/json' }, body: '{}' }), 405, 'app', 'GET'],
  ['DELETE members.csv', httpRequest('DELETE', '/rooms/r1/members.csv'), 405, 'app', 'GET'],
];

describe('hostile requests for members.csv (lighttpd)', () => {
  let emu;
  let app;
  let roomId;

  before(async () => {
    emu = await startEmulator({ naming: 'released' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url });
    roomId = (await meet(emu, 'POST', '/rooms', { roomName: 'Target' })).json.roomId;
    assert.equal((await meet(emu, 'POST', `/rooms/${roomId}/members`, { name: '=1+1', baseRole: 'speaker' })).status, 201);
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  for (const [label, request, status, by, allow] of cases) {
    test(`${label} → ${status}`, async () => {
      emu.clearLog();
      const answer = await rawRequest(app.port, request);
      if (by === 'app') {
        assertJsonError(answer, status, label);
        assert.equal(answer.headers['content-disposition'], undefined, `${label}: sent as a file`);
      } else {
        assert.equal(answer.status, status, `${label}: ${answer.text.slice(0, 300)}`);
      }
      if (status === 405) assert.equal(answer.headers.allow, allow);
      assert.deepEqual(emu.readLog(), [], `${label} reached Meet`);
    });
  }

  test('a query string changes nothing, and a good request still works', async () => {
    const answer = await rawRequest(app.port, get(`/rooms/${roomId}/members.csv?format=html&callback=x`));
    assert.equal(answer.status, 200, answer.text.slice(0, 300));
    assert.equal(answer.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(answer.headers['content-disposition'], `attachment; filename="${roomId}-members.csv"`);
    const text = Buffer.from(answer.body, 'latin1').toString('utf8');
    assert.match(text, /^\uFEFFname,role,link\r\n'=1\+1,speaker,http/);
  });
});

describe('members.csv when Meet fails: a JSON error, never part of a file', () => {
  for (const [fault, status] of [['garbage', 502], ['status:500', 502], ['reset', 502]]) {
    test(`Meet fault ${fault} → ${status}`, async () => {
      const emu = await startEmulator({ naming: 'released', fault });
      const app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url });
      try {
        const answer = await rawRequest(app.port, get('/rooms/r1/members.csv'));
        assertJsonError(answer, status, fault);
        assert.equal(answer.headers['content-disposition'], undefined);
        assert.equal(answer.headers['cache-control'], 'no-store');
      } finally {
        await app.stop();
        await emu.stop();
      }
    });
  }

  test('Meet too slow → 504', async () => {
    const emu = await startEmulator({ naming: 'released', fault: 'slow:3000' });
    const app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, env: { MEET_TIMEOUT_MS: '500' } });
    try {
      const answer = await rawRequest(app.port, get('/rooms/r1/members.csv'));
      assertJsonError(answer, 504, 'slow');
      assert.equal(answer.headers['content-disposition'], undefined);
    } finally {
      await app.stop();
      await emu.stop();
    }
  });
});
