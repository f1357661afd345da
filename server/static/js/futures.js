// Futures from here (issue 11), on the game page, in its own container (#futures-root): the game's family and a fork
// button, two branches side by side, futures from the current month (fan charts, base odds, region shares, bloc
// changes), and for a seat's holder two moves compared on paired seeds. Independent of game.js: it reads the game
// from the API, the seat token and owner tokens from the same browser storage game.js writes, and follows the game's
// month through #game's data-turn when game.js sets it.
import { api, ApiError, actorChip, actorColors, cards, fmtDate, h, owners, shortName, toast, wholeNumberIn } from "./common.js";
import { GEO_URL, mapOption } from "./map.js";
import { networkOption } from "./network.js";
import { cancelJob, follow, myJobs, progressText } from "./jobs.js";

const root = document.getElementById("futures-root");
const gameId = root.dataset.gameId;
const API = `/api/games/${encodeURIComponent(gameId)}`;
const HEADLINE = {
  russia_bases_held: "Russian bases held", syria_alignment: "Syria leans West (+) / Russia (−)",
  russia_isolation: "Russia's isolation", russia_bloc_opposition: "Opposition to Russia's bloc",
  kurdish_conflict: "Kurdish conflict", sdf_damascus_fighting: "SDF–Damascus open fighting",
  us_engagement: "US engagement with Damascus", alliance_shifts: "Actors changing sides (a month)",
  blocs_in_use: "Blocs in use", syria_with_west: "Syria in the US bloc",
};
const BAND_OUTER = "rgba(29, 78, 216, 0.14)", BAND_INNER = "rgba(29, 78, 216, 0.30)", MEDIAN = "#1d4ed8";
const PAST_MONTHS = 12;          // months of the game's past drawn before each fan
const TOP_OUTCOMES = 15;         // outcomes listed per table of a comparison before "show all"
const RELOAD_MS = 1500;          // after the game moves on, wait this long for more moves before redrawing

const F = {
  state: null, rows: [], family: null, names: null, colors: {}, geo: false,
  options: null,        // GET .../futures/options: {defaults: {n, months, relations}, caps: {n, months, turns, relations}}
  relations: null,      // relation columns chosen for fan charts (relation.A.B), null until the options arrive
  useOrders: false,     // the futures run with the seat's own orders for the coming month (else its AI's)
  job: null,            // {id, owner, kind} of the job this panel follows
  forkFollows: null,    // the month on display (#game's data-view-turn) the fork menu was last set to
  result: null, compare: null, showAll: false,
  charts: [],
};

