// The WebComponent stand-in in Debian's Chromium: a host page on another
// origin loads the bundle from the emulator and embeds a member's link.
// The element draws in its shadow root and does, under the host page's
// Content-Security-Policy, what the real 3.8 component does: a call to
// Meet's API, a sound from Meet's origin, a WebAssembly compilation and a
// websocket to the LiveKit the token names (the emulator's own LiveKit).
// Checked: the events and payloads on Leave and leaveRoom(), each way the
// emulator's LiveKit ends a session (duplicate identity, member removed,
// room deleted, emulator stopped or killed, LiveKit unreachable), what
// a policy missing one of the component's needs blocks, a revoked link.
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

const EVENTS = ['ready', 'joined', 'meetingJoined', 'left', 'meetingLeft', 'closed', 'meetingClosed', 'embeddedCloseRequested'];

const HOST_SCRIPT = `
window.seen = [];
window.viaOn = [];
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
const el = document.createElement('openvidu-meet');
for (const name of ${JSON.stringify(EVENTS)}) {
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

// What the real component needs from the host page's policy, and variants
// that each lack one of those needs.
function policy(emu, lack = '') {
  const livekit = emu.livekitListener;
  const parts = {
    script: `script-src 'self' ${emu.origin}${lack === 'wasm' ? '' : " 'wasm-unsafe-eval'"}`,
    connect: `connect-src 'self' ${emu.origin}${lack === 'livekit' ? '' : ` ${livekit} ${livekit.replace(/^ws/, 'http')}`}`,
    media: `media-src 'self'${lack === 'media' ? '' : ` ${emu.origin}`}`,
  };
  return `default-src 'self'; ${parts.script}; ${parts.connect}; ${parts.media}; style-src 'self' 'unsafe-inline'`;
}

let emu;
let browser;
const hosts = [];
const artifacts = join(projectRoot, 'test-artifacts', 'emulator');

// A host page server for one emulator, on another origin (localhost, not 127.0.0.1).
async function startHost(forEmu) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://host');
    if (url.pathname === '/host.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(HOST_SCRIPT);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': policy(forEmu, url.searchParams.get('lack') || ''),
      'Referrer-Policy': 'no-referrer',
    });
    res.end(`<!DOCTYPE html><html><head><title>host</title>
<script src="${forEmu.url}/v1/openvidu-meet.js"></script>
<script src="/host.js" defer></script></head><body></body></html>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  hosts.push(server);
  return `http://localhost:${server.address().port}`;
}

let hostOrigin;

before(async () => {
  emu = await startEmulator();
  hostOrigin = await startHost(emu);
  if (chromium) {
    // launch() gives every run a fresh, temporary user-data-dir
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
  }
});

after(async () => {
  if (browser) await browser.close();
  for (const server of hosts) await new Promise((r) => server.close(r));
  await emu.stop();
});

async function memberLink(name, onEmu = emu) {
  const api = apiClient(onEmu);
  const room = (await api('POST', '/rooms', { roomName: 'Embedded' })).json.roomId;
  const m = (await api('POST', `/rooms/${room}/members`, { name, baseRole: 'speaker' })).json;
  return { room, member: m };
}

