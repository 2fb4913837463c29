// The emulator's own behaviour: every operation in both namings, auth,
// pagination over more than 100 items, concurrency, the request log.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../launch.mjs';
import { apiClient, send, withEmulator } from './client.mjs';

for (const naming of ['released', 'tutorial']) {
  const type = naming === 'released' ? 'identified_guest' : 'external';
  const other = naming === 'released' ? 'external' : 'identified_guest';
  const prefix = naming === 'released' ? 'guest-' : 'ext-';

  describe(`operations (${naming} naming)`, () => {
    let emu;
    let api;
    before(async () => { emu = await startEmulator({ naming }); api = apiClient(emu); });
    after(() => emu.stop());

    test('room and member lifecycle', async () => {
      const room = await api('POST', '/rooms', { roomName: 'Lifecycle', config: { chat: { enabled: true } } });
      assert.equal(room.status, 201);
      assert.equal(room.headers.location, `${emu.url}/api/v1/rooms/${room.json.roomId}`);
      const id = room.json.roomId;
      assert.match(id, /^lifecycle-[0-9a-z]{15}$/);
      assert.equal((await api('GET', `/rooms/${id}`)).json.roomName, 'Lifecycle');

      const m = await api('POST', `/rooms/${id}/members`, { name: 'Ana', baseRole: 'speaker' });
      assert.equal(m.status, 201);
      assert.match(m.json.memberId, new RegExp(`^${prefix}[0-9a-f]{10}$`));
      assert.equal(m.json.type, type);
      assert.equal(m.json.accessUrl, `${emu.url}/room/${id}?secret=${m.json.memberId}`);
      assert.equal(m.headers.location, `${emu.url}/api/v1/rooms/${id}/members/${m.json.memberId}`);

      const list = await api('GET', `/rooms/${id}/members?type=${type}`);
      assert.deepEqual(list.json.members.map((x) => x.memberId), [m.json.memberId]);
      const wrong = await api('GET', `/rooms/${id}/members?type=${other}`);
      assert.equal(wrong.status, 422);
      assert.equal(wrong.json.details[0].message, `Invalid enum value. Expected 'user' | '${type}', received '${other}'`);

      const got = await api('GET', `/rooms/${id}/members/${m.json.memberId}?extraFields=effectivePermissions`);
      assert.equal(got.json.effectivePermissions.canRecord, false);
      const put = await api('PUT', `/rooms/${id}/members/${m.json.memberId}`, { baseRole: 'moderator' });
      assert.equal(put.json.baseRole, 'moderator');
      const del = await api('DELETE', `/rooms/${id}/members/${m.json.memberId}`);
      assert.deepEqual(del.json, { message: `Member '${m.json.memberId}' deleted successfully from room '${id}'` });
      assert.equal((await api('GET', `/rooms/${id}/members/${m.json.memberId}`)).status, 404);

      const gone = await api('DELETE', `/rooms/${id}?withMeeting=force&withRecordings=close`);
      assert.deepEqual(gone.json, { successCode: 'room_deleted', message: `Room '${id}' deleted successfully` });
      assert.equal((await api('GET', `/rooms/${id}`)).status, 404);
      assert.equal((await api('GET', `/rooms/${id}/members`)).json.error, 'Room Error');
    });

    test('auth: missing and wrong keys on every route', async () => {
      const routes = [['GET', '/rooms'], ['POST', '/rooms'], ['GET', '/rooms/x'], ['DELETE', '/rooms/x'],
        ['POST', '/rooms/x/members'], ['GET', '/rooms/x/members'], ['GET', '/rooms/x/members/y'],
        ['PUT', '/rooms/x/members/y'], ['DELETE', '/rooms/x/members/y'], ['PUT', '/rooms/x/access']];
      for (const [method, path] of routes) {
        const none = await send(`${emu.url}/api/v1${path}`, { method });
        assert.deepEqual(none.json, { error: 'Authentication Error', message: 'Unauthorized' }, `${method} ${path}`);
        const wrong = await apiClient(emu, 'nope')(method, path);
        assert.deepEqual(wrong.json, { error: 'Authentication Error', message: 'Invalid API key' }, `${method} ${path}`);
      }
    });
  });
}

test('the API key comes from OV_MEET_API_KEY', () => withEmulator({ apiKey: 'custom-key' }, async (emu) => {
  assert.equal((await apiClient(emu, 'custom-key')('GET', '/rooms')).status, 200);
  assert.equal((await apiClient(emu, 'meet-api-key')('GET', '/rooms')).status, 401);
}));

