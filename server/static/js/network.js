// The alliance network: actors as nodes sized by capability, placed in clusters by bloc (landscape theory),
// edges green (friendly) or red (hostile) with width by strength; actors that switched sides this turn ringed in gold.
import { esc, signed } from "./common.js";

const POS = "#16a34a", NEG = "#dc2626", SHIFT = "#f59e0b";
const BLOC_TINTS = ["#1e3a8a", "#7f1d1d", "#14532d", "#581c87", "#78350f"];
export const MIN_EDGE = 0.1;

/** Ring radius of a bloc of n actors: room for each node and its label around the ring. */
function ringRadius(n) { return n <= 1 ? 0 : Math.max(100, (n * 135) / (2 * Math.PI)); }

/** Cluster centres: blocs side by side (left to right), each far enough from the next for both rings. */
function centres(sizes) {
  const out = [];
  let x = 0;
  sizes.forEach((n, i) => {
    if (i > 0) x += ringRadius(sizes[i - 1]) + ringRadius(n) + 190;
    out.push([x, i % 2 ? 40 : -40]);
  });
  const mid = x / 2;
  return out.map(([cx, cy]) => [cx - mid, sizes.length > 1 ? cy : 0]);
}

/** ECharts option for the alliance network of one turn's state; `shifted` = actor ids that changed sides. */
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
function box(nodes, width, height) {
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const wd = Math.max(...xs) - Math.min(...xs), hd = Math.max(...ys) - Math.min(...ys);
  const mx = 120, top = 62, bottom = 90;   // room for two-line labels beside the outer nodes
  const wb = Math.max(50, width - 2 * mx), hb = Math.max(50, height - top - bottom);
  if (wd < 1 || hd < 1) return { left: mx, right: mx, top, bottom, scale: 1 };
  const s = Math.min(wb / wd, hb / hd);
  const w = s * wd, h = s * hd;
  const left = (width - w) / 2, t = top + (hb - h) / 2;
  return { left, right: width - left - w, top: t, bottom: height - t - h, scale: s };
}

export function networkOption(state, colors, names, shifted, seat, minEdge = MIN_EDGE, size = { width: 600, height: 520 }) {
  const actors = state.actors;
  const blocs = [...new Set(actors.map((a) => a.bloc))].sort((a, b) => a - b);
  const maxSize = Math.max(1e-9, ...actors.map((a) => a.size));
  const blocName = (b) => {
    const members = actors.filter((a) => a.bloc === b).sort((x, y) => y.size - x.size);
    if (!members.length) return `Bloc ${b}`;
    const n = names[members[0].id] || members[0].name;
    return n.endsWith("s") ? `${n}' bloc` : `${n}'s bloc`;
  };
  const categories = blocs.map((b, i) => ({ name: blocName(b), itemStyle: { color: BLOC_TINTS[i % BLOC_TINTS.length] } }));
  const cs = centres(blocs.map((b) => actors.filter((a) => a.bloc === b).length));
  const nodes = [];
  blocs.forEach((b, bi) => {
    const members = actors.filter((a) => a.bloc === b).sort((x, y) => y.size - x.size || x.id.localeCompare(y.id));
    const n = members.length;
    const radius = ringRadius(n);
    members.forEach((a, j) => {
      const ang = (2 * Math.PI * j) / n - Math.PI / 2;
      const sh = shifted.has(a.id);
      const cx = Math.cos(ang), cy = Math.sin(ang);
      const position = n <= 1 ? "bottom" : cx > 0.35 ? "right" : cx < -0.35 ? "left" : cy < 0 ? "top" : "bottom";
      nodes.push({
        id: a.id, name: a.id, category: bi,
        x: cs[bi][0] + radius * Math.cos(ang), y: cs[bi][1] + radius * Math.sin(ang),
        symbolSize: Math.round(22 + 46 * Math.sqrt(a.size / maxSize)),
        value: a.size,
        itemStyle: {
          color: colors[a.id], borderColor: sh ? SHIFT : BLOC_TINTS[bi % BLOC_TINTS.length],
          borderWidth: sh ? 7 : 2.5, shadowBlur: sh ? 22 : 0, shadowColor: SHIFT,
        },
        label: { position, formatter: `${wrap(names[a.id])}${a.id === seat ? " (you)" : ""}${sh ? " ⇄" : ""}`, fontWeight: sh || a.id === seat ? 800 : 600,
          color: sh ? "#92400e" : "#111827" },
        actor: a, shifted: sh,
      });
    });
  });
  // a tall box: stretch the rings into upright ellipses to use the height
  const span = (k) => Math.max(...nodes.map((n) => n[k])) - Math.min(...nodes.map((n) => n[k]));
  const want = (size.width - 200) / Math.max(50, size.height - 152);
  const have = span("x") / Math.max(1, span("y"));
  if (span("y") > 1 && have > want) {
    const stretch = Math.min(1.8, have / want);
    for (const nd of nodes) nd.y *= stretch;
  }
  // nodes shrink with the drawing on small screens so neighbours on a ring do not overlap
  const b = box(nodes, size.width, size.height);
  const f = Math.max(0.5, Math.min(1.1, b.scale / 0.55));
  for (const nd of nodes) nd.symbolSize = Math.round(nd.symbolSize * f);
  const links = [];
  for (let i = 0; i < actors.length; i++) {
    for (let j = i + 1; j < actors.length; j++) {
      const r = state.relations[i][j];
      if (Math.abs(r) < minEdge) continue;
      links.push({
        source: actors[i].id, target: actors[j].id, value: r,
        lineStyle: { color: r > 0 ? POS : NEG, width: 0.5 + 7 * Math.abs(r), opacity: 0.1 + 0.75 * Math.abs(r) ** 2, curveness: 0.08 },
      });
    }
  }
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
          + `${p.data.shifted ? ' · <b style="color:#b45309">changed sides this turn</b>' : ""}<br>`
          + `Size ${Number(a.size).toFixed(1)} · military ${cap.military ?? "?"}, economic ${cap.economic ?? "?"}, diplomatic ${cap.diplomatic ?? "?"}<br>`
          + `Utility ${Number(a.utility).toFixed(3)}`;
      },
    },
    legend: { data: categories.map((c) => c.name), bottom: 0, textStyle: { fontSize: 13 }, selectedMode: false },
    series: [{
      type: "graph", layout: "none", roam: false, categories, data: nodes, links,
      left: b.left, right: b.right, top: b.top, bottom: b.bottom,
      label: { show: true, position: "bottom", fontSize: 13, lineHeight: 15, distance: 4 },
      labelLayout: { hideOverlap: false },
      emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
      lineStyle: { curveness: 0.08 },
      edgeSymbol: ["none", "none"],
    }],
  };
}