async function openHost(link, { origin = hostOrigin, lack = '', waitFor = 'joined' } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/?room=${encodeURIComponent(link)}${lack ? `&lack=${lack}` : ''}`);
  await page.waitForFunction((name) => window.seen && window.seen.some((e) => e.name === name), waitFor, { timeout: 10000 });
  return { page, errors };
}

const names = (page) => page.evaluate(() => window.seen.map((e) => e.name));
const checks = (page) => page.evaluate(() => Object.fromEntries(
  [...window.meetElement.shadowRoot.querySelectorAll('[data-check]')].map((li) => [li.dataset.check, li.dataset.state])));
const leftReason = (page) => page.evaluate(() => window.seen.find((e) => e.name === 'left')?.detail.reason);

const skip = !chromium ? 'playwright-core is not installed (npm ci)' : false;

test('Leave: in a shadow root, no iframe; ready, joined, left/meetingLeft, closed/...; sound, WebAssembly and LiveKit allowed', { skip }, async () => {
  const { room, member } = await memberLink('Lea <b>');
  const { page, errors } = await openHost(member.accessUrl);
  const shadow = (selector) => page.locator(`openvidu-meet ${selector}`);
  assert.equal(await shadow('#participant-name').textContent(), 'Lea <b>');
  assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length
    + window.meetElement.shadowRoot.querySelectorAll('iframe').length), 0);
  await page.waitForFunction(() => window.meetElement.shadowRoot.querySelector('[data-check="sound"]').dataset.state !== 'pending');
  assert.deepEqual(await checks(page), { sound: 'ok', wasm: 'ok', livekit: 'ok' });
  // The language button is position: fixed, as the real picker is.
  assert.equal(await shadow('#language-button').evaluate((b) => getComputedStyle(b).position), 'fixed');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'webcomponent-joined.png') });
  await shadow('#leave-button').click();
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
  assert.equal(await shadow('#left-message').textContent(), 'You left the meeting.');
  await page.screenshot({ path: join(artifacts, 'webcomponent-left.png') });
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('leaveRoom() answers as Leave; removal drops on/once listeners and ends the session quietly', { skip }, async () => {
  const { member } = await memberLink('Remote');
  const { page } = await openHost(member.accessUrl);
  await page.evaluate(() => window.meetElement.leaveRoom());
  await page.waitForFunction(() => window.seen.some((e) => e.name === 'closed'));
  assert.equal(await leftReason(page), 'voluntary_leave');
  const afterRemoval = await page.evaluate(async () => {
    const el = window.meetElement;
    let calls = 0;
    el.on('left', () => calls++);
    el.remove();
    el.dispatchEvent(new CustomEvent('left', { detail: {} }));
    return { calls, viaOn: window.viaOn.length };
  });
  assert.deepEqual(afterRemoval, { calls: 0, viaOn: 2 });
  assert.equal(await page.evaluate(() => typeof window.meetElement.endMeeting + typeof window.meetElement.kickParticipant), 'functionfunction');
  // A second, joined element removed from the page sends nothing more.
  const second = await openHost(member.accessUrl);
  await second.page.evaluate(() => { window.meetElement.remove(); });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await names(second.page), ['ready', 'joined', 'meetingJoined']);
  await second.page.close();
  await page.close();
});

test('the same member joining again: the first gets left(duplicate_identity), keeps its view until Close', { skip }, async () => {
  const { member } = await memberLink('Twice');
  const first = await openHost(member.accessUrl);
  const second = await openHost(member.accessUrl);
  await first.page.waitForFunction(() => window.seen.some((e) => e.name === 'left'));
  assert.equal(await leftReason(first.page), 'duplicate_identity');
  assert.ok(!(await names(first.page)).includes('closed'), 'closed waits for the person');
  assert.equal(await first.page.locator('openvidu-meet #left-message').getAttribute('data-reason'), 'duplicate_identity');
  await first.page.locator('openvidu-meet #close-button').click();
  await first.page.waitForFunction(() => window.seen.some((e) => e.name === 'closed'));
  assert.ok(!(await names(second.page)).includes('left'), 'the newer session stays');
  await first.page.close();
  await second.page.close();
});

test('Meet removes the member or deletes the room: participant_kicked, meeting_ended', { skip }, async () => {
  const api = apiClient(emu);
  const { room, member } = await memberLink('Kicked');
  const kicked = await openHost(member.accessUrl);
  await api('DELETE', `/rooms/${room}/members/${member.memberId}`);
  await kicked.page.waitForFunction(() => window.seen.some((e) => e.name === 'left'));
  assert.equal(await leftReason(kicked.page), 'participant_kicked');
  await kicked.page.close();

  const other = await memberLink('Ended');
  const ended = await openHost(other.member.accessUrl);
  await api('DELETE', `/rooms/${other.room}`);
  await ended.page.waitForFunction(() => window.seen.some((e) => e.name === 'left'));
  assert.equal(await leftReason(ended.page), 'meeting_ended');
  await ended.page.close();
});

test('the emulator stops (server_shutdown) or dies (network_disconnect)', { skip }, async () => {
  for (const [signal, reason] of [['SIGTERM', 'server_shutdown'], ['SIGKILL', 'network_disconnect']]) {
    const own = await startEmulator();
    const origin = await startHost(own);
    const { member } = await memberLink('Stopped', own);
    const { page } = await openHost(member.accessUrl, { origin });
    if (signal === 'SIGTERM') await own.stop();
    else { own.signal('SIGKILL'); await own.exited; }
    await page.waitForFunction(() => window.seen.some((e) => e.name === 'left'));
    assert.equal(await leftReason(page), reason, signal);
    await page.close();
    await own.stop();
  }
});

test('LiveKit unreachable: left(unknown) without joined', { skip }, async () => {
  // a port nobody listens on: the kernel's pick, closed again
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const nowhere = `ws://127.0.0.1:${probe.address().port}`;
  await new Promise((r) => probe.close(r));
  const own = await startEmulator({ livekitUrl: nowhere });
  const origin = await startHost({ ...own, livekitListener: nowhere });
  const { member } = await memberLink('Nowhere', own);
  const { page } = await openHost(member.accessUrl, { origin, waitFor: 'left' });
  assert.deepEqual(await names(page), ['ready', 'left', 'meetingLeft']);
  assert.equal(await leftReason(page), 'unknown');
  assert.equal((await checks(page)).livekit, undefined, 'the end view replaced the checks');
  await page.close();
  await own.stop();
});

