// Browser tests of member-only rooms (issue #11): each room's status in
// words, rooms that still have Meet's anonymous links marked, and "Members
// only" turning them off. Debian's Chromium through playwright-core, against
// lighttpd + the programs + the Meet emulator on free ports.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api } from '../lib/browser.mjs';
import { startEmulator, startApp } from '../lib/stack.mjs';
import { meet } from '../lib/http.mjs';

const UI_TIMEOUT = 10_000;

function roomItem(page, name) {
  return page.locator('#rooms-list > li').filter({ has: page.locator('.item-title', { hasText: name }) });
}

describe('rooms list: status and anonymous links', () => {
  let emu, app, browser, page;
  const problems = [];

  before(async () => {
    emu = await startEmulator();
    app = await startApp({ meetUrl: emu.url });
    browser = await chromium.launch(LAUNCH);
    page = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop();
    await emu?.stop();
  });

  test('a room made here is open and members-only: no mark, no action', async () => {
    await api(app, 'POST', 'rooms', { roomName: 'Made Here' });
    await page.goto(app.url + '/');
    const item = roomItem(page, 'Made Here');
    await item.waitFor();
    assert.equal(await item.locator('.badge-status').textContent(), 'Open');
    assert.equal(await item.locator('.room-warning').count(), 0);
    assert.equal(await item.getByRole('button', { name: /Turn off anonymous links/ }).count(), 0);
  });

  test('a room made elsewhere with anonymous links is marked; "Members only" turns them off', async () => {
    const made = await meet(emu, 'POST', '/rooms', { roomName: 'Made Elsewhere' });
    const roomId = made.json.roomId;
    await page.reload();
    const item = roomItem(page, 'Made Elsewhere');
    await item.waitFor();
    assert.match(await item.locator('.room-warning').textContent(), /Anonymous links are on/);
    await page.screenshot({ path: join(ARTIFACTS, 'rooms-anonymous-links.png') });
    emu.clearLog();
    // Keyboard: the action is a real button with a name saying what it does.
    const button = item.getByRole('button', { name: 'Turn off anonymous links of Made Elsewhere' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.locator('#rooms-status', { hasText: /only members/i }).waitFor();
    await item.locator('.room-warning').waitFor({ state: 'detached' });
    assert.deepEqual(emu.readLog().map((entry) => `${entry.method} ${entry.path}`),
      [`PUT /meet/api/v1/rooms/${roomId}/access`]);
    const inMeet = await meet(emu, 'GET', `/rooms/${roomId}`);
    assert.equal(inMeet.json.access.anonymous.moderator.enabled, false);
    // Still off after a reload: it is Meet's state, not the page's.
    await page.reload();
    await roomItem(page, 'Made Elsewhere').waitFor();
    assert.equal(await roomItem(page, 'Made Elsewhere').locator('.room-warning').count(), 0);
  });

  test('each status Meet reports is shown in words', async () => {
    // Meet's statuses as the app answers them; the emulator only has open rooms.
    const rooms = [
      { roomId: 'r-live', roomName: 'Live Now', creationDate: 3, status: 'active_meeting', anonymousAccess: false },
      { roomId: 'r-closed', roomName: 'Shut', creationDate: 2, status: 'closed', anonymousAccess: false },
      { roomId: 'r-odd', roomName: 'Unknown State', creationDate: 1, status: 'something_new', anonymousAccess: null },
    ];
    await page.route('**/rooms', (route) => (route.request().method() === 'GET'
      ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ rooms }) })
      : route.continue()));
    try {
      await page.reload();
      await roomItem(page, 'Live Now').waitFor();
      assert.equal(await roomItem(page, 'Live Now').locator('.badge-status').textContent(), 'Meeting in progress');
      assert.equal(await roomItem(page, 'Shut').locator('.badge-status').textContent(), 'Closed');
      assert.equal(await roomItem(page, 'Unknown State').locator('.badge-status').count(), 0);
      assert.equal(await page.locator('.room-warning').count(), 0);
    } finally {
      await page.unroute('**/rooms');
    }
    assert.deepEqual(problems, []);
  });
});
