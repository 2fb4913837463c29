// A stand-in for LiveKit's server, for the real-Meet suite where no LiveKit
// runs. It answers the Twirp RoomService calls OpenVidu Meet 3.8.0 makes
// before it issues a joining token (ListRooms, then CreateRoom for a new
// meeting; the rest of what Meet may call answers as an empty LiveKit
// would), and it records what a browser tries: the /rtc websocket and
// GET /rtc/validate, both refused with 503, since no media server is here.
//
//   const livekit = await startLiveKitStandin('ws://127.0.0.1:7880');
//   → null when something already listens there (a real LiveKit, say), else
//     { url, requests() → [{kind: 'twirp'|'websocket'|'validate'|'other',
//       method, path, origin, token (bool)}], stop() }
import { createServer } from 'node:http';

const NO_MEDIA = 'LiveKit stand-in of the meet-fcgi tests: no media server here\n';

// Twirp methods and their answers, as an empty LiveKit gives them.
function twirpAnswer(method, body, rooms) {
  switch (method) {
    case 'RoomService/ListRooms': {
      const names = Array.isArray(body.names) && body.names.length ? body.names : [...rooms.keys()];
      return { rooms: names.filter((name) => rooms.has(name)).map((name) => rooms.get(name)) };
    }
    case 'RoomService/CreateRoom': {
      const room = {
        sid: `RM_standin${rooms.size + 1}`, name: String(body.name || ''), emptyTimeout: body.emptyTimeout || 0,
        departureTimeout: body.departureTimeout || 0, creationTime: String(Math.floor(Date.now() / 1000)),
        metadata: String(body.metadata || ''), numParticipants: 0,
      };
      rooms.set(room.name, room);
      return room;
    }
    case 'RoomService/DeleteRoom':
      rooms.delete(String(body.room || ''));
      return {};
    case 'RoomService/ListParticipants':
      return { participants: [] };
    case 'RoomService/GetParticipant':
      return null; // not found: nobody ever joins here
    case 'RoomService/RemoveParticipant':
    case 'RoomService/UpdateParticipant':
    case 'RoomService/UpdateRoomMetadata':
    case 'RoomService/SendData':
      return {};
    case 'Egress/ListEgress':
      return { items: [] };
    case 'AgentDispatchService/ListDispatch':
      return { agentDispatches: [] };
    default:
      return undefined;
  }
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try { resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')); } catch { resolve({}); }
    });
  });
}

export async function startLiveKitStandin(livekitUrl) {
  const url = new URL(livekitUrl.replace(/^ws/, 'http'));
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
  const rooms = new Map();
  const log = [];
  const record = (kind, req) => log.push({
    kind, method: req.method, path: new URL(req.url, 'http://x').pathname,
    origin: req.headers.origin || null, token: new URL(req.url, 'http://x').searchParams.has('access_token'),
  });

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const twirp = /^\/twirp\/livekit\.(\w+\/\w+)$/.exec(path);
    if (twirp && req.method === 'POST') {
      record('twirp', req);
      const answer = twirpAnswer(twirp[1], await readBody(req), rooms);
      if (answer === undefined || answer === null) {
        const code = answer === null ? 'not_found' : 'bad_route';
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code, msg: `${twirp[1]}: ${code} (LiveKit stand-in)` }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
      return;
    }
    record(path === '/rtc/validate' ? 'validate' : 'other', req);
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
    res.end(NO_MEDIA);
  });
  // The browser's websocket: seen, then refused as an HTTP answer.
  server.on('upgrade', (req, socket) => {
    record('websocket', req);
    socket.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: ${NO_MEDIA.length}\r\n`
      + `Connection: close\r\n\r\n${NO_MEDIA}`);
  });

  const started = await new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(Number(url.port || 80), host, () => resolve(true));
  });
  if (!started) return null;
  return {
    url: livekitUrl,
    requests: () => log.slice(),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
