// Browser tests of htdocs/: Debian's Chromium (never a downloaded browser)
// driven by playwright-core, against the app behind lighttpd and the Meet
// emulator, both started on free ports by tests/lib/stack.mjs.
// The happy-path steps share one page and run in order, as a person would
// use the app: create a room, add members, copy, QR, join, leave, change a
// role, remove, delete. Screenshots go to test-artifacts/browser/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api, memberItem } from '../lib/browser.mjs';
import { startEmulator, startApp, freePort } from '../lib/stack.mjs';

const XSS_NAME = '<img src=x onerror="window.__xss=1">Eve';
const UI_TIMEOUT = 10_000;

async function listMembers(app, roomId) {
  const answer = await api(app, 'GET', `rooms/${encodeURIComponent(roomId)}/members`);
  assert.equal(answer.status, 200, answer.text);
  return answer.json().members;
}

function shot(page, name) {
  return page.screenshot({ path: join(ARTIFACTS, name + '.png'), fullPage: true });
}

// Collects console errors, page errors and CSP violations of one page.
function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
  return problems;
}

async function addMemberThroughForm(page, name, role, submitWithEnter) {
  await page.fill('#member-name', name);
  await page.selectOption('#member-role', role);
  if (submitWithEnter) await page.press('#member-name', 'Enter');
  else await page.click('#add-member-button');
  await memberItem(page, name).waitFor({ timeout: UI_TIMEOUT });
}

