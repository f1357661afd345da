// The alliance network: actors as nodes sized by capability, grouped by bloc (landscape theory) inside a shaded
// area per bloc whose colours are never the relation colours; edges green (friendly) or red (hostile), width by
// strength. By default only each actor's strongest ties are drawn (at most TIES_PER_ACTOR, each at least
// STRONG_TIE in strength), so the picture reads; the selector shows every tie above a threshold instead.
// Actors that switched sides this month are ringed in gold; an actor whose alignment margin is near a switch
// (drift, model.sim.alignment) carries "↝"; actors outside every bloc (label -1) share one area. On a narrow screen
// the blocs stack top to bottom.
import { esc, signed } from "./common.js";

const POS = "#16a34a", NEG = "#dc2626", SHIFT = "#f59e0b";
// bloc colours: blue, violet, fuchsia, navy, near-black -- each more than 120 (RGB distance) from the green and red
// of relations, for up to four blocs and the outsiders (model.sim.alignment: k <= 4)
export const BLOC_COLORS = ["#2563eb", "#7c3aed", "#c026d3", "#1e3a8a", "#0f172a"];
export const TIES_PER_ACTOR = 2;   // "strongest ties": each actor's ties drawn by default
export const STRONG_TIE = 0.3;     // ... each at least this strong (|relation|)
export const MIN_EDGE = 0.1;

/** Ring radius of a bloc of n actors: room for each node and its label around the ring. */
function ringRadius(n, per = 135) { return n <= 1 ? 0 : Math.max(90, (n * per) / (2 * Math.PI)); }

/** Cluster centres: blocs side by side (or, when `vertical`, one above the other), `gap` apart beyond their rings. */
function centres(sizes, vertical, per, gap) {
  const out = [];
  let x = 0;
  sizes.forEach((n, i) => {
    if (i > 0) x += ringRadius(sizes[i - 1], per) + ringRadius(n, per) + gap;
    out.push(x);
  });
  const mid = x / 2;
  return out.map((c) => (vertical ? [0, c - mid] : [c - mid, 0]));
}

