/* Relation pickers: every <select data-picker> of the edit form (a scene's characters and
   locations, its work, a quote's speaker …) becomes a searchable token picker, with tom-select
   (static/vendor/tom-select, fetched by `make vendor`; no build step).

   - The <select> stays in the form underneath: without JavaScript it is the field, and with it
     tom-select keeps it in step, so what is posted is always the select's own options.
   - A pick is only dropped by its own "Remove" button (a real button, reachable with Tab);
     Backspace in the search box never removes one (the no_backspace_delete plugin), and
     picking an option adds to the picks rather than replacing them.
   - Enter in the search box picks the highlighted option and never submits the form; Tab
     moves on without picking.
   - For page kinds (data-picker-kind) pages not in the list are found through the title
     suggestion endpoint (data-picker-suggest), one kind at a time.
   - Each addition and removal is announced in a polite live region.
   window.HeatWikiPickers.start(root) sets up the pickers inside root (rows added later). */
(function () {
  "use strict";

  var counter = 0;

  function remoteSearch(select) {
    var url = select.dataset.pickerSuggest;
    var kind = select.dataset.pickerKind;
    if (!url || !kind) return null;
    return function (query, callback) {
      var address = url + "?q=" + encodeURIComponent(query) + "&kind=" + encodeURIComponent(kind);
      fetch(address, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          callback((data.results || []).map(function (r) { return { value: r.id, text: r.title }; }));
        })
        .catch(function () { callback(); });
    };
  }

  function start(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    counter += 1;
    var multiple = select.multiple;
    // A required single choice (a scene's work) is changed by picking another, not removed.
    var removable = multiple || !select.required;
    var label = document.querySelector('label[for="' + select.id + '"]');
    var fieldName = label ? label.textContent.replace(/[:*]\s*$/, "").trim() : select.name;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    var help = document.createElement("p");
    help.className = "help picker__help";
    help.id = "picker-help-" + counter;
    help.textContent = multiple
      ? "Type to search, then press Enter or click to add. Each pick has its own Remove button."
      : "Type to search, then press Enter or click to choose.";

    function announce(text) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    var settings = {
      plugins: ["no_backspace_delete"],
      create: false,
      persist: false,
      maxOptions: 100,
      hideSelected: multiple,
      closeAfterSelect: true,
      selectOnTab: false,
      allowEmptyOption: false,
      placeholder: multiple ? "Add…" : "Choose…",
      render: {
        item: function (data, escape) {
          var button = removable
            ? '<button type="button" class="picker__remove" aria-label="Remove ' + escape(data.text) +
              '" title="Remove ' + escape(data.text) + '"><span aria-hidden="true">×</span></button>'
            : "";
          return '<div class="picker__item"><span>' + escape(data.text) + "</span>" + button + "</div>";
        },
        no_results: function () { return '<div class="no-results">Nothing found</div>'; },
      },
      onItemAdd: function (value) {
        var option = this.options[value];
        if (option) announce("Added " + option.text + " to " + fieldName + ".");
      },
      onItemRemove: function (value) {
        var option = this.options[value];
        if (option) announce("Removed " + option.text + " from " + fieldName + ".");
      },
    };
    var load = remoteSearch(select);
    if (load) {
      settings.load = load;
      settings.shouldLoad = function (query) { return query.trim().length > 0; };
    }
    var picker = new window.TomSelect(select, settings);
    picker.wrapper.classList.add("picker");
    // The select stays in the form for what is posted, out of sight and out of the tab order;
    // the picker's search box (which the field's label now names) is the control.
    select.setAttribute("aria-hidden", "true");
    // The help once per field, not on every row of a quote's speaker or a credit's work.
    var inRow = Boolean(select.closest("[data-row]"));
    picker.wrapper.insertAdjacentElement("afterend", inRow ? status : help);
    if (!inRow) help.insertAdjacentElement("afterend", status);
    var described = [picker.control_input.getAttribute("aria-describedby"), inRow ? "" : help.id];
    picker.control_input.setAttribute("aria-describedby", described.filter(Boolean).join(" "));

    // Enter never submits the form from the search box: tom-select picks with it when an
    // option is highlighted, and otherwise it does nothing.
    picker.control_input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });

    // The Remove buttons: the mousedown must not reach tom-select (it would select the item),
    // and the click removes this pick alone.
    picker.control.addEventListener("mousedown", function (event) {
      if (event.target.closest(".picker__remove")) {
        event.preventDefault();
        event.stopPropagation();
      }
    }, true);
    picker.control.addEventListener("click", function (event) {
      var button = event.target.closest(".picker__remove");
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      var item = button.closest("[data-value]");
      if (!item) return;
      picker.removeItem(item.getAttribute("data-value"));
      picker.refreshOptions(false);
      picker.close();
      // The button is gone: keep the focus in the picker.
      picker.control_input.focus();
    }, true);
    picker.control.addEventListener("keydown", function (event) {
      // Enter and Space on a Remove button are its click, not tom-select's keys.
      if (event.target.closest && event.target.closest(".picker__remove")) event.stopPropagation();
    }, true);
  }

  function startAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(function (select) {
      // The formset's template row is a pattern, not a field: its rows get pickers when added.
      if (!select.closest("template")) start(select);
    });
  }

  window.HeatWikiPickers = { start: startAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  } else {
    startAll(document);
  }
})();
