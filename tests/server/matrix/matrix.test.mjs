// The deployment matrix: each web server configuration in turn (lighttpd
// FastCGI and CGI, Apache mod_fcgid and mod_cgid, nginx + spawn-fcgi),
// started on a free port with the Meet API emulator and basic auth on, runs
// the same black-box API suite (with and without the login). MATRIX_SERVERS=a,b narrows it.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, startApp, projectRoot, writeHtpasswd } from '../../lib/stack.mjs';
import { defineApiSuite } from '../../lib/api-suite.mjs';

const API_KEY = 'matrix-api-key-7c1d9e4b5a';
const servers = (process.env.MATRIX_SERVERS || 'lighttpd,lighttpd-cgi,apache-fcgid,apache-cgi,nginx').split(',');

// Processes of the app's process group, by pid: {name, environ}.
function groupProcesses(app) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== app.pid) continue;
      found.push({ name: /\(([^)]*)\)/.exec(stat)[1], environ: readFileSync(`/proc/${entry}/environ`, 'latin1') });
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

// The app root each stack serves: the project's, but with files planted in
// htdocs that no server may hand out (a dotfile holding the API key, a dot
// directory, an .htpasswd), so the refusals are tested on files that exist.
function plantedAppRoot() {
  const root = mkdtempSync(join(tmpdir(), 'meet-matrix-root-'));
  chmodSync(root, 0o755);  // the web servers' workers may run as www-data
  cpSync(join(projectRoot, 'htdocs'), join(root, 'htdocs'), { recursive: true });
  for (const name of ['deploy', 'scripts']) symlinkSync(join(projectRoot, name), join(root, name));
  writeFileSync(join(root, 'htdocs/.env'), `OV_MEET_API_KEY=${API_KEY}\n`);
  writeFileSync(join(root, 'htdocs/.htpasswd'), `admin:${API_KEY}\n`);
  writeFileSync(join(root, 'htdocs/.htaccess'), `# ${API_KEY}\n`);
  mkdirSync(join(root, 'htdocs/.git'));
  writeFileSync(join(root, 'htdocs/.git/config'), '[core]\n');
  writeFileSync(join(root, 'htdocs/.git/HEAD'), `ref: ${API_KEY}\n`);
  return root;
}

const AUTH = { username: 'admin', password: 'matrix password 91c2' };


// Every place a member id (the secret of an access link) or the key could
// be left on disk: the run dir with its logs, after a member lived a whole life.
const secretTests = [
  ['a member created, updated, QR-coded and deleted leaves no trace in the run dir; the dir is private', async ({ app, emu, apiKey }) => {
    const auth = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;
    const send = async (method, path, body) => {
      const init = { method, headers: { authorization: auth } };
      if (body) { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
      const response = await fetch(app.url + path, init);
      return { status: response.status, text: await response.text() };
    };
    const room = JSON.parse((await send('POST', '/rooms', { roomName: 'Trace' })).text).room.roomId;
    const added = await send('POST', `/rooms/${room}/members`, { name: 'Tracy', baseRole: 'speaker' });
    const memberId = JSON.parse(added.text).member.memberId;
    assert.equal((await send('PUT', `/rooms/${room}/members/${memberId}`, { baseRole: 'moderator' })).status, 200);
    assert.equal((await send('GET', `/rooms/${room}/members/${memberId}/qr`)).status, 200);
    assert.equal((await send('GET', `/rooms/${room}/members?secret=${memberId}`)).status, 200);
    assert.equal((await send('DELETE', `/rooms/${room}/members/${memberId}`)).status, 200);
    await send('DELETE', `/rooms/${room}`);
    await new Promise((done) => setTimeout(done, 1200));  // nginx flushes its log buffer each second
    let files = 0;
    for (const file of readdirSync(app.dir, { recursive: true })) {
      const path = join(app.dir, file);
      let stats;
      try { stats = statSync(path); } catch { continue; }
      if (!stats.isFile()) continue;
      files++;
      const text = readFileSync(path, 'latin1');
      assert.ok(!text.includes(memberId), `${file} holds the member id`);
      assert.ok(!text.includes(apiKey), `${file} holds the API key`);
    }
    assert.ok(files > 0, 'the run dir holds no file at all');
    assert.equal(statSync(app.dir).mode & 0o077, 0, 'the run dir is open to others');
    assert.ok(emu.readLog().some((entry) => entry.path.includes(memberId)), 'the member never reached Meet');
  }],
  ['no process of the configuration has the API key on its command line', ({ app, apiKey }) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline;
      try { cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1'); } catch { continue; }
      assert.ok(!cmdline.includes(apiKey), `process ${entry} has the key in argv: ${cmdline.replaceAll('\0', ' ')}`);
    }
    assert.ok(app.pid > 0);
  }],
];

