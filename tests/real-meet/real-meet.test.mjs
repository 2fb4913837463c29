// The app against a real OpenVidu Meet (`make test-real-meet`, not part of
// `make test`): MEET_REAL_URL (e.g. http://127.0.0.1:9080/meet),
// MEET_REAL_API_KEY (default meet-api-key) and MEET_REAL_LIVEKIT_URL, the
// LIVEKIT_URL that Meet gives browsers (default ws://localhost:7880, Meet's
// own default). Where nothing answers at that address, a LiveKit stand-in
// (livekit-standin.mjs) takes it: enough for Meet to issue a joining token,
// and a record of the browser's connection attempts, which it refuses.
//
// 1. The black-box API suite (tests/lib/api-suite.mjs) through lighttpd.
// 2. In Chromium with a fake camera and microphone, with no policy violation
//    at any step: create a room, add a member, Join; Meet's lobby inside the
//    page, nothing drawn outside the meeting area; the lobby's Back returns to
//    the members view; Join again, "Join Meeting", the device setup (virtual
//    backgrounds offered: WebAssembly compiled), "Join"; the connection goes
//    to LiveKit's address (websocket, then HTTP), unblocked; the members view
//    says why the meeting was not reached, with Try again; the page may play
//    Meet's sounds; each `left` reason read in words; with OV_LIVEKIT_URL
//    naming another address, the page names what was blocked and the
//    setting; removing the member makes its link refused.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, LAUNCH, api, memberItem } from '../lib/browser.mjs';
import { startApp } from '../lib/stack.mjs';
import { defineApiSuite } from '../lib/api-suite.mjs';
import { assertNothingOutsideMeetingArea } from '../lib/screenshots.mjs';
import { startLiveKitStandin } from './livekit-standin.mjs';

const MEET_URL = (process.env.MEET_REAL_URL || '').replace(/\/+$/, '');
const API_KEY = process.env.MEET_REAL_API_KEY || 'meet-api-key';
const LIVEKIT_URL = (process.env.MEET_REAL_LIVEKIT_URL || 'ws://localhost:7880').replace(/\/+$/, '');
const skip = MEET_URL ? false : 'MEET_REAL_URL names no OpenVidu Meet';
// The real component is a 5 MB Angular bundle, and Meet answers at its own pace.
const UI_TIMEOUT = 30_000;
// The app goes back to the members view this long after a `left` (LEFT_GRACE_MS).
const LEFT_GRACE_MS = 3000;

// Meet's stand-in for the API suite: the real one has no request log.
const meet = { url: MEET_URL, origin: MEET_URL && new URL(MEET_URL).origin, readLog: () => [] };

if (MEET_URL) {
  defineApiSuite(`the API suite against the real OpenVidu Meet at ${MEET_URL}`, {
    async start() {
      const app = await startApp({ meetUrl: MEET_URL, apiKey: API_KEY, livekitUrl: LIVEKIT_URL });
      return { app, emu: meet, apiKey: API_KEY, basePath: '', livekitUrl: LIVEKIT_URL };
    },
    async stop(stack) { await stack?.app.stop(); },
  });
}

/**
 * The boxes of what the component paints with position: fixed (background,
 * border, shadow, text or media), through all its shadow trees. Transparent
 * wrappers are left out: Angular CDK's overlay popovers span the viewport
 * (the top layer, which no containment reaches) but paint nothing themselves.
 */
function fixedBoxes(page) {
  return page.locator('#meeting-container openvidu-meet').evaluate((host) => {
    const boxes = [];
    const paints = (node, style) => {
      if (style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
      const background = style.backgroundColor !== 'transparent' && !/, 0\)$/.test(style.backgroundColor);
      const border = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none';
      const text = [...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim());
      return background || border || text || style.boxShadow !== 'none' || /^(img|video|canvas|svg)$/i.test(node.tagName);
    };
    const walk = (root) => {
      for (const node of root.querySelectorAll('*')) {
        const style = getComputedStyle(node);
        const box = node.getBoundingClientRect();
        if (style.position === 'fixed' && box.width > 0 && box.height > 0 && paints(node, style)) {
          boxes.push({ tag: node.tagName.toLowerCase(), cls: String(node.className).slice(0, 60),
            x: box.x, y: box.y, right: box.right, bottom: box.bottom });
        }
        if (node.shadowRoot) walk(node.shadowRoot);
      }
    };
    walk(host.shadowRoot);
    return boxes;
  });
}

