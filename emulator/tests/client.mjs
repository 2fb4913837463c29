// A raw HTTP client for the emulator's own suites and the conformance replay.
import { request as httpRequest } from 'node:http';
import { API_KEY, startEmulator } from '../launch.mjs';

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

/** Runs fn(emu, api) against a fresh emulator started with options, then stops it. */
export async function withEmulator(options, fn) {
  const emu = await startEmulator(options);
  try { await fn(emu, apiClient(emu)); } finally { await emu.stop(); }
}
