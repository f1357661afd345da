// Compare two months of this game side by side: the map (governorate control and bases), the network (blocs and
// relations) and the headline indicators at each, with what differs listed first: bases that changed hands,
// governorates whose shares moved, actors that changed bloc, relations and indicators that moved most. The later
// month's map and network mark what differs from the earlier one (outlines, gold rings).
// Self-contained: it reads the game's stored records through the same API as the page (GET /api/games/<id>?turn=N,
// /history, /guide), and follows the months played through the game page's data-turn attribute.
import { api, actorColors, debounce, fmtDate, h, shortName, signed, toast } from "./common.js";
import { GEO_URL, MAP_ASPECT, mapOption, shortBase } from "./map.js";
import { blocNames, networkOption } from "./network.js";
import { COUNTS, INDICATORS, monthOf } from "./charts.js";
import { openHelp } from "./help.js";

const HELP = "Pick any two months already played. First what differs between them: bases that changed hands or status, "
  + "governorates where a controller's share moved by 5 points or more (or the leader changed), actors that changed bloc "
  + "(a bloc is followed by its members, whatever its number), the relations and the indicators that moved most (relative "
  + "to their range). Then both maps, both networks and every indicator side by side; the later month's map outlines "
  + "what changed hands and its network rings the actors that changed bloc in gold.";

export const SHARE_MOVE = 0.05;      // a governorate is listed when an actor's share moved by at least this
export const RELATION_MOVE = 0.15;   // a relation is listed when it moved by at least this ...
const MAX_RELATIONS = 6;             // ... the largest few
const TOP_MOVERS = 3;                // the indicators that moved most (relative to their range) are marked

const $ = (id) => document.getElementById(id);
const pct = (x) => `${Math.round(Number(x) * 100)}%`;

// ------------------------------------------------------------------------------------------ what differs
/** Which bloc of month A each bloc of month B continues: pairs matched one to one by the most shared members
 * (bloc labels are arbitrary, so "the same bloc" is the one with the same people). Outsiders match outsiders.
 * Returns Map labelB -> labelA (null: a new bloc). */
export function matchBlocs(actorsA, actorsB) {
  const a = Object.fromEntries(actorsA.map((x) => [x.id, x.bloc]));
  const count = new Map();
  for (const x of actorsB) {
    if (x.bloc === -1 || a[x.id] === undefined || a[x.id] === -1) continue;
    const k = `${x.bloc}|${a[x.id]}`;
    count.set(k, (count.get(k) || 0) + 1);
  }
  const pairs = [...count.entries()].map(([k, n]) => [...k.split("|").map(Number), n])
    .sort((p, q) => q[2] - p[2] || p[0] - q[0] || p[1] - q[1]);
  const out = new Map([[-1, -1]]), used = new Set();
  for (const [lb, la] of pairs) if (!out.has(lb) && !used.has(la)) { out.set(lb, la); used.add(la); }
  for (const x of actorsB) if (!out.has(x.bloc)) out.set(x.bloc, null);
  return out;
}

/** Actors whose bloc in month B is not the continuation of their bloc in month A: [{actor, from, to}] (bloc names). */
export function blocChanges(stateA, stateB, names) {
  const match = matchBlocs(stateA.actors, stateB.actors);
  const nameA = blocNames(stateA.actors, names), nameB = blocNames(stateB.actors, names);
  const before = Object.fromEntries(stateA.actors.map((x) => [x.id, x.bloc]));
  return stateB.actors.filter((x) => before[x.id] !== undefined && match.get(x.bloc) !== before[x.id])
    .map((x) => ({ actor: x.id, from: nameA[before[x.id]], to: nameB[x.bloc] }));
}

/** Bases held by someone else or in another status: [{base, from, to, statusFrom, statusTo}]. */
export function baseChanges(stateA, stateB) {
  const before = Object.fromEntries(stateA.bases.map((b) => [b.id, b]));
  return stateB.bases.filter((b) => before[b.id] && (before[b.id].controller !== b.controller || before[b.id].status !== b.status))
    .map((b) => ({ base: b, from: before[b.id].controller, to: b.controller, statusFrom: before[b.id].status, statusTo: b.status }));
}

