// The alliance network: actors as nodes sized by capability, grouped by bloc (landscape theory). The chart is cut
// into one cell per bloc (a squarified treemap, area by the number of members), each bloc drawn as a rounded hull
// in its own colour (never a relation colour) with its name on top; the actors outside every bloc (label -1) get
// their own grey, dotted cell, set apart after the blocs. Inside a cell the members sit on an ellipse with their
// labels outward. Every position is computed in the chart's pixels, with the labels measured, so the layout can
// check that no label covers another label or another actor; when full names do not fit it falls back to smaller
// text, smaller nodes and then the actors' ids (the tooltip names them).
// Edges are green (friendly) or red (hostile), width by strength. By default only each actor's strongest ties are
// drawn (at most TIES_PER_ACTOR, each at least STRONG_TIE in strength); the selector shows every tie above a
// threshold instead. Actors that switched sides are ringed in gold; an actor whose alignment margin is near a
// switch (drift, model.sim.alignment) carries "↝".
import { esc, signed } from "./common.js";

const POS = "#16a34a", NEG = "#dc2626", SHIFT = "#f59e0b";
// bloc colours by bloc label (stable from month to month): blue, fuchsia, near-black, violet -- each more than 120
// (RGB distance) from the green and red of relations, for the four blocs model.sim.alignment allows (k <= 4)
export const BLOC_COLORS = ["#2563eb", "#c026d3", "#0f172a", "#7c3aed"];
export const OUTSIDE_COLOR = "#94a3b8";   // the actors outside every bloc: light slate, dotted
export const TIES_PER_ACTOR = 2;   // "strongest ties": each actor's ties drawn by default
export const STRONG_TIE = 0.3;     // ... each at least this strong (|relation|)
export const MIN_EDGE = 0.1;
const FONT = "sans-serif";         // ECharts' default font family (labels are measured in it)
const CELL_GAP = 8;                // px between two blocs' hulls
const CELL_EXTRA = 1.5;            // a cell's area goes by its members plus this (room for its name and a lone label)
const TITLE_H = 24;                // px reserved at the top of a hull for its name
const HULL_RADIUS = 18;            // px, the corners of a hull
const RING_ROOM = 6;               // px of room between members that make a bloc's ellipse preferable to a grid
const LABEL_GAP = 4;               // px between a node and its label

/** The colour of a bloc label (-1: outside every bloc). */
export function blocColor(label) {
  return label < 0 ? OUTSIDE_COLOR : BLOC_COLORS[label % BLOC_COLORS.length];
}

