// The 设置 dialog (opened by js/ribbon.js with Application.ShowDialog): edit the
// service address, profile, token and timeout; 测试连接 asks GET /api/info.
/* global PERFXL_CONFIG */
(function () {
  var settings = window.perfxl.settings;
  var client = window.perfxl.client;
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (e) {
    storage = null;
  }
  var defaults = typeof PERFXL_CONFIG === "object" ? PERFXL_CONFIG : {};
  var current = settings.load(storage, defaults);

  function $(id) {
    return document.getElementById(id);
  }

  function show(text, good) {
    var box = $("status");
    box.textContent = text;
    box.className = good ? "ok" : "bad";
  }

  function addProfile(name) {
    var select = $("profile");
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === name) return;
    }
    var option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.appendChild(option);
  }

  function values() {
    return {
      server: $("server").value,
      profile: $("profile").value,
      token: $("token").value,
      timeoutSeconds: $("timeout").value
    };
  }

  $("server").value = current.server;
  if (current.profile) addProfile(current.profile);
  $("profile").value = current.profile;
  $("token").value = current.token;
  $("timeout").value = String(current.timeoutSeconds);

  $("test").onclick = function () {
    var checked = settings.check(values());
    if (!checked.ok) return show(checked.message, false);
    show("正在连接 " + checked.settings.server + " …", true);
    client.get(client.xhrHttp(window.XMLHttpRequest), checked.settings, "/api/info").then(
      function (info) {
        (info.profiles || []).forEach(addProfile);
        $("profile").value = checked.settings.profile;
        show(
          "已连接：perfxl " + (info.version || "") + "，服务默认评分规则 " + (info.profile || "—") +
            "，可选规则 " + (info.profiles || []).length + " 个。",
          true
        );
      },
      function (err) {
        show(err && err.message ? err.message : String(err), false);
      }
    );
  };

  $("save").onclick = function () {
    var saved = settings.save(storage, values());
    if (!saved.ok) return show(saved.message, false);
    show("已保存。之后点“校验本表”将使用这些设置。", true);
  };

  $("close").onclick = function () {
    window.close();
  };
})();
