// meet-fcgi frontend: rooms (home view), the external members of a room
// (members view) and the embedded meeting (room view), as the tutorial's
// public/js/app.js, against the app API described in HACKING.md.
//
// Every piece of data reaches the page through textContent, attributes or
// properties; no HTML is built from strings (the CSP forbids inline scripts,
// so an injected handler would not run anyway, but it must not even appear).
// API paths are relative so the app also works from a subdirectory.
//
// Back, Forward and reload follow the views through the URL's hash only (the
// page is static and may live in a subdirectory, so no pushState paths):
// no hash is home, #rooms/{roomId}/members the members view of a room and
// #rooms/{roomId}/members/meeting the embedded meeting. The hash is untrusted
// input: it names a room only after the backend's id allow-list accepts it.
'use strict';

const ROLES = ['speaker', 'moderator'];
const COPIED_MS = 1500;
// The close events of every WebComponent release (3.8 fires `closed`; later
// ones add `meetingClosed` and `embeddedCloseRequested`); `left` only ends our
// view if no close event follows it within LEFT_GRACE_MS.
const CLOSE_EVENTS = ['closed', 'meetingClosed', 'embeddedCloseRequested'];
const LEAVE_EVENTS = ['left', 'meetingLeft'];
const LEFT_GRACE_MS = 3000;
const JOINED_EVENTS = ['joined', 'meetingJoined'];
// `left` reasons (3.8's LeftEventReason) the person did not choose: the
// members view then says what happened, keeps it on screen and offers to
// join again. A `left` before any `joined` means the meeting was never reached.
const LEFT_PROBLEMS = {
  network_disconnect: 'the connection to the meeting was lost (check this device’s network)',
  server_shutdown: 'the meeting server (OpenVidu Meet or its media server) shut down',
  duplicate_identity: 'the same member joined from another tab or device, which took this place',
  unknown: 'OpenVidu Meet ended it without saying why',
};
// How the other reasons read, after the member's name.
const LEFT_NOTES = {
  participant_kicked: ' was removed from the meeting by a moderator.',
  meeting_ended: '’s meeting was ended for everyone.',
  meeting_ended_by_self: ' ended the meeting for everyone.',
};
const COMPONENT_TIMEOUT_MS = 15000;
const ICONS = 'images/icons.svg';
// The backend's allow-list for ids (lib/validate.c, validate_id).
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
const BAD_ADDRESS = 'This address does not name a room. Choose one from the list.';
// The backend's rule for a member's name (lib/validate.c, take_name).
const NAME_MAX_CHARS = 50;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// Adding a group: at most GROUP_MAX_NAMES lines, GROUP_PARALLEL requests at
// a time (100 names in a few seconds without flooding Meet).
const GROUP_MAX_NAMES = 100;
const GROUP_PARALLEL = 4;
const ROLE_SUFFIX = /^(.*?)\s*,\s*(moderator|speaker)$/i;
// The rooms filter appears once the list is longer than this.
const FILTER_MIN_ROOMS = 6;

const state = {
  rooms: new Map(),    // roomId → room, in the order the backend lists them
  room: null,          // the room whose members view is open
  members: new Map(),  // memberId → member of state.room
  config: null,        // promise of GET config, kept once it succeeds
  settings: null,      // what GET config answered: Meet's and LiveKit's addresses
  violations: [],      // what the page's policy blocked since the last Join, in words
  webComponent: null,  // promise that the <openvidu-meet> element is defined
  meeting: null,       // { element, member, ended, leftTimer, joined, leftReason } in the room view
  back: null,          // promise of the popstate of our pending history.back()
  group: null,         // { room, stopped } while a group of members is being added
};

let backDone = null;   // resolves state.back

const byId = (id) => document.getElementById(id);

/* ---------- HTTP ---------- */

// Sends one request to the app API. Resolves to { status, data } on 2xx and
// rejects with an Error carrying the backend's message otherwise.
async function send(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new Error('Cannot reach the server. Check the connection and try again.');
  }
  let data = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    data = await response.json().catch(() => null);
  }
  if (!response.ok) {
    const message = data && typeof data.message === 'string' && data.message
      ? data.message
      : 'The server answered ' + response.status + (response.statusText ? ' ' + response.statusText : '') + '.';
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return { status: response.status, data: data || {} };
}

async function request(method, path, body) {
  return (await send(method, path, body)).data;
}

function roomPath(roomId) {
  return 'rooms/' + encodeURIComponent(roomId);
}

function memberPath(roomId, memberId) {
  return roomPath(roomId) + '/members/' + encodeURIComponent(memberId);
}

/* ---------- small DOM helpers ---------- */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', ICONS + '#' + name);
  svg.append(use);
  return svg;
}

function setIcon(button, name) {
  const use = button.querySelector('use');
  if (use) use.setAttribute('href', ICONS + '#' + name);
}

// A button with an icon, an exact title (the tutorial's, tests use it), an
// accessible name that says which item it acts on, and optional visible text.
function iconButton({ iconName, title, label, text, className }) {
  const button = el('button', 'btn ' + (text ? '' : 'btn-icon ') + (className || ''));
  button.type = 'button';
  button.title = title;
  button.setAttribute('aria-label', label || title);
  button.append(icon(iconName));
  if (text) button.append(el('span', '', text));
  return button;
}

// Disables the controls while task runs, with a spinner on the first one.
async function whileBusy(controls, task) {
  const [main] = controls;
  for (const control of controls) control.disabled = true;
  main.classList.add('is-busy');
  main.setAttribute('aria-busy', 'true');
  try {
    return await task();
  } finally {
    for (const control of controls) control.disabled = false;
    main.classList.remove('is-busy');
    main.removeAttribute('aria-busy');
  }
}

