// The black-box API suite every deployment configuration must pass: the same
// requests, through whatever web server runs the programs, against the Meet
// API emulator. Used by tests/server/matrix/ (five server configurations) and
// tests/server/hosting/ (the shared-hosting layout, in a subdirectory).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

/**
 * Defines one describe() block named `name`. start() starts the stack and
 * returns {app, emu, apiKey, basePath, secretPaths, auth, livekitUrl}:
 * basePath is where the app lives ('' or '/app'), secretPaths are extra paths
 * that must not be served (beyond the common ones), auth ({username,
 * password}) the basic-auth login every call then sends, livekitUrl the
 * OV_LIVEKIT_URL the app was given (checked in GET /config and the policy
 * when set); stop() ends it. extraTests: more
 * [title, fn(stack)] run last, against the same stack.
 */
export function defineApiSuite(name, { start, stop, extraTests = [] }) {
  describe(name, () => {
    let stack;
    // Every answer of the suite, to check that the API key is in none.
    const answers = [];

    async function call(method, path, { body, contentType, raw = false, anonymous = false } = {}) {
      const init = { method, headers: {}, redirect: 'manual' };
      if (stack.auth && !anonymous) {
        const { username, password } = stack.auth;
        init.headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      }
      if (body !== undefined) {
        init.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        init.headers['content-type'] = contentType ?? 'application/json';
      }
      const url = stack.app.url + (raw ? path : stack.basePath + path);
      const response = await fetch(url, init);
      const text = await response.text();
      const headerText = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      answers.push(`${method} ${path}\n${headerText}\n\n${text}`);
      let json = null;
      if ((response.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(text);
      return { status: response.status, headers: response.headers, text, json };
    }

    function assertSecurityHeaders(answer, what) {
      const origin = new URL(stack.emu.url).origin;
      const csp = answer.headers.get('content-security-policy') || '';
      assert.ok(csp.includes(`script-src 'self' ${origin} 'wasm-unsafe-eval';`), `${what}: CSP script-src (${csp})`);
      assert.ok(csp.includes(`media-src 'self' blob: mediastream: ${origin};`), `${what}: CSP media-src`);
      if (stack.livekitUrl) {
        const livekit = new URL(stack.livekitUrl).origin.replace(/^http/, 'ws');
        const connect = /connect-src ([^;]*)/.exec(csp)?.[1].split(' ') ?? [];
        for (const source of [livekit, livekit.replace(/^ws/, 'http')]) {
          assert.ok(connect.includes(source), `${what}: CSP connect-src has ${source} (${csp})`);
        }
      }
      assert.ok(csp.includes(`frame-src ${origin}`), `${what}: CSP frame-src`);
      assert.ok(csp.includes("frame-ancestors 'none'"), `${what}: CSP frame-ancestors`);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
    }

    before(async () => { stack = await start(); });
    after(async () => { await stop?.(stack); });

    test('without a login: the page and the API answer 401, nothing reaches Meet', async (t) => {
      if (!stack.auth) { t.skip('this stack runs without basic auth'); return; }
      const before = stack.emu.readLog().length;
      for (const [method, path, body] of [['GET', '/'], ['GET', '/config'], ['GET', '/rooms'],
        ['POST', '/rooms', { roomName: 'Intruder' }], ['GET', '/rooms/r1/members'],
        ['POST', '/rooms/r1/members', { name: 'Eve', baseRole: 'moderator' }], ['DELETE', '/rooms/r1']]) {
        const answer = await call(method, path, { body, anonymous: true });
        assert.equal(answer.status, 401, `${method} ${path}`);
        assert.match(answer.headers.get('www-authenticate') || '', /^Basic /, `${method} ${path}`);
      }
      // A wrong password is no login either; the security headers stay on
      // the refusal.
      const saved = stack.auth;
      const paths = ['/', '/index.html', '/config', '/rooms'];
      for (const path of paths) {
        stack.auth = { ...saved, password: 'guess' };
        try { assert.equal((await call('GET', path)).status, 401, `${path} with a wrong password`); } finally { stack.auth = saved; }
        const anonymous = await call('GET', path, { anonymous: true });
        assert.equal(anonymous.headers.get('x-content-type-options'), 'nosniff', `${path}: nosniff on 401`);
      }
      assert.equal(stack.emu.readLog().length, before, 'a request without a login reached Meet');
      // The right one passes, page and API alike.
      for (const path of paths) assert.equal((await call('GET', path)).status, 200, `${path} with the login`);
    });

    test('GET /config', async () => {
      const r = await call('GET', '/config');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.meetServerUrl, stack.emu.url);
      assert.equal(r.json.webComponentUrl, `${stack.emu.url}/v1/openvidu-meet.js`);
      if (stack.livekitUrl) assert.equal(r.json.livekitUrl, stack.livekitUrl);
    });

    test('security headers on a static page, an API answer and an error', async () => {
      const page = await call('GET', '/');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /^text\/html/);
      assertSecurityHeaders(page, 'GET /');
      assertSecurityHeaders(await call('GET', '/index.html'), 'GET /index.html');
      assertSecurityHeaders(await call('GET', '/config'), 'GET /config');
      const missing = await call('GET', '/rooms/r1/other');
      assert.equal(missing.status, 404);
      assertSecurityHeaders(missing, 'API 404');
    });

    test('rooms and members: the whole lifecycle', async () => {
      const created = await call('POST', '/rooms', { body: { roomName: 'Matrix Room' } });
      assert.equal(created.status, 201, created.text);
      const { roomId } = created.json.room;
      assert.ok(roomId);

      const rooms = await call('GET', '/rooms');
      assert.equal(rooms.status, 200);
      assert.ok(rooms.json.rooms.some((room) => room.roomId === roomId));

      const base = `/rooms/${roomId}/members`;
      const alice = await call('POST', base, { body: { name: 'Alice', baseRole: 'speaker' } });
      assert.equal(alice.status, 201, alice.text);
      const bob = await call('POST', base, {
        body: { name: 'Bob', baseRole: 'moderator', customPermissions: { canRecord: false } },
      });
      assert.equal(bob.status, 201, bob.text);
      const aliceId = alice.json.member.memberId;
      const bobId = bob.json.member.memberId;

      const members = await call('GET', base);
      assert.equal(members.status, 200);
      assert.deepEqual(members.json.members.map((m) => m.memberId).sort(), [aliceId, bobId].sort());

      const updated = await call('PUT', `${base}/${aliceId}`, { body: { baseRole: 'moderator' } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.json.member.baseRole, 'moderator');

      // The links as a file: routed to the members program by every configuration.
      const csv = await call('GET', `${base}.csv`);
      assert.equal(csv.status, 200, csv.text);
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(csv.headers.get('content-disposition'), `attachment; filename="${roomId}-members.csv"`);
      assert.equal(csv.headers.get('cache-control'), 'no-store');
      assertSecurityHeaders(csv, 'CSV');
      const listed = (await call('GET', base)).json.members;
      // (text() drops the byte-order mark; tests/server/api/csv.test.mjs checks the bytes.)
      assert.equal(csv.text, 'name,role,link\r\n'
        + listed.map((m) => `${m.name},${m.baseRole},${m.accessUrl}\r\n`).join(''));

      const qr = await call('GET', `${base}/${aliceId}/qr`);
      assert.equal(qr.status, 200, qr.text);
      assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
      assert.match(qr.text, /^<svg /);
      assertSecurityHeaders(qr, 'QR');

      const removed = await call('DELETE', `${base}/${aliceId}`);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual((await call('GET', base)).json.members.map((m) => m.memberId), [bobId]);
      assert.equal((await call('DELETE', `${base}/${aliceId}`)).status, 404);

      const deleted = await call('DELETE', `/rooms/${roomId}`);
      assert.ok([200, 202].includes(deleted.status), deleted.text);
      const again = await call('DELETE', `/rooms/${roomId}`);
      assert.equal(again.status, 404);
      assert.ok(again.json.message);
    });

    test('validation: 400, 404, 405 + Allow, 413, 415', async () => {
      const malformed = await call('POST', '/rooms', { body: '{"roomName":' });
      assert.equal(malformed.status, 400);
      assert.ok(malformed.json.message);
      const badName = await call('POST', '/rooms', { body: { roomName: 'x'.repeat(51) } });
      assert.equal(badName.status, 400);
      assert.match(badName.json.message, /roomName/);
      assert.equal((await call('DELETE', '/rooms/a.b')).status, 400);
      assert.equal((await call('POST', '/rooms/r1/members', { body: { name: 'Eve', baseRole: 'admin' } })).status, 400);

      const unknown = await call('GET', '/rooms/r1/other');
      assert.equal(unknown.status, 404);
      assert.ok(unknown.json.message);

      const wrong = await call('PATCH', '/rooms');
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get('allow'), 'POST, GET');
      const wrongQr = await call('POST', '/rooms/r1/members/m1/qr', { body: {} });
      assert.equal(wrongQr.status, 405);
      assert.equal(wrongQr.headers.get('allow'), 'GET');

      assert.equal((await call('POST', '/rooms', { body: '{"roomName":"x"}', contentType: 'text/plain' })).status, 415);

      // One byte past the programs' limit reaches them: their JSON 413.
      const justOver = `{"roomName":"x","pad":"${'p'.repeat(64 * 1024 + 1 - 25)}"}`;
      assert.equal(Buffer.byteLength(justOver), 64 * 1024 + 1);
      const big = await call('POST', '/rooms', { body: justOver });
      assert.equal(big.status, 413, big.text.slice(0, 200));
      assert.equal(big.json.message, 'The request body is larger than 65536 bytes');

      // Far past it, the server may answer 413 itself or cut the upload.
      try {
        const huge = await call('POST', '/rooms', { body: Buffer.alloc(4 * 1024 * 1024, 0x20) });
        assert.equal(huge.status, 413);
      } catch (error) {
        assert.match(String(error.cause?.code || error), /EPIPE|ECONNRESET|UND_ERR_SOCKET|other side closed/);
      }
    });

    test('no directory listings, no secrets or sources served', async () => {
      for (const dir of ['/images/', '/js/', '/css/']) {
        const r = await call('GET', dir);
        assert.ok(r.status !== 200 || !/Index of|<title>Directory/i.test(r.text), `listing of ${dir}`);
        assert.ok(r.status >= 300, `${dir} answered ${r.status}`);
      }
      const paths = ['/.env', '/../.env', '/%2e%2e/.env', '/.git/config', '/.git/HEAD', '/cgi-bin/rooms.c',
        '/lib/config.c', '/HACKING.md', '/lighttpd.conf', '/deploy/serve.sh', '/.htaccess', '/.htpasswd',
        ...(stack.secretPaths || [])];
      for (const path of paths) {
        const r = await call('GET', path);
        assert.ok(r.status >= 400, `${path} answered ${r.status}`);
        assert.ok(!/OV_MEET_API_KEY|#include|\x7fELF|\[core\]/.test(r.text), `${path} leaked a file`);
      }
    });

    test('the API key is in no answer', async () => {
      // Paths a scanner tries first, on top of every answer above.
      for (const path of ['/config?x=1', '/rooms', '/index.html', '/server-status', '/server-info']) await call('GET', path);
      assert.ok(answers.length > 30, `only ${answers.length} answers recorded`);
      for (const answer of answers) {
        assert.ok(!answer.includes(stack.apiKey), `the API key is in: ${answer.slice(0, 120)}`);
      }
    });

    for (const [title, fn] of extraTests) test(title, () => fn(stack));
  });
}
