/* Every page: on a narrow screen the navigation and account links fold into a menu behind a
   "Menu" button in the header, so the page starts near the top; the search box stays. Without
   JavaScript (or on a wide screen) they are always shown. No build step. */
(function () {
  "use strict";

  function start() {
    var button = document.querySelector("[data-menu-button]");
    var menu = document.getElementById(button ? button.getAttribute("aria-controls") : "");
    if (!button || !menu) return;
    var header = button.closest(".site-header");
    header.classList.add("site-header--folding");
    button.hidden = false;

    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }

    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