const leader = (control) => Object.entries(control || {}).sort((x, y) => y[1] - x[1])[0] || null;

/** Governorates whose leading controller changed or where a share moved by SHARE_MOVE or more, largest move first:
 * [{region, from, to, moves: [{actor, a, b}]}]. */
export function regionChanges(stateA, stateB) {
  const before = Object.fromEntries(stateA.regions.map((r) => [r.id, r]));
  const out = [];
  for (const r of stateB.regions) {
    const r0 = before[r.id];
    if (!r0) continue;
    const ids = [...new Set([...Object.keys(r0.control || {}), ...Object.keys(r.control || {})])];
    const moves = ids.map((a) => ({ actor: a, a: Number((r0.control || {})[a] || 0), b: Number((r.control || {})[a] || 0) }))
      .filter((m) => Math.abs(m.b - m.a) >= 1e-9).sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
    const l0 = leader(r0.control), l1 = leader(r.control);
    const changed = l0 && l1 && l0[0] !== l1[0];
    const size = moves.length ? Math.abs(moves[0].b - moves[0].a) : 0;
    if (changed || size >= SHARE_MOVE) out.push({ region: r, from: l0 && l0[0], to: l1 && l1[0], changed: !!changed, moves, size });
  }
  return out.sort((x, y) => Number(y.changed) - Number(x.changed) || y.size - x.size);
}

/** The relations that moved most (at least RELATION_MOVE): [{a, b, from, to}]. */
export function relationChanges(stateA, stateB) {
  const ids = stateB.actors.map((x) => x.id), idxA = Object.fromEntries(stateA.actors.map((x, i) => [x.id, i]));
  const out = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const ia = idxA[ids[i]], ja = idxA[ids[j]];
      if (ia === undefined || ja === undefined) continue;
      const r0 = Number(stateA.relations[ia][ja]), r1 = Number(stateB.relations[i][j]);
      if (Math.abs(r1 - r0) >= RELATION_MOVE) out.push({ a: ids[i], b: ids[j], from: r0, to: r1 });
    }
  }
  return out.sort((x, y) => Math.abs(y.to - y.from) - Math.abs(x.to - x.from)).slice(0, MAX_RELATIONS);
}

/** The width of an indicator's range, so that moves on different scales compare. */
function rangeOf(def, rows) {
  if (def.range) return def.range;
  if (def.scale === "−2 … +2") return 4;
  if (def.scale === "count") return Math.max(1, ...rows.map((r) => Number(r[def.key]) || 0));
  return 1;
}

/** Every headline indicator and issue forecast at the two months, largest move (relative to its range) first. */
export function indicatorChanges(rowA, rowB, rows, issues) {
  const defs = [...INDICATORS, ...COUNTS,
    ...issues.map((i) => ({ key: `issue.${i.id}.forecast`, name: `${i.name} (forecast)`, scale: `${i.scale[0]} … ${i.scale[1]}`,
      range: Math.max(1e-9, i.scale[1] - i.scale[0]) }))];
  return defs.filter((d) => rowA && rowB && rowA[d.key] !== undefined && rowB[d.key] !== undefined)
    .map((d) => {
      const a = Number(rowA[d.key]), b = Number(rowB[d.key]);
      return { key: d.key, name: d.name, scale: d.scale, a, b, delta: b - a, rel: Math.abs(b - a) / rangeOf(d, rows) };
    })
    .sort((x, y) => y.rel - x.rel || x.key.localeCompare(y.key));
}

// ------------------------------------------------------------------------------------------ the panel
class ComparePanel {
  constructor(root) {
    this.root = root;
    this.gameId = root.dataset.gameId;
    this.API = `/api/games/${encodeURIComponent(this.gameId)}`;
    this.states = new Map();      // turn -> stored state (a played month never changes)
    this.rows = [];
    this.rowsTurn = -1;
    this.guide = null;
    this.charts = {};
    this.live = null;             // the last month played
    this.seq = 0;                 // renders in flight: only the newest draws
  }

