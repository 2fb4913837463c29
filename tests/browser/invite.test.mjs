// Browser tests of issue #13, inviting a group: several members from one
// text box (per-line checks, progress, Stop, a result per line, retry of the
// lines that failed), the links as a CSV download, "Email link" and "Share",
// and the rooms filter. Debian's Chromium through playwright-core, against
// lighttpd + the programs + the Meet emulator on free ports.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api, memberItem } from '../lib/browser.mjs';
import { startEmulator, startApp } from '../lib/stack.mjs';
import { meet } from '../lib/http.mjs';

const UI_TIMEOUT = 10_000;
const SCRIPT_NAME = '<script>window.__xss=1</script>';
const TOO_LONG = 'L'.repeat(51);
// 30 emoji are 30 characters for the app but 60 UTF-16 units for Meet,
// which refuses more than 50: a line that passes here and fails at Meet.
const MEET_REFUSES = '\u{1F600}'.repeat(30);

async function createRoom(app, roomName) {
  const answer = await api(app, 'POST', 'rooms', { roomName });
  assert.equal(answer.status, 201, answer.text);
  return answer.json().room.roomId;
}

async function listMembers(app, roomId) {
  const answer = await api(app, 'GET', `rooms/${roomId}/members`);
  assert.equal(answer.status, 200, answer.text);
  return answer.json().members;
}

function memberPosts(emu, roomId) {
  return emu.readLog().filter((line) => line.method === 'POST' && line.path.startsWith(`/meet/api/v1/rooms/${roomId}/members`));
}

// Opens the members view of roomId with the group box open.
async function openGroupBox(page, app, roomId) {
  await page.goto(`${app.url}/#rooms/${roomId}/members`);
  await page.locator('#members').waitFor({ state: 'visible' });
  await page.locator('#members-loading').waitFor({ state: 'hidden' });
  if (!(await page.locator('#group-add').evaluate((details) => details.open))) {
    await page.click('#group-add > summary');
  }
  await page.locator('#group-names').waitFor({ state: 'visible' });
}

// Clicks "Add all" and waits for the final summary ("Added N of M…").
async function addAll(page) {
  await page.click('#group-add-button');
  await page.waitForFunction(() => /^Added \d+ of \d+/.test(document.getElementById('group-progress').textContent),
    null, { timeout: 20_000 });
  return page.textContent('#group-progress');
}

// [name, outcome, text] of every line of the results.
function results(page) {
  return page.locator('#group-results > li').evaluateAll((items) => items.map((li) => [
    li.querySelector('.result-name').textContent, li.dataset.outcome, li.querySelector('.result-text').textContent]));
}

// The progress texts the page shows from now on.
function recordProgress(page) {
  return page.evaluate(() => {
    window.__progress = [];
    const node = document.getElementById('group-progress');
    new MutationObserver(() => window.__progress.push(node.textContent))
      .observe(node, { childList: true, characterData: true, subtree: true });
  });
}

