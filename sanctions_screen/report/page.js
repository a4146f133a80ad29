// The alert review page: cards built from the embedded data with textContent only (no markup is
// ever parsed from data), rendered a page at a time, filtered without a server.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const PAGE = 50;
  const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
  const state = { band: "", list: "", program: "", kind: "", text: "", shown: PAGE };

  // Text from a list or a customer file, with bidirectional controls made visible: they can
  // reorder what an analyst reads, so they are shown, not obeyed.
  function visible(text) {
    return String(text == null ? "" : text).replace(BIDI, function (c) {
      return "[U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "]";
    });
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = visible(text);
    return node;
  }

  function named(tag, cls, text) {
    const node = el(tag, cls, text);
    node.dir = "auto";
    return node;
  }

  function matches(card) {
    if (state.band && !card.hits.some(function (h) { return h.band === state.band; })) return false;
    if (state.list && !card.hits.some(function (h) { return h.list === state.list; })) return false;
    if (state.program && !card.hits.some(function (h) { return h.programs.indexOf(state.program) >= 0; })) return false;
    if (state.kind && !card.hits.some(function (h) { return h.kind === state.kind; })) return false;
    if (state.text) {
      const needle = state.text.toLowerCase();
      const hay = [card.id, card.name].concat(card.hits.map(function (h) {
        return h.entry_id + " " + h.matched_name + " " + h.other_names.join(" ");
      })).join(" ").toLowerCase();
      if (hay.indexOf(needle) < 0) return false;
    }
    return true;
  }

  function alignment(hit) {
    const box = el("div", "align");
    hit.matches.forEach(function (m) {
      const pair = el("span", "pair how-" + m.how);
      pair.title = m.how + " (" + m.similarity.toFixed(2) + ")";
      pair.appendChild(named("span", "q", m.query));
      pair.appendChild(el("span", "arrow", "\u2192"));
      pair.appendChild(named("span", "l", m.listed));
      pair.appendChild(el("span", "how", m.how));
      box.appendChild(pair);
    });
    hit.unmatched_query.forEach(function (t) {
      const pair = el("span", "pair how-unmatched");
      pair.appendChild(named("span", "q", t));
      pair.appendChild(el("span", "how", "query word unmatched"));
      box.appendChild(pair);
    });
    hit.unmatched_listed.forEach(function (t) {
      const pair = el("span", "pair how-unmatched");
      pair.appendChild(named("span", "l", t));
      pair.appendChild(el("span", "how", "listed word unmatched"));
      box.appendChild(pair);
    });
    return box;
  }

  function fact(dl, label, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, label));
    dl.appendChild(named("dd", null, Array.isArray(value) ? value.join("; ") : value));
  }

  function hitBlock(hit) {
    const box = el("section", "hit band-" + hit.band);
    const head = el("div", "hit-head");
    head.appendChild(el("span", "score", hit.score.toFixed(3)));
    head.appendChild(el("span", "band", hit.band_label));
    head.appendChild(named("span", "listed-name", hit.matched_name));
    head.appendChild(el("span", "entry-id", hit.entry_id));
    box.appendChild(head);
    box.appendChild(alignment(hit));
    const dl = el("dl", "facts");
    fact(dl, "Kind", hit.kind);
    fact(dl, "List", hit.list + (hit.list_version ? " (version " + hit.list_version + ")" : ""));
    fact(dl, "Programmes", hit.programs);
    fact(dl, "Adjustments", hit.adjustments);
    fact(dl, "Contradictions", hit.contradictions);
    fact(dl, "Other names", hit.other_names);
    fact(dl, "Birth dates", hit.birth_dates);
    fact(dl, "Nationalities", hit.nationalities);
    fact(dl, "Change", hit.change);
    fact(dl, "Earlier decision", hit.decision);
    box.appendChild(dl);
    return box;
  }

  function cardNode(card) {
    const node = el("article", "card");
    node.setAttribute("data-card", "");
    const head = el("header", "card-head");
    head.appendChild(el("span", "cust-id", card.id || "(no id)"));
    head.appendChild(named("span", "cust-name", card.name));
    head.appendChild(el("span", "row", card.row ? "row " + card.row : ""));
    node.appendChild(head);
    card.hits.forEach(function (h) { node.appendChild(hitBlock(h)); });
    return node;
  }

  function render() {
    const list = document.getElementById("cards");
    const chosen = data.cards.filter(matches);
    while (list.firstChild) list.removeChild(list.firstChild);
    chosen.slice(0, state.shown).forEach(function (c) { list.appendChild(cardNode(c)); });
    document.getElementById("visible-count").textContent = String(chosen.length);
    const more = document.getElementById("more");
    more.hidden = chosen.length <= state.shown;
    if (!more.hidden) {
      more.textContent = "Show " + Math.min(PAGE, chosen.length - state.shown) + " more of " + (chosen.length - state.shown);
    }
  }

  function options(id, values, labels) {
    const select = document.getElementById(id);
    values.forEach(function (v, i) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = visible(labels ? labels[i] : v);
      select.appendChild(o);
    });
  }

  function bind(id, key, event) {
    document.getElementById(id).addEventListener(event || "change", function (e) {
      state[key] = e.target.value;
      state.shown = PAGE;
      render();
    });
  }

  options("f-band", data.bands.map(function (b) { return b.id; }), data.bands.map(function (b) { return b.label; }));
  options("f-list", data.lists);
  options("f-program", data.programs);
  options("f-kind", data.kinds);
  bind("f-band", "band");
  bind("f-list", "list");
  bind("f-program", "program");
  bind("f-kind", "kind");
  bind("f-search-text", "text", "input");
  document.getElementById("more").addEventListener("click", function () {
    state.shown += PAGE;
    render();
  });
  // Printing shows every card the filters keep, not only the pages opened.
  window.addEventListener("beforeprint", function () {
    state.shown = data.cards.length;
    render();
  });
  render();
})();
