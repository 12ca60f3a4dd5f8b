// Polls the portal (never the registry) while the resident's card approves an act; the portal then submits the act
// itself and this page goes to the act's own page (a fixed path the server wrote into the page, never one from JSON).
(function () {
  'use strict';
  var box = document.getElementById('act-pending');
  if (!box) { return; }
  var seconds = Math.max(1, parseInt(box.getAttribute('data-interval'), 10) || 2);
  var next = box.getAttribute('data-next');
  if (!/^\/me(\/[a-z-]+)*$/.test(next)) { next = '/me'; }
  function poll() {
    fetch('/me/acts/status', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status === 'pending') {
          setTimeout(poll, seconds * 1000);
        } else {
          window.location.assign(s.status === 'ended' ? '/me' : next);
        }
      })
      .catch(function () { setTimeout(poll, seconds * 2000); });
  }
  setTimeout(poll, seconds * 1000);
}());
