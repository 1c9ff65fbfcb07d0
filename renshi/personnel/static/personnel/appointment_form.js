/* Print button, and on narrow screens shrink the A4 sheets to the screen instead of scrolling. */
(function () {
  "use strict";
  var sheets = document.querySelectorAll(".af-sheet");
  function fit() {
    sheets.forEach(function (sheet) {
      sheet.style.zoom = "";
      var room = document.documentElement.clientWidth - 16;
      if (sheet.offsetWidth > room) sheet.style.zoom = (room / sheet.offsetWidth).toFixed(3);
    });
  }
  function full() { sheets.forEach(function (sheet) { sheet.style.zoom = ""; }); }
  document.getElementById("af-print").addEventListener("click", function () { window.print(); });
  window.addEventListener("resize", fit);
  window.addEventListener("beforeprint", full);
  window.addEventListener("afterprint", fit);
  fit();
})();
