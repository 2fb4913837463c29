/*
 * <openvidu-meet>: the Meet API emulator's stand-in for the OpenVidu Meet
 * 3.8 WebComponent. Like the real Angular element it draws in an open
 * shadow root inside the host page (no iframe), so the host page's
 * Content-Security-Policy governs what it does, as it governs the real one:
 *   - asks Meet's internal API for a joining token (fetch, Meet's origin)
 *   - plays a short sound from Meet's origin (media-src)
 *   - compiles a tiny WebAssembly module, as virtual backgrounds do
 *     (script-src 'wasm-unsafe-eval')
 *   - asks LiveKit's HTTP form GET /rtc/validate (livekit-client does when
 *     a connection fails; here always, so a policy lacking it is caught),
 *     then opens the websocket <livekitUrl>/rtc named by the token
 *     (connect-src, both forms)
 *   - puts a <style> element in its shadow root, as Angular does, and a
 *     language button with position: fixed, as the real picker has.
 * The emulator's LiveKit speaks a small JSON dialect: {"join"} once
 * connected, {"leave": {reason}} when the server ends the session.
 * Events (CustomEvent, non-bubbling), with the 3.8 payloads: ready;
 * joined {roomId, participantIdentity}; left {roomId, participantIdentity,
 * reason} (3.8's LeftEventReason); closed. Each is also dispatched under
 * the later releases' names: meetingJoined; meetingLeft; meetingClosed and
 * embeddedCloseRequested. on/once/off call listeners with the payload;
 * leaveRoom(), endMeeting() and kickParticipant() act on the session.
 */
