// The map of Syria: governorates shaded by their dominant controller and named, bases by controller and status with
// every label placed clear of the others (beside its base when there is room, else in a margin column with a
// leader line), governorates and bases that changed hands since the previous month outlined.
import { esc, h, tint } from "./common.js";

export const GEO_URL = "/static/geo/syria-governorates.geojson";
const UNMODELLED = "#e7eaee";
const CHANGED = "#111827";
// The bounding box of the GeoJSON's outlines; ECharts draws GeoJSON in plain lon/lat with the height scaled by
// 1 / aspectScale, so the map's width / height on screen is MAP_ASPECT.
const BOUNDS = { lon0: 35.723399, lon1: 42.377186, lat0: 32.313042, lat1: 37.324906 };
const ASPECT_SCALE = 0.85;
export const MAP_ASPECT = ((BOUNDS.lon1 - BOUNDS.lon0) / (BOUNDS.lat1 - BOUNDS.lat0)) * ASPECT_SCALE;
const LABEL_H = 16;        // px, one label line at 12px
const CHAR_W = 6.6;        // px per character of a 12px bold label (an estimate; labels get a margin)

/** Marker shape per base status (the legend under the map uses the same signs). */
export const STATUS = {
  active: { symbol: "circle", sign: "●", text: "active" },
  drawdown: { symbol: "triangle", sign: "▲", text: "drawdown" },
  contested: { symbol: "diamond", sign: "◆", text: "contested" },
  evacuated: { symbol: "emptyCircle", sign: "○", text: "evacuated" },
  reduced: { symbol: "roundRect", sign: "■", text: "reduced (lease renegotiated)" },
  destroyed: { symbol: "path://M3,0 L10,7 L17,0 L20,3 L13,10 L20,17 L17,20 L10,13 L3,20 L0,17 L7,10 L0,3 Z", sign: "✕", text: "destroyed" },
};

/** A base's name without its kind, for narrow screens: "Khmeimim air base" -> "Khmeimim". */
export function shortBase(name) {
  const s = String(name).replace(/\s+(military airport|naval facility|air base|airbase|airport|airstrip|garrison|gas field|oil field|base|summit)$/i, "");
  return s || String(name);
}

function pct(x) { return `${Math.round(x * 100)}%`; }

/** Has the base changed controller or status since the previous turn's record? Returns a sentence or null. */
export function baseChange(b, prevRow, names) {
  if (!prevRow) return null;
  const c0 = prevRow[`base.${b.id}.controller`], s0 = prevRow[`base.${b.id}.status`];
  const parts = [];
  if (c0 !== undefined && c0 !== b.controller) parts.push(`was held by ${names[c0] || c0 || "nobody"}`);
  if (s0 !== undefined && s0 !== b.status) parts.push(`was ${s0}`);
  return parts.length ? parts.join(", ") : null;
}

/** The dominant controller of a region in a history row, with its share. */
function leaderIn(row, region, actors) {
  let best = null, share = -1;
  for (const a of actors) {
    const v = Number(row[`region.${region}.${a}`]);
    if (Number.isFinite(v) && v > share) { best = a; share = v; }
  }
  return best ? { actor: best, share } : null;
}

/** Governorates whose dominant controller differs from the previous month's: [{region, from, to, share, was}]. */
export function controlChanges(state, prevRow) {
  if (!prevRow) return [];
  const actors = state.actors.map((a) => a.id);
  const out = [];
  for (const r of state.regions) {
    const before = leaderIn(prevRow, r.id, actors);
    const shares = Object.entries(r.control || {}).sort((a, b) => b[1] - a[1]);
    if (!before || !shares.length) continue;
    if (shares[0][0] !== before.actor) out.push({ region: r, from: before.actor, to: shares[0][0], share: shares[0][1], was: before.share });
  }
  return out;
}

