/* Title suggestions: the search boxes (input[data-suggest]) and [[wiki links]] in the Markdown
   editor (textarea.markdownx-editor[data-suggest]). A listbox under the field, driven by the
   keyboard (arrows, Enter or Tab to pick, Escape to close) or the mouse. No build step. */
(function () {
  "use strict";

  var DELAY = 150;
  var counter = 0;

  function fetchTitles(url, text) {
    return fetch(url + "?q=" + encodeURIComponent(text), {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.ok ? response.json() : { results: [] };
    }).then(function (data) {
      return data.results || [];
    }).catch(function () {
      return [];
    });
  }

  /* One listbox attached to a field; `choose(result)` acts on the picked suggestion. */
  function Suggestions(field, choose) {
    counter += 1;
    this.field = field;
    this.choose = choose;
    this.results = [];
    this.active = -1;
    this.list = document.createElement("ul");
    this.list.id = "suggestions-" + counter;
    this.list.className = "suggestions";
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    field.setAttribute("aria-controls", this.list.id);
    field.setAttribute("aria-autocomplete", "list");
    // A search box is a combobox, which says whether its list is open; the editor's textarea
    // stays a text box, which has no aria-expanded.
    this.combobox = field.tagName === "INPUT";
    if (this.combobox) {
      field.setAttribute("role", "combobox");
      field.setAttribute("aria-expanded", "false");
    }
    field.insertAdjacentElement("afterend", this.list);
    var self = this;
    this.list.addEventListener("mousedown", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) {
        event.preventDefault();
        self.pick(Number(item.dataset.index));
      }
    });
    // Keys are caught on the way down (capture on the parent), before the field's own handlers:
    // markdownx turns Tab into an indent and stops the event there, so a listener on the
    // textarea itself would never see it.
    field.parentNode.addEventListener("keydown", function (event) {
      if (event.target === field) self.key(event);
    }, true);
    field.addEventListener("blur", function () { window.setTimeout(function () { self.close(); }, 150); });
  }

  Suggestions.prototype.show = function (results) {
    this.results = results;
    this.active = -1;
    this.list.textContent = "";
    if (!results.length) {
      this.close();
      return;
    }
    var self = this;
    results.forEach(function (result, index) {
      var item = document.createElement("li");
      item.id = self.list.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      var title = document.createElement("span");
      title.className = "suggestions__title";
      title.textContent = result.title;
      var kind = document.createElement("span");
      kind.className = "suggestions__kind";
      kind.textContent = result.kind_name;
      item.append(title, " ", kind);
      self.list.appendChild(item);
    });
    this.list.hidden = false;
    if (this.combobox) this.field.setAttribute("aria-expanded", "true");
    // Typing at the end of a long text keeps only the caret's line on screen: show the list too.
    this.list.scrollIntoView({ block: "nearest" });
  };

  Suggestions.prototype.close = function () {
    this.list.hidden = true;
    this.active = -1;
    if (this.combobox) this.field.setAttribute("aria-expanded", "false");
    this.field.removeAttribute("aria-activedescendant");
  };

  Suggestions.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Suggestions.prototype.move = function (step) {
    var items = this.list.querySelectorAll("[role=option]");
    if (!items.length) return;
    if (this.active >= 0) items[this.active].setAttribute("aria-selected", "false");
    this.active = (this.active + step + items.length) % items.length;
    items[this.active].setAttribute("aria-selected", "true");
    this.field.setAttribute("aria-activedescendant", items[this.active].id);
    items[this.active].scrollIntoView({ block: "nearest" });
  };

  Suggestions.prototype.pick = function (index) {
    var result = this.results[index];
    this.close();
    if (result) this.choose(result, this.results);
  };

  Suggestions.prototype.key = function (event) {
    if (!this.isOpen() || event.isComposing) return;
    if (event.key === "ArrowDown") {
      this.move(1);
    } else if (event.key === "ArrowUp") {
      this.move(-1);
    } else if ((event.key === "Enter" || event.key === "Tab") && this.active >= 0) {
      this.pick(this.active);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return;
    }
    // The list used the key: no default action, and no other handler (markdownx's Tab).
    event.preventDefault();
    event.stopPropagation();
  };

  function debounce(fn) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, DELAY);
    };
  }

  /* Search boxes: suggestions of titles; picking one opens its page. */
  function searchBox(input) {
    var url = input.dataset.suggest;
    var suggestions = new Suggestions(input, function (result) {
      window.location.assign(result.url);
    });
    input.addEventListener("input", debounce(function () {
      var text = input.value.trim();
      if (!text) {
        suggestions.close();
        return;
      }
      fetchTitles(url, text).then(function (results) {
        if (input.value.trim() === text) suggestions.show(results);
      });
    }));
  }

  /* The editor: after "[[" and a few letters, suggest titles; picking one completes the link. */
  var OPEN_LINK = /\[\[([^\[\]|\n]{1,60})$/;

  function editorLinks(textarea) {
    var url = textarea.dataset.suggest;
    var suggestions = new Suggestions(textarea, function (result, results) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret);
      var match = OPEN_LINK.exec(before);
      if (!match) return;
      var shared = results.some(function (other) {
        return other !== result && other.title.toLowerCase() === result.title.toLowerCase();
      });
      var target = (shared ? result.kind + ":" : "") + result.title + "]]";
      var after = textarea.value.slice(caret).replace(/^[^\[\]\n]*\]\]/, "");
      textarea.value = before.slice(0, before.length - match[1].length) + target + after;
      var position = caret - match[1].length + target.length;
      textarea.setSelectionRange(position, position);
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
    textarea.addEventListener("input", debounce(function () {
      var match = OPEN_LINK.exec(textarea.value.slice(0, textarea.selectionStart));
      if (!match || !match[1].trim()) {
        suggestions.close();
        return;
      }
      var text = match[1].trim();
      fetchTitles(url, text).then(function (results) {
        // Only if the link is still being typed: a late answer must not reopen the list (and
        // swallow the next Enter) once the caret has left it.
        var now = OPEN_LINK.exec(textarea.value.slice(0, textarea.selectionStart));
        if (now && now[1].trim() === text) suggestions.show(results);
      });
    }));
  }

  function start() {
    document.querySelectorAll("input[data-suggest]").forEach(searchBox);
    document.querySelectorAll("textarea.markdownx-editor[data-suggest]").forEach(editorLinks);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