  build() {
    const pick = (id, label) => h("label", { class: "cmp-field" }, h("span", {}, label), h("select", { id, "aria-label": `${label} month` }));
    this.card = h("section", { class: "card compare", id: "comparecard", hidden: true, "aria-labelledby": "cmp-title" },
      h("h2", {}, h("span", { id: "cmp-title" }, "Compare two months"), h("span", { class: "spacer" }),
        h("button", { type: "button", class: "small", id: "cmp-close", onclick: () => this.close() }, "Close"),
        h("button", { type: "button", class: "help-q", "aria-label": "Help: Compare two months", title: "What is this? (Compare two months)",
          dataset: { help: "comparecard" }, onclick: () => { const d = $("help-dialog"); if (d) openHelp(d, "Compare two months", HELP, "screen"); } }, "?")),
      h("div", { class: "cmp-pick" }, pick("cmp-a", "From"), pick("cmp-b", "to"),
        h("button", { type: "button", class: "small", id: "cmp-swap", title: "Swap the two months", onclick: () => this.swap() }, "⇄ Swap"),
        h("span", { class: "small muted", id: "cmp-note" })),
      h("div", { id: "cmp-body" },
        h("div", { class: "cmp-diffs", id: "cmp-diffs" }),
        h("h3", { class: "cmp-sub" }, "Map"),
        h("div", { class: "cmp-pair" },
          h("figure", { class: "cmp-side" }, h("figcaption", { id: "cmp-cap-map-a" }), h("div", { id: "cmp-map-a", class: "chart cmp-map", role: "img", "aria-label": "Map at the first month" })),
          h("figure", { class: "cmp-side" }, h("figcaption", { id: "cmp-cap-map-b" }), h("div", { id: "cmp-map-b", class: "chart cmp-map", role: "img", "aria-label": "Map at the second month" }))),
        h("div", { class: "legend", id: "cmp-map-legend" }),
        h("h3", { class: "cmp-sub" }, "Network"),
        h("div", { class: "cmp-pair" },
          h("figure", { class: "cmp-side" }, h("figcaption", { id: "cmp-cap-net-a" }), h("div", { id: "cmp-net-a", class: "chart cmp-net", role: "img", "aria-label": "Alliance network at the first month" })),
          h("figure", { class: "cmp-side" }, h("figcaption", { id: "cmp-cap-net-b" }), h("div", { id: "cmp-net-b", class: "chart cmp-net", role: "img", "aria-label": "Alliance network at the second month" }))),
        h("p", { class: "legend small muted", id: "cmp-net-legend" }),
        h("h3", { class: "cmp-sub" }, "Indicators"),
        h("div", { class: "cmp-table-wrap" }, h("table", { class: "list cmp-ind", id: "cmp-ind" }))));
    this.root.append(this.card);
    $("cmp-a").addEventListener("change", () => this.render());
    $("cmp-b").addEventListener("change", () => this.render());
    window.addEventListener("resize", debounce(() => { if (!this.card.hidden) this.render(); }, 150));
    // months played: follow the game page (it sets data-turn on #game after every month)
    const game = $("game");
    if (game) new MutationObserver(() => this.follow()).observe(game, { attributes: true, attributeFilter: ["data-turn"] });
  }

  month(turn, short = false) {
    return fmtDate(monthOf(turn, this.guide ? this.guide.start : null, this.rows.find((r) => Number(r.turn) === turn)), short);
  }

  /** The months a select offers: every month played so far, "Month 3 · March 2026". */
  fillSelects() {
    for (const id of ["cmp-a", "cmp-b"]) {
      const sel = $(id), keep = sel.value;
      sel.replaceChildren(...Array.from({ length: this.live + 1 }, (_, t) =>
        h("option", { value: String(t) }, `${t === 0 ? "Start" : `Month ${t}`} · ${this.month(t, true)}`)));
      if (keep !== "" && Number(keep) <= this.live) sel.value = keep;
    }
  }

