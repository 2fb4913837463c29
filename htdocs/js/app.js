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
// The close events of every WebComponent release (see NOTES.md); `left` only
// ends our view if no close event follows it within LEFT_GRACE_MS.
const CLOSE_EVENTS = ['closed', 'meetingClosed', 'embeddedCloseRequested'];
const LEAVE_EVENTS = ['left', 'meetingLeft'];
const LEFT_GRACE_MS = 3000;
const COMPONENT_TIMEOUT_MS = 15000;
const ICONS = 'images/icons.svg';
// The backend's allow-list for ids (lib/validate.c, validate_id).
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
const BAD_ADDRESS = 'This address does not name a room. Choose one from the list.';

const state = {
  rooms: new Map(),    // roomId → room, in the order the backend lists them
  room: null,          // the room whose members view is open
  members: new Map(),  // memberId → member of state.room
  config: null,        // promise of GET config, kept once it succeeds
  webComponent: null,  // promise that the <openvidu-meet> element is defined
  meeting: null,       // { element, member, ended, leftTimer } in the room view
  back: null,          // promise of the popstate of our pending history.back()
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
}

function roomListItem(room) {
  const name = room.roomName || room.roomId;
  const item = el('li');
  item.dataset.roomId = room.roomId;

  const main = el('div', 'item-main');
  main.append(el('div', 'item-title', name), el('div', 'item-sub', room.roomId));

  const actions = el('div', 'item-actions');
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
        state.rooms.set(data.room.roomId, data.room);
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

async function loadMembers() {
  const room = state.room;
  byId('members-error').hidden = true;
  byId('members-empty').hidden = true;
  byId('members-loading').hidden = false;
  byId('members-list').replaceChildren();
  try {
    const data = await request('GET', roomPath(room.roomId) + '/members');
    if (state.room !== room) return; // the person moved on meanwhile
    const members = Array.isArray(data.members) ? data.members : [];
    state.members = new Map(members.filter((m) => m && m.memberId).map((m) => [m.memberId, m]));
    renderMembers();
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

  actions.append(role, copy, join, qr, remove);
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
    state.config = request('GET', 'config');
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
// defined asynchronously after the script runs (webcomponent-3.8.md).
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
  await whileBusy([button], async () => {
    try {
      await loadWebComponent();
    } catch (error) {
      say('members-status', 'Cannot join: ' + error.message, true);
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
  const meeting = { element, member, ended: false, leftTimer: 0 };
  state.meeting = meeting;
  for (const name of CLOSE_EVENTS) {
    element.addEventListener(name, () => closeMeeting(meeting), { once: true });
  }
  for (const name of LEAVE_EVENTS) {
    element.addEventListener(name, () => {
      if (!meeting.leftTimer) meeting.leftTimer = setTimeout(() => closeMeeting(meeting), LEFT_GRACE_MS);
    }, { once: true });
  }
  byId('room-member-name').textContent = member.name || member.memberId;
  say('room-status', '');
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
  say('members-status', 'The meeting of ' + (meeting.member.name || meeting.member.memberId) + ' was closed.');
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
  byId('close-meeting').addEventListener('click', () => closeMeeting(state.meeting));
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
