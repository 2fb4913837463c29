// Small HTTP helpers shared by the integration suites.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';

/** Calls the app: body objects are sent as JSON unless contentType says otherwise. */
export async function call(app, method, path, { body, contentType, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['content-type'] = contentType ?? 'application/json';
  }
  const response = await fetch(app.url + path, init);
  const text = await response.text();
  let json = null;
  if ((response.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls the emulator's Meet API directly with the key (to seed data fast). */
export async function meet(emu, method, path, body, apiKey = 'meet-api-key') {
  const init = { method, headers: { 'x-api-key': apiKey } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${emu.url}/api/v1${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Pids of the programs the web server runs (FastCGI mode), by name. */
export function programPids(app) {
  const pids = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== app.pid || / Z /.test(stat)) continue;
      // The program's own name, or (make check-valgrind) the program
      // memcheck runs: the last argument naming a .fcgi file.
      const args = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').filter(Boolean);
      const program = [...args].reverse().find((arg) => arg.endsWith('.fcgi'));
      if (program) (pids[basename(program)] ||= []).push(Number(entry));
    } catch { /* the process went away */ }
  }
  for (const list of Object.values(pids)) list.sort();
  return pids;
}

/** Decodes a QR code from an SVG with rsvg-convert and zbarimg; null when they are missing. */
export function decodeQrSvg(svg) {
  const png = spawnSync('rsvg-convert', ['--width', '600', '--background-color', 'white'], { input: svg });
  if (png.error || png.status !== 0) return null;
  const decoded = spawnSync('zbarimg', ['--raw', '-q', '-'], { input: png.stdout });
  if (decoded.error) return null;
  return decoded.stdout.toString('utf8').trim();
}
