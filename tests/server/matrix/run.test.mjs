// `make run` (scripts/run.sh) as a user starts it: on 127.0.0.1 by default,
// with no login; opened to the network with SERVER_HOST, never without one
// (a password made on the first run, printed once, kept only hashed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, freePort, projectRoot } from '../../lib/stack.mjs';

let emu;
before(async () => { emu = await startEmulator(); });
after(async () => { await emu?.stop(); });

// An address of this machine that is not loopback, or null.
function outsideAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

// Starts run.sh; resolves once it printed its address, with its output so far.
async function run(env) {
  const dir = mkdtempSync(join(tmpdir(), 'meet-run-'));
  const port = await freePort();
  const child = spawn(join(projectRoot, 'scripts/run.sh'), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME || '/', OV_MEET_SERVER_URL: emu.url,
      OV_MEET_API_KEY: 'meet-api-key', MEET_ENV_FILE: '/dev/null', MEET_RUN_DIR: join(dir, 'run'),
      MEET_CGI_DIR: process.env.MEET_CGI_DIR || join(projectRoot, 'cgi-bin'), SERVER_PORT: String(port), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 15000;
  while (!/Ctrl-C stops it/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`run.sh did not start: ${output}`);
    await new Promise((done) => setTimeout(done, 50));
  }
  for (let i = 0; i < 100; i++) {
    try { await fetch(`http://127.0.0.1:${port}/index.html`); break; } catch { await new Promise((done) => setTimeout(done, 50)); }
  }
  return {
    port, dir, output: () => output,
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('by default it listens on 127.0.0.1 only, with no login', async () => {
  const app = await run({});
  try {
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/rooms`)).status, 200);
    const outside = outsideAddress();
    if (outside) {
      await assert.rejects(fetch(`http://${outside}:${app.port}/rooms`, { signal: AbortSignal.timeout(3000) }),
        'reachable from another interface');
    }
    assert.doesNotMatch(app.output(), /password/);
    assert.equal(statSync(join(app.dir, 'run')).mode & 0o777, 0o700);
  } finally { await app.stop(); }
});

test('SERVER_HOST=0.0.0.0: a login is made, printed once, needed for the page and the API', async () => {
  const app = await run({ SERVER_HOST: '0.0.0.0' });
  try {
    const match = /user admin, password (\S+)/.exec(app.output());
    assert.ok(match, app.output());
    const password = match[1];
    const login = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const where = [`http://127.0.0.1:${app.port}`];
    const outside = outsideAddress();
    if (outside) where.push(`http://${outside}:${app.port}`);
    for (const base of where) {
      for (const path of ['/', '/rooms', '/config']) {
        assert.equal((await fetch(base + path)).status, 401, `${base}${path} without a login`);
        assert.equal((await fetch(base + path, { headers: { authorization: login } })).status, 200, `${base}${path}`);
      }
    }
    const file = join(app.dir, 'run', 'htpasswd');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!readFileSync(file, 'utf8').includes(password), 'the password is stored in clear');
  } finally { await app.stop(); }
});

test('SERVER_HOST=0.0.0.0 with MEET_HTPASSWD: that file is used, no password is made', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meet-run-auth-'));
  const file = join(dir, 'users');
  const { execFileSync } = await import('node:child_process');
  const hash = execFileSync('openssl', ['passwd', '-apr1', 'their password'], { encoding: 'utf8' }).trim();
  (await import('node:fs')).writeFileSync(file, `alice:${hash}\n`, { mode: 0o644 });
  const app = await run({ SERVER_HOST: '0.0.0.0', MEET_HTPASSWD: file });
  try {
    assert.doesNotMatch(app.output(), /password \S+/);
    const login = `Basic ${Buffer.from('alice:their password').toString('base64')}`;
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/rooms`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/rooms`, { headers: { authorization: login } })).status, 200);
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
