// scripts/csp.sh writes the policy every configuration sends from two
// settings: only host and port characters of them may reach it, so a
// setting can never add a directive (';'), a quoted keyword or a source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../lib/stack.mjs';

function csp(origin, livekit = 'ws://localhost:7880') {
  return spawnSync(join(projectRoot, 'scripts/csp.sh'), [origin, livekit], { encoding: 'utf8' });
}

test('origins and LiveKit addresses with anything but host and port characters are refused', () => {
  for (const origin of ['http://x; script-src *', "http://a'unsafe-inline'", 'http://a b', 'http://a,b',
    'http://user@host', 'http://host/path', 'http://host:80x', 'javascript://x', 'http://host\n']) {
    const run = csp(origin);
    assert.equal(run.status, 2, origin);
    assert.equal(run.stdout, '', origin);
  }
  for (const livekit of ['ws://lk; default-src *', "ws://lk'", 'ws://lk x', 'http://lk', 'ws://user@lk']) {
    assert.equal(csp('http://localhost:9080', livekit).status, 2, livekit);
  }
});

test('good origins give a policy naming them and nothing else', () => {
  for (const [origin, livekit, socket] of [['http://localhost:9080', 'ws://localhost:7880', 'ws://localhost:9080'],
    ['https://meet.example.com', 'wss://meet.example.com', 'wss://meet.example.com'],
    ['http://[::1]:9080', 'ws://[::1]:7880/rtc', 'ws://[::1]:9080']]) {
    const run = csp(origin, livekit);
    assert.equal(run.status, 0, run.stderr);
    const policy = run.stdout.trim();
    assert.ok(policy.includes(`script-src 'self' ${origin} 'wasm-unsafe-eval';`), policy);
    assert.ok(policy.includes(socket), policy);
    assert.equal(policy.split(';').length, 13, policy);
  }
});