// ------------------------------------------------------------------------------------------------ helpers
const $ = (sel, box = root) => box.querySelector(sel);
const pct = (p) => `${Math.round(100 * p)}%`;
const num = (x, d = 2) => (x === null || x === undefined || Number.isNaN(Number(x)) ? "—" : Number(x).toFixed(d));
const signed = (x, d = 2) => { const v = Number(x) || 0; return (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(d); };

/** "2026-03" -> "2026-04": the month the coming turn plays. */
function nextMonth(ym) {
  const m = /^(\d{4})-(\d{2})/.exec(ym || "");
  if (!m) return ym;
  const k = Number(m[1]) * 12 + Number(m[2]);           // month k - 1 of year 0, counted from 1
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
}

function seatOf() {
  let seats = {};
  try { seats = JSON.parse(localStorage.getItem(`wargame.seats.${gameId}`) || "{}") || {}; } catch { seats = {}; }
  const seat = localStorage.getItem(`wargame.seat.${gameId}`);
  const human = (F.state && F.state.human) || [];
  return seat && seats[seat] && human.includes(seat) ? { seat, token: seats[seat] } : null;
}

function names(state) {
  const by = (list) => Object.fromEntries((list || []).map((x) => [x.id, x.name]));
  const actors = Object.fromEntries(state.actors.map((a) => [a.id, shortName(a.name)]));
  return { actors, bases: by(state.bases), regions: by(state.regions), issues: by(state.issues) };
}
const actorName = (a) => (a === "none" ? "nobody" : (F.names.actors[a] || a));

/** A readable name for an indicator column or a compared outcome. */
function label(col) {
  if (HEADLINE[col]) return HEADLINE[col];
  const base = /^base\.([^.]+)\.controller==(.+)$/.exec(col);
  if (base) return `${actorName(base[2])} holds ${F.names.bases[base[1]] || base[1]}`;
  const p = col.split(".");
  const N = F.names;
  switch (p[0]) {
    case "relation": return `Relation ${actorName(p[1])} – ${actorName(p[2])}`;
    case "base": return `${N.bases[p[1]] || p[1]}: ${p[2]}`;
    case "region": return `${actorName(p[2])}'s share of ${N.regions[p[1]] || p[1]}`;
    case "bloc": return p[2] === "changed" ? `${actorName(p[1])} changes side` : `${actorName(p[1])}: bloc`;
    case "issue": return `${N.issues[p[1]] || p[1]}: forecast`;
    case "capability": return `${actorName(p[1])}: ${p[2]} capability`;
    case "utility": case "strain": case "alignment": return `${actorName(p[1])}: ${p[0]}`;
    default: return col;
  }
}

function card(id, title, ...body) {
  return h("section", { class: "card", id }, h("h2", {}, ...[].concat(title)), ...body);
}

function chart(el) {
  const c = echarts.init(el, null, { renderer: "canvas" });
  F.charts.push(c);
  return c;
}

function disposeCharts(box) {
  F.charts = F.charts.filter((c) => {
    if (box.contains(c.getDom())) { c.dispose(); return false; }
    return true;
  });
}

function stack(shares, key = (a) => a) {
  const parts = Object.entries(shares || {}).filter(([, v]) => v > 0.004).sort((x, y) => y[1] - x[1]);
  return h("div", { class: "stack", title: parts.map(([a, v]) => `${actorName(key(a))} ${pct(v)}`).join(" · ") },
    ...parts.map(([a, v]) => h("span", { style: { width: `${100 * v}%`, background: F.colors[key(a)] || "#94a3b8" } },
      v >= 0.12 ? `${a === "none" ? "—" : a} ${pct(v)}` : "")));
}

function ciBar(effect, low, high, span) {
  const pos = (v) => 50 + (50 * Math.max(-span, Math.min(span, v))) / span;
  return h("div", { class: "ci", title: `${signed(effect, 3)} [${signed(low, 3)}, ${signed(high, 3)}]` },
    h("span", { class: "ci-zero" }),
    h("span", { class: "ci-range", style: { left: `${pos(low)}%`, width: `${Math.max(0.5, pos(high) - pos(low))}%` } }),
    h("span", { class: `ci-point ${effect >= 0 ? "up" : "down"}`, style: { left: `${pos(effect)}%` } }));
}

function progressBox(prefix) {
  return h("div", { class: "fprogress", id: `${prefix}-progress`, hidden: true },
    h("div", { class: "bar" }, h("span", { id: `${prefix}-bar` })),
    h("span", { class: "small muted", id: `${prefix}-progress-text` }),
    h("button", { type: "button", class: "small", id: `${prefix}-cancel`, onclick: () => cancel() }, "Cancel"));
}

function showProgress(prefix, p) {
  $(`#${prefix}-progress`).hidden = false;
  $(`#${prefix}-bar`).style.width = `${p && p.total ? Math.round((100 * p.done) / p.total) : 0}%`;
  $(`#${prefix}-progress-text`).textContent = progressText(p);
}

async function cancel() {
  if (!F.job) return;
  try { await cancelJob(F.job.id, F.job.owner); } catch (e) { toast(e.message, "error"); }
}

// ------------------------------------------------------------------------------------------------ jobs
/** Start a job (POST path body), follow it on the panel `prefix`, resolve with its result; one at a time. */
async function runJob(kind, prefix, path, body, headers = {}) {
  if (F.job) { toast("A futures job is already running on this page; wait for it or cancel it.", "error"); return null; }
  let job;
  try {
    job = await api(path, { method: "POST", body, ...headers });
  } catch (e) {
    $(`#${prefix}-error`).hidden = false;
    $(`#${prefix}-error`).textContent = e.message;
    return null;
  }
  $(`#${prefix}-error`).hidden = true;
  F.job = { id: job.id, owner: job.owner_token, kind };
  if (job.owner_token) myJobs.set(`${kind}.${gameId}`, { id: job.id, owner: job.owner_token });
  root.querySelectorAll("button.run").forEach((b) => { b.disabled = true; });
  showProgress(prefix, job.progress);
  try {
    const done = job.state === "done" ? job : await follow(job.id, (p) => showProgress(prefix, p));
    return done.result;
  } catch (e) {
    $(`#${prefix}-error`).hidden = false;
    $(`#${prefix}-error`).textContent = e.state === "cancelled" ? "Cancelled." : e.message;
    return null;
  } finally {
    F.job = null;
    myJobs.set(`${kind}.${gameId}`, null);
    $(`#${prefix}-progress`).hidden = true;
    root.querySelectorAll("button.run").forEach((b) => { b.disabled = false; });
  }
}

// ------------------------------------------------------------------------------------------------ family and forks
function familyView() {
  const fam = F.family;
  const box = h("div", { class: "family", id: "family" });
  if (!fam) return box;
  const link = (g, text) => (g.exists === false ? h("span", { class: "gone", title: "deleted" }, text)
    : h("a", { href: `/game/${encodeURIComponent(g.id)}` }, text));
  const parts = [];
  for (const a of [...fam.ancestors].reverse()) parts.push(link(a, `game ${a.id}`), h("span", { class: "muted" }, `→ forked at month ${a.forked_at} →`));
  parts.push(h("span", { class: "me" }, `this game (${gameId}), month ${fam.game.turn} of ${fam.game.max_turns}`));
  box.append(...parts);
  if (fam.forks.length) {
    box.append(h("div", { style: { flexBasis: "100%" } }, h("span", { class: "muted small" }, `Forks of this game (${fam.forks_total}):`),
      h("ul", { id: "fork-list" }, ...fam.forks.map((f) => h("li", {}, link(f, `game ${f.id}`),
        h("span", { class: "muted small" }, ` forked at month ${f.parent_turn}, now at month ${f.turn} of ${f.max_turns} · ${f.status}`))))));
  } else if (!fam.ancestors.length) {
    box.append(h("span", { class: "muted small" }, "No forks yet: fork this game at any month played to try another course from there."));
  }
  return box;
}

function relatives() {
  const fam = F.family;
  if (!fam) return [];
  return [...fam.ancestors.filter((a) => a.exists !== false).map((a, i) => ({ id: a.id, text: `${i ? "ancestor" : "parent"} ${a.id} (forked at month ${a.forked_at})` })),
    ...fam.forks.map((f) => ({ id: f.id, text: `fork ${f.id} (from month ${f.parent_turn})` }))];
}

async function doFork() {
  const turn = Number($("#fork-turn").value);
  let fork;
  try {
    fork = await api(`${API}/fork`, { method: "POST", body: { turn } });
  } catch (e) { toast(e.message, "error"); return; }
  owners.set("game", fork.id, fork.owner_token);
  if (Object.keys(fork.tokens).length) {
    try {
      localStorage.setItem(`wargame.seats.${fork.id}`, JSON.stringify(fork.tokens));
      const mine = seatOf();
      if (mine && fork.tokens[mine.seat]) localStorage.setItem(`wargame.seat.${fork.id}`, mine.seat);
    } catch { /* private mode: the seat links below still work */ }
  }
  F.lastFork = fork;
  await loadFamily();
  renderBranches();
  const other = $("#branch-other");
  if (other) { other.value = fork.id; compareBranches(); }
}

function renderBranches() {
  const box = $("#branches-card");
  disposeCharts(box);
  const L = F.state;
  const turnOpts = Array.from({ length: L.turn + 1 }, (_, t) => h("option", { value: String(t) }, `${t} · ${fmtDate(F.rows[t]?.date || "")}`));
  const forkSel = h("select", { id: "fork-turn", "aria-label": "Month to fork at" }, ...turnOpts);
  const viewed = Number(document.getElementById("game")?.dataset.viewTurn);
  forkSel.value = String(Number.isInteger(viewed) && viewed <= L.turn ? viewed : L.turn);
  F.forkFollows = forkSel.value;
  const rel = relatives();
  const body = [
    familyView(),
    h("div", { class: "fform", style: { marginTop: ".6rem" } },
      h("label", { for: "fork-turn" }, "Fork at month"), forkSel,
      h("button", { type: "button", id: "fork-btn", onclick: doFork }, "Fork"),
      h("span", { class: "small muted" }, "A new game: the same months up to there, then its own random course. Pending orders stay here.")),
    forkDone(F.lastFork),
  ];
  if (rel.length) {
    body.push(h("h3", { class: "fsub" }, "Two branches side by side"),
      h("div", { class: "fform" },
        h("label", { for: "branch-other" }, "This game against"),
        h("select", { id: "branch-other", onchange: () => compareBranches() }, ...rel.map((r) => h("option", { value: r.id }, r.text))),
        h("label", { for: "branch-month" }, "at month"), h("select", { id: "branch-month", onchange: () => compareBranches(true) }),
        h("label", { for: "branch-ind" }, "indicator"),
        h("select", { id: "branch-ind", onchange: () => drawBranchLines() }, ...Object.entries(HEADLINE).map(([k, v]) => h("option", { value: k }, v)))),
      h("div", { id: "branch-view" }));
  }
  box.replaceChildren(h("h2", {}, "Family and branches"), ...body);
  if (rel.length) compareBranches();
}

function forkDone(fork) {
  const box = h("div", { id: "fork-done", class: "notice ok", hidden: !fork });
  if (fork) {
    box.append(`Forked at month ${fork.parent_turn} (${fmtDate(F.rows[fork.parent_turn]?.date || "")}): `,
      h("a", { href: fork.links.game, id: "fork-link" }, `open game ${fork.id}`),
      Object.keys(fork.tokens).length ? h("span", { class: "muted small" }, " · its seats have their own new links, kept in this browser") : "");
  }
  return box;
}

const B = { other: null, otherRows: [], diff: null };

async function compareBranches(keepMonth = false) {
  const otherId = $("#branch-other").value;
  try {
    if (B.other !== otherId) {
      B.otherRows = ((await api(`/api/games/${encodeURIComponent(otherId)}/history`)).rows || []).sort((a, b) => a.turn - b.turn);
      B.other = otherId;
    }
    const common = Math.min(F.state.turn, B.otherRows.length - 1);
    const monthSel = $("#branch-month");
    const want = keepMonth ? Number(monthSel.value) : common;
    monthSel.replaceChildren(...Array.from({ length: common + 1 }, (_, t) => h("option", { value: String(t) }, `${t} · ${fmtDate(F.rows[t]?.date || "")}`)));
    monthSel.value = String(Math.min(want, common));
    const turn = Number(monthSel.value);
    const [diff, mine, theirs] = await Promise.all([
      api(`${API}/branches/${encodeURIComponent(otherId)}?turn=${turn}`),
      api(`${API}?turn=${turn}`), api(`/api/games/${encodeURIComponent(otherId)}?turn=${turn}`)]);
    B.diff = diff;
    drawBranchView(diff, mine, theirs);
  } catch (e) { toast(e.message, "error"); }
}

function drawBranchView(diff, mine, theirs) {
  const view = $("#branch-view");
  disposeCharts(view);
  const when = diff.diverged === null ? "No indicator differs between them up to this month."
    : `They first differ in month ${diff.diverged} (${fmtDate(diff.diverged_date)}).`;
  const side = (title, id) => h("div", { class: "side" }, h("h3", {}, title),
    h("div", { class: "chart chart-bmap", id: `bmap-${id}` }), h("div", { class: "chart chart-bnet", id: `bnet-${id}` }));
  const rows = diff.differences.map((d) => h("tr", {},
    h("td", {}, label(d.column)),
    h("td", { class: "num" }, d.kind === "number" ? num(d.a, 3) : actorName(String(d.a))),
    h("td", { class: "num" }, d.kind === "number" ? num(d.b, 3) : actorName(String(d.b))),
    h("td", { class: "num" }, d.kind === "number" ? signed(d.difference, 3) : "changed")));
  view.replaceChildren(
    h("p", { class: "small", id: "branch-when" }, when, ` ${diff.total} indicator${diff.total === 1 ? "" : "s"} differ in ${fmtDate(diff.date)}.`),
    h("div", { class: "chart chart-bind", id: "branch-lines" }),
    h("div", { class: "branches" }, side(`This game (${gameId}) in ${fmtDate(diff.date)}`, "a"), side(`Game ${diff.b.id} in ${fmtDate(diff.date)}`, "b")),
    h("h3", { class: "fsub" }, "What differs"),
    diff.differences.length
      ? h("div", { class: "diffs" }, cards(h("table", { class: "ftable", id: "branch-diffs" },
        h("thead", {}, h("tr", {}, h("th", {}, "Indicator"), h("th", { class: "num" }, "This game"), h("th", { class: "num" }, `Game ${diff.b.id}`), h("th", { class: "num" }, "Difference"))),
        h("tbody", {}, ...rows))))
      : h("p", { class: "muted", id: "branch-diffs-none" }, "Nothing: the two branches are the same at this month."));
  drawBranchLines();
  if (!F.geo) return;
  const opts = { width: 0, height: 0 };
  for (const [key, st] of [["a", mine], ["b", theirs]]) {
    const map = chart($(`#bmap-${key}`));
    const o = mapOption(st, null, F.colors, F.names.actors);
    map.setOption(o);
    const net = chart($(`#bnet-${key}`));
    opts.width = net.getWidth(); opts.height = net.getHeight();
    net.setOption(networkOption(st, F.colors, F.names.actors, new Set(), seatOf()?.seat || null, 0.3, opts));
  }
}

function drawBranchLines() {
  const el = $("#branch-lines");
  if (!el || !B.diff) return;
  const key = $("#branch-ind").value;
  let c = echarts.getInstanceByDom(el);
  if (!c) c = chart(el);
  const n = Math.max(F.rows.length, B.otherRows.length);
  const dates = Array.from({ length: n }, (_, t) => (F.rows[t] || B.otherRows[t] || {}).date);
  const series = (rows) => Array.from({ length: n }, (_, t) => (rows[t] && rows[t][key] !== undefined ? Number(rows[t][key]) : null));
  const turn = Number($("#branch-month").value);
  c.setOption({
    animation: false,
    grid: { left: 52, right: 24, top: 36, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : Number(v).toFixed(3)) },
    xAxis: { type: "category", boundaryGap: false, data: dates.map((d) => fmtDate(d, true)) },
    yAxis: { type: "value", scale: true },
    series: [
      { type: "line", name: `This game (${gameId})`, data: series(F.rows), color: "#1d4ed8", lineStyle: { width: 3 }, symbolSize: 5,
        markLine: { silent: true, symbol: "none", label: { formatter: "shown", fontSize: 11 }, lineStyle: { type: "dashed", color: "#64748b" }, data: [{ xAxis: fmtDate(dates[turn], true) }] } },
      { type: "line", name: `Game ${B.other}`, data: series(B.otherRows), color: "#ea580c", lineStyle: { width: 2.5, type: "dashed" }, symbolSize: 5 },
    ],
  }, { notMerge: true });
}