/** Long names on two lines: "Islamic State\nremnants". */
function wrap(name) {
  if (name.length <= 12 || !name.includes(" ")) return name;
  const mid = name.length / 2;
  let best = -1;
  for (let i = 0; i < name.length; i++) if (name[i] === " " && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return `${name.slice(0, best)}\n${name.slice(best + 1)}`;
}

/** Box for the graph with the same aspect as the node positions: ECharts stretches a `layout: "none"` graph to
 * fill its box, and that would squash the round nodes into ellipses on narrow screens. */
function box(nodes, width, height, margin) {
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const wd = Math.max(...xs) - Math.min(...xs), hd = Math.max(...ys) - Math.min(...ys);
  const { mx, top, bottom } = margin;
  const wb = Math.max(50, width - 2 * mx), hb = Math.max(50, height - top - bottom);
  if (wd < 1 && hd < 1) return { left: mx, right: mx, top, bottom, scale: 1 };
  const s = Math.min(wd < 1 ? Infinity : wb / wd, hd < 1 ? Infinity : hb / hd);
  const w = s * wd, h = s * hd;
  const left = (width - w) / 2, t = top + (hb - h) / 2;
  return { left, right: width - left - w, top: t, bottom: height - t - h, scale: s };
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

/** ECharts option for the alliance network of one turn's state; `shifted` = actor ids that changed sides. */
export function networkOption(state, colors, names, shifted, seat, mode = "strongest", size = { width: 600, height: 520 }) {
  const actors = state.actors;
  const blocs = [...new Set(actors.map((a) => a.bloc))].sort((a, b) => a - b);
  const bname = blocNames(actors, names);
  const vertical = size.width < 560;
  const small = size.width < 480;
  const per = small ? 110 : 135;
  const maxSize = Math.max(1e-9, ...actors.map((a) => a.size));
  const categories = blocs.map((b, i) => ({ name: bname[b], itemStyle: { color: BLOC_COLORS[i % BLOC_COLORS.length] } }));
  const members = blocs.map((b) => actors.filter((a) => a.bloc === b).sort((x, y) => y.size - x.size || x.id.localeCompare(y.id)));
  const margin = small ? { mx: 64, top: 84, bottom: 64 } : vertical ? { mx: 90, top: 96, bottom: 76 } : { mx: 110, top: 56, bottom: 40 };
  const pad = small ? 24 : 38;       // pixels between a bloc's outer nodes and the edge of its area (room for their labels)
  const place = (gap) => {
    const cs = centres(members.map((m) => m.length), vertical, per, gap);
    const nodes = [];
    members.forEach((list, bi) => {
      const n = list.length;
      const radius = ringRadius(n, per);
      list.forEach((a, j) => {
        const ang = (2 * Math.PI * j) / n - Math.PI / 2;
        const sh = shifted.has(a.id);
        const cx = Math.cos(ang), cy = Math.sin(ang);
        const position = n <= 1 ? "bottom" : cx > 0.35 ? "right" : cx < -0.35 ? "left" : cy < 0 ? "top" : "bottom";
        const label = small ? a.id : wrap(names[a.id] || a.id);   // phones: the short id (the tooltip names it)
        nodes.push({
          id: a.id, name: a.id, category: bi,
          x: cs[bi][0] + radius * cx, y: cs[bi][1] + radius * cy,
          symbolSize: Math.round(22 + 46 * Math.sqrt(a.size / maxSize)),
          value: a.size,
          itemStyle: { color: colors[a.id], borderColor: sh ? SHIFT : "#ffffff", borderWidth: sh ? 6 : 2, shadowBlur: sh ? 18 : 0, shadowColor: SHIFT },
          label: { position, formatter: `${label}${a.id === seat ? " (you)" : ""}${sh ? " ⇄" : ""}${!sh && a.bloc !== -1 && Number(a.alignment) > -0.05 ? " ↝" : ""}`, fontWeight: sh || a.id === seat ? 800 : 600,
            color: sh ? "#92400e" : "#111827", fontSize: small ? 11 : 13, lineHeight: small ? 13 : 15 },
          actor: a, shifted: sh,
        });
      });
    });
    const bx = box(nodes, size.width, size.height, margin);
    const f = Math.max(small ? 0.45 : 0.5, Math.min(small ? 0.8 : 1.1, bx.scale / 0.55));
    for (const nd of nodes) nd.symbolSize = Math.round(nd.symbolSize * f);
    return { cs, nodes, b: bx };
  };
  // the gap between blocs must hold, on screen, both areas' margins and the labels between them
  let { cs, nodes, b } = place(250);
  const biggest = (bi) => Math.max(0, ...nodes.filter((nd) => nd.category === bi).map((nd) => nd.symbolSize)) / 2 + pad;
  const needed = () => Math.max(0, ...members.slice(1).map((_, i) => biggest(i) + biggest(i + 1))) + (vertical ? 30 : 70);
  for (let k = 0, gap = 250; k < 4 && members.length > 1 && gap * b.scale < needed(); k++) {
    gap = needed() / b.scale;
    ({ cs, nodes, b } = place(gap));
  }
  // each bloc as a shaded area behind its members: a large silent node at the bloc's centre
  const areas = members.map((list, bi) => {
    const r = ringRadius(list.length, per) * b.scale + biggest(bi);
    const color = BLOC_COLORS[bi % BLOC_COLORS.length];
    return { id: `bloc:${blocs[bi]}`, name: bname[blocs[bi]], category: bi, x: cs[bi][0], y: cs[bi][1], value: 0, bloc: true,
      symbol: "circle", symbolSize: Math.round(2 * r), z: 0,
      itemStyle: { color: hexAlpha(color, 0.07), borderColor: hexAlpha(color, 0.75), borderWidth: 2, borderType: "dashed" },
      label: { show: true, position: "bottom", distance: 3, formatter: bname[blocs[bi]], color, fontWeight: 800, fontSize: small ? 11 : 13 },
      emphasis: { disabled: true }, tooltip: { show: false } };
  });
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
          + `${p.data.shifted ? ' · <b style="color:#b45309">changed sides this month</b>' : ""}<br>`
          + `Size ${Number(a.size).toFixed(1)} · military ${cap.military ?? "?"}, economic ${cap.economic ?? "?"}, diplomatic ${cap.diplomatic ?? "?"}<br>`
          + `Utility ${Number(a.utility).toFixed(3)}`
          + (a.alignment === null || a.alignment === undefined || a.bloc === -1 ? ""
            : `<br>Alignment margin ${signed(Number(a.alignment))} (${Number(a.alignment) > -0.05
              ? "<b style=\"color:#b45309\">drifting: pulled almost as much toward another bloc</b>"
              : Number(a.alignment) > -0.25 ? "some pull toward another bloc" : "content in its bloc"})`);
      },
    },
    series: [{
      type: "graph", layout: "none", roam: false, categories, data: [...areas, ...nodes], links,
      left: b.left, right: b.right, top: b.top, bottom: b.bottom,
      label: { show: true, position: "bottom", fontSize: 13, lineHeight: 15, distance: 4 },
      labelLayout: { hideOverlap: false },
      emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
      lineStyle: { curveness: 0.12 },
      edgeSymbol: ["none", "none"],
    }],
    _blocs: categories.map((c) => c.name),
  };
}

/** "#2563eb" with an alpha -> "rgba(37, 99, 235, a)". */
function hexAlpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
