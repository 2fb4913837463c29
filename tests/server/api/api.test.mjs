// Every endpoint through a real lighttpd, as FastCGI and as plain CGI,
// against the Meet API emulator: good input, bad input (which must never
// reach Meet: the emulator's request log stays empty), and Meet's errors.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { call, meet, decodeQrSvg } from '../../lib/http.mjs';

const API_KEY = 'integration-api-key';

for (const webServer of ['lighttpd', 'lighttpd-cgi']) {
  describe(`app API (${webServer})`, () => {
    let emu;
    let app;

    before(async () => {
      emu = await startEmulator({ naming: 'released', apiKey: API_KEY });
      app = await startApp({ webServer, meetUrl: emu.url, apiKey: API_KEY });
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
    });

    // Asserts that calls made by fn are answered without asking Meet.
    async function neverReachesMeet(fn) {
      emu.clearLog();
      await fn();
      assert.deepEqual(emu.readLog(), [], 'a rejected request reached Meet');
    }

    test('GET /config and the security headers', async () => {
      const r = await call(app, 'GET', '/config');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { meetServerUrl: emu.url, webComponentUrl: `${emu.url}/v1/openvidu-meet.js`,
        livekitUrl: 'ws://localhost:7880' });
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const origin = new URL(emu.url).origin;
      for (const answer of [r, await call(app, 'GET', '/')]) {
        const csp = answer.headers.get('content-security-policy');
        // WebAssembly may be compiled (virtual backgrounds); eval stays refused.
        assert.ok(csp.includes(`script-src 'self' ${origin} 'wasm-unsafe-eval';`), csp);
        assert.doesNotMatch(csp, /'unsafe-eval'/);
        assert.match(csp, new RegExp(`frame-src ${origin};`));
        assert.match(csp, /frame-ancestors 'none'/);
        // The real 3.8 component renders in our page: it calls Meet, and
        // LiveKit (OV_LIVEKIT_URL) as a websocket and over HTTP.
        assert.ok(csp.includes(`connect-src 'self' ${origin} ${origin.replace(/^http/, 'ws')} `
          + 'ws://localhost:7880 http://localhost:7880;'), csp);
        assert.ok(csp.includes(`media-src 'self' blob: mediastream: ${origin};`), csp);
        assert.match(csp, /object-src 'none'/);
        assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
      }
    });

    test('rooms: create, list, delete, and Meet\'s 404 passed on', async () => {
      emu.clearLog();
      const created = await call(app, 'POST', '/rooms', { body: { roomName: 'Team Sync', ignored: 1 } });
      assert.equal(created.status, 201, created.text);
      assert.match(created.json.message, /Team Sync/);
      const { roomId } = created.json.room;
      assert.match(roomId, /^team_sync-/);
      assert.deepEqual(emu.readLog().map((e) => `${e.method} ${e.path} ${e.status}`), ['POST /meet/api/v1/rooms 201']);

      // The tutorial's room config, in the shape 3.8.0 accepts.
      const stored = await meet(emu, 'GET', `/rooms/${roomId}?extraFields=config`, undefined, API_KEY);
      assert.equal(stored.json.config.chat.enabled, true);
      assert.equal(stored.json.config.recording.enabled, true);
      assert.equal(stored.json.config.virtualBackground.enabled, true);

      const list = await call(app, 'GET', '/rooms');
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('cache-control'), 'no-store');
      assert.ok(list.json.rooms.some((room) => room.roomId === roomId));

      const deleted = await call(app, 'DELETE', `/rooms/${roomId}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.match(deleted.json.message, new RegExp(roomId));
      // A live meeting is never cut short and recordings never destroyed from here.
      assert.ok(emu.readLog().some((e) => e.method === 'DELETE'
        && e.path === `/meet/api/v1/rooms/${roomId}?withMeeting=when_meeting_ends&withRecordings=fail`),
      'DELETE went to Meet with the safe policies');
      const again = await call(app, 'DELETE', `/rooms/${roomId}`);
      assert.equal(again.status, 404);
      assert.match(again.json.message, /does not exist/);
    });

    test('rooms: bad input is refused before Meet', async () => {
      await neverReachesMeet(async () => {
        for (const body of [{}, { roomName: '' }, { roomName: '   ' }, { roomName: 7 }, { roomName: 'x'.repeat(51) },
          { roomName: 'a\u0001b' }]) {
          const r = await call(app, 'POST', '/rooms', { body });
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.match(r.json.message, /roomName/);
        }
        assert.equal((await call(app, 'POST', '/rooms', { body: '{"roomName":' })).status, 400);
        assert.equal((await call(app, 'POST', '/rooms', { body: '[1]' })).status, 400);
        assert.equal((await call(app, 'POST', '/rooms', { body: 'roomName=x', contentType: 'application/x-www-form-urlencoded' })).status, 415);
        assert.equal((await call(app, 'POST', '/rooms', { body: '{"roomName":"x"}', contentType: 'text/plain' })).status, 415);
        const big = await call(app, 'POST', '/rooms', { body: { roomName: 'x', pad: 'p'.repeat(65 * 1024) } });
        assert.equal(big.status, 413);
        assert.equal(big.json.message, 'The request body is larger than 65536 bytes');
        for (const id of ['a.b', 'a%20b', 'a%2e%2e', 'x'.repeat(101), '%C3%A9']) {
          const r = await call(app, 'DELETE', `/rooms/${id}`);
          assert.equal(r.status, 400, id);
          assert.match(r.json.message, /roomId/);
        }
        // lighttpd itself refuses a path that climbs out of the root.
        assert.ok((await call(app, 'DELETE', '/rooms/..%2F..')).status >= 400);
        const wrong = await call(app, 'PATCH', '/rooms');
        assert.equal(wrong.status, 405);
        assert.equal(wrong.headers.get('allow'), 'POST, GET');
        assert.equal((await call(app, 'GET', '/rooms/r1')).headers.get('allow'), 'DELETE');
        assert.equal((await call(app, 'GET', '/rooms/r1/other')).status, 404);
        assert.equal((await call(app, 'GET', '/nothing-here')).status, 404);
      });
    });

    test('members: add, list, change role, QR, delete', async () => {
      const room = (await call(app, 'POST', '/rooms', { body: { roomName: 'Members' } })).json.room;
      const base = `/rooms/${room.roomId}/members`;

      const added = await call(app, 'POST', base, { body: { name: '  Alice  ', baseRole: 'speaker' } });
      assert.equal(added.status, 201, added.text);
      const alice = added.json.member;
      assert.equal(alice.name, 'Alice');
      assert.equal(alice.baseRole, 'speaker');
      assert.match(added.json.message, /Alice/);
      assert.ok(alice.accessUrl.endsWith(`?secret=${alice.memberId}`), alice.accessUrl);

      const bob = (await call(app, 'POST', base, {
        body: { name: 'Bob', baseRole: 'moderator', customPermissions: { canRecord: false } },
      })).json.member;
      assert.equal(bob.baseRole, 'moderator');

      const list = await call(app, 'GET', base);
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('cache-control'), 'no-store');
      assert.deepEqual(list.json.members.map((m) => m.memberId).sort(), [alice.memberId, bob.memberId].sort());

      const updated = await call(app, 'PUT', `${base}/${alice.memberId}`, { body: { baseRole: 'moderator' } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.json.member.baseRole, 'moderator');
      assert.equal(updated.json.member.accessUrl, alice.accessUrl, 'a role change keeps the link');

      const qr = await call(app, 'GET', `${base}/${alice.memberId}/qr`);
      assert.equal(qr.status, 200);
      assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
      assert.equal(qr.headers.get('cache-control'), 'no-store');
      assert.match(qr.text, /^<svg /);
      // rsvg-convert and zbarimg come with scripts/deps.sh test.
      assert.equal(decodeQrSvg(qr.text), alice.accessUrl);

      const removed = await call(app, 'DELETE', `${base}/${alice.memberId}`);
      assert.equal(removed.status, 200, removed.text);
      assert.ok(removed.json.message);
      assert.deepEqual((await call(app, 'GET', base)).json.members.map((m) => m.memberId), [bob.memberId]);
      const gone = await call(app, 'DELETE', `${base}/${alice.memberId}`);
      assert.equal(gone.status, 404);
      assert.match(gone.json.message, /not found/);
      assert.equal((await call(app, 'GET', `${base}/${alice.memberId}/qr`)).status, 404);

      // Member ids are link secrets: the log names routes, not paths.
      const logs = app.logs();
      assert.match(logs, /DELETE \/rooms\/\{roomId\}\/members\/\{memberId\} 200 meet=200/);
      assert.ok(!logs.includes(alice.memberId), 'a member id reached the log');
      assert.ok(!logs.includes(API_KEY), 'the API key reached the log');
    });

    test('members: bad input is refused before Meet', async () => {
      await neverReachesMeet(async () => {
        const base = '/rooms/some_room-1/members';
        const cases = [
          [{ baseRole: 'speaker' }, /name/],
          [{ name: '   ', baseRole: 'speaker' }, /name/],
          [{ name: 'x'.repeat(51), baseRole: 'speaker' }, /name/],
          [{ name: 'Eve', baseRole: 'admin' }, /baseRole/],
          [{ name: 'Eve' }, /baseRole/],
          [{ name: 'Eve', baseRole: 'speaker', customPermissions: { canRecord: 'yes' } }, /customPermissions/],
          [{ name: 'Eve', baseRole: 'speaker', customPermissions: [true] }, /customPermissions/],
          [{ name: 'Eve', baseRole: 'speaker', customPermissions: null }, /customPermissions/],
        ];
        for (const [body, pattern] of cases) {
          const r = await call(app, 'POST', base, { body });
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.match(r.json.message, pattern);
        }
        assert.equal((await call(app, 'PUT', `${base}/guest-1`, { body: {} })).status, 400);
        assert.equal((await call(app, 'PUT', `${base}/guest-1`, { body: { baseRole: 'owner' } })).status, 400);
        assert.equal((await call(app, 'PUT', `${base}/guest-1`, { body: '{}', contentType: 'text/plain' })).status, 415);
        assert.equal((await call(app, 'DELETE', `${base}/guest.1`)).status, 400);
        assert.equal((await call(app, 'GET', '/rooms/a.b/members')).status, 400);
        const wrong = await call(app, 'POST', `${base}/guest-1/qr`);
        assert.equal(wrong.status, 405);
        assert.equal(wrong.headers.get('allow'), 'GET');
        assert.equal((await call(app, 'GET', `${base}/guest-1/qr/x`)).status, 404);
      });
    });

    test('members of a room that does not exist: Meet\'s 404 and message', async () => {
      const r = await call(app, 'GET', '/rooms/no_such_room-000000000000000/members');
      assert.equal(r.status, 404);
      assert.match(r.json.message, /does not exist/);
      const added = await call(app, 'POST', '/rooms/no_such_room-000000000000000/members', { body: { name: 'A', baseRole: 'speaker' } });
      assert.equal(added.status, 404);
    });
  });
}