describe('inviting a group (issue #13) against lighttpd + programs + emulator', () => {
  let emu, app, browser, context, page, problems;

  before(async () => {
    emu = await startEmulator({ naming: 'released' });
    app = await startApp({ webServer: 'lighttpd', meetUrl: emu.url });
    browser = await chromium.launch(LAUNCH);
    context = await browser.newContext({ viewport: { width: 1100, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    problems = [];
    page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await app?.stop().catch(() => {});
    await emu?.stop().catch(() => {});
  });

  test('a mix of lines: good ones added, each refusal and failure said per line, and only good lines reach Meet', async () => {
    const roomId = await createRoom(app, 'Class 4B');
    assert.equal((await api(app, 'POST', `rooms/${roomId}/members`, { name: 'Alice', baseRole: 'speaker' })).status, 201);
    await openGroupBox(page, app, roomId);
    await memberItem(page, 'Alice').waitFor();

    const box = [
      'Bob',
      '',
      SCRIPT_NAME,
      '   ',
      TOO_LONG,
      'alice',
      'Carol, moderator',
      '  Dan ,  Speaker  ',
      'bob',
      'Eve\tTab',
      MEET_REFUSES,
      ', moderator',
    ].join('\n');
    await page.selectOption('#group-role', 'speaker');
    await page.fill('#group-names', box);
    // Checked as the person types, before anything is sent.
    assert.equal(await page.textContent('#group-check'),
      '5 of 10 names ready; 5 will be refused (see the reasons after adding).');
    emu.clearLog();
    const summary = await addAll(page);
    assert.equal(summary, 'Added 4 of 10. 6 lines stay in the box to fix or try again.');

    const lines = await results(page);
    assert.deepEqual(lines.map(([name, outcome]) => [name, outcome]), [
      ['Bob', 'added'],
      [SCRIPT_NAME, 'added'],
      [TOO_LONG, 'refused'],
      ['alice', 'refused'],
      ['Carol', 'added'],
      ['Dan', 'added'],
      ['bob', 'refused'],
      ['Eve\tTab', 'refused'],
      [MEET_REFUSES, 'failed'],
      [', moderator', 'refused'],
    ]);
    const reasons = Object.fromEntries(lines.map(([name, , text]) => [name, text]));
    assert.equal(reasons.Bob, 'added as speaker');
    assert.equal(reasons.Carol, 'added as moderator');
    assert.equal(reasons.Dan, 'added as speaker');
    assert.equal(reasons[TOO_LONG], 'refused: longer than 50 characters');
    assert.equal(reasons.alice, 'refused: already in this room');
    assert.equal(reasons.bob, 'refused: listed twice');
    assert.match(reasons['Eve\tTab'], /^refused: .*control character/);
    assert.equal(reasons[', moderator'], 'refused: no name before the role');
    // Meet's own message, through the backend.
    assert.match(reasons[MEET_REFUSES], /^failed: .*50 characters/);

    // What was not added stays in the box, in order; nothing else does.
    assert.equal(await page.inputValue('#group-names'),
      [TOO_LONG, 'alice', 'bob', 'Eve\tTab', MEET_REFUSES, ', moderator'].join('\n'));

    // Meet got exactly the five lines that passed (one of which it refused).
    const posts = memberPosts(emu, roomId);
    assert.equal(posts.length, 5, JSON.stringify(posts));
    assert.deepEqual(posts.map((p) => p.status).sort(), [201, 201, 201, 201, 422]);
    const members = await listMembers(app, roomId);
    assert.deepEqual(members.map((m) => m.name).sort(), ['Alice', 'Bob', 'Carol', 'Dan', SCRIPT_NAME].sort());
    assert.equal(members.find((m) => m.name === 'Carol').baseRole, 'moderator');
    assert.equal(members.find((m) => m.name === 'Dan').baseRole, 'speaker');

    // The names are text: shown as typed, nothing ran, no element was made of them.
    await memberItem(page, SCRIPT_NAME).waitFor();
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#members script, #group-results script').count(), 0);
    assert.equal(await page.locator('#members-list > li').count(), 5);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(ARTIFACTS, 'group-results.png'), fullPage: true });
  });

  test('more than 100 names, or none, are refused before anything is sent', async () => {
    const roomId = await createRoom(app, 'Too Many');
    await openGroupBox(page, app, roomId);
    emu.clearLog();
    await page.fill('#group-names', Array.from({ length: 101 }, (_, i) => `Person ${i}`).join('\n'));
    assert.equal(await page.textContent('#group-check'), '101 names: add at most 100 at once.');
    await page.click('#group-add-button');
    await page.waitForFunction(() => document.getElementById('group-progress').textContent.includes('at most 100'));
    await page.fill('#group-names', '\n  \n');
    await page.click('#group-add-button');
    await page.waitForFunction(() => document.getElementById('group-progress').textContent === 'Enter at least one name, one per line.');
    assert.deepEqual(emu.readLog(), []);
  });

  test('100 names with one paste and one click, within 10 seconds, with "Adding N of 100…" progress', async () => {
    const roomId = await createRoom(app, 'Big Lecture');
    await openGroupBox(page, app, roomId);
    const names = Array.from({ length: 100 }, (_, i) => `Student ${String(i + 1).padStart(3, '0')}`);
    await page.fill('#group-names', names.join('\n'));
    await recordProgress(page);
    const started = Date.now();
    const summary = await addAll(page);
    const elapsed = Date.now() - started;
    assert.equal(summary, 'Added 100 of 100.');
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
    const seen = await page.evaluate(() => window.__progress);
    assert.ok(seen.some((text) => /^Adding \d+ of 100…$/.test(text)), seen.join(' | '));
    assert.equal(await page.inputValue('#group-names'), '');
    assert.equal(await page.locator('#members-list > li').count(), 100);
    const members = await listMembers(app, roomId);
    assert.deepEqual(members.map((m) => m.name).sort(), names);
    assert.equal(memberPosts(emu, roomId).length, 100);
    console.log(`# 100 names added in ${elapsed} ms`);
  });

  test('Stop in the middle: what was added stays, the rest stays in the box and is added by another try', async () => {
    const roomId = await createRoom(app, 'Panel');
    await openGroupBox(page, app, roomId);
    const names = Array.from({ length: 30 }, (_, i) => `Panelist ${i + 1}`);
    // Each POST takes 150 ms longer on its way, so there is time to stop.
    const slow = async (route) => {
      if (route.request().method() === 'POST') await new Promise((done) => setTimeout(done, 150));
      await route.continue();
    };
    await page.route('**/members', slow);
    await page.fill('#group-names', names.join('\n'));
    await page.click('#group-add-button');
    await page.waitForFunction(() => /^Adding ([5-9]|1\d) of 30…$/.test(document.getElementById('group-progress').textContent));
    assert.ok(await page.isVisible('#group-stop'));
    await page.click('#group-stop');
    await page.waitForFunction(() => /^Added \d+ of 30, then stopped\./.test(document.getElementById('group-progress').textContent));
    await page.unroute('**/members', slow);

    const lines = await results(page);
    const added = lines.filter(([, outcome]) => outcome === 'added').map(([name]) => name);
    const stopped = lines.filter(([, outcome]) => outcome === 'stopped').map(([name]) => name);
    assert.ok(added.length >= 4 && added.length < 30, `added ${added.length}`);
    assert.equal(added.length + stopped.length, 30);
    assert.ok(lines.filter(([, outcome]) => outcome === 'stopped').every(([, , text]) => text === 'not sent (stopped)'));
    assert.equal(await page.inputValue('#group-names'), stopped.join('\n'));
    assert.equal(await page.isVisible('#group-stop'), false);
    assert.deepEqual((await listMembers(app, roomId)).map((m) => m.name).sort(), [...added].sort());
    assert.equal(memberPosts(emu, roomId).length, added.length);

    // Another click sends only what is left.
    assert.equal(await addAll(page), `Added ${stopped.length} of ${stopped.length}.`);
    assert.deepEqual((await listMembers(app, roomId)).map((m) => m.name).sort(), [...names].sort());
    assert.equal(memberPosts(emu, roomId).length, 30);
  });

  test('lines that fail on the way stay in the box, and a retry adds them', async () => {
    const roomId = await createRoom(app, 'Clients');
    await openGroupBox(page, app, roomId);
    // The connection drops for two of the people.
    const flaky = async (route) => {
      const body = route.request().postData() || '';
      if (route.request().method() === 'POST' && /Grace|Heidi/.test(body)) await route.abort('connectionreset');
      else await route.continue();
    };
    await page.route('**/members', flaky);
    await page.fill('#group-names', 'Frank\nGrace, moderator\nHeidi\nIvan');
    emu.clearLog();
    assert.equal(await addAll(page), 'Added 2 of 4. 2 lines stay in the box to fix or try again.');
    const lines = await results(page);
    assert.deepEqual(lines.map(([name, outcome]) => [name, outcome]),
      [['Frank', 'added'], ['Grace', 'failed'], ['Heidi', 'failed'], ['Ivan', 'added']]);
    assert.match(lines[1][2], /^failed: Cannot reach the server/);
    assert.equal(await page.inputValue('#group-names'), 'Grace, moderator\nHeidi');
    assert.equal(memberPosts(emu, roomId).length, 2);

    await page.unroute('**/members', flaky);
    assert.equal(await addAll(page), 'Added 2 of 2.');
    const members = await listMembers(app, roomId);
    assert.deepEqual(members.map((m) => m.name).sort(), ['Frank', 'Grace', 'Heidi', 'Ivan']);
    assert.equal(members.find((m) => m.name === 'Grace').baseRole, 'moderator');
    assert.equal(await page.inputValue('#group-names'), '');
  });

  test('keyboard only: open the box, type, add; the result is announced in a live region', async () => {
    const roomId = await createRoom(app, 'Keyboard');
    await openGroupBox(page, app, roomId);
    await page.click('#group-add > summary');  // closed again
    await page.focus('#add-member-button');
    await page.keyboard.press('Tab');
    assert.ok(await page.locator('#group-add > summary').evaluate((s) => s === document.activeElement));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.ok(await page.locator('#group-names').evaluate((t) => t === document.activeElement));
    await page.keyboard.type('Judy\nKen, moderator');
    await page.keyboard.press('Tab');  // the role
    await page.keyboard.press('Tab');  // Add all
    assert.ok(await page.locator('#group-add-button').evaluate((b) => b === document.activeElement));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('group-progress').textContent === 'Added 2 of 2.');
    const region = page.locator('#group-progress');
    assert.equal(await region.getAttribute('role'), 'status');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    assert.ok(await page.locator('#group-names').evaluate((t) => t === document.activeElement), 'focus back in the box');
    assert.deepEqual((await listMembers(app, roomId)).map((m) => `${m.name}:${m.baseRole}`).sort(),
      ['Judy:speaker', 'Ken:moderator']);
  });

  test('"Download links (CSV)": the backend\'s file, byte for byte, with its name from the room id', async () => {
    const roomId = await createRoom(app, 'Spreadsheet');
    const tricky = ['Smith, John', 'Ann "Nan" Lee', '=HYPERLINK("http://evil")', '+1 555', '-minus', '@mention', 'José Müller 会议室'];
    for (const name of tricky) {
      assert.equal((await api(app, 'POST', `rooms/${roomId}/members`, { name, baseRole: 'speaker' })).status, 201);
    }
    const members = await listMembers(app, roomId);
    await page.goto(`${app.url}/#rooms/${roomId}/members`);
    await page.locator('#members-list > li').nth(tricky.length - 1).waitFor();
    const link = page.locator('#download-csv');
    assert.equal(await link.textContent().then((t) => t.trim()), 'Download links (CSV)');
    assert.equal(await link.getAttribute('href'), `rooms/${roomId}/members.csv`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `${roomId}-members.csv`);
    const bytes = readFileSync(await download.path());

    const cell = (text) => {
      const guarded = /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
      return /[",\r\n]/.test(guarded) ? '"' + guarded.replaceAll('"', '""') + '"' : guarded;
    };
    const expected = '\uFEFFname,role,link\r\n'
      + members.map((m) => [m.name, m.baseRole, m.accessUrl].map(cell).join(',') + '\r\n').join('');
    assert.equal(bytes.toString('utf8'), expected);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
    const text = bytes.toString('utf8');
    assert.ok(text.includes('"Smith, John"'));
    assert.ok(text.includes('"Ann ""Nan"" Lee"'));
    assert.ok(text.includes('"\'=HYPERLINK(""http://evil"")"'));
    assert.ok(text.includes("'+1 555,") && text.includes("'-minus,") && text.includes("'@mention,"));
    assert.ok(text.includes('José Müller 会议室,speaker,'));
  });

  test('"Email link" is a mailto: whose every part is percent-encoded and decodes to the exact name and link', async () => {
    const roomName = 'Q&A: "Ask?" #2 – Ñandú';
    const roomId = await createRoom(app, roomName);
    const name = 'Zoë O\'Brien & Co? #1 "Q" 50%+ (x)';
    assert.equal((await api(app, 'POST', `rooms/${roomId}/members`, { name, baseRole: 'speaker' })).status, 201);
    const [member] = await listMembers(app, roomId);
    await page.goto(app.url + '/');
    await page.locator('#rooms-list > li', { hasText: roomName }).locator('button[title="Manage members"]').click();
    const mail = memberItem(page, name).locator('a[title="Email link"]');
    await mail.waitFor();
    assert.equal(await mail.getAttribute('aria-label'), 'Email the access link of ' + name);
    const href = await mail.getAttribute('href');
    // Only unreserved characters and %XX escapes after "mailto:?": no raw & ? # quote or space.
    const match = /^mailto:\?subject=([A-Za-z0-9%._~-]*)&body=([A-Za-z0-9%._~-]*)$/.exec(href);
    assert.ok(match, href);
    const subject = decodeURIComponent(match[1]);
    const body = decodeURIComponent(match[2]);
    assert.ok(subject.includes(`“${roomName}”`), subject);
    assert.ok(body.startsWith(`Hello ${name},\r\n`), body);
    assert.ok(body.includes(`\r\n${member.accessUrl}\r\n`), body);
    // The link in the body is exactly the member's, once.
    assert.equal(body.split(member.accessUrl).length, 2);

    // Without the Web Share API (desktop Chromium on Linux) there is no Share.
    const hasShare = await page.evaluate(() => typeof navigator.share === 'function');
    assert.equal(await memberItem(page, name).locator('button[title="Share"]').count(), hasShare ? 1 : 0);
  });

  test('"Share" appears where the Web Share API exists and shares the member\'s link', async () => {
    const roomId = await createRoom(app, 'Phones');
    assert.equal((await api(app, 'POST', `rooms/${roomId}/members`, { name: 'Mallory', baseRole: 'speaker' })).status, 201);
    const [member] = await listMembers(app, roomId);
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    try {
      // Chromium on Linux has no share sheet: a stand-in records what the page shares.
      await phone.addInitScript(() => {
        navigator.share = async (data) => { window.__shared = data; };
      });
      const mobile = await phone.newPage();
      mobile.setDefaultTimeout(UI_TIMEOUT);
      await mobile.goto(`${app.url}/#rooms/${roomId}/members`);
      const share = memberItem(mobile, 'Mallory').locator('button[title="Share"]');
      await share.waitFor();
      assert.equal(await share.getAttribute('aria-label'), 'Share the access link of Mallory');
      await share.click();
      await mobile.waitForFunction(() => window.__shared);
      const shared = await mobile.evaluate(() => window.__shared);
      assert.equal(shared.url, member.accessUrl);
      assert.ok(shared.text.startsWith('Hello Mallory,'), shared.text);
      assert.ok(shared.title.includes('“Phones”'));

      // Phone width: the group box and the list fit without sideways scrolling.
      await mobile.click('#group-add > summary');
      await mobile.fill('#group-names', 'Niaj\nOlivia, moderator');
      assert.equal(await addAll(mobile), 'Added 2 of 2.');
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      for (const id of ['#group-names', '#group-add-button', '#download-csv']) {
        const box = await mobile.locator(id).boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 375, `${id} sticks out: ${JSON.stringify(box)}`);
      }
      await mobile.screenshot({ path: join(ARTIFACTS, 'group-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  test('the rooms filter: shown once there are more than a few rooms, narrows by name as you type, newest first', async () => {
    // A fresh emulator, so the rooms are exactly these.
    const emu2 = await startEmulator({ naming: 'released' });
    const app2 = await startApp({ webServer: 'lighttpd', meetUrl: emu2.url });
    try {
      const names = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'];
      for (const roomName of names) assert.equal((await meet(emu2, 'POST', '/rooms', { roomName })).status, 201);
      await page.goto(app2.url + '/');
      await page.locator('#rooms-list > li').nth(4).waitFor();
      assert.equal(await page.isVisible('#rooms-filter-box'), false, 'five rooms need no filter');

      // The sixth room, made in the page, goes on top: newest first, as Meet lists them.
      await page.fill('#room-name', 'José’s Review');
      await page.click('#create-room-button');
      await page.locator('#rooms-filter-box').waitFor({ state: 'visible' });
      const shown = () => page.locator('#rooms-list > li:visible .item-title').allTextContents();
      const meetOrder = (await api(app2, 'GET', 'rooms')).json().rooms.map((r) => r.roomName);
      assert.equal(meetOrder[0], 'José’s Review');
      assert.deepEqual(await shown(), meetOrder);
      await page.reload();
      await page.locator('#rooms-filter-box').waitFor({ state: 'visible' });
      assert.deepEqual(await shown(), meetOrder);

      await page.click('#rooms-filter');
      await page.keyboard.type('ta');
      assert.deepEqual(await shown(), meetOrder.filter((n) => /ta/i.test(n)));
      assert.equal(await page.textContent('#rooms-filter-count'), '2 of 6 rooms.');
      await page.fill('#rooms-filter', 'JOSE');  // case and accents do not matter
      assert.deepEqual(await shown(), ['José’s Review']);
      await page.fill('#rooms-filter', '<b>nothing');
      assert.deepEqual(await shown(), []);
      assert.equal(await page.textContent('#rooms-filter-count'), 'No room matches “<b>nothing”.');
      assert.equal(await page.locator('#rooms-filter-count b').count(), 0);
      assert.equal(await page.getAttribute('#rooms-filter-count', 'role'), 'status');
      await page.keyboard.press('Escape');  // a search field clears on Escape
      await page.fill('#rooms-filter', '');
      assert.deepEqual(await shown(), meetOrder);
      assert.equal(await page.textContent('#rooms-filter-count'), '');
      await page.screenshot({ path: join(ARTIFACTS, 'rooms-filter.png'), fullPage: true });
    } finally {
      await app2.stop();
      await emu2.stop();
    }
  });
});
