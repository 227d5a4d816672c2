// Suggestions while a question's title is typed: similar answered questions, FAQ entries and
// documents from /api/v1/qa/similar. Without this file the "Tìm câu hỏi tương tự" button
// shows the same suggestions on the ask page.
(function () {
  "use strict";
  var KINDS = { faq: "Hỏi đáp thường gặp", question: "Câu hỏi đã trả lời", document: "Văn bản" };
  var WAIT_MS = 300;

  function render(target, results) {
    while (target.firstChild) { target.removeChild(target.firstChild); }
    if (!results.length) { return; }
    var heading = document.createElement("h2");
    heading.textContent = "Câu hỏi và văn bản tương tự";
    target.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "qa-suggestions";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = KINDS[item.kind] || item.kind;
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link);
      list.appendChild(li);
    });
    target.appendChild(list);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("[data-similar-url]");
    if (!input || !window.fetch) { return; }
    var target = document.getElementById(input.getAttribute("data-similar-target"));
    var url = input.getAttribute("data-similar-url");
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        var mine = ++asked;
        if (text.length < 3) { render(target, []); return; }
        fetch(url + "?q=" + encodeURIComponent(text), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          if (mine === asked) { render(target, data.results || []); }
        }).catch(function () { /* suggestions are optional */ });
      }, WAIT_MS);
    });
  });
})();
