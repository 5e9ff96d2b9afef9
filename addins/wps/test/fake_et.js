/*
 * A fake of the WPS ET (表格) object model, as much of it as the add-in uses, behaving
 * as the documented API (which follows Excel VBA's) does:
 *
 * - Cells are 1-based: sheet.Cells.Item(row, col), sheet.Range("E12"), Range("B3:D5").
 * - Range.Value2 of one cell is a scalar (undefined when empty); of a larger range, rows
 *   of values. Assigning text that starts with an apostrophe stores the text after it.
 * - UsedRange spans every cell with a value, a fill or a comment; an empty sheet's is A1.
 * - Interior.Color is a BGR integer; an unfilled cell reads Color 16777215 (white) with
 *   ColorIndex and Pattern -4142 (xlNone); ColorIndex = -4142 removes the fill.
 * - Range.AddComment(text) throws when the cell already has a comment (VBA error 1004);
 *   Range.Comment is null without one; Comment.Text() reads, Comment.Delete() removes.
 * - A sheet protected with Contents refuses every edit of its cells (values, fills,
 *   comments); Unprotect(password) throws on a wrong password.
 * - Workbook.Worksheets.Add() adds a sheet and activates it (throws when the workbook's
 *   structure is protected); a very hidden sheet (Visible = 2) cannot be deleted.
 *
 * `snapshot(book)` gives everything the add-in could change, to assert "no change".
 */
"use strict";

const a1 = require("../js/a1.js");

const WHITE = 16777215;
const XL_NONE = -4142;

class ComError extends Error {
  constructor(message) {
    super(message);
    this.name = "ComError";
  }
}

function parseRange(text) {
  const parts = String(text).split(":");
  const first = a1.parse(parts[0]);
  const last = parts.length > 1 ? a1.parse(parts[1]) : first;
  if (!first || !last) throw new ComError(`Range("${text}"): not an address`);
  return [first.row, first.col, last.row, last.col];
}

class Comment {
  constructor(range) {
    this.range = range;
  }
  Text(text) {
    const cell = this.range.sheet.cell(this.range.r1, this.range.c1, false);
    if (text === undefined) return cell.comment;
    this.range.sheet.guard();
    cell.comment = String(text);
    return cell.comment;
  }
  Delete() {
    this.range.sheet.guard();
    this.range.sheet.cell(this.range.r1, this.range.c1, true).comment = null;
  }
}

class Interior {
  constructor(range) {
    this.range = range;
  }
  first() {
    return this.range.sheet.cell(this.range.r1, this.range.c1, false);
  }
  each(fn) {
    this.range.sheet.guard();
    this.range.forEach((cell) => fn(cell));
  }
  get Color() {
    const fill = this.first().fill;
    return fill === null ? WHITE : fill;
  }
  set Color(bgr) {
    this.each((cell) => {
      cell.fill = Number(bgr);
    });
  }
  get ColorIndex() {
    return this.first().fill === null ? XL_NONE : 1;
  }
  set ColorIndex(index) {
    if (index !== XL_NONE) throw new ComError("palette indexes are not faked");
    this.each((cell) => {
      cell.fill = null;
    });
  }
  get Pattern() {
    return this.first().fill === null ? XL_NONE : 1; // xlSolid
  }
  set Pattern(pattern) {
    if (pattern !== XL_NONE) throw new ComError("patterns are not faked");
    this.each((cell) => {
      cell.fill = null;
    });
  }
}

