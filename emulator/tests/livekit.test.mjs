// The emulator's LiveKit stand-in over raw HTTP and a minimal websocket
// client: the joining token (joinMeeting: true) and what it names, the
// validate call, the upgrade and its checks, the {"join"}/{"leave"} dialect,
// ping/pong, the close handshake, and what ends a session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { startEmulator } from '../launch.mjs';
import { apiClient, send } from './client.mjs';

let emu;
let api;
before(async () => {
  emu = await startEmulator();
  api = apiClient(emu);
});
after(() => emu.stop());

const httpForm = (ws) => ws.replace(/^ws/, 'http');

async function joiningToken(body) {
  const room = (await api('POST', '/rooms', { roomName: 'Signal' })).json;
  const member = (await api('POST', `/rooms/${room.roomId}/members`, { name: 'Sam', baseRole: 'moderator' })).json;
  const answer = await send(`${emu.url}/internal-api/v1/rooms/${room.roomId}/members/token`,
    { method: 'POST', body: { secret: member.memberId, joinMeeting: true, ...body } });
  assert.equal(answer.status, 200, answer.text);
  return { room, member, token: answer.json.token };
}

const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

// A client frame: FIN, opcode, masked payload (clients must mask).
function frame(opcode, payload = Buffer.alloc(0), { mask = true } = {}) {
  const key = randomBytes(4);
  const body = Buffer.from(payload).map((b, i) => (mask ? b ^ key[i % 4] : b));
  return Buffer.concat([Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | body.length]), mask ? key : Buffer.alloc(0), body]);
}

// Server frames from a byte stream: [{opcode, text, bytes}].
function frames(bytes) {
  const out = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    let len = bytes[at + 1] & 0x7f;
    let start = at + 2;
    if (len === 126) { len = bytes.readUInt16BE(at + 2); start = at + 4; }
    if (start + len > bytes.length) break;
    const payload = bytes.subarray(start, start + len);
    out.push({ opcode: bytes[at] & 0x0f, text: payload.toString(), bytes: [...payload] });
    at = start + len;
  }
  return out;
}

