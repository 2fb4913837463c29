// The shared-hosting bundle writes its Content-Security-Policy in its own
// .htaccess (a shared host runs no script): it must stay the policy
// scripts/csp.sh prints for its placeholders, Meet at https://meet.example.com
// with LiveKit on the same host (OV_LIVEKIT_URL of its settings example).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, projectRoot } from '../../lib/stack.mjs';

const read = (path) => readFileSync(join(projectRoot, path), 'utf8');

test('deploy/shared-hosting/htaccess sends what scripts/csp.sh prints for its placeholders', () => {
  const livekit = /^OV_LIVEKIT_URL=(.*)$/m.exec(read('deploy/shared-hosting/meet-fcgi.env.example'))?.[1];
  assert.equal(livekit, 'wss://meet.example.com');
  const line = /^\s*Header always set Content-Security-Policy "([^"]*)"$/m.exec(read('deploy/shared-hosting/htaccess'));
  assert.ok(line, 'no Content-Security-Policy line in the .htaccess');
  assert.equal(line[1], contentSecurityPolicy('https://meet.example.com', livekit));
});
