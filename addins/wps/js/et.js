/*
 * The few ET (WPS 表格) object-model calls the add-in makes, each a line or two, kept
 * in one place so that the rest of the add-in is plain logic. The calls are those of
 * the documented ET JS API, which follows Excel's VBA object model: ActiveSheet,
 * UsedRange (.Value2, .Row, .Column, .Rows.Count), Range("E12").Interior.Color (a BGR
 * integer), Interior.ColorIndex = -4142 (xlColorIndexNone) for "no fill",
 * Range.AddComment(text), Range.Comment.Text(), Comment.Delete(), ProtectContents,
 * Unprotect(password), Protect(...). The tests drive them through a fake of that model
 * (test/fake_et.js); nothing here reads a WPS global.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./a1.js"), require("./colors.js"));
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.et = factory(root.perfxl.a1, root.perfxl.colors);
  }
})(this, function (a1, colors) {
  "use strict";

  var XL_NONE = -4142; // xlColorIndexNone / xlNone
  var XL_VERY_HIDDEN = 2; // xlSheetVeryHidden: not even listed under 取消隐藏
  var XL_VISIBLE = -1;
  // Worksheet.Protect's parameters after Password, in Excel's order.
  var PROTECT_OPTIONS = [
    "DrawingObjects",
    "Contents",
    "Scenarios",
    "UserInterfaceOnly",
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables"
  ];

  /** A problem the user can act on; its message is Chinese and shown as it is. */
  function UserError(message) {
    this.name = "UserError";
    this.message = message;
  }
  UserError.prototype = Object.create(Error.prototype);
  UserError.prototype.constructor = UserError;

  /** The active workbook and worksheet, or a UserError saying what is missing. */
  function context(app) {
    var book = app ? app.ActiveWorkbook : null;
    if (!book) throw new UserError("请先打开要校验的工作簿。");
    var sheet = app.ActiveSheet;
    if (!sheet || typeof sheet.UsedRange === "undefined") {
      throw new UserError("当前活动的不是工作表（可能是图表），请切换到要校验的工作表。");
    }
    return { book: book, sheet: sheet };
  }

  /** A Value2 cell as JSON can carry it: text, finite number, boolean or null. */
  function cleanValue(value) {
    if (value === undefined || value === null) return null;
    if (typeof value === "number") return isFinite(value) ? value : null;
    if (typeof value === "string" || typeof value === "boolean") return value;
    return null; // error values, dates as objects, anything unexpected
  }

  /**
   * The sheet's used range: its values as a 2-D array (Value2 gives a single cell as a
   * scalar, a larger range as rows of values), its top-left address and size.
   */
  function readUsed(sheet) {
    var used = sheet.UsedRange;
    var rows = Number(used.Rows.Count);
    var cols = Number(used.Columns.Count);
    var value = used.Value2;
    var grid;
    if (rows * cols === 1 || !Array.isArray(value)) {
      grid = [[value]];
    } else if (!Array.isArray(value[0])) {
      grid = rows === 1 ? [value] : value.map(function (v) { return [v]; });
    } else {
      grid = value;
    }
    var empty = true;
    var cells = grid.map(function (row) {
      return row.map(function (v) {
        var clean = cleanValue(v);
        if (clean !== null && !(typeof clean === "string" && clean.trim() === "")) empty = false;
        return clean;
      });
    });
    return {
      topLeft: a1.address(Number(used.Row), Number(used.Column)),
      rows: rows,
      cols: cols,
      cells: cells,
      empty: empty
    };
  }

  function sheetName(sheet) {
    return String(sheet.Name);
  }

  /** The worksheet of this name in the workbook, or null. */
  function findSheet(book, name) {
    var sheets = book.Worksheets;
    var count = Number(sheets.Count);
    for (var i = 1; i <= count; i++) {
      var sheet = sheets.Item(i);
      if (sheetName(sheet) === name) return sheet;
    }
    return null;
  }

  /** The cell the user sees for an address: the top-left cell of its merged area. */
  function anchor(sheet, address) {
    var where = a1.parse(address);
    if (!where) return null;
    var cell = sheet.Cells.Item(where.row, where.col);
    if (cell.MergeCells) {
      var area = cell.MergeArea;
      cell = sheet.Cells.Item(Number(area.Row), Number(area.Column));
    }
    return cell;
  }

  function addressOf(cell) {
    return a1.address(Number(cell.Row), Number(cell.Column));
  }

  /** The cell's fill as "#RRGGBB", or "" when it has none. */
  function fill(cell) {
    var interior = cell.Interior;
    if (Number(interior.ColorIndex) === XL_NONE || Number(interior.Pattern) === XL_NONE) return "";
    return colors.bgrToHex(Number(interior.Color)) || "";
  }

  /** Fill with "#RRGGBB", or take the fill away with "". */
  function setFill(cell, token) {
    var bgr = colors.hexToBgr(token);
    if (bgr === null) {
      cell.Interior.ColorIndex = XL_NONE;
    } else {
      cell.Interior.Color = bgr;
    }
  }

  /** The cell's comment text, or null when it has none. */
  function comment(cell) {
    var note = cell.Comment;
    if (!note) return null;
    var text = note.Text();
    return text === undefined || text === null ? "" : String(text);
  }

  /** Replace the cell's comment (AddComment fails on a cell that has one), or remove it. */
  function setComment(cell, text) {
    var note = cell.Comment;
    if (note) note.Delete();
    if (text) cell.AddComment(text);
  }

  /** How the sheet is protected (Protect's options by name), or null when it is not. */
  function protection(sheet) {
    if (!(sheet.ProtectContents || sheet.ProtectDrawingObjects || sheet.ProtectScenarios)) {
      return null;
    }
    var allowed = sheet.Protection || {};
    var options = {
      DrawingObjects: !!sheet.ProtectDrawingObjects,
      Contents: !!sheet.ProtectContents,
      Scenarios: !!sheet.ProtectScenarios,
      UserInterfaceOnly: !!sheet.ProtectionMode
    };
    PROTECT_OPTIONS.slice(4).forEach(function (name) {
      options[name] = !!allowed[name];
    });
    var selection = sheet.EnableSelection;
    return { options: options, enableSelection: selection === undefined ? null : selection };
  }

  /**
   * Lift protection set without a password: Unprotect with the empty password opens
   * exactly those sheets and fails on any other. Returns false when it stays locked.
   */
  function unprotect(sheet) {
    try {
      sheet.Unprotect("");
    } catch (e) {
      return false;
    }
    return !sheet.ProtectContents && !sheet.ProtectDrawingObjects && !sheet.ProtectScenarios;
  }

  /** Protect again, without a password, with the options it had. */
  function protect(sheet, how) {
    var args = [undefined].concat(PROTECT_OPTIONS.map(function (name) {
      return how.options[name];
    }));
    sheet.Protect.apply(sheet, args);
    if (how.enableSelection !== null) sheet.EnableSelection = how.enableSelection;
  }

  function setQuietly(app, name, value) {
    try {
      var before = app[name];
      app[name] = value;
      return before;
    } catch (e) {
      return undefined;
    }
  }

  return {
    XL_NONE: XL_NONE,
    XL_VERY_HIDDEN: XL_VERY_HIDDEN,
    XL_VISIBLE: XL_VISIBLE,
    PROTECT_OPTIONS: PROTECT_OPTIONS,
    UserError: UserError,
    context: context,
    cleanValue: cleanValue,
    readUsed: readUsed,
    sheetName: sheetName,
    findSheet: findSheet,
    anchor: anchor,
    addressOf: addressOf,
    fill: fill,
    setFill: setFill,
    comment: comment,
    setComment: setComment,
    protection: protection,
    unprotect: unprotect,
    protect: protect,
    setQuietly: setQuietly
  };
});