class Range {
  constructor(sheet, r1, c1, r2, c2) {
    Object.assign(this, { sheet, r1, c1, r2: r2 ?? r1, c2: c2 ?? c1 });
  }
  forEach(fn) {
    for (let r = this.r1; r <= this.r2; r++) {
      for (let c = this.c1; c <= this.c2; c++) fn(this.sheet.cell(r, c, true), r, c);
    }
  }
  get Row() {
    return this.r1;
  }
  get Column() {
    return this.c1;
  }
  get Rows() {
    return { Count: this.r2 - this.r1 + 1 };
  }
  get Columns() {
    return { Count: this.c2 - this.c1 + 1 };
  }
  Address() {
    const one = `$${a1.columnLetters(this.c1)}$${this.r1}`;
    if (this.r1 === this.r2 && this.c1 === this.c2) return one;
    return `${one}:$${a1.columnLetters(this.c2)}$${this.r2}`;
  }
  get Value2() {
    const value = (r, c) => this.sheet.cell(r, c, false).value;
    if (this.r1 === this.r2 && this.c1 === this.c2) return value(this.r1, this.c1);
    const rows = [];
    for (let r = this.r1; r <= this.r2; r++) {
      const row = [];
      for (let c = this.c1; c <= this.c2; c++) row.push(value(r, c));
      rows.push(row);
    }
    return rows;
  }
  set Value2(v) {
    this.sheet.guard();
    const store = (cell, x) => {
      cell.value = typeof x === "string" && x.startsWith("'") ? x.slice(1) : x === "" ? undefined : x;
    };
    if (Array.isArray(v)) {
      this.forEach((cell, r, c) => store(cell, v[r - this.r1][c - this.c1]));
    } else {
      this.forEach((cell) => store(cell, v));
    }
  }
  get Interior() {
    return new Interior(this);
  }
  get Comment() {
    return this.sheet.cell(this.r1, this.c1, false).comment === null ? null : new Comment(this);
  }
  AddComment(text) {
    this.sheet.guard();
    const cell = this.sheet.cell(this.r1, this.c1, true);
    if (cell.comment !== null) throw new ComError("AddComment: the cell already has a comment (1004)");
    cell.comment = text === undefined ? "" : String(text);
    return new Comment(this);
  }
  ClearComments() {
    this.sheet.guard();
    this.forEach((cell) => {
      cell.comment = null;
    });
  }
  ClearContents() {
    this.sheet.guard();
    this.forEach((cell) => {
      cell.value = undefined;
    });
  }
  get MergeCells() {
    return this.sheet.mergeOf(this.r1, this.c1) !== null;
  }
  get MergeArea() {
    const m = this.sheet.mergeOf(this.r1, this.c1);
    return m ? new Range(this.sheet, ...m) : this;
  }
}

