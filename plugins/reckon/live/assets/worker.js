/* reckon live pages: the (module) worker that runs a page's live cells in Pyodide, off the page's thread.
 * It loads Pyodide from the site itself on its first message, writes reckon's runtime and the
 * page's own modules into Pyodide's file system, and answers each run with the cells' results. */
"use strict";

var ROOT = "/home/pyodide/reckon-live";
var booting = null;
var pages = new Map();

function writeFiles(pyodide, files) {
  Object.keys(files).forEach(function (path) {
    var full = ROOT + "/" + path;
    var folder = full.slice(0, full.lastIndexOf("/"));
    pyodide.FS.mkdirTree(folder);
    pyodide.FS.writeFile(full, files[path]);
  });
}

async function fetchText(url) {
  var response = await fetch(url);
  if (!response.ok) throw new Error("cannot load " + url + " (" + response.status + ")");
  return response.text();
}

// Pyodide waits forever when a core file is missing (a broken deployment), so ask for each first.
var CORE = ["pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

async function checkCore(base) {
  var answers = await Promise.all(CORE.map(function (name) { return fetch(base + name, { method: "HEAD" }); }));
  answers.forEach(function (response, index) {
    if (!response.ok) throw new Error("this site's copy of Pyodide lacks " + CORE[index] + " (" + response.status + ")");
  });
}

async function boot(message) {
  await checkCore(message.pyodide);
  var loader = await import(message.pyodide + "pyodide.mjs");
  var pyodide = await loader.loadPyodide({
    indexURL: message.pyodide,
    packageBaseUrl: message.pyodide,
    stdout: function () {},
    stderr: function () {},
  });
  var bundle = JSON.parse(await fetchText(message.runtime));
  writeFiles(pyodide, bundle.files);
  pyodide.runPython("import sys\nsys.path.insert(0, " + JSON.stringify(ROOT) + ")\nimport reckon.live.browser");
  return pyodide;
}

async function page(pyodide, url) {
  if (!pages.has(url)) {
    var text = await fetchText(url);
    writeFiles(pyodide, JSON.parse(text).modules);
    pages.set(url, text);
  }
  return pages.get(url);
}

self.onmessage = async function (event) {
  var message = event.data;
  var started = performance.now();
  var pyodide = null;
  try {
    if (booting === null) booting = boot(message);
    pyodide = await booting;
    var text = await page(pyodide, message.payload);
    var loaded = performance.now();
    self.postMessage({ id: message.id, loaded: true });
    pyodide.globals.set("reckon_page_json", text);
    pyodide.globals.set("reckon_values_json", JSON.stringify(message.values));
    var answer = pyodide.runPython(
      "import json\nfrom reckon.live.browser import run\n" +
      "json.dumps(run(json.loads(reckon_page_json), json.loads(reckon_values_json)))"
    );
    // What this worker fetched so far, as the browser counts it (for the Performance page's benchmark).
    var fetched = performance.getEntriesByType("resource").map(function (entry) {
      return { url: entry.name, bytes: entry.encodedBodySize };
    });
    self.postMessage({ id: message.id, result: JSON.parse(answer), loadMs: loaded - started, runMs: performance.now() - loaded, fetched: fetched });
  } catch (error) {
    if (!pyodide) booting = null;  // Python did not load: the next change tries again
    self.postMessage({ id: message.id, failure: String((error && error.message) || error) });
  }
};