/** Long names on two lines: "Islamic State\nremnants". */
function wrap(name) {
  if (name.length <= 12 || !name.includes(" ")) return name;
  const mid = name.length / 2;
  let best = -1;
  for (let i = 0; i < name.length; i++) if (name[i] === " " && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return `${name.slice(0, best)}\n${name.slice(best + 1)}`;
}

let measureCtx = null;
/** Width and height of a (multi-line) label in pixels, measured in the chart's font. */
function textBox(text, px, weight, lineHeight) {
  const lines = String(text).split("\n");
  let w;
  if (typeof document !== "undefined") {
    measureCtx = measureCtx || document.createElement("canvas").getContext("2d");
    measureCtx.font = `${weight} ${px}px ${FONT}`;
    w = Math.max(...lines.map((l) => measureCtx.measureText(l).width));
  } else w = Math.max(...lines.map((l) => l.length)) * px * 0.62;
  return { w: Math.ceil(w) + 2, h: lines.length * lineHeight };
}

/** Squarified treemap (Bruls, Huizing & van Wijk 2000): cells of `rect` with areas proportional to `weights`,
 * as close to square as the order allows (the order is kept, so the outsiders' cell comes last). */
export function squarify(weights, rect) {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const areas = weights.map((v) => (v * rect.w * rect.h) / total);
  const out = new Array(weights.length);
  let r = { ...rect }, i = 0;
  const worst = (row, side) => {
    const s = row.reduce((a, k) => a + areas[k], 0);
    const mx = Math.max(...row.map((k) => areas[k])), mn = Math.min(...row.map((k) => areas[k]));
    return Math.max((side * side * mx) / (s * s), (s * s) / (side * side * mn));
  };
  while (i < areas.length) {
    const side = Math.min(r.w, r.h);
    const row = [i];
    let j = i + 1;
    while (j < areas.length && worst([...row, j], side) <= worst(row, side)) row.push(j++);
    const s = row.reduce((a, k) => a + areas[k], 0);
    if (r.w >= r.h) {            // a column at the left of what is left
      const t = j >= areas.length ? r.w : s / r.h;
      let y = r.y;
      for (const k of row) { const hh = (areas[k] / s) * r.h; out[k] = { x: r.x, y, w: t, h: hh }; y += hh; }
      r = { x: r.x + t, y: r.y, w: r.w - t, h: r.h };
    } else {                     // a row at the top
      const t = j >= areas.length ? r.h : s / r.w;
      let x = r.x;
      for (const k of row) { const ww = (areas[k] / s) * r.w; out[k] = { x, y: r.y, w: ww, h: t }; x += ww; }
      r = { x: r.x, y: r.y + t, w: r.w, h: r.h - t };
    }
    i = j;
  }
  return out;
}

/** n points on an ellipse, equally spaced along its outline, the first at the top, clockwise. */
function ellipsePoints(n, cx, cy, rx, ry) {
  const steps = 720, len = [0];
  const at = (t) => [cx + rx * Math.sin(t), cy - ry * Math.cos(t)];
  for (let k = 1; k <= steps; k++) {
    const [x0, y0] = at((2 * Math.PI * (k - 1)) / steps), [x1, y1] = at((2 * Math.PI * k) / steps);
    len.push(len[k - 1] + Math.hypot(x1 - x0, y1 - y0));
  }
  const out = [];
  for (let j = 0, k = 0; j < n; j++) {
    const want = (len[steps] * j) / n;
    while (k < steps && len[k + 1] < want) k++;
    const t = (2 * Math.PI * k) / steps;
    out.push({ x: at(t)[0], y: at(t)[1], sx: Math.sin(t), cy: -Math.cos(t) });
  }
  return out;
}

/** Where a label goes around a node on a ring: beside it on the sides, above or below at the top and bottom. */
function sideOf(p) { return p.sx > 0.5 ? "right" : p.sx < -0.5 ? "left" : p.cy < 0 ? "top" : "bottom"; }

/** The box of a label at `position` around a node of radius r at (x, y). */
function labelRect(x, y, r, position, size) {
  const { w, h } = size, g = r + LABEL_GAP;
  if (position === "right") return { x: x + g, y: y - h / 2, w, h };
  if (position === "left") return { x: x - g - w, y: y - h / 2, w, h };
  if (position === "top") return { x: x - w / 2, y: y - g - h, w, h };
  return { x: x - w / 2, y: y + g, w, h };
}

const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Candidate arrangements of one group's members in its cell's inner box: a lone member in the middle; rows
 * of a grid with each label below its node (1 to 5 rows); and, from three members on, an ellipse with the labels
 * outward. Each is {ring, spots: [{x, y, pos}]}, the spots in the members' order. */
function arrangements(items, inner) {
  const n = items.length;
  const maxW = Math.max(...items.map((it) => it.label.w)), maxH = Math.max(...items.map((it) => it.label.h));
  const maxR = Math.max(...items.map((it) => it.r));
  const cx = inner.x + inner.w / 2;
  if (n === 1) return [{ ring: false, spots: [{ x: cx, y: inner.y + (inner.h - maxH - LABEL_GAP) / 2, pos: "bottom" }] }];
  const out = [];
  for (let rows = 1; rows <= Math.min(n, 5); rows++) {
    const cols = Math.ceil(n / rows), rh = inner.h / rows;
    const spots = [];
    for (let j = 0; j < n; j++) {
      const row = Math.floor(j / cols), inRow = row < rows - 1 ? cols : n - cols * (rows - 1);
      const cw = inner.w / inRow, col = j - row * cols;
      spots.push({ x: inner.x + cw * (col + 0.5), y: inner.y + row * rh + (rh - maxH - LABEL_GAP) / 2, pos: "bottom" });
    }
    out.push({ ring: false, spots });
  }
  if (n >= 3) {
    const mx = maxR + LABEL_GAP + maxW, my = maxR + LABEL_GAP + maxH;
    const rx = Math.max(maxR, inner.w / 2 - mx), ry = Math.max(maxR, inner.h / 2 - my);
    out.push({ ring: true, spots: ellipsePoints(n, cx, inner.y + inner.h / 2, rx, ry).map((p) => ({ x: p.x, y: p.y, pos: sideOf(p) })) });
  }
  return out;
}

/** The clearance of a placed group: the smallest gap in pixels between two of its members' boxes (nodes and
 * labels) or between a box and the edge of the inner box (negative: something overlaps or sticks out). */
function clearance(placed, inner) {
  const boxes = placed.flatMap((p, k) => [{ k, b: p.box }, { k, b: { x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r } }]);
  let best = Infinity;
  for (const { b } of boxes) {
    best = Math.min(best, b.x - inner.x, b.y - inner.y, inner.x + inner.w - b.x - b.w, inner.y + inner.h - b.y - b.h);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i].k === boxes[j].k) continue;
      const a = boxes[i].b, b = boxes[j].b;
      const gx = Math.max(b.x - a.x - a.w, a.x - b.x - b.w), gy = Math.max(b.y - a.y - a.h, a.y - b.y - b.h);
      best = Math.min(best, Math.max(gx, gy));
    }
  }
  return best;
}