// ------------------------------------------------------------------------------------------------ futures
const SWITCHES = new Set(["sdf_damascus_fighting", "syria_with_west"]);
const COUNTS = new Set(["russia_bases_held", "alliance_shifts", "blocs_in_use"]);

/** The y axis of a fan: switches 0..1, counts from 0 in whole steps, the rest fitted to the data. */
function axisFor(col) {
  if (SWITCHES.has(col)) return { min: 0, max: 1, interval: 0.5 };
  if (COUNTS.has(col)) return { min: 0, minInterval: 1 };
  return { scale: true };
}

function fanOption(col, fan, dates) {
  const past = F.rows.slice(-PAST_MONTHS - 1);          // ends at the month the futures start from
  const x = [...past.map((r) => r.date), ...dates.slice(1)];
  const pad = (arr) => [...Array(past.length - 1).fill("-"), ...arr];
  const band = (lo, hi) => pad(hi.map((v, i) => v - lo[i]));
  const hist = [...past.map((r) => Number(r[col])), ...Array(dates.length - 1).fill("-")];
  const quiet = { lineStyle: { opacity: 0 }, symbol: "none", silent: true, tooltip: { show: false } };
  return {
    animation: false,
    grid: { left: 44, right: 10, top: 8, bottom: 22 },
    tooltip: { trigger: "axis", formatter: (ps) => {
      const i = ps[0].dataIndex - (past.length - 1);
      const d = x[ps[0].dataIndex];
      if (i < 0) return `${fmtDate(d)}: ${num(hist[ps[0].dataIndex], 3)} (played)`;
      return `${fmtDate(d)}<br>median ${num(fan.p50[i], 3)}<br>middle half ${num(fan.p25[i], 3)} – ${num(fan.p75[i], 3)}<br>90% ${num(fan.p5[i], 3)} – ${num(fan.p95[i], 3)}`;
    } },
    xAxis: { type: "category", boundaryGap: false, data: x.map((d) => fmtDate(d, true)), axisLabel: { fontSize: 10 } },
    yAxis: { type: "value", axisLabel: { fontSize: 10 }, splitNumber: 3, ...axisFor(col) },
    series: [
      { type: "line", name: "p5", stack: "outer", data: pad(fan.p5), ...quiet },
      { type: "line", name: "90%", stack: "outer", data: band(fan.p5, fan.p95), areaStyle: { color: BAND_OUTER }, ...quiet },
      { type: "line", name: "p25", stack: "inner", data: pad(fan.p25), ...quiet },
      { type: "line", name: "50%", stack: "inner", data: band(fan.p25, fan.p75), areaStyle: { color: BAND_INNER }, ...quiet },
      { type: "line", name: "median", data: pad(fan.p50), color: MEDIAN, lineStyle: { width: 2 }, symbol: "none" },
      { type: "line", name: "played", data: hist, color: "#111827", lineStyle: { width: 2.5 }, symbol: "none" },
    ],
  };
}

