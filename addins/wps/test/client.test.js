// The transport and the settings: plain functions, tested on their own.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const client = require("../js/client.js");
const settings = require("../js/settings.js");

test("the service address is normalised or refused", () => {
  assert.equal(settings.server("127.0.0.1:8765/"), "http://127.0.0.1:8765");
  assert.equal(settings.server(" http://localhost:9000 "), "http://localhost:9000");
  assert.equal(settings.server("http://[::1]:8765"), "http://[::1]:8765");
  assert.equal(settings.server("http://127.0.0.1:8765/api"), null);
  assert.equal(settings.server("ftp://x"), null);
  assert.equal(settings.server(""), null);
});

test("settings: deployment defaults, the clerk's saved choices over them, bad values refused", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.deepEqual(settings.load(storage, { profile: "xj-60" }), {
    server: "http://127.0.0.1:8765",
    profile: "xj-60",
    token: "",
    timeoutSeconds: 60,
  });
  const refused = settings.save(storage, { server: "not a url", profile: "", token: "", timeoutSeconds: 60 });
  assert.equal(refused.ok, false);
  assert.match(refused.message, /服务地址/);
  assert.equal(settings.save(storage, { server: "x", profile: "../etc", token: "", timeoutSeconds: 60 }).ok, false);
  assert.equal(settings.save(storage, { server: "x", profile: "", token: "", timeoutSeconds: 1 }).ok, false);
  const saved = settings.save(storage, { server: "127.0.0.1:9000", profile: "xj-prop", token: " t ", timeoutSeconds: "30" });
  assert.equal(saved.ok, true);
  assert.deepEqual(settings.load(storage, { profile: "xj-60" }), {
    server: "http://127.0.0.1:9000",
    profile: "xj-prop",
    token: "t",
    timeoutSeconds: 30,
  });
  store.set(settings.KEY, "{not json");
  assert.equal(settings.load(storage, {}).server, "http://127.0.0.1:8765");
  assert.equal(settings.load(null, {}).server, "http://127.0.0.1:8765");
});

test("xhrHttp: async request, timeout, headers; onerror and ontimeout become kinds", async () => {
  const made = [];
  class Xhr {
    constructor() {
      this.headers = {};
      made.push(this);
    }
    open(method, url, async) {
      Object.assign(this, { method, url, async });
    }
    setRequestHeader(k, v) {
      this.headers[k] = v;
    }
    send(body) {
      this.body = body;
      setImmediate(() => this[Xhr.next]());
    }
  }
  const http = client.xhrHttp(Xhr);
  const request = { method: "POST", url: "http://h:1/p", headers: { A: "b" }, body: "{}", timeoutMs: 5000 };
  Xhr.next = "onload";
  const ok = http(request);
  made[0].status = 200;
  made[0].responseText = "{}";
  assert.deepEqual(await ok, { status: 200, text: "{}" });
  assert.equal(made[0].async, true);
  assert.equal(made[0].timeout, 5000);
  assert.deepEqual(made[0].headers, { A: "b" });
  assert.equal(made[0].body, "{}");
  Xhr.next = "onerror";
  await assert.rejects(http(request), { kind: "network" });
  Xhr.next = "ontimeout";
  await assert.rejects(http(request), { kind: "timeout" });
});

test("fetchHttp: a fetch that never answers times out as a timeout", async () => {
  const hanging = (url, options) =>
    new Promise((resolve, reject) => options.signal.addEventListener("abort", () => reject(new Error("aborted"))));
  const http = client.fetchHttp(hanging);
  await assert.rejects(http({ method: "GET", url: "http://h", headers: {}, body: null, timeoutMs: 10 }), {
    kind: "timeout",
  });
  const refused = () => Promise.reject(new TypeError("fetch failed"));
  await assert.rejects(client.fetchHttp(refused)({ method: "GET", url: "u", headers: {}, timeoutMs: 1000 }), {
    kind: "network",
  });
});
