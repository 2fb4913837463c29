// The WebComponent stand-in in Debian's Chromium: a host page on another
// origin loads the bundle from the emulator, embeds a member's link, and
// records the events (addEventListener and on/once) when Leave is pressed,
// on leaveRoom(), and that a message from a wrong origin is ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, projectRoot } from '../launch.mjs';
import { apiClient } from './client.mjs';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  chromium = null;
}

const HOST_SCRIPT = `
window.seen = [];
window.viaOn = [];
const el = document.createElement('openvidu-meet');
for (const name of ['ready', 'joined', 'meetingJoined', 'left', 'meetingLeft', 'closed', 'meetingClosed', 'embeddedCloseRequested']) {
  el.addEventListener(name, (e) => window.seen.push({ name, detail: e.detail ?? null, bubbles: e.bubbles }));
}
el.on('left', (payload) => window.viaOn.push(['on:left', payload]));
el.once('closed', (payload) => window.viaOn.push(['once:closed', payload ?? null]));
const removed = () => window.viaOn.push(['off:left']);
el.on('left', removed).off('left', removed);
document.body.addEventListener('left', () => window.seen.push({ name: 'bubbled' }));
el.setAttribute('room-url', new URLSearchParams(location.search).get('room'));
el.style.height = '300px';
document.body.appendChild(el);
window.meetElement = el;
`;

let emu;
let host;
let hostOrigin;
let browser;
const artifacts = join(projectRoot, 'test-artifacts', 'emulator');

