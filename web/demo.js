/*
 * Demo page only (web/index.html); a clinic's page does not need this file.
 * - The "Ask our virtual assistant" button opens the widget.
 * - ?server=http://localhost:5005 points the widget at another Rasa server, for the
 *   tests and local development only: it is honoured when both this page and that server
 *   are on this machine (localhost, 127.0.0.1), so a link to the published demo page
 *   cannot point people at somebody else's server. It runs before the deferred widget.js.
 */
(function () {
  'use strict';
  var LOCAL = /^(localhost|127\.0\.0\.1|\[::1\])$/;
  var widget = document.querySelector('script[src$="widget.js"]');
  var server = new URLSearchParams(location.search).get('server');
  if (server && widget && LOCAL.test(location.hostname)) {
    try {
      var target = new URL(server);
      if (/^https?:$/.test(target.protocol) && LOCAL.test(target.hostname)) {
        widget.setAttribute('data-server-url', target.origin);
      }
    } catch (e) { /* not a URL: ignored */ }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var ask = document.getElementById('ask-assistant');
    if (ask) ask.addEventListener('click', function () { if (window.BackpainWidget) window.BackpainWidget.open(); });
  });
})();