function say(statusId, text, isError) {
  const node = byId(statusId);
  node.textContent = text;
  node.classList.toggle('form-error', Boolean(isError));
}

function showFormError(input, errorId, message) {
  const node = byId(errorId);
  node.textContent = message;
  node.hidden = !message;
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
}

function showView(name, focusHeading = true) {
  for (const view of ['home', 'members', 'room']) byId(view).hidden = view !== name;
  if (focusHeading) byId(name + '-title').focus();
}

function roleOf(member) {
  return ROLES.includes(member.baseRole) ? member.baseRole : 'unknown';
}

/* ---------- History: the views in the URL's hash ---------- */

function homeUrl() {
  return location.pathname + location.search;
}

function membersHash(roomId) {
  return '#rooms/' + encodeURIComponent(roomId) + '/members';
}

// The route the hash names: { view: 'home' | 'members' | 'meeting', roomId },
// or null when it is malformed or its room id breaks the allow-list.
function readRoute(hash) {
  const text = hash.replace(/^#/, '');
  if (!text) return { view: 'home' };
  const parts = text.split('/');
  const meeting = parts.length === 4 && parts[3] === 'meeting';
  if (parts[0] !== 'rooms' || parts[2] !== 'members' || (parts.length !== 3 && !meeting)) return null;
  let roomId;
  try {
    roomId = decodeURIComponent(parts[1]);
  } catch {
    return null;
  }
  if (!ID_PATTERN.test(roomId)) return null;
  return { view: meeting ? 'meeting' : 'members', roomId };
}

// history.back() is asynchronous: whoever pushes an entry waits for its
// popstate first, or the back would undo the new entry instead; and a second
// back before it arrives (a double click) would leave the app.
function goBack() {
  if (!state.back) {
    state.back = new Promise((resolve) => { backDone = resolve; });
    history.back();
  }
  return state.back;
}

function backArrived() {
  if (!backDone) return;
  backDone();
  backDone = null;
  state.back = null;
}

// Shows the view the hash names (Back, Forward, reload, a typed address).
// popstate and hashchange may both come for one change: showing what is
// already shown does nothing.
function followLocation(atStart) {
  const focus = !atStart;
  const route = readRoute(location.hash);
  if (!route) {
    leaveToHome(BAD_ADDRESS, focus);
    return;
  }
  const meeting = state.meeting;
  // Back from the meeting lands on its members entry: end the meeting there.
  if (meeting && !(route.view === 'meeting' && state.room.roomId === route.roomId)) endMeeting(meeting);
  if (route.view === 'home') {
    if (atStart || state.room || byId('home').hidden) showHome(focus);
    return;
  }
  if (route.view === 'meeting' && !state.meeting) {
    // A meeting is not resumed from the address (reload, Forward): its room's members view instead.
    history.replaceState({ view: 'members', roomId: route.roomId }, '', membersHash(route.roomId));
  }
  if (state.room && state.room.roomId === route.roomId) return;
  openMembersFromAddress(route.roomId, focus);
}

// Home with a message, in place of an address that names no room.
function leaveToHome(message, focus) {
  history.replaceState(null, '', homeUrl());
  if (state.meeting) endMeeting(state.meeting);
  showHome(focus);
  say('rooms-status', message, true);
}

// The members view of a room known only by its id: the id stands for its
// name until GET rooms says it, or says there is no such room.
async function openMembersFromAddress(roomId, focus) {
  const room = state.rooms.get(roomId) || { roomId };
  showMembers(room, focus);
  if (room.roomName) return;
  const loaded = await loadRooms();
  if (state.room !== room) return;
  const known = state.rooms.get(roomId);
  if (known) {
    room.roomName = known.roomName;
    byId('members-room-name').textContent = room.roomName || roomId;
  } else if (loaded) {
    leaveToHome('There is no room “' + roomId + '”. Choose one from the list.', focus);
  }
}

/* ---------- Home view: rooms ---------- */

// Resolves to whether the rooms could be loaded.
async function loadRooms() {
  byId('rooms-error').hidden = true;
  byId('rooms-empty').hidden = true;
  byId('rooms-loading').hidden = false;
  byId('rooms-list').replaceChildren();
  try {
    const data = await request('GET', 'rooms');
    const rooms = Array.isArray(data.rooms) ? data.rooms : [];
    state.rooms = new Map(rooms.filter((r) => r && r.roomId).map((r) => [r.roomId, r]));
    renderRooms();
    return true;
  } catch (error) {
    byId('rooms-error-text').textContent = 'Could not load the rooms: ' + error.message;
    byId('rooms-error').hidden = false;
    return false;
  } finally {
    byId('rooms-loading').hidden = true;
  }
}

function renderRooms() {
  byId('rooms-list').replaceChildren(...Array.from(state.rooms.values(), roomListItem));
  byId('rooms-empty').hidden = state.rooms.size > 0;
  filterRooms();
}

// Shows the rooms whose name holds what the filter says, ignoring
// case and accents; the filter itself only once there are enough rooms.
function filterRooms() {
  const input = byId('rooms-filter');
  const many = state.rooms.size >= FILTER_MIN_ROOMS;
  byId('rooms-filter-box').hidden = !many;
  if (!many) input.value = '';
  const wanted = foldText(input.value.trim());
  let shown = 0;
  for (const item of byId('rooms-list').children) {
    const room = state.rooms.get(item.dataset.roomId);
    // By name only (the id where there is none): an id's random letters
    // would make unrelated rooms match.
    const match = !wanted || (room && foldText(room.roomName || room.roomId).includes(wanted));
    item.hidden = !match;
    if (match) shown++;
  }
  byId('rooms-filter-count').textContent = !wanted ? ''
    : shown === 0 ? 'No room matches “' + input.value.trim() + '”.'
      : shown + ' of ' + state.rooms.size + ' rooms.';
}

function foldText(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

function roomListItem(room) {
  const name = room.roomName || room.roomId;
  const item = el('li');
  item.dataset.roomId = room.roomId;

  const main = el('div', 'item-main');
  // The status sits on the id's line: the title is the room's name alone.
  const sub = el('div', 'item-sub', room.roomId);
  const status = ROOM_STATUS[room.status];
  if (status) sub.append(el('span', 'badge badge-status badge-' + room.status, status));
  main.append(el('div', 'item-title', name), sub);

  const actions = el('div', 'item-actions');
  if (room.anonymousAccess === true) {
    // Made elsewhere or by an earlier version: anyone with Meet's own room
    // links gets in, members or not.
    main.append(el('p', 'room-warning', 'Anonymous links are on: people who are not members can join.'));
    const close = iconButton({ iconName: 'lock', title: 'Turn off anonymous links',
      label: 'Turn off anonymous links of ' + name, text: 'Members only', className: 'btn-warning' });
    close.addEventListener('click', () => disableAnonymousAccess(room, close));
    actions.append(close);
  }
  const manage = iconButton({ iconName: 'users', title: 'Manage members', label: 'Manage members of ' + name, text: 'Members' });
  manage.addEventListener('click', () => openMembers(room));
  const remove = iconButton({ iconName: 'trash', title: 'Delete room', label: 'Delete room ' + name, className: 'btn-danger' });
  remove.addEventListener('click', () => deleteRoom(room, remove));
  actions.append(manage, remove);

  item.append(main, actions);
  return item;
}

async function createRoom(event) {
  event.preventDefault();
  const input = byId('room-name');
  const roomName = input.value.trim();
  showFormError(input, 'create-room-error', '');
  if (!roomName) {
    showFormError(input, 'create-room-error', 'Enter a name for the room.');
    input.focus();
    return;
  }
  await whileBusy([byId('create-room-button'), input], async () => {
    try {
      const data = await request('POST', 'rooms', { roomName });
      if (data.room && data.room.roomId) {
        // Newest first, as Meet lists them.
        state.rooms = new Map([[data.room.roomId, data.room], ...state.rooms]);
        renderRooms();
      } else {
        await loadRooms();
      }
      input.value = '';
      say('rooms-status', 'Room “' + roomName + '” created.');
    } catch (error) {
      showFormError(input, 'create-room-error', error.message);
    }
  });
  input.focus();
}

// Meet's room status, in words (an unknown one shows no badge).
const ROOM_STATUS = { open: 'Open', active_meeting: 'Meeting in progress', closed: 'Closed' };

async function disableAnonymousAccess(room, button) {
  const name = room.roomName || room.roomId;
  say('rooms-status', '');
  await whileBusy([button], async () => {
    try {
      const data = await request('DELETE', roomPath(room.roomId) + '/anonymous-access');
      state.rooms.set(room.roomId, { ...room, anonymousAccess: false });
      renderRooms();
      say('rooms-status', data.message || 'Only members can join “' + name + '” now.');
    } catch (error) {
      say('rooms-status', 'Could not turn off the anonymous links of “' + name + '”: ' + error.message, true);
    }
  });
  byId('home-title').focus();
}

async function deleteRoom(room, button) {
  const name = room.roomName || room.roomId;
  if (!window.confirm('Delete the room “' + name + '”? The links of its members stop working.')) return;
  say('rooms-status', '');
  await whileBusy([button], async () => {
    try {
      const { status, data } = await send('DELETE', roomPath(room.roomId));
      // 202: Meet scheduled the deletion (a meeting is running); keep it listed.
      if (status !== 202) {
        state.rooms.delete(room.roomId);
        renderRooms();
      }
      say('rooms-status', data.message || 'Room “' + name + '” deleted.');
    } catch (error) {
      say('rooms-status', 'Could not delete “' + name + '”: ' + error.message, true);
    }
  });
  byId('home-title').focus();
}

/* ---------- Members view ---------- */

// From the rooms list: a new history entry whose previous one is home.
function openMembers(room) {
  history.pushState({ view: 'members', roomId: room.roomId, backIsHome: true }, '', membersHash(room.roomId));
  showMembers(room, true);
}

function showMembers(room, focus) {
  state.room = room;
  state.members = new Map();
  byId('members-room-name').textContent = room.roomName || room.roomId;
  byId('member-name').value = '';
  showFormError(byId('member-name'), 'add-member-error', '');
  say('members-status', '');
  say('rooms-status', '');
  hideMeetingError();
  byId('download-csv').href = roomPath(room.roomId) + '/members.csv';
  resetGroupForm();
  showView('members', focus);
  loadMembers();
}

// The page's own way back: the history entry before is home when we pushed
// this one from it (popstate then shows home); otherwise home replaces it, so
// the control never leaves the app.
function backToRooms() {
  if (history.state && history.state.backIsHome) {
    goBack();
    return;
  }
  history.replaceState(null, '', homeUrl());
  showHome(true);
}

function showHome(focus) {
  state.room = null;
  state.members = new Map();
  byId('members-list').replaceChildren();
  showView('home', focus);
  loadRooms();
}

// Asks for room's members and shows them, unless the person moved on to
// another room meanwhile. Throws what request throws.
async function fetchMembers(room) {
  const data = await request('GET', roomPath(room.roomId) + '/members');
  if (state.room !== room) return;
  const members = Array.isArray(data.members) ? data.members : [];
  state.members = new Map(members.filter((m) => m && m.memberId).map((m) => [m.memberId, m]));
  renderMembers();
}

async function loadMembers() {
  const room = state.room;
  byId('members-error').hidden = true;
  byId('members-empty').hidden = true;
  byId('members-loading').hidden = false;
  byId('members-list').replaceChildren();
  try {
    await fetchMembers(room);
  } catch (error) {
    if (state.room !== room) return;
    byId('members-error-text').textContent = 'Could not load the members: ' + error.message;
    byId('members-error').hidden = false;
  } finally {
    if (state.room === room) byId('members-loading').hidden = true;
  }
}

function renderMembers() {
  byId('members-list').replaceChildren(...Array.from(state.members.values(), memberListItem));
  byId('members-empty').hidden = state.members.size > 0;
}

function roleBadge(member) {
  const role = roleOf(member);
  return el('span', 'badge badge-' + role, member.baseRole || role);
}

function memberListItem(member) {
  const name = member.name || member.memberId;
  const item = el('li');
  item.dataset.memberId = member.memberId;

  const main = el('div', 'item-main');
  const title = el('div', 'item-title');
  title.append(el('span', 'member-name', name), roleBadge(member));
  main.append(title, el('p', 'access-url', member.accessUrl || ''));

  const actions = el('div', 'item-actions');
  const role = el('select', 'role-select');
  role.title = 'Change role';
  role.setAttribute('aria-label', 'Change role of ' + name);
  for (const value of ROLES) {
    const option = el('option', '', value[0].toUpperCase() + value.slice(1));
    option.value = value;
    option.selected = value === member.baseRole;
    role.append(option);
  }
  role.addEventListener('change', () => changeRole(member.memberId, role));

  const copy = iconButton({ iconName: 'copy', title: 'Copy access link', label: 'Copy access link of ' + name });
  copy.addEventListener('click', () => copyAccessUrl(member.memberId, copy));
  const join = iconButton({ iconName: 'join', title: 'Join', label: 'Join as ' + name, text: 'Join', className: 'btn-primary' });
  join.addEventListener('click', () => joinRoom(member.memberId, join));
  const qr = iconButton({ iconName: 'qr', title: 'Show QR code', label: 'Show QR code of the link of ' + name });
  qr.addEventListener('click', () => showQr(member.memberId));
  const remove = iconButton({ iconName: 'user-minus', title: 'Remove member', label: 'Remove member ' + name, className: 'btn-danger' });
  remove.addEventListener('click', () => removeMember(member.memberId, remove));

  actions.append(role, copy, ...handOverControls(member, name), join, qr, remove);
  item.append(main, actions);
  return item;
}

async function addMember(event) {
  event.preventDefault();
  const room = state.room;
  const input = byId('member-name');
  const roleSelect = byId('member-role');
  const name = input.value.trim();
  showFormError(input, 'add-member-error', '');
  if (!name) {
    showFormError(input, 'add-member-error', 'Enter the member’s name.');
    input.focus();
    return;
  }
  await whileBusy([byId('add-member-button'), input, roleSelect], async () => {
    try {
      const data = await request('POST', roomPath(room.roomId) + '/members', { name, baseRole: roleSelect.value });
      if (state.room !== room) return;
      if (data.member && data.member.memberId) {
        state.members.set(data.member.memberId, data.member);
        renderMembers();
      } else {
        await loadMembers();
      }
      input.value = '';
      say('members-status', name + ' added.');
    } catch (error) {
      showFormError(input, 'add-member-error', error.message);
    }
  });
  input.focus();
}

async function changeRole(memberId, select) {
  const room = state.room;
  const member = state.members.get(memberId);
  if (!member) return;
  const previous = member.baseRole;
  const baseRole = select.value;
  if (baseRole === previous) return;
  say('members-status', '');
  await whileBusy([select], async () => {
    try {
      const data = await request('PUT', memberPath(room.roomId, memberId), { baseRole });
      const updated = data.member && data.member.memberId === memberId ? data.member : { ...member, baseRole };
      state.members.set(memberId, updated);
      const item = select.closest('li');
      item.querySelector('.badge').replaceWith(roleBadge(updated));
      say('members-status', (updated.name || memberId) + ' is now a ' + updated.baseRole + '.');
    } catch (error) {
      select.value = previous;
      say('members-status', 'Could not change the role of ' + (member.name || memberId) + ': ' + error.message, true);
    }
  });
  if (select.isConnected) select.focus();
}

async function removeMember(memberId, button) {
  const room = state.room;
  const member = state.members.get(memberId);
  if (!member) return;
  const name = member.name || memberId;
  if (!window.confirm('Remove ' + name + ' from this room? Their access link stops working.')) return;
  say('members-status', '');
  await whileBusy([button], async () => {
    try {
      await request('DELETE', memberPath(room.roomId, memberId));
      if (state.room !== room) return;
      state.members.delete(memberId);
      renderMembers();
      say('members-status', name + ' removed; their link no longer works.');
      byId('member-name').focus();
    } catch (error) {
      say('members-status', 'Could not remove ' + name + ': ' + error.message, true);
    }
  });
}

/* ---------- Members view: a group at once ---------- */

// Names compare as the same person regardless of case and Unicode form.
function nameKey(name) {
  return name.normalize('NFC').toLocaleLowerCase();
}

// One line of the group box: { text, name, baseRole, problem }; problem says
// why it is refused before anything is sent (the backend's rules for a
// name, so a refusal costs no request).
function readGroupLine(text, defaultRole) {
  let name = text.trim();
  let baseRole = defaultRole;
  const suffix = ROLE_SUFFIX.exec(name);
  if (suffix) {
    name = suffix[1];
    baseRole = suffix[2].toLowerCase();
  }
  let problem = '';
  if (!name) problem = 'no name before the role';
  else if (CONTROL_CHARACTER.test(name)) problem = 'it holds a control character (such as a tab)';
  else if ([...name].length > NAME_MAX_CHARS) problem = 'longer than ' + NAME_MAX_CHARS + ' characters';
  return { text: text.trim(), name, baseRole, problem };
}

// The non-blank lines of the box, each checked, with a name already in the
// room or earlier in the box refused too.
function readGroup(text, defaultRole) {
  const inRoom = new Set(Array.from(state.members.values(), (m) => nameKey(m.name || '')));
  const listed = new Set();
  const lines = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (!raw.trim()) continue;
    const line = readGroupLine(raw, defaultRole);
    if (!line.problem) {
      const key = nameKey(line.name);
      if (inRoom.has(key)) line.problem = 'already in this room';
      else if (listed.has(key)) line.problem = 'listed twice';
      listed.add(key);
    }
    lines.push(line);
  }
  return lines;
}

// What the box holds, as the person types: how many will be sent.
function checkGroup() {
  const lines = readGroup(byId('group-names').value, byId('group-role').value);
  const refused = lines.filter((line) => line.problem).length;
  let text = '';
  if (lines.length > GROUP_MAX_NAMES) {
    text = lines.length + ' names: add at most ' + GROUP_MAX_NAMES + ' at once.';
  } else if (lines.length) {
    text = (lines.length - refused) + ' of ' + lines.length + ' names ready'
      + (refused ? '; ' + refused + ' will be refused (see the reasons after adding).' : '.');
  }
  byId('group-check').textContent = text;
}

function groupProgress(text) {
  byId('group-progress').textContent = text;
}

// A room's members view starts with an empty group box; a group still being
// added to the room left behind stops.
function resetGroupForm() {
  if (state.group) state.group.stopped = true;
  state.group = null;
  byId('group-names').value = '';
  byId('group-check').textContent = '';
  byId('group-stop').hidden = true;
  byId('group-meter').hidden = true;
  byId('group-results').hidden = true;
  byId('group-results').replaceChildren();
  groupProgress('');
}

// Adds every good line of the box, GROUP_PARALLEL at a time, with progress,
// a Stop, and a result per line; the lines not added stay in the box.
async function addGroup(event) {
  event.preventDefault();
  if (state.group) return;
  const room = state.room;
  const box = byId('group-names');
  const roleSelect = byId('group-role');
  const count = box.value.split(/\r\n|\r|\n/).filter((line) => line.trim()).length;
  byId('group-results').hidden = true;
  if (count === 0 || count > GROUP_MAX_NAMES) {
    groupProgress(count ? 'That is ' + count + ' names: add at most ' + GROUP_MAX_NAMES + ' at once.'
      : 'Enter at least one name, one per line.');
    box.focus();
    return;
  }
  const group = { room, stopped: false };
  state.group = group;
  await whileBusy([byId('group-add-button'), box, roleSelect], async () => {
    // The room's members as they are now: someone may have added one meanwhile.
    groupProgress('Checking the names against the room…');
    try {
      await fetchMembers(room);
      if (state.room !== room) return;
    } catch (error) {
      groupProgress('Nothing was added: the room’s members could not be checked: ' + error.message);
      return;
    }
    const lines = readGroup(box.value, roleSelect.value);
    await sendGroup(group, lines.filter((line) => !line.problem));
    if (state.room !== room) return;
    showGroupResults(group, lines);
  });
  if (state.group === group) state.group = null;
  byId('group-stop').hidden = true;
  byId('group-meter').hidden = true;
  if (state.room === room) box.focus();
}

// POSTs each line (marking it .member or .failure) until done or stopped.
async function sendGroup(group, lines) {
  const { room } = group;
  const meter = byId('group-meter');
  const stop = byId('group-stop');
  let next = 0;
  let done = 0;
  const report = () => groupProgress('Adding ' + Math.min(done + 1, lines.length) + ' of ' + lines.length + '…');
  meter.max = Math.max(lines.length, 1);
  meter.value = 0;
  meter.hidden = lines.length === 0;
  stop.hidden = lines.length === 0;
  stop.disabled = false;
  report();
  const worker = async () => {
    while (next < lines.length && !group.stopped && state.room === room) {
      const line = lines[next++];
      try {
        const data = await request('POST', roomPath(room.roomId) + '/members', { name: line.name, baseRole: line.baseRole });
        line.member = data.member || {};
        if (state.room === room && line.member.memberId && !state.members.has(line.member.memberId)) {
          state.members.set(line.member.memberId, line.member);
          byId('members-list').append(memberListItem(line.member));
          byId('members-empty').hidden = true;
        }
      } catch (error) {
        line.failure = error.message;
      }
      done++;
      meter.value = done;
      if (!group.stopped) report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUP_PARALLEL, lines.length) }, worker));
}

