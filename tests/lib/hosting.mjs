// The shared-hosting deployment both hosting suites use (not a test file:
// node --test runs only *.test.* files of this directory): the bundle (make
// hosting-bundle) uploaded into /app/ of an Apache host that allows .htaccess
// and nothing else: plain CGI, routing by the bundle's rewrite rules,
// settings from a file outside the document root (the server's own
// environment holds a wrong key, and no PassEnv).
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, startApp, webServers, projectRoot, writeHtpasswd } from './stack.mjs';

export const API_KEY = 'hosting-api-key-52e8a0c6';
export const BASE_PATH = '/app';
/** The login the bundle's .htaccess asks for (basic auth is on by default). */
export const AUTH = { username: 'admin', password: 'hosting password 4d1e' };
export const bundle = process.env.HOSTING_BUNDLE || join(projectRoot, 'build/hosting/meet-fcgi');

webServers['hosting-apache'] = {
  args: () => [join(projectRoot, 'deploy/serve.sh'), 'apache', join(projectRoot, 'tests/server/hosting/host-apache.conf')],
};

// Uploads the bundle the way README.md says; returns the document root.
export function upload(home, meetUrl) {
  const docroot = join(home, 'public_html');
  const app = join(docroot, 'app');
  mkdirSync(app, { recursive: true });
  cpSync(join(bundle, 'public'), app, { recursive: true });
  const envFile = join(home, 'meet-fcgi.env');
  const example = readFileSync(join(bundle, 'private/meet-fcgi.env.example'), 'utf8');
  writeFileSync(envFile, example
    .replace(/^OV_MEET_SERVER_URL=.*$/m, `OV_MEET_SERVER_URL=${meetUrl}`)
    .replace(/^OV_MEET_API_KEY=.*$/m, `OV_MEET_API_KEY=${API_KEY}`)
    .replace(/^APP_BASE_PATH=.*$/m, `APP_BASE_PATH=${BASE_PATH}`), { mode: 0o600 });
  // The password file as the bundle's steps say (htpasswd; {SHA} is one of
  // the formats it writes), outside the document root.
  const htpasswd = writeHtpasswd(join(home, 'meet-fcgi.htpasswd'), AUTH, 0o600);
  const htaccess = join(app, '.htaccess');
  writeFileSync(htaccess, readFileSync(htaccess, 'utf8')
    .replace('/home/USER/meet-fcgi.env', envFile)
    .replaceAll('/home/USER/meet-fcgi.htpasswd', htpasswd)
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

// The emulator, a fresh home with the bundle uploaded, and the host's Apache
// serving it: { emu, app, home }. Stop it with stopHosting.
export async function startHosting() {
  const emu = await startEmulator({ naming: 'released', apiKey: API_KEY });
  const home = mkdtempSync(join(tmpdir(), 'meet-hosting-'));
  try {
    const docroot = upload(home, emu.url);
    const app = await startApp({
      webServer: 'hosting-apache',
      meetUrl: emu.url,
      apiKey: 'not-the-key-the-host-environment-is-ignored',
      // The host's account user; here nobody, who owns the uploaded home.
      env: { HOSTING_DOCROOT: docroot, MEET_RUN_USER: 'nobody' },
    });
    return { emu, app, home };
  } catch (error) {
    await emu.stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

export async function stopHosting(stack) {
  await stack?.app.stop();
  await stack?.emu.stop();
  if (stack) rmSync(stack.home, { recursive: true, force: true });
}
