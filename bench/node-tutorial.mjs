// The comparison point of `make bench-node`: a Node.js/Express server with
// the tutorial's room and member endpoints as its text describes them
// (Express, fetch to Meet with X-API-KEY, the answer passed on), written for
// the benchmark, not the tutorial's own file. Not part of the app.
//   PORT, OV_MEET_SERVER_URL, OV_MEET_API_KEY
import express from 'express';

const meet = `${process.env.OV_MEET_SERVER_URL}/api/v1`;
const headers = { 'X-API-KEY': process.env.OV_MEET_API_KEY || 'meet-api-key', 'Content-Type': 'application/json' };

async function meetRequest(method, path, body) {
  const response = await fetch(`${meet}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw Object.assign(new Error(json.message || 'Meet error'), { status: response.status });
  return json;
}

const app = express();
app.use(express.json());

app.get('/rooms', async (req, res) => {
  try {
    const { rooms } = await meetRequest('GET', '/rooms');
    res.status(200).json({ rooms });
  } catch (error) {
    res.status(error.status || 500).json({ message: error.message });
  }
});

app.get('/rooms/:roomId/members', async (req, res) => {
  try {
    const { members } = await meetRequest('GET', `/rooms/${req.params.roomId}/members?type=external`);
    res.status(200).json({ members });
  } catch (error) {
    res.status(error.status || 500).json({ message: error.message });
  }
});

app.post('/rooms/:roomId/members', async (req, res) => {
  const { name, baseRole } = req.body;
  try {
    const member = await meetRequest('POST', `/rooms/${req.params.roomId}/members`, { name, baseRole });
    res.status(201).json({ message: `Member '${name}' added successfully`, member });
  } catch (error) {
    res.status(error.status || 500).json({ message: error.message });
  }
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`node-tutorial listening on http://127.0.0.1:${server.address().port}`);
});