before(async () => {
  emu = await startEmulator();
  host = createServer((req, res) => {
    if (req.url.startsWith('/host.js')) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(HOST_SCRIPT);
      return;
    }
    // the app's own policy: scripts and frames only from itself and Meet
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'self'; script-src 'self' ${emu.origin}; frame-src ${emu.origin}; style-src 'self'`,
      'Referrer-Policy': 'no-referrer',
    });
    res.end(`<!DOCTYPE html><html><head><title>host</title>
<script src="${emu.url}/v1/openvidu-meet.js"></script>
<script src="/host.js" defer></script></head><body></body></html>`);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  // another origin than the emulator: localhost instead of 127.0.0.1
  hostOrigin = `http://localhost:${host.address().port}`;
  if (chromium) {
    // launch() gives every run a fresh, temporary user-data-dir
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  }
});

after(async () => {
  if (browser) await browser.close();
  await new Promise((r) => host.close(r));
  await emu.stop();
});

async function memberLink(name) {
  const api = apiClient(emu);
  const room = (await api('POST', '/rooms', { roomName: 'Embedded' })).json.roomId;
  const m = (await api('POST', `/rooms/${room}/members`, { name, baseRole: 'speaker' })).json;
  return { room, member: m };
}

async function openHost(link) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${hostOrigin}/?room=${encodeURIComponent(link)}`);
  await page.waitForFunction(() => window.seen && window.seen.some((e) => e.name === 'joined'), null, { timeout: 10000 });
  return { page, errors };
}

const skip = !chromium ? 'playwright-core is not installed (npm ci)' : false;

test('Leave in the room page: ready, joined, then left/meetingLeft, closed/meetingClosed/embeddedCloseRequested', { skip }, async () => {
  const { room, member } = await memberLink('Lea <b>');
  const { page, errors } = await openHost(member.accessUrl);
  const frame = page.frames().find((f) => f.url().startsWith(emu.origin));
  assert.ok(frame, 'the iframe shows the room page');
  assert.equal(await frame.textContent('#participant-name'), 'Lea <b>');
  const allow = await page.evaluate(() => window.meetElement.shadowRoot.querySelector('iframe').getAttribute('allow'));
  assert.equal(allow, 'camera; microphone; clipboard-write');
  await frame.click('#leave-button');
  await page.waitForFunction(() => window.seen.some((e) => e.name === 'embeddedCloseRequested'));
  const seen = await page.evaluate(() => window.seen);
  const detail = { roomId: room, participantIdentity: member.memberId };
  assert.deepEqual(seen, [
    { name: 'ready', detail: {}, bubbles: false },
    { name: 'joined', detail, bubbles: false },
    { name: 'meetingJoined', detail, bubbles: false },
    { name: 'left', detail: { ...detail, reason: 'voluntary_leave' }, bubbles: false },
    { name: 'meetingLeft', detail: { ...detail, reason: 'voluntary_leave' }, bubbles: false },
    { name: 'closed', detail: null, bubbles: false },
    { name: 'meetingClosed', detail: null, bubbles: false },
    { name: 'embeddedCloseRequested', detail: null, bubbles: false },
  ]);
  assert.deepEqual(await page.evaluate(() => window.viaOn), [
    ['on:left', { ...detail, reason: 'voluntary_leave' }],
    ['once:closed', null],
  ]);
  assert.equal(await frame.isVisible('#left-message'), true);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'webcomponent-left.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('leaveRoom() answers as Leave; once listeners fire once; removal drops on/once listeners', { skip }, async () => {
  const { member } = await memberLink('Remote');
  const { page } = await openHost(member.accessUrl);
  await page.evaluate(() => window.meetElement.leaveRoom());
  await page.waitForFunction(() => window.seen.some((e) => e.name === 'closed'));
  const left = await page.evaluate(() => window.seen.find((e) => e.name === 'left').detail.reason);
  assert.equal(left, 'voluntary_leave');
  // listeners added through on() are dropped when the element leaves the DOM
  const after = await page.evaluate(async () => {
    const el = window.meetElement;
    let calls = 0;
    el.on('left', () => calls++);
    el.remove();
    el.dispatchEvent(new CustomEvent('left', { detail: {} }));
    return { calls, viaOn: window.viaOn.length };
  });
  assert.deepEqual(after, { calls: 0, viaOn: 2 });
  assert.equal(await page.evaluate(() => typeof window.meetElement.endMeeting + typeof window.meetElement.kickParticipant), 'functionfunction');
  await page.close();
});

test('messages from another origin or window are ignored; the element is defined once', { skip }, async () => {
  const { member } = await memberLink('Guarded');
  const { page } = await openHost(member.accessUrl);
  const before = await page.evaluate(() => window.seen.length);
  // the host page itself (wrong origin and not the iframe) posts a fake "left"
  await page.evaluate((roomOrigin) => {
    window.postMessage({ event: 'left', payload: { roomId: 'x', participantIdentity: 'y', reason: 'voluntary_leave' } }, '*');
    window.postMessage({ event: 'closed' }, '*');
    void roomOrigin;
  }, emu.origin);
  // a frame of a third origin posts too
  await page.evaluate(() => new Promise((resolve) => {
    const f = document.createElement('iframe');
    f.srcdoc = '<script>parent.postMessage({event:"closed"}, "*")<\/script>';
    f.onload = () => setTimeout(resolve, 200);
    document.body.appendChild(f);
  }));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.seen.length), before);
  // a second copy of the script does not redefine the element
  const redefined = await page.evaluate((src) => new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve(customElements.get('openvidu-meet') === window.meetElement.constructor);
    s.onerror = () => resolve('load error');
    document.head.appendChild(s);
  }), `${emu.url}/v1/openvidu-meet.js`);
  assert.equal(redefined, true);
  await page.close();
});

test('a revoked link shows "This link is not valid" inside the element and sends no joined', { skip }, async () => {
  const { room, member } = await memberLink('Revoked');
  await apiClient(emu)('DELETE', `/rooms/${room}/members/${member.memberId}`);
  const page = await browser.newPage();
  await page.goto(`${hostOrigin}/?room=${encodeURIComponent(member.accessUrl)}`);
  const frame = await (await page.waitForFunction(() => window.meetElement?.shadowRoot.querySelector('iframe'))).asElement().contentFrame();
  await frame.waitForSelector('#invalid-link');
  assert.equal(await frame.textContent('#invalid-link'), 'This link is not valid');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual((await page.evaluate(() => window.seen)).map((e) => e.name), ['ready']);
  await page.close();
});
