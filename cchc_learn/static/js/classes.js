// Classes pages: "Tất cả có mặt" on the attendance grid and the sign-in sheet's print button.
// Both buttons stay hidden without this file; the pages work without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var allPresent = document.querySelector("[data-all-present]");
    if (allPresent) {
      allPresent.hidden = false;
      allPresent.addEventListener("click", function () {
        // Only people nobody has marked yet: a status chosen by hand is kept.
        document.querySelectorAll(".attendance-row").forEach(function (row) {
          if (!row.querySelector("input[type=radio]:checked")) {
            var present = row.querySelector("input[type=radio][value=present]");
            if (present) { present.checked = true; }
          }
        });
      });
    }
    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
