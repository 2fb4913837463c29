// GET /rooms/{roomId}/members.csv through a real lighttpd (FastCGI and
// plain CGI) against the Meet emulator: the links of every external member,
// every page of Meet's list, as a file a spreadsheet opens correctly and
// safely, compared byte for byte.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, startApp } from '../../lib/stack.mjs';
import { call, meet } from '../../lib/http.mjs';

const COUNT = 105;
// Names as Meet may hold them (made there, not through this app): RFC 4180
// specials, formulas, line breaks, non-ASCII.
const TRICKY = [
  'Smith, John',
  'Ann "Nan" Lee',
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(1,2)',
  '-2+3',
  '@cmd',
  '\tTabbed',
  '\rReturn',
  'Two\nLines',
  'José Müller',
  '会议室 Ünïcödé 😀',
  "O'Brien; x=1",
];

/** The answer with its body as bytes. */
async function fetchBytes(app, path, init = {}) {
  const response = await fetch(app.url + path, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes };
}

// The CSV the endpoint must send for these members, built independently.
function expectedCsv(members) {
  const cell = (text = '') => {
    const guarded = /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
    return /[",\r\n]/.test(guarded) ? '"' + guarded.replaceAll('"', '""') + '"' : guarded;
  };
  const rows = [['name', 'role', 'link'], ...members.map((m) => [m.name, m.baseRole, m.accessUrl])];
  return Buffer.from('\uFEFF' + rows.map((row) => row.map(cell).join(',') + '\r\n').join(''), 'utf8');
}

for (const webServer of ['lighttpd', 'lighttpd-cgi']) {
  describe(`GET /rooms/{roomId}/members.csv (${webServer})`, () => {
    let emu;
    let app;
    let roomId;
    let emptyRoomId;

    before(async () => {
      emu = await startEmulator({ naming: 'released' });
      app = await startApp({ webServer, meetUrl: emu.url });
      // Seeded straight into the emulator: quicker, and it takes names this app would refuse.
      roomId = (await meet(emu, 'POST', '/rooms', { roomName: 'Big Class' })).json.roomId;
      emptyRoomId = (await meet(emu, 'POST', '/rooms', { roomName: 'Empty' })).json.roomId;
      for (let i = 0; i < COUNT; i++) {
        const name = i < TRICKY.length ? TRICKY[i] : `Guest ${i}`;
        const baseRole = i % 7 === 0 ? 'moderator' : 'speaker';
        const r = await meet(emu, 'POST', `/rooms/${roomId}/members`, { name, baseRole });
        assert.equal(r.status, 201, JSON.stringify(r.json));
      }
    });
    after(async () => {
      await app?.stop();
      await emu?.stop();
    });

    test(`all ${COUNT} members over two Meet pages, byte for byte, with the download headers`, async () => {
      const list = await call(app, 'GET', `/rooms/${roomId}/members`);
      assert.equal(list.status, 200);
      assert.equal(list.json.members.length, COUNT);

      emu.clearLog();
      const r = await fetchBytes(app, `/rooms/${roomId}/members.csv`);
      assert.equal(r.status, 200, r.bytes.toString());
      assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(r.headers.get('content-disposition'), `attachment; filename="${roomId}-members.csv"`);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(Number(r.headers.get('content-length') ?? r.bytes.length), r.bytes.length);
      assert.deepEqual(r.bytes, expectedCsv(list.json.members));

      // Two pages of Meet's list, asked for as GET members asks.
      const pages = emu.readLog();
      assert.equal(pages.length, 2, JSON.stringify(pages));
      assert.ok(pages.every((p) => p.method === 'GET' && p.status === 200
        && p.path.startsWith(`/meet/api/v1/rooms/${roomId}/members?`) && /[?&]type=identified_guest(&|$)/.test(p.path)));
      assert.match(pages[1].path, /[?&]nextPageToken=[^&]+/);
    });

    test('quoting, the byte-order mark, the formula guard and non-ASCII, spelled out', async () => {
      const r = await fetchBytes(app, `/rooms/${roomId}/members.csv`);
      assert.deepEqual([...r.bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
      const text = r.bytes.toString('utf8');
      assert.ok(text.startsWith('\uFEFFname,role,link\r\n'));
      const rows = text.slice(1);
      for (const needle of [
        '\r\n"Smith, John",',
        '\r\n"Ann ""Nan"" Lee",',
        '\r\n"\'=HYPERLINK(""http://evil.example"",""click"")",',
        '\r\n"\'+SUM(1,2)",',
        "\r\n'-2+3,",
        "\r\n'@cmd,",
        "\r\n'\tTabbed,",
        '\r\n"\'\rReturn",',
        '\r\n"Two\nLines",',
        '\r\nJosé Müller,',
        '\r\n会议室 Ünïcödé 😀,',
        "\r\nO'Brien; x=1,",
      ]) assert.ok(rows.includes(needle), `missing ${JSON.stringify(needle)}`);
      // No cell starts with a formula character, outside quotes or inside them.
      assert.ok(!/(^|,|\r\n)"?[=+\-@]/.test(rows), 'a cell starts like a formula');
    });

    test('an empty room is the header row alone', async () => {
      const r = await fetchBytes(app, `/rooms/${emptyRoomId}/members.csv`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.bytes, Buffer.from('\uFEFFname,role,link\r\n', 'utf8'));
      assert.equal(r.headers.get('content-disposition'), `attachment; filename="${emptyRoomId}-members.csv"`);
    });

    test('a room Meet does not know: Meet\'s 404 as our JSON error, no file', async () => {
      const r = await call(app, 'GET', '/rooms/no-such-room/members.csv');
      assert.equal(r.status, 404);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.match(r.json.message, /no-such-room/);
      assert.equal(r.headers.get('content-disposition'), null);
    });

    test('a bad room id or another method never reaches Meet', async () => {
      emu.clearLog();
      const bad = await call(app, 'GET', '/rooms/bad.id/members.csv');
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /roomId/);
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const r = await call(app, method, `/rooms/${roomId}/members.csv`, { body: {} });
        assert.equal(r.status, 405, `${method}: ${r.text}`);
        assert.equal(r.headers.get('allow'), 'GET');
      }
      assert.deepEqual(emu.readLog(), []);
    });

    test('the members list and the other routes are unchanged', async () => {
      const r = await call(app, 'GET', `/rooms/${roomId}/members`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.equal((await call(app, 'GET', `/rooms/${roomId}/members.json`)).status, 404);
    });
  });
}
