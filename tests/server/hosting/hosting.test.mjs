// The shared-hosting bundle (make hosting-bundle) uploaded into /app/ of an
// Apache host that allows .htaccess and nothing else: plain CGI, routing by
// the bundle's rewrite rules, settings from a file outside the document root
// (the server's own environment holds a wrong key, and no PassEnv): set up by
// tests/lib/hosting.mjs. Then the same black-box API suite as the matrix.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineApiSuite } from '../../lib/api-suite.mjs';
import { API_KEY, AUTH, BASE_PATH, bundle, startHosting, stopHosting } from '../../lib/hosting.mjs';

defineApiSuite('shared hosting: bundle in /app/ under Apache with .htaccess (plain CGI)', {
  async start() {
    const stack = await startHosting();
    return {
      ...stack, apiKey: API_KEY, basePath: BASE_PATH, auth: AUTH,
      secretPaths: ['/.env', '/.git/config', '/cgi-bin/rooms.cgi', '/cgi-bin/lib/libcjson.so.1',
        '/cgi-bin/.htaccess', '/meet-fcgi.env.example'],
    };
  },
  stop: stopHosting,
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
