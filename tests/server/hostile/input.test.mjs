// Hostile input against the default stack (lighttpd + FastCGI programs +
// emulator). Every case must get a clear 4xx answer (exact status; JSON
// {message} whenever the request reaches our programs), Meet must not see
// a single request (the emulator's log), and the next good request works.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { rawRequest, httpRequest, assertJsonError, fastcgiPids } from '../../lib/raw.mjs';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const long = (n, c = 'a') => c.repeat(n);
const json = (value) => JSON.stringify(value);
const post = (path, body, headers = JSON_TYPE) => httpRequest('POST', path, { headers, body });
const member = (extra) => json({ name: 'Ana', baseRole: 'speaker', ...extra });
const ROOM = '/rooms/room-1/members';

// [label, raw request, status, answered by: 'app' (JSON error) | 'server' (lighttpd itself)]
const cases = [
  // Names: overlong, unicode, control characters, NUL.
  ['roomName of 51 characters', post('/rooms', json({ roomName: long(51) })), 400, 'app'],
  ['roomName of 60,000 characters', post('/rooms', json({ roomName: long(60000) })), 400, 'app'],
  ['roomName of 51 emoji (4 bytes each)', post('/rooms', json({ roomName: long(51, '\u{1F600}') })), 400, 'app'],
  ['roomName with a control character', post('/rooms', json({ roomName: 'a\u0001b' })), 400, 'app'],
  ['roomName with an escaped NUL', post('/rooms', '{"roomName":"a\\u0000b"}'), 400, 'app'],
  ['roomName with a raw NUL byte', post('/rooms', Buffer.from('{"roomName":"a\0b"}', 'latin1')), 400, 'app'],
  ['roomName of spaces only', post('/rooms', json({ roomName: '     ' })), 400, 'app'],
  ['roomName with DEL', post('/rooms', json({ roomName: 'a\u007fb' })), 400, 'app'],
  ['roomName with a C1 control (U+0085)', post('/rooms', json({ roomName: 'a\u0085b' })), 400, 'app'],
  ['roomName of invalid UTF-8', post('/rooms', Buffer.from('{"roomName":"a\xff\xfeb"}', 'latin1')), 400, 'app'],
  ['roomName with an overlong UTF-8 slash', post('/rooms', Buffer.from('{"roomName":"a\xc0\xafb"}', 'latin1')), 400, 'app'],
  ['roomName with a lone surrogate escape', post('/rooms', '{"roomName":"a\\ud800b"}'), 400, 'app'],
  ['member name of 51 characters', post(ROOM, member({ name: long(51) })), 400, 'app'],
  ['member name with CR LF', post(ROOM, member({ name: 'Ana\r\nX-API-KEY: x' })), 400, 'app'],
  ['member name with an escaped NUL', post(ROOM, '{"name":"Ana\\u0000Evil","baseRole":"speaker"}'), 400, 'app'],
  ['member name of tabs and spaces', post(ROOM, member({ name: ' \t ' })), 400, 'app'],
  // Ids: traversal, encoded slashes, CR/LF, unicode, overlong.
  // lighttpd decodes %2F and removes dot segments before it picks a program,
  // but hands over REQUEST_URI as sent: the program's own table then has no route.
  ['roomId ..%2F..%2Fadmin (lighttpd: /admin, a static 404)', httpRequest('DELETE', '/rooms/..%2F..%2Fadmin'), 404, 'server'],
  ['roomId a%2Fb in members', httpRequest('GET', '/rooms/a%2Fb/members'), 404, 'app'],
  ['memberId %2E%2E', httpRequest('DELETE', '/rooms/r1/members/%2E%2E'), 404, 'app'],
  ['memberId ..%2F..%2Frooms', httpRequest('GET', '/rooms/r1/members/..%2F..%2Frooms/qr'), 404, 'app'],
  ['roomId with %0D%0A', httpRequest('DELETE', '/rooms/r1%0D%0AX-API-KEY:%20x'), 400, 'server'],
  ['roomId with %25 (an encoded percent)', httpRequest('DELETE', '/rooms/r1%252F'), 400, 'app'],
  ['roomId with a colon and an at sign', httpRequest('DELETE', '/rooms/user:pw@evil'), 400, 'app'],
  ['roomId with %00', httpRequest('DELETE', '/rooms/r1%00'), 400, 'server'],
  ['roomId with unicode (%C3%A9)', httpRequest('DELETE', '/rooms/caf%C3%A9'), 400, 'app'],
  ['roomId of 101 characters', httpRequest('DELETE', `/rooms/${long(101)}`), 400, 'app'],
  ['path over 1 KiB (a 5,000-character memberId)', httpRequest('DELETE', `/rooms/r1/members/${long(5000)}`), 404, 'app'],
  ['roomId with a semicolon', httpRequest('GET', '/rooms/r1;x=1/members'), 400, 'app'],
  ['roomId with a backslash', httpRequest('DELETE', '/rooms/r1%5C..'), 400, 'app'],
  // CR/LF and NUL in the request line and headers.
  ['bare CR inside a header value', Buffer.from('GET /rooms HTTP/1.1\r\nHost: localhost\r\nX-A: a\rb\r\nConnection: close\r\n\r\n', 'latin1'), 400, 'server'],
  ['NUL inside a header value', Buffer.from('GET /rooms HTTP/1.1\r\nHost: localhost\r\nX-A: a\0b\r\nConnection: close\r\n\r\n', 'latin1'), 400, 'server'],
  ['space inside the request target', Buffer.from('DELETE /rooms/r 1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 'latin1'), 400, 'server'],
  ['header folded onto a second line', Buffer.from('POST /rooms HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n  application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}', 'latin1'), 415, 'app'],
  // Content-Length and chunked bodies.
  ['Content-Length of 10^12', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Content-Length': '1000000000000' } }), 413, 'server'],
  ['a body over 64 KiB (our limit)', post('/rooms', json({ roomName: 'x', pad: long(70000) })), 413, 'app'],
  ['negative Content-Length', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Content-Length': '-5' }, body: '{}' }), 400, 'server'],
  ['two different Content-Lengths', Buffer.from('POST /rooms HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 20\r\nConnection: close\r\n\r\n{}', 'latin1'), 400, 'server'],
  ['Content-Length shorter than the body', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Content-Length': '12' }, body: json({ roomName: 'Smuggled' }) }), 400, 'app'],
  ['chunked body with an invalid name', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }, body: '5\r\n{"roo\r\nB\r\nmName":""}\n\r\n0\r\n\r\n' }), 400, 'app'],
  ['chunked body over 64 KiB', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }, body: `${(70000).toString(16)}\r\n${long(70000, ' ')}\r\n0\r\n\r\n` }), 413, 'app'],
  ['chunked body with a bad chunk size', httpRequest('POST', '/rooms', { headers: { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }, body: 'zz\r\n{}\r\n0\r\n\r\n' }), 400, 'server'],
  ['chunked and Content-Length together', Buffer.from('POST /rooms HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n', 'latin1'), 400, 'server'],
  // JSON: wrong types, duplicate keys, nesting, empty and whitespace bodies, trailing data.
  ['body is an array', post('/rooms', '[{"roomName":"x"}]'), 400, 'app'],
  ['body is a string', post('/rooms', '"x"'), 400, 'app'],
  ['body is null', post('/rooms', 'null'), 400, 'app'],
  ['roomName is a number', post('/rooms', json({ roomName: 42 })), 400, 'app'],
  ['roomName is an array', post('/rooms', json({ roomName: ['x'] })), 400, 'app'],
  ['roomName is an object', post('/rooms', json({ roomName: { toString: 'x' } })), 400, 'app'],
  ['baseRole is true', post(ROOM, json({ name: 'Ana', baseRole: true })), 400, 'app'],
  ['baseRole is not a role', post(ROOM, json({ name: 'Ana', baseRole: 'admin' })), 400, 'app'],
  ['customPermissions is an array', post(ROOM, member({ customPermissions: [true] })), 400, 'app'],
  ['customPermissions with a string value', post(ROOM, member({ customPermissions: { canChat: 'yes' } })), 400, 'app'],
  ['update with a number baseRole', httpRequest('PUT', '/rooms/r1/members/m1', { headers: JSON_TYPE, body: '{"baseRole":1}' }), 400, 'app'],
  ['duplicate key, valid value first', post('/rooms', '{"roomName":"ok","roomName":""}'), 400, 'app'],
  ['duplicate key inside customPermissions', post(ROOM, '{"name":"Ana","baseRole":"speaker","customPermissions":{"canChat":true,"canChat":false}}'), 400, 'app'],
  ['array nested 30,000 deep', post('/rooms', '['.repeat(30000) + ']'.repeat(30000)), 400, 'app'],
  ['object nested 2,000 deep beside a valid name', post('/rooms', `{"roomName":"x","a":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`), 400, 'app'],
  ['empty body', post('/rooms', ''), 400, 'app'],
  ['whitespace body', post('/rooms', ' \r\n\t '), 400, 'app'],
  ['trailing data after the object', post('/rooms', '{"roomName":"x"} {"roomName":"y"}'), 400, 'app'],
  ['a comment inside the object', post('/rooms', '{"roomName":"x" /* c */}'), 400, 'app'],
  ['single-quoted JSON', post('/rooms', "{'roomName':'x'}"), 400, 'app'],
  // Content types and methods.
  ['Content-Type text/plain', post('/rooms', json({ roomName: 'x' }), { 'Content-Type': 'text/plain' }), 415, 'app'],
  ['no Content-Type', post('/rooms', json({ roomName: 'x' }), {}), 415, 'app'],
  ['Content-Type application/jsonp', post('/rooms', json({ roomName: 'x' }), { 'Content-Type': 'application/jsonp' }), 415, 'app'],
  ['Content-Type multipart/form-data', post('/rooms', 'roomName=x', { 'Content-Type': 'multipart/form-data; boundary=x' }), 415, 'app'],
  ['PATCH /rooms', httpRequest('PATCH', '/rooms', { headers: JSON_TYPE, body: '{}' }), 405, 'app'],
  ['PUT /rooms/{roomId}', httpRequest('PUT', '/rooms/r1', { headers: JSON_TYPE, body: '{}' }), 405, 'app'],
  ['DELETE /rooms', httpRequest('DELETE', '/rooms'), 405, 'app'],
  ['POST /config', post('/config', '{}'), 405, 'app'],
  ['OPTIONS on a member', httpRequest('OPTIONS', '/rooms/r1/members/m1'), 405, 'app'],
  ['unknown API path', httpRequest('GET', '/rooms/r1/secrets'), 404, 'app'],
  // Junk query strings: never decide anything, never forwarded.
  ['junk query on an invalid POST', post('/rooms?roomName=ok&&==;x=%7E&a[]=1&b=%E2%82%AC', json({ roomName: '' })), 400, 'app'],
  ['query with %00', httpRequest('GET', '/rooms?x=%00'), 400, 'server'],
  ['junk query on a bad id', httpRequest('DELETE', '/rooms/a.b?../../x=%7B%7D'), 400, 'app'],
  ['query trying to pass a key', httpRequest('POST', '/rooms?X-API-KEY=x&maxItems=999999', { headers: { 'Content-Type': 'text/plain' }, body: '{}' }), 415, 'app'],
];

