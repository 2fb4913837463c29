// Conformance with the rules of 3.8.0 that no transcript shows (emulator/README.md):
// roomId sanitisation, the zod issue order and the name/userId refinement,
// PUT semantics, slugs, bulk deletes, the token endpoint, URL building.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../launch.mjs';
import { apiClient, send } from '../tests/client.mjs';

let emu;
let api;
let roomId;

before(async () => {
  emu = await startEmulator({ naming: 'released' });
  api = apiClient(emu);
  roomId = (await api('POST', '/rooms', { roomName: 'Rules' })).json.roomId;
});
after(() => emu.stop());

const invalid = (details) => ({ error: 'Unprocessable Entity', message: 'Invalid request', details });

test('roomId: characters outside [a-zA-Z0-9_-] are removed before the lookup', async () => {
  const broken = `${roomId.slice(0, 3)}%40%21${roomId.slice(3)}`;
  const r = await api('GET', `/rooms/${broken}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.roomId, roomId);
});

test('roomId empty after sanitisation: 422 on roomId, on "" for DELETE /rooms/:roomId', async () => {
  const get = await api('GET', '/rooms/%40%40');
  assert.equal(get.status, 422);
  assert.deepEqual(get.json, invalid([{ field: 'roomId', message: 'roomId cannot be empty after sanitization' }]));
  const del = await api('DELETE', '/rooms/%40');
  assert.deepEqual(del.json, invalid([{ field: '', message: 'roomId cannot be empty after sanitization' }]));
  const members = await api('POST', '/rooms/%40/members', { name: 'A', baseRole: 'speaker' });
  assert.deepEqual(members.json, invalid([{ field: 'roomId', message: 'roomId cannot be empty after sanitization' }]));
});

test('roomId slugs as in the released tests (NFD, drops, "room")', async () => {
  const cases = [
    ['Habitación José', 'habitacion_jose'],
    ['Room@#$%^&*()123', 'room123'],
    ['Møde Åse', 'mde_ase'],
    ['会议室', 'room'],
    ['  Team -- Sync  ', 'team_sync'],
    ['Čeština Ŝŵ', 'cestina_sw'],
  ];
  for (const [name, prefix] of cases) {
    const r = await api('POST', '/rooms', { roomName: name });
    assert.equal(r.status, 201, name);
    assert.match(r.json.roomId, new RegExp(`^${prefix}-[0-9a-z]{15}$`), name);
  }
});

test('roomName is trimmed and inner whitespace collapsed; blank names fail in the database (500)', async () => {
  const r = await api('POST', '/rooms', { roomName: '  Team \t  Sync  ' });
  assert.equal(r.json.roomName, 'Team Sync');
  const blank = await api('POST', '/rooms', { roomName: '   ' });
  assert.equal(blank.status, 500);
  assert.deepEqual(blank.json, { error: 'Internal Server Error', message: 'Unexpected error while creating room' });
});

test('malformed JSON is a 400 before authentication; a top-level scalar is malformed too', async () => {
  const r = await send(`${emu.url}/api/v1/rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.json, { error: 'Bad Request', message: 'Malformed body' });
  const scalar = await api('POST', '/rooms', '"just a string"', { headers: { 'Content-Type': 'application/json' } });
  assert.equal(scalar.status, 400);
  const empty = await api('POST', '/rooms', '', { headers: { 'Content-Type': 'application/json' } });
  assert.equal(empty.status, 201, 'application/json with an empty body counts as {}');
  assert.equal(empty.json.roomName, 'Room');
});

test('an empty X-API-KEY is treated as absent', async () => {
  const r = await send(`${emu.url}/api/v1/rooms`, { headers: { 'X-API-KEY': '' } });
  assert.deepEqual(r.json, { error: 'Authentication Error', message: 'Unauthorized' });
});

test('addRoomMember: the refinement is skipped after a type error, kept after a length error', async () => {
  const path = `/rooms/${roomId}/members`;
  let r = await api('POST', path, { baseRole: 'admin' });
  assert.deepEqual(r.json.details, [{ field: 'baseRole', message: "Invalid enum value. Expected 'moderator' | 'speaker', received 'admin'" }]);
  r = await api('POST', path, { name: 5, baseRole: 'speaker' });
  assert.deepEqual(r.json.details, [{ field: 'name', message: 'Expected string, received number' }]);
  r = await api('POST', path, { userId: 'Bad-Id', name: 'A', baseRole: 'speaker' });
  assert.deepEqual(r.json.details, [
    { field: 'userId', message: 'userId must contain only lowercase letters, numbers, and underscores' },
    { field: 'userId', message: 'Either userId or name must be provided, but not both' },
  ]);
  r = await api('POST', path, { name: 'N'.repeat(51), baseRole: 'speaker', customPermissions: { canRecord: 1, canWriteChat: 'no' } });
  assert.deepEqual(r.json.details, [
    { field: 'name', message: 'name cannot exceed 50 characters' },
    { field: 'customPermissions.canRecord', message: 'Expected boolean, received number' },
    { field: 'customPermissions.canWriteChat', message: 'Expected boolean, received string' },
  ]);
  r = await api('POST', path, { name: 'A', baseRole: 5 });
  assert.deepEqual(r.json.details, [{ field: 'baseRole', message: "Expected 'moderator' | 'speaker', received number" }]);
});

