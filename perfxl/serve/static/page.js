/* perfxl serve's page: pick or drop a workbook, show what /api/score and /api/validate
 * say about it, download the annotated copy, submit it to the inbox.
 *
 * Plain JavaScript, no framework and nothing fetched from outside (the page works
 * offline). Every value from the server or the user (file names, cell texts inside
 * messages) reaches the page through textContent, never parsed as HTML: a workbook whose
 * cells hold "<script>" shows that text and runs nothing.
 */
"use strict";

(function () {
  var SEVERITY = { error: "错误", warning: "警告", info: "提示" };
  var SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
  var LIGHTS = { "红": "red", "黄": "yellow", "绿": "green", "蓝": "blue" };
  var SUFFIXES = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"];
  var STATUS_TEXT = {
    400: "请求有误",
    401: "需要访问令牌：请用管理员提供的、以 #token=令牌 结尾的地址打开本页",
    404: "服务没有这个功能",
    413: "上传的文件过大，请检查是否选错了文件",
    422: "工作簿有问题，未能完成",
    500: "服务内部出错，请稍后再试或联系管理员",
  };

  var state = { file: null, info: null, errors: 0, busy: false, generation: 0 };
  var token = readToken();
  var el = {};

  function readToken() {
    // #token=… in the address: the fragment never reaches the server's logs.
    // Read by hand, not with URLSearchParams, which would turn a "+" of the token into a space.
    var parts = window.location.hash.replace(/^#/, "").split("&");
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf("token=") !== 0) continue;
      var raw = parts[i].slice("token=".length);
      try {
        raw = decodeURIComponent(raw);
      } catch (e) {
        /* a stray % : the text as typed */
      }
      return raw.trim() || null;
    }
    return null;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function make(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // --- numbers: the CLI's text output (perfxl/report.py pct/num), exactly -------------

  /* `value` (a JSON number) × 10^shift, rounded half up to `places` decimals, as text.
   * Done on the number's shortest decimal form with BigInt, so 0.9526 shows 95.26%
   * (never 95.25999…) and ties round as Excel and the engine round them. */
  function fixed(value, places, shift) {
    if (value === null || value === undefined || typeof value !== "number" || !isFinite(value)) {
      return "—";
    }
    var m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(value));
    if (!m) return String(value);
    var negative = m[1] === "-";
    var frac = m[3] || "";
    var digits = BigInt(m[2] + frac);
    var exponent = parseInt(m[4] || "0", 10) - frac.length + shift; // value = digits × 10^exponent
    var scaled;
    if (exponent + places >= 0) {
      scaled = digits * 10n ** BigInt(exponent + places);
    } else {
      var divisor = 10n ** BigInt(-(exponent + places));
      scaled = digits / divisor;
      if ((digits % divisor) * 2n >= divisor) scaled += 1n;
    }
    var text = scaled.toString().padStart(places + 1, "0");
    if (places > 0) text = text.slice(0, text.length - places) + "." + text.slice(text.length - places);
    return (negative && scaled !== 0n ? "-" : "") + text;
  }

  function num(value) {
    return fixed(value, 2, 0);
  }

  function pct(value) {
    var text = fixed(value, 2, 2);
    return text === "—" ? text : text + "%";
  }

  // The formatters, for the browser tests' worked cases (tests/serve/test_browser.py).
  window.perfxlFormat = { num: num, pct: pct };

  // --- talking to the server -----------------------------------------------------------

  function headers() {
    return token ? { Authorization: "Bearer " + token } : {};
  }

  function form(file) {
    var data = new FormData();
    data.append("file", file, file.name);
    // The server's default goes unnamed: the server then uses its own rule, which may be
    // a .toml file whose name only looks like a shipped one.
    var profile = el.profile.value;
    if (profile && !(state.info && profile === state.info.profile)) data.append("profile", profile);
    return data;
  }

  /* A failed answer as a Chinese sentence: the server's own {"error"} when it sent one,
   * else a sentence for the status (a proxy's 413 page is HTML, not JSON). */
  async function failure(response) {
    var body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    var message = body && typeof body.error === "string" ? body.error : STATUS_TEXT[response.status];
    if (response.status === 401) message = STATUS_TEXT[401]; // the clerk needs the address, not the header
    if (!message) message = "服务返回了错误（HTTP " + response.status + "）";
    var error = new Error(message);
    error.chinese = true;
    error.status = response.status;
    error.findings = body && Array.isArray(body.findings) ? body.findings : null;
    return error;
  }

  async function request(path, options) {
    var response;
    try {
      response = await fetch(path, Object.assign({ headers: headers() }, options || {}));
    } catch (e) {
      var lost = new Error("无法连接校验服务，请确认 perfxl serve 仍在运行");
      lost.chinese = true;
      throw lost;
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  function post(path, body) {
    return request(path, { method: "POST", body: body });
  }

  /* What to tell the clerk about any failure: our own Chinese sentences as they are, a
   * browser's English one (an answer that is not JSON, say) as one Chinese line. */
  function said(e) {
    return e && e.chinese ? e.message : "服务的回答无法识别，请刷新页面后重试";
  }

  async function loadInfo() {
    try {
      var response = await request("/api/info");
      state.info = await response.json();
    } catch (e) {
      el.profile.replaceChildren(make("option", "（默认规则）"));
      el.profile.firstChild.value = "";
      showStatus(said(e), "error");
      setState("info-failed");
      return;
    }
    var info = state.info;
    el.profile.replaceChildren();
    var profiles = info.profiles || [];
    if (profiles.indexOf(info.profile) < 0) {
      // The server's own rule (a .toml file) is not one a page may name: send none.
      var own = make("option", info.profile + "（服务默认）");
      own.value = "";
      own.selected = true;
      el.profile.appendChild(own);
    }
    profiles.forEach(function (name) {
      var option = make("option", name);
      option.value = name;
      if (name === info.profile) option.selected = true;
      el.profile.appendChild(option);
    });
    el.profile.disabled = false;
    setState("ready");
    el.serverLine.textContent = "perfxl " + info.version + "，默认评分规则 " + info.profile +
      (info.inbox ? "，已开启提交收件箱" : "");
    el.submit.hidden = !info.inbox;
    refreshButtons();
  }

  // --- showing things ---------------------------------------------------------------

  /* What the page is doing, on <body data-state>: checking, checked, failed, annotated,
   * submitted… (the browser tests wait on it; styles may use it). */
  function setState(name) {
    document.body.dataset.state = name;
  }

  function showStatus(message, kind) {
    el.status.textContent = message || "";
    el.status.className = "status" + (kind ? " status-" + kind : "");
  }

  function refreshButtons() {
    var ready = state.file !== null && !state.busy;
    el.annotate.disabled = !ready || state.rejected === true;
    el.submit.disabled = !ready || state.checked !== true || state.errors > 0;
    el.submit.title = state.errors > 0 ? "工作簿有错误，修改后才能提交" : "";
  }

  function bySeverity(findings) {
    return findings
      .map(function (f, i) { return { f: f, i: i }; })
      .sort(function (a, b) {
        var ra = SEVERITY_RANK[a.f.severity] ?? 3;
        var rb = SEVERITY_RANK[b.f.severity] ?? 3;
        return ra - rb || a.i - b.i;
      })
      .map(function (x) { return x.f; });
  }

  function cellText(location, sheet) {
    // "自评表!H6" inside the 自评表's card reads better as "H6"; a finding about the whole
    // file names the file (shown above the tables already); anything else stays whole.
    var text = String(location || "");
    if (sheet && text.indexOf(sheet + "!") === 0) return text.slice(sheet.length + 1);
    if (!sheet && state.path !== undefined && text === state.path) return "整个文件";
    return text;
  }

  function findingsBlock(findings, title, sheet) {
    var block = $("findings-template").content.firstElementChild.cloneNode(true);
    var sorted = bySeverity(findings);
    var counts = { error: 0, warning: 0, info: 0 };
    sorted.forEach(function (f) { counts[f.severity] = (counts[f.severity] || 0) + 1; });
    block.querySelector('[data-field="findings-title"]').textContent = sorted.length
      ? title + "：" + sorted.length + " 项（错误 " + counts.error + "，警告 " + counts.warning +
        "，提示 " + counts.info + "）"
      : title + "：未发现问题";
    var body = block.querySelector("tbody");
    sorted.forEach(function (f) {
      var row = document.createElement("tr");
      row.className = "finding sev-row-" + f.severity;
      row.appendChild(make("td", f.code, "c-code"));
      var sev = make("td", null, "c-sev");
      sev.appendChild(make("span", SEVERITY[f.severity] || f.severity, "sev sev-" + f.severity));
      row.appendChild(sev);
      var cell = make("td", cellText(f.cell, sheet), "c-cell");
      cell.title = String(f.cell || "");
      row.appendChild(cell);
      row.appendChild(make("td", f.message, "c-message"));
      body.appendChild(row);
    });
    if (!sorted.length) block.querySelector("table").hidden = true;
    return block;
  }

  function setField(card, name, text) {
    card.querySelector('[data-field="' + name + '"]').textContent = text;
  }

  function light(card, name, value) {
    var node = card.querySelector('[data-field="' + name + '"]');
    node.replaceChildren();
    if (typeof value !== "string" || !value) {
      node.textContent = "—";
      return;
    }
    node.appendChild(make("span", value, "light light-" + (LIGHTS[value] || "none")));
  }

  /* A 双监控 table (kind "monitoring"): month, time progress, execution and its lights
   * instead of a total and a grade. */
  function monitorCard(table, findings) {
    var card = $("monitor-template").content.firstElementChild.cloneNode(true);
    setField(card, "project", table.project || "（未填项目名称）");
    setField(card, "sheet", "运行监控表：" + table.sheet);
    setField(card, "month", typeof table.month === "number" ? table.month + " 月" : "—");
    setField(card, "time_progress", pct(table.time_progress));
    setField(card, "execution_rate", pct(table.execution_rate));
    light(card, "execution_light", table.execution_light);
    light(card, "light", table.light);
    setField(card, "meta", "主管部门：" + (table.department || "—") + "　实施单位：" +
      (table.unit || "—") + "　评分规则：" + (table.profile || "—"));
    card.appendChild(findingsBlock(findings, "问题", table.sheet));
    return card;
  }

  function tableCard(table, findings) {
    if (table.kind === "monitoring") return monitorCard(table, findings);
    var card = $("table-template").content.firstElementChild.cloneNode(true);
    setField(card, "project", table.project || "（未填项目名称）");
    setField(card, "sheet", "工作表：" + table.sheet);
    setField(card, "total", num(table.total));
    if (typeof table.reported_total === "number" && num(table.reported_total) !== num(table.total)) {
      setField(card, "reported-total", "（填报 " + num(table.reported_total) + "，与计算结果不一致）");
    }
    setField(card, "grade", table.grade || "—");
    if (table.reported_grade && table.reported_grade !== table.grade) {
      setField(card, "reported-grade", "（填报 " + table.reported_grade + "）");
    }
    setField(card, "execution_rate", pct(table.execution_rate));
    setField(card, "completion_rate", pct(table.completion_rate));
    var deviation = num(table.deviation);
    setField(card, "deviation", deviation === "—" ? deviation : deviation + " 个百分点");
    setField(card, "meta", "主管部门：" + (table.department || "—") + "　实施单位：" +
      (table.unit || "—") + "　评分规则：" + (table.profile || "—"));
    card.appendChild(findingsBlock(findings, "问题", table.sheet));
    return card;
  }

  function render(file, scored, validated) {
    var scoreFile = (scored.files || [])[0] || { tables: [], findings: [] };
    var checkFile = (validated.files || [])[0] || { tables: [], findings: [] };
    var tables = scoreFile.tables || [];
    var checkTables = checkFile.tables || [];
    var fileFindings = checkFile.findings || [];
    state.path = checkFile.path;
    var all = fileFindings.slice();
    var cards = [];
    tables.forEach(function (table, i) {
      var match = checkTables[i] && checkTables[i].sheet === table.sheet ? checkTables[i] : null;
      var findings = match ? match.findings || [] : table.findings || [];
      all = all.concat(findings);
      cards.push(tableCard(table, findings));
    });
    state.errors = all.filter(function (f) { return f.severity === "error"; }).length;
    state.rejected = tables.length === 0;
    state.checked = true;

    var heading = make("h2", null, "file-line");
    heading.appendChild(make("span", "文件：", "label"));
    heading.appendChild(make("span", file.name, "file-name"));
    var box = document.createDocumentFragment();
    box.appendChild(heading);
    if (state.rejected) {
      var reason = fileFindings.filter(function (f) { return f.severity === "error"; })[0];
      var rejected = make("div", null, "rejected");
      rejected.appendChild(make("strong", "该文件无法校验："));
      rejected.appendChild(make("span", reason ? reason.message : "文件中没有找到项目支出绩效自评表"));
      box.appendChild(rejected);
    }
    if (fileFindings.length) box.appendChild(findingsBlock(fileFindings, "文件问题", null));
    cards.forEach(function (card) { box.appendChild(card); });
    el.results.replaceChildren(box);

    var summary = validated.summary || {};
    if (state.rejected) {
      showStatus("文件无法校验，请检查是否选错了文件（见下方说明）", "error");
    } else if (state.errors) {
      showStatus("校验完成：" + tables.length + " 张表，有 " + state.errors + " 个错误需要修改" +
        (state.info && state.info.inbox ? "，修改后才能提交" : ""), "error");
    } else {
      showStatus("校验完成：" + tables.length + " 张表，没有错误" +
        (summary.warnings ? "，警告 " + summary.warnings + " 项请核对" : ""), "ok");
    }
  }

  // --- actions ------------------------------------------------------------------------

  function acceptable(file) {
    var name = file.name.toLowerCase();
    return SUFFIXES.some(function (s) { return name.endsWith(s); });
  }

  async function check() {
    var file = state.file;
    if (!file) return;
    var generation = ++state.generation; // a newer pick or profile wins over a slow answer
    state.busy = true;
    state.checked = false;
    state.rejected = false;
    el.receipt.hidden = true;
    refreshButtons();
    showStatus("正在校验 " + file.name + " …", "busy");
    setState("checking");
    document.body.classList.add("busy");
    try {
      var answers = await Promise.all([post("/api/score", form(file)), post("/api/validate", form(file))]);
      var scored = await answers[0].json();
      var validated = await answers[1].json();
      if (generation !== state.generation) return;
      render(file, scored, validated);
      setState("checked");
    } catch (e) {
      if (generation !== state.generation) return;
      state.rejected = true;
      el.results.replaceChildren();
      var prefix = e.status === 413 ? "文件未校验：" : "校验失败：";
      showStatus(prefix + said(e), "error");
      setState("check-failed");
    } finally {
      if (generation === state.generation) {
        state.busy = false;
        document.body.classList.remove("busy");
        refreshButtons();
      }
    }
  }

  function choose(file) {
    if (!file) return;
    state.file = file;
    state.errors = 0;
    if (!acceptable(file)) {
      showStatus("“" + file.name + "”不是工作簿文件；请选择 " + SUFFIXES.join("、") + " 文件", "error");
      state.file = null;
      el.results.replaceChildren();
      refreshButtons();
      setState("not-a-workbook");
      return;
    }
    check();
  }

  function downloadName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
    if (extended) {
      try {
        return decodeURIComponent(extended[1].trim());
      } catch (e) {
        /* fall through to the plain name */
      }
    }
    var plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  async function annotate() {
    var file = state.file;
    if (!file) return;
    el.annotate.disabled = true;
    showStatus("正在生成批注副本…", "busy");
    setState("annotating");
    try {
      var response = await post("/api/annotate", form(file));
      var blob = await response.blob();
      var stem = file.name.replace(/\.[^.]*$/, "");
      var name = downloadName(response, stem + "_批注.xlsx");
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      showStatus("已下载批注副本：" + name + "（问题单元格已加批注，原文件未改动）", "ok");
      setState("annotated");
    } catch (e) {
      showStatus("未能生成批注副本：" + said(e), "error");
      setState("annotate-failed");
    } finally {
      refreshButtons();
    }
  }

  function showReceipt(receipt) {
    var total = receipt.total === null || receipt.total === undefined
      ? "—" : num(receipt.total) + (receipt.grade ? "（" + receipt.grade + "）" : "");
    var values = {
      time: receipt.time,
      sha256: receipt.sha256,
      total: total,
      path: receipt.path,
      version: receipt.version === undefined ? "—" : "第 " + receipt.version + " 版",
      profile: receipt.profile,
    };
    Object.keys(values).forEach(function (key) {
      el.receipt.querySelector('[data-receipt="' + key + '"]').textContent = String(values[key] ?? "—");
    });
    el.receipt.hidden = false;
  }

  async function submit() {
    var file = state.file;
    if (!file || state.errors > 0) return;
    el.submit.disabled = true;
    el.receipt.hidden = true;
    showStatus("正在提交…", "busy");
    setState("submitting");
    try {
      var response = await post("/api/submit", form(file));
      var answer = await response.json();
      showReceipt(answer.receipt || {});
      showStatus("已提交，请保存下面的回执", "ok");
      setState("submitted");
    } catch (e) {
      showStatus("未提交：" + said(e), "error");
      setState("submit-failed");
      var errors = (e.findings || []).filter(function (f) { return f.severity === "error"; });
      if (errors.length) {
        el.results.appendChild(findingsBlock(e.findings, "提交时发现的问题", null));
      }
    } finally {
      refreshButtons();
    }
  }

  // --- wiring -------------------------------------------------------------------------

  function wire() {
    el.drop = $("drop-zone");
    el.input = $("file-input");
    el.profile = $("profile-select");
    el.annotate = $("annotate-button");
    el.submit = $("submit-button");
    el.status = $("status");
    el.results = $("results");
    el.receipt = $("receipt");
    el.serverLine = $("server-line");

    el.input.addEventListener("change", function () {
      choose(el.input.files[0]);
      el.input.value = ""; // the same file picked again is checked again
    });
    ["dragenter", "dragover"].forEach(function (type) {
      el.drop.addEventListener(type, function (event) {
        event.preventDefault();
        el.drop.classList.add("over");
      });
    });
    ["dragleave", "dragend"].forEach(function (type) {
      el.drop.addEventListener(type, function () { el.drop.classList.remove("over"); });
    });
    el.drop.addEventListener("drop", function (event) {
      event.preventDefault();
      el.drop.classList.remove("over");
      var files = event.dataTransfer ? event.dataTransfer.files : null;
      if (!files || !files.length) return;
      if (files.length > 1) showStatus("一次只能校验一个工作簿，已取第一个", "busy");
      choose(files[0]);
    });
    // A file dropped beside the zone must not make the browser leave the page.
    window.addEventListener("dragover", function (event) { event.preventDefault(); });
    window.addEventListener("drop", function (event) { event.preventDefault(); });
    el.profile.addEventListener("change", check);
    el.annotate.addEventListener("click", annotate);
    el.submit.addEventListener("click", submit);
    window.addEventListener("hashchange", function () {
      token = readToken();
      loadInfo();
    });
    loadInfo();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
