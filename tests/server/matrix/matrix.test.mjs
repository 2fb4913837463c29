// The deployment matrix: each web server configuration in turn (lighttpd
// FastCGI and CGI, Apache mod_fcgid and mod_cgid, nginx + spawn-fcgi),
// started on a free port with the Meet API emulator, runs the same
// black-box API suite. MATRIX_SERVERS=a,b narrows it.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, startApp, projectRoot } from '../../lib/stack.mjs';
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

const extraTests = [
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
        const app = await startApp({ webServer, meetUrl: emu.url, apiKey: API_KEY, env: { MEET_APP_ROOT: appRoot } });
        return { app, emu, appRoot, apiKey: API_KEY, basePath: '' };
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
    extraTests: webServer === 'nginx' ? [...extraTests, ...nginxTests] : extraTests,
  });
}