/** Where the map goes in a chart of this size: the largest box of the map's own aspect, clear of the margins. */
export function mapBox(width, height, margin) {
  const wb = Math.max(60, width - margin.left - margin.right), hb = Math.max(60, height - margin.top - margin.bottom);
  const w = Math.min(wb, hb * MAP_ASPECT), hh = w / MAP_ASPECT;
  return { left: margin.left + (wb - w) / 2, top: margin.top + (hb - hh) / 2, width: w, height: hh };
}

/** Pixel position of a longitude/latitude in the map box (the same linear mapping ECharts uses for GeoJSON). */
function px(box, lon, lat) {
  return [box.left + ((lon - BOUNDS.lon0) / (BOUNDS.lon1 - BOUNDS.lon0)) * box.width,
    box.top + ((BOUNDS.lat1 - lat) / (BOUNDS.lat1 - BOUNDS.lat0)) * box.height];
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Label placement for every base: beside it (right, left, above, below) when that clears every other label and
 * marker, else in the nearer margin column at the first free height, joined to the base by a leader line. */
export function placeLabels(points, size) {
  const placed = [];
  const marks = points.map((p) => ({ x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r, id: p.id }));
  const inside = (b) => b.x >= 2 && b.y >= 2 && b.x + b.w <= size.width - 2 && b.y + b.h <= size.height - 2;
  const free = (b, self) => inside(b) && !placed.some((q) => overlaps(q.box, b)) && !marks.some((m) => m.id !== self && overlaps(m, b));
  const out = {};
  const column = { left: [], right: [] };
  for (const p of points.slice().sort((a, b) => a.y - b.y)) {
    const w = p.text.length * CHAR_W + 8, g = p.r + 4;
    const tries = [
      { x: p.x + g, y: p.y - LABEL_H / 2, align: "left" }, { x: p.x - g - w, y: p.y - LABEL_H / 2, align: "right" },
      { x: p.x - w / 2, y: p.y - g - LABEL_H, align: "center" }, { x: p.x - w / 2, y: p.y + g, align: "center" },
    ];
    const spot = tries.find((t) => free({ x: t.x, y: t.y, w, h: LABEL_H }, p.id));
    if (spot) {
      const box = { x: spot.x, y: spot.y, w, h: LABEL_H };
      placed.push({ box });
      const x = spot.align === "left" ? box.x + 4 : spot.align === "right" ? box.x + w - 4 : box.x + w / 2;
      out[p.id] = { x, y: box.y + LABEL_H / 2, align: spot.align, line: null };
      continue;
    }
    const side = p.x < size.width / 2 ? "left" : "right";
    const x0 = side === "left" ? 4 : size.width - 4 - w;
    // the free height nearest the base's own: try just above and below, then further out
    const y0 = p.y - LABEL_H / 2;
    let y = Math.max(2, Math.min(size.height - 2 - LABEL_H, y0));
    for (let k = 0; k < 80; k++) {
      const step = Math.ceil(k / 2) * (LABEL_H + 2) * (k % 2 ? -1 : 1);
      const cand = Math.max(2, Math.min(size.height - 2 - LABEL_H, y0 + step));
      if (free({ x: x0, y: cand, w, h: LABEL_H }, p.id)) { y = cand; break; }
    }
    const box = { x: x0, y, w, h: LABEL_H };
    placed.push({ box });
    column[side].push(p.id);
    const lx = side === "left" ? x0 + w : x0;
    out[p.id] = { x: side === "left" ? x0 + w - 4 : x0 + 4, y: y + LABEL_H / 2, align: side === "left" ? "right" : "left",
      line: [[p.x, p.y], [lx + (side === "left" ? 6 : -6), y + LABEL_H / 2], [lx, y + LABEL_H / 2]] };
  }
  return out;
}

/** ECharts option for the map of one turn's state, drawn in a chart of `size` pixels; what differs from `prevRow`
 * is outlined, "this month" unless `opts.since` says since when (the comparison of two months). */
export function mapOption(state, prevRow, colors, names, size = { width: 700, height: 520 }, opts = {}) {
  const since = opts.since || "this month";
  const narrow = size.width < 520;
  const margin = narrow ? { left: 6, right: 6, top: 8, bottom: 8 } : { left: 24, right: 24, top: 12, bottom: 12 };
  const box = mapBox(size.width, size.height, margin);
  const changes = controlChanges(state, prevRow);
  const changed = new Map(changes.map((c) => [c.region.iso, c]));
  const regions = state.regions.map((r) => {
    const shares = Object.entries(r.control || {}).sort((a, b) => b[1] - a[1]);
    const top = shares[0];
    const color = top ? tint(colors[top[0]] || "#888888", 0.28 + 0.72 * top[1]) : UNMODELLED;
    const ch = changed.get(r.iso);
    return {
      name: r.iso, itemStyle: { areaColor: color, ...(ch ? { borderColor: CHANGED, borderWidth: 3, borderType: [6, 3] } : {}) },
      emphasis: { itemStyle: { areaColor: color, borderWidth: 2.5 } },
      label: { show: !narrow || r.name.length < 9, formatter: r.name, fontSize: narrow ? 9 : 11, color: "rgba(17, 24, 39, 0.55)", fontStyle: "italic" },
      controller: top ? top[0] : null, share: top ? top[1] : 0, changedFrom: ch ? ch.from : null,
    };
  });
  const byIso = Object.fromEntries(state.regions.map((r) => [r.iso, r]));

  const sizeOf = (b, moved) => {
    const value = Math.max(0, ...Object.values(b.value || {}).map(Number));
    return Math.round((narrow ? 0.75 : 1) * (12 + 10 * Math.min(1, value)) + (moved ? 3 : 0));
  };
  const moves = state.bases.map((b) => baseChange(b, prevRow, names));
  const points = state.bases.map((b, i) => {
    const [x, y] = px(box, b.lon, b.lat);
    return { id: b.id, x, y, r: sizeOf(b, moves[i]) / 2, text: narrow ? shortBase(b.name) : b.name };
  });
  const where = placeLabels(points, size);
  const point = (b, i) => {
    const st = STATUS[b.status] || STATUS.active;
    const color = colors[b.controller] || "#555555";
    const spot = where[b.id];
    return {
      name: b.name, id: b.id, value: [b.lon, b.lat, b.garrison], symbol: st.symbol, symbolSize: sizeOf(b, moves[i]),
      itemStyle: {
        color: b.status === "evacuated" ? "#ffffff" : color,
        borderColor: moves[i] ? CHANGED : b.status === "evacuated" ? color : b.status === "contested" ? "#111827" : "#ffffff",
        borderWidth: moves[i] ? 3 : b.status === "contested" ? 2.5 : b.status === "evacuated" ? 3 : 1.5,
        borderType: b.status === "contested" ? "dashed" : "solid",
      },
      labelLine: { show: !!(spot && spot.line) },
      base: b, changed: moves[i], spot,
    };
  };
  const data = state.bases.map(point);
  const steady = data.filter((d) => !d.changed), moved = data.filter((d) => d.changed);
  const label = { show: true, formatter: narrow ? (p) => shortBase(p.name) : "{b}", fontSize: narrow ? 11 : 12, color: "#1f2937", fontWeight: 600,
    textBorderColor: "#ffffff", textBorderWidth: 3 };
  const layout = (list) => (p) => {
    const d = list[p.dataIndex];
    if (!d || !d.spot) return {};
    return { x: d.spot.x, y: d.spot.y, align: d.spot.align, verticalAlign: "middle", hideOverlap: false,
      ...(d.spot.line ? { labelLinePoints: d.spot.line } : {}) };
  };
  const labelLine = { show: true, smooth: false, lineStyle: { color: "#475569", width: 1 } };

  const tip = (p) => (p.componentType === "geo" ? regionTip(byIso[p.name], p.name, colors, names, changed.get(p.name), since)
    : baseTip(p.data, colors, names, since));
  return {
    animationDurationUpdate: 400,
    tooltip: { trigger: "item", confine: true, textStyle: { fontSize: 14 }, formatter: tip },
    geo: {
      map: "syria", nameProperty: "ISO", roam: false, aspectScale: ASPECT_SCALE,
      left: box.left, top: box.top, width: box.width, height: box.height,
      silent: false, tooltip: { show: true, formatter: tip },
      itemStyle: { areaColor: UNMODELLED, borderColor: "#ffffff", borderWidth: 1.2 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#d5dae1" } },
      select: { disabled: true },
      label: { show: false },
      regions,
    },
    series: [
      { type: "scatter", name: "Bases", coordinateSystem: "geo", data: steady, label, labelLine, labelLayout: layout(steady),
        emphasis: { scale: 1.3 }, zlevel: 1 },
      { type: "effectScatter", name: `Changed ${since}`, coordinateSystem: "geo", data: moved, label: { ...label, color: "#991b1b" },
        labelLine, labelLayout: layout(moved),
        rippleEffect: { scale: 3.2, brushType: "stroke", period: 2.5 }, showEffectOn: "render", zlevel: 2 },
    ],
  };
}

function regionTip(r, iso, colors, names, change, since) {
  if (!r) return `<b>${esc(iso)}</b><br><span style="color:#6b7280">not part of this scenario</span>`;
  const rows = Object.entries(r.control || {}).sort((a, b) => b[1] - a[1])
    .map(([a, s]) => `<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:${colors[a]};margin-right:6px"></span>${esc(names[a] || a)}: <b>${pct(s)}</b>`);
  return `<b>${esc(r.name)}</b> <span style="color:#6b7280">(${esc(r.iso)})</span><br>${rows.join("<br>") || "no control recorded"}`
    + (change ? `<br><span style="color:#b91c1c;font-weight:700">Changed hands ${esc(since)}: ${esc(names[change.from] || change.from)} → ${esc(names[change.to] || change.to)}</span>` : "");
}

function baseTip(d, colors, names, since) {
  if (!d || !d.base) return "";
  const b = d.base;
  const vals = Object.entries(b.value || {}).sort((x, y) => y[1] - x[1])
    .map(([a, v]) => `${esc(names[a] || a)} ${Number(v).toFixed(2)}`).join(", ");
  return `<b>${esc(b.name)}</b> <span style="color:#6b7280">${esc(b.kind)}</span><br>`
    + `Held by <span style="color:${colors[b.controller] || "#555"};font-weight:700">${esc(names[b.controller] || b.controller || "nobody")}</span>`
    + ` · <b>${esc(b.status)}</b><br>Garrison: <b>${Number(b.garrison).toFixed(2)}</b><br>Value: ${vals || "—"}`
    + (b.host && b.host !== b.controller && b.consent !== undefined && Number(b.consent) < 1
      ? `<br>Host: ${esc(names[b.host] || b.host)} · consent <b>${Number(b.consent).toFixed(2)}</b>` : "")
    + (d.changed ? `<br><span style="color:#b91c1c;font-weight:700">Changed ${esc(since)}: ${esc(d.changed)}</span>` : "");
}

/** Legend under the map: who controls what (actors present on the map), the base signs, what an outline means. */
export function mapLegend(box, state, colors, names) {
  const present = new Set();
  for (const r of state.regions) for (const a of Object.keys(r.control || {})) present.add(a);
  for (const b of state.bases) if (b.controller) present.add(b.controller);
  const actors = state.actors.filter((a) => present.has(a.id));
  const statuses = new Set(state.bases.map((b) => b.status));
  box.replaceChildren(
    h("div", { class: "legend-row" }, h("span", { class: "legend-head" }, "Held by"),
      ...actors.map((a) => h("span", { class: "item" }, h("span", { class: "dot", style: { background: colors[a.id] } }), names[a.id]))),
    h("div", { class: "legend-row" }, h("span", { class: "legend-head" }, "Bases"),
      ...Object.entries(STATUS).filter(([k]) => k === "active" || statuses.has(k))
        .map(([, s]) => h("span", { class: "item" }, h("span", { class: "sym" }, s.sign), s.text)),
      h("span", { class: "item" }, h("span", { class: "outline-swatch" }), "changed hands this month"),
      h("span", { class: "item muted" }, "paler = shared control")));
}
