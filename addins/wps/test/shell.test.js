// The add-in as WPS loads it: index.html -> main.js -> classic scripts sharing one
// global (window), then the ribbon callbacks. Run in a node:vm context standing in for
// the add-in page, with the fake ET model as window.Application and a fake
// XMLHttpRequest, to show the scripts load as browser scripts and the glue works.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const fake = require("./fake_et.js");

const ROOT = path.resolve(__dirname, "..");

/** A fake XMLHttpRequest answering every request with `answer(request)`. */
function fakeXhr(answer, seen) {
  return class {
    constructor() {
      this.headers = {};
    }
    open(method, url, async) {
      Object.assign(this, { method, url, async });
    }
    setRequestHeader(name, value) {
      this.headers[name] = value;
    }
    send(body) {
      const request = { method: this.method, url: this.url, async: this.async, headers: this.headers, body, timeout: this.timeout };
      seen.push(request);
      setImmediate(() => {
        const reply = answer(request);
        if (reply === "network") return this.onerror();
        if (reply === "timeout") return this.ontimeout();
        this.status = reply.status;
        this.responseText = reply.text;
        this.onload();
      });
    }
  };
}

function page(app, answer) {
  const alerts = [];
  const seen = [];
  const written = [];
  const storage = new Map();
  const window = {
    Application: app,
    XMLHttpRequest: fakeXhr(answer, seen),
    alert: (text) => alerts.push(text),
    localStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, String(v)) },
    document: {
      location: { href: "file:///home/kezhang/.local/share/Kingsoft/wps/jsaddons/perfxl_1.0.0/index.html" },
      write: (html) => written.push(html),
    },
    devicePixelRatio: 1,
  };
  window.window = window;
  const context = vm.createContext(window);
  const run = (file) => vm.runInContext(fs.readFileSync(path.join(ROOT, file), "utf8"), context, { filename: file });
  run("main.js");
  const scripts = written.map((html) => /src='([^']+)'/.exec(html)[1]);
  scripts.forEach(run);
  return { window, alerts, seen, scripts, context };
}

/** Wait until `alerts` holds `count` messages (the actions are asynchronous). */
async function alerted(alerts, count) {
  for (let waited = 0; alerts.length < count && waited < 5000; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("index.html loads main.js, which loads every script of the add-in", () => {
  const html = fs.readFileSync(path.join(ROOT, "index.html"), "utf8");
  assert.match(html, /src="\.\/main\.js"/);
  const { scripts } = page(null, () => "network");
  const files = fs.readdirSync(path.join(ROOT, "js")).map((f) => `js/${f}`).sort();
  assert.deepEqual([...scripts].sort(), files);
  assert.equal(scripts[scripts.length - 1], "js/ribbon.js");
});

test("ribbon.xml names only callbacks that the scripts define", () => {
  const xml = fs.readFileSync(path.join(ROOT, "ribbon.xml"), "utf8");
  const names = new Set([...xml.matchAll(/(?:onLoad|onAction|getImage)="([A-Za-z]+)"/g)].map((m) => m[1]));
  assert.deepEqual([...names].sort(), ["GetImage", "OnAction", "OnAddinLoad"]);
  const { context } = page(null, () => "network");
  for (const name of names) assert.equal(typeof context[name], "function", name);
  assert.match(xml, /<tab id="perfxlTab" label="绩效">/);
  for (const label of ["校验本表", "清除标记", "设置"]) assert.ok(xml.includes(`label="${label}"`), label);
  for (const id of ["perfxlCheck", "perfxlClear", "perfxlSettings"]) {
    assert.ok(fs.existsSync(path.join(ROOT, context.GetImage({ Id: id }))), id);
  }
});

test("校验本表 on the ribbon: the sheet goes to the service, the marks come back, one alert", async () => {
  const book = new fake.Workbook(["自评表"]);
  const sheet = book.sheet("自评表").put("C2", [["三级指标", "坏"]]);
  const app = new fake.Application(book);
  const bodies = [];
  const answer = (request) => {
    bodies.push(JSON.parse(request.body));
    return {
      status: 200,
      text: JSON.stringify({
        findings: [{ code: "PX114", severity: "error", cell: "自评表!D2", message: "x" }],
        marks: [{ cell: "D2", color: "#FF7C80", note: "perfxl 校验：\n[错误] PX114 x", severity: "error" }],
        tables: [{ project: "项目", total: 95.73, grade: "优", execution_rate: 0.8182 }],
      }),
    };
  };
  const { context, alerts, seen } = page(app, answer);
  assert.equal(context.OnAddinLoad({ ribbon: true }), true);
  assert.equal(context.OnAction({ Id: "perfxlCheck" }), true);
  await alerted(alerts, 1);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, "http://127.0.0.1:8765/api/check-sheet");
  assert.equal(seen[0].async, true);
  assert.equal(seen[0].timeout, 60000);
  assert.equal(seen[0].headers["Content-Type"], "text/plain;charset=UTF-8"); // no CORS preflight
  assert.equal(bodies[0].top_left, "C2");
  assert.equal(sheet.Range("D2").Interior.Color, 8420607);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0], /总分 95\.73，等级 优/);

  context.OnAction({ Id: "perfxlClear" });
  await alerted(alerts, 2);
  assert.equal(sheet.Range("D2").Interior.ColorIndex, fake.XL_NONE);
  assert.match(alerts[1], /已清除 1 个单元格/);
});

test("server down, seen from the ribbon: one Chinese alert, nothing thrown", async () => {
  const book = new fake.Workbook(["自评表"]);
  book.sheet("自评表").put("A1", [["三级指标"]]);
  const before = fake.snapshot(book);
  const { context, alerts } = page(new fake.Application(book), () => "network");
  context.OnAction({ Id: "perfxlCheck" });
  await alerted(alerts, 1);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0], /无法连接 perfxl 服务/);
  assert.deepEqual(fake.snapshot(book), before);
});

test("a second click while the first is running is refused politely", async () => {
  const book = new fake.Workbook(["自评表"]);
  book.sheet("自评表").put("A1", [["三级指标"]]);
  const { context, alerts } = page(new fake.Application(book), () => "timeout");
  context.OnAction({ Id: "perfxlCheck" });
  context.OnAction({ Id: "perfxlCheck" });
  await alerted(alerts, 2);
  assert.match(alerts[0], /正在处理上一次操作/);
  assert.match(alerts[1], /没有回应/);
});

test("设置 opens the dialog page next to index.html", () => {
  const calls = [];
  const app = { ShowDialog: (...args) => calls.push(args) };
  const { context } = page(app, () => "network");
  context.OnAction({ Id: "perfxlSettings" });
  assert.equal(calls[0][0], "file:///home/kezhang/.local/share/Kingsoft/wps/jsaddons/perfxl_1.0.0/ui/settings.html");
  assert.equal(calls[0][1], "perfxl 设置");
  assert.ok(fs.existsSync(path.join(ROOT, "ui", "settings.html")));
});
