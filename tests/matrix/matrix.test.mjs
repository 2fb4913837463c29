// The deployment matrix: each web server configuration in turn (lighttpd
// FastCGI and CGI, Apache mod_fcgid and mod_cgid, nginx + spawn-fcgi),
// started on a free port with the Meet API emulator, runs the same
// black-box API suite. MATRIX_SERVERS=a,b narrows it.
import { startEmulator, startApp } from '../lib/stack.mjs';
import { defineApiSuite } from './api-suite.mjs';

const API_KEY = 'matrix-api-key-7c1d9e4b5a';
const servers = (process.env.MATRIX_SERVERS || 'lighttpd,lighttpd-cgi,apache-fcgid,apache-cgi,nginx').split(',');

for (const webServer of servers) {
  defineApiSuite(`deployment matrix: ${webServer}`, {
    async start() {
      const emu = await startEmulator({ naming: 'released', apiKey: API_KEY });
      try {
        const app = await startApp({ webServer, meetUrl: emu.url, apiKey: API_KEY });
        return { app, emu, apiKey: API_KEY, basePath: '' };
      } catch (error) {
        await emu.stop();
        throw error;
      }
    },
    async stop(stack) {
      await stack?.app.stop();
      await stack?.emu.stop();
    },
  });
}