function stopGroup() {
  if (!state.group) return;
  state.group.stopped = true;
  byId('group-stop').disabled = true;
  groupProgress('Stopping: waiting for the names already sent…');
}

// One result per line, in the box's order; the lines not added go back in.
function showGroupResults(group, lines) {
  const list = byId('group-results');
  const kept = [];
  let added = 0;
  list.replaceChildren(...lines.map((line) => {
    let outcome;
    let text;
    if (line.member) {
      outcome = 'added';
      text = 'added as ' + (line.member.baseRole || line.baseRole);
      added++;
    } else {
      kept.push(line.text);
      if (line.problem) [outcome, text] = ['refused', 'refused: ' + line.problem];
      else if (line.failure !== undefined) [outcome, text] = ['failed', 'failed: ' + line.failure];
      else [outcome, text] = ['stopped', 'not sent (stopped)'];
    }
    const item = el('li', 'result-' + outcome);
    item.dataset.outcome = outcome;
    item.append(el('span', 'result-name', line.name || line.text), el('span', 'result-text', text));
    return item;
  }));
  list.hidden = lines.length === 0;
  byId('group-names').value = kept.join('\n');
  checkGroup();
  groupProgress('Added ' + added + ' of ' + lines.length + (group.stopped ? ', then stopped' : '') + '.'
    + (kept.length ? ' ' + kept.length + (kept.length === 1 ? ' line stays' : ' lines stay')
      + ' in the box to fix or try again.' : ''));
}

