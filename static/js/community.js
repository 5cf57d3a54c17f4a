/* "This page changed since your last visit", for readers without an account: this browser
   keeps the revision of each page it last showed (localStorage, nothing sent anywhere), and a
   page whose revision has moved on since says so, with a link to the changes between the two. */
(function () {
  "use strict";

  function start() {
    var banner = document.querySelector("[data-last-visit]");
    if (!banner) return;
    var key = "heatwiki:seen:" + banner.getAttribute("data-page");
    var now = parseInt(banner.getAttribute("data-revision"), 10);
    var seen;
    try {
      seen = parseInt(window.localStorage.getItem(key), 10);
      window.localStorage.setItem(key, String(now));
    } catch (error) {
      return; // storage refused (private mode, settings): no banner
    }
    if (!seen || !now || seen >= now) return;
    var link = banner.querySelector("[data-last-visit-link]");
    link.href = banner.getAttribute("data-diff") + "?from=" + seen + "&to=" + now;
    link.textContent = "See what changed (revision " + seen + " to " + now + ")";
    banner.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Thank buttons are part of the history and diffs every signed-in reader shares, and all submit
   the reader's own form, which names them: the buttons on their own edits are hidden. */
(function () {
  "use strict";

  function hideOwn() {
    var form = document.getElementById("thank");
    document.querySelectorAll("button[data-thank]").forEach(function (button) {
      if (!form || button.dataset.author === form.dataset.reader) button.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hideOwn);
  } else {
    hideOwn();
  }
})();