describe('hostile input', () => {
  let emu;
  let app;
  let pids;

  before(async () => {
    emu = await startEmulator();
    app = await startApp({ meetUrl: emu.url });
    const warm = await rawRequest(app.port, httpRequest('GET', '/rooms'));
    assert.equal(warm.status, 200, warm.text);
    pids = fastcgiPids(app);
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  test(`at least 40 cases (${cases.length})`, () => assert.ok(cases.length >= 40));

  for (const [label, request, status, answeredBy] of cases) {
    test(`${label} → ${status}`, async () => {
      emu.clearLog();
      const answer = await rawRequest(app.port, request);
      if (answeredBy === 'app') assertJsonError(answer, status, label);
      else assert.equal(answer.status, status, `${label}: ${answer.text.slice(0, 300)}`);
      assert.deepEqual(emu.readLog(), [], `${label}: a request reached Meet`);

      const next = await rawRequest(app.port, httpRequest('GET', '/rooms'));
      assert.equal(next.status, 200, `after ${label}: ${next.text.slice(0, 300)}`);
    });
  }

  test('the junk query never reached Meet: only our own paging query did', async () => {
    emu.clearLog();
    const answer = await rawRequest(app.port, httpRequest('GET', '/rooms?maxItems=999999&nextPageToken=..%2F..&%%%'));
    assert.equal(answer.status, 200, answer.text);
    const log = emu.readLog();
    assert.equal(log.length, 1);
    assert.equal(log[0].path, '/meet/api/v1/rooms?maxItems=100&fields=roomId%2CroomName%2CcreationDate%2Cstatus%2Caccess');
  });

  test('a Content-Length longer than the body, then the client hangs up: no answer, nothing sent', async () => {
    emu.clearLog();
    const answer = await rawRequest(app.port, httpRequest('POST', '/rooms', {
      headers: { ...JSON_TYPE, 'Content-Length': '500' }, body: json({ roomName: 'Short' }),
    }), { halfClose: true, timeoutMs: 3000 });
    assert.ok(answer.status === 0 || answer.status === 400, answer.text);
    assert.deepEqual(emu.readLog(), []);
  });

  test('no program died on the way', () => {
    assert.deepEqual(fastcgiPids(app), pids);
  });
});