/** Who plays whom in the futures, in the server's terms (pending orders are left out of every job). */
function aiNote(res, given = true) {
  const seats = (res.ai_seats || []).map(actorName);
  if (!seats.length) return "Every actor is played by its AI policy in these futures, as in the game.";
  const month = res.dates && res.dates[1] ? ` in ${fmtDate(res.dates[1])}` : " in the coming month";
  const orders = given && res.seat && res.orders ? ` ${actorName(res.seat)} first gives the orders chosen${month}: ${res.labels && res.labels.length ? res.labels.join(", ") : "hold (no orders)"}.` : "";
  return `In these futures the human seat${seats.length > 1 ? "s" : ""} (${seats.join(", ")}) ${seats.length > 1 ? "are" : "is"} played by ${seats.length > 1 ? "their actors'" : "its actor's"} AI policy.${orders}`;
}

function basesTable(res) {
  const rows = Object.entries(res.bases).map(([b, v]) => {
    const [top, p] = Object.entries(v.p).sort((x, y) => y[1] - x[1])[0] || ["none", 0];
    const iv = (v.intervals || {})[top] || {};
    const keep = top === v.start;
    return h("tr", { dataset: { base: b } },
      h("td", {}, F.names.bases[b] || b),
      h("td", {}, v.start ? actorChip(v.start, v.start, F.colors[v.start] || "#888") : "—"),
      h("td", {}, stack(v.p)),
      h("td", { class: "num", title: `${keep ? "stays with" : "goes to"} ${actorName(top)}` }, `${keep ? "" : "→ "}${top === "none" ? "nobody" : top} ${pct(p)}`,
        iv.low !== undefined ? h("span", { class: "muted small" }, ` [${pct(iv.low)}–${pct(iv.high)}]`) : ""));
  });
  return cards(h("table", { class: "ftable", id: "futures-bases" },
    h("thead", {}, h("tr", {}, h("th", {}, "Base"), h("th", {}, "Now"), h("th", {}, `Held in ${fmtDate(res.dates[res.dates.length - 1], true)}`), h("th", { class: "num" }, "Likeliest [95%]"))),
    h("tbody", {}, ...rows)));
}