describe('browser UI against lighttpd + programs + emulator', () => {
  let emu, app, browser, context, page, problems;
  const state = {};

  before(async () => {
    emu = await startEmulator({ naming: 'released', fault: '', apiKey: 'meet-api-key' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, apiKey: 'meet-api-key', livekitUrl: emu.livekitUrl, env: {} });
    browser = await chromium.launch(LAUNCH);
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    problems = watchProblems(page);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await emu?.stop().catch(() => {});
  });

  test('home view loads, with the security headers, and says there are no rooms', async () => {
    const response = await page.goto(app.url + '/');
    assert.equal(response.status(), 200);
    const headers = response.headers();
    assert.match(headers['content-security-policy'] || '', /script-src 'self'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    await page.locator('#rooms-empty').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#rooms-list > li').count(), 0);
    assert.equal(await page.locator('#rooms-error').isVisible(), false);
  });

  test('an empty room name is refused inline without a request', async () => {
    await page.fill('#room-name', '   ');
    await page.click('#create-room-button');
    await page.locator('#create-room-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#create-room-error'), /name/i);
  });

  test('create a room (Enter) and see it listed', async () => {
    await page.fill('#room-name', 'Team Sync');
    await page.press('#room-name', 'Enter');
    const item = page.locator('#rooms-list > li', { hasText: 'Team Sync' });
    await item.waitFor();
    assert.equal(await page.locator('#create-room-error').isVisible(), false);
    assert.equal(await page.inputValue('#room-name'), '');
    state.roomId = await item.getAttribute('data-room-id');
    const rooms = (await api(app, 'GET', 'rooms')).json().rooms;
    assert.ok(rooms.some((r) => r.roomId === state.roomId && r.roomName === 'Team Sync'));
    // A second room, created with the button, stays after the first is deleted.
    await page.fill('#room-name', 'Standup');
    await page.click('#create-room-button');
    await page.locator('#rooms-list > li', { hasText: 'Standup' }).waitFor();
    assert.equal(await page.locator('#rooms-list > li').count(), 2);
    await shot(page, 'home');
  });

  test('keyboard: Tab reaches "Manage members" with a visible focus ring, Enter opens the members view', async () => {
    await page.focus('#room-name');
    const item = page.locator('#rooms-list > li', { hasText: 'Team Sync' });
    const manage = item.locator('button[title="Manage members"]');
    for (let i = 0; i < 12 && !(await manage.evaluate((b) => b === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await manage.evaluate((b) => b === document.activeElement), 'Tab never reached the button');
    const outline = await manage.evaluate((b) => getComputedStyle(b).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.press('Enter');
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#home').isVisible(), false);
    assert.equal(await page.textContent('#members-room-name'), 'Team Sync');
    await page.locator('#members-empty').waitFor({ state: 'visible' });
  });

  test('add a speaker and a moderator and see their badges and full links', async () => {
    await addMemberThroughForm(page, 'Alice', 'speaker', true);
    await addMemberThroughForm(page, 'Bob', 'moderator', false);
    assert.equal(await memberItem(page, 'Alice').locator('.badge').textContent(), 'speaker');
    assert.equal(await memberItem(page, 'Bob').locator('.badge').textContent(), 'moderator');
    const members = await listMembers(app, state.roomId);
    state.alice = members.find((m) => m.name === 'Alice');
    state.bob = members.find((m) => m.name === 'Bob');
    assert.ok(state.alice && state.bob, JSON.stringify(members));
    assert.equal(state.alice.baseRole, 'speaker');
    assert.equal(state.bob.baseRole, 'moderator');
    assert.equal(await memberItem(page, 'Alice').locator('.access-url').textContent(), state.alice.accessUrl);
    assert.equal(await memberItem(page, 'Bob').locator('.access-url').textContent(), state.bob.accessUrl);
    for (const title of ['Copy access link', 'Join', 'Remove member', 'Show QR code', 'Change role']) {
      assert.equal(await memberItem(page, 'Alice').locator(`[title="${title}"]`).count(), 1, title);
    }
    await shot(page, 'members');
  });

  test('the backend message of a refused member shows inline', async () => {
    const seen = problems.length;
    await page.fill('#member-name', 'x'.repeat(51));
    await page.click('#add-member-button');
    await page.locator('#add-member-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#add-member-error'), /name/i);
    assert.equal(await page.locator('#members-list > li').count(), 2);
    await page.fill('#member-name', '');
    // Chromium logs the refused request (400) as a console error: expected here.
    const logged = problems.splice(seen);
    assert.ok(logged.every((p) => /status of 400/.test(p)), logged.join('\n'));
  });

  test('copy a link with the Clipboard API: exactly the accessUrl, icon turns into a check for a while', async () => {
    const button = memberItem(page, 'Alice').locator('button[title="Copy access link"]');
    await button.click();
    await page.waitForFunction((b) => b.querySelector('use').getAttribute('href').endsWith('#check'), await button.elementHandle());
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, state.alice.accessUrl);
    await page.waitForFunction((b) => b.querySelector('use').getAttribute('href').endsWith('#copy'),
      await button.elementHandle(), { timeout: 3000 });
  });

  test('the QR code (libqrencode SVG) decodes to the member\'s link, and the dialog shows it', async () => {
    const path = `rooms/${encodeURIComponent(state.roomId)}/members/${encodeURIComponent(state.alice.memberId)}/qr`;
    const answer = await api(app, 'GET', path);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.type, /^image\/svg\+xml/);
    const dir = mkdtempSync(join(tmpdir(), 'meet-qr-'));
    try {
      writeFileSync(join(dir, 'qr.svg'), answer.text);
      execFileSync('rsvg-convert', ['-w', '400', '-b', 'white', '-o', join(dir, 'qr.png'), join(dir, 'qr.svg')]);
      const decoded = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
      assert.equal(decoded, state.alice.accessUrl);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await memberItem(page, 'Alice').locator('button[title="Show QR code"]').click();
    await page.locator('#qr-image').waitFor({ state: 'visible' });
    assert.ok(await page.locator('#qr-image').evaluate((img) => img.complete && img.naturalWidth > 0));
    assert.equal(await page.textContent('#qr-url'), state.alice.accessUrl);
    await shot(page, 'qr');
    await page.keyboard.press('Escape');
    await page.locator('#qr-dialog').waitFor({ state: 'hidden' });
    assert.ok(await memberItem(page, 'Alice').locator('button[title="Show QR code"]')
      .evaluate((b) => b === document.activeElement), 'focus did not return to the QR button');
    assert.equal(await page.locator('#qr-image').getAttribute('src'), null);
  });

  test('join: the component shows the member\'s name in the page', async () => {
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    await page.locator('#room').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#members').isVisible(), false);
    const component = page.locator('#meeting-container openvidu-meet');
    assert.equal(await component.count(), 1);
    assert.equal(await component.getAttribute('room-url'), state.alice.accessUrl);
    const scripts = await page.locator('script[src]').evaluateAll((s) => s.map((x) => x.src));
    assert.ok(scripts.includes(emu.url + '/v1/openvidu-meet.js'), scripts.join(' '));
    // The component draws in its shadow root, which locators pierce.
    const room = page.locator('#meeting-container openvidu-meet');
    await room.locator('#participant-name').waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await room.locator('#participant-name').textContent(), 'Alice');
    await shot(page, 'room');
  });

  test('Leave in the component brings back the members view with the component gone', async () => {
    const room = page.locator('#meeting-container openvidu-meet');
    await room.getByRole('button', { name: 'Leave' }).click();
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#room').isVisible(), false);
    assert.equal(await page.locator('#meeting-container').evaluate((c) => c.childElementCount), 0);
    assert.equal(await page.locator('openvidu-meet').count(), 0);
    assert.equal(await page.locator('#members-list > li').count(), 2);
  });

  test('each close event name ends the meeting view; a lone `left` does after a grace period', async () => {
    const join = () => memberItem(page, 'Alice').locator('button[title="Join"]').click()
      .then(() => page.locator('#room').waitFor({ state: 'visible' }));
    const fire = (name) => page.locator('#meeting-container openvidu-meet')
      .evaluate((element, eventName) => element.dispatchEvent(new CustomEvent(eventName)), name);
    for (const name of ['closed', 'meetingClosed', 'embeddedCloseRequested', 'left', 'meetingLeft']) {
      await join();
      await fire(name);
      await page.locator('#members').waitFor({ state: 'visible', timeout: 6000 });
      assert.equal(await page.locator('openvidu-meet').count(), 0, name);
    }
  });

  test('the return happens once: a stale `left` timer does not end the next meeting', async () => {
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    const first = page.locator('#meeting-container openvidu-meet');
    await first.evaluate((element) => {
      element.dispatchEvent(new CustomEvent('left'));
      element.dispatchEvent(new CustomEvent('closed'));
      element.dispatchEvent(new CustomEvent('closed'));
    });
    await page.locator('#members').waitFor({ state: 'visible' });
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    await page.locator('#room').waitFor({ state: 'visible' });
    await page.waitForTimeout(3500);
    assert.equal(await page.locator('#room').isVisible(), true);
    assert.equal(await page.locator('#meeting-container openvidu-meet').count(), 1);
    // The page's own way back also tears the component down.
    await page.click('#close-meeting');
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await page.locator('openvidu-meet').count(), 0);
  });

  test('change a role in place; the backend has it', async () => {
    const item = memberItem(page, 'Alice');
    await item.locator('select[title="Change role"]').selectOption('moderator');
    await page.waitForFunction(() => {
      const li = [...document.querySelectorAll('#members-list > li')]
        .find((l) => l.querySelector('.member-name').textContent === 'Alice');
      return li && li.querySelector('.badge').textContent === 'moderator'
        && !li.querySelector('select').disabled;
    });
    const alice = (await listMembers(app, state.roomId)).find((m) => m.memberId === state.alice.memberId);
    assert.equal(alice.baseRole, 'moderator');
  });

  test('remove a member (confirmed); it disappears and its link opens the not-valid page', async () => {
    page.once('dialog', (dialog) => dialog.accept());
    await memberItem(page, 'Bob').locator('button[title="Remove member"]').click();
    await memberItem(page, 'Bob').waitFor({ state: 'detached' });
    const members = await listMembers(app, state.roomId);
    assert.ok(!members.some((m) => m.memberId === state.bob.memberId));
    const other = await context.newPage();
    try {
      await other.goto(state.bob.accessUrl);
      await other.locator('#invalid-link').waitFor({ timeout: UI_TIMEOUT });
      assert.match(await other.textContent('#invalid-link'), /not valid/i);
      assert.equal(await other.getByRole('button', { name: 'Leave' }).count(), 0);
    } finally {
      await other.close();
    }
  });

  test('a dismissed confirmation removes nothing', async () => {
    page.once('dialog', (dialog) => dialog.dismiss());
    await memberItem(page, 'Alice').locator('button[title="Remove member"]').click();
    await page.waitForTimeout(300);
    assert.equal(await memberItem(page, 'Alice').count(), 1);
    assert.ok((await listMembers(app, state.roomId)).some((m) => m.name === 'Alice'));
  });

  test('a member named like HTML appears as that text and runs nothing', async () => {
    await addMemberThroughForm(page, XSS_NAME, 'speaker', true);
    const item = memberItem(page, XSS_NAME);
    assert.equal(await item.locator('.member-name').textContent(), XSS_NAME);
    assert.equal(await page.locator('#members-list img').count(), 0);
    // Its QR dialog and the confirmation text are plain text as well.
    await item.locator('button[title="Show QR code"]').click();
    await page.locator('#qr-dialog').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#qr-member-name'), XSS_NAME);
    await page.click('#qr-close');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined');
  });

  test('at phone width nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await shot(page, 'members-phone');
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  test('delete a room (confirmed); it leaves the list and the backend', async () => {
    await page.click('button[title="Back to rooms"]');
    await page.locator('#home').waitFor({ state: 'visible' });
    const item = page.locator(`#rooms-list > li[data-room-id="${state.roomId}"]`);
    await item.waitFor();
    page.once('dialog', (dialog) => dialog.accept());
    await item.locator('button[title="Delete room"]').click();
    await item.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#rooms-list > li', { hasText: 'Standup' }).count(), 1);
    const rooms = (await api(app, 'GET', 'rooms')).json().rooms;
    assert.ok(!rooms.some((r) => r.roomId === state.roomId));
  });

  test('no console errors, page errors or CSP violations on the way', () => {
    assert.deepEqual(problems, []);
  });
});

