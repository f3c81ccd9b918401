// Guichet passerelle: progressive enhancement only. Every page works
// without this file: forms post and redirect.
(function () {
  "use strict";

  // Keys 1 to 9 pick the options of the triage question (when no field
  // has the focus), so a teleadvisor keeps both hands on the keyboard.
  function questionShortcuts() {
    var form = document.getElementById("question");
    if (!form) { return; }
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      var t = ev.target;
      if (t && (t.tagName === "INPUT" && t.type !== "checkbox" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
      var n = parseInt(ev.key, 10);
      if (isNaN(n) || n < 1 || n > 9) { return; }
      var buttons = form.querySelectorAll("button[name=answer]");
      if (buttons.length > 0) {
        if (n <= buttons.length) { ev.preventDefault(); buttons[n - 1].click(); }
        return;
      }
      var boxes = form.querySelectorAll("input[name=answer]");
      if (n <= boxes.length) { ev.preventDefault(); boxes[n - 1].checked = !boxes[n - 1].checked; }
    });
  }

  // Commune autocompletion from /api/communes?q= (forgiving typos).
  function communeSuggestions(input) {
    if (!window.fetch) { return; }
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.classList.add("autocomplete");
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var active = -1, timer = null, seq = 0;

    function close() { list.hidden = true; list.textContent = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function choose(li) { input.value = li.dataset.value; close(); }
    function mark(i) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (items[i]) { input.setAttribute("aria-activedescendant", items[i].id); }
    }
    function show(communes) {
      list.textContent = "";
      communes.forEach(function (c, i) {
        var li = document.createElement("li");
        li.id = input.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.dataset.value = c.label;
        li.textContent = c.label;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = communes.length === 0;
      input.setAttribute("aria-expanded", communes.length ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/api/communes?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { communes: [] }; })
          .then(function (d) { if (mine === seq) { show(d.communes || []); } })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (ev) {
      var items = list.querySelectorAll("li");
      if (list.hidden || items.length === 0) { return; }
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark((active + 1) % items.length); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(items[active]); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    questionShortcuts();
    document.querySelectorAll("input#commune, input[data-communes]").forEach(communeSuggestions);
  });
})();
