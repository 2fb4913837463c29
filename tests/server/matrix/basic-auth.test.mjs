// HTTP basic auth in front of the UI and the API (docs/deployment.md):
// deploy/serve.sh turns it on when MEET_HTPASSWD names an htpasswd file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, startEmulator } from '../../lib/stack.mjs';

const USER = 'admin';
const PASSWORD = 'correct horse battery';

for (const webServer of ['apache-fcgid', 'apache-cgi', 'nginx']) {
  describe(`basic auth: ${webServer}`, () => {
    let emu;
    let app;
    let dir;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'meet-auth-'));
      chmodSync(dir, 0o755);
      const file = join(dir, 'htpasswd');
      // {SHA} is understood by both Apache and nginx.
      const digest = createHash('sha1').update(PASSWORD).digest('base64');
      writeFileSync(file, `${USER}:{SHA}${digest}\n`, { mode: 0o640 });
      emu = await startEmulator({ apiKey: 'auth-key' });
      app = await startApp({ webServer, meetUrl: emu.url, apiKey: 'auth-key', env: { MEET_HTPASSWD: file } });
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('no or wrong credentials: 401 on the page and the API; right ones pass', async () => {
      const good = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      const bad = `Basic ${Buffer.from(`${USER}:guess`).toString('base64')}`;
      for (const path of ['/', '/index.html', '/config', '/rooms']) {
        const anonymous = await fetch(app.url + path);
        assert.equal(anonymous.status, 401, path);
        assert.match(anonymous.headers.get('www-authenticate'), /^Basic /);
        assert.equal(anonymous.headers.get('x-content-type-options'), 'nosniff');
        assert.equal((await fetch(app.url + path, { headers: { authorization: bad } })).status, 401, path);
        assert.equal((await fetch(app.url + path, { headers: { authorization: good } })).status, 200, path);
      }
    });
  });
}