// Nothing of the component outside #meeting-container: what it paints with
// position: fixed is inside, and the page outside the meeting area looks
// the same with the component as with it hidden (tests/lib/screenshots.mjs;
// top-layer popovers included).
async function assertInsideMeetingArea(page, step) {
  const area = await page.locator('#meeting-container').boundingBox();
  for (const box of await fixedBoxes(page)) {
    assert.ok(box.x >= area.x - 1 && box.y >= area.y - 1 && box.right <= area.x + area.width + 1
      && box.bottom <= area.y + area.height + 1, `${step}: ${JSON.stringify(box)} is outside ${JSON.stringify(area)}`);
  }
  await assertNothingOutsideMeetingArea(page, step);
}

describe(`joining through the real WebComponent of ${MEET_URL || '(no Meet)'}`, { skip }, () => {
  let app, livekit, browser, page, room, member;
  const violations = () => page.evaluate(() => window.violations);

  before(async () => {
    livekit = await startLiveKitStandin(LIVEKIT_URL);
    app = await startApp({ meetUrl: MEET_URL, apiKey: API_KEY, livekitUrl: LIVEKIT_URL });
    // A fake camera and microphone, granted; WebGL in software, as virtual
    // backgrounds need it (LAUNCH turns the GPU off).
    browser = await chromium.launch({
      ...LAUNCH,
      args: [...LAUNCH.args.filter((flag) => flag !== '--disable-gpu'), '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await context.grantPermissions(['camera', 'microphone'], { origin: app.url });
    // Every page of the context records policy violations and the component's events.
    await context.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }), true);
      // What the component tells its host page, from the element's creation on.
      window.meetEvents = [];
      const define = customElements.define.bind(customElements);
      customElements.define = (name, constructor, options) => {
        if (name === 'openvidu-meet') {
          const connected = constructor.prototype.connectedCallback;
          constructor.prototype.connectedCallback = function connectedCallback() {
            for (const event of ['ready', 'joined', 'left', 'closed']) {
              this.addEventListener(event, (e) => window.meetEvents.push({ event, detail: e.detail ?? null }));
            }
            return connected?.call(this);
          };
        }
        return define(name, constructor, options);
      };
    });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('dialog', (dialog) => dialog.accept());
  });

  after(async () => {
    if (room) await api(app, 'DELETE', `rooms/${room.roomId}`).catch(() => {});
    await browser?.close();
    await app?.stop();
    await livekit?.stop();
  });

  test('create a room and add a member through the page', async () => {
    await page.goto(app.url + '/');
    await page.fill('#room-name', 'Real Meet check');
    await page.press('#room-name', 'Enter');
    const item = page.locator('#rooms-list > li', { hasText: 'Real Meet check' });
    await item.waitFor();
    room = { roomId: await item.getAttribute('data-room-id') };
    await item.locator('button[title="Manage members"]').click();
    await page.fill('#member-name', 'Alice');
    await page.selectOption('#member-role', 'moderator');
    await page.click('#add-member-button');
    await memberItem(page, 'Alice').waitFor();
    member = (await api(app, 'GET', `rooms/${room.roomId}/members`)).json().members.find((m) => m.name === 'Alice');
    assert.ok(member.accessUrl.startsWith(`${MEET_URL}/room/${room.roomId}?secret=`), member.accessUrl);
  });

  test('Join: Meet\'s lobby inside the page, nothing outside the meeting area, no policy violation', async () => {
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    await page.locator('#room').waitFor({ state: 'visible' });
    const lobby = page.locator('#meeting-container openvidu-meet #participant-name-input');
    await lobby.waitFor();
    assert.equal(await page.locator('#meeting-container openvidu-meet .room-title').textContent(), 'Real Meet check');
    assert.equal(await lobby.inputValue(), 'Alice');
    assert.equal(await page.locator('iframe').count(), 0, 'the real 3.8 component is not an iframe');
    await page.screenshot({ path: join(ARTIFACTS, 'real-meet-lobby.png') });
    await assertInsideMeetingArea(page, 'lobby');
    assert.deepEqual(await violations(), []);
  });

  test('the lobby\'s Back (the component\'s `closed`) returns to the members view', async () => {
    await page.locator('#meeting-container openvidu-meet button.quick-action-button').click();
    await page.locator('#members').waitFor({ state: 'visible' });
    assert.equal(await page.locator('openvidu-meet').count(), 0);
    assert.equal(await page.locator('#meeting-error').isVisible(), false);
    assert.ok((await page.evaluate(() => window.meetEvents)).some((e) => e.event === 'closed'));
    assert.deepEqual(await violations(), []);
  });

  test('Join Meeting: the device setup, with virtual backgrounds offered (WebAssembly allowed)', async () => {
    await memberItem(page, 'Alice').locator('button[title="Join"]').click();
    await page.locator('#meeting-container openvidu-meet #participant-name-submit').click();
    await page.locator('#meeting-container openvidu-meet #prejoin-container').waitFor();
    await page.locator('#meeting-container openvidu-meet #backgrounds-button').click();
    await page.locator('#meeting-container openvidu-meet #background-effects-container').waitFor();
    assert.equal(await page.locator('#meeting-container openvidu-meet .not-supported-message').count(), 0,
      'virtual backgrounds say "not supported in this browser"');
    await page.screenshot({ path: join(ARTIFACTS, 'real-meet-device-setup.png') });
    await assertInsideMeetingArea(page, 'device setup');
    // The panel's tooltips cover its own close button: the click goes to the button itself.
    await page.locator('#meeting-container openvidu-meet #background-effects-container .panel-close-button')
      .evaluate((button) => button.click());
    // (the panel stays in the page, folded away)
    await page.locator('#meeting-container openvidu-meet .vb-container.expanded').waitFor({ state: 'detached' });
    assert.deepEqual(await violations(), []);
  });

  test('Join: the connection goes to LiveKit\'s address, unblocked; the page says why the meeting was not reached', async () => {
    await page.locator('#meeting-container openvidu-meet #join-button').click();
    await page.locator('#members').waitFor({ state: 'visible', timeout: UI_TIMEOUT + LEFT_GRACE_MS });
    assert.deepEqual(await violations(), [], 'LiveKit\'s address was blocked');
    if (livekit) {
      const tried = livekit.requests().filter((r) => r.origin === app.url).map((r) => `${r.kind} ${r.path} ${r.token}`);
      assert.deepEqual(tried, ['websocket /rtc true', 'validate /rtc/validate true']);
      assert.ok(livekit.requests().some((r) => r.path === '/twirp/livekit.RoomService/ListRooms'), 'Meet asked LiveKit');
    }
    const left = (await page.evaluate(() => window.meetEvents)).filter((e) => e.event === 'left' || e.event === 'joined');
    assert.deepEqual(left.map((e) => [e.event, e.detail.reason]), [['left', 'unknown']]);
    await page.locator('#meeting-error').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#meeting-error-text'), 'Alice could not join the meeting: the connection to '
      + `its media server (LiveKit, ${LIVEKIT_URL} here) did not open.`);
    assert.equal(await page.locator('#meeting-retry').textContent(), 'Try again');
    await page.screenshot({ path: join(ARTIFACTS, 'real-meet-not-reached.png') });
  });

  test('the page may play Meet\'s sounds (media-src): one of its own files loads', async () => {
    const loaded = await page.evaluate((src) => new Promise((resolve) => {
      const audio = new Audio(src);
      audio.addEventListener('canplaythrough', () => resolve('loaded'), { once: true });
      audio.addEventListener('error', () => resolve('error'), { once: true });
    }), `${MEET_URL}/assets/sounds/chat-message.mp3`);
    assert.equal(loaded, 'loaded');
    assert.deepEqual(await violations(), []);
  });

  test('each `left` reason of the real component is said in words (events given to its element)', async () => {
    const words = {
      network_disconnect: /^The meeting of Alice ended: the connection to the meeting was lost/,
      server_shutdown: /^The meeting of Alice ended: the meeting server .* shut down\.$/,
      duplicate_identity: /^The meeting of Alice ended: the same member joined from another tab or device/,
      unknown: /^The meeting of Alice ended: OpenVidu Meet ended it without saying why\.$/,
    };
    for (const [reason, pattern] of Object.entries(words)) {
      await page.click('#meeting-retry').catch(() => memberItem(page, 'Alice').locator('button[title="Join"]').click());
      const element = page.locator('#meeting-container openvidu-meet');
      await element.locator('#participant-name-input').waitFor();
      // As the component would after a connection: `joined`, then `left`.
      await element.evaluate((el, why) => {
        const who = { roomId: 'r', participantIdentity: 'p' };
        el.dispatchEvent(new CustomEvent('joined', { detail: who }));
        el.dispatchEvent(new CustomEvent('left', { detail: { ...who, reason: why } }));
      }, reason);
      await page.locator('#meeting-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      assert.match(await page.textContent('#meeting-error-text'), pattern, reason);
    }
    assert.deepEqual(await violations(), []);
  });

  test('OV_LIVEKIT_URL naming another address: the page names what was blocked and the setting', async () => {
    const misconfigured = await startApp({ meetUrl: MEET_URL, apiKey: API_KEY, livekitUrl: 'ws://livekit.invalid:7880' });
    const other = await page.context().newPage();
    try {
      const bob = (await api(misconfigured, 'POST', `rooms/${room.roomId}/members`, { name: 'Bob', baseRole: 'speaker' })).json().member;
      await other.goto(`${misconfigured.url}/#rooms/${room.roomId}/members`);
      await memberItem(other, 'Bob').locator('button[title="Join"]').click();
      await other.locator('#meeting-container openvidu-meet #participant-name-submit').click();
      await other.locator('#meeting-container openvidu-meet #join-button').click();
      const blocked = other.locator('#meeting-blocked li').first();
      await blocked.waitFor();
      const livekit = new URL(LIVEKIT_URL);
      assert.equal(await blocked.textContent(), `The page’s security policy blocked ${livekit.protocol}//${livekit.host}/rtc `
        + '(connect-src). The policy admits LiveKit where OV_LIVEKIT_URL points (now ws://livekit.invalid:7880): set it '
        + `to the LiveKit address OpenVidu Meet gives (Meet’s LIVEKIT_URL), here ${livekit.protocol}//${livekit.host}.`);
      await other.screenshot({ path: join(ARTIFACTS, 'real-meet-blocked.png') });
      await other.locator('#meeting-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      assert.equal(await other.locator('#meeting-error-blocked li').first().textContent(), await blocked.textContent());
      const seen = await other.evaluate(() => window.violations);
      assert.ok(seen.length > 0 && seen.every((v) => v.directive === 'connect-src'), JSON.stringify(seen));
      await api(misconfigured, 'DELETE', `rooms/${room.roomId}/members/${bob.memberId}`);
    } finally {
      await other.close();
      await misconfigured.stop();
    }
  });

  test('removing the member makes its link refused', async () => {
    await memberItem(page, 'Alice').locator('button[title="Remove member"]').click();
    await page.locator('#members-empty').waitFor({ state: 'visible' });
    const secret = new URL(member.accessUrl).searchParams.get('secret');
    const answer = await fetch(`${MEET_URL}/internal-api/v1/rooms/${room.roomId}/members/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ secret, joinMeeting: false }),
    });
    assert.equal(answer.status, 404, await answer.text());
    assert.deepEqual(await violations(), []);
  });
});
