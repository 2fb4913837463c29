// make install into a temp DESTDIR: the files land where the README says,
// the installed server configuration runs from there, and make uninstall
// leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectRoot, startApp, startEmulator, webServers } from '../../lib/stack.mjs';

const PREFIX = '/opt/meet';

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => !statSync(f).isDirectory());
}

function make(...args) {
  execFileSync('make', ['-s', '--no-print-directory', '-C', projectRoot, `PREFIX=${PREFIX}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('make install, run the installed apache-fcgid configuration, make uninstall', async () => {
  const destdir = mkdtempSync(join(tmpdir(), 'meet-install-'));
  // The installed programs are run by their own user (meet-fcgi under root).
  chmodSync(destdir, 0o755);
  let emu;
  let app;
  try {
    make('install', `DESTDIR=${destdir}`);
    const root = join(destdir, PREFIX);
    const installed = filesUnder(root).map((f) => relative(root, f)).sort();
    for (const expected of ['lib/meet-fcgi/cgi-bin/rooms.fcgi', 'lib/meet-fcgi/cgi-bin/members.fcgi',
      'lib/meet-fcgi/cgi-bin/config.fcgi', 'share/meet-fcgi/htdocs/index.html', 'share/meet-fcgi/lighttpd.conf',
      'share/meet-fcgi/deploy/apache-fcgid.conf', 'share/meet-fcgi/deploy/apache-cgi.conf',
      'share/meet-fcgi/deploy/nginx.conf', 'share/meet-fcgi/deploy/serve.sh', 'share/meet-fcgi/deploy/lighttpd-auth.sh',
      'share/meet-fcgi/deploy/shared-hosting/htaccess', 'share/doc/meet-fcgi/env.example',
      'share/doc/meet-fcgi/README.md']) {
      assert.ok(installed.includes(expected), `${expected} not installed (got ${installed.join(', ')})`);
    }
    assert.equal(statSync(join(root, 'lib/meet-fcgi/cgi-bin/rooms.fcgi')).mode & 0o777, 0o755);
    assert.equal(statSync(join(root, 'share/meet-fcgi/htdocs/index.html')).mode & 0o777, 0o644);

    webServers['installed-apache-fcgid'] = { args: () => [join(root, 'share/meet-fcgi/deploy/serve.sh'), 'apache-fcgid'] };
    emu = await startEmulator({ apiKey: 'install-key' });
    app = await startApp({
      webServer: 'installed-apache-fcgid', meetUrl: emu.url, apiKey: 'install-key',
      env: { MEET_APP_ROOT: join(root, 'share/meet-fcgi'), MEET_CGI_DIR: join(root, 'lib/meet-fcgi/cgi-bin') },
    });
    const config = await fetch(`${app.url}/config`);
    assert.equal(config.status, 200);
    assert.equal((await config.json()).meetServerUrl, emu.url);
    const page = await fetch(`${app.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const rooms = await fetch(`${app.url}/rooms`);
    assert.equal(rooms.status, 200);
    await app.stop();
    app = null;

    make('uninstall', `DESTDIR=${destdir}`);
    assert.deepEqual(filesUnder(destdir), [], 'uninstall left files');
    assert.ok(!existsSync(join(root, 'share/meet-fcgi')), 'uninstall left share/meet-fcgi');
    assert.ok(!existsSync(join(root, 'lib/meet-fcgi')), 'uninstall left lib/meet-fcgi');
    assert.ok(!existsSync(join(root, 'share/doc/meet-fcgi')), 'uninstall left share/doc/meet-fcgi');
  } finally {
    await app?.stop();
    await emu?.stop();
    rmSync(destdir, { recursive: true, force: true });
  }
});