function regionsTable(res) {
  const rows = Object.entries(res.regions).map(([r, v]) => h("tr", {},
    h("td", {}, F.names.regions[r] || r), h("td", {}, stack(v.start)), h("td", {}, stack(v.expected))));
  return cards(h("table", { class: "ftable", id: "futures-regions" },
    h("thead", {}, h("tr", {}, h("th", {}, "Governorate"), h("th", {}, "Control now"), h("th", {}, `Expected in ${fmtDate(res.dates[res.dates.length - 1])}`))),
    h("tbody", {}, ...rows)));
}

function blocsTable(res) {
  const rows = Object.entries(res.blocs).sort((x, y) => y[1].p_change - x[1].p_change).map(([a, v]) => h("tr", { dataset: { actor: a } },
    h("td", {}, actorChip(a, actorName(a), F.colors[a] || "#888")),
    h("td", { class: "num" }, pct(v.p_change), h("span", { class: "muted small" }, ` [${pct(v.low)}–${pct(v.high)}]`)),
    h("td", { class: "num" }, pct(v.p_other_side_at_horizon))));
  return cards(h("table", { class: "ftable", id: "futures-blocs" },
    h("thead", {}, h("tr", {}, h("th", {}, "Actor"), h("th", { class: "num" }, "Changes side [95%]"), h("th", { class: "num" }, "Other side at the end"))),
    h("tbody", {}, ...rows)));
}

function drawFutures(res) {
  const box = $("#futures-result");
  disposeCharts(box);
  const cols = Object.keys(res.fans);
  const grid = h("div", { class: "fan-grid", id: "fan-grid" }, ...cols.map((c, i) => h("div", { class: "fan" },
    h("h4", {}, label(c)), h("div", { class: "chart chart-fan", id: `fan-${i}`, dataset: { column: c } }))));
  box.replaceChildren(
    h("p", { class: "fnote", id: "futures-note" }, aiNote(res),
      ` ${res.n} futures of ${res.months} months from ${fmtDate(res.from.date)}, played in ${num(res.seconds, 1)} s.`),
    h("div", { class: "fan-legend" },
      h("span", {}, h("span", { class: "sw", style: { background: "#111827", height: "3px" } }), "played so far"),
      h("span", {}, h("span", { class: "sw", style: { background: MEDIAN, height: "3px" } }), "median future"),
      h("span", {}, h("span", { class: "sw", style: { background: BAND_INNER } }), "middle half of the futures"),
      h("span", {}, h("span", { class: "sw", style: { background: BAND_OUTER } }), "90% of the futures")),
    grid,
    h("div", { class: "two-col" },
      h("div", {}, h("h3", { class: "fsub" }, "Who holds each base at the end"), h("div", { class: "scroll" }, basesTable(res))),
      h("div", {}, h("h3", { class: "fsub" }, "Who changes side"), h("div", { class: "scroll" }, blocsTable(res)))),
    h("h3", { class: "fsub" }, "Control of the governorates"), h("div", { class: "scroll" }, regionsTable(res)));
  for (const el of grid.querySelectorAll(".chart-fan")) chart(el).setOption(fanOption(el.dataset.column, res.fans[el.dataset.column], res.dates));
  root.dataset.futures = String(res.n);
}

/** The numbers of two boxes checked in the page ({n, months}), or null with the first mistake shown on the panel. */
function sizes(prefix, nId, monthsId) {
  const n = wholeNumberIn($(`#${nId}`)), months = wholeNumberIn($(`#${monthsId}`));
  const box = $(`#${prefix}-error`);
  box.hidden = !(n.error || months.error);
  box.textContent = n.error || months.error || "";
  return box.hidden ? { n: n.value, months: months.value } : null;
}

async function runFutures() {
  const size = sizes("futures", "futures-n", "futures-months");
  if (!size) return;
  const body = { ...size };
  if (F.relations) body.relations = F.relations;
  const mine = seatOf();
  const headers = {};
  if (F.useOrders && mine && M.menu && M.seat === mine.seat) {
    body.seat = mine.seat;
    body.orders = picked("f");
    headers.token = mine.token;
  }
  const res = await runJob("futures", "futures", `${API}/futures`, body, headers);
  if (res) { F.result = res; drawFutures(res); }
}

