// Member-only rooms (issue #11) through lighttpd: rooms are created with
// Meet's anonymous links off, the app's answers carry only the room fields
// of its allow-list (never an access URL, whatever Meet sends), and a room
// that still has anonymous links can have them turned off.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { call, meet } from '../../lib/http.mjs';

const ROOM_KEYS = ['anonymousAccess', 'creationDate', 'roomId', 'roomName', 'status'];

// Anything that looks like one of Meet's secrets or links.
function assertNoSecret(text) {
  assert.doesNotMatch(text, /secret|https?:\/\/|"access"|Url"/i, text);
}

describe('member-only rooms (lighttpd)', () => {
  let emu;
  let app;
  let open;  // an app started with ROOM_ANONYMOUS_ACCESS=on

  before(async () => {
    emu = await startEmulator();
    app = await startApp({ meetUrl: emu.url });
    open = await startApp({ meetUrl: emu.url, env: { ROOM_ANONYMOUS_ACCESS: 'on' } });
  });
  after(async () => {
    await app?.stop();
    await open?.stop();
    await emu?.stop();
  });

  test('a room is created with every anonymous link off; the answer is the allow-list', async () => {
    emu.clearLog();
    const created = await call(app, 'POST', '/rooms', { body: { roomName: 'Members Only' } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.json.room).sort(), ROOM_KEYS);
    assert.equal(created.json.room.anonymousAccess, false);
    assert.equal(created.json.room.status, 'open');
    assertNoSecret(created.text);
    const inMeet = await meet(emu, 'GET', `/rooms/${created.json.room.roomId}`);
    for (const role of ['moderator', 'speaker', 'recording']) {
      assert.equal(inMeet.json.access.anonymous[role].enabled, false, role);
    }
  });

  test('ROOM_ANONYMOUS_ACCESS=on keeps Meet\'s default, and says so', async () => {
    const created = await call(open, 'POST', '/rooms', { body: { roomName: 'Open Door' } });
    assert.equal(created.status, 201);
    assert.equal(created.json.room.anonymousAccess, true);
    assertNoSecret(created.text);
  });

  test('the list asks Meet only for what it answers, and answers only the allow-list', async () => {
    // A room made elsewhere, with Meet's defaults (anonymous links on).
    await meet(emu, 'POST', '/rooms', { roomName: 'Made Elsewhere' });
    emu.clearLog();
    const list = await call(app, 'GET', '/rooms');
    assert.equal(list.status, 200);
    assert.ok(list.json.rooms.length >= 3);
    for (const room of list.json.rooms) assert.deepEqual(Object.keys(room).sort(), ROOM_KEYS);
    assertNoSecret(list.text);
    const elsewhere = list.json.rooms.find((room) => room.roomName === 'Made Elsewhere');
    assert.equal(elsewhere.anonymousAccess, true);
    assert.equal(list.json.rooms.find((room) => room.roomName === 'Members Only').anonymousAccess, false);
    assert.match(emu.readLog()[0].path, /[?&]fields=roomId%2CroomName%2CcreationDate%2Cstatus%2Caccess(&|$)/);
  });

  test('DELETE /rooms/{roomId}/anonymous-access turns Meet\'s anonymous links off', async () => {
    const made = await meet(emu, 'POST', '/rooms', { roomName: 'To Close' });
    const roomId = made.json.roomId;
    const speakerSecret = new URL(made.json.access.anonymous.speaker.url).searchParams.get('secret');
    emu.clearLog();
    const closed = await call(app, 'DELETE', `/rooms/${roomId}/anonymous-access`);
    assert.equal(closed.status, 200, closed.text);
    assert.deepEqual(closed.json.room, { roomId, anonymousAccess: false });
    assert.match(closed.json.message, /only members/i);
    assertNoSecret(closed.text);
    assert.deepEqual(emu.readLog().map((entry) => `${entry.method} ${entry.path}`),
      [`PUT /meet/api/v1/rooms/${roomId}/access`]);
    const inMeet = await meet(emu, 'GET', `/rooms/${roomId}`);
    for (const role of ['moderator', 'speaker', 'recording']) assert.equal(inMeet.json.access.anonymous[role].enabled, false);
    // The old anonymous link no longer gets anyone a token.
    const token = await fetch(`${emu.url}/internal-api/v1/rooms/${roomId}/members/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: speakerSecret, joinMeeting: false }),
    });
    assert.equal(token.status, 403);
    const listed = (await call(app, 'GET', '/rooms')).json.rooms.find((room) => room.roomId === roomId);
    assert.equal(listed.anonymousAccess, false);
  });

  test('turning off the links of a room that does not exist: Meet\'s 404; a bad id never reaches Meet', async () => {
    const missing = await call(app, 'DELETE', '/rooms/no-such-room/anonymous-access');
    assert.equal(missing.status, 404);
    emu.clearLog();
    assert.equal((await call(app, 'DELETE', '/rooms/a.b/anonymous-access')).status, 400);
    assert.equal((await call(app, 'GET', '/rooms/r1/anonymous-access')).status, 405);
    assert.deepEqual(emu.readLog(), []);
  });
});
