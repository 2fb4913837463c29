// Room field selection (fields / X-Fields with extraFields / X-ExtraFields on
// GET /rooms and GET /rooms/{roomId}), PUT /rooms/{roomId}/access and the
// room status filter, as OpenVidu Meet 3.8.0 answers them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../launch.mjs';
import { apiClient, send, withEmulator } from './client.mjs';

const BASE_KEYS = ['roomId', 'roomName', 'owner', 'creationDate', 'access', 'status',
  'rolesUpdatedAt', 'meetingEndAction', 'autoDeletionDate', 'autoDeletionPolicy'];
const keys = (o) => Object.keys(o);
const tokenOf = (pagination) => JSON.parse(Buffer.from(pagination.nextPageToken, 'base64').toString());
const invalid = (field, message) => ({
  error: 'Unprocessable Entity', message: 'Invalid request', details: [{ field, message }],
});
const arrayIssue = (field) => ({ field, message: 'Expected string, received array' });

describe('fields and X-Fields', () => {
  let emu;
  let api;
  let id;
  before(async () => {
    emu = await startEmulator();
    api = apiClient(emu);
    const created = await api('POST', '/rooms', {
      roomName: 'Fields', autoDeletionDate: Date.now() + 2 * 3600 * 1000,
    });
    id = created.json.roomId;
    await api('POST', '/rooms', { roomName: 'Fields Two' });
  });
  after(() => emu.stop());
  const get = (query = '', headers = {}) => api('GET', `/rooms/${id}${query}`, undefined, { headers });

  test('without fields: every base field in the usual order, extra fields after them as asked', async () => {
    const full = await get();
    assert.deepEqual(keys(full.json), [...BASE_KEYS, '_extraFields']);
    assert.deepEqual(full.json._extraFields, ['config', 'roles']);
    assert.deepEqual(keys((await get('?extraFields=roles,config')).json), [...BASE_KEYS, 'roles', 'config', '_extraFields']);
    assert.deepEqual(keys((await get('?extraFields=roles', { 'X-ExtraFields': 'config' })).json),
      [...BASE_KEYS, 'roles', 'config', '_extraFields']);
  });

  test('fields selects base fields in the order asked, trimmed, once each', async () => {
    const r = await get('?fields=status,roomId,status');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'open', roomId: id, _extraFields: ['config', 'roles'] });
    assert.deepEqual(keys((await get('?fields=autoDeletionDate,%20roomName%20,,access')).json),
      ['autoDeletionDate', 'roomName', 'access', '_extraFields']);
    const access = (await get('?fields=access')).json.access;
    assert.match(access.anonymous.moderator.url, new RegExp(`^${emu.url}/room/${id}\\?secret=[0-9a-f]{10}$`));
  });

  test('unknown, extra or differently cased names are dropped; none left is the full object', async () => {
    assert.deepEqual(keys((await get('?fields=roomId,bogus')).json), ['roomId', '_extraFields']);
    for (const q of ['?fields=', '?fields', '?fields=bogus,config,roles', '?fields=ROOMID', '?fields=_extraFields']) {
      assert.deepEqual(keys((await get(q)).json), [...BASE_KEYS, '_extraFields'], q);
    }
    // config in fields does nothing; in extraFields it is added after the fields
    assert.deepEqual(keys((await get('?fields=config&extraFields=config')).json), [...BASE_KEYS, 'config', '_extraFields']);
    const r = await get('?fields=roomId&extraFields=roles,bogus');
    assert.deepEqual(keys(r.json), ['roomId', 'roles', '_extraFields']);
    assert.equal(r.json.roles.speaker.permissions.canRecord, false);
  });

  test('X-Fields is added to fields (query names first); X-ExtraFields likewise', async () => {
    assert.deepEqual(keys((await get('?fields=roomName,roomId', { 'X-Fields': 'roomId,status' })).json),
      ['roomName', 'roomId', 'status', '_extraFields']);
    assert.deepEqual(keys((await get('', { 'X-Fields': ' status , roomName' })).json), ['status', 'roomName', '_extraFields']);
    assert.deepEqual(keys((await get('?fields=bogus2', { 'X-Fields': 'bogus' })).json), [...BASE_KEYS, '_extraFields']);
    assert.deepEqual(keys((await get('?fields=roomId', { 'X-Fields': '' })).json), ['roomId', '_extraFields']);
    assert.deepEqual(keys((await get('?extraFields=config', { 'X-Fields': 'roomId', 'X-ExtraFields': 'roles' })).json),
      ['roomId', 'config', 'roles', '_extraFields']);
  });

  test('a repeated parameter is 422 unless its header has a valid name', async () => {
    assert.deepEqual((await get('?fields=roomId&fields=roomName')).json, invalid('fields', 'Expected string, received array'));
    const both = await get('?fields=roomId&fields=x&extraFields=config&extraFields=roles');
    assert.equal(both.status, 422);
    assert.deepEqual(both.json.details, [arrayIssue('fields'), arrayIssue('extraFields')]);
    assert.equal((await get('?fields=roomId&fields=roomName', { 'X-Fields': 'bogus' })).status, 422);
    assert.deepEqual((await get('?fields=roomId&fields=roomName', { 'X-Fields': 'status' })).json,
      { status: 'open', _extraFields: ['config', 'roles'] });
    assert.deepEqual(keys((await get('?extraFields=config&extraFields=x&fields=roomId', { 'X-ExtraFields': 'roles' })).json),
      ['roomId', 'roles', '_extraFields']);
    // fields[] is another parameter's name
    assert.deepEqual(keys((await get('?fields[]=roomId')).json), [...BASE_KEYS, '_extraFields']);
  });

  test('the roomId is checked first, the room\'s existence after the query', async () => {
    const bad = await api('GET', '/rooms/%21%21?fields=a&fields=b');
    assert.deepEqual(bad.json, invalid('roomId', 'roomId cannot be empty after sanitization'));
    assert.deepEqual((await api('GET', '/rooms/nosuch?fields=roomId')).json,
      { error: 'Room Error', message: "Room 'nosuch' does not exist" });
    assert.equal((await api('GET', '/rooms/nosuch?fields=a&fields=b')).status, 422);
  });

  test('the list applies them to every room', async () => {
    const r = await api('GET', '/rooms?fields=roomName', undefined, { headers: { 'X-Fields': 'roomId,status' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.rooms.map(keys), [['roomName', 'roomId', 'status'], ['roomName', 'roomId', 'status']]);
    assert.deepEqual(r.json.rooms.map((x) => x.roomName), ['Fields Two', 'Fields']);
    assert.deepEqual(keys(r.json), ['rooms', 'pagination', '_extraFields']);
    const extra = await api('GET', '/rooms?extraFields=roles,config&fields=status');
    assert.deepEqual(extra.json.rooms.map(keys), [['status', 'roles', 'config'], ['status', 'roles', 'config']]);
    const all = await api('GET', '/rooms?fields=bogus');
    assert.deepEqual(keys(all.json.rooms[1]), BASE_KEYS);
    assert.deepEqual(keys(all.json.rooms[0]), BASE_KEYS.filter((k) => !k.startsWith('autoDeletion')));
  });

  test('list validation: fields and extraFields issues between status and maxItems', async () => {
    const r = await api('GET', '/rooms?fields=roomId&fields=x&status=bogus&maxItems=0&extraFields=a&extraFields=b');
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.map((d) => d.field), ['status', 'fields', 'extraFields', 'maxItems']);
    assert.deepEqual(r.json.details[1], arrayIssue('fields'));
    const ok = await api('GET', '/rooms?fields=roomId&fields=x', undefined, { headers: { 'X-Fields': 'roomId' } });
    assert.equal(ok.status, 200);
  });

  test('list pages: the token has no value when the fields leave the sort field out, and then finds nothing', async () => {
    const first = await api('GET', '/rooms?fields=roomId&maxItems=1');
    assert.equal(first.json.pagination.isTruncated, true);
    assert.equal(tokenOf(first.json.pagination).fieldValue, null);
    const next = await api('GET', `/rooms?fields=roomId&maxItems=1&nextPageToken=${first.json.pagination.nextPageToken}`);
    assert.equal(next.status, 200);
    assert.deepEqual(next.json.rooms, []);
    assert.deepEqual(next.json.pagination, { isTruncated: false, maxItems: 1 });
    // with the sort field (creationDate by default) selected, paging works
    const dated = await api('GET', '/rooms?fields=roomId,creationDate&maxItems=1');
    assert.equal(typeof tokenOf(dated.json.pagination).fieldValue, 'number');
    const page2 = await api('GET', `/rooms?fields=roomId&maxItems=1&nextPageToken=${dated.json.pagination.nextPageToken}`);
    assert.deepEqual(page2.json.rooms, [{ roomId: id }]);
    const sorted = await api('GET', '/rooms?fields=roomId,creationDate&maxItems=1&sortField=roomName');
    assert.equal(tokenOf(sorted.json.pagination).fieldValue, null);
    assert.equal(typeof tokenOf((await api('GET', '/rooms?maxItems=1')).json.pagination).fieldValue, 'number');
    const members = await api('GET', `/rooms/${id}/members?nextPageToken=${first.json.pagination.nextPageToken}`);
    assert.equal(members.status, 200);
    assert.deepEqual(members.json.members, []);
  });
});