  /** A new month was played: offer it; a comparison that ended at the last month follows it. */
  follow() {
    const turn = Number($("game").dataset.turn);
    if (!Number.isFinite(turn) || this.live === null || turn === this.live) return;
    const atEnd = Number($("cmp-b").value) === this.live;
    this.live = turn;
    if (this.card.hidden) return;
    this.loadRows().then(() => {
      this.fillSelects();
      if (atEnd) $("cmp-b").value = String(turn);
      this.render();
    }).catch((e) => toast(e.message, "error"));
  }

  async loadRows() {
    if (this.rowsTurn === this.live) return;
    const hist = await api(`${this.API}/history`);
    this.rows = (hist.rows || []).slice().sort((a, b) => a.turn - b.turn);
    this.rowsTurn = this.live;
  }

  async state(turn) {
    if (!this.states.has(turn)) this.states.set(turn, await api(`${this.API}?turn=${turn}`));
    return this.states.get(turn);
  }

  async open(a, b) {
    if (!this.card) this.build();
    this.card.hidden = false;
    try {
      if (!this.guide) {
        const [guide, live, geo] = await Promise.all([api(`${this.API}/guide`), api(this.API),
          window.echarts.getMap("syria") ? null : fetch(GEO_URL).then((r) => { if (!r.ok) throw new Error("The map outline could not be loaded."); return r.json(); })]);
        if (geo) window.echarts.registerMap("syria", geo);
        this.guide = guide;
        this.live = live.turn;
        this.colors = actorColors(live.actors);
        this.names = Object.fromEntries(live.actors.map((x) => [x.id, shortName(x.name)]));
      } else {
        const t = Number($("game").dataset.turn);
        if (Number.isFinite(t)) this.live = Math.max(this.live, t);
      }
      await this.loadRows();
    } catch (e) { toast(e.message, "error"); return; }
    this.fillSelects();
    const view = Number($("game").dataset.viewTurn);
    const b0 = b ?? (Number.isFinite(view) && view > 0 ? view : this.live);
    $("cmp-b").value = String(b0);
    $("cmp-a").value = String(a ?? 0);        // by default: the start against the month on display
    this.card.scrollIntoView({ behavior: "smooth", block: "start" });
    await this.render();
  }

  close() {
    this.card.hidden = true;
    document.getElementById("btn-compare")?.focus();
  }

  swap() {
    const a = $("cmp-a").value;
    $("cmp-a").value = $("cmp-b").value;
    $("cmp-b").value = a;
    this.render();
  }

  chart(id) {
    if (!this.charts[id]) this.charts[id] = window.echarts.init($(id), null, { renderer: "canvas" });
    return this.charts[id];
  }

