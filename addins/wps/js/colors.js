/*
 * Colours: the server speaks "#RRGGBB" (as perfxl's Excel ribbon records fills); the ET
 * object model's Interior.Color is a BGR integer as in VBA (red 0x0000FF = 255).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.perfxl = root.perfxl || {};
    root.perfxl.colors = factory();
  }
})(this, function () {
  "use strict";

  var HEX = /^#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$/;

  /** "#FF7C80" -> 0x807CFF (8420607); null when the text is not #RRGGBB. */
  function hexToBgr(hex) {
    var m = typeof hex === "string" ? HEX.exec(hex.trim()) : null;
    if (!m) return null;
    var r = parseInt(m[1], 16);
    var g = parseInt(m[2], 16);
    var b = parseInt(m[3], 16);
    return b * 65536 + g * 256 + r;
  }

  function two(n) {
    var s = n.toString(16).toUpperCase();
    return s.length < 2 ? "0" + s : s;
  }

  /** 8420607 -> "#FF7C80"; null for anything that is not a colour number. */
  function bgrToHex(bgr) {
    if (typeof bgr !== "number" || !isFinite(bgr) || bgr < 0 || bgr > 0xffffff) return null;
    bgr = Math.round(bgr);
    var r = bgr % 256;
    var g = Math.floor(bgr / 256) % 256;
    var b = Math.floor(bgr / 65536) % 256;
    return "#" + two(r) + two(g) + two(b);
  }

  function same(a, b) {
    return (a || "").toUpperCase() === (b || "").toUpperCase();
  }

  return { hexToBgr: hexToBgr, bgrToHex: bgrToHex, same: same };
});
