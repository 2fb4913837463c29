// The one way to start the Meet API emulator from Node: every suite (the
// emulator's own, the conformance replay, the app's server and browser
// suites, the load test) calls startEmulator here.
//
// The emulator runs as the leader of its own process group on a
// kernel-assigned port (or a given one), with its stdout and stderr in a
// temp dir; stop() ends the group and throws if a sanitizer build reported
// an error. Whatever is still running when Node exits is killed.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const emulatorRoot = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(emulatorRoot, '..');
export const API_KEY = 'meet-api-key';

const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const readText = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** The emulator binary: $MEET_EMULATOR_BIN, else build/meet-emulator. */
export function emulatorPath() {
  return process.env.MEET_EMULATOR_BIN || join(projectRoot, 'build/meet-emulator');
}

/**
 * Starts the emulator and waits for its "listening on" line.
 * options: naming 'released'|'tutorial', fault ('' | 'slow:MS' | 'status:CODE' |
 * 'garbage' | 'reset'), apiKey, env (extra variables), port (0: the kernel
 * picks; a number to come back on the port of an emulator that was stopped),
 * livekit (true: also answer LiveKit, on a port the kernel picks; false: no
 * LiveKit; a number: on that port), livekitUrl (what joining tokens name as
 * LiveKit's address; default the emulator's own LiveKit, else Meet's default).
 * → { url ('http://127.0.0.1:PORT/meet'), origin, port, livekitUrl,
 *     livekitListener ('ws://127.0.0.1:PORT' or null), logFile, stdout(),
 *     stderr(), readLog(), clearLog(), signal(name), exited, stop() }
 */
export async function startEmulator({
  naming = 'released', fault = '', apiKey = API_KEY, env = {}, port: wantedPort = 0,
  livekit = true, livekitUrl = '',
} = {}) {
  const bin = emulatorPath();
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run make`);
  const dir = mkdtempSync(join(tmpdir(), 'meet-emulator-'));
  const logFile = join(dir, 'requests.log');
  const outFile = join(dir, 'stdout.log');
  const errFile = join(dir, 'stderr.log');
  writeFileSync(logFile, '');
  const out = openSync(outFile, 'a');
  const err = openSync(errFile, 'a');
  const child = spawn(bin, [], {
    env: {
      ...process.env,
      MEET_EMULATOR_PORT: String(wantedPort),
      MEET_EMULATOR_HOST: '127.0.0.1',
      MEET_EMULATOR_NAMING: naming,
      MEET_EMULATOR_FAULT: fault,
      MEET_EMULATOR_LOG: logFile,
      OV_MEET_API_KEY: apiKey,
      MEET_EMULATOR_LIVEKIT_PORT: livekit === false ? '' : String(livekit === true ? 0 : livekit),
      MEET_EMULATOR_LIVEKIT_URL: livekitUrl,
      ...env,
    },
    cwd: dir,
    detached: true,
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  running.add(child);
  let exitInfo = null;
  const exited = new Promise((done) => child.once('exit', (code, signal) => {
    exitInfo = { code, signal };
    running.delete(child);
    done(exitInfo);
  }));

  // Output is read before the directory goes, for the error messages below.
  let stdout = '';
  let stderr = '';
  const collect = () => { stdout = readText(outFile) || stdout; stderr = readText(errFile) || stderr; };

  async function stopGroup() {
    if (!exitInfo) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      if ((await Promise.race([exited, sleep(5000).then(() => 'timeout')])) === 'timeout') {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    const result = await exited;
    collect();
    rmSync(dir, { recursive: true, force: true });
    return result;
  }

  const deadline = Date.now() + 10000;
  let url = null;
  let livekitListener = null;
  while (!url) {
    collect();
    const match = /^meet-emulator listening on (http:\/\/\S+)(?: livekit (ws:\/\/\S+))?\n/m.exec(stdout);
    if (match) [, url, livekitListener = null] = match;
    else if (exitInfo || Date.now() > deadline) {
      const info = exitInfo;
      await stopGroup();
      throw new Error(`meet-emulator (${bin}) ${info ? `exited (${info.code})` : 'did not start'}: ${stdout} ${stderr}`);
    } else await sleep(20);
  }
  const port = Number(new URL(url).port);

  return {
    url,
    origin: new URL(url).origin,
    port,
    livekitUrl: livekitUrl || livekitListener || 'ws://localhost:7880',
    livekitListener,
    logFile,
    stdout: () => { collect(); return stdout; },
    stderr: () => { collect(); return stderr; },
    /** Requests that reached the emulator: [{method, path, status}], path with its query. */
    readLog() {
      return readText(logFile).split('\n').filter(Boolean).map((line) => {
        const [method, path, status] = line.split(' ');
        return { method, path, status: Number(status) };
      });
    },
    clearLog() { writeFileSync(logFile, ''); },
    /** Sends a signal to the emulator itself (not its group). */
    signal(name) { child.kill(name); },
    exited,
    /** SIGTERM, SIGKILL after 5 s; resolves with {code, signal}; throws on a sanitizer report. */
    async stop() {
      const result = await stopGroup();
      if (/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(stderr)) {
        throw new Error(`meet-emulator reported a sanitizer error:\n${stderr}`);
      }
      return result;
    },
  };
}
