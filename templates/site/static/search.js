/* Full-text search for search.html, over the static index that bulletin/site/search.py writes
   (index.js, pages.js, shards/, text/ under search/ at the site root; see that module for the format).
   Every index file is a script that hands its data to __bulletinSearch.add(name, value): scripts load
   from a site opened from disk (file://), where browsers refuse fetch(), so one code path serves both.
   Elements (by id): search (data-index: the index folder; data-root: the site root, both relative to
   this page), search-form, search-input, search-filters, search-status, search-results.  No other
   requests. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var form = $("search-form"), input = $("search-input"), filterBox = $("search-filters"),
      statusEl = $("search-status"), list = $("search-results");
  var PER_PAGE = 10, SNIPPET = 90, K1 = 1.2, B = 0.75;
  var FACET_LABELS = { year: ["年份", "全部年份", "年"], section: ["栏目", "全部栏目", ""] };
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}";  // as search.py
  var HAN_RUN = new RegExp("[" + HAN + "]+", "gu");

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("search-error", !!isError);
  }

  // --- query terms: the same cut as search.py (Han characters, Han pairs, other words) -----------------
  function fold(s) {
    return s.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
  }
  function words(q) { return q.replace(HAN_RUN, " ").match(/[\p{L}\p{N}]+/gu) || []; }
  // Han text is cut in UTF-16 code units, as the index is: one unit, or every pair of adjacent units.
  function queryTerms(q) {
    q = fold(q);
    var terms = [];
    (q.match(HAN_RUN) || []).forEach(function (run) {
      if (run.length === 1) terms.push(run);
      for (var i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
    });
    return Array.from(new Set(terms.concat(words(q))));
  }
  var WORD = /^[\p{L}\p{N}]+$/u, HAN1 = new RegExp("[" + HAN + "]", "u");
  // How the index names a term: a word by itself, Han units by their code (first + second * 65536).
  function termKey(t) {
    return WORD.test(t) && !HAN1.test(t) ? t : t.charCodeAt(0) + (t.length > 1 ? t.charCodeAt(1) * 65536 : 0);
  }

  // --- index files: scripts, each calling __bulletinSearch.add(its name, its data) ----------------------
  var indexURL = new URL(root.getAttribute("data-index") || "search/", location.href),
      siteRoot = root.getAttribute("data-root") || "";
  var loading = {}, waiting = {}, version = "";
  window.__bulletinSearch = { add: function (name, value) {
    var done = waiting[name];
    if (done) { delete waiting[name]; done(value); }
  } };
  function load(name) {
    return loading[name] || (loading[name] = new Promise(function (resolve, reject) {
      // index.js is always loaded afresh; the other files for its version, so that a browser cache
      // never mixes files of two builds (a file:// address ignores the query)
      var s = document.createElement("script"), url = new URL(name + ".js", indexURL);
      url.search = name === "index" ? "t=" + Date.now() : "v=" + version;
      waiting[name] = resolve;
      s.onload = s.onerror = function (e) {
        s.remove();
        if (waiting[name]) { delete waiting[name]; reject(new Error(name + ".js: " + e.type)); }
      };
      s.src = url.href;
      document.head.appendChild(s);
    }).catch(function (e) { delete loading[name]; throw e; }));  // the next search tries again
  }
  function bytes(b64) {
    var s = atob(b64), a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  var manifest, pagesInfo;
  function loadManifest() {
    return manifest || (manifest = load("index").then(function (m) {
      if (m.format !== 3) throw new Error("index format " + m.format);
      version = m.version;
      var start = 0;
      m.starts = m.segments.map(function (n) { start += n; return start - n; });
      return m;
    }).catch(function (e) { manifest = null; throw e; }));
  }
  function loadPages() {
    return pagesInfo || (pagesInfo = Promise.all([loadManifest(), load("pages")]).then(function (r) {
      var m = r[0], buf = bytes(r[1]).buffer, n = m.pages, info = { lengths: new Float64Array(n), facets: {} };
      new Uint8Array(buf, 0, n).forEach(function (v, i) { info.lengths[i] = Math.pow(2, v / 16) - 1; });
      m.facets.forEach(function (f, i) { info.facets[f.name] = new Uint8Array(buf, (i + 1) * n, n); });
      return info;
    }).catch(function (e) { pagesInfo = null; throw e; }));
  }

  var CRC = [];
  for (var c, n = 0; n < 256; n++) {
    c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c >>> 0;
  }
  var utf8 = new TextEncoder(), utf8dec = new TextDecoder();
  function crc32(s) {
    var c = 0xffffffff;
    utf8.encode(s).forEach(function (b) { c = CRC[(c ^ b) & 255] ^ (c >>> 8); });
    return (c ^ 0xffffffff) >>> 0;
  }
  // A shard file: pieces, one per segment with terms in it; each (little-endian) uint32 segment,
  // n (Han terms), w (words), s (bytes of words); n uint32 codes; n + w uint8 posting counts; the uint16
  // postings of every term in that order; s bytes of "\n"-joined UTF-8 words.
  var parsed = {};
  function shard(k) {
    return load("shards/" + k).then(function (b64) {
      if (parsed[k]) return parsed[k];
      var bs = bytes(b64), buf = bs.buffer, dv = new DataView(buf), pieces = [], pos = 0;
      while (pos + 16 <= buf.byteLength) {
        var seg = dv.getUint32(pos, true), n = dv.getUint32(pos + 4, true), w = dv.getUint32(pos + 8, true),
            sb = dv.getUint32(pos + 12, true), counts = pos + 16 + 4 * n, at = counts + n + w,
            terms = new Map(), offs = [], i;
        for (i = 0; i < n + w; i++) { offs.push(at); at += 2 * bs[counts + i]; }
        for (i = 0; i < n; i++) terms.set(dv.getUint32(pos + 16 + 4 * i, true), [offs[i], bs[counts + i]]);
        var names = w ? utf8dec.decode(bs.subarray(at, at + sb)).split("\n") : [];
        for (i = 0; i < w; i++) terms.set(names[i], [offs[n + i], bs[counts + n + i]]);
        pieces.push({ seg: seg, terms: terms });
        pos = at + sb;
      }
      return (parsed[k] = { dv: dv, pieces: pieces });
    });
  }
  // Postings of a term: [global page, tf] pairs, in page order.
  function postings(m, term) {
    var key = termKey(term), k = (typeof key === "number" ? key : crc32(key)) % m.shards;
    return shard(k).then(function (sh) {
      var out = [], mask = (1 << m.tf_bits) - 1;
      sh.pieces.forEach(function (p) {
        var where = p.terms.get(key);
        if (!where) return;
        for (var i = 0; i < where[1]; i++) {
          var v = sh.dv.getUint16(where[0] + 2 * i, true);
          out.push([m.starts[p.seg] + (v >>> m.tf_bits), v & mask]);
        }
      });
      return out;
    });
  }

  // --- search -----------------------------------------------------------------------------------------
  function selected() {
    var f = {};
    filterBox.querySelectorAll("select").forEach(function (s) { if (s.value !== "") f[s.name] = s.value; });
    return f;
  }
  function passes(info, m, pid, chosen, except) {
    return m.facets.every(function (f) {
      if (f.name === except || !(f.name in chosen)) return true;
      return f.values[info.facets[f.name][pid]] === chosen[f.name];
    });
  }
  async function find(q, chosen) {
    // At most 32 terms (a pasted paragraph would otherwise fetch a shard per pair of characters).
    var m = await loadManifest(), info = await loadPages(), terms = queryTerms(q).slice(0, 32), N = m.pages;
    var hits = [];
    if (terms.length) {
      var lists = await Promise.all(terms.map(function (t) { return postings(m, t); }));
      lists.sort(function (a, b) { return a.length - b.length; });
      var seen = new Uint8Array(N), score = new Float64Array(N);  // seen: how many terms a page has
      lists.forEach(function (l, i) {
        var idf = Math.log(1 + (N - l.length + 0.5) / (l.length + 0.5));
        l.forEach(function (p) {
          if (seen[p[0]] !== i) return;
          seen[p[0]] = i + 1;
          var tf = p[1], norm = K1 * (1 - B + B * info.lengths[p[0]] / (m.avg_length || 1));
          score[p[0]] += idf * tf * (K1 + 1) / (tf + norm);
        });
      });
      for (var p = 0; p < N; p++) if (seen[p] === lists.length) hits.push(p);
      hits.sort(function (a, b) { return score[b] - score[a] || b - a; });
    } else if (Object.keys(chosen).length) {
      for (var i = N - 1; i >= 0; i--) hits.push(i);  // filters alone: every page, last pages first
    }
    var counts = {};
    m.facets.forEach(function (f) {
      counts[f.name] = {};
      hits.forEach(function (pid) {
        if (!passes(info, m, pid, chosen, f.name)) return;
        var v = f.values[info.facets[f.name][pid]];
        if (v !== undefined) counts[f.name][v] = (counts[f.name][v] || 0) + 1;
      });
    });
    return { m: m, terms: terms, counts: counts,
             pids: hits.filter(function (pid) { return passes(info, m, pid, chosen); }) };
  }

  // --- display ----------------------------------------------------------------------------------------
  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  // What to highlight: the query's Han runs and words; their pairs and characters if a run is not found.
  function units(q) {
    q = fold(q);
    return { whole: (q.match(HAN_RUN) || []).concat(words(q)), parts: queryTerms(q) };
  }
  function spans(text, us) {
    var low = fold(text);
    if (low.length !== text.length) low = text;
    var found = [];
    us.forEach(function (u, ui) {
      for (var i = low.indexOf(u); i >= 0 && found.length < 500; i = low.indexOf(u, i + u.length)) {
        found.push([i, i + u.length, ui]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }
  function marked(text, from, to, hits) {
    var out = "", at = from;
    hits.forEach(function (h) {
      var s = Math.max(h[0], at), e = Math.min(h[1], to);
      if (e <= s) return;
      out += esc(text.slice(at, s)) + "<mark>" + esc(text.slice(s, e)) + "</mark>";
      at = e;
    });
    return out + esc(text.slice(at, to));
  }
  function snippet(text, u) {
    text = text.replace(/\s*\n\s*/g, " ");
    var hits = spans(text, u.whole);
    if (!hits.length) hits = spans(text, u.parts);
    var from = 0;
    if (hits.length) {  // the window holding the most different query units, from 20 characters before
      var best = -1;
      hits.forEach(function (h) {
        var start = Math.max(0, h[0] - 20), kinds = new Set();
        hits.forEach(function (g) { if (g[0] >= start && g[1] <= start + SNIPPET) kinds.add(g[2]); });
        if (kinds.size > best) { best = kinds.size; from = start; }
      });
    }
    var to = Math.min(text.length, from + SNIPPET);
    return (from > 0 ? "…" : "") + marked(text, from, to, hits) + (to < text.length ? "…" : "");
  }
  // What a result shows: text/<segment>/<page in segment>.js holds [address, title, meta, text].
  function doc(m, pid) {
    var seg = 0;
    while (seg + 1 < m.starts.length && m.starts[seg + 1] <= pid) seg++;
    return load("text/" + seg + "/" + (pid - m.starts[seg])).then(function (r) {
      return { u: r[0], t: r[1], m: r[2], x: r[3] };
    });
  }
  function item(d, u) {
    var li = document.createElement("li"), title = d.t || d.u, meta = [d.m.issue, d.m.section].filter(Boolean);
    var th = spans(title, u.whole);
    li.className = "search-result";
    li.innerHTML = '<a class="search-result-title" href="' + esc(siteRoot + encodeURI(d.u)) + '">' +
        marked(title, 0, title.length, th.length ? th : spans(title, u.parts)) + "</a>" +
        (meta.length ? '<p class="search-result-meta">' + esc(meta.join(" · ")) + "</p>" : "") +
        '<p class="search-result-snippet">' + snippet(d.x || "", u) + "</p>";
    return li;
  }

  function drawFilters(m, counts, chosen) {
    m.facets.forEach(function (f) {
      var labels = FACET_LABELS[f.name] || [f.name, "全部", ""], sel = filterBox.querySelector('select[name="' + f.name + '"]');
      if (!sel) {
        var lab = document.createElement("label");
        lab.className = "search-filter";
        lab.textContent = labels[0] + " ";
        sel = document.createElement("select");
        sel.name = f.name;
        sel.addEventListener("change", function () { go(false); });
        lab.appendChild(sel);
        filterBox.appendChild(lab);
      }
      var opts = ['<option value="">' + esc(labels[1]) + "</option>"];
      f.values.forEach(function (v) {
        var n = counts && counts[f.name] ? counts[f.name][v] || 0 : null;
        if (n === 0 && chosen[f.name] !== v) return;
        opts.push('<option value="' + esc(v) + '">' + esc(v + labels[2]) + (n === null ? "" : "（" + n + "）") + "</option>");
      });
      sel.innerHTML = opts.join("");
      sel.value = chosen[f.name] || "";
    });
  }

  var run = 0, shown = [], more = null;
  async function showMore(m, pids, u, token) {
    if (more) { more.remove(); more = null; }
    var batch = pids.slice(shown.length, shown.length + PER_PAGE);
    shown = shown.concat(batch);
    var docs = await Promise.all(batch.map(function (pid) { return doc(m, pid); }));
    if (token !== run) return;
    // A page holds all of the query's pairs but maybe not the whole phrase: those go after the others.
    var exact = docs.map(function (d) {
      var all = fold((d.t || "") + "\n" + (d.x || "")).replace(/\s+/g, "");
      return u.whole.every(function (w) { return all.indexOf(w) >= 0; }) ? 0 : 1;
    });
    docs.map(function (d, i) { return i; }).sort(function (a, b) { return exact[a] - exact[b] || a - b; })
      .forEach(function (i) { list.appendChild(item(docs[i], u)); });
    if (shown.length < pids.length) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = "显示更多结果（还有 " + (pids.length - shown.length) + " 篇）";
      more.addEventListener("click", function () {  // the button goes: focus the first result it added
        var at = shown.length;
        showMore(m, pids, u, token).then(function () { if (token === run) list.children[at].firstChild.focus(); });
      });
      list.after(more);
    }
  }
  async function search(q, chosen) {
    var token = ++run;
    list.innerHTML = "";
    shown = [];
    if (more) { more.remove(); more = null; }
    if (!queryTerms(q).length && !Object.keys(chosen).length) {
      var m0 = await loadManifest();
      if (token === run) { drawFilters(m0, null, chosen); say(q.trim() ? "请输入汉字、字母或数字。" : ""); }
      return;
    }
    say("正在搜索…");
    var r = await find(q, chosen), shownQ = q.trim().replace(/^["“'‘「『]+|["”'’」』]+$/g, "");
    if (token !== run) return;
    drawFilters(r.m, r.counts, chosen);
    var filtered = Object.keys(chosen).length ? "（已按" + Object.keys(chosen).map(function (f) {
      return (FACET_LABELS[f] || [f])[0];
    }).join("、") + "筛选）" : "";
    if (!r.pids.length) {
      say(r.terms.length ? "没有找到包含“" + shownQ + "”的文章" + filtered + "。" : "没有符合筛选条件的文章。");
      return;
    }
    await showMore(r.m, r.pids, units(q), token);
    if (token !== run) return;
    say((r.terms.length ? "找到 " + r.pids.length + " 篇包含“" + shownQ + "”的文章" : "共 " + r.pids.length + " 篇文章") + filtered + "。");
  }

  function go(push) {
    var q = input.value, chosen = selected(), params = new URLSearchParams();
    if (q.trim()) params.set("q", q.trim());
    Object.keys(chosen).forEach(function (f) { params.set(f, chosen[f]); });
    var url = location.pathname + (params.toString() ? "?" + params : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
    search(q, chosen).catch(fail);
  }
  function fail(e) {
    say("搜索暂时无法使用：索引文件载入失败。请稍后再试，或按栏目、往期目录查找文章。", true);
    if (window.console) console.warn("search:", e);
  }
  function fromURL() {
    var p = new URLSearchParams(location.search), chosen = {};
    input.value = p.get("q") || "";
    loadManifest().then(function (m) {
      m.facets.forEach(function (f) { if (p.get(f.name)) chosen[f.name] = p.get(f.name); });
      drawFilters(m, null, chosen);
      return search(input.value, chosen);
    }).catch(fail);
  }

  var timer;
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); go(true); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { go(false); }, 300); });
  window.addEventListener("popstate", fromURL);
  fromURL();
})();
