// Starts the pieces of a test stack on free ports: the Meet API emulator
// (through its one launcher, emulator/launch.mjs) and the app behind a real
// web server.
// Every process is started in its own process group and stop() ends the
// whole group; whatever is still running when Node exits is ended too.
// Nothing is written into the repository: runtime files go to a temp dir.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export { startEmulator, emulatorPath } from '../../emulator/launch.mjs';

const running = new Set();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child, signal) {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

// Spawns command as the leader of a new process group, output to logFile.
function spawnGroup(command, args, env, logFile, cwd) {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  child.exitInfo = null;
  child.exited.then((info) => { child.exitInfo = info; running.delete(child); });
  running.add(child);
  return child;
}

async function stopGroup(child) {
  if (child.exitInfo) return;
  killGroup(child, 'SIGTERM');
  const timeout = sleep(3000).then(() => 'timeout');
  if ((await Promise.race([child.exited, timeout])) === 'timeout') {
    killGroup(child, 'SIGKILL');
    await child.exited;
  }
}

/**
 * Writes an htpasswd file with one user ({SHA}: a format lighttpd, Apache
 * and nginx all read) and returns its path.
 */
export function writeHtpasswd(file, { username, password }, mode = 0o640) {
  const digest = createHash('sha1').update(password).digest('base64');
  writeFileSync(file, `${username}:{SHA}${digest}\n`, { mode });
  return file;
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Path of a program in PATH or the sbin directories (not in a user's PATH). */
export function findProgram(name) {
  const dirs = [...(process.env.PATH || '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed (scripts/deps.sh test installs it)`);
}

/**
 * How each web server is started: its command line, in the foreground.
 * Other configurations (deploy/) add themselves here.
 */
export const webServers = {
  lighttpd: { args: () => [findProgram('lighttpd'), '-D', '-f', join(projectRoot, 'lighttpd.conf')] },
  'lighttpd-cgi': {
    args: () => [findProgram('lighttpd'), '-D', '-f', join(projectRoot, 'deploy/lighttpd-cgi.conf')],
  },
  // deploy/serve.sh makes the run dir usable by the server's user and runs it.
  'apache-fcgid': { args: () => [join(projectRoot, 'deploy/serve.sh'), 'apache-fcgid'] },
  'apache-cgi': { args: () => [join(projectRoot, 'deploy/serve.sh'), 'apache-cgi'] },
  nginx: { args: () => [join(projectRoot, 'deploy/serve.sh'), 'nginx'] },
};

/** scheme://host[:port] of a URL, for the Content-Security-Policy. */
export function originOf(url) {
  return new URL(url).origin;
}

/** The policy every configuration sends, from the one place that writes it. */
export function contentSecurityPolicy(meetOrigin, livekitUrl) {
  return execFileSync(join(projectRoot, 'scripts/csp.sh'), [meetOrigin, livekitUrl], { encoding: 'utf8' }).trim();
}

/** The directory of the built programs: $MEET_CGI_DIR, else cgi-bin/. */
export function cgiDir() {
  return process.env.MEET_CGI_DIR || join(projectRoot, 'cgi-bin');
}

/**
 * Starts the app behind a web server on a free port and waits until it answers.
 * options: webServer (key of webServers), meetUrl, apiKey, livekitUrl
 * (OV_LIVEKIT_URL, which the policy admits: a suite that joins meetings
 * passes the emulator's livekitUrl; Meet's default address otherwise), env
 * (extra variables for the server and programs, e.g. MEET_TIMEOUT_MS).
 */
export async function startApp({
  webServer = 'lighttpd', meetUrl, apiKey = 'meet-api-key', livekitUrl = 'ws://localhost:7880', env = {},
} = {}) {
  const server = webServers[webServer];
  if (!server) throw new Error(`unknown webServer '${webServer}' (known: ${Object.keys(webServers).join(', ')})`);
  if (!meetUrl) throw new Error('startApp needs meetUrl');

  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), `meet-app-${webServer}-`));
    const logFile = join(dir, 'server.log');
    const port = await freePort();
    const [command, ...args] = server.args();
    const child = spawnGroup(command, args, {
      PATH: process.env.PATH,
      HOME: process.env.HOME || '/',
      SERVER_HOST: '127.0.0.1',
      SERVER_PORT: String(port),
      MEET_APP_ROOT: projectRoot,
      MEET_CGI_DIR: cgiDir(),
      MEET_RUN_DIR: dir,
      MEET_ORIGIN: originOf(meetUrl),
      MEET_CSP: contentSecurityPolicy(originOf(meetUrl), livekitUrl),
      OV_MEET_SERVER_URL: meetUrl,
      OV_LIVEKIT_URL: livekitUrl,
      OV_MEET_API_KEY: apiKey,
      MEET_CONNECT_TIMEOUT_MS: '3000',
      MEET_TIMEOUT_MS: '10000',
      MEET_LIST_MAX_BYTES: '',
      // A developer's .env must not change what the tests see.
      MEET_ENV_FILE: '/dev/null',
      APP_BASE_PATH: '',
      // Every setting a configuration names must exist (lighttpd refuses an
      // undefined env.NAME); empty means the default.
      MEET_AUTH: '',
      MEET_ALLOWED_HOSTS: '',
      ROOM_ANONYMOUS_ACCESS: '',
      // make check-asan, check-tsan: where the programs write sanitizer reports.
      ...Object.fromEntries(['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS', 'TSAN_OPTIONS']
        .filter((name) => process.env[name]).map((name) => [name, process.env[name]])),
      ...env,
    }, logFile, dir);

    const app = {
      url: `http://127.0.0.1:${port}`,
      port,
      dir,
      pid: child.pid,  // the web server's; its programs are in its process group
      logs: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      async stop() {
        await stopGroup(child);
        if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
      },
    };

    // MEET_TEST_START_MS: more time when the programs run under valgrind.
    const startMs = Number(process.env.MEET_TEST_START_MS || 10000);
    const deadline = Date.now() + startMs;
    while (!child.exitInfo && Date.now() < deadline) {
      try {
        await fetch(`${app.url}/config`, { signal: AbortSignal.timeout(Math.max(1000, startMs / 10)) });
        return app;
      } catch { await sleep(25); }
    }
    const logs = app.logs();
    await app.stop();
    // Another process may have taken the port between freePort and bind.
    if (attempt < 3 && /Address already in use/.test(logs)) continue;
    throw new Error(`${webServer} did not start: ${logs}`);
  }
}
