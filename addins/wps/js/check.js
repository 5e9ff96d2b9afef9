/*
 * 校验本表 and 清除标记: the add-in's two actions, as plain functions over an injected
 * ET Application and http transport (nothing here touches a WPS global), so node's test
 * runner can drive them against test/fake_et.js.
 *
 * 校验本表 sends the active sheet's used range (Value2 and its top-left address) to
 * /api/check-sheet and puts the returned marks on the sheet: the fill colour and the
 * note as a comment, the cell's earlier comment kept below "——原有批注——", exactly as
 * perfxl's Excel ribbon does (perfxl/excel/sheet.py). Each marked cell's fill and
 * comment before the mark are recorded in the workbook (js/ledger.js), and the sheet's
 * earlier marks are undone first, so marks never pile up.
 *
 * 清除标记 restores every recorded cell, unless the user has changed it since (a fill
 * that is no longer perfxl's colour, a comment that no longer starts with perfxl's
 * head), and touches nothing else.
 *
 * A sheet protected without a password is unprotected for the marking and protected
 * again with the very options it had; one with a password is left as it is and the
 * clerk is told. Both actions resolve with {ok, message}; they never reject.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./et.js"), require("./ledger.js"), require("./client.js"), require("./colors.js"));
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.check = factory(root.perfxl.et, root.perfxl.ledger, root.perfxl.client, root.perfxl.colors);
  }
})(this, function (et, ledger, client, colors) {
  "use strict";

  var COMMENT_HEAD = "perfxl 校验："; // every perfxl comment starts so (perfxl/excel/sheet.py)
  var COMMENT_BEFORE = "——原有批注——";
  var SEVERITY_ORDER = ["error", "warning", "info"];
  var SEVERITY_ZH = { error: "错误", warning: "警告", info: "提示" };

  function failure(err) {
    if (err instanceof et.UserError || err instanceof client.ServiceError) {
      return { ok: false, message: err.message };
    }
    var detail = err && err.message ? String(err.message) : String(err);
    return {
      ok: false,
      message: "perfxl 加载项在操作表格时出错，本次未完成：" + detail.slice(0, 200) +
        "\n（若工作表已部分标记，可点“清除标记”复原。）"
    };
  }

  function number(value) {
    if (value === null || value === undefined || value === "") return "—";
    return String(value);
  }

  /** A fraction as a percentage with two decimals, as perfxl prints it (0.398 -> 39.80%). */
  function percent(value) {
    if (typeof value !== "number") return number(value);
    return (Math.round(value * 10000) / 100).toFixed(2) + "%";
  }

  /** A light as a clerk reads it: 红灯, 黄灯, 绿灯, 蓝灯 (— when the service gave none). */
  function light(value) {
    return value ? String(value) + "灯" : "—";
  }

  /** One table's line: a 自评表's 总分/等级, a 监控表's month, 执行率 and lights. */
  function tableLine(t) {
    var name = t.project ? "“" + t.project + "”" : "";
    if (t.kind === "monitoring") {
      var month = typeof t.month === "number" ? t.month + " 月" : "未填";
      return (
        "项目" + name + "：监控月份 " + month + "，执行率 " + percent(t.execution_rate) +
        "（序时进度 " + percent(t.time_progress) + "），预算执行" + light(t.execution_light) +
        "，项目预警" + light(t.light)
      );
    }
    return (
      "项目" + name + "：总分 " + number(t.total) + "，等级 " + number(t.grade) +
      "，预算执行率 " + percent(t.execution_rate)
    );
  }

  /** The Chinese summary of an answer: each table's figures, then the finding counts. */
  function summary(answer) {
    var counts = { error: 0, warning: 0, info: 0 };
    answer.findings.forEach(function (f) {
      if (counts[f.severity] !== undefined) counts[f.severity] += 1;
    });
    var lines = [];
    answer.tables.forEach(function (t) {
      lines.push(tableLine(t));
    });
    if (!answer.tables.length) {
      lines.push("本表未算出总分。");
      var general = answer.findings.filter(function (f) {
        return f.severity === "error";
      })[0];
      if (general) lines.push(general.message);
    }
    if (counts.error + counts.warning + counts.info === 0) {
      lines.push("未发现问题。");
    } else {
      lines.push("错误 " + counts.error + " 个，警告 " + counts.warning + " 个，提示 " + counts.info + " 个。");
    }
    return lines.join("\n");
  }

  function validAnswer(answer) {
    return (
      answer && Array.isArray(answer.marks) && Array.isArray(answer.findings) && Array.isArray(answer.tables)
    );
  }

  function worse(a, b) {
    var ia = SEVERITY_ORDER.indexOf(a);
    var ib = SEVERITY_ORDER.indexOf(b);
    if (ia < 0) return b;
    if (ib < 0) return a;
    return ia <= ib ? a : b;
  }

  /** Marks grouped by the cell they land on (merged areas on their top-left cell). */
  function plan(sheet, marks) {
    var byCell = {};
    var order = [];
    marks.forEach(function (m) {
      if (!m || typeof m.cell !== "string" || typeof m.note !== "string") return;
      var cell = et.anchor(sheet, m.cell);
      if (!cell) return;
      var key = et.addressOf(cell);
      var color = colors.hexToBgr(m.color) === null ? "" : m.color.toUpperCase();
      if (!byCell[key]) {
        byCell[key] = { cell: cell, address: key, note: m.note, color: color, severity: m.severity };
        order.push(key);
        return;
      }
      var group = byCell[key]; // two marked cells in one merged area: one mark, both notes
      group.note += "\n" + m.note.split("\n").slice(1).join("\n");
      var severity = worse(group.severity, m.severity);
      if (severity !== group.severity && color) group.color = color;
      if (!group.color) group.color = color;
      group.severity = severity;
    });
    return order.map(function (key) {
      return byCell[key];
    });
  }

  /** Undo recorded marks on one sheet; returns how many cells were restored. */
  function restore(sheet, rows) {
    rows.forEach(function (row) {
      var cell = et.anchor(sheet, row[1]);
      if (!cell) return;
      var fillMark = row[3];
      if (fillMark && colors.same(et.fill(cell), fillMark)) et.setFill(cell, row[2]);
      var current = et.comment(cell);
      if (current !== null && current.indexOf(COMMENT_HEAD) === 0) {
        et.setComment(cell, row[5] === "1" ? row[4] : null);
      }
    });
    return rows.length;
  }

  /** Run `work` on the sheet with its password-free protection lifted meanwhile. */
  function unlocked(sheet, work) {
    var how = et.protection(sheet);
    if (how && !et.unprotect(sheet)) return { locked: true };
    var result;
    try {
      result = work();
    } finally {
      if (how) {
        try {
          et.protect(sheet, how);
        } catch (e) {
          result = result || {};
          result.reprotectFailed = true;
        }
      }
    }
    return { locked: false, result: result, reprotectFailed: !!(result && result.reprotectFailed) };
  }

  function lockedMessage(name) {
    return (
      "工作表“" + name + "”受密码保护，perfxl 未在表上做任何标记。" +
      "如需标出问题单元格，请先撤销工作表保护（审阅 → 撤销工作表保护），再点“校验本表”。"
    );
  }

  var REPROTECT_FAILED = "注意：标记后未能恢复工作表保护，请在“审阅 → 保护工作表”中重新保护。";

  function quietly(app, work) {
    var screen = et.setQuietly(app, "ScreenUpdating", false);
    try {
      return work();
    } finally {
      if (screen !== undefined) et.setQuietly(app, "ScreenUpdating", screen);
    }
  }

  function applyAnswer(app, ctx, answer) {
    if (!validAnswer(answer)) {
      throw new client.ServiceError("perfxl 服务返回的内容缺少 findings/marks/tables，无法标记；请确认服务为 perfxl serve。");
    }
    var text = summary(answer);
    var name = et.sheetName(ctx.sheet);
    var recorded = ledger.read(ctx.book);
    var mine = recorded.filter(function (row) {
      return row[0] === name;
    });
    var others = recorded.filter(function (row) {
      return row[0] !== name;
    });
    var marks = plan(ctx.sheet, answer.marks);
    if (!marks.length && !mine.length) return { ok: true, message: text, marked: 0 };
    if (ctx.book.ProtectStructure && !et.findSheet(ctx.book, ledger.SHEET)) {
      return {
        ok: true,
        marked: 0,
        message: text + "\n\n工作簿结构受保护（无法添加 perfxl 记录标记用的隐藏工作表），未在表上做标记。" +
          "撤销工作簿保护后再点“校验本表”即可标出问题单元格。"
      };
    }
    var outcome = unlocked(ctx.sheet, function () {
      return quietly(app, function () {
        restore(ctx.sheet, mine);
        var rows = marks.map(function (m) {
          var fillBefore = et.fill(m.cell);
          var commentBefore = et.comment(m.cell);
          return [name, m.address, fillBefore, m.color, commentBefore || "", commentBefore !== null ? "1" : "0"];
        });
        ledger.write(app, ctx.book, others.concat(rows));
        marks.forEach(function (m, i) {
          if (m.color) et.setFill(m.cell, m.color);
          var before = rows[i][5] === "1" ? "\n" + COMMENT_BEFORE + "\n" + rows[i][4] : "";
          et.setComment(m.cell, m.note + before);
        });
        return { marked: marks.length };
      });
    });
    if (outcome.locked) return { ok: true, marked: 0, message: text + "\n\n" + lockedMessage(name) };
    var message = text;
    if (marks.length) {
      message += "\n\n已在本表标出 " + marks.length + " 个单元格（红色为错误，橙色为警告；说明见单元格批注）。" +
        "点“清除标记”可复原。";
    }
    if (outcome.reprotectFailed) message += "\n" + REPROTECT_FAILED;
    return { ok: true, marked: marks.length, message: message };
  }

  /** 校验本表. env: {app, http, settings}. Resolves with {ok, message, marked}. */
  function checkSheet(env) {
    var ctx;
    return Promise.resolve()
      .then(function () {
        ctx = et.context(env.app);
        var used = et.readUsed(ctx.sheet);
        if (used.empty) {
          throw new et.UserError("工作表“" + et.sheetName(ctx.sheet) + "”是空的，没有可校验的内容。");
        }
        var body = {
          sheet: et.sheetName(ctx.sheet),
          top_left: used.topLeft,
          cells: used.cells,
          profile: env.settings.profile || null
        };
        return client.post(env.http, env.settings, "/api/check-sheet", body);
      })
      .then(function (answer) {
        return applyAnswer(env.app, ctx, answer);
      })
      .catch(failure);
  }

  /** 清除标记: undo every mark perfxl recorded in the active workbook. */
  function clearMarks(env) {
    return Promise.resolve()
      .then(function () {
        var app = env.app;
        var book = app ? app.ActiveWorkbook : null;
        if (!book) throw new et.UserError("请先打开要清除标记的工作簿。");
        var rows = ledger.read(book);
        if (!rows.length) return { ok: true, restored: 0, message: "本工作簿中没有 perfxl 做的标记。" };
        var bySheet = {};
        var names = [];
        rows.forEach(function (row) {
          if (!bySheet[row[0]]) {
            bySheet[row[0]] = [];
            names.push(row[0]);
          }
          bySheet[row[0]].push(row);
        });
        var kept = [];
        var locked = [];
        var restored = 0;
        var reprotectFailed = false;
        quietly(app, function () {
          names.forEach(function (name) {
            var sheet = et.findSheet(book, name);
            if (!sheet) return; // the sheet is gone, and its marks with it
            var outcome = unlocked(sheet, function () {
              return { restored: restore(sheet, bySheet[name]) };
            });
            if (outcome.locked) {
              locked.push(name);
              kept = kept.concat(bySheet[name]);
              return;
            }
            restored += outcome.result.restored;
            reprotectFailed = reprotectFailed || outcome.reprotectFailed;
          });
          ledger.write(app, book, kept);
        });
        var message = "已清除 " + restored + " 个单元格上的 perfxl 标记，恢复了它们原来的填充色和批注。";
        if (locked.length) {
          message += "\n工作表" + locked.map(function (n) { return "“" + n + "”"; }).join("、") +
            "受密码保护，其上的标记保留；撤销保护后再点“清除标记”。";
        }
        if (reprotectFailed) message += "\n" + REPROTECT_FAILED;
        return { ok: true, restored: restored, message: message };
      })
      .catch(failure);
  }

  return {
    COMMENT_HEAD: COMMENT_HEAD,
    COMMENT_BEFORE: COMMENT_BEFORE,
    SEVERITY_ZH: SEVERITY_ZH,
    summary: summary,
    checkSheet: checkSheet,
    clearMarks: clearMarks
  };
});