// ------------------------------------------------------------------------------------------------ relations
const pairOf = (col) => col.split(".").slice(1);

/** The relations drawn as fan charts: chips to remove, two actors to add a pair, back to the defaults. */
function relationsPicker() {
  const box = h("div", { class: "relpick", id: "relations-picker" });
  if (!F.relations) return box;
  const caps = (F.options && F.options.caps) || {};
  const actors = F.state.actors.map((a) => a.id);
  const chips = F.relations.map((col) => {
    const [a, b] = pairOf(col);
    return h("span", { class: "chip relchip", dataset: { relation: col } }, `${actorName(a)} – ${actorName(b)}`,
      h("button", { type: "button", title: "Do not draw this relation", "aria-label": `Remove ${actorName(a)} – ${actorName(b)}`, onclick: () => { F.relations = F.relations.filter((c) => c !== col); redrawRelations(); } }, "×"));
  });
  const pick = (id, label, value) => {
    const sel = h("select", { id, "aria-label": label }, ...actors.map((a) => h("option", { value: a }, `${actorName(a)} (${a})`)));
    sel.value = value;
    return sel;
  };
  const add = () => {
    const a = $("#relation-a").value, b = $("#relation-b").value;
    if (a === b) { toast("Pick two different actors for a relation.", "error"); return; }
    const [i, j] = [actors.indexOf(a), actors.indexOf(b)].sort((x, y) => x - y);
    const col = `relation.${actors[i]}.${actors[j]}`;
    if (F.relations.includes(col)) { toast(`${actorName(a)} – ${actorName(b)} is drawn already.`); return; }
    if (caps.relations && F.relations.length >= caps.relations) { toast(`At most ${caps.relations} relations.`, "error"); return; }
    F.relations = [...F.relations, col];
    redrawRelations();
  };
  const defaults = (F.options && F.options.defaults.relations) || [];
  const same = defaults.length === F.relations.length && defaults.every((c, k) => c === F.relations[k]);
  box.append(
    h("span", { class: "small muted" }, "Relations drawn as fan charts:"),
    ...(chips.length ? chips : [h("span", { class: "small muted", id: "relations-none" }, "none (only the headline indicators)")]),
    h("span", { class: "reladd" }, h("span", { class: "small muted" }, "add"),
      pick("relation-a", "First actor of a relation to add", actors[0]), h("span", { class: "muted" }, "–"),
      pick("relation-b", "Second actor of a relation to add", actors[1] || actors[0]),
      h("button", { type: "button", class: "small", id: "relation-add", onclick: add }, "Add"),
      same ? "" : h("button", { type: "button", class: "small", id: "relation-reset", onclick: () => { F.relations = [...defaults]; redrawRelations(); } }, "Defaults")));
  return box;
}

function redrawRelations() {
  const old = $("#relations-picker");
  if (old) old.replaceWith(relationsPicker());
}

// ------------------------------------------------------------------------------------------------ a seat's orders
/** A fieldset of the seat's feasible orders for the coming month with an action-point budget; `arm` names it
 * ("f": the futures run, "a"/"b": the two moves). Nothing ticked is hold. */
function orderPicker(arm, legend) {
  const ap = M.menu.action_points;
  const opts = M.menu.feasible.map((f, i) => h("label", {},
    h("input", { type: "checkbox", dataset: { arm, index: String(i), cost: String(f.cost) }, onchange: () => budget(arm) }),
    f.label, h("span", { class: "cost" }, `${f.cost} AP`)));
  return h("fieldset", { id: `move-${arm}`, class: "orderpick" }, h("legend", {}, legend),
    h("div", { class: "small muted", id: `move-${arm}-ap` }, `${ap} of ${ap} action points left · nothing ticked = hold`),
    h("div", { class: "opts" }, ...opts));
}

/** For a seat's holder: the futures with the seat's own orders for the coming month instead of its AI's. */
function futuresOrders() {
  const box = $("#futures-orders");
  if (!box) return;
  const mine = seatOf();
  if (!mine || !M.menu || M.seat !== mine.seat || M.turn !== F.state.turn || F.state.done) { box.replaceChildren(); box.hidden = true; return; }
  box.hidden = false;
  const month = fmtDate(nextMonth(F.state.date));
  const mode = (value, text) => h("label", {}, h("input", { type: "radio", name: "futures-orders-mode", value, id: `futures-orders-${value}`, checked: F.useOrders === (value === "mine"),
    onchange: () => { F.useOrders = value === "mine"; picker.hidden = !F.useOrders; } }), ` ${text}`);
  const picker = orderPicker("f", `${actorName(mine.seat)}'s orders for ${month}`);
  picker.hidden = !F.useOrders;
  box.replaceChildren(
    h("div", { class: "small modes" }, h("strong", {}, `${actorName(mine.seat)} in ${month}:`),
      mode("ai", "its AI policy chooses (as in every later month)"), mode("mine", "these orders of mine:")),
    picker);
}

function renderFutures() {
  const human = F.state.human || [];
  const seats = human.map((a) => actorName(a)).join(", ");
  $("#futures-card").replaceChildren(
    h("h2", {}, "Futures from here", h("span", { class: "spacer" }), h("span", { class: "small muted" }, `from ${fmtDate(F.state.date)}`)),
    h("p", { class: "small muted" }, "What may come: many continuations of this game from its current month, each with its own random course."),
    human.length ? h("p", { class: "small muted", id: "futures-ai-note" }, `In the futures the human seats (${seats}) are played by their actors' AI policy; orders already submitted for the coming month are left out.`) : "",
    h("div", { class: "fform" },
      h("label", { for: "futures-n" }, "Futures"), sizeInput("futures-n", "n"),
      h("label", { for: "futures-months" }, "Months"), sizeInput("futures-months", "months"),
      h("button", { type: "button", class: "primary run", id: "futures-run", onclick: runFutures }, "Run futures")),
    relationsPicker(),
    h("div", { class: "forders", id: "futures-orders", hidden: true }),
    progressBox("futures"),
    h("div", { class: "notice error", id: "futures-error", hidden: true }),
    h("div", { id: "futures-result" }));
  futuresOrders();
  if (F.result && F.result.from.turn === F.state.turn) drawFutures(F.result);
}