// A non-dumpable process (prctl PR_SET_DUMPABLE 0) has its /proc files owned
// by root whoever it runs as: no core dump, no ptrace, no environ for its user.
function dumpableTest(programParent) {
  return ['the programs are not dumpable (their /proc is root\'s, though they run as another user)', ({ app }) => {
    let checked = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      let status;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        status = readFileSync(`/proc/${entry}/status`, 'utf8');
      } catch { continue; }
      const name = /\(([^)]*)\)/.exec(stat)[1];
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!/\.(fcgi|cgi)$/.test(name) || !programParent(app, Number(fields[1]), Number(fields[2]))) continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)[1]);
      if (uid === 0) continue;
      assert.equal(statSync(`/proc/${entry}/environ`).uid, 0, `${name} (${entry}) is dumpable`);
      checked++;
    }
    if (process.getuid() === 0) assert.ok(checked > 0, 'no program process running as another user was found');
  }];
}

const extraTests = [
  ...secretTests,
  ['no file the configuration wrote holds the API key', ({ app }) => {
    for (const file of readdirSync(app.dir, { recursive: true })) {
      const path = join(app.dir, file);
      let stats;
      try { stats = statSync(path); } catch { continue; }
      if (!stats.isFile()) continue;
      assert.ok(!readFileSync(path, 'latin1').includes(API_KEY), `${file} holds the API key`);
    }
  }],
];
const nginxTests = [
  ['nginx never has the API key; the FastCGI programs do', ({ app }) => {
    const processes = groupProcesses(app);
    const nginx = processes.filter((p) => p.name === 'nginx');
    const programs = processes.filter((p) => p.name.endsWith('.fcgi'));
    assert.ok(nginx.length > 0 && programs.length === 3, processes.map((p) => p.name).join(' '));
    for (const p of nginx) assert.ok(!p.environ.includes(API_KEY), 'nginx has the API key');
    for (const p of programs) assert.ok(p.environ.includes(`OV_MEET_API_KEY=${API_KEY}`), `${p.name} lacks the key`);
  }],
];

for (const webServer of servers) {
  defineApiSuite(`deployment matrix: ${webServer}`, {
    async start() {
      const emu = await startEmulator({ naming: 'released', apiKey: API_KEY });
      const appRoot = plantedAppRoot();
      try {
        const env = { MEET_APP_ROOT: appRoot, MEET_HTPASSWD: writeHtpasswd(join(appRoot, 'htpasswd'), AUTH) };
        // The emulator's LiveKit, not the default address: each configuration
        // must pass OV_LIVEKIT_URL on to the programs and into the policy.
        const app = await startApp({ webServer, meetUrl: emu.url, apiKey: API_KEY, livekitUrl: emu.livekitUrl, env });
        return { app, emu, appRoot, apiKey: API_KEY, basePath: '', auth: AUTH, livekitUrl: emu.livekitUrl };
      } catch (error) {
        await emu.stop();
        rmSync(appRoot, { recursive: true, force: true });
        throw error;
      }
    },
    async stop(stack) {
      await stack?.app.stop();
      await stack?.emu.stop();
      if (stack?.appRoot) rmSync(stack.appRoot, { recursive: true, force: true });
    },
    // Long-running programs to look at: spawn-fcgi's (nginx) and mod_fcgid's.
    extraTests: webServer === 'nginx' ? [...extraTests, ...nginxTests, dumpableTest((app, ppid, pgrp) => pgrp === app.pid)]
      : webServer === 'apache-fcgid' ? [...extraTests, dumpableTest((app, ppid, pgrp) => pgrp === app.pid)] : extraTests,
  });
}
