// Each program run as plain CGI, the way cgit's tests do it: environment
// variables in, body on stdin, the CGI answer read from stdout. Meet is a
// closed port here, so any answer other than 502 shows the request was
// decided before anything went to Meet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cgiDir, freePort } from '../lib/stack.mjs';

const closedPort = await freePort();
const meetUrl = `http://127.0.0.1:${closedPort}/meet`;

// Runs program with a CGI request; returns {status, headers, body, json, stderr}.
function cgi(program, method, uri, { body = '', contentType = '', env = {} } = {}) {
  const run = spawnSync(join(cgiDir(), program), [], {
    input: body,
    env: {
      PATH: process.env.PATH,
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: method,
      REQUEST_URI: uri,
      CONTENT_LENGTH: String(Buffer.byteLength(body)),
      CONTENT_TYPE: contentType,
      OV_MEET_SERVER_URL: meetUrl,
      OV_MEET_API_KEY: 'secret-key-for-cgi-tests',
      MEET_ENV_FILE: '/dev/null',
      // What a web server on this machine sends for a local browser.
      REMOTE_ADDR: '127.0.0.1',
      HTTP_HOST: 'localhost:6080',
      ...env,
    },
    timeout: 10000,
  });
  assert.equal(run.status, 0, `${program} exited with ${run.status}: ${run.stderr}`);
  const text = run.stdout.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const headers = {};
  for (const line of text.slice(0, split).split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const answer = text.slice(split + 4);
  return {
    status: Number(headers.status.split(' ')[0]),
    headers,
    body: answer,
    json: headers['content-type'] === 'application/json' ? JSON.parse(answer) : null,
    stderr: run.stderr.toString('utf8'),
  };
}

test('GET /config derives the WebComponent URL from OV_MEET_SERVER_URL and names OV_LIVEKIT_URL', () => {
  const r = cgi('config.fcgi', 'GET', '/config', { env: { OV_MEET_SERVER_URL: 'https://meet.example.org/meet/' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, {
    meetServerUrl: 'https://meet.example.org/meet',
    webComponentUrl: 'https://meet.example.org/meet/v1/openvidu-meet.js',
    livekitUrl: 'ws://localhost:7880',
  });
  const other = cgi('config.fcgi', 'GET', '/config', { env: { OV_LIVEKIT_URL: 'wss://livekit.example.org/' } });
  assert.equal(other.json.livekitUrl, 'wss://livekit.example.org');
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
});

test('unknown paths are 404 and wrong methods 405 with Allow', () => {
  assert.equal(cgi('rooms.fcgi', 'GET', '/roomsx').status, 404);
  assert.equal(cgi('config.fcgi', 'GET', '/config/x').status, 404);
  const r = cgi('rooms.fcgi', 'PUT', '/rooms');
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'POST, GET');
  assert.match(r.json.message, /POST, GET/);
  assert.equal(cgi('members.fcgi', 'POST', '/rooms/r/members/m').headers.allow, 'PUT, DELETE');
});

test('bad bodies are refused before Meet: 415, 400, 413', () => {
  const json = 'application/json';
  assert.equal(cgi('rooms.fcgi', 'POST', '/rooms', { body: 'roomName=a', contentType: 'application/x-www-form-urlencoded' }).status, 415);
  assert.equal(cgi('rooms.fcgi', 'POST', '/rooms', { body: '{"roomName":"a"}', contentType: 'text/plain' }).status, 415);
  assert.equal(cgi('rooms.fcgi', 'POST', '/rooms', { body: '{"roomName":', contentType: json }).status, 400);
  assert.equal(cgi('rooms.fcgi', 'POST', '/rooms', { body: '["a"]', contentType: json }).status, 400);
  assert.equal(cgi('rooms.fcgi', 'POST', '/rooms', { body: '', contentType: json }).status, 400);
  const big = JSON.stringify({ roomName: 'a', pad: 'x'.repeat(70 * 1024) });
  const r = cgi('rooms.fcgi', 'POST', '/rooms', { body: big, contentType: json });
  assert.equal(r.status, 413);
  assert.match(r.json.message, /65536/);
});

test('field rules are 400 naming the field', () => {
  const json = 'application/json';
  const cases = [
    ['rooms.fcgi', 'POST', '/rooms', {}, /roomName/],
    ['rooms.fcgi', 'POST', '/rooms', { roomName: 'x'.repeat(51) }, /roomName.*50/],
    ['members.fcgi', 'POST', '/rooms/r/members', { name: '  ', baseRole: 'speaker' }, /name/],
    ['members.fcgi', 'POST', '/rooms/r/members', { name: 'Eve', baseRole: 'admin' }, /baseRole/],
    ['members.fcgi', 'POST', '/rooms/r/members', { name: 'Eve', baseRole: 'speaker', customPermissions: { canRecord: 'yes' } }, /customPermissions/],
    ['members.fcgi', 'PUT', '/rooms/r/members/m', {}, /baseRole|customPermissions/],
  ];
  for (const [program, method, uri, body, pattern] of cases) {
    const r = cgi(program, method, uri, { body: JSON.stringify(body), contentType: json });
    assert.equal(r.status, 400, `${method} ${uri} ${JSON.stringify(body)}`);
    assert.match(r.json.message, pattern);
  }
});

test('bad ids are 400, and nothing about them reaches the log', () => {
  for (const uri of ['/rooms/a.b', '/rooms/..', '/rooms/a%2Fb', `/rooms/${'a'.repeat(101)}`]) {
    const r = cgi('rooms.fcgi', 'DELETE', uri);
    assert.equal(r.status, 400, uri);
    assert.match(r.json.message, /roomId/);
  }
  const r = cgi('members.fcgi', 'DELETE', '/rooms/r/members/guest-<script>');
  assert.equal(r.status, 400);
  assert.match(r.json.message, /memberId/);
  assert.doesNotMatch(r.stderr, /script/);
});

test('Meet unreachable is 502 naming the URL, never the key; the log line has no secrets', () => {
  const r = cgi('members.fcgi', 'GET', '/rooms/r1/members/guest-0123456789/qr');
  assert.equal(r.status, 502);
  assert.ok(r.json.message.includes(meetUrl), r.json.message);
  assert.doesNotMatch(r.body + r.stderr, /secret-key-for-cgi-tests/);
  assert.doesNotMatch(r.stderr, /guest-0123456789/);
  assert.match(r.stderr, /GET \/rooms\/\{roomId\}\/members\/\{memberId\}\/qr 502 meet=- \d+ms/);
});

test('APP_BASE_PATH is stripped from the path', () => {
  const env = { APP_BASE_PATH: '/tools/meet' };
  assert.equal(cgi('config.fcgi', 'GET', '/tools/meet/config?x=1', { env }).status, 200);
  assert.equal(cgi('config.fcgi', 'GET', '/config', { env }).status, 404);
});

test('a bad configuration stops the program with a clear reason', () => {
  const run = spawnSync(join(cgiDir(), 'rooms.fcgi'), [], {
    env: { REQUEST_METHOD: 'GET', REQUEST_URI: '/rooms', OV_MEET_SERVER_URL: 'ftp://x', MEET_ENV_FILE: '/dev/null' },
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr.toString(), /OV_MEET_SERVER_URL/);
});

// Access control (lib/access.c) as the programs apply it, whatever the web
// server did or forgot: decided before routing, and before Meet.
test('management nobody logged in for is refused unless local; a login from the web server is enough', () => {
  const refused = [
    ['another machine', { REMOTE_ADDR: '192.168.1.20', HTTP_HOST: '192.168.1.5:6080' }],
    ['a DNS-rebinding page', { HTTP_HOST: 'evil.example:6080' }],
    ['no Host', { HTTP_HOST: '' }],
    ['no address', { REMOTE_ADDR: '' }],
    ['MEET_AUTH=required', { MEET_AUTH: 'required' }],
    ['MEET_AUTH=off, foreign Host', { MEET_AUTH: 'off', REMOTE_ADDR: '10.0.0.2', HTTP_HOST: 'evil.example' }],
    ['an empty REMOTE_USER', { REMOTE_USER: '', REMOTE_ADDR: '10.0.0.2' }],
  ];
  for (const [what, env] of refused) {
    for (const [program, method, uri] of [['rooms.fcgi', 'GET', '/rooms'], ['members.fcgi', 'DELETE', '/rooms/r1/members/m1'],
      ['rooms.fcgi', 'GET', '/no/such/path']]) {
      const r = cgi(program, method, uri, { env });
      assert.equal(r.status, 403, `${what}: ${method} ${uri}`);
      assert.ok(r.json.message.length > 20, `${what}: ${r.json.message}`);
    }
  }
  assert.match(cgi('rooms.fcgi', 'GET', '/rooms', { env: { MEET_AUTH: 'required' } }).json.message, /basic auth.*MEET_HTPASSWD/);
  assert.match(cgi('rooms.fcgi', 'GET', '/rooms', { env: { REMOTE_ADDR: '10.0.0.2' } }).json.message, /MEET_HTPASSWD/);
  // Allowed: the answer is Meet's absence (502), so the request went on.
  const allowed = [
    ['local', {}],
    ['a login, from anywhere, any Host', { REMOTE_USER: 'admin', REMOTE_ADDR: '203.0.113.9', HTTP_HOST: 'meet.example.org' }],
    ['a login with MEET_AUTH=required', { REMOTE_USER: 'admin', MEET_AUTH: 'required' }],
    ['a local proxy for a configured name', { HTTP_HOST: 'meet.example.org', MEET_ALLOWED_HOSTS: 'meet.example.org' }],
    ['MEET_AUTH=off with a configured name', { MEET_AUTH: 'off', REMOTE_ADDR: '10.0.0.2', HTTP_HOST: 'lan.test', MEET_ALLOWED_HOSTS: 'lan.test' }],
  ];
  for (const [what, env] of allowed) assert.equal(cgi('rooms.fcgi', 'GET', '/rooms', { env }).status, 502, what);
});
