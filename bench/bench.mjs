// make bench: the default stack (lighttpd + the FastCGI programs) against a
// fixed nginx upstream, wrk with 2 threads and 32 connections on the three
// endpoints that call Meet and on two ceilings. Prints req/s, p50, p99,
// non-2xx, the memory of lighttpd plus the programs, and how many TCP connections the programs opened to the
// upstream. Measures only; it never fails on speed.
//   BENCH_SECONDS (default 20), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
//   BENCH_CONF: another lighttpd configuration to measure (default lighttpd.conf),
//   BENCH_WEB_SERVER: another stack of tests/lib/stack.mjs (e.g. nginx),
//   MEET_THREADS: workers per program process (the programs' default is 8);
//   BENCH_WEB_SERVER=node-tutorial (make bench-node) measures instead the
//   Node.js/Express comparison server of bench/node-tutorial.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startApp, freePort, projectRoot, findProgram, webServers } from '../tests/lib/stack.mjs';

const seconds = Number(process.env.BENCH_SECONDS || 20);
const connections = Number(process.env.BENCH_CONNECTIONS || 32);
const threads = Number(process.env.BENCH_THREADS || 2);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function startUpstream() {
  const dir = mkdtempSync(join(tmpdir(), 'meet-bench-upstream-'));
  const port = await freePort();
  const conf = readFileSync(join(projectRoot, 'bench/upstream-nginx.conf'), 'utf8')
    .replaceAll('@PORT@', String(port)).replaceAll('@DIR@', dir);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(findProgram('nginx'), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'nginx-error.log')],
    { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${url}/status`)).ok) break; } catch { await sleep(25); }
  }
  return {
    url,
    // A connection of its own (closed), so each reading adds exactly one.
    async accepts() { return Number(/\s(\d+)\s+\d+\s+\d+\s*\n/.exec(await (await fetch(`${url}/status`, { headers: { connection: 'close' } })).text())[1]); },
    stop() { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } rmSync(dir, { recursive: true, force: true }); },
  };
}

// lighttpd and every descendant: name, RSS and PSS in KiB.
function stackMemory(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* gone */ }
  }
  const processes = [];
  const visit = (pid) => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      processes.push({
        pid,
        name: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
        rss: Number(/^Rss:\s+(\d+)/m.exec(rollup)[1]),
        pss: Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]),
      });
    } catch { /* gone */ }
    for (const child of children.get(pid) || []) visit(child);
  };
  visit(rootPid);
  return processes;
}

function runWrk(url, script) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (script) args.push('-s', script);
  return new Promise((done) => {
    const child = spawn('wrk', [...args, url]);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', () => done(out));
  });
}

const ms = (text) => {
  const [, n, unit] = /([\d.]+)(us|ms|s)/.exec(text);
  return Number(n) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
};

const upstream = await startUpstream();
let webServer = process.env.BENCH_WEB_SERVER || 'lighttpd';
if (process.env.BENCH_CONF) {
  webServer = 'lighttpd-bench';
  webServers[webServer] = { args: () => [findProgram('lighttpd'), '-D', '-f', process.env.BENCH_CONF] };
}
// The comparison point: a Node.js/Express server with the tutorial's endpoints.
async function startNodeTutorial(meetUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(projectRoot, 'bench/node-tutorial.mjs')], {
    env: { ...process.env, PORT: String(port), OV_MEET_SERVER_URL: meetUrl, OV_MEET_API_KEY: 'meet-api-key' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { await fetch(`${url}/rooms`); break; } catch { await sleep(25); }
  }
  return { url, pid: child.pid, async stop() { child.kill('SIGTERM'); } };
}

const meetUrl = `${upstream.url}/meet`;
const app = webServer === 'node-tutorial'
  ? await startNodeTutorial(meetUrl)
  : await startApp({ webServer, meetUrl, env: { MEET_TIMEOUT_MS: '10000' } });
const endpoints = [
  ['GET /rooms', `${app.url}/rooms`, null],
  ['GET /rooms/{id}/members', `${app.url}/rooms/bench-room-1/members`, null],
  ['POST /rooms/{id}/members', `${app.url}/rooms/bench-room-1/members`, join(projectRoot, 'bench/post-member.lua')],
  // Ceilings, for what limits the rows above: a program answering without
  // calling Meet (the web server's FastCGI hop and our request loop), and a
  // static file (the web server alone).
  ['ceiling: GET /config', `${app.url}/config`, null],
  ['ceiling: GET /index.html', `${app.url}/index.html`, null],
].filter(([label]) => webServer !== 'node-tutorial' || !label.startsWith('ceiling'));
const results = [];
try {
  // Let lighttpd start every program process; warm each up.
  for (const [, url, script] of endpoints) {
    await fetch(url, script ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Ana","baseRole":"speaker"}' } : {});
  }
  const idle = stackMemory(app.pid);
  for (const [label, url, script] of endpoints) {
    const acceptsBefore = await upstream.accepts();
    const wrk = runWrk(url, script);
    await sleep(seconds * 500);
    const loaded = stackMemory(app.pid);
    const out = await wrk;
    const acceptsAfter = await upstream.accepts();
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] || 0);
    const p50 = /\s50%\s+(\S+)/.exec(out)?.[1];
    const p99 = /\s99%\s+(\S+)/.exec(out)?.[1];
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] || 0);
    const errors = /Socket errors:.*/.exec(out)?.[0] || '';
    results.push({
      label, rps, p50: p50 ? ms(p50) : NaN, p99: p99 ? ms(p99) : NaN, non2xx, errors,
      rss: loaded.reduce((s, p) => s + p.rss, 0), pss: loaded.reduce((s, p) => s + p.pss, 0),
      processes: loaded.length, upstreamConnections: acceptsAfter - acceptsBefore - 1,  // minus our /status call
    });
    if (process.env.BENCH_VERBOSE) console.log(out);
  }
  const mib = (kib) => (kib / 1024).toFixed(1);
  console.log(`bench: ${new Date().toISOString()}, ${cpus().length} cores (${cpus()[0].model}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`bench: ${webServer}${webServer === 'node-tutorial' ? ` (Node.js ${process.version})` : `, MEET_THREADS ${process.env.MEET_THREADS || '8 (default)'}`}; wrk -t${threads} -c${connections} -d${seconds}s; idle stack ${idle.length} processes, RSS ${mib(idle.reduce((s, p) => s + p.rss, 0))} MiB, PSS ${mib(idle.reduce((s, p) => s + p.pss, 0))} MiB`);
  console.log('endpoint                      req/s     p50 ms  p99 ms  non-2xx  RSS MiB  PSS MiB  procs  upstream conns');
  for (const r of results) {
    console.log(`${r.label.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(7)} ${String(r.non2xx).padStart(8)} ${mib(r.rss).padStart(8)} ${mib(r.pss).padStart(8)} ${String(r.processes).padStart(6)} ${String(r.upstreamConnections).padStart(15)}${r.errors ? '  ' + r.errors : ''}`);
  }
} finally {
  await app.stop();
  upstream.stop();
}
