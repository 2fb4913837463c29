// Where a program finds its settings file when no one says (shared hosts
// with suEXEC drop the web server's SetEnv, so MEET_ENV_FILE never arrives):
// <program dir>/../.env, else meet-fcgi.env in the home directory of the user
// the program runs as, from the password database (a CGI environment has no
// HOME). The program runs as plain CGI under a user made for this test, whose
// home is a temp dir, from a copy in a temp dir of its own, so neither root's
// home nor the project's .env is involved. It logs the file's path, never
// what the file holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync,
  rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgiDir, findProgram, freePort } from '../lib/stack.mjs';

// A valgrind build's programs are wrapper scripts that run the real binary
// from the build directory: a copy would not be the program that runs.
function isScript(path) {
  const fd = openSync(path, 'r');
  const start = Buffer.alloc(2);
  readSync(fd, start, 0, 2, 0);
  closeSync(fd);
  return start.toString() === '#!';
}

const program = join(cgiDir(), 'config.fcgi');
const why = process.getuid?.() !== 0 ? 'needs root to add a user'
  : isScript(program) ? 'the program is a wrapper script' : false;

let base;
let user;
let uid;
let gid;
let homeFile;
let programCopy;
let nextToProgram;

before(() => {
  if (why) return;
  base = mkdtempSync(join(tmpdir(), 'meet-home-settings-'));
  chmodSync(base, 0o755);
  user = `meetenv${process.pid % 100000}`;
  const home = join(base, 'home');
  mkdirSync(home);
  execFileSync(findProgram('useradd'), ['--system', '--no-create-home', '--home-dir', home,
    '--shell', '/usr/sbin/nologin', user]);
  uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
  chownSync(home, uid, gid);
  chmodSync(home, 0o700);
  homeFile = join(home, 'meet-fcgi.env');
  mkdirSync(join(base, 'app/cgi-bin'), { recursive: true });
  programCopy = join(base, 'app/cgi-bin/config.fcgi');
  copyFileSync(program, programCopy);
  chmodSync(programCopy, 0o755);
  nextToProgram = join(base, 'app/.env');
});

after(() => {
  if (why) return;
  try { execFileSync(findProgram('userdel'), [user]); } catch { /* never made */ }
  rmSync(base, { recursive: true, force: true });
});

// Writes a settings file owned by the test user, mode 600 (as the docs say).
function writeSettings(path, text) {
  writeFileSync(path, text, { mode: 0o600 });
  chownSync(path, uid, gid);
}

// GET /config as the test user with env (no HOME, no settings variables).
function getConfig(env = {}) {
  const run = spawnSync(programCopy, [], {
    uid,
    gid,
    cwd: '/',
    env: {
      PATH: process.env.PATH,
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: 'GET',
      REQUEST_URI: '/config',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_HOST: 'localhost',
      ...env,
    },
    timeout: 10000,
  });
  const stdout = run.stdout.toString();
  const stderr = run.stderr.toString();
  assert.equal(run.status, 0, `exit ${run.status}: ${stderr}`);
  return { json: JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4)), stderr };
}

test('no .env beside the program: ~/meet-fcgi.env of the user it runs as, its path logged, not its contents',
  { skip: why }, async () => {
    const url = `http://127.0.0.1:${await freePort()}/from-home`;
    writeSettings(homeFile, `OV_MEET_SERVER_URL=${url}\nOV_MEET_API_KEY=home-file-secret-key\n`);
    const r = getConfig();
    assert.equal(r.json.meetServerUrl, url);
    assert.match(r.stderr, new RegExp(`settings from ${homeFile}\\n`));
    assert.doesNotMatch(r.stderr, /home-file-secret-key|from-home/);
  });

test('.env beside the program comes first; MEET_ENV_FILE before both', { skip: why }, () => {
  writeSettings(homeFile, 'OV_MEET_SERVER_URL=http://home.test/meet\n');
  writeSettings(nextToProgram, 'OV_MEET_SERVER_URL=http://beside.test/meet\n');
  try {
    let r = getConfig();
    assert.equal(r.json.meetServerUrl, 'http://beside.test/meet');
    assert.match(r.stderr, /settings from \S+\/app\/cgi-bin\/\.\.\/\.env\n/);
    const chosen = join(base, 'chosen.env');
    writeSettings(chosen, 'OV_MEET_SERVER_URL=http://chosen.test/meet\n');
    r = getConfig({ MEET_ENV_FILE: chosen });
    assert.equal(r.json.meetServerUrl, 'http://chosen.test/meet');
    assert.match(r.stderr, new RegExp(`settings from ${chosen}\\n`));
  } finally {
    unlinkSync(nextToProgram);
  }
});

test('no file anywhere: the environment and the defaults, and the log says so', { skip: why }, () => {
  rmSync(homeFile, { force: true });
  const r = getConfig({ OV_MEET_SERVER_URL: 'http://from-environment.test/meet' });
  assert.equal(r.json.meetServerUrl, 'http://from-environment.test/meet');
  assert.match(r.stderr, /no settings file \(\S+\/app\/cgi-bin\/\.\.\/\.env cannot be read\): environment and defaults only/);
});