/** Place the members of every group in its cell (the arrangement with the most room between them); returns the
 * nodes with their label boxes and the number of conflicts (labels on labels, labels on other nodes, nodes on
 * nodes, anything outside the chart). */
function placeAll(groups, cells, style, size) {
  const nodes = [];
  groups.forEach((g, gi) => {
    const c = cells[gi];
    const inner = { x: c.x + CELL_GAP / 2 + 4, y: c.y + CELL_GAP / 2 + TITLE_H, w: c.w - CELL_GAP - 8, h: c.h - CELL_GAP - TITLE_H - 4 };
    const items = g.members.map((a) => ({ a, r: style.radius(a), label: style.label(a) }));
    let best = null;
    for (const { ring, spots } of arrangements(items, inner)) {
      const placed = items.map((it, j) => ({ ...it, group: gi, x: spots[j].x, y: spots[j].y, position: spots[j].pos,
        box: labelRect(spots[j].x, spots[j].y, it.r, spots[j].pos, it.label) }));
      const room = clearance(placed, inner);
      // the ellipse wins whenever it leaves enough room: no edge inside a bloc then crosses its nodes
      if (!best || (ring && room >= RING_ROOM) || (!best.ring || best.room < RING_ROOM) && room > best.room + 0.5) best = { placed, room, ring };
    }
    nodes.push(...best.placed);
  });
  let conflicts = 0;
  const inside = (b) => b.x >= 0 && b.y >= 0 && b.x + b.w <= size.width && b.y + b.h <= size.height;
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes[i];
    if (!inside(p.box)) conflicts++;
    for (let j = 0; j < nodes.length; j++) {
      if (i === j) continue;
      const q = nodes[j];
      const disc = { x: q.x - q.r, y: q.y - q.r, w: 2 * q.r, h: 2 * q.r };
      if (overlap(p.box, disc)) conflicts++;
      if (j > i && overlap(p.box, q.box)) conflicts++;
      if (j > i && Math.hypot(p.x - q.x, p.y - q.y) < p.r + q.r + 2) conflicts++;
    }
  }
  return { nodes, conflicts };
}

