// Search by glossary term, on the search page (after Sphinx's searchtools.js).
//
// A reader types a term under any of its names: the handbook's term, another Chinese
// name, an exam bank's name, an abbreviation, an English spelling with or without its
// hyphen or space, or any of these in the other language. window.DLNOTES_TERMS holds
// the glossary's entries (written by _ext/search_terms.py from the glossary):
// {names, others (the names in the other language), home: [docname, anchor, title]}.
//
// - A query that is a name of an entry lists the entry's home section first (the
//   section the glossary's "See" points to), then the pages that use any of its names,
//   ranked by search-scorer.js: chapters, other pages, the gallery, the glossary and API.
// - Every result shows the section it found the term in (a page-level result is
//   narrowed to its first section that uses the term) and an excerpt with the term
//   highlighted.
// - A query that finds nothing suggests the closest glossary terms.
//
// Search.dlnotes.results(query) gives the ordered results the page shows; the site
// checks use it to search every name of every entry.
"use strict";

(() => {
  const DATA = window.DLNOTES_TERMS;
  if (typeof Search === "undefined" || !DATA) return;

  const chinese = DATA.language.startsWith("zh");
  const TEXT = chinese
    ? { closest: "术语表中与它最接近的术语：" }
    : { closest: "The closest terms in the glossary:" };
  const stemmer = new Stemmer();

  // How a name and a query are compared: letters and digits only, lower case, each
  // English word stemmed ("Back-propagation" = "backpropagation", "gradients" = "gradient").
  const key = (text) =>
    (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [])
      .map((word) => (/^[a-z]+$/.test(word) ? stemmer.stemWord(word) : word))
      .join("");

  // name key -> entry; every entry's own names come before the other language's names
  const byKey = new Map();
  for (const list of ["names", "others"])
    for (const entry of DATA.entries)
      for (const name of entry[list])
        if (key(name) && !byKey.has(key(name))) byKey.set(key(name), entry);

  // The entry a query names: a name whole, or the start of exactly one entry's names
  // ("feedforward" for "feedforward network").
  const entryFor = (query) => {
    const k = key(query);
    if (!k) return null;
    if (byKey.has(k)) return byKey.get(k);
    if (k.length < 4) return null;
    const hits = new Set([...byKey].filter(([name]) => name.startsWith(k)).map(([, e]) => e));
    return hits.size === 1 ? [...hits][0] : null;
  };

  // Sphinx's own search for one query, best result first.
  const sphinxResults = (query) =>
    Search._performSearch(...Search._parseQuery(query)).reverse();

  const same = (a, b) => a[0] === b[0] && a[2] === b[2];

  const results = (query) => {
    const entry = entryFor(query);
    if (!entry) return sphinxResults(query);
    const [docname, anchor, title] = entry.home;
    const home = [docname, title, "#" + anchor, null, Infinity, "", "title"];
    const found = [];
    for (const name of entry.names)
      for (const result of sphinxResults(name)) {
        const seen = found.find((r) => same(r, result));
        if (!seen) found.push(result);
        else if (result[4] > seen[4]) found[found.indexOf(seen)] = result;
      }
    const rest = found.filter((r) => !same(r, home) && !(r[0] === docname && r[2] === ""));
    rest.sort((a, b) => b[4] - a[4]);
    return [home, ...rest];
  };

  // The words to highlight: every name of the entry, or the query's words. A short
  // abbreviation is highlighted only when typed: "BP" would light up inside "BPTT".
  const highlightsFor = (query) => {
    const entry = entryFor(query);
    const short = (name) => /^[A-Za-z]{1,3}$/.test(name) && key(name) !== key(query);
    const words = entry ? [...entry.names, ...entry.others].filter((n) => !short(n))
      : splitQuery(query);
    return [...new Set(words.map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  };

  // --- showing a result: its section, an excerpt, the term highlighted ---------------
  // where an excerpt comes from: the text, not its headings (the title says those)
  const PROSE = "p, li, dt, dd, td, th, figcaption";

  const headingOf = (section) => {
    const h = section.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4");
    if (!h) return "";
    const copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach((el) => el.remove());
    return copy.textContent.trim();
  };

  const holds = (el, words) => {
    const text = el.textContent.toLowerCase();
    return words.some((w) => text.includes(w));
  };

  // The first element under root whose text holds one of the words: prose, else a heading.
  const firstUse = (root, words) =>
    [...root.querySelectorAll(PROSE)].find((el) => holds(el, words)) ||
    [...root.querySelectorAll("h1, h2, h3, h4")].find((el) => holds(el, words)) ||
    null;

  const excerptOf = (text, words) => {
    const flat = text.replace(/\s+/g, " ").trim();
    const lower = flat.toLowerCase();
    const at = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), flat.length);
    const [before, size] = chinese ? [30, 110] : [70, 220];
    let start = at === flat.length ? 0 : Math.max(at - before, 0);
    if (start > 0) {
      // from the start of the term's sentence if it is near, else from a word's start
      const ends = ["。", "；", "：", ". ", "; ", ": ", "? ", "! "].map((mark) => {
        const i = flat.lastIndexOf(mark, at - 1);
        return i >= start ? i + mark.length : -1;
      });
      const sentence = Math.max(...ends);
      start = sentence > 0 ? sentence : chinese ? start : flat.indexOf(" ", start) + 1 || start;
    }
    const end = Math.min(start + size, flat.length);
    return (start > 0 ? "…" : "") + flat.slice(start, end).trim() + (end < flat.length ? "…" : "");
  };

  // Narrow the result to a section of the fetched page and write its excerpt.
  const fillItem = (item, link, result, html, words) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    page.querySelectorAll(".headerlink, script, style").forEach((el) => el.remove());
    // a formula reads as its TeX source, without the \( \) around it
    page.querySelectorAll(".math").forEach((el) => {
      el.textContent = el.textContent.replace(/^\\[([]|\\[)\]]$/g, "");
    });
    const main = page.querySelector("article.bd-article") || page.querySelector('[role="main"]');
    if (!main) return;
    let where = result[2] ? main.querySelector("#" + CSS.escape(result[2].slice(1))) : null;
    if (where && where.tagName === "DT") {
      // a glossary entry: the definition that follows its names
      let dd = where.nextElementSibling;
      while (dd && dd.tagName !== "DD") dd = dd.nextElementSibling;
      where = dd || where;
    } else if (!where) {
      // a page: the first section that uses the term (the page itself if that is its top)
      const section = firstUse(main, words)?.closest("section[id]");
      if (section && section !== main.querySelector("section[id]")) {
        link.href = link.href.split("#")[0] + "#" + section.id;
        link.textContent = `${result[1]} › ${headingOf(section)}`;
      }
      where = section || main;
    }
    const use = firstUse(where, words);
    const text = use?.matches(PROSE) ? use : where.querySelector("p") || where;
    const excerpt = item.appendChild(document.createElement("p"));
    excerpt.classList.add("context");
    excerpt.textContent = excerptOf(text.textContent, words);
    words.forEach((w) => _highlightText(excerpt, w, "highlighted"));
  };

  const showItem = (result, words) => {
    const [docname, title, anchor, descr, score, , kind] = result;
    const root = document.documentElement.dataset.content_root;
    const item = document.createElement("li");
    item.classList.add(`kind-${kind}`);
    const link = item.appendChild(document.createElement("a"));
    link.href = docname + DOCUMENTATION_OPTIONS.LINK_SUFFIX + anchor;
    link.dataset.score = score;
    // Sphinx writes a section title as "Page > Section"; the handbook writes "Page › Section"
    link.innerHTML = title.replace(" &gt; ", " › ").replace(" > ", " › ");
    if (descr) {
      item.appendChild(document.createElement("span")).innerHTML = ` (${descr})`;
    } else {
      fetch(root + docname + DOCUMENTATION_OPTIONS.FILE_SUFFIX)
        .then((response) => response.text())
        .then((html) => fillItem(item, link, result, html, words));
    }
    Search.output.appendChild(item);
  };

  // --- nothing found: the closest terms --------------------------------------------
  const distance = (a, b) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        const substitute = row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, substitute);
      }
      row = next;
    }
    return row[b.length];
  };

  const closest = (query, count = 5) => {
    const k = key(query);
    // each entry at the distance of its closest name: edits per letter, or a quarter of
    // the difference in length when one name holds the other
    const ranked = DATA.entries.map((entry) => {
      const d = Math.min(...[...entry.names, ...entry.others].map((name) => {
        const nk = key(name);
        return nk.includes(k) || k.includes(nk) ? Math.abs(nk.length - k.length) / 4
          : distance(k, nk) / Math.max(k.length, nk.length);
      }));
      return [d, entry];
    }).sort((a, b) => a[0] - b[0]);
    // the closest, and the others that are at most half wrong
    return ranked.filter(([d], i) => i === 0 || d <= 0.5).slice(0, count).map(([, e]) => e);
  };

  const suggest = (query) => {
    const box = Search.status.parentNode.insertBefore(
      document.createElement("p"), Search.status.nextSibling);
    box.classList.add("search-suggestions");
    box.append(TEXT.closest + " ");
    closest(query).forEach((entry, i) => {
      if (i) box.append(chinese ? "、" : ", ");
      const link = box.appendChild(document.createElement("a"));
      link.href = `search.html?q=${encodeURIComponent(entry.names[0])}`;
      const [other] = entry.others;
      link.textContent = other ? `${entry.names[0]} (${other})` : entry.names[0];
    });
  };

  // --- the search page's query, with all of the above --------------------------------
  Search.query = (query) => {
    const found = results(query);
    const words = highlightsFor(query);
    localStorage.setItem("sphinx_highlight_terms", words.join(" "));
    _removeChildren(document.getElementById("search-progress"));
    found.forEach((result) => showItem(result, words));
    _finishSearch(found.length);
    if (!found.length) suggest(query);
  };

  Search.dlnotes = { results };
})();