test('a policy that lacks one need: the component is blocked there and says so', { skip }, async () => {
  const { member } = await memberLink('Strict');
  const wasm = await openHost(member.accessUrl, { lack: 'wasm' });
  await wasm.page.waitForFunction(() => window.meetElement.shadowRoot.querySelector('[data-check="wasm"]').dataset.state !== 'pending');
  assert.equal((await checks(wasm.page)).wasm, 'failed');
  assert.equal(await wasm.page.locator('openvidu-meet [data-check="wasm"]').textContent(),
    'Virtual backgrounds: not supported in this browser');
  assert.deepEqual(await wasm.page.evaluate(() => window.violations.map((v) => v.directive)), ['script-src']);
  await wasm.page.close();

  const media = await openHost(member.accessUrl, { lack: 'media' });
  await media.page.waitForFunction(() => window.violations.length > 0);
  assert.deepEqual(await media.page.evaluate(() => window.violations),
    [{ directive: 'media-src', blocked: `${emu.url}/assets/sounds/participant-joined.wav` }]);
  await media.page.close();

  const livekit = await openHost(member.accessUrl, { lack: 'livekit', waitFor: 'left' });
  assert.equal(await leftReason(livekit.page), 'unknown');
  const violations = await livekit.page.evaluate(() => window.violations);
  assert.equal(violations[0].directive, 'connect-src');
  assert.ok(violations[0].blocked.startsWith(emu.livekitListener.replace(/^ws/, 'http') + '/rtc/validate'), violations[0].blocked);
  await livekit.page.close();
});

test('the element is defined once; a revoked link shows "This link is not valid" and sends no joined', { skip }, async () => {
  const { room, member } = await memberLink('Revoked');
  const live = await openHost(member.accessUrl);
  const redefined = await live.page.evaluate((src) => new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve(customElements.get('openvidu-meet') === window.meetElement.constructor);
    s.onerror = () => resolve('load error');
    document.head.appendChild(s);
  }), `${emu.url}/v1/openvidu-meet.js`);
  assert.equal(redefined, true);
  await live.page.close();

  await apiClient(emu)('DELETE', `/rooms/${room}/members/${member.memberId}`);
  const page = await browser.newPage();
  await page.goto(`${hostOrigin}/?room=${encodeURIComponent(member.accessUrl)}`);
  await page.locator('openvidu-meet #invalid-link').waitFor();
  assert.equal(await page.locator('openvidu-meet #invalid-link').textContent(), 'This link is not valid');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await names(page), ['ready']);
  await page.close();
});