class Worksheet {
  constructor(book, name) {
    this.book = book;
    this._name = name;
    this.cells = new Map(); // "r,c" -> {value, fill, comment}
    this.merges = [];
    this.Visible = -1;
    this.password = null;
    this.protectedWith = null; // Protect's options by name, when protected
    this.EnableSelection = 0;
    this.activations = 0;
  }
  get Name() {
    return this._name;
  }
  set Name(name) {
    if (this.book.sheets.some((s) => s !== this && s._name === name)) throw new ComError("name taken");
    this._name = name;
  }
  cell(r, c, create) {
    const key = `${r},${c}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { value: undefined, fill: null, comment: null };
      if (create) this.cells.set(key, cell);
    }
    return cell;
  }
  guard() {
    if (this.protectedWith && this.protectedWith.Contents) {
      throw new ComError(`sheet "${this._name}" is protected: the cell cannot be changed`);
    }
  }
  mergeOf(r, c) {
    return this.merges.find(([r1, c1, r2, c2]) => r >= r1 && r <= r2 && c >= c1 && c <= c2) || null;
  }
  Range(text) {
    return new Range(this, ...parseRange(text));
  }
  get Cells() {
    const sheet = this;
    return {
      Item: (r, c) => new Range(sheet, r, c),
      ClearContents: () => {
        sheet.guard();
        for (const cell of sheet.cells.values()) cell.value = undefined;
      },
    };
  }
  get UsedRange() {
    let r1 = Infinity;
    let c1 = Infinity;
    let r2 = 0;
    let c2 = 0;
    for (const [key, cell] of this.cells) {
      if (cell.value === undefined && cell.fill === null && cell.comment === null) continue;
      const [r, c] = key.split(",").map(Number);
      r1 = Math.min(r1, r);
      c1 = Math.min(c1, c);
      r2 = Math.max(r2, r);
      c2 = Math.max(c2, c);
    }
    if (!r2) return new Range(this, 1, 1);
    return new Range(this, r1, c1, r2, c2);
  }
  get ProtectContents() {
    return !!(this.protectedWith && this.protectedWith.Contents);
  }
  get ProtectDrawingObjects() {
    return !!(this.protectedWith && this.protectedWith.DrawingObjects);
  }
  get ProtectScenarios() {
    return !!(this.protectedWith && this.protectedWith.Scenarios);
  }
  get ProtectionMode() {
    return !!(this.protectedWith && this.protectedWith.UserInterfaceOnly);
  }
  get Protection() {
    const options = this.protectedWith || {};
    const out = {};
    for (const name of OPTIONS.slice(4)) out[name] = !!options[name];
    return out;
  }
  Protect(password, ...flags) {
    const options = {};
    OPTIONS.forEach((name, i) => {
      const given = flags[i];
      options[name] = given === undefined ? i < 3 : !!given; // Excel's defaults
    });
    this.protectedWith = options;
    this.password = password === undefined || password === "" ? null : String(password);
  }
  Unprotect(password) {
    if (!this.protectedWith) return;
    if ((password || null) !== this.password) throw new ComError("wrong password (1004)");
    this.protectedWith = null;
    this.password = null;
  }
  Activate() {
    this.book.active = this;
    this.activations += 1;
  }
  Delete() {
    if (this.book.ProtectStructure) throw new ComError("workbook structure is protected");
    if (this.Visible === 2) throw new ComError("a very hidden sheet cannot be deleted");
    this.book.sheets = this.book.sheets.filter((s) => s !== this);
    if (this.book.active === this) this.book.active = this.book.sheets[0] || null;
  }
  /** Test helper: a sheet from rows of values, the first at `topLeft`. */
  put(topLeft, rows) {
    const at = a1.parse(topLeft);
    rows.forEach((row, i) =>
      row.forEach((value, j) => {
        if (value !== null && value !== undefined && value !== "") {
          this.cell(at.row + i, at.col + j, true).value = value;
        }
      })
    );
    return this;
  }
}

const OPTIONS = [
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
  "AllowUsingPivotTables",
];

class Workbook {
  constructor(names) {
    this.sheets = [];
    this.ProtectStructure = false;
    for (const name of names) this.sheets.push(new Worksheet(this, name));
    this.active = this.sheets[0] || null;
  }
  get Worksheets() {
    const book = this;
    return {
      get Count() {
        return book.sheets.length;
      },
      Item(key) {
        const sheet =
          typeof key === "number" ? book.sheets[key - 1] : book.sheets.find((s) => s.Name === key);
        if (!sheet) throw new ComError(`Worksheets.Item(${key}): no such sheet`);
        return sheet;
      },
      Add() {
        if (book.ProtectStructure) throw new ComError("workbook structure is protected");
        let n = book.sheets.length + 1;
        while (book.sheets.some((s) => s.Name === `Sheet${n}`)) n += 1;
        const sheet = new Worksheet(book, `Sheet${n}`);
        book.sheets.push(sheet);
        book.active = sheet; // Excel and ET activate the new sheet
        return sheet;
      },
    };
  }
  get ActiveSheet() {
    return this.active;
  }
  sheet(name) {
    return this.sheets.find((s) => s.Name === name) || null;
  }
}

class Application {
  constructor(book) {
    this.ActiveWorkbook = book || null;
    this.ScreenUpdating = true;
    this.DisplayAlerts = true;
  }
  get ActiveSheet() {
    return this.ActiveWorkbook ? this.ActiveWorkbook.ActiveSheet : null;
  }
}

/** Everything the add-in could change in a workbook, as plain data. */
function snapshot(book) {
  return book.sheets.map((s) => ({
    name: s.Name,
    visible: s.Visible,
    protectedWith: s.protectedWith,
    password: s.password,
    cells: [...s.cells.entries()]
      .filter(([, c]) => c.value !== undefined || c.fill !== null || c.comment !== null)
      .sort()
      .map(([k, c]) => [k, c.value, c.fill, c.comment]),
  }));
}

module.exports = { Application, Workbook, Worksheet, Range, ComError, snapshot, WHITE, XL_NONE, OPTIONS };