  async render() {
    const seq = ++this.seq;
    const ta = Number($("cmp-a").value), tb = Number($("cmp-b").value);
    const body = $("cmp-body");
    this.card.dataset.ready = "0";
    if (this.live === 0) {
      $("cmp-note").textContent = "No month has been played yet: play one to compare it with the start.";
      body.hidden = true;
      return;
    }
    if (ta === tb) {
      $("cmp-note").textContent = "Pick two different months.";
      body.hidden = true;
      return;
    }
    $("cmp-note").textContent = "";
    let A, B;
    try { [A, B] = await Promise.all([this.state(ta), this.state(tb)]); } catch (e) { toast(e.message, "error"); return; }
    if (seq !== this.seq) return;
    body.hidden = false;
    const rowA = this.rows.find((r) => Number(r.turn) === ta), rowB = this.rows.find((r) => Number(r.turn) === tb);
    const ma = this.month(ta), mb = this.month(tb), since = `since ${ma}`;
    const bases = baseChanges(A, B), regions = regionChanges(A, B), blocs = blocChanges(A, B, this.names);
    const rels = relationChanges(A, B), inds = indicatorChanges(rowA, rowB, this.rows, (this.guide && this.guide.issues) || []);
    this.renderDiffs({ bases, regions, blocs, rels, inds, ma, mb });
    // the maps: the later month outlines what differs from the earlier one
    for (const [key, st, t, prev] of [["a", A, ta, null], ["b", B, tb, rowA]]) {
      $(`cmp-cap-map-${key}`).textContent = `${t === 0 ? "Start" : `Month ${t}`} · ${this.month(t)}`;
      $(`cmp-cap-net-${key}`).textContent = `${t === 0 ? "Start" : `Month ${t}`} · ${this.month(t)}`;
      const el = $(`cmp-map-${key}`);
      el.style.height = `${Math.round(el.clientWidth / MAP_ASPECT + 16)}px`;
      const m = this.chart(`cmp-map-${key}`);
      m.resize();
      m.setOption(mapOption(st, prev, this.colors, this.names, { width: m.getWidth(), height: m.getHeight() }, { since }), { replaceMerge: ["series"] });
    }
    $("cmp-cap-map-a").append(h("span", { class: "cap-note" }, "the earlier month"));
    $("cmp-cap-map-b").append(h("span", { class: "cap-note" }, `outlined: changed ${since}`));
    this.renderMapLegend(A, B);
    const moved = new Set(blocs.map((c) => c.actor));
    for (const [key, st, ring] of [["a", A, new Set()], ["b", B, moved]]) {
      const n = this.chart(`cmp-net-${key}`);
      n.resize();
      n.setOption(networkOption(st, this.colors, this.names, ring, null, "strongest", { width: n.getWidth(), height: n.getHeight() },
        { shiftedText: `changed bloc ${since}` }), { replaceMerge: ["series"] });
    }
    $("cmp-cap-net-a").append(h("span", { class: "cap-note" }, "the earlier month"));
    $("cmp-cap-net-b").append(h("span", { class: "cap-note" }, moved.size ? `gold ring: changed bloc ${since}` : `nobody changed bloc ${since}`));
    $("cmp-net-legend").textContent = "Each actor's strongest ties (at least ±0.3): green friendly, red hostile. Each box is a bloc; grey dotted: outside every bloc.";
    this.renderIndicators(inds, this.month(ta, true), this.month(tb, true));
    this.card.dataset.a = String(ta);
    this.card.dataset.b = String(tb);
    this.card.dataset.ready = "1";
  }

  chip(id) {
    return h("span", { class: "chip", dataset: { actor: id || "" } }, h("span", { class: "dot", style: { background: this.colors[id] || "#9ca3af" } }), this.names[id] || id || "nobody");
  }