test('addRoomMember: 422 body error wins over 404 unknown room; a user id gives 404 User Error or 409 for admin', async () => {
  const r = await api('POST', '/rooms/no-such-room/members', { name: 'A' });
  assert.equal(r.status, 422);
  const admin = await api('POST', `/rooms/${roomId}/members`, { userId: 'admin', baseRole: 'speaker' });
  assert.equal(admin.status, 409);
  assert.deepEqual(admin.json, {
    error: 'Room Member Error',
    message: `User 'admin' cannot be added as a member of room '${roomId}' because they are the room owner or an admin`,
  });
  const missing = await api('POST', `/rooms/${roomId}/members`, { userId: 'zed', baseRole: 'speaker' });
  assert.deepEqual(missing.json, { error: 'User Error', message: "User 'zed' not found" });
});

test('names count JavaScript length (UTF-16 units): 50 emoji halves are too long', async () => {
  const ok = await api('POST', `/rooms/${roomId}/members`, { name: 'é'.repeat(50), baseRole: 'speaker' });
  assert.equal(ok.status, 201);
  const long = await api('POST', `/rooms/${roomId}/members`, { name: '😀'.repeat(26), baseRole: 'speaker' });
  assert.equal(long.status, 422);
});

test('updateRoomMember: 422, then 404 room, then 404 member; customPermissions replaces, omitted keeps', async () => {
  const m = (await api('POST', `/rooms/${roomId}/members`, {
    name: 'Pat', baseRole: 'speaker', customPermissions: { canWriteChat: false, canShareScreen: false },
  })).json;
  const path = `/rooms/${roomId}/members/${m.memberId}`;
  assert.equal((await api('PUT', `/rooms/no-such-room/members/${m.memberId}`, { baseRole: 'x' })).status, 422);
  assert.equal((await api('PUT', `/rooms/no-such-room/members/${m.memberId}`, {})).json.error, 'Room Error');
  assert.equal((await api('PUT', `/rooms/${roomId}/members/guest-0000000000`, {})).json.error, 'Room Member Error');
  const noBody = await send(`${emu.url}/api/v1${path}`, { method: 'PUT', headers: { 'X-API-KEY': 'meet-api-key' } });
  assert.deepEqual(noBody.json, invalid([{ field: '', message: 'Required' }]));

  let r = await api('PUT', path, { baseRole: 'moderator', name: 'Renamed', userId: 'x' });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, 'Pat', 'name is stripped, not changed');
  assert.equal(r.json.baseRole, 'moderator');
  assert.deepEqual(r.json.customPermissions, { canShareScreen: false, canWriteChat: false });
  assert.ok(r.json.permissionsUpdatedAt >= m.permissionsUpdatedAt);
  r = await api('PUT', `${path}?extraFields=effectivePermissions`, { customPermissions: { canRecord: false } });
  assert.deepEqual(r.json.customPermissions, { canRecord: false });
  assert.equal(r.json.effectivePermissions.canRecord, false);
  assert.equal(r.json.effectivePermissions.canWriteChat, true, 'the old custom set is gone');
  r = await api('PUT', path, { customPermissions: {} });
  assert.equal('customPermissions' in r.json, false, 'an empty set is left out');
  assert.equal(r.json.accessUrl, m.accessUrl, 'same link');
  r = await api('PUT', path, { baseRole: 'admin' });
  assert.deepEqual(r.json.details, [{ field: 'baseRole', message: "Invalid enum value. Expected 'moderator' | 'speaker', received 'admin'" }]);
});

test('getRoomMembers: unknown type and other filters', async () => {
  const r = await api('GET', `/rooms/${roomId}/members?type=invalid`);
  assert.deepEqual(r.json, invalid([{ field: 'type', message: "Invalid enum value. Expected 'user' | 'identified_guest', received 'invalid'" }]));
  await api('POST', `/rooms/${roomId}/members`, { name: 'Filter Me', baseRole: 'moderator' });
  const byName = await api('GET', `/rooms/${roomId}/members?name=Filter%20Me`);
  assert.deepEqual(byName.json.members.map((m) => m.name), ['Filter Me']);
  const prefix = await api('GET', `/rooms/${roomId}/members?name=filter&nameMatchMode=prefix&nameCaseInsensitive=true`);
  assert.deepEqual(prefix.json.members.map((m) => m.name), ['Filter Me']);
  const mods = await api('GET', `/rooms/${roomId}/members?baseRole=moderator&maxItems=100`);
  assert.ok(mods.json.members.every((m) => m.baseRole === 'moderator'));
  const bad = await api('GET', `/rooms/${roomId}/members?nextPageToken=garbage`);
  assert.equal(bad.status, 500);
});