describe('PUT /rooms/{roomId}/access', () => {
  let emu;
  let api;
  before(async () => { emu = await startEmulator(); api = apiClient(emu); });
  after(() => emu.stop());
  const put = (id, body, headers) => api('PUT', `/rooms/${id}/access`, body, { headers });
  const secret = (url) => new URL(url).searchParams.get('secret');

  test('deep merge: the flags given change, the rest and the links stay; the answer is the access object', async () => {
    const room = (await api('POST', '/rooms', { roomName: 'Access' })).json;
    const before = room.access;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const r = await put(room.roomId, { access: { anonymous: { speaker: { enabled: false } }, user: { enabled: true } } });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^application\/json/);
    assert.deepEqual(r.json, {
      anonymous: {
        moderator: before.anonymous.moderator,
        speaker: { enabled: false, url: before.anonymous.speaker.url },
        recording: before.anonymous.recording,
      },
      user: { enabled: true, url: before.user.url },
    });
    const after = (await api('GET', `/rooms/${room.roomId}`)).json;
    assert.deepEqual(after.access, r.json);
    assert.ok(after.rolesUpdatedAt > room.rolesUpdatedAt, 'rolesUpdatedAt moves');
    assert.equal(after.creationDate, room.creationDate);

    // an empty access changes nothing but the date; unknown keys and urls are ignored
    assert.deepEqual((await put(room.roomId, { access: {} })).json, r.json);
    const ignored = await put(room.roomId, {
      access: { anonymous: { moderator: { enabled: true, url: 'http://evil/' } }, bogus: 1 }, x: 2,
    });
    assert.deepEqual(ignored.json, r.json);
  });

  test('links are built from the request\'s Host and X-Forwarded-Proto', async () => {
    const room = (await api('POST', '/rooms', { roomName: 'Hosted' })).json;
    const r = await put(room.roomId, { access: {} }, { Host: 'example.org:1234', 'X-Forwarded-Proto': 'https' });
    assert.equal(r.json.user.url, `https://example.org:1234/meet/room/${room.roomId}`);
    assert.equal(r.json.anonymous.recording.url,
      `https://example.org:1234/meet/room/${room.roomId}/recordings?secret=${secret(room.access.anonymous.recording.url)}`);
  });

  test('the joining-token endpoint follows the flags', async () => {
    const room = (await api('POST', '/rooms', { roomName: 'Tokens' })).json;
    const token = (s) => send(`${emu.url}/internal-api/v1/rooms/${room.roomId}/members/token`, {
      method: 'POST', body: { secret: s, joinMeeting: false },
    });
    const moderator = secret(room.access.anonymous.moderator.url);
    const speaker = secret(room.access.anonymous.speaker.url);
    assert.equal((await token(speaker)).status, 200);
    await put(room.roomId, { access: { anonymous: { speaker: { enabled: false } } } });
    assert.deepEqual((await token(speaker)).json, {
      error: 'Room Error', message: `Anonymous access in room '${room.roomId}' is disabled for role 'speaker'`,
    });
    assert.equal((await token(moderator)).status, 200);
    await put(room.roomId, { access: { anonymous: { speaker: { enabled: true }, moderator: { enabled: false } } } });
    assert.equal((await token(speaker)).status, 200);
    const refused = await token(moderator);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, `Anonymous access in room '${room.roomId}' is disabled for role 'moderator'`);
  });

  test('422 with zod\'s issues, in order', async () => {
    const room = (await api('POST', '/rooms', { roomName: 'Invalid' })).json;
    const cases = [
      [{}, [['access', 'Required']]],
      [{ access: 'x' }, [['access', 'Expected object, received string']]],
      [{ access: null }, [['access', 'Expected object, received null']]],
      [[], [['', 'Expected object, received array']]],
      [{ access: { anonymous: null } }, [['access.anonymous', 'Expected object, received null']]],
      [{ access: { anonymous: [], user: [] } },
        [['access.anonymous', 'Expected object, received array'], ['access.user', 'Expected object, received array']]],
      [{ access: { anonymous: { moderator: { enabled: 'yes' } } } },
        [['access.anonymous.moderator.enabled', 'Expected boolean, received string']]],
      [{ access: { anonymous: { moderator: {}, speaker: { enabled: 1 }, recording: 'no' }, user: { enabled: null } } }, [
        ['access.anonymous.moderator.enabled', 'Required'],
        ['access.anonymous.speaker.enabled', 'Expected boolean, received number'],
        ['access.anonymous.recording', 'Expected object, received string'],
        ['access.user.enabled', 'Expected boolean, received null'],
      ]],
    ];
    for (const [body, issues] of cases) {
      const r = await put(room.roomId, body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.deepEqual(r.json, {
        error: 'Unprocessable Entity', message: 'Invalid request',
        details: issues.map(([field, message]) => ({ field, message })),
      }, JSON.stringify(body));
    }
    const none = await send(`${emu.url}/api/v1/rooms/${room.roomId}/access`, {
      method: 'PUT', headers: { 'X-API-KEY': 'meet-api-key' },
    });
    assert.deepEqual(none.json, invalid('', 'Required'));
    // nothing was changed by the refused requests
    assert.deepEqual((await api('GET', `/rooms/${room.roomId}`)).json.access, room.access);
  });

  test('roomId 422 first, then the body, then 404; malformed JSON 400; 401 without a key', async () => {
    assert.deepEqual((await put('%21%21', {})).json, invalid('roomId', 'roomId cannot be empty after sanitization'));
    assert.deepEqual((await put('nosuchroom', {})).json, invalid('access', 'Required'));
    const missing = await put('nosuchroom', { access: {} });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { error: 'Room Error', message: "Room 'nosuchroom' does not exist" });
    const malformed = await put('nosuchroom', '{bad', { 'Content-Type': 'application/json' });
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.json, { error: 'Bad Request', message: 'Malformed body' });
    const url = `${emu.url}/api/v1/rooms/x/access`;
    const anonymous = await send(url, { method: 'PUT', body: { access: {} } });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous.json, { error: 'Authentication Error', message: 'Unauthorized' });
    assert.equal(anonymous.headers['ratelimit-policy'], '120;w=60');
    const wrong = await send(url, { method: 'PUT', body: { access: {} }, headers: { 'X-API-KEY': 'nope' } });
    assert.deepEqual(wrong.json, { error: 'Authentication Error', message: 'Invalid API key' });
  });

  test('other methods on the path are unknown; the path is case-insensitive and takes a trailing slash', async () => {
    const room = (await api('POST', '/rooms', { roomName: 'Paths' })).json;
    for (const method of ['GET', 'POST']) {
      const r = await api(method, `/rooms/${room.roomId}/access`);
      assert.equal(r.status, 404);
      assert.deepEqual(r.json, { error: 'Path Not Found', message: 'API path not implemented' });
    }
    assert.equal((await api('PUT', `/ROOMS/${room.roomId}/ACCESS/`, { access: {} })).status, 200);
  });
});

test('room status: every room is open; the list filters on status', () => withEmulator({}, async (emu, api) => {
  const room = (await api('POST', '/rooms', { roomName: 'Status' })).json;
  assert.equal(room.status, 'open');
  const ids = async (status) => (await api('GET', `/rooms?fields=roomId&status=${status}`)).json.rooms.map((r) => r.roomId);
  assert.deepEqual(await ids('open'), [room.roomId]);
  assert.deepEqual(await ids('active_meeting'), []);
  assert.deepEqual(await ids('closed'), []);
  const bad = await api('GET', '/rooms?status=bogus');
  assert.deepEqual(bad.json, invalid('status',
    "Invalid enum value. Expected 'open' | 'active_meeting' | 'closed', received 'bogus'"));
}));
