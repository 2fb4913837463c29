// The shared-hosting bundle (make hosting-bundle) uploaded into /app/ of an
// Apache host that allows .htaccess and nothing else: plain CGI, routing by
// the bundle's rewrite rules, settings from a file outside the document root
// (the server's own environment holds a wrong key, and no PassEnv). Then the
// same black-box API suite as the matrix.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, chmodSync, chownSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp, webServers, projectRoot } from '../lib/stack.mjs';
import { defineApiSuite } from '../matrix/api-suite.mjs';

const API_KEY = 'hosting-api-key-52e8a0c6';
const bundle = process.env.HOSTING_BUNDLE || join(projectRoot, 'build/hosting/meet-fcgi');

webServers['hosting-apache'] = {
  args: () => [join(projectRoot, 'deploy/serve.sh'), 'apache', join(projectRoot, 'tests/hosting/host-apache.conf')],
};

// Uploads the bundle the way README.md says; returns the document root.
function upload(home, meetUrl) {
  const docroot = join(home, 'public_html');
  const app = join(docroot, 'app');
  mkdirSync(app, { recursive: true });
  cpSync(join(bundle, 'public'), app, { recursive: true });
  const envFile = join(home, 'meet-fcgi.env');
  const example = readFileSync(join(bundle, 'private/meet-fcgi.env.example'), 'utf8');
  writeFileSync(envFile, example
    .replace(/^OV_MEET_SERVER_URL=.*$/m, `OV_MEET_SERVER_URL=${meetUrl}`)
    .replace(/^OV_MEET_API_KEY=.*$/m, `OV_MEET_API_KEY=${API_KEY}`)
    .replace(/^APP_BASE_PATH=.*$/m, 'APP_BASE_PATH=/app'), { mode: 0o600 });
  const htaccess = join(app, '.htaccess');
  writeFileSync(htaccess, readFileSync(htaccess, 'utf8')
    .replace('/home/USER/meet-fcgi.env', envFile)
    .replaceAll('https://meet.example.com', new URL(meetUrl).origin));
  // Decoys a careless upload leaves behind: none may be served.
  writeFileSync(join(app, '.env'), `OV_MEET_API_KEY=${API_KEY}\n`);
  mkdirSync(join(app, '.git'));
  writeFileSync(join(app, '.git/config'), '[core]\n');
  // Root runs the test, Apache runs the programs as nobody (a host runs them
  // as the account's user): hand that user the home, as a host would.
  if (process.getuid() === 0) {
    chmodSync(home, 0o755);
    execFileSync('chown', ['-R', 'nobody:nogroup', home]);
  }
  return docroot;
}

defineApiSuite('shared hosting: bundle in /app/ under Apache with .htaccess (plain CGI)', {
  async start() {
    const emu = await startEmulator({ naming: 'released', apiKey: API_KEY });
    const home = mkdtempSync(join(tmpdir(), 'meet-hosting-'));
    try {
      const docroot = upload(home, emu.url);
      const app = await startApp({
        webServer: 'hosting-apache',
        meetUrl: emu.url,
        apiKey: 'not-the-key-the-host-environment-is-ignored',
        env: { HOSTING_DOCROOT: docroot },
      });
      return {
        app, emu, home, apiKey: API_KEY, basePath: '/app',
        secretPaths: ['/.env', '/.git/config', '/cgi-bin/rooms.cgi', '/cgi-bin/lib/libcjson.so.1',
          '/cgi-bin/.htaccess', '/meet-fcgi.env.example'],
      };
    } catch (error) {
      await emu.stop();
      rmSync(home, { recursive: true, force: true });
      throw error;
    }
  },
  async stop(stack) {
    await stack?.app.stop();
    await stack?.emu.stop();
    if (stack) rmSync(stack.home, { recursive: true, force: true });
  },
});

test('the bundled programs carry libfcgi and find cJSON and libqrencode beside them', () => {
  for (const program of ['rooms', 'members', 'config']) {
    const file = join(bundle, `public/cgi-bin/${program}.cgi`);
    const dynamic = execFileSync('readelf', ['-d', file], { encoding: 'utf8' });
    assert.ok(!/libfcgi/.test(dynamic), `${program}.cgi needs a shared libfcgi`);
    assert.match(dynamic, /RUNPATH.*\$ORIGIN\/lib/);
    const resolved = execFileSync('ldd', [file], { encoding: 'utf8' });
    for (const lib of resolved.split('\n').filter((line) => /libcjson|libqrencode/.test(line))) {
      assert.ok(lib.includes(join(bundle, 'public/cgi-bin/lib/')), `${program}.cgi: ${lib.trim()}`);
    }
  }
});
