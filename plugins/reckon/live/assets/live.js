/* reckon live pages: the reader changes an input, and the page's live cells re-run in a worker.
 * Nothing is loaded until the reader first changes a value; then the worker loads Pyodide from
 * this site, runs the same code that built the page, and the results replace the page's own in
 * place. While any input differs from the page's value, claims read "recomputed"; reset (or typing
 * the page's values back) restores exactly what the build wrote, "checked". */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script.src);
  var pyodideBase = new URL("../pyodide/", base).href;
  var worker = null;
  var nextId = 0;
  var pending = new Map();
  // What happened, for the browser tests and the benchmark: when the reader first changed a value,
  // when the first recomputed value was shown, how many runs are under way, what was last shown.
  var stats = (window.__reckonLive = { firstInteraction: null, firstResult: null, runs: 0, results: 0, inFlight: 0, shown: null });

  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll(".arithmatex:not([data-katex])").forEach(function (element) {
      var source = element.textContent.trim();
      var display = element.tagName === "DIV";
      try {
        window.katex.render(source.slice(2, -2), element, { displayMode: display, throwOnError: true });
        element.setAttribute("data-katex", "typeset");
      } catch (error) {
        element.setAttribute("data-katex", "error");
        console.error("reckon live: KaTeX cannot typeset " + source + ": " + error.message);
      }
    });
  }

  var watchdogs = new Map();  // run id -> timer that stops the worker if the cells run past the timeout

  function start() {
    worker = new Worker(new URL("worker.js", base).href, { type: "module" });
    worker.onmessage = function (event) {
      var id = event.data.id;
      if (event.data.loaded) {  // Python is loaded and the cells start: from now on, they have the build's timeout
        var seconds = limits.get(id);
        watchdogs.set(id, setTimeout(function () { stop(id, seconds); }, seconds * 1000));
        return;
      }
      clearTimeout(watchdogs.get(id));
      watchdogs.delete(id);
      var done = pending.get(id);
      pending.delete(id);
      if (done) done(event.data);
    };
    worker.onerror = function (event) {  // the worker's script or Pyodide did not load: say so, as for a runaway
      event.preventDefault();
      fail("the live runtime could not load (" + (event.message || "the worker failed") + "); change a value to try again");
    };
  }

  function fail(message) {
    worker.terminate();
    worker = null;
    var waiting = Array.from(pending.entries());
    pending.clear();
    watchdogs.forEach(function (timer) { clearTimeout(timer); });
    watchdogs.clear();
    waiting.forEach(function (entry) { entry[1]({ id: entry[0], failure: message }); });
  }

  // As the build stops a block that runs past its timeout: the worker is ended (the next change loads a new one).
  function stop(id, seconds) {
    fail("the live code ran longer than the " + seconds + " s timeout and was stopped; change a value to try again");
  }
  var limits = new Map();  // run id -> the page's timeout in seconds

  function Page(payload) {
    this.payload = payload;
    this.url = new URL(payload, base).href;
    this.forms = Array.prototype.slice.call(document.querySelectorAll('form.reckon-live-inputs[data-reckon-live="' + payload + '"]'));
    this.inputs = [];
    var self = this;
    this.forms.forEach(function (form) {
      form.setAttribute("data-reckon-ready", "");
      form.querySelectorAll("input").forEach(function (input) { self.inputs.push(input); });
      form.addEventListener("submit", function (event) { event.preventDefault(); self.schedule(0); });
      form.addEventListener("input", function () { self.schedule(250); });
      form.addEventListener("reset", function () { setTimeout(function () { self.schedule(0); }, 0); });
    });
    this.cells = Array.prototype.slice.call(document.querySelectorAll("[data-reckon-cell]"));
    this.original = this.cells.map(function (element) { return element.innerHTML; });
    this.timeout = Number(this.forms[0].getAttribute("data-reckon-timeout")) || 30;
    this.timer = null;
    this.latest = 0;
    this.busy = false;
    this.again = false;
  }

  Page.prototype.values = function () { return this.inputs.map(function (input) { return input.value; }); };
  Page.prototype.atDefaults = function () {
    return this.inputs.every(function (input) { return input.value === input.getAttribute("data-default"); });
  };
  Page.prototype.status = function (text) {
    this.forms.forEach(function (form) { form.querySelector(".reckon-live-status").textContent = text; });
  };
  Page.prototype.pageMessage = function (text) {
    this.forms.forEach(function (form) { form.querySelector(".reckon-live-page-message").textContent = text; });
  };

  Page.prototype.schedule = function (delay) {
    var self = this;
    if (stats.firstInteraction === null && !this.atDefaults()) stats.firstInteraction = performance.now();
    if (worker === null) delay = 0;  // the first change starts loading at once; later ones wait for typing to pause
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.update(); }, delay);
  };

  Page.prototype.restore = function () {
    var self = this;
    this.cells.forEach(function (element, index) {
      element.innerHTML = self.original[index];
      element.classList.remove("reckon-live-stale");
      if (element.classList.contains("reckon-live-claim")) element.setAttribute("data-state", "checked");
    });
    this.inputs.forEach(function (input) { input.removeAttribute("aria-invalid"); input.parentNode.querySelector("output").textContent = ""; });
    this.pageMessage("");
    stats.shown = null;
    this.status("These are the page's own values, checked when the site was built.");
  };

  Page.prototype.update = function () {
    var self = this;
    if (this.atDefaults()) {
      this.latest = ++nextId;  // a run still under way must not overwrite what the build wrote
      this.restore();
      return;
    }
    if (this.busy) { this.again = true; return; }
    if (worker === null) { start(); this.status("Loading Python into your browser…"); }
    else this.status("Recomputing…");
    var id = this.latest = ++nextId;
    this.busy = true;
    stats.runs += 1;
    var values = this.values();
    stats.inFlight += 1;
    limits.set(id, this.timeout);
    pending.set(id, function (answer) {
      self.busy = false;
      stats.inFlight -= 1;
      if (stats.loadMs === undefined) {  // the first answer: how long Pyodide took to load, and what it fetched
        stats.loadMs = answer.loadMs;
        stats.runMs = answer.runMs;
        var script = performance.getEntriesByType("resource").filter(function (entry) { return /\/worker\.js$/.test(entry.name); });
        stats.fetched = script.map(function (entry) { return { url: entry.name, bytes: entry.encodedBodySize }; }).concat(answer.fetched || []);
      }
      if (self.again) { self.again = false; self.update(); return; }  // newer values wait: these are stale
      if (id === self.latest && !self.atDefaults() && values.join("\u0000") === self.values().join("\u0000")) self.apply(answer, values);
    });
    worker.postMessage({ id: id, values: values, payload: this.url, runtime: new URL("python.json", base).href, pyodide: pyodideBase });
  };

  Page.prototype.apply = function (answer, values) {
    stats.shown = values;

    if (answer.failure) {
      this.cells.forEach(function (element) { element.classList.add("reckon-live-stale"); });
      this.pageMessage(answer.failure);
      this.status("Not recomputed: the live code failed (the message below); the dimmed results are stale.");
      return;
    }
    var result = answer.result;
    this.inputs.forEach(function (input, index) {
      var message = result.inputs[index] || "";
      input.parentNode.querySelector("output").textContent = message;
      if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
    if (result.cells === null) {
      this.cells.forEach(function (element) { element.classList.add("reckon-live-stale"); });
      this.status("Not recomputed: a value above is not accepted.");
      return;
    }
    var errors = [];
    this.cells.forEach(function (element) {
      var cell = result.cells[Number(element.getAttribute("data-reckon-cell"))];
      if (!cell || cell.skipped || cell.error) {
        element.classList.add("reckon-live-stale");
        if (cell && cell.error && errors.indexOf(cell.error) < 0) errors.push(cell.error);
        return;
      }
      element.classList.remove("reckon-live-stale");
      if (cell.html !== undefined) {
        element.innerHTML = cell.html;
        typeset(element);
      } else if (element.classList.contains("reckon-live-claim")) {
        element.querySelector(".reckon-live-value").textContent = cell.text;
        element.setAttribute("data-state", "recomputed");
        var state = element.querySelector(".reckon-live-state");
        state.textContent = "recomputed";
        state.title = "recomputed in your browser for the values above; reset to see the value the build checked";
      } else {
        element.textContent = cell.text;
      }
    });
    this.pageMessage(errors.join("\n"));
    stats.results += 1;
    if (stats.firstResult === null) stats.firstResult = performance.now();
    this.status(errors.length ? "Recomputed, but the code failed (the message below); the dimmed results are stale."
                              : "Recomputed in your browser for these values; reset to return to the page's own.");
  };

  function setup() {
    var seen = {};
    document.querySelectorAll("form.reckon-live-inputs:not([data-reckon-ready])").forEach(function (form) {
      var payload = form.getAttribute("data-reckon-live");
      if (!seen[payload]) { seen[payload] = true; new Page(payload); }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // Material, instant navigation or not
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
