// Access control through a real web server (lighttpd, FastCGI): without a
// login only a local browser on a local name manages rooms; a foreign Host
// (DNS rebinding) or MEET_AUTH=required without the server's basic auth is
// refused by the programs before Meet; the server's login lets anyone in.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, startApp, writeHtpasswd } from '../../lib/stack.mjs';

// fetch() will not send a Host of our choosing: a raw request does.
function get(app, path, headers) {
  return new Promise((done, fail) => {
    const req = request(`${app.url}${path}`, { headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode, text, json: () => JSON.parse(text) }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('access control (lighttpd)', () => {
  let emu;
  const apps = [];
  let dir;

  before(async () => {
    emu = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'meet-access-'));
  });
  after(async () => {
    for (const app of apps) await app.stop();
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function app(env = {}) {
    const started = await startApp({ meetUrl: emu.url, env });
    apps.push(started);
    return started;
  }

  test('no login: a foreign Host is refused with 403 and nothing reaches Meet; localhost works', async () => {
    const local = await app();
    emu.clearLog();
    for (const host of ['evil.example', 'evil.example:80', `attacker.test:${local.port}`, `localhost.evil.example:${local.port}`]) {
      assert.equal((await get(local, '/rooms', { host })).status, 403, `Host ${host}`);
    }
    const refused = await get(local, '/rooms', { host: 'evil.example' });
    assert.match(refused.json().message, /MEET_ALLOWED_HOSTS|basic auth/);
    assert.deepEqual(emu.readLog(), []);
    assert.equal((await get(local, '/rooms', { host: `localhost:${local.port}` })).status, 200);
    assert.equal((await get(local, '/rooms', { host: `127.0.0.1:${local.port}` })).status, 200);
  });

  test('MEET_ALLOWED_HOSTS admits a name (a local reverse proxy)', async () => {
    const named = await app({ MEET_ALLOWED_HOSTS: 'meet.internal' });
    assert.equal((await get(named, '/rooms', { host: 'meet.internal' })).status, 200);
    assert.equal((await get(named, '/rooms', { host: 'other.internal' })).status, 403);
  });

  test('MEET_AUTH=required without the server asking for a login: every request refused, with how to fix it', async () => {
    const strict = await app({ MEET_AUTH: 'required' });
    emu.clearLog();
    for (const path of ['/rooms', '/config', '/rooms/r1/members']) {
      const answer = await get(strict, path, {});
      assert.equal(answer.status, 403, path);
      assert.match(answer.json().message, /basic auth.*MEET_HTPASSWD/);
    }
    assert.deepEqual(emu.readLog(), []);
  });

  test('with the server\'s login, MEET_AUTH=required and any Host pass', async () => {
    const file = writeHtpasswd(join(dir, 'htpasswd'), { username: 'admin', password: 'pw 1' });
    const guarded = await app({ MEET_AUTH: 'required', MEET_HTPASSWD: file });
    const login = `Basic ${Buffer.from('admin:pw 1').toString('base64')}`;
    assert.equal((await get(guarded, '/rooms', {})).status, 401);
    assert.equal((await get(guarded, '/rooms', { authorization: login })).status, 200);
    assert.equal((await get(guarded, '/rooms', { authorization: login, host: 'meet.example.org' })).status, 200);
  });
});
