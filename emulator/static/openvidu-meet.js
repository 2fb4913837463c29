/*
 * <openvidu-meet>: the Meet API emulator's stand-in for the OpenVidu Meet
 * 3.8 WebComponent. It embeds room-url in an iframe and forwards what the
 * room page posts as DOM CustomEvents on the element (non-bubbling):
 * ready; joined + meetingJoined; left + meetingLeft; closed + meetingClosed
 * + embeddedCloseRequested (the 3.8 names and the later ones).
 * Messages are accepted only from the iframe's window and room-url's origin.
 * on/once/off call listeners with the payload; leaveRoom(), endMeeting()
 * and kickParticipant() are sent into the frame. No external resources.
 */
(() => {
  'use strict';
  if (!window.customElements || window.customElements.get('openvidu-meet')) return;

  const EVENT_NAMES = {
    joined: ['joined', 'meetingJoined'],
    left: ['left', 'meetingLeft'],
    closed: ['closed', 'meetingClosed', 'embeddedCloseRequested'],
  };

  class OpenViduMeetElement extends HTMLElement {
    static get observedAttributes() {
      return ['room-url', 'recording-url', 'participant-name', 'leave-redirect-url'];
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      this._iframe = null;
      this._roomOrigin = null;
      this._listeners = []; // {eventName, callback, wrapper} added through on/once
      this._onMessage = this._onMessage.bind(this);
    }

    get roomUrl() { return this.getAttribute('room-url'); }
    set roomUrl(value) { this.setAttribute('room-url', value); }

    connectedCallback() {
      this.setAttribute('role', 'application');
      this.setAttribute('aria-label', 'OpenVidu Meet');
      window.addEventListener('message', this._onMessage);
      this._render();
      // as released: ready two microtasks after connecting
      Promise.resolve().then(() => Promise.resolve()).then(() => {
        if (this.isConnected) this._dispatch('ready', {});
      });
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
      for (const l of this._listeners) this.removeEventListener(l.eventName, l.wrapper);
      this._listeners = [];
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (name === 'room-url' && oldValue !== newValue && this.isConnected) this._render();
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

    leaveRoom() { this._command({ command: 'leaveRoom' }); }
    endMeeting() { this._command({ command: 'endMeeting' }); }
    kickParticipant(participantIdentity) {
      if (!participantIdentity) return;
      this._command({ command: 'kickParticipant', payload: { participantIdentity } });
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

    _command(message) {
      if (!this._iframe || !this._iframe.contentWindow || !this._roomOrigin) {
        console.warn('openvidu-meet: no room to send the command to');
        return;
      }
      this._iframe.contentWindow.postMessage(message, this._roomOrigin);
    }

    _render() {
      this._root.replaceChildren();
      this._iframe = null;
      this._roomOrigin = null;
      let url = null;
      try {
        url = new URL(this.getAttribute('room-url') || '');
        if (!/\/room\/[^/]+$/.test(url.pathname)) url = null;
      } catch (e) {
        url = null;
      }
      if (!url) {
        const error = document.createElement('p');
        error.setAttribute('part', 'error');
        error.textContent = 'OpenVidu Meet: room-url is missing or not a room link.';
        this._root.appendChild(error);
        console.warn('openvidu-meet: room-url is missing or not a room link');
        return;
      }
      const iframe = document.createElement('iframe');
      iframe.setAttribute('allow', 'camera; microphone; clipboard-write');
      iframe.setAttribute('title', 'OpenVidu Meet');
      // CSSOM, not a style attribute: allowed under a strict style-src
      iframe.style.border = '0';
      iframe.style.width = '100%';
      iframe.style.height = '100%';
      iframe.style.display = 'block';
      this.style.display = this.style.display || 'block';
      this._roomOrigin = url.origin;
      iframe.addEventListener('load', () => {
        // tells a frame without referrer who its parent is
        if (iframe.contentWindow) iframe.contentWindow.postMessage({ command: 'handshake' }, url.origin);
      });
      iframe.src = url.href;
      this._iframe = iframe;
      this._root.appendChild(iframe);
    }

    _onMessage(event) {
      if (!this._iframe || event.source !== this._iframe.contentWindow) return;
      if (event.origin !== this._roomOrigin) return;
      const data = event.data;
      if (!data || typeof data !== 'object' || !EVENT_NAMES[data.event]) return;
      const detail = data.event === 'closed' ? undefined : data.payload;
      for (const name of EVENT_NAMES[data.event]) this._dispatch(name, detail);
      if (data.event === 'closed') {
        const redirect = this.getAttribute('leave-redirect-url');
        if (redirect) window.location.assign(redirect);
      }
    }
  }

  window.customElements.define('openvidu-meet', OpenViduMeetElement);
})();
