// Joining a meeting in Chromium, against the emulator's stand-in component
// (which, like the real 3.8 one, draws in the page and calls Meet, plays
// Meet's sound, compiles WebAssembly and connects to LiveKit) and its
// LiveKit, behind lighttpd with the policy of scripts/csp.sh:
// - nothing the component does is blocked: every test but the one that
//   misconfigures OV_LIVEKIT_URL on purpose fails on any
//   securitypolicyviolation;
// - nothing it draws escapes the meeting area (tests/lib/screenshots.mjs);
// - each way a meeting ends that the person did not choose is said in
//   words in the members view, kept there, with "Try again":
//   duplicate_identity, server_shutdown, network_disconnect, unknown, and a
//   `left` without `joined` (LiveKit unreachable, or blocked by the policy,
//   which the page names with the setting that admits it).
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api, memberItem } from '../lib/browser.mjs';
import { startEmulator, startApp } from '../lib/stack.mjs';
import { assertNothingOutsideMeetingArea } from '../lib/screenshots.mjs';

const UI_TIMEOUT = 10_000;
// The app returns to the members view this long after a `left` (LEFT_GRACE_MS).
const LEFT_GRACE_MS = 3000;

let browser;
before(async () => { browser = await chromium.launch(LAUNCH); });
after(async () => { await browser?.close(); });

/** An emulator (with its LiveKit) and the app in front of it; options for both. */
async function startStack({ emulator = {}, livekitUrl } = {}) {
  const emu = await startEmulator(emulator);
  try {
    const app = await startApp({ meetUrl: emu.url, livekitUrl: livekitUrl ?? emu.livekitUrl });
    return { emu, app, async stop() { await app.stop(); await emu.stop(); } };
  } catch (error) {
    await emu.stop();
    throw error;
  }
}

async function roomWithMembers(app, roomName, ...names) {
  const room = (await api(app, 'POST', 'rooms', { roomName })).json().room;
  const members = {};
  for (const name of names) {
    members[name] = (await api(app, 'POST', `rooms/${room.roomId}/members`, { name, baseRole: 'moderator' })).json().member;
  }
  return { roomId: room.roomId, members };
}

/** A page that records every policy violation and console complaint about the policy. */
async function newPage(viewport = { width: 1100, height: 800 }) {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(UI_TIMEOUT);
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }), true);
  });
  page.consoleProblems = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) page.consoleProblems.push(m.text());
  });
  page.on('pageerror', (e) => page.consoleProblems.push('pageerror: ' + e.message));
  return page;
}

async function openMembers(page, app, roomId, name) {
  await page.goto(`${app.url}/#rooms/${encodeURIComponent(roomId)}/members`);
  await memberItem(page, name).waitFor();
}

/** Join as name and wait until the component says it joined. */
async function joinAs(page, name) {
  await memberItem(page, name).locator('button[title="Join"]').click();
  await page.locator('#room').waitFor({ state: 'visible' });
  await page.locator('#meeting-container openvidu-meet [data-check="livekit"][data-state="ok"]').waitFor();
}

const violations = (page) => page.evaluate(() => window.violations);
const meetingError = (page) => page.locator('#meeting-error');

async function expectMeetingError(page, pattern) {
  await page.locator('#members').waitFor({ state: 'visible', timeout: LEFT_GRACE_MS + UI_TIMEOUT });
  await meetingError(page).waitFor({ state: 'visible' });
  assert.match(await page.textContent('#meeting-error-text'), pattern);
  assert.equal(await page.locator('#meeting-retry').textContent(), 'Try again');
  assert.equal(await page.locator('#meeting-container openvidu-meet').count(), 0);
  // It stays: nothing takes it away but the person.
  await page.waitForTimeout(1000);
  assert.equal(await meetingError(page).isVisible(), true);
}

