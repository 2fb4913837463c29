// Starts build/meet-emulator (or $MEET_EMULATOR_BIN) on a kernel-assigned
// port for the emulator's own suites, and a raw HTTP client for them.
// Every start must be paired with stop(); stop() kills only this child.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const emulatorBin = process.env.MEET_EMULATOR_BIN || join(projectRoot, 'build/meet-emulator');
export const API_KEY = 'meet-api-key';

/**
 * Starts an emulator. options: naming, fault, apiKey, env.
 * → { url ('http://127.0.0.1:PORT/meet'), origin, port, logFile, readLog(), stop() }
 */
export async function startEmulator({ naming = 'released', fault = '', apiKey = API_KEY, env = {} } = {}) {
  if (!existsSync(emulatorBin)) throw new Error(`${emulatorBin} is missing: run make`);
  const dir = mkdtempSync(join(tmpdir(), 'meet-emu-test-'));
  const logFile = join(dir, 'requests.log');
  const child = spawn(emulatorBin, [], {
    env: {
      ...process.env,
      MEET_EMULATOR_PORT: '0',
      MEET_EMULATOR_HOST: '127.0.0.1',
      MEET_EMULATOR_NAMING: naming,
      MEET_EMULATOR_FAULT: fault,
      MEET_EMULATOR_LOG: logFile,
      OV_MEET_API_KEY: apiKey,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stdout} ${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /^meet-emulator listening on (http:\/\/\S+)\n/m.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${stderr}`)); });
  });
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    port: Number(new URL(url).port),
    logFile,
    stdout: () => stdout,
    stderr: () => stderr,
    child,
    exited,
    readLog() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => {
        const [method, path, status] = line.split(' ');
        return { method, path, status: Number(status) };
      });
    },
    /**
     * SIGTERM, then SIGKILL after 5 s; resolves with {code, signal}.
     * Throws when the emulator reported a sanitizer error (ASan/UBSan/LSan
     * builds print them on stderr, often only at exit).
     */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      const result = await exited;
      if (/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(stderr)) {
        throw new Error(`meet-emulator reported a sanitizer error:\n${stderr}`);
      }
      return result;
    },
  };
}

/**
 * One raw HTTP request (no decompression, no default headers but Host):
 * → { status, headers (lower-case names), raw (Buffer), text, json (or undefined) }
 * body: string/Buffer sent as is, an object as JSON (with Content-Type unless given).
 */
export function send(url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    let payload = null;
    if (body !== undefined && body !== null) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) payload = Buffer.from(body);
      else {
        payload = Buffer.from(JSON.stringify(body));
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
      }
      h['Content-Length'] = String(payload.length);
    }
    const req = httpRequest(url, { method, headers: h, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) { reject(new Error('response incomplete')); return; }
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, raw, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** An API client bound to one emulator: api('POST', '/rooms', body, {headers}). */
export function apiClient(emu, apiKey = API_KEY) {
  return (method, path, body, { headers = {} } = {}) =>
    send(`${emu.url}/api/v1${path}`, { method, body, headers: { 'X-API-KEY': apiKey, ...headers } });
}
