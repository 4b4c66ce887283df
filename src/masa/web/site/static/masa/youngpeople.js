// The young people's version editor: recompute the readability score as the text changes
// (the server measures it; nothing is saved). Without JavaScript, "Save and check" does the same.
(function () {
  "use strict";
  var form = document.getElementById("yp-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-score");
  var timer = null;

  function show(j) {
    document.getElementById("yp-grade").textContent = j.grade;
    var meets = document.getElementById("yp-meets");
    meets.textContent = j.meets ? "Meets the target" : "Above the target";
    meets.className = "govuk-tag " + (j.meets ? "govuk-tag--green" : "govuk-tag--red");
    var list = document.getElementById("yp-longest");
    list.textContent = "";
    j.longest.forEach(function (l) {
      var li = document.createElement("li");
      li.textContent = l.sentence + " (" + l.words + " words)";
      list.appendChild(li);
    });
  }

  function measure() {
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j) { show(j); } })
      .catch(function () { /* the Save button still measures */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(measure, 400);
  });
}());