/* ---------- Handing a link over: email, share ---------- */

// encodeURIComponent leaves !'()* alone and mail programs differ on them:
// everything but letters, digits and -_.~ is percent-encoded.
function percentEncode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// The words that go with a member's link, in an email or a share sheet.
function invitation(member) {
  const room = state.room.roomName || state.room.roomId;
  const name = member.name || member.memberId;
  const intro = 'Hello ' + name + ',\r\n\r\nThis is your personal link to the meeting room “' + room + '”:';
  return {
    subject: 'Your link to the meeting room “' + room + '”',
    intro,
    body: intro + '\r\n\r\n' + member.accessUrl + '\r\n\r\nIt lets you in as ' + name
      + ', so please keep it to yourself.\r\n',
  };
}

// mailto: with no address (the person picks it in their mail program); the
// server sends no email.
function mailtoLink(member) {
  const { subject, body } = invitation(member);
  return 'mailto:?subject=' + percentEncode(subject) + '&body=' + percentEncode(body);
}

// "Email link" for every member; "Share" where the browser has the Web
// Share API (phones, mostly).
function handOverControls(member, name) {
  if (!member.accessUrl) return [];
  const mail = el('a', 'btn btn-icon');
  mail.title = 'Email link';
  mail.setAttribute('aria-label', 'Email the access link of ' + name);
  mail.append(icon('mail'));
  mail.href = mailtoLink(member);
  // The room's name may have arrived after the list was drawn.
  mail.addEventListener('click', () => { mail.href = mailtoLink(member); });
  if (typeof navigator.share !== 'function') return [mail];
  const share = iconButton({ iconName: 'share', title: 'Share', label: 'Share the access link of ' + name });
  share.addEventListener('click', () => shareLink(member));
  return [mail, share];
}

