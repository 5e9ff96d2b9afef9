/*
 * The add-in's settings: the service address, the scoring profile (评分规则) and the
 * access token. Defaults come from js/config.js (edited once when deploying); the
 * clerk's own choices, made in 绩效 → 设置, are kept in the page's localStorage. The
 * storage is injected (any object with getItem/setItem), so node can test this.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.settings = factory();
  }
})(this, function () {
  "use strict";

  var KEY = "perfxl.settings";
  var DEFAULTS = { server: "http://127.0.0.1:8765", profile: "", token: "", timeoutSeconds: 60 };
  var SERVER = /^(https?):\/\/([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$/;
  var PROFILE = /^[A-Za-z0-9_.\-]{0,64}$/;

  /** "127.0.0.1:8765/" -> "http://127.0.0.1:8765"; null when it is no service address. */
  function server(text) {
    if (typeof text !== "string") return null;
    var value = text.trim().replace(/\/+$/, "");
    if (value && !/^[a-z]+:\/\//i.test(value)) value = "http://" + value;
    return SERVER.test(value) ? value : null;
  }

  function base(defaults) {
    var out = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      out[key] = DEFAULTS[key];
    });
    Object.keys(defaults || {}).forEach(function (key) {
      if (Object.prototype.hasOwnProperty.call(DEFAULTS, key)) out[key] = defaults[key];
    });
    return out;
  }

  /** Checked settings: {ok, settings} or {ok: false, message (Chinese)}. */
  function check(values) {
    var address = server(values.server);
    if (!address) {
      return { ok: false, message: "服务地址应形如 http://127.0.0.1:8765" };
    }
    var profile = String(values.profile || "").trim();
    if (!PROFILE.test(profile)) {
      return { ok: false, message: "评分规则名称只能含字母、数字、点、横线和下划线（例如 xj-60），留空用服务的默认规则" };
    }
    var seconds = Number(values.timeoutSeconds);
    if (!isFinite(seconds) || seconds < 5 || seconds > 600) {
      return { ok: false, message: "等待时间应在 5 到 600 秒之间" };
    }
    return {
      ok: true,
      settings: {
        server: address,
        profile: profile,
        token: String(values.token || "").trim(),
        timeoutSeconds: Math.round(seconds)
      }
    };
  }

  /** The settings in force: the saved ones over the deployment's defaults. */
  function load(storage, defaults) {
    var merged = base(defaults);
    var saved = null;
    try {
      saved = storage ? JSON.parse(storage.getItem(KEY) || "null") : null;
    } catch (e) {
      saved = null;
    }
    if (saved && typeof saved === "object") {
      Object.keys(DEFAULTS).forEach(function (key) {
        if (saved[key] !== undefined && saved[key] !== null) merged[key] = saved[key];
      });
    }
    var checked = check(merged);
    return checked.ok ? checked.settings : check(base(defaults)).settings || base(null);
  }

  /** Save the clerk's settings; {ok} or {ok: false, message}. */
  function save(storage, values) {
    var checked = check(values);
    if (!checked.ok) return checked;
    try {
      storage.setItem(KEY, JSON.stringify(checked.settings));
    } catch (e) {
      return { ok: false, message: "设置无法保存（本机存储不可用）" };
    }
    return checked;
  }

  return { KEY: KEY, DEFAULTS: DEFAULTS, server: server, check: check, load: load, save: save };
});