  renderDiffs({ bases, regions, blocs, rels, inds, ma, mb }) {
    const N = this.names;
    const box = (id, title, items) => h("div", { class: "cmp-diff", id },
      h("h3", {}, title, h("span", { class: "count" }, String(items.length))), h("ul", {}, ...items));
    const baseItems = bases.map((c) => h("li", { dataset: { base: c.base.id } }, h("b", {}, shortBase(c.base.name)), ": ",
      ...(c.from !== c.to ? [this.chip(c.from), " → ", this.chip(c.to)] : [`held by ${N[c.to] || c.to || "nobody"}`]),
      c.statusFrom !== c.statusTo ? h("span", { class: "muted" }, ` (${c.statusFrom} → ${c.statusTo})`) : ""));
    const regionItems = regions.map((c) => h("li", { dataset: { region: c.region.id }, class: c.changed ? "changed" : "" },
      h("b", {}, c.region.name), ": ",
      ...(c.changed ? [h("span", { class: "tag" }, "changed hands"), " ", this.chip(c.from), " → ", this.chip(c.to), h("br")] : []),
      c.moves.filter((m) => pct(m.a) !== pct(m.b)).slice(0, 3)
        .map((m, i) => h("span", { class: "move" }, i ? ", " : "", `${N[m.actor] || m.actor} ${pct(m.a)} → ${pct(m.b)}`))));
    const blocItems = blocs.map((c) => h("li", { dataset: { actor: c.actor } }, this.chip(c.actor), ` ${c.from} → ${c.to}`));
    const relItems = rels.map((c) => h("li", { dataset: { pair: `${c.a}-${c.b}` } }, `${N[c.a]} – ${N[c.b]}: `,
      h("span", { class: `mono ${c.to > c.from ? "up" : "down"}` }, `${signed(c.from)} → ${signed(c.to)}`)));
    const top = inds.filter((d) => d.rel > 1e-9).slice(0, TOP_MOVERS);
    const indItems = top.map((d) => h("li", { dataset: { key: d.key } }, `${d.name}: `,
      h("span", { class: `mono ${d.delta > 0 ? "up" : "down"}` }, `${fmt(d.a)} → ${fmt(d.b)}`)));
    // the kinds with differences get a box each; the others are named on one line
    const kinds = [
      ["cmp-bases", "Bases that changed", baseItems, "bases"],
      ["cmp-regions", "Governorates whose control moved", regionItems, `governorate control (no share moved by ${pct(SHARE_MOVE)})`],
      ["cmp-blocs", "Actors that changed bloc", blocItems, "blocs"],
      ["cmp-rels", "Relations that moved most", relItems, `relations (none moved by ${RELATION_MOVE})`],
      ["cmp-movers", "Indicators that moved most", indItems, "headline indicators"]];
    const same = kinds.filter((k) => !k[2].length);
    $("cmp-diffs").replaceChildren(
      h("p", { class: "cmp-lead" }, `From ${ma} to ${mb}:`),
      ...kinds.filter((k) => k[2].length).map(([id, title, items]) => box(id, title, items)),
      same.length ? h("p", { class: "cmp-same muted", id: "cmp-same", dataset: { kinds: same.map((k) => k[0]).join(" ") } },
        `Unchanged: ${same.map((k) => k[3]).join("; ")}.`) : "");
  }

  renderMapLegend(A, B) {
    const present = new Set();
    for (const st of [A, B]) {
      for (const r of st.regions) for (const a of Object.keys(r.control || {})) present.add(a);
      for (const b of st.bases) if (b.controller) present.add(b.controller);
    }
    $("cmp-map-legend").replaceChildren(h("span", { class: "legend-head" }, "Held by"),
      ...B.actors.filter((a) => present.has(a.id)).map((a) => h("span", { class: "item" }, h("span", { class: "dot", style: { background: this.colors[a.id] } }), this.names[a.id])),
      h("span", { class: "item" }, h("span", { class: "outline-swatch" }), "changed between the two months"));
  }

  renderIndicators(inds, ma, mb) {
    const top = new Set(inds.filter((d) => d.rel > 1e-9).slice(0, TOP_MOVERS).map((d) => d.key));
    const max = Math.max(1e-9, ...inds.map((d) => d.rel));
    $("cmp-ind").replaceChildren(
      h("thead", {}, h("tr", {}, h("th", {}, "Indicator"), h("th", { class: "num" }, ma), h("th", { class: "num" }, mb), h("th", { class: "num" }, "Change"))),
      h("tbody", {}, ...inds.map((d) => h("tr", { dataset: { key: d.key }, class: top.has(d.key) ? "top" : "" },
        h("td", {}, d.name, h("span", { class: "scale muted small" }, d.scale)),
        h("td", { class: "num mono" }, fmt(d.a)), h("td", { class: "num mono" }, fmt(d.b)),
        h("td", { class: "num" }, h("span", { class: `bar ${d.delta > 0 ? "up" : d.delta < 0 ? "down" : ""}`, style: { width: `${Math.round((40 * d.rel) / max)}px` } }),
          h("span", { class: "mono" }, Math.abs(d.delta) < 1e-9 ? "—" : signed(d.delta)))))));
  }
}

function fmt(x) {
  const v = Number(x);
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);
}

const root = document.getElementById("compare-root");
if (root) {
  const panel = new ComparePanel(root);
  const button = document.getElementById("btn-compare");
  if (button) button.addEventListener("click", () => panel.open());
}
