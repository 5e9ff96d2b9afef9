/*
 * Cell addresses: "E12" <-> (row 12, column 5), both 1-based as in the ET object model.
 *
 * Plain functions with no WPS globals, so node's test runner can load them. In WPS the
 * file is a classic <script>; it adds itself to window.perfxl (see main.js).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.a1 = factory();
  }
})(this, function () {
  "use strict";

  var A1 = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/;

  function columnLetters(col) {
    var out = "";
    while (col > 0) {
      var rest = (col - 1) % 26;
      out = String.fromCharCode(65 + rest) + out;
      col = Math.floor((col - 1) / 26);
    }
    return out;
  }

  function address(row, col) {
    return columnLetters(col) + String(row);
  }

  /** "E12", "$E$12" or "E12:K40" (the first cell counts) -> {row, col}; null if not an address. */
  function parse(text) {
    if (typeof text !== "string") return null;
    var first = text.split(":")[0].trim();
    var match = A1.exec(first);
    if (!match) return null;
    var col = 0;
    var letters = match[1].toUpperCase();
    for (var i = 0; i < letters.length; i++) col = col * 26 + letters.charCodeAt(i) - 64;
    return { row: parseInt(match[2], 10), col: col };
  }

  return { columnLetters: columnLetters, address: address, parse: parse };
});
