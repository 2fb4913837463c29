// The room page (live, revoked, missing secrets; escaping) and the bundle's HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../launch.mjs';
import { apiClient, send } from './client.mjs';

let emu;
let api;
let room;
before(async () => {
  emu = await startEmulator();
  api = apiClient(emu);
  room = (await api('POST', '/rooms', { roomName: 'Board <Room> & "Co"' })).json;
});
after(() => emu.stop());

test('a live member link shows the room, the member, the role and Leave; every value escaped', async () => {
  const m = (await api('POST', `/rooms/${room.roomId}/members`, { name: '<img src=x onerror=alert(1)>', baseRole: 'moderator' })).json;
  const r = await send(m.accessUrl);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(r.headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(r.headers['content-security-policy'], /unsafe-inline/);
  assert.match(r.text, /<h1 id="room-name">Board &lt;Room&gt; &amp; &quot;Co&quot;<\/h1>/);
  assert.match(r.text, /<strong id="participant-name">&lt;img src=x onerror=alert\(1\)&gt;<\/strong>/);
  assert.match(r.text, /<span class="role" id="participant-role">moderator<\/span>/);
  assert.match(r.text, /<button type="button" id="leave-button">Leave<\/button>/);
  assert.doesNotMatch(r.text, /<img/);
  assert.doesNotMatch(r.text, /<script>/, 'no inline script');
});

test('revoked, unknown and missing secrets: "This link is not valid", 404 / 403', async () => {
  const m = (await api('POST', `/rooms/${room.roomId}/members`, { name: 'Gone', baseRole: 'speaker' })).json;
  await api('DELETE', `/rooms/${room.roomId}/members/${m.memberId}`);
  const cases = [
    [m.accessUrl, 404],
    [`${emu.url}/room/${room.roomId}?secret=guest-0000000000`, 404],
    [`${emu.url}/room/${room.roomId}?secret=abc`, 404],
    [`${emu.url}/room/no-such-room?secret=guest-0000000000`, 404],
    [`${emu.url}/room/${room.roomId}`, 403],
    [`${emu.url}/room/${room.roomId}?secret=`, 403],
  ];
  for (const [url, status] of cases) {
    const r = await send(url);
    assert.equal(r.status, status, url);
    assert.match(r.text, /<h1 id="invalid-link">This link is not valid<\/h1>/, url);
    assert.doesNotMatch(r.text, /leave-button/);
  }
});

test('anonymous room links open the room page', async () => {
  const r = await send(room.access.anonymous.speaker.url);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="participant-role">speaker</);
});

test('room.js and room.css are served from the emulator origin', async () => {
  const js = await send(`${emu.url}/emulator/room.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /^text\/javascript/);
  assert.equal((await send(`${emu.url}/emulator/room.css`)).status, 200);
  assert.equal((await send(`${emu.url}/emulator/nothing`)).status, 404);
});

test('bundle: no-cache, strong SHA-256 ETag, 304 on If-None-Match, gzip on request', async () => {
  const r = await send(`${emu.url}/v1/openvidu-meet.js`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(r.headers['cache-control'], 'no-cache');
  const { createHash } = await import('node:crypto');
  assert.equal(r.headers.etag, `"${createHash('sha256').update(r.raw).digest('hex')}"`);
  const again = await send(`${emu.url}/v1/openvidu-meet.js`, { headers: { 'If-None-Match': r.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal(again.raw.length, 0);
  const other = await send(`${emu.url}/v1/openvidu-meet.js`, { headers: { 'If-None-Match': '"nope"' } });
  assert.equal(other.status, 200);
  const gz = await send(`${emu.url}/v1/openvidu-meet.js`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const { gunzipSync } = await import('node:zlib');
  assert.deepEqual(gunzipSync(gz.raw), r.raw);
});

test('the joining sound: a short WAV from Meet\'s origin, as the WebComponent plays it', async () => {
  const r = await send(`${emu.url}/assets/sounds/participant-joined.wav`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'audio/wav');
  assert.equal(r.raw.subarray(0, 4).toString(), 'RIFF');
  assert.equal(r.raw.subarray(8, 16).toString(), 'WAVEfmt ');
  assert.equal(r.raw.readUInt32LE(40), r.raw.length - 44, 'data chunk size');
  assert.ok(r.raw.length < 4096);
});

test('CORS as 3.8.0 (Express cors()): any origin, preflight answered 204', async () => {
  const token = await send(`${emu.url}/internal-api/v1/rooms/x/members/token`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(token.status, 204);
  assert.equal(token.headers['access-control-allow-origin'], '*');
  assert.equal(token.headers['access-control-allow-credentials'], 'true');
  assert.equal(token.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
  assert.equal(token.headers['access-control-allow-headers'], 'content-type');
  const bundle = await send(`${emu.url}/v1/openvidu-meet.js`, { headers: { Origin: 'http://app.example' } });
  assert.equal(bundle.headers['access-control-allow-origin'], '*');
});
