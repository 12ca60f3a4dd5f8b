// Polls the portal (never the registry) while the resident approves with her card; no data but a status.
(function () {
  'use strict';
  var box = document.getElementById('pending');
  if (!box) { return; }
  var seconds = Math.max(1, parseInt(box.getAttribute('data-interval'), 10) || 2);
  var status = document.getElementById('login-status');
  function poll() {
    fetch('/me/login/status', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status === 'approved' || s.status === 'expired' || s.status === 'failed' || s.status === 'ended') {
          window.location.assign('/me');
        } else {
          setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () {
        status.textContent = status.getAttribute('data-retry') || status.textContent;
        setTimeout(poll, seconds * 2000);
      });
  }
  setTimeout(poll, seconds * 1000);
}());
