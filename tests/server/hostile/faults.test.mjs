// Meet failing: down, slower than MEET_TIMEOUT_MS, 500, garbage, a reset
// mid-answer. Each answer is a 502 or 504 JSON error within a bound set by
// the configured timeouts (measured), the FastCGI processes survive (same
// pids), and the next request succeeds once Meet is healthy again.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp, freePort } from '../../lib/stack.mjs';
import { rawRequest, httpRequest, assertJsonError, fastcgiPids } from '../../lib/raw.mjs';

const TIMEOUT_MS = 800;
const CONNECT_TIMEOUT_MS = 500;
// Under valgrind each program runs some 20-50 times slower.
const SLACK_MS = process.env.MEET_UNDER_VALGRIND ? 5000 : 700;

const faults = [
  { name: 'Meet down (closed port)', fault: null, status: 502 },
  { name: `Meet slower than the timeout (slow:${TIMEOUT_MS * 5})`, fault: `slow:${TIMEOUT_MS * 5}`, status: 504 },
  { name: 'Meet answering 500', fault: 'status:500', status: 502 },
  { name: 'Meet answering garbage', fault: 'garbage', status: 502 },
  { name: 'Meet resetting the connection', fault: 'reset', status: 502 },
];

const requests = [
  ['GET /rooms', () => httpRequest('GET', '/rooms')],
  ['POST /rooms', () => httpRequest('POST', '/rooms', { headers: { 'Content-Type': 'application/json' }, body: '{"roomName":"During a fault"}' })],
  ['POST members', () => httpRequest('POST', '/rooms/room-1/members', { headers: { 'Content-Type': 'application/json' }, body: '{"name":"Ana","baseRole":"speaker"}' })],
];

describe('Meet failing', () => {
  let port;
  let emu;
  let app;
  let pids;

  before(async () => {
    port = await freePort();
    emu = await startEmulator({ port });
    app = await startApp({
      meetUrl: emu.url,
      env: { MEET_TIMEOUT_MS: String(TIMEOUT_MS), MEET_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) },
    });
    assert.equal((await rawRequest(app.port, httpRequest('GET', '/rooms'))).status, 200);
    pids = fastcgiPids(app);
  });
  after(async () => {
    await app?.stop();
    await emu?.stop();
  });

  for (const { name, fault, status } of faults) {
    test(`${name} → ${status} in bounded time; the next request succeeds`, async () => {
      await emu.stop();
      emu = fault === null ? null : await startEmulator({ port, fault });
      for (const [label, request] of requests) {
        const started = Date.now();
        const answer = await rawRequest(app.port, request(), { timeoutMs: TIMEOUT_MS * 6 });
        const elapsed = Date.now() - started;
        assert.ok(!answer.timedOut, `${label}: no answer (hang)`);
        assertJsonError(answer, status, `${name}, ${label}`);
        // Lists may ask Meet twice (a second member-type spelling), hence 2x.
        assert.ok(elapsed < 2 * TIMEOUT_MS + SLACK_MS, `${label}: ${elapsed} ms`);
      }
      if (emu) await emu.stop();
      emu = await startEmulator({ port });
      const next = await rawRequest(app.port, httpRequest('GET', '/rooms'));
      assert.equal(next.status, 200, next.text);
      assert.deepEqual(fastcgiPids(app), pids, 'a FastCGI process died or was replaced');
    });
  }
});