(() => {
  'use strict';
  if (!window.customElements || window.customElements.get('openvidu-meet')) return;

  const EVENT_NAMES = {
    joined: ['joined', 'meetingJoined'],
    left: ['left', 'meetingLeft'],
    closed: ['closed', 'meetingClosed', 'embeddedCloseRequested'],
  };
  // LiveKit's disconnect reasons as 3.8's meeting-event-handler maps them.
  const LEFT_REASONS = {
    client_initiated: 'voluntary_leave',
    duplicate_identity: 'duplicate_identity',
    server_shutdown: 'server_shutdown',
    participant_removed: 'participant_kicked',
    room_deleted: 'meeting_ended',
  };
  const REASON_TEXT = {
    voluntary_leave: 'You left the meeting.',
    network_disconnect: 'The connection to the meeting was lost.',
    server_shutdown: 'The meeting server shut down.',
    participant_kicked: 'You were removed from the meeting.',
    meeting_ended: 'The meeting has ended.',
    meeting_ended_by_self: 'You ended the meeting.',
    duplicate_identity: 'You joined this meeting from somewhere else.',
    unknown: 'You are not in the meeting any more.',
  };
  // A valid, empty WebAssembly module: magic number and version.
  const WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const STYLE = `
:host { display: block; background: #1d2330; color: #f2f4f8; font: 16px/1.5 system-ui, sans-serif; }
.meeting { box-sizing: border-box; height: 100%; display: flex; flex-direction: column;
  align-items: center; justify-content: center; text-align: center; padding: 1.5rem; }
.notice { font-size: 0.85rem; color: #aab3c5; margin: 0; }
.who { overflow-wrap: anywhere; }
.role { display: inline-block; padding: 0 0.5rem; border-radius: 0.75rem; background: #3a4660; font-size: 0.85rem; }
.checks { list-style: none; padding: 0; margin: 0.5rem 0; font-size: 0.85rem; color: #c9d1e0; }
.checks [data-state="failed"] { color: #ffb4b4; }
button { font: inherit; padding: 0.5rem 1.4rem; border: 0; border-radius: 0.4rem; cursor: pointer; }
#leave-button { background: #d93838; color: #fff; margin-top: 1rem; }
#leave-button:disabled { background: #6b7280; cursor: default; }
#close-button { background: #3a4660; color: #fff; margin-top: 0.5rem; }
.language { position: fixed; top: 0.5rem; right: 0.5rem; padding: 0.25rem 0.6rem;
  background: #3a4660; color: #fff; font-size: 0.8rem; }
.invalid h1 { color: #ffb4b4; font-size: 1.4rem; }
`;

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // { base (Meet's URL with its base path), roomId, secret } of a room link, or null.
  function parseRoomUrl(value) {
    try {
      const url = new URL(value || '');
      const match = /^(.*)\/room\/([^/]+)$/.exec(url.pathname);
      const secret = url.searchParams.get('secret');
      if (!match || !secret || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
      return { base: url.origin + match[1], roomId: decodeURIComponent(match[2]), secret };
    } catch (e) {
      return null;
    }
  }

  function tokenClaims(token) {
    const part = String(token).split('.')[1] || '';
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return { claims, metadata: JSON.parse(claims.metadata || '{}') };
  }

  class OpenViduMeetElement extends HTMLElement {
    static get observedAttributes() {
      return ['room-url', 'recording-url', 'participant-name', 'leave-redirect-url'];
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      this._listeners = []; // {eventName, callback, wrapper} added through on/once
      this._session = null;
    }

    get roomUrl() { return this.getAttribute('room-url'); }
    set roomUrl(value) { this.setAttribute('room-url', value); }

    connectedCallback() {
      this.setAttribute('role', 'application');
      this.setAttribute('aria-label', 'OpenVidu Meet');
      this._start();
      // as released: ready two microtasks after connecting
      Promise.resolve().then(() => Promise.resolve()).then(() => {
        if (this.isConnected) this._dispatch('ready', {});
      });
    }

    disconnectedCallback() {
      this._stop();
      for (const l of this._listeners) this.removeEventListener(l.eventName, l.wrapper);
      this._listeners = [];
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (name === 'room-url' && oldValue !== newValue && this.isConnected) this._start();
    }

    on(eventName, callback) { return this._listen(eventName, callback, false); }
    once(eventName, callback) { return this._listen(eventName, callback, true); }

    off(eventName, callback) {
      this._listeners = this._listeners.filter((l) => {
        if (l.eventName !== eventName || (callback && l.callback !== callback)) return true;
        this.removeEventListener(l.eventName, l.wrapper);
        return false;
      });
      return this;
    }

    leaveRoom() {
      const s = this._session;
      if (!s || !s.joined || s.ended) {
        console.warn('openvidu-meet: not in a meeting');
        return;
      }
      if (s.socket && s.socket.readyState === WebSocket.OPEN) s.socket.send(JSON.stringify({ leave: {} }));
      this._left(s, 'voluntary_leave');
    }

    endMeeting() {
      const s = this._session;
      if (!s || !s.joined || s.ended) {
        console.warn('openvidu-meet: not in a meeting');
      } else if (!s.canEndMeeting) {
        console.warn('endMeeting: this participant cannot end the meeting');
      } else {
        if (s.socket && s.socket.readyState === WebSocket.OPEN) s.socket.send(JSON.stringify({ leave: {} }));
        this._left(s, 'meeting_ended_by_self');
      }
    }

    kickParticipant(participantIdentity) {
      if (participantIdentity) console.warn('kickParticipant: the emulator has no other participants');
    }

    _listen(eventName, callback, once) {
      if (typeof callback !== 'function') return this;
      const entry = { eventName, callback, wrapper: null };
      entry.wrapper = (event) => {
        if (once) this.off(eventName, callback);
        callback(event.detail);
      };
      this._listeners.push(entry);
      this.addEventListener(eventName, entry.wrapper);
      return this;
    }

    _dispatch(name, detail) {
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles: false, composed: true }));
    }

    _emit(kind, detail) {
      for (const name of EVENT_NAMES[kind]) this._dispatch(name, detail);
    }

    // Ends the current session quietly (the element left the page, or a new room-url).
    _stop() {
      const s = this._session;
      this._session = null;
      if (s) {
        s.ended = true;
        if (s.socket) s.socket.close();
      }
    }

    _render(...children) {
      this._root.replaceChildren(el('style', {}, STYLE), ...children);
    }

    _check(name, text) {
      return el('li', { 'data-check': name, 'data-state': 'pending' }, text);
    }

    _setCheck(s, name, state, text) {
      const item = s.view.querySelector(`[data-check="${name}"]`);
      if (!item || s.ended) return;
      item.dataset.state = state;
      item.textContent = text;
    }

    _showInvalid(why) {
      const main = el('main', { class: 'meeting invalid', part: 'error' });
      main.append(el('h1', { id: 'invalid-link' }, 'This link is not valid'), el('p', { id: 'invalid-reason' }, why));
      this._render(main);
    }

    async _start() {
      this._stop();
      const link = parseRoomUrl(this.getAttribute('room-url'));
      if (!link) {
        this._showInvalid('room-url is missing or not a room link.');
        console.warn('openvidu-meet: room-url is missing or not a room link');
        return;
      }
      const s = { link, joined: false, ended: false, closed: false, socket: null, identity: '', canEndMeeting: false, view: null };
      this._session = s;
      const view = el('main', { class: 'meeting', id: 'meeting-view' });
      view.append(
        el('p', { class: 'notice' }, 'OpenVidu Meet emulator: no camera, microphone or other participants.'),
        el('p', { class: 'who' }, 'Connecting…'),
        el('ul', { class: 'checks', 'aria-label': 'What the meeting needs' }),
        el('button', { class: 'language', id: 'language-button', type: 'button', 'aria-label': 'Language' }, 'EN'));
      s.view = view;
      this._render(view);

      let token;
      try {
        const response = await fetch(`${link.base}/internal-api/v1/rooms/${encodeURIComponent(link.roomId)}/members/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'omit',
          body: JSON.stringify({ secret: link.secret, joinMeeting: true,
            participantName: this.getAttribute('participant-name') || undefined }),
        });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) {
          if (this._session === s) this._showInvalid(answer.message || `OpenVidu Meet answered ${response.status}.`);
          return;
        }
        token = answer.token;
      } catch (e) {
        if (this._session === s) this._showInvalid('OpenVidu Meet cannot be reached.');
        return;
      }
      if (this._session !== s) return;

      let claims, metadata;
      try {
        ({ claims, metadata } = tokenClaims(token));
      } catch (e) {
        this._showInvalid('OpenVidu Meet gave a token this component cannot read.');
        return;
      }
      s.identity = claims.sub || '';
      s.canEndMeeting = Boolean(metadata.permissions && metadata.permissions.canEndMeeting);
      const who = view.querySelector('.who');
      who.replaceChildren('Joining as ', el('strong', { id: 'participant-name' }, claims.name || s.identity), ' ',
        el('span', { class: 'role', id: 'participant-role' }, metadata.badge === 'moderator' ? 'moderator' : 'speaker'));
      const leave = el('button', { id: 'leave-button', type: 'button' }, 'Leave');
      leave.disabled = true;
      leave.addEventListener('click', () => this.leaveRoom());
      view.querySelector('.checks').append(
        this._check('sound', 'Sound: loading…'),
        this._check('wasm', 'Virtual backgrounds: checking…'),
        this._check('livekit', 'Media server: connecting…'));
      view.append(leave);

      this._playSound(s);
      this._compileWasm(s);
      this._connect(s, String(metadata.livekitUrl || ''), token);
    }

    _playSound(s) {
      const audio = new Audio(`${s.link.base}/assets/sounds/participant-joined.wav`);
      audio.volume = 0.2;
      audio.addEventListener('canplaythrough', () => this._setCheck(s, 'sound', 'ok', 'Sound: ready'), { once: true });
      audio.addEventListener('error', () => this._setCheck(s, 'sound', 'failed', 'Sound: could not be loaded'), { once: true });
      // The page may not allow playing before a gesture; loading is what counts.
      audio.play().catch(() => {});
    }

    async _compileWasm(s) {
      try {
        await WebAssembly.compile(WASM_MODULE);
        this._setCheck(s, 'wasm', 'ok', 'Virtual backgrounds: available');
      } catch (e) {
        this._setCheck(s, 'wasm', 'failed', 'Virtual backgrounds: not supported in this browser');
      }
    }

    async _connect(s, livekitUrl, token) {
      const base = livekitUrl.replace(/\/+$/, '');
      if (!/^wss?:\/\//.test(base)) {
        this._setCheck(s, 'livekit', 'failed', 'Media server: no address in the token');
        this._left(s, 'unknown');
        return;
      }
      const query = `access_token=${encodeURIComponent(token)}`;
      try {
        const response = await fetch(`${base.replace(/^ws/, 'http')}/rtc/validate?${query}`, { credentials: 'omit' });
        if (!response.ok) throw new Error(`validate answered ${response.status}`);
      } catch (e) {
        this._setCheck(s, 'livekit', 'failed', `Media server: ${base} cannot be reached`);
        this._left(s, 'unknown');
        return;
      }
      if (s.ended) return;
      let socket;
      try {
        socket = new WebSocket(`${base}/rtc?${query}`);
      } catch (e) {
        this._setCheck(s, 'livekit', 'failed', `Media server: ${base} refused`);
        this._left(s, 'unknown');
        return;
      }
      s.socket = socket;
      socket.addEventListener('message', (event) => this._onSignal(s, event.data));
      socket.addEventListener('close', () => {
        if (s.ended) return;
        this._setCheck(s, 'livekit', 'failed', 'Media server: connection closed');
        this._left(s, s.joined ? 'network_disconnect' : 'unknown');
      });
    }

    _onSignal(s, data) {
      let message;
      try {
        message = JSON.parse(data);
      } catch (e) {
        return;
      }
      if (s.ended || !message || typeof message !== 'object') return;
      if (message.join && !s.joined) {
        s.joined = true;
        this._setCheck(s, 'livekit', 'ok', 'Media server: connected');
        const who = s.view.querySelector('.who');
        if (who.firstChild) who.firstChild.textContent = 'Joined as ';
        s.view.querySelector('#leave-button').disabled = false;
        this._emit('joined', { roomId: s.link.roomId, participantIdentity: s.identity });
      } else if (message.leave) {
        this._left(s, LEFT_REASONS[message.leave.reason] || 'unknown');
      }
    }

    // The participant is out: `left` with the reason, then the end view;
    // `closed` when the person closes it, at once after their own Leave.
    _left(s, reason) {
      if (s.ended || this._session !== s) return;
      s.ended = true;
      if (s.socket) s.socket.close();
      this._emit('left', { roomId: s.link.roomId, participantIdentity: s.identity, reason });
      const end = el('main', { class: 'meeting', id: 'left-view' });
      const close = el('button', { id: 'close-button', type: 'button' }, 'Close');
      close.addEventListener('click', () => this._closed(s));
      const text = s.joined ? REASON_TEXT[reason] || REASON_TEXT.unknown : 'Could not connect to the meeting.';
      end.append(el('p', { id: 'left-message', 'data-reason': reason }, text), close);
      this._render(end);
      if (reason === 'voluntary_leave' || reason === 'meeting_ended_by_self') this._closed(s);
    }

    _closed(s) {
      if (s.closed) return;
      s.closed = true;
      this._emit('closed', undefined);
      const redirect = this.getAttribute('leave-redirect-url');
      if (redirect) window.location.assign(redirect);
    }
  }

  window.customElements.define('openvidu-meet', OpenViduMeetElement);
})();
