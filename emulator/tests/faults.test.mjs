// Fault modes (MEET_EMULATOR_FAULT): they change API answers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { send, withEmulator } from './client.mjs';

test('slow:MS answers after the delay, and only delays that connection', () => withEmulator({ fault: 'slow:800' }, async (emu, api) => {
  const t0 = Date.now();
  const r = await api('GET', '/rooms');
  assert.equal(r.status, 200);
  assert.ok(Date.now() - t0 >= 750, `answered after ${Date.now() - t0} ms`);
  const t1 = Date.now();
  const [a, page] = await Promise.all([api('GET', '/rooms'), send(`${emu.url}/v1/openvidu-meet.js`)]);
  assert.equal(a.status, 200);
  assert.equal(page.status, 200);
  assert.ok(Date.now() - t1 < 1600, 'parallel requests are not serialised');
}));

test('slow does not hold up a stop', () => withEmulator({ fault: 'slow:60000' }, async (emu, api) => {
  const pending = api('GET', '/rooms').catch((e) => e);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  const { code } = await emu.stop();
  assert.equal(code, 0);
  assert.ok(Date.now() - t0 < 3000);
  await pending;
}));

test('status:500 and status:503 answer that status with a JSON error', async () => {
  for (const code of [500, 503]) {
    await withEmulator({ fault: `status:${code}` }, async (emu, api) => {
      const r = await api('POST', '/rooms', { roomName: 'x' });
      assert.equal(r.status, code);
      assert.match(r.headers['content-type'], /^application\/json/);
      assert.equal(typeof r.json.message, 'string');
      assert.deepEqual(emu.readLog(), [{ method: 'POST', path: '/meet/api/v1/rooms', status: code }]);
      assert.equal((await send(`${emu.url}/v1/openvidu-meet.js`)).status, 200, 'the bundle is not faulted');
    });
  }
});

test('garbage answers 200 with a body that is not JSON', () => withEmulator({ fault: 'garbage' }, async (emu, api) => {
  const r = await api('GET', '/rooms');
  assert.equal(r.status, 200);
  assert.equal(r.json, undefined);
  assert.throws(() => JSON.parse(r.text));
  assert.equal((await send(`${emu.url}/room/x`)).status, 403, 'the room page is not faulted');
}));

test('reset closes the connection in the middle of the answer', () => withEmulator({ fault: 'reset' }, async (emu, api) => {
  await assert.rejects(api('GET', '/rooms'));
  await assert.rejects(fetch(`${emu.url}/api/v1/rooms`, { headers: { 'X-API-KEY': 'meet-api-key' } }).then((r) => r.text()));
  assert.equal((await send(`${emu.url}/v1/openvidu-meet.js`)).status, 200);
}));