/** A number input for N or M with the defaults and caps of the server (futures/options). */
function sizeInput(id, key) {
  const o = F.options || { defaults: { n: 200, months: 12 }, caps: { n: 5000, months: 120 } };
  const kept = $(`#${id}`);
  return h("input", { type: "number", id, min: "1", max: String(o.caps[key]), value: kept ? kept.value : String(o.defaults[key]) });
}

// ------------------------------------------------------------------------------------------------ two moves
const M = { menu: null, seat: null };

async function renderMoves() {
  const box = $("#moves-card");
  const mine = seatOf();
  box.hidden = !mine || F.state.done;
  if (box.hidden) { futuresOrders(); return; }
  if (!M.menu || M.seat !== mine.seat || M.turn !== F.state.turn) {
    try {
      M.menu = await api(`${API}/seats/${encodeURIComponent(mine.seat)}/orders`, { token: mine.token });
      M.seat = mine.seat; M.turn = F.state.turn;
    } catch (e) { box.hidden = true; if (!(e instanceof ApiError && e.status === 403)) toast(e.message, "error"); return; }
  }
  futuresOrders();
  const side = (arm) => orderPicker(arm, `Move ${arm.toUpperCase()}`);
  box.replaceChildren(
    h("h2", {}, `Compare two moves for ${actorName(mine.seat)}`, h("span", { class: "spacer" }), h("span", { class: "small muted" }, `orders for ${fmtDate(nextMonth(F.state.date))}`)),
    h("p", { class: "small muted" }, "Two order sets for the coming month, each followed by the same futures (paired seeds: future i of A and of B share one random course), so the difference is the orders' own. The relations compared are those chosen for the fan charts above."),
    h("div", { class: "moves" }, side("a"), side("b")),
    h("div", { class: "fform", style: { marginTop: ".6rem" } },
      h("label", { for: "moves-n" }, "Futures per move"), sizeInput("moves-n", "n"),
      h("label", { for: "moves-months" }, "Months"), sizeInput("moves-months", "months"),
      h("button", { type: "button", class: "primary run", id: "moves-run", onclick: runMoves }, "Compare")),
    progressBox("moves"),
    h("div", { class: "notice error", id: "moves-error", hidden: true }),
    h("div", { id: "moves-result" }));
  if (F.compare && F.compare.turn === F.state.turn) drawMoves(F.compare.result);
}

function budget(arm) {
  const boxes = [...root.querySelectorAll(`input[data-arm="${arm}"]`)];
  const used = boxes.filter((b) => b.checked).reduce((s, b) => s + Number(b.dataset.cost), 0);
  const left = M.menu.action_points - used;
  for (const b of boxes) b.disabled = !b.checked && Number(b.dataset.cost) > left;
  $(`#move-${arm}-ap`).textContent = `${left} of ${M.menu.action_points} action points left${used ? "" : " · nothing ticked = hold"}`;
}

function picked(arm) {
  return [...root.querySelectorAll(`input[data-arm="${arm}"]:checked`)].map((b) => M.menu.feasible[Number(b.dataset.index)].order);
}

async function runMoves() {
  const mine = seatOf();
  if (!mine) return;
  const size = sizes("moves", "moves-n", "moves-months");
  if (!size) return;
  const body = { seat: mine.seat, orders_a: picked("a"), orders_b: picked("b"), ...size };
  if (F.relations) body.relations = F.relations;
  const res = await runJob("compare", "moves", `${API}/compare`, body, { token: mine.token });
  if (res) { F.compare = { turn: F.state.turn, result: res }; drawMoves(res); }
}

function outcomeTable(id, rows, binary) {
  const span = Math.max(1e-9, ...rows.map((o) => Math.max(Math.abs(o.low), Math.abs(o.high))));
  const fmt = (v) => (binary ? num(v, 2) : num(v, 3));
  return cards(h("table", { class: "ftable", id },
    h("thead", {}, h("tr", {}, h("th", {}, binary ? "Probability of" : "Level of"), h("th", { class: "num" }, "A"), h("th", { class: "num" }, "B"),
      h("th", { class: "num" }, "A − B [95%]"), h("th", { class: "ci-col" }, "−   0   +"))),
    h("tbody", {}, ...rows.map((o) => {
      const sure = o.low > 0 || o.high < 0;
      return h("tr", { dataset: { outcome: o.name } },
        h("td", {}, label(o.name)), h("td", { class: "num" }, fmt(o.a)), h("td", { class: "num" }, fmt(o.b)),
        h("td", { class: `num ${sure ? (o.difference > 0 ? "good" : "bad") : ""}` }, signed(o.difference, binary ? 2 : 3),
          h("span", { class: "muted small" }, ` [${signed(o.low, binary ? 2 : 3)}, ${signed(o.high, binary ? 2 : 3)}]`)),
        h("td", { class: "ci-col" }, ciBar(o.difference, o.low, o.high, span)));
    }))));
}

