/* The edit form: the body's toolbar, image uploads, owned rows added and removed in place,
   fields that grow with their text, and a warning before unsaved work is left behind.
   Plain script, no build step; the form works without it (static/js/pickers.js does the
   relation pickers). markdownx (its own script) renders the live preview on "input". */
(function () {
  "use strict";

  function changed(textarea) {
    // markdownx and suggest.js listen for input: the preview follows, the height too.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---- Text helpers ---------------------------------------------------------------- */

  function replaceSelection(textarea, before, after, placeholder) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder || "";
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
    changed(textarea);
  }

  /* Prefix every line of the selection (or the caret's line): "## ", "- ", "> ". */
  function prefixLines(textarea, prefix, placeholder) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    if (lines.length === 1 && !lines[0]) lines[0] = placeholder;
    var text = lines.map(function (line) { return prefix + line; }).join("\n");
    textarea.value = value.slice(0, start) + text + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + prefix.length, start + text.length);
    changed(textarea);
  }

  /* Put `block` on lines of its own at the caret: a blank line before and after it. */
  function insertBlock(textarea, block) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = value.slice(0, start);
    var after = value.slice(end);
    var lead = !before ? "" : /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = !after ? "\n" : /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    textarea.value = before + lead + block + trail + after;
    var at = before.length + lead.length;
    textarea.focus();
    changed(textarea);
    return at;
  }

  function nextFootnote(text) {
    var used = {};
    text.replace(/\[\^(\d+)\]/g, function (_, n) { used[n] = true; return ""; });
    var n = 1;
    while (used[String(n)]) n += 1;
    return n;
  }

  function footnote(textarea) {
    var n = nextFootnote(textarea.value);
    var caret = textarea.selectionEnd;
    var value = textarea.value;
    var mark = "[^" + n + "]";
    var withMark = value.slice(0, caret) + mark + value.slice(caret);
    var ending = /\n\n$/.test(withMark) ? "" : /\n$/.test(withMark) ? "\n" : "\n\n";
    var note = "[^" + n + "]: ";
    var placeholder = "Source: publication, date, link";
    textarea.value = withMark + ending + note + placeholder + "\n";
    var from = withMark.length + ending.length + note.length;
    textarea.focus();
    textarea.setSelectionRange(from, from + placeholder.length);
    changed(textarea);
  }

  var FORMATS = {
    bold: function (t) { replaceSelection(t, "**", "**", "bold text"); },
    italic: function (t) { replaceSelection(t, "*", "*", "italic text"); },
    heading: function (t) { prefixLines(t, "## ", "Heading"); },
    link: function (t) {
      var start = t.selectionStart;
      replaceSelection(t, "[", "](https://)", "link text");
      var at = t.value.indexOf("](https://)", start) + 2;
      t.setSelectionRange(at, at + "https://".length);
    },
    // "[[" and the selection (or nothing): suggest.js offers titles as the title is typed.
    wikilink: function (t) {
      var start = t.selectionStart;
      var selected = t.value.slice(start, t.selectionEnd);
      t.value = t.value.slice(0, start) + "[[" + selected + t.value.slice(t.selectionEnd);
      var caret = start + 2 + selected.length;
      t.focus();
      t.setSelectionRange(caret, caret);
      changed(t);
    },
    list: function (t) { prefixLines(t, "- ", "List item"); },
    quote: function (t) { prefixLines(t, "> ", "Quotation"); },
    footnote: footnote,
  };

  /* ---- Uploads ---------------------------------------------------------------------- */

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Uploader(form, textarea, box) {
    this.form = form;
    this.textarea = textarea;
    this.box = box;
    this.url = textarea.getAttribute("data-markdownx-upload-urls-path");
    this.maxBytes = Number(textarea.dataset.uploadMaxBytes || 0);
    this.input = box.querySelector("[data-upload-input]");
    this.progress = box.querySelector("[data-upload-progress]");
    this.status = box.querySelector("[data-upload-status]");
    this.error = box.querySelector("[data-upload-error]");
    var self = this;
    box.hidden = false;
    box.querySelector("[data-upload-button]").addEventListener("click", function () { self.choose(); });
    this.input.addEventListener("change", function () {
      if (self.input.files.length) self.send(self.input.files[0]);
      self.input.value = "";
    });
    // Drops and pastes of files are ours, caught on the way down before markdownx's own
    // handlers (which would write "Invalid response" into the text on a failure).
    var area = textarea.closest(".markdownx") || textarea.parentNode;
    area.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      event.preventDefault();
      event.stopPropagation();
      self.send(files[0]);
    }, true);
    area.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (!files || !files.length) return;
      event.preventDefault();
      event.stopPropagation();
      self.send(files[0]);
    }, true);
  }

  Uploader.prototype.choose = function () {
    this.input.click();
  };

  Uploader.prototype.fail = function (message) {
    this.progress.hidden = true;
    this.status.textContent = "";
    this.error.textContent = message + " Nothing was added to the text.";
    this.box.classList.add("editor-upload--failed");
  };

  Uploader.prototype.send = function (file) {
    this.error.textContent = "";
    this.box.classList.remove("editor-upload--failed");
    if (file.type && file.type !== "image/png" && file.type !== "image/jpeg") {
      this.fail("“" + file.name + "” is not a PNG or JPEG image.");
      return;
    }
    if (this.maxBytes && file.size > this.maxBytes) {
      var mb = (file.size / 1024 / 1024).toFixed(1);
      this.fail("“" + file.name + "” is " + mb + " MB; the limit is " + Math.round(this.maxBytes / 1024 / 1024) + " MB.");
      return;
    }
    // Where the image goes: the caret when the upload started.
    this.ask(file, this.textarea.selectionStart);
  };

  // The image becomes a file page: its alt text, credit and licence are asked first. The
  // dialog's fields are not the edit form's: they are sent with the image alone.
  Uploader.prototype.ask = function (file, caret) {
    var self = this;
    var dialog = this.box.querySelector("[data-upload-dialog]");
    var fields = dialog.querySelectorAll("[data-detail]");
    var rationale = dialog.querySelector("[data-upload-rationale]");
    var problem = dialog.querySelector("[data-upload-dialog-error]");
    function field(name) { return dialog.querySelector('[data-detail="' + name + '"]'); }
    Array.prototype.forEach.call(fields, function (input) { input.value = ""; });
    problem.textContent = "";
    rationale.hidden = true;
    dialog.querySelector("[data-upload-name]").textContent = "“" + file.name + "”";
    field("licence").onchange = function () {
      rationale.hidden = field("licence").value !== "fair-use-screenshot";
    };
    dialog.querySelector("[data-upload-cancel]").onclick = function () {
      dialog.close();
      self.status.textContent = "Nothing was uploaded.";
    };
    dialog.querySelector("[data-upload-send]").onclick = function () {
      var missing = ["alt", "credit", "licence"].filter(function (name) { return !field(name).value.trim(); });
      if (!rationale.hidden && !field("rationale").value.trim()) missing.push("rationale");
      if (missing.length) {
        problem.textContent = "Fill in the alt text, the credit and the licence (and the rationale of a fair-use screenshot).";
        field(missing[0]).focus();
        return;
      }
      var data = new FormData();
      Array.prototype.forEach.call(fields, function (input) { data.append(input.dataset.detail, input.value); });
      data.append("image", file);
      dialog.close();
      self.upload(data, file, caret);
    };
    dialog.showModal();
    field("alt").focus();
  };

  Uploader.prototype.upload = function (data, file, caret) {
    var self = this;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", this.url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) self.progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status === 200 && answer && answer.image_code) {
        self.inserted(answer.image_code, caret);
      } else if (answer && answer.error) {
        self.fail(answer.error);
      } else if (xhr.status === 413) {
        self.fail("The image is too large for the server.");
      } else {
        self.fail("The image could not be uploaded (the server answered " + xhr.status + ").");
      }
    });
    xhr.addEventListener("error", function () {
      self.fail("The image could not be uploaded: the connection failed. Check it and try again.");
    });
    this.progress.value = 0;
    this.progress.hidden = false;
    this.status.textContent = "Uploading “" + file.name + "”…";
    xhr.send(data);
  };

  Uploader.prototype.inserted = function (code, caret) {
    if (!/^!\[[^\n]*\]\(file:[a-z0-9-]+\)$/.test(code)) {
      this.fail("The server's answer was not an image.");
      return;
    }
    var t = this.textarea;
    t.setSelectionRange(caret, caret);
    var at = insertBlock(t, code);
    t.setSelectionRange(at + code.length, at + code.length);
    this.progress.hidden = true;
    this.status.textContent = "Image added, with a file page of its own.";
  };

  /* ---- Growing text fields --------------------------------------------------------------- */

  function grow(textarea) {
    var minimum = Number(textarea.dataset.minHeight || 0);
    if (!minimum) {
      minimum = textarea.offsetHeight;
      textarea.dataset.minHeight = String(minimum);
    }
    textarea.style.height = "auto";
    var border = textarea.offsetHeight - textarea.clientHeight;
    textarea.style.height = Math.max(minimum, textarea.scrollHeight + border) + "px";
  }

  var grown = [];

  function growing(textarea) {
    if (!textarea.offsetHeight) return;
    grow(textarea);
    grown.push(textarea);
    textarea.addEventListener("input", function () { grow(textarea); });
  }

  // A narrower window wraps the text onto more lines: fit every grown field again.
  var resizing = false;
  window.addEventListener("resize", function () {
    if (resizing) return;
    resizing = true;
    window.requestAnimationFrame(function () {
      resizing = false;
      grown.forEach(function (textarea) { if (textarea.isConnected) grow(textarea); });
    });
  });

  /* ---- Owned rows ------------------------------------------------------------------- */

  function Rows(fieldset) {
    this.fieldset = fieldset;
    this.prefix = fieldset.dataset.rows;
    this.orderField = fieldset.dataset.orderField || "";
    this.list = fieldset.querySelector("[data-rows-list]");
    this.template = fieldset.querySelector("template[data-row-template]");
    this.total = fieldset.querySelector("input[name='" + this.prefix + "-TOTAL_FORMS']");
    this.initial = Number(fieldset.querySelector("input[name='" + this.prefix + "-INITIAL_FORMS']").value);
    this.status = fieldset.querySelector("[data-rows-status]");
    this.singular = (fieldset.querySelector("[data-add-row]").textContent || "").replace(/^Add /, "");
    var self = this;
    var add = fieldset.querySelector("[data-add-row]");
    add.hidden = false;
    add.addEventListener("click", function () { self.add(); });
    this.dropUntouchedExtras();
    this.rows().forEach(function (row) { self.tools(row); });
    this.renumber();
  }

  Rows.prototype.rows = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll(":scope > [data-row]"));
  };

  Rows.prototype.blankValues = function () {
    var blank = {};
    var fragment = this.template.content;
    fragment.querySelectorAll("input, select, textarea").forEach(function (field) {
      var name = field.name.replace(/^.*-__prefix__-/, "");
      blank[name] = field.type === "checkbox" ? field.checked : field.value;
    });
    return blank;
  };

  /* The server adds an empty row for use without JavaScript; "Add" does that here. */
  Rows.prototype.dropUntouchedExtras = function () {
    var blank = this.blankValues();
    var rows = this.rows();
    var dropped = 0;
    for (var i = rows.length - 1; i >= this.initial; i -= 1) {
      var row = rows[i];
      var untouched = Array.prototype.every.call(row.querySelectorAll("input, select, textarea"), function (field) {
        var name = field.name.replace(/^.*-\d+-/, "");
        var value = field.type === "checkbox" ? field.checked : field.value;
        return blank[name] === undefined || blank[name] === value;
      });
      if (!untouched || row.querySelector(".errorlist")) break;
      row.remove();
      dropped += 1;
    }
    this.total.value = String(Number(this.total.value) - dropped);
  };

  Rows.prototype.add = function () {
    var index = Number(this.total.value);
    var html = this.template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-row]");
    this.list.appendChild(row);
    this.total.value = String(index + 1);
    this.tools(row);
    if (window.HeatWikiPickers) window.HeatWikiPickers.start(row);
    this.renumber();
    row.querySelectorAll("textarea").forEach(growing);
    // The row's text first (a quote's words); else its first field, the order number aside.
    var first = row.querySelector("textarea") || row.querySelector(
      ".ts-control input, input:not([type=hidden]):not([type=checkbox]):not([name$='-" + (this.orderField || "none") + "'])"
    );
    if (first) first.focus();
    this.say("A new " + this.singular + " row was added at the end.");
  };

  Rows.prototype.tools = function (row) {
    var self = this;
    var remove = row.querySelector("input[name$='-DELETE']");
    var tools = row.querySelector("[data-row-tools]");
    if (!remove || !tools) return;
    // The checkbox stays (it is what is posted); a button shows and toggles it.
    remove.closest(".field").hidden = true;
    tools.hidden = false;
    tools.textContent = "";
    if (this.orderField) {
      tools.appendChild(this.button("Move up", "up", function () { self.move(row, -1); }));
      tools.appendChild(this.button("Move down", "down", function () { self.move(row, 1); }));
    }
    var toggle = this.button("", "remove", function () {
      remove.checked = !remove.checked;
      self.mark(row, remove, toggle);
      self.say(remove.checked ? "The row will be removed when you save." : "The row is kept.");
      self.renumber();
    });
    tools.appendChild(toggle);
    this.mark(row, remove, toggle);
  };

  Rows.prototype.button = function (label, kind, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button row-form__" + kind;
    button.textContent = label;
    button.addEventListener("click", action);
    return button;
  };

  Rows.prototype.mark = function (row, remove, toggle) {
    row.classList.toggle("row-form--removed", remove.checked);
    toggle.textContent = remove.checked ? "Keep this row" : "Remove";
    toggle.setAttribute("aria-pressed", remove.checked ? "true" : "false");
  };

  Rows.prototype.move = function (row, step) {
    var rows = this.rows();
    var at = rows.indexOf(row);
    var other = rows[at + step];
    if (!other) return;
    if (step < 0) this.list.insertBefore(row, other);
    else this.list.insertBefore(other, row);
    this.renumber();
    var button = row.querySelector(step < 0 ? ".row-form__up" : ".row-form__down");
    if (button) button.focus();
    this.say("Moved to place " + (this.rows().indexOf(row) + 1) + ".");
  };

  /* Positions follow the rows' order on screen, removed rows left out. */
  Rows.prototype.renumber = function () {
    if (!this.orderField) return;
    var field = this.orderField;
    var place = 0;
    this.rows().forEach(function (row) {
      var input = row.querySelector("input[name$='-" + field + "']");
      var removed = row.classList.contains("row-form--removed");
      if (input && !removed) {
        place += 1;
        input.value = String(place);
      }
    });
  };

  Rows.prototype.say = function (text) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  /* ---- Unsaved changes -------------------------------------------------------------- */

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && typeof value === "string") parts.push(key + "=" + value);
    });
    return parts.join("&");
  }

  function guard(form) {
    var saved = null;
    var submitting = false;
    // Taken once the pickers and rows are set up, so their own changes do not count.
    window.setTimeout(function () { saved = snapshot(form); }, 0);
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || saved === null || snapshot(form) === saved) return;
      event.preventDefault();
      event.returnValue = "";
    });
    // A form that came back refused (validation, conflict, rate limit, block) holds work that
    // is not saved yet, whatever it looked like when the page opened.
    if (document.querySelector(".form-errors, .conflict, .errorlist")) {
      window.setTimeout(function () { saved = ""; }, 0);
    }
  }

  /* ---- Start ------------------------------------------------------------------------ */

  function start() {
    var form = document.querySelector("form[data-edit-form]");
    if (!form) return;
    form.querySelectorAll("fieldset[data-rows]").forEach(function (fieldset) { new Rows(fieldset); });
    var textarea = form.querySelector("textarea.markdownx-editor");
    if (textarea) {
      var toolbar = form.querySelector("[data-toolbar]");
      var box = form.querySelector("[data-upload]");
      var uploader = box ? new Uploader(form, textarea, box) : null;
      if (toolbar) {
        toolbar.hidden = false;
        toolbar.addEventListener("click", function (event) {
          var button = event.target.closest("button[data-format]");
          if (!button) return;
          var format = button.dataset.format;
          if (format === "image") {
            if (uploader) uploader.choose();
          } else if (FORMATS[format]) {
            FORMATS[format](textarea);
          }
        });
      }
      textarea.addEventListener("keydown", function (event) {
        if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
        var key = event.key.toLowerCase();
        if (key === "b" || key === "i") {
          event.preventDefault();
          FORMATS[key === "b" ? "bold" : "italic"](textarea);
        }
      });
      var preview = form.querySelector(".markdownx-preview");
      if (preview) {
        preview.classList.add("prose");
        preview.setAttribute("aria-label", "Preview");
        preview.setAttribute("role", "region");
      }
    }
    form.querySelectorAll("textarea:not(.markdownx-editor)").forEach(growing);
    if (textarea) growing(textarea);
    guard(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