async function shareLink(member) {
  const { subject, intro } = invitation(member);
  try {
    await navigator.share({ title: subject, text: intro, url: member.accessUrl });
  } catch (error) {
    if (error && error.name === 'AbortError') return; // the person closed the share sheet
    say('members-status', 'Could not share the link: ' + (error && error.message ? error.message : error), true);
  }
}

/* ---------- Copying a link ---------- */

const copiedTimers = new WeakMap();

function showCopied(button) {
  clearTimeout(copiedTimers.get(button));
  setIcon(button, 'check');
  button.classList.add('is-copied');
  copiedTimers.set(button, setTimeout(() => {
    setIcon(button, 'copy');
    button.classList.remove('is-copied');
  }, COPIED_MS));
}

async function copyAccessUrl(memberId, button) {
  const member = state.members.get(memberId);
  if (!member || !member.accessUrl) return;
  let copied = false;
  // The Clipboard API exists only in secure contexts (https or localhost);
  // a phone on the LAN over plain http gets the fallback.
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(member.accessUrl);
      copied = true;
    } catch {
      copied = false;
    }
  }
  if (!copied) copied = copyWithSelection(button.closest('li'), member.accessUrl);
  if (copied) {
    showCopied(button);
    say('members-status', 'Access link of ' + (member.name || memberId) + ' copied.');
  }
}

