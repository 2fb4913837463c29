// Lists beyond one page of Meet's (100 items), and both spellings of an
// external member's type: 3.8.0's identified_guest and the tutorial's external.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { call, meet } from '../../lib/http.mjs';

const COUNT = 105;

for (const webServer of ['lighttpd', 'lighttpd-cgi']) {
  describe(`pagination (${webServer})`, () => {
    let emu;
    let app;
    let roomId;

    before(async () => {
      emu = await startEmulator({ naming: 'released' });
      app = await startApp({ webServer, meetUrl: emu.url });
      // Seeded straight into the emulator: quicker than through the app.
      for (let i = 0; i < COUNT; i++) {
        const r = await meet(emu, 'POST', '/rooms', { roomName: `Room ${i}` });
        assert.equal(r.status, 201);
        roomId ||= r.json.roomId;
      }
      for (let i = 0; i < COUNT; i++) {
        const r = await meet(emu, 'POST', `/rooms/${roomId}/members`, { name: `Guest ${i}`, baseRole: 'speaker' });
        assert.equal(r.status, 201);
      }
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
    });

    test(`GET /rooms returns all ${COUNT} rooms, following nextPageToken`, async () => {
      emu.clearLog();
      const r = await call(app, 'GET', '/rooms');
      assert.equal(r.status, 200);
      assert.equal(r.json.rooms.length, COUNT);
      assert.equal(new Set(r.json.rooms.map((room) => room.roomId)).size, COUNT);
      const pages = emu.readLog();
      assert.equal(pages.length, 2);
      // Only the fields the app answers with (lib/meet_client.c, MEET_ROOM_LIST_FIELDS).
      assert.match(pages[0].path, /^\/meet\/api\/v1\/rooms\?maxItems=100&fields=roomId%2CroomName%2CcreationDate%2Cstatus%2Caccess$/);
      assert.match(pages[1].path, /[?&]nextPageToken=[^&]+/);
    });

    test(`GET members returns all ${COUNT} external members`, async () => {
      emu.clearLog();
      const r = await call(app, 'GET', `/rooms/${roomId}/members`);
      assert.equal(r.status, 200);
      assert.equal(r.json.members.length, COUNT);
      assert.ok(r.json.members.every((m) => m.type === 'identified_guest'));
      const pages = emu.readLog();
      assert.equal(pages.length, 2);
      assert.ok(pages.every((p) => /[?&]type=identified_guest(&|$)/.test(p.path) && p.status === 200));
    });
  });

  describe(`the tutorial's spelling: type=external (${webServer})`, () => {
    let emu;
    let app;

    before(async () => {
      emu = await startEmulator({ naming: 'tutorial' });
      app = await startApp({ webServer, meetUrl: emu.url });
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
    });

    test('members are listed after Meet refuses identified_guest with 422', async () => {
      const room = (await call(app, 'POST', '/rooms', { body: { roomName: 'Tutorial' } })).json.room;
      const base = `/rooms/${room.roomId}/members`;
      const added = await call(app, 'POST', base, { body: { name: 'Carol', baseRole: 'speaker' } });
      assert.equal(added.status, 201, added.text);
      assert.equal(added.json.member.type, 'external');

      emu.clearLog();
      for (let i = 0; i < 4; i++) {
        const r = await call(app, 'GET', base);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.members.map((m) => m.name), ['Carol']);
      }
      const log = emu.readLog();
      const refused = log.filter((e) => /type=identified_guest/.test(e.path));
      assert.ok(refused.every((e) => e.status === 422));
      assert.equal(log.filter((e) => /type=external/.test(e.path) && e.status === 200).length, 4);
      // A FastCGI process (one per program, all its workers) learns the
      // spelling that worked once; a CGI process lives for one request.
      if (webServer === 'lighttpd') assert.equal(refused.length, 1, `${refused.length} refusals`);
    });

    test('an unknown room is still Meet\'s 404, not the 422 of the other spelling', async () => {
      for (let i = 0; i < 3; i++) {
        const r = await call(app, 'GET', '/rooms/no_such_room-000000000000000/members');
        assert.equal(r.status, 404, r.text);
        assert.match(r.json.message, /does not exist/);
      }
    });
  });
}
