// make test-load: a bounded load test on loopback. wrk (32 connections,
// LOAD_SECONDS each, default 60) on GET /rooms and POST members through
// lighttpd and the programs to the emulator. Fails on any non-2xx answer,
// socket error, replaced FastCGI process, or memory growth of the FastCGI
// processes between a warmed-up start and the end (RSS printed).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, startApp, projectRoot } from '../../lib/stack.mjs';
import { fastcgiPids, rssKiB } from '../../lib/raw.mjs';

const seconds = Number(process.env.LOAD_SECONDS || 60);
const warmSeconds = Math.min(5, seconds);
// Allowed growth per process: malloc arenas and libcurl's caches settle in
// the warm-up; a leak of even 100 bytes per request would pass this in seconds.
const MAX_GROWTH_KIB = 1024;

function wrk(url, duration, script) {
  const args = ['-t2', '-c32', `-d${duration}s`, '--timeout', '10s'];
  if (script) args.push('-s', script);
  return new Promise((done) => {
    const child = spawn('wrk', [...args, url]);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => done({ code, out }));
  });
}

function summary(out) {
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] || 0),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] || 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] || 0),
    socketErrors: /Socket errors:.*/.exec(out)?.[0] || '',
  };
}

const emu = await startEmulator();
const app = await startApp({ meetUrl: emu.url });
let failed = false;
try {
  const created = await fetch(`${app.url}/rooms`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roomName: 'Load test' }),
  });
  if (created.status !== 201) throw new Error(`POST /rooms answered ${created.status}`);
  const { room } = await created.json();
  const endpoints = [
    ['GET /rooms', `${app.url}/rooms`, null],
    ['POST /rooms/{id}/members', `${app.url}/rooms/${room.roomId}/members`, join(projectRoot, 'bench/post-member.lua')],
  ];

  // Warm up every process (lighttpd spreads requests over them), then measure.
  for (const [, url, script] of endpoints) await wrk(url, warmSeconds, script);
  const pids = fastcgiPids(app);
  const before = rssKiB(pids);
  console.log(`load: FastCGI processes ${pids.join(' ')}; RSS before (KiB): ${before.join(' ')}`);

  for (const [label, url, script] of endpoints) {
    const { code, out } = await wrk(url, seconds, script);
    const s = summary(out);
    console.log(`load: ${label}: ${s.requests} requests in ${seconds} s (${s.rps.toFixed(0)}/s), non-2xx ${s.non2xx}${s.socketErrors ? ', ' + s.socketErrors : ''}`);
    if (code !== 0 || s.requests === 0 || s.non2xx !== 0 || s.socketErrors) {
      console.log(out);
      failed = true;
    }
  }

  const after = rssKiB(pids);
  const now = fastcgiPids(app);
  console.log(`load: RSS after (KiB):  ${after.join(' ')}`);
  if (now.join() !== pids.join()) {
    console.log(`load: FastCGI processes changed: ${pids.join(' ')} → ${now.join(' ')}`);
    failed = true;
  }
  after.forEach((kib, i) => {
    if (kib - before[i] > MAX_GROWTH_KIB) {
      console.log(`load: process ${pids[i]} grew by ${kib - before[i]} KiB`);
      failed = true;
    }
  });
} finally {
  await app.stop();
  await emu.stop();
}
console.log(failed ? 'load: FAILED' : 'load: passed');
process.exit(failed ? 1 : 0);
