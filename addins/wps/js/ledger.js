/*
 * The record of what perfxl marked, so that 清除标记 undoes exactly that.
 *
 * It is the very same very hidden sheet `perfxl_marks` perfxl's Excel ribbon keeps
 * (perfxl/excel/sheet.py: MARKS_SHEET, MARKS_HEADER): one row per marked cell with its
 * fill and comment before the mark, as text. It travels with the workbook, so a sheet
 * marked in WPS can be cleared later, in WPS or in Excel, and the other way round.
 * Every text is written with a leading apostrophe, so a comment starting with "=" or a
 * fill like "#00FF00" stays text and is read back as it was written.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./et.js"));
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.ledger = factory(root.perfxl.et);
  }
})(this, function (et) {
  "use strict";

  var SHEET = "perfxl_marks";
  var HEADER = ["sheet", "cell", "fill_before", "fill_mark", "comment_before", "had_comment"];

  function text(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "number" && Math.floor(value) === value) return String(value);
    return String(value);
  }

  /** The recorded rows (each six texts, HEADER's order); [] when nothing is recorded. */
  function read(book) {
    var sheet = et.findSheet(book, SHEET);
    if (!sheet) return [];
    var used = et.readUsed(sheet);
    var rows = [];
    used.cells.forEach(function (row, i) {
      var cells = row.map(text);
      if (i === 0 && cells[0] === HEADER[0]) return; // the header row
      while (cells.length < HEADER.length) cells.push("");
      if (cells[0] !== "") rows.push(cells.slice(0, HEADER.length));
    });
    return rows;
  }

  /**
   * Replace the record with these rows; with none left, delete the record sheet. Adding
   * the sheet activates it, so the sheet that was active is activated again.
   */
  function write(app, book, rows) {
    var sheet = et.findSheet(book, SHEET);
    if (!rows.length) {
      if (sheet) remove(app, sheet);
      return;
    }
    var active = app.ActiveSheet;
    if (!sheet) {
      sheet = book.Worksheets.Add();
      sheet.Name = SHEET;
    } else {
      sheet.Cells.ClearContents();
    }
    [HEADER].concat(rows).forEach(function (row, i) {
      row.forEach(function (value, j) {
        var cell = sheet.Cells.Item(i + 1, j + 1);
        cell.Value2 = value === "" ? "" : "'" + value;
      });
    });
    if (active && active !== sheet && typeof active.Activate === "function") active.Activate();
    sheet.Visible = et.XL_VERY_HIDDEN;
  }

  function remove(app, sheet) {
    var alerts = et.setQuietly(app, "DisplayAlerts", false);
    try {
      sheet.Visible = et.XL_VISIBLE; // a very hidden sheet cannot be deleted
      sheet.Delete();
    } catch (e) {
      // structure protected: leave an empty record (header only) rather than stale rows
      sheet.Cells.ClearContents();
      HEADER.forEach(function (name, j) {
        sheet.Cells.Item(1, j + 1).Value2 = "'" + name;
      });
      sheet.Visible = et.XL_VERY_HIDDEN;
    } finally {
      if (alerts !== undefined) et.setQuietly(app, "DisplayAlerts", alerts);
    }
  }

  return { SHEET: SHEET, HEADER: HEADER, read: read, write: write };
});
