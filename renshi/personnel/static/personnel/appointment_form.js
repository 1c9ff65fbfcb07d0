document.getElementById("af-print").addEventListener("click", function () { window.print(); });