describe('copy fallback without the Clipboard API (plain http from a phone)', () => {
  let emu, app, browser;

  before(async () => {
    emu = await startEmulator({ naming: 'released', fault: '', apiKey: 'meet-api-key' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, apiKey: 'meet-api-key', env: {} });
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await emu?.stop().catch(() => {});
  });

  test('the link is put selected in a read-only field, copied or with guidance', async () => {
    const created = await api(app, 'POST', 'rooms', { roomName: 'Phone' });
    const roomId = created.json().room.roomId;
    const member = (await api(app, 'POST', `rooms/${roomId}/members`, { name: 'Dora', baseRole: 'speaker' })).json().member;
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(app.url + '/');
    await page.locator(`#rooms-list > li[data-room-id="${roomId}"] button[title="Manage members"]`).click();
    await memberItem(page, 'Dora').locator('button[title="Copy access link"]').click();
    const field = memberItem(page, 'Dora').locator('.copy-fallback input');
    await field.waitFor();
    assert.equal(await field.inputValue(), member.accessUrl);
    assert.equal(await field.getAttribute('readonly'), '');
    const selected = await field.evaluate((i) => [i.selectionStart, i.selectionEnd, document.activeElement === i]);
    assert.deepEqual(selected, [0, member.accessUrl.length, true]);
    const hint = await memberItem(page, 'Dora').locator('.copy-hint').textContent();
    assert.match(hint, /Copied|Ctrl\+C/);
    await context.close();
  });
});