// Fallback: the link in a read-only input, selected; execCommand('copy')
// where the browser still allows it, otherwise the person copies it.
function copyWithSelection(item, url) {
  let box = item.querySelector('.copy-fallback');
  if (!box) {
    box = el('div', 'copy-fallback');
    const input = el('input');
    input.type = 'text';
    input.readOnly = true;
    input.setAttribute('aria-label', 'Access link');
    const hint = el('p', 'copy-hint');
    box.append(input, hint);
    item.querySelector('.item-main').append(box);
  }
  const input = box.querySelector('input');
  const hint = box.querySelector('.copy-hint');
  input.value = url;
  input.focus();
  input.select();
  input.setSelectionRange(0, url.length);
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  hint.textContent = copied
    ? 'Copied.'
    : 'Press Ctrl+C (⌘C on a Mac) to copy the selected link, or long-press it on a phone.';
  return copied;
}

/* ---------- QR code ---------- */

let qrReturnFocus = null;

function showQr(memberId) {
  const member = state.members.get(memberId);
  if (!member) return;
  const dialog = byId('qr-dialog');
  const image = byId('qr-image');
  byId('qr-member-name').textContent = member.name || memberId;
  byId('qr-url').textContent = member.accessUrl || '';
  byId('qr-loading').hidden = false;
  byId('qr-error').hidden = true;
  image.hidden = true;
  image.alt = 'QR code of the access link of ' + (member.name || memberId);
  image.removeAttribute('src');
  image.src = memberPath(state.room.roomId, memberId) + '/qr';
  qrReturnFocus = document.activeElement;
  dialog.showModal();
}

