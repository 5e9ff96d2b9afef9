/*
 * The WPS glue: the callbacks ribbon.xml names (OnAddinLoad, OnAction, GetImage), which
 * hand WPS's Application, an XMLHttpRequest transport and the settings to the plain
 * modules (js/check.js) and show their Chinese answer with alert. This is the only
 * script that reads WPS's globals (window.Application), and only when WPS calls it.
 */
/* global PERFXL_CONFIG */
var PERFXL_BUSY = false;

function perfxlApp() {
  return window.Application || window.wps;
}

function perfxlSettings() {
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (e) {
    storage = null;
  }
  var defaults = typeof PERFXL_CONFIG === "object" ? PERFXL_CONFIG : {};
  return window.perfxl.settings.load(storage, defaults);
}

function perfxlBaseUrl() {
  var href = String(document.location.href).split("#")[0].split("?")[0];
  return href.substring(0, href.lastIndexOf("/") + 1);
}

/** Run 校验本表 or 清除标记 once at a time; every outcome ends in one alert. */
function perfxlRun(action) {
  if (PERFXL_BUSY) {
    alert("perfxl 正在处理上一次操作，请稍候。");
    return;
  }
  PERFXL_BUSY = true;
  var done = function (result) {
    PERFXL_BUSY = false;
    alert(result && result.message ? result.message : "perfxl：操作已结束。");
  };
  try {
    action({
      app: perfxlApp(),
      http: window.perfxl.client.xhrHttp(window.XMLHttpRequest),
      settings: perfxlSettings()
    }).then(done, function (err) {
      done({ message: "perfxl 加载项出错：" + (err && err.message ? err.message : err) });
    });
  } catch (e) {
    done({ message: "perfxl 加载项出错：" + (e && e.message ? e.message : e) });
  }
}

function perfxlOpenSettings() {
  var app = perfxlApp();
  var ratio = window.devicePixelRatio || 1;
  try {
    app.ShowDialog(perfxlBaseUrl() + "ui/settings.html", "perfxl 设置", 460 * ratio, 420 * ratio, true);
  } catch (e) {
    var s = perfxlSettings();
    alert(
      "无法打开设置窗口。当前设置：\n服务地址 " + s.server + "\n评分规则 " + (s.profile || "（服务默认）") +
        "\n可在加载项目录的 js/config.js 中修改默认值。"
    );
  }
}

// ---- callbacks named in ribbon.xml -------------------------------------------------

function OnAddinLoad(ribbonUI) {
  var app = perfxlApp();
  if (app && typeof app.ribbonUI !== "object") app.ribbonUI = ribbonUI;
  return true;
}

function OnAction(control) {
  switch (control.Id) {
    case "perfxlCheck":
      perfxlRun(window.perfxl.check.checkSheet);
      break;
    case "perfxlClear":
      perfxlRun(window.perfxl.check.clearMarks);
      break;
    case "perfxlSettings":
      perfxlOpenSettings();
      break;
    default:
      break;
  }
  return true;
}

function GetImage(control) {
  switch (control.Id) {
    case "perfxlCheck":
      return "images/check.svg";
    case "perfxlClear":
      return "images/clear.svg";
    default:
      return "images/settings.svg";
  }
}
