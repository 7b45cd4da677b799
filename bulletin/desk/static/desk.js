/* bulletin desk: the few things a page does in the browser. Plain ES2017, no build step, no library:
   it runs in the Chromium of the 国产 OS desktops and of Windows. Every form also works without it. */
(function () {
  "use strict";
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function post(url, body, json) {
    var headers = { "X-CSRFToken": token, "Accept": "application/json" };
    if (json) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (r) {
        return r.json().catch(function () { return { error: r.status + " " + r.statusText }; })
          .then(function (data) { data._status = r.status; return data; });
      });
  }

  function text(el, s) { if (el) el.textContent = s; }

  /* confirmation before a button with data-confirm submits */
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });

  /* issue page: drag articles to reorder them or move them to another section */
  function initReorder(root) {
    var url = root.getAttribute("data-order-url");
    var status = document.getElementById("order-status");
    var dragged = null;
    function layout() {
      return Array.prototype.map.call(root.querySelectorAll("ol.articles"), function (ol) {
        return [ol.getAttribute("data-section"), Array.prototype.map.call(
          ol.querySelectorAll("li[data-relpath]"), function (li) { return li.getAttribute("data-relpath"); })];
      });
    }
    function save() {
      text(status, root.getAttribute("data-saving"));
      post(url, { layout: layout(), versions: JSON.parse(root.getAttribute("data-versions") || "{}") }, true)
        .then(function (r) {
          if (r.error) { text(status, r.error); status.className = "flash flash-error"; return; }
          window.location.reload();
        }, function () { text(status, root.getAttribute("data-failed")); });
    }
    root.querySelectorAll("li[data-relpath]").forEach(function (li) {
      li.setAttribute("draggable", "true");
      li.addEventListener("dragstart", function (e) {
        dragged = li; li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", li.getAttribute("data-relpath"));
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("dragging");
        root.querySelectorAll(".drop-target").forEach(function (o) { o.classList.remove("drop-target"); });
      });
    });
    root.querySelectorAll("ol.articles").forEach(function (ol) {
      ol.addEventListener("dragover", function (e) {
        if (!dragged) return;
        e.preventDefault();
        ol.classList.add("drop-target");
        var after = null;
        Array.prototype.some.call(ol.querySelectorAll("li[data-relpath]:not(.dragging)"), function (li) {
          var box = li.getBoundingClientRect();
          if (e.clientY < box.top + box.height / 2) { after = li; return true; }
          return false;
        });
        var empty = ol.querySelector("li.empty");
        if (empty) empty.remove();
        if (after) ol.insertBefore(dragged, after); else ol.appendChild(dragged);
      });
      ol.addEventListener("dragleave", function (e) {
        if (!ol.contains(e.relatedTarget)) ol.classList.remove("drop-target");
      });
      ol.addEventListener("drop", function (e) {
        e.preventDefault();
        if (dragged) { dragged = null; save(); }
      });
    });
  }

  /* Word files dropped on the issue page: uploaded one by one, each becomes a draft to review */
  function initUpload(zone) {
    var url = zone.getAttribute("data-upload-url");
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector(".upload-list");
    var form = zone.closest("form");
    function section() { var s = form.querySelector("select[name=section]"); return s ? s.value : ""; }
    function send(files) {
      var queue = Array.prototype.slice.call(files);
      function next() {
        var f = queue.shift();
        if (!f) return;
        var li = document.createElement("li");
        li.textContent = f.name + " …";
        list.appendChild(li);
        var fd = new FormData();
        fd.append("file", f, f.name);
        fd.append("section", section());
        post(url, fd, false).then(function (r) {
          if (r.error || !r.review) {
            li.className = "err";
            li.textContent = f.name + "：" + (r._status === 413 ? zone.getAttribute("data-too-large") : (r.error || r._status));
          } else {
            li.className = "ok";
            li.textContent = f.name + "：";
            var a = document.createElement("a");
            a.href = r.review; a.textContent = zone.getAttribute("data-review-label");
            li.appendChild(a);
          }
          next();
        }, function () { li.className = "err"; li.textContent = f.name + "：" + zone.getAttribute("data-failed"); next(); });
      }
      next();
    }
    ["dragenter", "dragover"].forEach(function (n) {
      zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault(); zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) send(e.dataTransfer.files);
    });
    form.addEventListener("submit", function (e) {
      if (input.files.length) { e.preventDefault(); send(input.files); input.value = ""; }
    });
  }

  /* article editor: the rendered preview follows the text after a pause in typing. The form's values
     are sent to the preview frame (a hidden copy of the form targets it), so the page shown there is a
     document of its own, with the site's stylesheet and no script. */
  function initPreview(form) {
    var frame = document.getElementById("preview");
    var state = document.getElementById("preview-state");
    var timer = null;
    var shadow = document.createElement("form");
    shadow.method = "post";
    shadow.action = form.getAttribute("data-preview-url");
    shadow.target = frame.name;
    shadow.hidden = true;
    document.body.appendChild(shadow);
    function refresh() {
      text(state, form.getAttribute("data-updating"));
      shadow.innerHTML = "";
      new FormData(form).forEach(function (value, key) {
        if (typeof value !== "string") return;
        var input = document.createElement(key === "body" ? "textarea" : "input");
        input.name = key; input.value = value;
        shadow.appendChild(input);
      });
      shadow.submit();
    }
    frame.addEventListener("load", function () { text(state, ""); });
    form.addEventListener("input", function (e) {
      if (e.target.type === "file") return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
      var unsaved = document.getElementById("unsaved");
      if (unsaved) unsaved.hidden = false;
    });
  }

  /* article editor opened from a finding: the body's line N selected and in view */
  function goToLine(area, line) {
    var lines = area.value.split("\n"), start = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) start += lines[i].length + 1;
    var end = start + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(start, end);
    var lh = parseFloat(getComputedStyle(area).lineHeight) || 24;
    area.scrollTop = Math.max(0, (line - 4) * lh);
  }

  /* a build job: its log and state while it runs, then the links to what it made */
  function initJob(box) {
    var url = box.getAttribute("data-job-status-url");
    var log = box.querySelector(".joblog"), state = box.querySelector(".job-state"), outs = box.querySelector(".job-outputs");
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          text(log, j.lines.join("\n"));
          log.scrollTop = log.scrollHeight;
          text(state, j.state_label);
          state.className = "job-state badge " + (j.state === "done" ? "badge-ok" : j.state === "failed" ? "badge-err" : "badge-warn");
          if (j.state === "running") { setTimeout(poll, 1000); return; }
          outs.innerHTML = "";
          j.outputs.forEach(function (o) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = o.url; a.textContent = o.name; a.target = "_blank"; a.rel = "noopener";
            li.appendChild(a); outs.appendChild(li);
          });
        }, function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  /* issue page: the check's findings, which take longer than the page, filled in when they come */
  function initFindings(box) {
    var body = box.querySelector(".findings-body");
    fetch(box.getAttribute("data-findings-url"), { headers: { "X-Desk-Fragment": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (t) { return [r.ok, t]; }); })
      .then(function (res) {
        if (res[0]) body.innerHTML = res[1];  /* our own template's HTML, escaped by Jinja */
        box.setAttribute("data-loaded", "1");
      }, function () { box.setAttribute("data-loaded", "1"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fb = document.querySelector("[data-findings-url]");
    if (fb) initFindings(fb);
    var r = document.querySelector("[data-order-url]");
    if (r) initReorder(r);
    document.querySelectorAll("[data-upload-url]").forEach(initUpload);
    var p = document.querySelector("form[data-preview-url]");
    if (p) initPreview(p);
    var area = document.querySelector("textarea[data-line]");
    if (area) goToLine(area, parseInt(area.getAttribute("data-line"), 10));
    var j = document.querySelector("[data-job-status-url]");
    if (j) initJob(j);
  });
})();
