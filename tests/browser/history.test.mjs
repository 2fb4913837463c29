// Browser tests of Back, Forward and reload in htdocs/: the views live in the
// URL's hash (#rooms/{roomId}/members, .../meeting), the same Chromium,
// playwright-core, lighttpd and emulator as ui.test.mjs.
// Each test opens its own page, whose first history entry is about:blank, so
// a Back that leaves the app shows up as a page without the app.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api, memberItem } from '../lib/browser.mjs';
import { startEmulator, startApp } from '../lib/stack.mjs';

const UI_TIMEOUT = 10_000;
const TEST = { timeout: 90_000 };

// A page that a regression sent out of the app mid-navigation can hang in
// close(): the test then fails on its own assertion instead of never ending.
function closePage(page) {
  return Promise.race([page.close().catch(() => {}), new Promise((done) => setTimeout(done, 5000))]);
}

async function expectHome(page, app) {
  await page.locator('#home').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#members').isVisible(), false);
  assert.equal(await page.locator('#room').isVisible(), false);
  assert.equal(page.url(), app.url + '/');
}

async function expectMembers(page, app, roomId, roomName, memberName) {
  await page.locator('#members').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#home').isVisible(), false);
  assert.equal(page.url(), `${app.url}/#rooms/${roomId}/members`);
  await page.waitForFunction((name) => document.getElementById('members-room-name').textContent === name, roomName);
  await memberItem(page, memberName).waitFor();
}

describe('Back, Forward and reload follow the views (URL hash)', () => {
  let emu, app, browser, context;
  const room = {};
  const problems = [];

  /** Runs steps on a page of its own, closed afterwards whatever happens. */
  async function withPage(steps) {
    const page = await newPage();
    try {
      return await steps(page);
    } finally {
      await closePage(page);
    }
  }

  async function newPage() {
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    return page;
  }

  async function openMembersFromHome(page) {
    await page.goto(app.url + '/');
    await page.locator(`#rooms-list > li[data-room-id="${room.id}"] button[title="Manage members"]`).click();
    await expectMembers(page, app, room.id, 'History', 'Ann');
  }

  before(async () => {
    emu = await startEmulator({ naming: 'released', fault: '', apiKey: 'meet-api-key' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, apiKey: 'meet-api-key', livekitUrl: emu.livekitUrl, env: {} });
    browser = await chromium.launch(LAUNCH);
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const created = await api(app, 'POST', 'rooms', { roomName: 'History' });
    assert.equal(created.status, 201, created.text);
    room.id = created.json().room.roomId;
    const added = await api(app, 'POST', `rooms/${room.id}/members`, { name: 'Ann', baseRole: 'speaker' });
    assert.equal(added.status, 201, added.text);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await emu?.stop().catch(() => {});
  });

  test('Back from the members view shows the rooms list in the app; Forward the same room again', TEST, async () => {
    await withPage(async (page) => {
      await openMembersFromHome(page);
      await page.goBack();
      await expectHome(page, app);
      await page.locator(`#rooms-list > li[data-room-id="${room.id}"]`).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'home-title');
      await page.goForward();
      await expectMembers(page, app, room.id, 'History', 'Ann');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'members-title');
      // The page's own "Back to rooms" goes back in history too: Forward returns.
      await page.click('#back-to-rooms');
      await expectHome(page, app);
      await page.goForward();
      await expectMembers(page, app, room.id, 'History', 'Ann');
      // Two clicks before the first Back lands go back once, not out of the app.
      await page.locator('#back-to-rooms').evaluate((button) => { button.click(); button.click(); });
      await expectHome(page, app);
      await page.waitForTimeout(300);
      await expectHome(page, app);
    });
  });

  test('reload on the members view keeps that room\'s members view; opened from the address, "Back to rooms" stays in the app', TEST, async () => {
    await withPage(async (page) => {
      await openMembersFromHome(page);
      await page.reload();
      await expectMembers(page, app, room.id, 'History', 'Ann');
      await page.screenshot({ path: join(ARTIFACTS, 'history-reload.png'), fullPage: true });
      // Straight from the address: no entry of ours before it.
      await withPage(async (fresh) => {
        await fresh.goto(`${app.url}/#rooms/${room.id}/members`);
        await expectMembers(fresh, app, room.id, 'History', 'Ann');
        await fresh.click('#back-to-rooms');
        await expectHome(fresh, app);
        await fresh.locator(`#rooms-list > li[data-room-id="${room.id}"]`).waitFor();
      });
    });
  });

  test('a bad room id in the hash shows a message and the rooms list, and runs nothing', TEST, async () => {
    await withPage(async (page) => {
      const hostile = encodeURIComponent('<img src=x onerror="window.__hashXss=1"><script>window.__hashXss=2</script>');
      await page.goto(`${app.url}/#rooms/${hostile}/members`);
      await expectHome(page, app);
      await page.waitForFunction(() => /does not name a room/.test(document.getElementById('rooms-status').textContent));
      assert.equal(await page.locator('#rooms-status').evaluate((s) => s.classList.contains('form-error')), true);
      await page.locator(`#rooms-list > li[data-room-id="${room.id}"]`).waitFor();
      assert.equal(await page.locator('main img, main script').count(), 0);
      // The same address typed while the app runs, a broken escape, an unknown room.
      for (const [hash, text] of [[`#rooms/${hostile}/members`, /does not name a room/],
        ['#rooms/%E0%A4%A/members', /does not name a room/],
        ['#rooms/no-such-room/members', /There is no room “no-such-room”/]]) {
        await page.evaluate(() => { document.getElementById('rooms-status').textContent = ''; });
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('rooms-status').textContent), text.source);
        await expectHome(page, app);
      }
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => typeof window.__hashXss), 'undefined');
    });
  });

  test('Back during an embedded meeting returns to the members view with the component gone', TEST, async () => {
    await withPage(async (page) => {
      await openMembersFromHome(page);
      const join = async () => {
        await memberItem(page, 'Ann').locator('button[title="Join"]').click();
        await page.locator('#room').waitFor({ state: 'visible' });
        const component = page.locator('#meeting-container openvidu-meet');
        await component.locator('#participant-name').waitFor();
        assert.equal(await component.locator('#participant-name').textContent(), 'Ann');
        return component;
      };
      await join();
      await page.goBack();
      await expectMembers(page, app, room.id, 'History', 'Ann');
      assert.equal(await page.locator('#room').isVisible(), false);
      assert.equal(await page.locator('openvidu-meet').count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'members-title');
      // Closed from the component's own Leave: its entry goes, so Back goes home.
      const component = await join();
      await component.getByRole('button', { name: 'Leave' }).click();
      await expectMembers(page, app, room.id, 'History', 'Ann');
      assert.equal(await page.locator('openvidu-meet').count(), 0);
      await page.goBack();
      await expectHome(page, app);
    });
  });

  test('no page errors on the way', () => {
    // The deliberately unknown room answers 404 to GET members: expected.
    const others = problems.filter((p) => !/status of 404/.test(p));
    assert.deepEqual(others, []);
  });
});
