// What the browser tests share: Debian's Chromium (never a downloaded one),
// launched with the flags that work on a closed network, the folder the
// screenshots go to, the app's API and the members list's items.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-artifacts', 'browser');
mkdirSync(ARTIFACTS, { recursive: true });

export const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** The app's API, straight: {status, type, text, json()}. */
export async function api(app, method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(app.url + '/' + path, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') || '', text,
    json: () => JSON.parse(text) };
}

/** The members list item whose name is exactly name. */
export function memberItem(page, name) {
  return page.locator('#members-list > li').filter({
    has: page.locator('.member-name', { hasText: new RegExp('^' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$') }),
  });
}
