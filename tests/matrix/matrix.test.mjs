// The deployment matrix: each web server configuration in turn (lighttpd
// FastCGI and CGI, Apache mod_fcgid and mod_cgid, nginx + spawn-fcgi),
// started on a free port with the Meet API emulator, runs the same
// black-box API suite. MATRIX_SERVERS=a,b narrows it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, startApp } from '../lib/stack.mjs';
import { defineApiSuite } from './api-suite.mjs';

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
      try {
        const app = await startApp({ webServer, meetUrl: emu.url, apiKey: API_KEY });
        return { app, emu, apiKey: API_KEY, basePath: '' };
      } catch (error) {
        await emu.stop();
        throw error;
      }
    },
    async stop(stack) {
      await stack?.app.stop();
      await stack?.emu.stop();
    },
    extraTests: webServer === 'nginx' ? [...extraTests, ...nginxTests] : extraTests,
  });
}