/** Walks every page; returns the ids in order. */
async function walk(api, path, key, maxItems) {
  const ids = [];
  let token = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}maxItems=${maxItems}${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`;
    const r = await api('GET', url);
    assert.equal(r.status, 200);
    assert.equal(r.json.pagination.maxItems, Math.min(maxItems, 100));
    ids.push(...r.json[key].map((x) => x.roomId && key === 'rooms' ? x.roomId : x.memberId));
    token = r.json.pagination.isTruncated ? r.json.pagination.nextPageToken : null;
    assert.equal(Boolean(token), r.json.pagination.isTruncated);
    pages++;
  } while (token);
  return { ids, pages };
}

test('pagination: 130 rooms and 150 members, every page walked, newest first, no duplicates or gaps', () => withEmulator({}, async (emu, api) => {
  const rooms = [];
  for (let i = 0; i < 130; i++) rooms.push((await api('POST', '/rooms', { roomName: `Room ${i}` })).json.roomId);
  const newestFirst = [...rooms].reverse();
  for (const max of [100, 1000, 7]) {
    const { ids, pages } = await walk(api, '/rooms', 'rooms', max);
    assert.deepEqual(ids, newestFirst, `maxItems=${max}`);
    assert.equal(pages, Math.ceil(130 / Math.min(max, 100)));
  }
  const defaultPage = await api('GET', '/rooms');
  assert.equal(defaultPage.json.rooms.length, 10);
  assert.equal(defaultPage.json.pagination.maxItems, 10);

  const room = rooms[0];
  const members = [];
  for (let i = 0; i < 150; i++) members.push((await api('POST', `/rooms/${room}/members`, { name: `M${i}`, baseRole: 'speaker' })).json.memberId);
  for (const max of [100, 13]) {
    const { ids } = await walk(api, `/rooms/${room}/members`, 'members', max);
    assert.deepEqual(ids, [...members].reverse(), `maxItems=${max}`);
    assert.equal(new Set(ids).size, 150);
  }
  // the token is base64 of {"fieldValue", "id"} as the released server writes it
  const first = await api('GET', `/rooms/${room}/members?maxItems=1`);
  const token = JSON.parse(Buffer.from(first.json.pagination.nextPageToken, 'base64').toString());
  assert.deepEqual(Object.keys(token), ['fieldValue', 'id']);
  assert.equal(token.fieldValue, first.json.members[0].membershipDate);
  assert.match(token.id, /^[0-9a-f]{24}$/);
  // a member deleted between pages does not shift the next page
  const p1 = await api('GET', `/rooms/${room}/members?maxItems=10`);
  await api('DELETE', `/rooms/${room}/members/${p1.json.members[0].memberId}`);
  const p2 = await api('GET', `/rooms/${room}/members?maxItems=10&nextPageToken=${encodeURIComponent(p1.json.pagination.nextPageToken)}`);
  assert.equal(p2.json.members[0].memberId, [...members].reverse()[10]);
}));

test('maxItems validation: 0, negative, non-numeric are 422; fractions floor; above 100 caps', () => withEmulator({}, async (emu, api) => {
  for (const v of ['0', '-5', '-0.5']) {
    assert.deepEqual((await api('GET', `/rooms?maxItems=${v}`)).json.details, [{ field: 'maxItems', message: 'maxItems must be a positive number' }], v);
  }
  for (const v of ['abc', '1x', 'NaN']) {
    assert.deepEqual((await api('GET', `/rooms?maxItems=${v}`)).json.details, [{ field: 'maxItems', message: 'Expected number, received nan' }], v);
  }
  assert.equal((await api('GET', '/rooms?maxItems=2.9')).json.pagination.maxItems, 2);
  assert.equal((await api('GET', '/rooms?maxItems=1e3')).json.pagination.maxItems, 100);
}));

test('concurrency: 50 parallel member creations are all stored', () => withEmulator({}, async (emu, api) => {
  const room = (await api('POST', '/rooms', { roomName: 'Crowd' })).json.roomId;
  const created = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    api('POST', `/rooms/${room}/members`, { name: `P${i}`, baseRole: i % 2 ? 'speaker' : 'moderator' })));
  assert.ok(created.every((r) => r.status === 201));
  const ids = new Set(created.map((r) => r.json.memberId));
  assert.equal(ids.size, 50);
  const listed = await api('GET', `/rooms/${room}/members?maxItems=100`);
  assert.deepEqual(new Set(listed.json.members.map((m) => m.memberId)), ids);
  // and parallel reads and deletes interleaved
  await Promise.all([...ids].slice(0, 25).map((id) => api('DELETE', `/rooms/${room}/members/${id}`)));
  assert.equal((await api('GET', `/rooms/${room}/members?maxItems=100`)).json.members.length, 25);
}));

test('request log: one line per API request (method, path with query, status); pages are not logged', () => withEmulator({}, async (emu, api) => {
  const room = (await api('POST', '/rooms', { roomName: 'Logged' })).json.roomId;
  await api('GET', '/rooms?maxItems=5&extraFields=config');
  await send(`${emu.url}/api/v1/rooms`);
  await send(`${emu.url}/v1/openvidu-meet.js`);
  await send(`${emu.url}/room/${room}?secret=x`);
  assert.deepEqual(emu.readLog(), [
    { method: 'POST', path: '/meet/api/v1/rooms', status: 201 },
    { method: 'GET', path: '/meet/api/v1/rooms?maxItems=5&extraFields=config', status: 200 },
    { method: 'GET', path: '/meet/api/v1/rooms', status: 401 },
  ]);
}));

test('process: startup line, clean exit on SIGTERM and SIGINT, bad settings refused', async () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const emu = await startEmulator({ livekit: signal === 'SIGTERM' ? false : true });
    assert.match(emu.stdout(), signal === 'SIGTERM'
      ? /^meet-emulator listening on http:\/\/127\.0\.0\.1:\d+\/meet\n$/
      : /^meet-emulator listening on http:\/\/127\.0\.0\.1:\d+\/meet livekit ws:\/\/127\.0\.0\.1:\d+\n$/);
    emu.signal(signal);
    const { code } = await emu.exited;
    assert.equal(code, 0, signal);
    await emu.stop();
  }
  for (const env of [{ MEET_EMULATOR_NAMING: 'other' }, { MEET_EMULATOR_FAULT: 'slow:x' }, { MEET_EMULATOR_PORT: '70000' },
    { MEET_EMULATOR_LIVEKIT_PORT: 'x' }, { MEET_EMULATOR_LIVEKIT_URL: 'http://livekit' }]) {
    await assert.rejects(startEmulator({ env }), /exited \(2\)/);
  }
});
