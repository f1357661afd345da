// Draws an after-action review (model.after_action_review's result) into an element: the seat's utility against
// its own AI policy's fan, the months its orders mattered most, and the turning points with their causes.
// A classic script (no imports) on purpose: the review page loads it, and the downloadable review inlines it with
// ECharts and the data, so the one file works offline. Exposes window.ReviewDraw.draw(result, root).
(function () {
  "use strict";
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const KIND = { threshold: "Threshold crossed", base: "Base changed hands", bloc: "Changed sides" };

  function esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function fmtDate(ym) {
    const m = /^(\d{4})-(\d{2})/.exec(ym || "");
    return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : String(ym || "");
  }
  function num(x, d = 2) { return x === null || x === undefined || Number.isNaN(Number(x)) ? "—" : Number(x).toFixed(d); }
  function signed(x, d = 2) { const v = Number(x) || 0; return (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(d); }
  function el(tag, cls, html) { const e = document.createElement(tag); if (cls) e.className = cls; if (html !== undefined) e.innerHTML = html; return e; }
  function ordinal(p) {
    const n = Math.round(p * 100);
    const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
    return `${n}${s}`;
  }

  /** Label each cell with its column's header, for the one-block-a-row layout of narrow screens (`.ftable.cards`;
   *  as common.js's cards(), which this classic script cannot import). */
  function cards(table) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.classList.add("cards");
    for (const tr of table.querySelectorAll("tbody tr")) {
      [...tr.children].forEach((td, i) => { if (i > 0 && heads[i] && !td.classList.contains("ci-col")) td.dataset.label = heads[i]; });
    }
  }

  /** ECharts option: fan bands of the AI's utility (p5–p95, p25–p75, median) and the seat's own line. */
  function utilityOption(r) {
    const f = r.ai.fan;
    const x = r.dates.map(fmtDate);
    const band = (lo, hi) => hi.map((v, i) => v - lo[i]);
    const area = (name, stack, base, top, color) => [
      { type: "line", name: `${name} low`, stack, data: base, lineStyle: { opacity: 0 }, symbol: "none", silent: true, tooltip: { show: false } },
      { type: "line", name, stack, data: top, lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color }, color, itemStyle: { color }, silent: true, tooltip: { show: false } },
    ];
    return {
      animation: false,
      grid: { left: 56, right: 24, top: 42, bottom: 36 },
      legend: { top: 0, icon: "roundRect", data: [`${r.name || r.seat} as played`, "AI policy: median", "AI: middle half", "AI: 90% of futures"] },
      tooltip: { trigger: "axis", valueFormatter: (v) => num(v, 3) },
      xAxis: { type: "category", boundaryGap: false, data: x },
      yAxis: { type: "value", scale: true, name: "utility", nameTextStyle: { fontSize: 12 } },
      series: [
        ...area("AI: 90% of futures", "outer", f.p5, band(f.p5, f.p95), "rgba(100, 116, 139, 0.18)"),
        ...area("AI: middle half", "inner", f.p25, band(f.p25, f.p75), "rgba(100, 116, 139, 0.32)"),
        { type: "line", name: "AI policy: median", data: f.p50, color: "#475569", lineStyle: { type: "dashed", width: 2 }, symbol: "none" },
        { type: "line", name: `${r.name || r.seat} as played`, data: r.utility, color: "#1d4ed8", lineStyle: { width: 3.5 }, symbolSize: 7 },
      ],
    };
  }

  /** A horizontal interval bar: the effect and its 95% interval on a shared scale [-span, span]. */
  function intervalBar(effect, low, high, span) {
    const pos = (v) => 50 + (50 * Math.max(-span, Math.min(span, v))) / span;
    const bar = el("div", "ci");
    bar.innerHTML = `<span class="ci-zero"></span><span class="ci-range" style="left:${pos(low)}%;width:${Math.max(0.5, pos(high) - pos(low))}%"></span>`
      + `<span class="ci-point ${effect >= 0 ? "up" : "down"}" style="left:${pos(effect)}%"></span>`;
    bar.title = `${signed(effect, 3)} [${signed(low, 3)}, ${signed(high, 3)}]`;
    return bar;
  }

  function pivotalTable(r) {
    const rows = r.pivotal || [];
    const box = el("div", "review-pivotal");
    if (!rows.length) { box.append(el("p", "muted", "No month-by-month comparison in this review.")); return box; }
    const span = Math.max(1e-9, ...rows.map((p) => Math.max(Math.abs(p.low), Math.abs(p.high))));
    const t = el("table", "ftable");
    t.innerHTML = "<thead><tr><th>Month</th><th>Orders given</th><th class=\"num\">Final utility: these orders</th>"
      + "<th class=\"num\">the AI's orders</th><th class=\"num\">Effect [95% interval]</th><th class=\"ci-col\">−  0  +</th></tr></thead>";
    const body = el("tbody");
    for (const p of rows) {
      const tr = el("tr");
      const labels = (p.labels && p.labels.length ? p.labels : (p.orders || []).map((o) => Object.values(o).join(" "))).map(esc);
      const sure = p.low > 0 || p.high < 0;
      tr.innerHTML = `<td>${esc(fmtDate(p.date))}</td><td>${labels.join("<br>") || "<span class=\"muted\">held</span>"}</td>`
        + `<td class="num">${num(p.with_orders, 3)}</td><td class="num">${num(p.with_ai, 3)}</td>`
        + `<td class="num ${sure ? (p.effect > 0 ? "good" : "bad") : ""}">${signed(p.effect, 3)} <span class="muted">[${signed(p.low, 3)}, ${signed(p.high, 3)}]</span></td>`;
      const cell = el("td", "ci-col");
      cell.append(intervalBar(p.effect, p.low, p.high, span));
      tr.append(cell);
      body.append(tr);
    }
    t.append(body);
    cards(t);
    box.append(t);
    return box;
  }

  function momentsList(r) {
    const list = el("ol", "review-moments");
    const rows = r.moments || [];
    if (!rows.length) { list.append(el("li", "muted", "No threshold was crossed, no base changed hands and nobody changed sides.")); return list; }
    for (const m of rows) {
      const li = el("li", `moment kind-${esc(m.kind)}`);
      const causes = (m.causes || []).map((c) => `<li>${esc(c.sentence)}</li>`).join("");
      li.innerHTML = `<div class="meta"><span class="when">${esc(fmtDate(m.date))}</span><span class="badge">${esc(KIND[m.kind] || m.kind)}</span></div>`
        + `<div class="sentence">${esc(m.sentence)}</div>`
        + (causes ? `<div class="causes"><span class="muted small">Because, that month:</span><ul>${causes}</ul></div>` : "");
      list.append(li);
    }
    return list;
  }

  function summary(r) {
    const last = r.percentile && r.percentile.length ? r.percentile[r.percentile.length - 1] : null;
    const end = r.utility[r.utility.length - 1], ai = r.ai.fan.p50[r.ai.fan.p50.length - 1];
    const p = el("p", "review-summary");
    p.innerHTML = `${esc(r.name || r.seat)} ended ${esc(fmtDate(r.dates[r.dates.length - 1]))} with utility <b>${num(end, 3)}</b>; `
      + `its own AI policy, playing the same seat from the same start, reached a median of <b>${num(ai, 3)}</b> in ${r.ai.n} futures`
      + (last === null ? "." : ` — the seat as played ranks at the <b>${ordinal(last)} percentile</b> of them.`);
    return p;
  }

  function draw(r, root) {
    root.replaceChildren();
    root.append(summary(r));
    const c1 = el("section", "card review-card");
    c1.append(el("h2", "", "Utility month by month, against its own AI policy"));
    const chart = el("div", "chart review-chart");
    chart.id = "review-utility";
    c1.append(chart);
    c1.append(el("p", "muted small", esc(r.note || "")));
    const c2 = el("section", "card review-card");
    c2.append(el("h2", "", "The months its orders mattered most"));
    c2.append(el("p", "muted small", "Each month's orders against the AI policy's choice in that month, both followed to the end on the same (paired) seeds: the mean difference of the seat's final utility with its 95% interval, largest first."));
    c2.append(pivotalTable(r));
    const c3 = el("section", "card review-card");
    c3.append(el("h2", "", "Turning points and their causes"));
    c3.append(momentsList(r));
    root.append(c1, c2, c3);
    if (window.echarts) {
      const inst = window.echarts.init(chart, null, { renderer: "canvas" });
      inst.setOption(utilityOption(r));
      window.addEventListener("resize", () => inst.resize());
    }
  }

  window.ReviewDraw = { draw, utilityOption };
}());
