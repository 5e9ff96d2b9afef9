// Included by index.html (the add-in's entry page), as in the wpsjs templates: loads
// the add-in's scripts in order. js/ribbon.js defines the callbacks ribbon.xml names.
(function () {
  var scripts = [
    "js/config.js",
    "js/a1.js",
    "js/colors.js",
    "js/et.js",
    "js/ledger.js",
    "js/client.js",
    "js/settings.js",
    "js/check.js",
    "js/ribbon.js"
  ];
  for (var i = 0; i < scripts.length; i++) {
    document.write("<script type='text/javascript' src='" + scripts[i] + "'></script>");
  }
})();
