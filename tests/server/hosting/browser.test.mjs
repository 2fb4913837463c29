// The UI of the shared-hosting deployment (tests/lib/hosting.mjs: the bundle in /app/ of
// an Apache host, plain CGI, .htaccess routing, APP_BASE_PATH=/app) in a real
// browser: Debian's Chromium driven by playwright-core, as in tests/browser/.
// One page, steps in order as a person would use it: create a room, open its
// members, add one, see its link, Back to the rooms, reload, delete the room.
// Every request the page makes must stay under /app/: a path the page builds
// from the server root (/rooms, /config) would reach no program on a host.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, memberItem } from '../../lib/browser.mjs';
import { AUTH, BASE_PATH, startHosting, stopHosting } from '../../lib/hosting.mjs';

const UI_TIMEOUT = 10_000;
const ROOM = 'Hosted Sync';
const MEMBER = 'Grace';

describe(`browser UI of the shared-hosting bundle in ${BASE_PATH}/ (Apache, .htaccess, plain CGI)`, () => {
  let stack, app, emu, browser, page, home;
  const problems = [];   // console errors, page errors, failed requests
  const requests = [];   // every request the page made: 'METHOD URL'
  const state = {};

  // The app's own API, under the base path as the page must use it.
  async function api(path) {
    const login = Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64');
    const response = await fetch(`${app.url}${BASE_PATH}/${path}`, { headers: { authorization: `Basic ${login}` } });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) };
  }

  before(async () => {
    stack = await startHosting();
    ({ app, emu } = stack);
    home = `${app.url}${BASE_PATH}/`;
    browser = await chromium.launch(LAUNCH);
    // The bundle asks for a login (basic auth on by default): Chromium
    // answers the prompt with these, as a user types them in.
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, httpCredentials: AUTH });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.method()} ${request.url()}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stopHosting(stack).catch(() => {});
  });

  test(`${BASE_PATH}/ shows the rooms view with the security headers and no rooms`, async () => {
    const response = await page.goto(home);
    assert.equal(response.status(), 200);
    const headers = response.headers();
    assert.match(headers['content-security-policy'] || '', /script-src 'self'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.locator('#rooms-empty').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#rooms-list > li').count(), 0);
    assert.equal(await page.locator('#rooms-error').isVisible(), false);
  });

  test('create a room and see it listed', async () => {
    await page.fill('#room-name', ROOM);
    await page.click('#create-room-button');
    const item = page.locator('#rooms-list > li', { hasText: ROOM });
    await item.waitFor();
    assert.equal(await page.locator('#create-room-error').isVisible(), false);
    assert.equal(await page.locator('#rooms-list > li').count(), 1);
    state.roomId = await item.getAttribute('data-room-id');
    assert.ok(state.roomId);
    const rooms = (await api('rooms')).json().rooms;
    assert.ok(rooms.some((r) => r.roomId === state.roomId && r.roomName === ROOM), JSON.stringify(rooms));
  });

  test('open its members and add a member; its access link is listed', async () => {
    await page.locator(`#rooms-list > li[data-room-id="${state.roomId}"] button[title="Manage members"]`).click();
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#home').isVisible(), false);
    assert.equal(await page.textContent('#members-room-name'), ROOM);
    assert.equal(page.url(), `${home}#rooms/${state.roomId}/members`);
    await page.locator('#members-empty').waitFor({ state: 'visible' });
    await page.fill('#member-name', MEMBER);
    await page.selectOption('#member-role', 'moderator');
    await page.click('#add-member-button');
    const item = memberItem(page, MEMBER);
    await item.waitFor();
    assert.equal(await page.locator('#add-member-error').isVisible(), false);
    assert.equal(await item.locator('.badge').textContent(), 'moderator');
    const answer = await api(`rooms/${encodeURIComponent(state.roomId)}/members`);
    assert.equal(answer.status, 200, answer.text);
    const member = answer.json().members.find((m) => m.name === MEMBER);
    assert.ok(member, answer.text);
    assert.equal(member.baseRole, 'moderator');
    state.memberId = member.memberId;
    assert.match(member.accessUrl, /^https?:\/\//);
    assert.equal(await item.locator('.access-url').textContent(), member.accessUrl);
    await page.screenshot({ path: join(ARTIFACTS, 'hosting-app-subdirectory.png'), fullPage: true });
  });

  test(`Back returns to the rooms list, still under ${BASE_PATH}/; a reload keeps it`, async () => {
    await page.goBack();
    await page.locator('#home').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#members').isVisible(), false);
    assert.equal(page.url(), home);
    await page.locator(`#rooms-list > li[data-room-id="${state.roomId}"]`).waitFor();
    await page.reload();
    assert.equal(page.url(), home);
    await page.locator('#home').waitFor({ state: 'visible' });
    const item = page.locator(`#rooms-list > li[data-room-id="${state.roomId}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), new RegExp(ROOM));
  });

  test('delete the room (confirmed); it leaves the list and the backend', async () => {
    const item = page.locator(`#rooms-list > li[data-room-id="${state.roomId}"]`);
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = `${dialog.type()}: ${dialog.message()}`;
      dialog.accept();
    });
    await item.locator('button[title="Delete room"]').click();
    await item.waitFor({ state: 'detached' });
    assert.match(asked, new RegExp(`^confirm: Delete the room “${ROOM}”`));
    await page.locator('#rooms-empty').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#rooms-error').isVisible(), false);
    const rooms = (await api('rooms')).json().rooms;
    assert.ok(!rooms.some((r) => r.roomId === state.roomId), JSON.stringify(rooms));
    // Its member went with it: the room, and so its members, are unknown now.
    assert.equal((await api(`rooms/${encodeURIComponent(state.roomId)}/members`)).status, 404);
  });

  test(`every request of the page went to ${BASE_PATH}/ on the app's origin`, () => {
    const outside = requests.filter((line) => {
      const url = new URL(line.split(' ')[1]);
      return url.origin !== app.url || !url.pathname.startsWith(BASE_PATH + '/');
    });
    // No exception needed: the favicon is <link rel="icon" href="images/...">
    // (relative), so it could only be /app/images/favicon.ico, never
    // /favicon.ico (headless Chromium asks for neither).
    assert.deepEqual(outside, []);
    // And the API calls the steps made are all there, under the base path
    // (GET config comes only with joining a meeting, which is not done here).
    const room = encodeURIComponent(state.roomId);
    for (const call of [`GET ${home}rooms`, `POST ${home}rooms`,
      `GET ${home}rooms/${room}/members`, `POST ${home}rooms/${room}/members`, `DELETE ${home}rooms/${room}`]) {
      assert.ok(requests.includes(call), `${call} not in:\n${requests.join('\n')}`);
    }
  });

  test('no console errors, page errors or failed requests on the way', () => {
    assert.deepEqual(problems, []);
  });

  test('the emulator saw the room and its member created, then the room deleted, its member with it', () => {
    const log = emu.readLog().map(({ method, path, status }) => `${method} ${path.split('?')[0]} ${status}`);
    const room = encodeURIComponent(state.roomId);
    const created = log.findIndex((line) => /^POST \S*\/rooms 201$/.test(line));
    const member = log.findIndex((line) => line.startsWith(`POST `) && line.endsWith(`/rooms/${room}/members 201`));
    const deleted = log.findIndex((line) => /^DELETE /.test(line) && new RegExp(`/rooms/${room} 20[02]$`).test(line));
    assert.ok(created >= 0 && member > created && deleted > member, log.join('\n'));
    // Meet itself no longer knows the member's room (the last step's check).
    assert.ok(log.slice(deleted).some((line) => line.startsWith('GET ') && line.endsWith(`/rooms/${room}/members 404`)),
      log.join('\n'));
  });
});
