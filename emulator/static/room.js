// Room page of the Meet API emulator: what a member's link shows when it is
// opened on its own (the WebComponent draws its own view and does not use
// this page). Leave only says so: there is no media to leave.
(() => {
  'use strict';
  const leaveButton = document.getElementById('leave-button');
  const leftMessage = document.getElementById('left-message');
  if (!leaveButton) return; // the "link is not valid" page has nothing to run
  leaveButton.addEventListener('click', () => {
    leaveButton.disabled = true;
    leftMessage.hidden = false;
  });
})();