function drawMoves(res) {
  const box = $("#moves-result");
  const all = F.showAll;
  // unless asked for everything: leave out outcomes every future agrees on under both moves
  const moved = (o) => all || (o.same !== undefined ? !o.same : (o.binary ? !(o.a === o.b && (o.a === 0 || o.a === 1)) : !(o.a === o.b && o.low === o.high)));
  const odds = res.outcomes.filter((o) => o.binary && moved(o)).sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference));
  const levels = res.outcomes.filter((o) => !o.binary && (all || !o.name.startsWith("region.")) && moved(o))
    .sort((x, y) => Math.abs(y.difference) / (y.high - y.low || 1) - Math.abs(x.difference) / (x.high - x.low || 1));
  const cut = (rows) => (all ? rows : rows.slice(0, TOP_OUTCOMES));
  const words = (arm) => (res[arm].labels && res[arm].labels.length ? res[arm].labels.join(", ") : "hold (no orders)");
  box.replaceChildren(
    h("p", { class: "fnote", id: "moves-note" }, `A: ${words("a")}. B: ${words("b")}. ${res.n} paired futures of ${res.months} months each, to ${fmtDate(res.dates[res.dates.length - 1])}. `, aiNote(res.a.summary, false)),
    h("div", { class: "row small" }, h("label", {}, h("input", { type: "checkbox", id: "moves-all", checked: all, onchange: (e) => { F.showAll = e.target.checked; drawMoves(res); } }), " show every outcome (with control shares and unchanged ones)")),
    h("h3", { class: "fsub" }, "Odds at the end"), odds.length ? outcomeTable("moves-odds", cut(odds), true) : h("p", { class: "muted" }, "No probability differs between the two moves."),
    h("h3", { class: "fsub" }, "Indicators and relations at the end"), levels.length ? outcomeTable("moves-levels", cut(levels), false) : h("p", { class: "muted" }, "No level differs."));
  root.dataset.compared = String(res.n);
}

// ------------------------------------------------------------------------------------------------ reviews
function renderReviews() {
  const human = F.state.human || [];
  const box = $("#reviews-line");
  box.hidden = !human.length || F.state.turn < 1;
  box.replaceChildren(h("span", { class: "muted" }, "After-action review:"),
    ...human.map((a) => h("a", { class: "button small", href: `/games/${encodeURIComponent(gameId)}/review/${encodeURIComponent(a)}` }, actorName(a))));
}

// ------------------------------------------------------------------------------------------------ start
async function loadFamily() {
  try { F.family = await api(`${API}/family`); } catch (e) { F.family = null; toast(e.message, "error"); }
}

async function load() {
  const [state, hist] = await Promise.all([api(API), api(`${API}/history`)]);
  F.state = state;
  F.rows = (hist.rows || []).slice().sort((a, b) => a.turn - b.turn);
  F.names = names(state);
  F.colors = actorColors(state.actors);
  if (!F.options) {
    try {
      F.options = await api(`${API}/futures/options`);
      F.relations = [...F.options.defaults.relations];
    } catch (e) { toast(e.message, "error"); }   // the server's defaults then apply
  }
  await loadFamily();
}

function renderAll() {
  for (const f of [renderBranches, renderFutures, renderMoves, renderReviews]) {
    try { f(); } catch (e) { console.error(`${f.name} failed:`, e); }
  }
}

async function init() {
  root.replaceChildren(
    h("div", { class: "row small", id: "reviews-line", hidden: true }),
    card("branches-card", "Family and branches"),
    card("futures-card", "Futures from here"),
    h("section", { class: "card", id: "moves-card", hidden: true }));
  try { await load(); } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) toast(e.message, "error");
    root.hidden = true;
    return;
  }
  if (!echarts.getMap("syria")) {
    try {
      const r = await fetch(GEO_URL);
      if (r.ok) { echarts.registerMap("syria", await r.json()); }
    } catch { /* the branch maps stay empty; everything else works */ }
  }
  F.geo = !!echarts.getMap("syria");
  renderAll();
  root.dataset.ready = "1";
  // follow the game's month when game.js moves it (a step, a resolved turn), and the seat it plays
  const page = document.getElementById("game");
  if (page) {
    // the month this panel was drawn for: game.js's first draw of that same month (it may end after this panel is
    // ready) is no move of the game, so it does not redraw the panel over what the person entered meanwhile
    let turn = String(F.state.turn), timer = null;
    const reload = async () => {
      timer = null;
      if (F.job) { timer = setTimeout(reload, RELOAD_MS); return; }   // a job's panel stays until it ends
      try { await load(); renderAll(); } catch { /* the next change retries */ }
    };
    const onGameChange = () => {
      // the fork menu follows the month on display when that moves; game.js drawing the month the menu already
      // follows (its first draw, a redraw) leaves a month chosen in the menu alone
      const viewed = page.dataset.viewTurn;
      if (viewed !== undefined && viewed !== F.forkFollows) {
        F.forkFollows = viewed;
        const fork = $("#fork-turn");
        if (fork && [...fork.options].some((o) => o.value === viewed)) fork.value = viewed;
      }
      const now = page.dataset.turn;
      if (now === undefined || now === turn) return;
      turn = now;
      if (!timer) timer = setTimeout(reload, RELOAD_MS);     // once for a burst of turns (autoplay)
    };
    new MutationObserver(onGameChange).observe(page, { attributes: true, attributeFilter: ["data-turn", "data-view-turn"] });
    onGameChange();                                           // game.js may have drawn a later month meanwhile
  }
  window.addEventListener("storage", (e) => { if (e.key && e.key.startsWith("wargame.seat")) renderMoves(); });
  document.addEventListener("change", (e) => { if (e.target && e.target.id === "seat-select") setTimeout(renderMoves, 0); });
  document.addEventListener("click", (e) => { if (e.target && e.target.id === "leave-seat") setTimeout(renderMoves, 0); });
  window.addEventListener("resize", () => F.charts.forEach((c) => c.resize()));
}

init();