test('createRoom: autoDeletionPolicy rejects fail; config and roles are merged over the defaults', async () => {
  const future = Date.now() + 2 * 3600 * 1000;
  let r = await api('POST', '/rooms', { autoDeletionDate: future, autoDeletionPolicy: { withMeeting: 'fail', withRecordings: 'fail' } });
  assert.deepEqual(r.json.details, [
    { field: 'autoDeletionPolicy.withMeeting', message: 'FAIL policy is not allowed for withMeeting auto-deletion policy' },
    { field: 'autoDeletionPolicy.withRecordings', message: 'FAIL policy is not allowed for withRecordings auto-deletion policy' },
  ]);
  r = await api('POST', '/rooms?extraFields=config,roles', {
    autoDeletionDate: future,
    config: { captions: { enabled: false } },
    roles: { speaker: { permissions: { canRecord: true, nope: 1 } } },
  });
  assert.equal(r.status, 201);
  assert.equal(r.json.autoDeletionDate, future);
  assert.deepEqual(r.json.autoDeletionPolicy, { withMeeting: 'when_meeting_ends', withRecordings: 'close' });
  assert.deepEqual(Object.keys(r.json).slice(0, 6), ['roomId', 'roomName', 'owner', 'creationDate', 'autoDeletionDate', 'autoDeletionPolicy']);
  assert.equal(r.json.config.captions.enabled, false);
  assert.equal(r.json.config.chat.enabled, true);
  assert.equal(r.json.roles.speaker.permissions.canRecord, true);
  assert.equal(r.json.roles.speaker.permissions.canEndMeeting, false);
});

test('bulk member delete: comma string only; 200, 400 with failed, 422', async () => {
  const a = (await api('POST', `/rooms/${roomId}/members`, { name: 'Bulk A', baseRole: 'speaker' })).json.memberId;
  const b = (await api('POST', `/rooms/${roomId}/members`, { name: 'Bulk B', baseRole: 'speaker' })).json.memberId;
  let r = await api('DELETE', `/rooms/${roomId}/members?memberIds=${a},guest-ffffffffff`);
  assert.equal(r.status, 400);
  assert.deepEqual(r.json, {
    message: '1 room member(s) could not be deleted',
    deleted: [a],
    failed: [{ memberId: 'guest-ffffffffff', error: 'Room member not found' }],
  });
  r = await api('DELETE', `/rooms/${roomId}/members?memberIds=${b}&memberIds=${b}`);
  assert.deepEqual(r.json, invalid([{ field: 'memberIds', message: 'At least one memberId is required' }]));
  r = await api('DELETE', `/rooms/${roomId}/members?memberIds=${b}`);
  assert.deepEqual(r.json, { message: 'All room members deleted successfully', deleted: [b], failed: [] });
});

test('token endpoint: anonymous moderator secret, disabled access, unknown secret', async () => {
  const room = (await api('POST', '/rooms', { roomName: 'Tokens', access: { anonymous: { speaker: { enabled: false } } } })).json;
  const secret = (url) => new URL(url).searchParams.get('secret');
  const token = (s) => send(`${emu.url.replace('/meet', '')}/meet/internal-api/v1/rooms/${room.roomId}/members/token`, {
    method: 'POST', body: { secret: s, joinMeeting: false },
  });
  const mod = await token(secret(room.access.anonymous.moderator.url));
  assert.equal(mod.status, 200);
  const meta = JSON.parse(JSON.parse(Buffer.from(mod.json.token.split('.')[1], 'base64url')).metadata);
  assert.equal(meta.badge, 'moderator');
  assert.equal('memberId' in meta, false);
  const spk = await token(secret(room.access.anonymous.speaker.url));
  assert.equal(spk.status, 403);
  assert.equal(spk.json.message, `Anonymous access in room '${room.roomId}' is disabled for role 'speaker'`);
});

test('URLs follow the Host header and X-Forwarded-Proto', async () => {
  const r = await api('POST', '/rooms', { roomName: 'Proxied' }, { headers: { Host: 'meet.example:8443', 'X-Forwarded-Proto': 'https' } });
  assert.match(r.headers.location, /^https:\/\/meet\.example:8443\/meet\/api\/v1\/rooms\//);
  assert.match(r.json.access.user.url, /^https:\/\/meet\.example:8443\/meet\/room\//);
});

test('unknown API path and unknown method are 404 Path Not Found; body over 100 kB is 413 HTML', async () => {
  assert.deepEqual((await api('PATCH', '/rooms')).json, { error: 'Path Not Found', message: 'API path not implemented' });
  const big = await api('POST', '/rooms', { roomName: 'x', pad: 'y'.repeat(110 * 1024) });
  assert.equal(big.status, 413);
  assert.match(big.headers['content-type'], /^text\/html/);
});
