// Poll a report build's status and update the progress bar; stops when done or failed.
(function () {
  "use strict";
  var box = document.getElementById("build");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status");
  var bar = document.getElementById("build-progress");
  var msg = document.getElementById("build-message");
  var files = document.getElementById("build-files");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
      bar.value = j.progress; bar.textContent = j.progress + "%";
      msg.textContent = j.state + ": " + j.message;
      files.textContent = "";
      (j.files || []).forEach(function (f) { var li = document.createElement("li"); li.textContent = f; files.appendChild(li); });
      if (j.state !== "done" && j.state !== "failed") { window.setTimeout(poll, 1500); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
