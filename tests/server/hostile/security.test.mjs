// Security headers on the page and on API answers (success and error),
// Cache-Control: no-store on answers that carry access links, and the API
// key (a distinctive one) in no answer, page, log line or error message.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp, freePort } from '../../lib/stack.mjs';
import { rawRequest, httpRequest } from '../../lib/raw.mjs';

const API_KEY = 'k3y-' + 'ZQx7-must-never-leak-' + process.pid;
const JSON_TYPE = { 'Content-Type': 'application/json' };

function assertSecurityHeaders(answer, label) {
  assert.match(answer.headers['content-security-policy'] || '', /default-src 'self'/, `${label}: CSP`);
  assert.match(answer.headers['content-security-policy'], /frame-ancestors 'none'/, `${label}: CSP frame-ancestors`);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', `${label}: Referrer-Policy`);
}

describe('security headers and the API key', () => {
  let emu;
  let app;
  const seen = [];  // every answer's text, searched for the key at the end

  async function send(request, options) {
    const answer = await rawRequest(app.port, request, options);
    seen.push(answer.text);
    return answer;
  }

  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY });
    app = await startApp({ meetUrl: emu.url, apiKey: API_KEY, env: { MEET_TIMEOUT_MS: '800' } });
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  test('the page and its assets carry the security headers', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/no-such-file']) {
      const answer = await send(httpRequest('GET', path));
      assertSecurityHeaders(answer, `GET ${path}`);
    }
  });

  test('a member is created and listed: headers, no-store, access link present', async () => {
    const room = await send(httpRequest('POST', '/rooms', { headers: JSON_TYPE, body: '{"roomName":"Secrets"}' }));
    assert.equal(room.status, 201, room.text);
    assertSecurityHeaders(room, 'POST /rooms');
    assert.equal(room.headers['cache-control'], 'no-store');
    const roomId = room.json.room.roomId;

    const created = await send(httpRequest('POST', `/rooms/${roomId}/members`, {
      headers: JSON_TYPE, body: '{"name":"Ana","baseRole":"speaker"}',
    }));
    assert.equal(created.status, 201, created.text);
    assert.ok(created.json.member.accessUrl, 'the answer carries the access link');
    assert.equal(created.headers['cache-control'], 'no-store');
    assertSecurityHeaders(created, 'POST members');

    for (const path of ['/rooms', `/rooms/${roomId}/members`, `/rooms/${roomId}/members/${created.json.member.memberId}/qr`, '/config']) {
      const answer = await send(httpRequest('GET', path));
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 200)}`);
      assert.equal(answer.headers['cache-control'], 'no-store', path);
      assertSecurityHeaders(answer, `GET ${path}`);
    }
  });

  test('error answers carry the headers too', async () => {
    for (const request of [httpRequest('GET', '/rooms/x/nothing'), httpRequest('PATCH', '/rooms'),
      httpRequest('POST', '/rooms', { headers: JSON_TYPE, body: '[' })]) {
      const answer = await send(request);
      assert.ok(answer.status >= 400 && answer.status < 500);
      assertSecurityHeaders(answer, answer.text.split('\r\n')[0]);
      assert.equal(answer.headers['cache-control'], 'no-store');
    }
  });

  test('Meet refusing the key (401), failing and down: the key is in no message', async () => {
    const port = emu.port;
    await emu.stop();
    emu = await startEmulator({ port, apiKey: 'another-key' });
    const refused = await send(httpRequest('GET', '/rooms'));
    assert.equal(refused.status, 502, refused.text);
    assert.match(refused.json.message, /refused this server's API key.*OV_MEET_API_KEY/);
    await emu.stop();
    emu = await startEmulator({ port, apiKey: API_KEY, fault: 'status:500' });
    assert.equal((await send(httpRequest('GET', '/rooms'))).status, 502);
    await emu.stop();
    emu = await startEmulator({ port, apiKey: API_KEY, fault: 'garbage' });
    assert.equal((await send(httpRequest('GET', '/rooms'))).status, 502);
    await emu.stop();
    const down = await send(httpRequest('GET', '/rooms'));
    assert.equal(down.status, 502);
    emu = await startEmulator({ port, apiKey: API_KEY });
    assert.equal((await send(httpRequest('GET', '/rooms'))).status, 200);
  });

  test('the key appears in no answer, page or line of the web server log', async () => {
    const logs = app.logs();
    assert.ok(logs.includes('meet-fcgi'), 'the programs\' log lines reach the web server log');
    assert.ok(seen.length >= 15);
    for (const text of seen) assert.ok(!text.includes(API_KEY), `the key in an answer: ${text.slice(0, 200)}`);
    assert.ok(!logs.includes(API_KEY), 'the key in the web server log');
    // Nor any long piece of it (a truncated or partly escaped copy).
    assert.ok(!logs.includes(API_KEY.slice(4, 20)) && !seen.some((t) => t.includes(API_KEY.slice(4, 20))));
  });
});
