// Poll a report build's status and update the progress bar; stops when done or failed.
(function () {
  "use strict";
  var box = document.getElementById("build");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status");
  var bar = document.getElementById("build-progress");
  var msg = document.getElementById("build-message");
  var files = document.getElementById("build-files");
  function sizeOf(n) { return n < 1024 ? n + " bytes" : n < 1048576 ? (n / 1024).toFixed(1) + " KB" : (n / 1048576).toFixed(1) + " MB"; }
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
      bar.value = j.progress; bar.textContent = j.progress + "%";
      msg.textContent = j.state + ": " + j.message;
      files.textContent = "";
      (j.downloads || []).forEach(function (f) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.className = "govuk-link"; a.href = f.url; a.setAttribute("download", f.name); a.textContent = f.name;
        li.appendChild(a); li.appendChild(document.createTextNode(" (" + f.format + ", " + sizeOf(f.size) + ")"));
        files.appendChild(li);
      });
      if (!files.firstChild) { var none = document.createElement("li"); none.textContent = "No files yet."; files.appendChild(none); }
      if (j.state !== "done" && j.state !== "failed") { window.setTimeout(poll, 1500); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