/** The ties drawn: every pair at least `minEdge` strong, or (mode "strongest") each actor's strongest few. */
export function tiesShown(actors, relations, mode) {
  const n = actors.length;
  const keep = new Set();
  if (mode === "strongest") {
    for (let i = 0; i < n; i++) {
      const mine = [];
      for (let j = 0; j < n; j++) if (j !== i && Math.abs(relations[i][j]) >= STRONG_TIE) mine.push(j);
      mine.sort((a, b) => Math.abs(relations[i][b]) - Math.abs(relations[i][a]) || a - b);
      for (const j of mine.slice(0, TIES_PER_ACTOR)) keep.add(i < j ? `${i}-${j}` : `${j}-${i}`);
    }
  } else {
    const min = Number(mode) || MIN_EDGE;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Math.abs(relations[i][j]) >= min) keep.add(`${i}-${j}`);
  }
  return [...keep].map((k) => k.split("-").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** A bloc's name: after its largest member ("Russia's bloc"); label -1 is "Outside every bloc". */
export function blocNames(actors, names) {
  const out = {};
  for (const b of new Set(actors.map((a) => a.bloc))) {
    if (b === -1) { out[b] = "Outside every bloc"; continue; }
    const members = actors.filter((a) => a.bloc === b).sort((x, y) => y.size - x.size);
    const n = names[members[0].id] || members[0].name;
    out[b] = members.length === 1 ? `${n} (alone)` : n.endsWith("s") ? `${n}' bloc` : `${n}'s bloc`;
  }
  return out;
}

/** The groups drawn: blocs largest first (ties: by label), then the actors outside every bloc. */
export function blocGroups(actors) {
  const labels = [...new Set(actors.map((a) => a.bloc))].filter((b) => b !== -1);
  const members = (b) => actors.filter((a) => a.bloc === b).sort((x, y) => y.size - x.size || x.id.localeCompare(y.id));
  const groups = labels.map((b) => ({ bloc: b, members: members(b) }))
    .sort((x, y) => y.members.length - x.members.length || x.bloc - y.bloc);
  const out = members(-1);
  if (out.length) groups.push({ bloc: -1, members: out });
  return groups;
}

/** ECharts option for the alliance network of one turn's state, drawn in a chart of `size` pixels.
 * `shifted` = actor ids ringed as having changed sides; `opts.shiftedText` says since when (the tooltip). */
export function networkOption(state, colors, names, shifted, seat, mode = "strongest", size = { width: 600, height: 520 }, opts = {}) {
  const W = Math.max(120, size.width || 600), H = Math.max(120, size.height || 520);
  const chart = { width: W, height: H };
  const actors = state.actors;
  const bname = blocNames(actors, names);
  const groups = blocGroups(actors);
  const maxSize = Math.max(1e-9, ...actors.map((a) => a.size));
  const small = W < 480;
  const shiftedText = opts.shiftedText || "changed sides this month";
  // the cells: blocs and outsiders, by member count (plus room for the hull's name and a lone member's label)
  const cells = squarify(groups.map((g) => g.members.length + CELL_EXTRA), { x: 0, y: 0, w: W, h: H });

  const suffix = (a) => `${a.id === seat ? " (you)" : ""}${shifted.has(a.id) ? " ⇄" : ""}`
    + `${!shifted.has(a.id) && a.bloc !== -1 && Number(a.alignment) > -0.05 ? " ↝" : ""}`;
  const textOf = (a, ids) => (ids ? a.id : wrap(names[a.id] || a.id)) + suffix(a);
  // candidate styles, most legible first: full names, then smaller text and nodes, then the ids
  const big = small ? 34 : Math.min(52, Math.max(30, Math.min(W, H) / 10));
  const tries = [];
  for (const ids of [false, true]) for (const px of [13, 12, 11]) for (const k of [1, 0.8, 0.62]) tries.push({ ids, px, k });
  let best = null;
  for (const t of tries) {
    const lh = t.px + 2;
    const style = {
      radius: (a) => ((12 + (big - 12) * Math.sqrt(a.size / maxSize)) * t.k) / 2 + (shifted.has(a.id) ? 3 : 0),
      label: (a) => textBox(textOf(a, t.ids), t.px, shifted.has(a.id) || a.id === seat ? 800 : 600, lh),
    };
    const placed = placeAll(groups, cells, style, chart);
    if (!best || placed.conflicts < best.placed.conflicts) best = { t, placed };
    if (placed.conflicts === 0) break;
  }
  const { t, placed } = best;
  const lh = t.px + 2;

  const categories = groups.map((g) => ({ name: bname[g.bloc], itemStyle: { color: blocColor(g.bloc) } }));
  // each group as a rounded hull behind its members: a large silent node at the cell's centre
  const hulls = groups.map((g, gi) => {
    const c = cells[gi], color = blocColor(g.bloc), outside = g.bloc === -1;
    const w = Math.max(10, c.w - CELL_GAP), hh = Math.max(10, c.h - CELL_GAP);
    return { id: `bloc:${g.bloc}`, name: bname[g.bloc], category: gi, x: c.x + c.w / 2, y: c.y + c.h / 2, value: 0, bloc: true,
      symbol: hullPath(Math.round(w), Math.round(hh)), symbolSize: [Math.round(w), Math.round(hh)], z: 0,
      itemStyle: { color: hexAlpha(color, outside ? 0.1 : 0.08), borderColor: hexAlpha(color, outside ? 1 : 0.8), borderWidth: 2,
        borderType: outside ? [2, 4] : "dashed" },
      label: { show: true, position: "insideTop", distance: 5, formatter: bname[g.bloc], color: outside ? "#475569" : color,
        fontWeight: 800, fontSize: small ? 11 : 12, overflow: "truncate",
        ...(textBox(bname[g.bloc], small ? 11 : 12, 800, 14).w > w - 20 ? { width: Math.max(20, w - 20) } : {}),
        backgroundColor: "rgba(255, 255, 255, 0.92)", padding: [2, 5], borderRadius: 4 },
      emphasis: { disabled: true }, tooltip: { show: false }, cell: { x: c.x, y: c.y, w: c.w, h: c.h } };
  });
  const nodes = placed.nodes.map((p) => {
    const a = p.a, sh = shifted.has(a.id);
    return {
      id: a.id, name: a.id, category: p.group, x: p.x, y: p.y,
      symbolSize: Math.round(2 * p.r - (sh ? 6 : 0)), value: a.size,
      itemStyle: { color: colors[a.id], borderColor: sh ? SHIFT : "#ffffff", borderWidth: sh ? 6 : 2, shadowBlur: sh ? 18 : 0, shadowColor: SHIFT },
      label: { position: p.position, distance: LABEL_GAP + (sh ? 3 : 0), formatter: textOf(a, t.ids), fontWeight: sh || a.id === seat ? 800 : 600,
        color: sh ? "#92400e" : "#111827", fontSize: t.px, lineHeight: lh, textBorderColor: "rgba(255, 255, 255, 0.9)", textBorderWidth: 3 },
      actor: a, shifted: sh, labelBox: p.box,
    };
  });
  // two silent anchors at the chart's corners: the graph's data then spans the chart, so its coordinates are pixels
  const anchors = [[0, 0], [W, H]].map(([x, y], k) => ({ id: `anchor:${k}`, name: "", category: 0, x, y, symbolSize: 0, value: 0, anchor: true,
    label: { show: false }, itemStyle: { opacity: 0 }, emphasis: { disabled: true }, tooltip: { show: false } }));
  const links = tiesShown(actors, state.relations, mode).map(([i, j]) => {
    const r = state.relations[i][j];
    return { source: actors[i].id, target: actors[j].id, value: r,
      lineStyle: { color: r > 0 ? POS : NEG, width: 0.8 + 6 * Math.abs(r), opacity: 0.25 + 0.65 * Math.abs(r), curveness: 0.12 } };
  });
  return {
    animationDurationUpdate: 600,
    tooltip: {
      trigger: "item", confine: true, textStyle: { fontSize: 14 },
      formatter: (p) => {
        if (p.dataType === "edge") {
          const r = p.data.value;
          return `${esc(names[p.data.source])} – ${esc(names[p.data.target])}: <b style="color:${r > 0 ? POS : NEG}">${signed(r)}</b>`
            + ` (${r > 0.5 ? "close" : r > 0 ? "friendly" : r > -0.5 ? "tense" : "hostile"})`;
        }
        const a = p.data.actor;
        if (!a) return "";
        const cap = a.capabilities || {};
        return `<b>${esc(a.name)}</b> (${esc(a.id)})${a.human ? " · human seat" : ""}<br>${esc(categories[p.data.category].name)}`
          + `${p.data.shifted ? ` · <b style="color:#b45309">${esc(shiftedText)}</b>` : ""}<br>`
          + `Size ${Number(a.size).toFixed(1)} · military ${cap.military ?? "?"}, economic ${cap.economic ?? "?"}, diplomatic ${cap.diplomatic ?? "?"}<br>`
          + `Utility ${Number(a.utility).toFixed(3)}`
          + (a.alignment === null || a.alignment === undefined || a.bloc === -1 ? ""
            : `<br>Alignment margin ${signed(Number(a.alignment))} (${Number(a.alignment) > -0.05
              ? "<b style=\"color:#b45309\">drifting: pulled almost as much toward another bloc</b>"
              : Number(a.alignment) > -0.25 ? "some pull toward another bloc" : "content in its bloc"})`);
      },
    },
    series: [{
      type: "graph", layout: "none", roam: false, categories, data: [...anchors, ...hulls, ...nodes], links,
      left: 0, top: 0, width: W, height: H,   // the layout's own size: never an empty view, even in a hidden chart
      label: { show: true, position: "bottom", fontSize: t.px, lineHeight: lh, distance: LABEL_GAP },
      labelLayout: { hideOverlap: false },
      emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
      lineStyle: { curveness: 0.12 },
      edgeSymbol: ["none", "none"],
    }],
    _blocs: categories.map((c) => c.name),
    _layout: { ids: t.ids, fontSize: t.px, nodeScale: t.k, conflicts: placed.conflicts },
  };
}

/** A rounded rectangle of w x h pixels with corners of HULL_RADIUS (a path, so the corners keep their radius at
 * any size, unlike the "roundRect" symbol's quarter of the shorter side). */
function hullPath(w, h) {
  const r = Math.max(2, Math.min(HULL_RADIUS, w / 3, h / 3));
  return `path://M${r},0H${w - r}Q${w},0 ${w},${r}V${h - r}Q${w},${h} ${w - r},${h}H${r}Q0,${h} 0,${h - r}V${r}Q0,0 ${r},0Z`;
}

/** "#2563eb" with an alpha -> "rgba(37, 99, 235, a)". */
function hexAlpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