function qrLoaded() {
  byId('qr-loading').hidden = true;
  byId('qr-image').hidden = false;
}

function qrFailed() {
  if (!byId('qr-image').getAttribute('src')) return;
  byId('qr-loading').hidden = true;
  byId('qr-error').textContent = 'Could not load the QR code. Copy the link instead.';
  byId('qr-error').hidden = false;
}

function qrClosed() {
  // The image encodes a working link: do not keep it around.
  byId('qr-image').removeAttribute('src');
  if (qrReturnFocus && qrReturnFocus.isConnected) qrReturnFocus.focus();
  qrReturnFocus = null;
}

/* ---------- Room view: the embedded meeting ---------- */

function getConfig() {
  if (!state.config) {
    state.config = request('GET', 'config').then((config) => {
      state.settings = config;
      return config;
    });
    state.config.catch(() => { state.config = null; });
  }
  return state.config;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener('error', () => {
      script.remove();
      reject(new Error('Could not load the OpenVidu Meet component from ' + new URL(src).origin + '.'));
    }, { once: true });
    document.head.append(script);
  });
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Loads the WebComponent bundle named by GET config, once; the element is
// defined asynchronously after the script runs (Angular boots it after load),
// so we wait for customElements to know it.
function loadWebComponent() {
  if (customElements.get('openvidu-meet')) return Promise.resolve();
  if (!state.webComponent) {
    state.webComponent = (async () => {
      const config = await getConfig();
      let url;
      try {
        url = new URL(config.webComponentUrl, document.baseURI);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new Error('The server gave no usable address for the OpenVidu Meet component.');
      }
      await loadScript(url.href);
      await withTimeout(customElements.whenDefined('openvidu-meet'), COMPONENT_TIMEOUT_MS,
        'The OpenVidu Meet component did not start.');
    })();
    state.webComponent.catch(() => { state.webComponent = null; });
  }
  return state.webComponent;
}

async function joinRoom(memberId, button) {
  const room = state.room;
  const member = state.members.get(memberId);
  if (!member || state.meeting) return;
  say('members-status', '');
  state.violations = [];
  hideMeetingError();
  await whileBusy([button], async () => {
    try {
      await loadWebComponent();
    } catch (error) {
      if (state.room === room) showMeetingError('Cannot join: ' + error.message, member);
      return;
    }
    await state.back;
    if (state.room !== room || state.meeting) return; // the person moved on meanwhile
    startMeeting(member);
  });
}

function startMeeting(member) {
  const element = document.createElement('openvidu-meet');
  element.setAttribute('room-url', member.accessUrl);
  const meeting = { element, member, ended: false, leftTimer: 0, joined: false, leftReason: null };
  state.meeting = meeting;
  for (const name of CLOSE_EVENTS) {
    element.addEventListener(name, () => closeMeeting(meeting), { once: true });
  }
  for (const name of JOINED_EVENTS) {
    element.addEventListener(name, () => { meeting.joined = true; });
  }
  for (const name of LEAVE_EVENTS) {
    element.addEventListener(name, (event) => {
      // The first reason counts (left and meetingLeft carry the same one).
      if (meeting.leftReason === null) {
        const reason = event.detail && event.detail.reason;
        meeting.leftReason = typeof reason === 'string' ? reason : '';
      }
      if (!meeting.leftTimer) meeting.leftTimer = setTimeout(() => closeMeeting(meeting), LEFT_GRACE_MS);
    }, { once: true });
  }
  byId('room-member-name').textContent = member.name || member.memberId;
  say('room-status', '');
  showViolations('meeting-blocked');
  byId('meeting-container').replaceChildren(element);
  // Its own history entry, so that Back ends the meeting (followLocation)
  // instead of leaving the members view or the app.
  history.pushState({ view: 'meeting', roomId: state.room.roomId }, '', membersHash(state.room.roomId) + '/meeting');
  showView('room');
}

// Back to the members view; runs once per meeting whatever ends it.
function endMeeting(meeting) {
  if (!meeting || meeting.ended || state.meeting !== meeting) return;
  meeting.ended = true;
  clearTimeout(meeting.leftTimer);
  state.meeting = null;
  byId('meeting-container').replaceChildren();
  showView('members');
  const name = meeting.member.name || meeting.member.memberId;
  const problem = meetingProblem(meeting, name);
  if (problem) showMeetingError(problem, meeting.member);
  else say('members-status', name + (LEFT_NOTES[meeting.leftReason] || '’s meeting was closed.'));
}

// Why the meeting ended, when the person did not end it; '' when they did.
function meetingProblem(meeting, name) {
  const reason = meeting.leftReason;
  if (reason !== null && !meeting.joined) {
    const livekit = state.settings && state.settings.livekitUrl;
    return name + ' could not join the meeting: the connection to its media server (LiveKit'
      + (livekit ? ', ' + livekit + ' here' : '') + ') did not open.';
  }
  if (LEFT_PROBLEMS[reason]) return 'The meeting of ' + name + ' ended: ' + LEFT_PROBLEMS[reason] + '.';
  if (state.violations.length) return 'The page’s security policy blocked part of the meeting of ' + name + '.';
  return '';
}

