// Raw HTTP/1.1 over node:net, for requests fetch refuses to send (bad
// bytes in the request line or headers, lying Content-Length, chunked
// bodies), and the checks every hostile case shares.
import { connect } from 'node:net';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Writes request (string or Buffer) to 127.0.0.1:port and reads until the
 * server closes or timeoutMs passes. halfClose ends our side after writing.
 * Returns { status, headers, body, json, text } of the first answer, or
 * { status: 0, text } when the server closed without answering.
 */
export function rawRequest(port, request, { timeoutMs = 5000, halfClose = false } = {}) {
  return new Promise((done, fail) => {
    const chunks = [];
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request);
      if (halfClose) socket.end();
    });
    const timer = setTimeout(() => { socket.destroy(); finish(true); }, timeoutMs);
    let finished = false;
    function finish(timedOut = false) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const answer = parseAnswer(text);
      answer.timedOut = timedOut;
      done(answer);
    }
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error) => (error.code === 'ECONNRESET' ? finish() : fail(error)));
  });
}

function parseAnswer(text) {
  const split = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || split < 0) return { status: 0, headers: {}, body: '', json: null, text };
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(split + 4);
  if (headers['content-length'] !== undefined) body = body.slice(0, Number(headers['content-length']));
  let json = null;
  if ((headers['content-type'] || '').startsWith('application/json')) {
    try { json = JSON.parse(Buffer.from(body, 'latin1').toString('utf8')); } catch { json = 'unparsable'; }
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body, json, text };
}

/** A whole request with Connection: close; body a string, Buffer or undefined. */
export function httpRequest(method, target, { headers = {}, body } = {}) {
  const bodyBuffer = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  if (bodyBuffer && !names.includes('content-length') && !names.includes('transfer-encoding')) {
    lines.push(`Content-Length: ${bodyBuffer.length}`);
  }
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  return bodyBuffer ? Buffer.concat([head, bodyBuffer]) : head;
}

/** A clear error of ours: exact status, JSON {message} with a non-empty message. */
export function assertJsonError(answer, status, label) {
  assert.equal(answer.status, status, `${label}: ${answer.text.slice(0, 300)}`);
  assert.match(answer.headers['content-type'] || '', /^application\/json/, `${label}: not JSON`);
  assert.equal(typeof answer.json?.message, 'string', `${label}: no message`);
  assert.ok(answer.json.message.length > 0, `${label}: empty message`);
}

/**
 * Pids of the FastCGI programs of app: lighttpd's children whose command
 * line names a .fcgi (so also when they run under valgrind), not zombies.
 */
export function fastcgiPids(app) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (Number(ppid) === app.pid && state !== 'Z' && /\.fcgi/.test(cmdline)) pids.push(Number(entry));
    } catch { /* the process went away */ }
  }
  return pids.sort((a, b) => a - b);
}

/** Resident set size in KiB of each pid (VmRSS). */
export function rssKiB(pids) {
  return pids.map((pid) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]);
    } catch { return 0; }
  });
}
