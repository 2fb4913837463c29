// Room page of the Meet API emulator: the stand-in for a meeting.
// When embedded by <openvidu-meet>, it talks to the parent page through
// postMessage, only with the parent's origin (never '*'), as the 3.8 iframe
// bridge does: events out ({event, payload}), commands in ({command}).
(() => {
  'use strict';
  const body = document.body;
  const main = document.getElementById('room');
  if (!main) return; // the "link is not valid" page has nothing to run
  const roomId = body.dataset.roomId;
  const participantIdentity = body.dataset.participantIdentity;
  const canEndMeeting = body.dataset.canEndMeeting === 'true';
  const leaveButton = document.getElementById('leave-button');
  const leftMessage = document.getElementById('left-message');
  const embedded = window.parent !== window;
  let parentOrigin = null;
  let connected = true;
  const pending = [];

  function originOfParent() {
    const ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length > 0 && ancestors[0] !== 'null') return ancestors[0];
    try {
      if (document.referrer) return new URL(document.referrer).origin;
    } catch (e) { /* no usable referrer */ }
    return null;
  }

  function post(message) {
    if (!embedded) return;
    if (!parentOrigin) { pending.push(message); return; }
    window.parent.postMessage(message, parentOrigin);
  }

  function leave(reason) {
    if (!connected) return;
    connected = false;
    leaveButton.disabled = true;
    leftMessage.hidden = false;
    post({ event: 'left', payload: { roomId, participantIdentity, reason } });
    post({ event: 'closed' });
  }

  function onCommand(event) {
    // Only the parent window may command, and only from its own origin.
    if (event.source !== window.parent) return;
    const data = event.data;
    if (!data || typeof data !== 'object') return;
    if (!parentOrigin && data.command === 'handshake') {
      // No ancestorOrigins and no referrer (Referrer-Policy: no-referrer):
      // the parent itself tells us its origin, which the browser vouches for.
      parentOrigin = event.origin;
      pending.splice(0).forEach(post);
      return;
    }
    if (event.origin !== parentOrigin || !connected) return;
    if (data.command === 'leaveRoom') leave('voluntary_leave');
    else if (data.command === 'endMeeting') {
      if (canEndMeeting) leave('meeting_ended_by_self');
      else console.warn('endMeeting: this participant cannot end the meeting');
    } else if (data.command === 'kickParticipant') {
      console.warn('kickParticipant: the emulator has no other participants');
    }
  }

  leaveButton.addEventListener('click', () => leave('voluntary_leave'));
  if (embedded) {
    parentOrigin = originOfParent();
    window.addEventListener('message', onCommand);
    post({ event: 'joined', payload: { roomId, participantIdentity } });
  }
})();