// A loopback port nobody listens on: the kernel's pick, closed again.
async function closedPort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('a meeting in the page, with the policy of scripts/csp.sh', () => {
  let stack, room, page;
  const pages = [];

  before(async () => {
    stack = await startStack();
    room = await roomWithMembers(stack.app, 'Board', 'Alice', 'Bob', 'Carol');
  });
  after(async () => {
    await page?.close();
    await stack?.stop();
  });
  // Every page of these tests: no policy violation, no complaint, ever.
  afterEach(async () => {
    for (const p of [page, ...pages]) {
      if (!p || p.isClosed()) continue;
      assert.deepEqual(await violations(p), [], 'a securitypolicyviolation');
      assert.deepEqual(p.consoleProblems, []);
    }
    for (const p of pages.splice(0)) await p.close();
  });

  test('Join: Meet\'s API, its sound, WebAssembly and LiveKit (websocket and HTTP) all allowed', async () => {
    page = await newPage();
    await openMembers(page, stack.app, room.roomId, 'Alice');
    await joinAs(page, 'Alice');
    const component = page.locator('#meeting-container openvidu-meet');
    assert.equal(await component.locator('#participant-name').textContent(), 'Alice');
    await component.locator('[data-check="sound"]:not([data-state="pending"])').waitFor();
    await component.locator('[data-check="wasm"]:not([data-state="pending"])').waitFor();
    const checks = await component.locator('[data-check]').evaluateAll(
      (items) => Object.fromEntries(items.map((li) => [li.dataset.check, li.dataset.state])));
    assert.deepEqual(checks, { sound: 'ok', wasm: 'ok', livekit: 'ok' });
    assert.equal(await page.locator('iframe').count(), 0, 'no iframe: the component is in the page');
    assert.equal(await page.locator('#meeting-blocked-notice').isVisible(), false);
  });

  test('nothing the component draws escapes the meeting area (its fixed-position button included)', async () => {
    const container = await page.locator('#meeting-container').boundingBox();
    const button = await page.locator('#meeting-container openvidu-meet #language-button').boundingBox();
    // Without containment this button sits at the viewport's top right, on the header.
    assert.ok(button.y >= container.y && button.x + button.width <= container.x + container.width
      && button.y + button.height <= container.y + container.height, JSON.stringify({ button, container }));
    const contain = await page.locator('#meeting-container').evaluate((c) => getComputedStyle(c).contain);
    assert.match(contain, /layout/);
    assert.match(contain, /paint/);
    await page.screenshot({ path: join(ARTIFACTS, 'meeting.png') });
    await assertNothingOutsideMeetingArea(page, 'meeting');
    // A phone's width too.
    await page.setViewportSize({ width: 390, height: 760 });
    const narrow = await page.locator('#meeting-container').boundingBox();
    const narrowButton = await page.locator('#meeting-container openvidu-meet #language-button').boundingBox();
    assert.ok(narrowButton.x + narrowButton.width <= narrow.x + narrow.width && narrowButton.y >= narrow.y);
    await assertNothingOutsideMeetingArea(page, 'meeting on a phone');
    await page.screenshot({ path: join(ARTIFACTS, 'meeting-phone.png') });
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  test('Leave: the members view, no error', async () => {
    await page.locator('#meeting-container openvidu-meet').getByRole('button', { name: 'Leave' }).click();
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await meetingError(page).isVisible(), false);
    assert.equal(await page.textContent('#members-status'), 'Alice’s meeting was closed.');
  });

  test('duplicate_identity: the same member joins in another tab; the first says so and can try again', async () => {
    const first = await newPage();
    const second = await newPage();
    pages.push(first, second);
    await openMembers(first, stack.app, room.roomId, 'Bob');
    await joinAs(first, 'Bob');
    await openMembers(second, stack.app, room.roomId, 'Bob');
    await joinAs(second, 'Bob');
    await expectMeetingError(first, /^The meeting of Bob ended: the same member joined from another tab or device/);
    await first.screenshot({ path: join(ARTIFACTS, 'meeting-error.png'), fullPage: true });
    assert.equal(await second.locator('#room').isVisible(), true, 'the newer tab stays in the meeting');
    // Try again joins Bob here once more (the other tab is then the one replaced).
    await first.click('#meeting-retry');
    await first.locator('#meeting-container openvidu-meet [data-check="livekit"][data-state="ok"]').waitFor();
    assert.equal(await meetingError(first).isVisible(), false);
    await expectMeetingError(second, /another tab or device/);
    await first.locator('#meeting-container openvidu-meet').getByRole('button', { name: 'Leave' }).click();
    await first.locator('#members').waitFor({ state: 'visible' });
  });

  test('participant_kicked (the member is removed) and meeting_ended are said, not as errors', async () => {
    const other = await newPage();
    pages.push(other);
    const extra = (await api(stack.app, 'POST', `rooms/${room.roomId}/members`, { name: 'Dan', baseRole: 'speaker' })).json().member;
    await openMembers(other, stack.app, room.roomId, 'Dan');
    await joinAs(other, 'Dan');
    assert.equal((await api(stack.app, 'DELETE', `rooms/${room.roomId}/members/${extra.memberId}`)).status, 200);
    await other.locator('#members').waitFor({ state: 'visible', timeout: LEFT_GRACE_MS + UI_TIMEOUT });
    assert.equal(await other.textContent('#members-status'), 'Dan was removed from the meeting by a moderator.');
    assert.equal(await meetingError(other).isVisible(), false);
  });

  test('unknown after joined: said as OpenVidu Meet ending it without a reason', async () => {
    const other = await newPage();
    pages.push(other);
    await openMembers(other, stack.app, room.roomId, 'Carol');
    await joinAs(other, 'Carol');
    // No server makes the emulator say `unknown` to a joined member: the
    // component's own event, with its real payload, stands in for it.
    await other.locator('#meeting-container openvidu-meet').evaluate((element) => {
      const detail = { roomId: 'r', participantIdentity: 'p', reason: 'unknown' };
      element.dispatchEvent(new CustomEvent('left', { detail }));
    });
    await expectMeetingError(other, /^The meeting of Carol ended: OpenVidu Meet ended it without saying why\.$/);
  });
});

describe('meetings that end because Meet or LiveKit goes away', () => {
  for (const [signal, reason, pattern] of [
    ['SIGTERM', 'server_shutdown', /^The meeting of Alice ended: the meeting server \(OpenVidu Meet or its media server\) shut down\.$/],
    ['SIGKILL', 'network_disconnect', /^The meeting of Alice ended: the connection to the meeting was lost/],
  ]) {
    test(`${reason}: the emulator gets ${signal} during the meeting`, async () => {
      const stack = await startStack();
      const page = await newPage();
      try {
        const room = await roomWithMembers(stack.app, 'Fragile', 'Alice');
        await openMembers(page, stack.app, room.roomId, 'Alice');
        await joinAs(page, 'Alice');
        if (signal === 'SIGTERM') await stack.emu.stop();
        else { stack.emu.signal('SIGKILL'); await stack.emu.exited; }
        await expectMeetingError(page, pattern);
        assert.deepEqual(await violations(page), []);
      } finally {
        await page.close();
        await stack.stop();
      }
    });
  }

  test('LiveKit unreachable: `left` without `joined`, said with the LiveKit address', async () => {
    const nowhere = `ws://127.0.0.1:${await closedPort()}`;
    const stack = await startStack({ emulator: { livekit: false, livekitUrl: nowhere }, livekitUrl: nowhere });
    const page = await newPage();
    try {
      const room = await roomWithMembers(stack.app, 'Unlinked', 'Alice');
      await openMembers(page, stack.app, room.roomId, 'Alice');
      await memberItem(page, 'Alice').locator('button[title="Join"]').click();
      await expectMeetingError(page, new RegExp('^Alice could not join the meeting: the connection to its media server '
        + `\\(LiveKit, ${nowhere} here\\) did not open\\.$`));
      assert.deepEqual(await violations(page), []);
      assert.equal(await page.locator('#meeting-error-blocked').isVisible(), false);
    } finally {
      await page.close();
      await stack.stop();
    }
  });
});

test('OV_LIVEKIT_URL not where LiveKit is: the page names the blocked address and the setting', async () => {
  // The app admits LiveKit at the default address; Meet (the emulator) names its own.
  const stack = await startStack({ livekitUrl: 'ws://localhost:7880' });
  const page = await newPage();
  try {
    const room = await roomWithMembers(stack.app, 'Misconfigured', 'Alice');
    const livekit = stack.emu.livekitListener;
    await openMembers(page, stack.app, room.roomId, 'Alice');
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    const blocked = page.locator('#meeting-blocked li').first();
    await blocked.waitFor();
    const expected = `The page’s security policy blocked ${livekit.replace(/^ws/, 'http')}/rtc/validate (connect-src). `
      + 'The policy admits LiveKit where OV_LIVEKIT_URL points (now ws://localhost:7880): set it to the LiveKit address '
      + `OpenVidu Meet gives (Meet’s LIVEKIT_URL), here ${livekit}.`;
    assert.equal(await blocked.textContent(), expected);
    assert.doesNotMatch(await page.textContent('#meeting-blocked'), /access_token/, 'the token is not shown');
    await page.screenshot({ path: join(ARTIFACTS, 'meeting-blocked.png'), fullPage: true });
    await expectMeetingError(page, /^Alice could not join the meeting/);
    assert.equal(await page.locator('#meeting-error-blocked li').first().textContent(), expected);
    assert.deepEqual((await violations(page)).map((v) => v.directive), ['connect-src']);
  } finally {
    await page.close();
    await stack.stop();
  }
});