// Kept on screen until the next Join or another view: the message, what the
// policy blocked, and "Try again" for the same member.
function showMeetingError(text, member) {
  const box = byId('meeting-error');
  box.dataset.memberId = member.memberId;
  byId('meeting-error-text').textContent = text;
  showViolations('meeting-error-blocked');
  box.hidden = false;
}

function hideMeetingError() {
  byId('meeting-error').hidden = true;
}

function retryMeeting() {
  const memberId = byId('meeting-error').dataset.memberId;
  if (!state.members.has(memberId)) {
    hideMeetingError();
    say('members-status', 'That member is no longer in this room.', true);
    return;
  }
  joinRoom(memberId, byId('meeting-retry'));
}

/* ---------- What the page's policy blocked ---------- */

// http(s) origin of an http(s) or ws(s) URL ('' when it is none): LiveKit
// is named in its websocket form, and the policy admits both forms.
function httpOrigin(text) {
  try {
    const url = new URL(text);
    if (!/^(https?|wss?):$/.test(url.protocol)) return '';
    return url.origin.replace(/^ws/, 'http');
  } catch {
    return '';
  }
}

// One sentence: the address blocked (without its query: a LiveKit URL
// carries the joining token), the policy directive, and what admits it.
function describeViolation(directive, blocked) {
  const settings = state.settings || {};
  const origin = httpOrigin(blocked);
  let address = blocked;
  if (origin) {
    const url = new URL(blocked);
    address = url.protocol + '//' + url.host + url.pathname;
  }
  let advice;
  if (!origin) {
    advice = 'No setting admits it: it is the policy itself (scripts/csp.sh).';
  } else if (origin === httpOrigin(settings.meetServerUrl)) {
    advice = 'It is OpenVidu Meet’s origin (OV_MEET_SERVER_URL), which the policy admits for other uses only (scripts/csp.sh).';
  } else if (directive === 'connect-src') {
    advice = 'The policy admits LiveKit where OV_LIVEKIT_URL points' + (settings.livekitUrl ? ' (now ' + settings.livekitUrl + ')' : '')
      + ': set it to the LiveKit address OpenVidu Meet gives (Meet’s LIVEKIT_URL), here '
      + origin.replace(/^http/, 'ws') + '.';
  } else {
    advice = 'Only OpenVidu Meet may provide this: OV_MEET_SERVER_URL' + (settings.meetServerUrl ? ' (now ' + settings.meetServerUrl + ')' : '')
      + ' must name the Meet that serves the component.';
  }
  return 'The page’s security policy blocked ' + address + ' (' + directive + '). ' + advice;
}

function onPolicyViolation(event) {
  const text = describeViolation(event.effectiveDirective || event.violatedDirective || '', event.blockedURI || '');
  if (state.violations.includes(text)) return;
  state.violations.push(text);
  if (state.meeting) showViolations('meeting-blocked');
}

// Fills the list listId (and shows the notice around it) with state.violations.
function showViolations(listId) {
  const list = byId(listId);
  list.replaceChildren(...state.violations.map((text) => el('li', '', text)));
  list.hidden = state.violations.length === 0;
  if (listId === 'meeting-blocked') byId('meeting-blocked-notice').hidden = list.hidden;
}

// The component or the page's control ended the meeting: its history entry
// goes too, so that Back from the members view goes home.
function closeMeeting(meeting) {
  if (!meeting || meeting.ended || state.meeting !== meeting) return;
  endMeeting(meeting);
  if (history.state && history.state.view === 'meeting') goBack();
}

/* ---------- start ---------- */

function init() {
  byId('create-room-form').addEventListener('submit', createRoom);
  // An inline error goes away as soon as the person edits the field.
  for (const [inputId, errorId] of [['room-name', 'create-room-error'], ['member-name', 'add-member-error']]) {
    byId(inputId).addEventListener('input', () => showFormError(byId(inputId), errorId, ''));
  }
  byId('rooms-retry').addEventListener('click', loadRooms);
  byId('back-to-rooms').addEventListener('click', backToRooms);
  byId('add-member-form').addEventListener('submit', addMember);
  byId('members-retry').addEventListener('click', loadMembers);
  byId('group-add-form').addEventListener('submit', addGroup);
  byId('group-stop').addEventListener('click', stopGroup);
  byId('group-names').addEventListener('input', checkGroup);
  byId('group-role').addEventListener('change', checkGroup);
  byId('rooms-filter').addEventListener('input', filterRooms);
  byId('close-meeting').addEventListener('click', () => closeMeeting(state.meeting));
  byId('meeting-retry').addEventListener('click', retryMeeting);
  // What the policy blocks bubbles up from the component's shadow root, or
  // comes to the document itself (connections, WebAssembly).
  document.addEventListener('securitypolicyviolation', onPolicyViolation, true);
  window.addEventListener('popstate', () => {
    backArrived();
    followLocation(false);
  });
  window.addEventListener('hashchange', () => followLocation(false));

  const dialog = byId('qr-dialog');
  dialog.addEventListener('close', qrClosed);
  // A click on the backdrop lands on the dialog element itself, outside its box.
  dialog.addEventListener('click', (event) => {
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right
      && event.clientY >= box.top && event.clientY <= box.bottom;
    if (event.target === dialog && !inside) dialog.close();
  });
  byId('qr-image').addEventListener('load', qrLoaded);
  byId('qr-image').addEventListener('error', qrFailed);

  followLocation(true);
}

init();