// Opens /rtc with the token; resolves {status, accept, key, socket, received()} or the refusal.
function connect(token, headers = {}) {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(`${httpForm(emu.livekitUrl)}/rtc?access_token=${encodeURIComponent(token)}`, {
      headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', ...headers },
    });
    req.on('upgrade', (res, socket, head) => {
      let bytes = Buffer.from(head);
      let ended = false;
      socket.on('data', (chunk) => { bytes = Buffer.concat([bytes, chunk]); });
      socket.on('close', () => { ended = true; });
      resolve({ status: res.statusCode, accept: res.headers['sec-websocket-accept'], key, socket,
        received: () => frames(bytes), closed: () => ended });
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('joinMeeting: the token names the LiveKit address, the identity (member id), the name and the room grant', async () => {
  const { room, member, token } = await joiningToken({});
  const claims = claimsOf(token);
  assert.equal(claims.sub, member.memberId);
  assert.equal(claims.name, 'Sam');
  assert.deepEqual(claims.video, { room: room.roomId, roomJoin: true });
  assert.equal(JSON.parse(claims.metadata).livekitUrl, emu.livekitUrl);
  assert.equal(emu.livekitUrl, emu.livekitListener);
  const named = claimsOf((await joiningToken({ participantName: 'Other name' })).token);
  assert.equal(named.name, 'Other name');
});

test('joinMeeting with an anonymous link: participantName required (400), a name-based identity', async () => {
  const room = (await api('POST', '/rooms', { roomName: 'Open', access: { anonymous: { speaker: { enabled: true } } } })).json;
  const secret = new URL(room.access.anonymous.speaker.url).searchParams.get('secret');
  const url = `${emu.url}/internal-api/v1/rooms/${room.roomId}/members/token`;
  const nameless = await send(url, { method: 'POST', body: { secret, joinMeeting: true } });
  assert.equal(nameless.status, 400);
  assert.equal(nameless.json.error, 'Room Member Error');
  const named = await send(url, { method: 'POST', body: { secret, joinMeeting: true, participantName: 'Zoë Guest' } });
  assert.equal(named.status, 200, named.text);
  assert.match(claimsOf(named.json.token).sub, /^zoe_guest-[0-9a-z]{15}$/);
});

test('another LiveKit address: MEET_EMULATOR_LIVEKIT_URL is what tokens name; no listener without a port', async () => {
  const other = await startEmulator({ livekit: false, livekitUrl: 'wss://livekit.example.com' });
  try {
    assert.equal(other.livekitListener, null);
    assert.doesNotMatch(other.stdout(), /livekit/);
    const room = (await apiClient(other)('POST', '/rooms', { roomName: 'Far' })).json;
    const member = (await apiClient(other)('POST', `/rooms/${room.roomId}/members`, { name: 'F', baseRole: 'speaker' })).json;
    const answer = await send(`${other.url}/internal-api/v1/rooms/${room.roomId}/members/token`,
      { method: 'POST', body: { secret: member.memberId, joinMeeting: true } });
    assert.equal(JSON.parse(claimsOf(answer.json.token).metadata).livekitUrl, 'wss://livekit.example.com');
  } finally { await other.stop(); }
  const fallback = await startEmulator({ livekit: false });
  try {
    assert.equal(fallback.livekitUrl, 'ws://localhost:7880');
  } finally { await fallback.stop(); }
});

test('GET /rtc/validate: 200 "success" with a joining token, 401 otherwise; open to any origin', async () => {
  const { token } = await joiningToken({});
  const ok = await send(`${httpForm(emu.livekitUrl)}/rtc/validate?access_token=${encodeURIComponent(token)}`);
  assert.equal(ok.status, 200);
  assert.equal(ok.text, 'success');
  assert.equal(ok.headers['access-control-allow-origin'], '*');
  const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  for (const bad of ['', 'x.y.z', forged]) {
    assert.equal((await send(`${httpForm(emu.livekitUrl)}/rtc/validate?access_token=${encodeURIComponent(bad)}`)).status, 401, bad);
  }
  // a token that only opens the room does not join a meeting
  const room = (await api('POST', '/rooms', { roomName: 'Look' })).json;
  const member = (await api('POST', `/rooms/${room.roomId}/members`, { name: 'L', baseRole: 'speaker' })).json;
  const viewing = (await send(`${emu.url}/internal-api/v1/rooms/${room.roomId}/members/token`,
    { method: 'POST', body: { secret: member.memberId, joinMeeting: false } })).json.token;
  assert.equal((await send(`${httpForm(emu.livekitUrl)}/rtc/validate?access_token=${encodeURIComponent(viewing)}`)).status, 401);
  assert.equal((await send(`${httpForm(emu.livekitUrl)}/other`)).status, 404);
});

test('/rtc: the upgrade (RFC 6455 accept key), then {"join"}; ping → pong; close handshake', async () => {
  const { room, member, token } = await joiningToken({});
  const ws = await connect(token);
  assert.equal(ws.status, 101);
  assert.equal(ws.accept, createHash('sha1').update(ws.key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64'));
  await until(() => ws.received().length === 1, 'join');
  assert.deepEqual(JSON.parse(ws.received()[0].text),
    { join: { room: room.roomId, participant: { identity: member.memberId, name: 'Sam' } } });
  ws.socket.write(frame(0x9, 'hi'));
  await until(() => ws.received().length === 2, 'pong');
  assert.deepEqual(ws.received()[1], { opcode: 0xA, text: 'hi', bytes: [...Buffer.from('hi')] });
  ws.socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
  await until(() => ws.closed(), 'close');
  assert.equal(ws.received()[2].opcode, 0x8);
});

test('/rtc refuses: no upgrade headers (400), a bad token (401), an unmasked frame (close 1002)', async () => {
  const { token } = await joiningToken({});
  assert.equal((await send(`${httpForm(emu.livekitUrl)}/rtc?access_token=${encodeURIComponent(token)}`)).status, 400);
  assert.equal((await connect('nope')).status, 401);
  const ws = await connect(token);
  ws.socket.write(frame(0x1, '{}', { mask: false }));
  await until(() => ws.closed(), 'close');
  const last = ws.received().at(-1);
  assert.equal(last.opcode, 0x8);
  assert.deepEqual(last.bytes, [0x03, 0xea]);
});

test('sessions end with a reason: duplicate identity, participant removed, room deleted; "leave" from the client', async () => {
  const { room, member, token } = await joiningToken({});
  const first = await connect(token);
  const second = await connect(token);
  await until(() => first.closed(), 'first closed');
  assert.deepEqual(JSON.parse(first.received()[1].text), { leave: { reason: 'duplicate_identity' } });
  await api('DELETE', `/rooms/${room.roomId}/members/${member.memberId}`);
  await until(() => second.closed(), 'second closed');
  assert.deepEqual(JSON.parse(second.received()[1].text), { leave: { reason: 'participant_removed' } });

  const other = await joiningToken({});
  const third = await connect(other.token);
  await api('DELETE', `/rooms/${other.room.roomId}`);
  await until(() => third.closed(), 'third closed');
  assert.deepEqual(JSON.parse(third.received()[1].text), { leave: { reason: 'room_deleted' } });

  const last = await joiningToken({});
  const fourth = await connect(last.token);
  fourth.socket.write(frame(0x1, JSON.stringify({ leave: {} })));
  await until(() => fourth.closed(), 'fourth closed');
  assert.equal(fourth.received().at(-1).opcode, 0x8);
});

test('SIGTERM: every session gets {"leave": server_shutdown} before the emulator exits 0', async () => {
  const own = await startEmulator();
  const ownApi = apiClient(own);
  const room = (await ownApi('POST', '/rooms', { roomName: 'Stop' })).json;
  const member = (await ownApi('POST', `/rooms/${room.roomId}/members`, { name: 'S', baseRole: 'speaker' })).json;
  const token = (await send(`${own.url}/internal-api/v1/rooms/${room.roomId}/members/token`,
    { method: 'POST', body: { secret: member.memberId, joinMeeting: true } })).json.token;
  const saved = emu;
  emu = own;
  try {
    const ws = await connect(token);
    await until(() => ws.received().length === 1, 'join');
    const { code } = await own.stop();
    assert.equal(code, 0);
    await until(() => ws.closed(), 'closed');
    assert.deepEqual(JSON.parse(ws.received()[1].text), { leave: { reason: 'server_shutdown' } });
  } finally { emu = saved; }
});