describe('loading states while Meet is slow', () => {
  let emu, app, browser;

  before(async () => {
    emu = await startEmulator({ naming: 'released', fault: 'slow:1200', apiKey: 'meet-api-key' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, apiKey: 'meet-api-key', env: {} });
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await emu?.stop().catch(() => {});
  });

  test('the rooms list says it is loading; the create button is disabled and busy in flight', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    try {
      await page.goto(app.url + '/');
      await page.locator('#rooms-loading').waitFor({ state: 'visible' });
      await page.locator('#rooms-empty').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#rooms-loading').isVisible(), false);
      await page.fill('#room-name', 'Slow room');
      await page.press('#room-name', 'Enter');
      const button = page.locator('#create-room-button');
      assert.equal(await button.isDisabled(), true);
      assert.equal(await button.getAttribute('aria-busy'), 'true');
      // A click on the disabled button while in flight creates nothing more.
      await button.evaluate((b) => b.click());
      await page.locator('#rooms-list > li', { hasText: 'Slow room' }).waitFor();
      assert.equal(await button.isDisabled(), false);
      assert.equal(await button.getAttribute('aria-busy'), null);
      await page.waitForTimeout(1500);
      assert.equal(await page.locator('#rooms-list > li').count(), 1);
    } finally {
      await page.close();
    }
  });
});

describe('a failing backend shows an error message, not a blank page', () => {
  let browser;
  const started = [];

  before(async () => {
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    for (const part of started.reverse()) await part.stop().catch(() => {});
  });

  async function roomsErrorText(appUrl, name) {
    const page = await browser.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    try {
      await page.goto(appUrl + '/');
      await page.locator('#rooms-error').waitFor({ state: 'visible', timeout: 20_000 });
      assert.equal(await page.locator('#rooms-empty').isVisible(), false);
      assert.equal(await page.locator('#rooms-retry').isVisible(), true);
      await shot(page, name);
      return await page.textContent('#rooms-error-text');
    } finally {
      await page.close();
    }
  }

  test('Meet answers 500: the rooms error is shown', async () => {
    const emu = await startEmulator({ naming: 'released', fault: 'status:500', apiKey: 'meet-api-key' });
    started.push(emu);
    const app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url, apiKey: 'meet-api-key', env: {} });
    started.push(app);
    const text = await roomsErrorText(app.url, 'error-meet-500');
    assert.match(text, /^Could not load the rooms: \S/);
  });

  test('Meet unreachable (closed port): the rooms error is shown', async () => {
    const port = await freePort();
    const app = await startApp({ webServer: 'lighttpd', meetUrl: `http://127.0.0.1:${port}/meet`,
      apiKey: 'meet-api-key', env: { MEET_CONNECT_TIMEOUT_MS: '1000' } });
    started.push(app);
    const text = await roomsErrorText(app.url, 'error-meet-down');
    assert.match(text, /^Could not load the rooms: \S/);
  });
});
