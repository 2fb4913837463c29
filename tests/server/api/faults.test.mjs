// Meet failing in each way the emulator can fail on command, then healthy
// again on the same port: the app answers 502/504, and the next request
// succeeds (in FastCGI mode, served by the same processes).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { call, programPids } from '../../lib/http.mjs';

// Under valgrind (make check-valgrind) every program starts and runs far slower.
const SLOW_TOOLS = Boolean(process.env.MEET_UNDER_VALGRIND);
const TIMEOUT_MS = SLOW_TOOLS ? 4000 : 500;

const faults = [
  { fault: `slow:${TIMEOUT_MS * 6}`, status: 504, message: /did not answer in time/ },
  { fault: 'status:500', status: 502, message: /HTTP 500/ },
  { fault: 'status:503', status: 502, message: /HTTP 503/ },
  { fault: 'garbage', status: 502, message: /not the JSON expected/ },
  { fault: 'reset', status: 502, message: /cannot be reached/ },
];

for (const webServer of ['lighttpd', 'lighttpd-cgi']) {
  describe(`Meet failing (${webServer})`, () => {
    let emu;
    let app;
    let port;

    before(async () => {
      emu = await startEmulator();
      port = emu.port;
      app = await startApp({ webServer, meetUrl: emu.url, env: { MEET_TIMEOUT_MS: String(TIMEOUT_MS) } });
      assert.equal((await call(app, 'GET', '/rooms')).status, 200);
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
    });

    // Replaces the emulator on the same port by one started with fault.
    async function restartEmulator(fault) {
      await emu.stop();
      emu = await startEmulator({ fault, port });
    }

    for (const { fault, status, message } of faults) {
      test(`${fault} → ${status}, then the next request succeeds`, async () => {
        const before = programPids(app);
        await restartEmulator(fault);
        const started = Date.now();
        const failed = await call(app, 'GET', '/rooms');
        assert.equal(failed.status, status, failed.text);
        assert.match(failed.json.message, message);
        assert.ok(!failed.text.includes('meet-api-key'));
        if (fault.startsWith('slow') && !SLOW_TOOLS) {
          assert.ok(Date.now() - started < TIMEOUT_MS * 4, 'the timeout was not applied');
        }
        const posted = await call(app, 'POST', '/rooms', { body: { roomName: 'During a fault' } });
        assert.equal(posted.status, status);

        await restartEmulator('');
        const next = await call(app, 'GET', '/rooms');
        assert.equal(next.status, 200, next.text);
        if (webServer === 'lighttpd') assert.deepEqual(programPids(app), before, 'a program died');
      });
    }

    test('Meet down → 502 naming its URL (never the key), then up again', async () => {
      await emu.stop();
      const down = await call(app, 'GET', '/rooms');
      assert.equal(down.status, 502);
      assert.ok(down.json.message.includes(emu.url), down.json.message);
      assert.ok(!down.text.includes('meet-api-key'));
      emu = await startEmulator({ port });
      assert.equal((await call(app, 'GET', '/rooms')).status, 200);
      assert.ok(!app.logs().includes('meet-api-key'), 'the API key reached the log');
    });
  });
}
