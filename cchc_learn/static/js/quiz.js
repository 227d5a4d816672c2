// Quiz attempt page: autosave answers, show the time left, submit when time is up.
// The page works without this file: the "Lưu" and "Nộp bài" buttons post the same form.
(function () {
  "use strict";

  var TYPING_DELAY_MS = 1500;
  var CHOICE_DELAY_MS = 200;
  var RETRY_MS = 15000;

  function setup() {
    var form = document.getElementById("quiz-form");
    if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) {
      return;
    }
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("quiz-save-status");
    var tokenField = form.querySelector("input[name=csrf_token]");
    var token = tokenField ? tokenField.value : "";
    var timer = null;
    var dirty = false;
    var saving = false;
    var closed = false;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function body() {
      var data = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        data.append(key, value);
      });
      return data;
    }

    function save() {
      timer = null;
      if (saving || closed || !dirty) {
        return;
      }
      saving = true;
      dirty = false;
      say("Đang lưu…");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" },
        body: body()
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      }).then(function (result) {
        saving = false;
        var data = result.data || {};
        if (result.status === 200 && data.saved) {
          var note = "Đã lưu lúc " + data.saved_at + ".";
          if (data.problems && data.problems.length) {
            note += " " + data.problems.join(" ");
          }
          say(note);
        } else if (result.status === 409 && data.closed) {
          closed = true;
          say(data.message || "Bài đã được nộp.");
          if (data.result_url) {
            window.location.assign(data.result_url);
          }
        } else {
          dirty = true;
          say("Chưa lưu được; hãy bấm nút Lưu hoặc tải lại trang.");
          schedule(RETRY_MS);
        }
        if (dirty && !closed && !timer) {
          schedule(CHOICE_DELAY_MS);
        }
      }).catch(function () {
        saving = false;
        dirty = true;
        say("Mất kết nối: câu trả lời chưa được lưu. Sẽ thử lại…");
        schedule(RETRY_MS);
      });
    }

    function schedule(delay) {
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(save, delay);
    }

    function changed(delay) {
      return function () {
        dirty = true;
        schedule(delay);
      };
    }

    // A click on an option saves at once; typing waits for a pause.
    form.addEventListener("change", changed(CHOICE_DELAY_MS));
    form.addEventListener("input", changed(TYPING_DELAY_MS));
    form.addEventListener("submit", function () {
      closed = true; // the form post itself carries every answer
      if (timer) {
        window.clearTimeout(timer);
      }
    });
    // A closing tab still hands its last answers over.
    window.addEventListener("pagehide", function () {
      if (dirty && !closed && navigator.sendBeacon) {
        navigator.sendBeacon(url, body());
      }
    });

    var countdown = document.getElementById("quiz-countdown");
    if (countdown && countdown.getAttribute("data-remaining") !== "") {
      var ends = Date.now() + 1000 * parseInt(countdown.getAttribute("data-remaining"), 10);
      var tick = function () {
        var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
        var minutes = Math.floor(left / 60);
        var seconds = left % 60;
        countdown.textContent = "(còn " + minutes + " phút " + (seconds < 10 ? "0" : "") +
          seconds + " giây)";
        if (left === 0) {
          if (!closed) {
            closed = true;
            var action = document.createElement("input");
            action.type = "hidden";
            action.name = "action";
            action.value = "submit";
            form.appendChild(action);
            say("Hết giờ: đang nộp bài…");
            form.submit();
          }
          return;
        }
        window.setTimeout(tick, 1000);
      };
      tick();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
