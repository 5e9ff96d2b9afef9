/*
 * Talking to `perfxl serve`: the request /api/check-sheet expects, and every way it can
 * fail turned into one Chinese sentence the clerk can act on (start the service, fill in
 * the token, …), never a JavaScript error dialog.
 *
 * The transport is a function injected by the caller, http(request) -> Promise of
 * {status, text}, rejecting with {kind: "network"} or {kind: "timeout"}: in WPS it is
 * XMLHttpRequest (xhrHttp), in the tests a fake or Node's fetch (fetchHttp).
 *
 * The body goes as text/plain: with no token that is a "simple" cross-origin request
 * (no CORS preflight); the service reads the body as JSON whatever its type.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.client = factory();
  }
})(this, function () {
  "use strict";

  /** A failed call to the service; the message is Chinese and shown as it is. */
  function ServiceError(message) {
    this.name = "ServiceError";
    this.message = message;
  }
  ServiceError.prototype = Object.create(Error.prototype);
  ServiceError.prototype.constructor = ServiceError;

  function unreachable(server) {
    return (
      "无法连接 perfxl 服务（" + server + "）。\n" +
      "请先启动 perfxl serve（启动方法见 docs/wps.md，可设为开机自动启动），" +
      "或在“绩效 → 设置”中核对服务地址，然后再点“校验本表”。"
    );
  }

  function errorText(text) {
    try {
      var parsed = JSON.parse(text);
      if (parsed && typeof parsed.error === "string" && parsed.error) return parsed.error;
    } catch (e) {
      // not JSON: fall through
    }
    return null;
  }

  /** The service's answer to a call, or a ServiceError with the reason in Chinese. */
  function interpret(server, response) {
    var status = Number(response.status);
    if (status === 200) {
      try {
        return JSON.parse(response.text);
      } catch (e) {
        throw new ServiceError("perfxl 服务返回的内容无法识别（不是 JSON），请确认服务地址指向 perfxl serve。");
      }
    }
    if (status === 0) throw new ServiceError(unreachable(server));
    if (status === 401) {
      throw new ServiceError("perfxl 服务要求访问令牌：请在“绩效 → 设置”中填写启动服务时设置的令牌。");
    }
    if (status === 404 || status === 405) {
      throw new ServiceError(
        "服务地址 " + server + " 上没有 perfxl 的校验接口（/api/check-sheet）。" +
        "请确认地址指向 perfxl serve，且 perfxl 已更新到带 serve 的版本。"
      );
    }
    var reason = errorText(response.text);
    if (status === 413) {
      throw new ServiceError("本表内容超过了 perfxl 服务的大小上限，无法校验" + (reason ? "：" + reason : "。"));
    }
    if (reason) throw new ServiceError("perfxl 服务未能校验本表：" + reason);
    throw new ServiceError("perfxl 服务出错（HTTP " + status + "），请稍后再试或查看服务窗口中的提示。");
  }

  /** POST a JSON body to the service; resolves with the parsed answer. */
  function post(http, settings, path, body) {
    var headers = { "Content-Type": "text/plain;charset=UTF-8" };
    if (settings.token) headers.Authorization = "Bearer " + settings.token;
    return send(http, settings, { method: "POST", path: path, headers: headers, body: JSON.stringify(body) });
  }

  /** GET from the service; resolves with the parsed answer. */
  function get(http, settings, path) {
    var headers = {};
    if (settings.token) headers.Authorization = "Bearer " + settings.token;
    return send(http, settings, { method: "GET", path: path, headers: headers, body: null });
  }

  function send(http, settings, request) {
    var server = settings.server;
    var seconds = settings.timeoutSeconds;
    var call;
    try {
      call = http({
        method: request.method,
        url: server + request.path,
        headers: request.headers,
        body: request.body,
        timeoutMs: seconds * 1000
      });
    } catch (e) {
      return Promise.reject(new ServiceError(unreachable(server)));
    }
    return Promise.resolve(call).then(
      function (response) {
        return interpret(server, response);
      },
      function (failure) {
        if (failure && failure.kind === "timeout") {
          throw new ServiceError(
            "perfxl 服务在 " + seconds + " 秒内没有回应（" + server + "）。" +
            "表格很大时可在“绩效 → 设置”中放宽等待时间；服务卡住时请重新启动 perfxl serve。"
          );
        }
        throw new ServiceError(unreachable(server));
      }
    );
  }

  /** The transport over XMLHttpRequest (what a WPS add-in page has). */
  function xhrHttp(XHR) {
    return function (request) {
      return new Promise(function (resolve, reject) {
        var xhr = new XHR();
        xhr.open(request.method, request.url, true);
        xhr.timeout = request.timeoutMs;
        Object.keys(request.headers || {}).forEach(function (name) {
          xhr.setRequestHeader(name, request.headers[name]);
        });
        xhr.onload = function () {
          resolve({ status: xhr.status, text: xhr.responseText });
        };
        xhr.onerror = function () {
          reject({ kind: "network" });
        };
        xhr.ontimeout = function () {
          reject({ kind: "timeout" });
        };
        xhr.send(request.body);
      });
    };
  }

  /** The transport over fetch (Node 20 in the live test; newer WPS builds have it too). */
  function fetchHttp(fetchFn) {
    return function (request) {
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      var timer = null;
      var timedOut = false;
      if (controller) {
        timer = setTimeout(function () {
          timedOut = true;
          controller.abort();
        }, request.timeoutMs);
      }
      var options = { method: request.method, headers: request.headers };
      if (request.body !== null && request.body !== undefined) options.body = request.body;
      if (controller) options.signal = controller.signal;
      return fetchFn(request.url, options).then(
        function (response) {
          return response.text().then(function (text) {
            if (timer) clearTimeout(timer);
            return { status: response.status, text: text };
          });
        },
        function () {
          if (timer) clearTimeout(timer);
          throw { kind: timedOut ? "timeout" : "network" };
        }
      );
    };
  }

  return {
    ServiceError: ServiceError,
    interpret: interpret,
    post: post,
    get: get,
    xhrHttp: xhrHttp,
    fetchHttp: fetchHttp
  };
});
