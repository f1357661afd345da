// Line charts over turns, from GET /api/games/<id>/history rows: headline indicators, the relation of any two
// actors, each issue's forecast. A vertical line marks the turn on display.
import { fmtDate } from "./common.js";

export const INDICATORS = [
  { key: "russia_bases_held", name: "Russian bases held", axis: 1, color: "#b91c1c" },
  { key: "syria_alignment", name: "Syria leans West (+) / Russia (−)", axis: 0, color: "#1d4ed8" },
  { key: "russia_isolation", name: "Russia's isolation", axis: 0, color: "#7c3aed" },
  { key: "kurdish_conflict", name: "Kurdish conflict", axis: 0, color: "#ea580c" },
  { key: "us_engagement", name: "US engagement with Damascus", axis: 0, color: "#0891b2" },
];
const ISSUE_COLORS = ["#0f766e", "#9333ea", "#c2410c", "#1d4ed8", "#be123c", "#4d7c0f", "#a16207", "#475569"];

const num = (v) => (v === null || v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Number(v));

function base(rows) {
  return {
    animationDuration: 300,
    animationDurationUpdate: 300,
    tooltip: { trigger: "axis", confine: true, textStyle: { fontSize: 13 }, valueFormatter: (v) => (v == null ? "—" : Number(v).toFixed(2)) },
    grid: { left: 52, right: 52, top: 46, bottom: 34 },
    xAxis: {
      type: "category", boundaryGap: false, data: rows.map((r) => String(r.turn)),
      axisLabel: { fontSize: 12, formatter: (t) => { const r = rows.find((x) => String(x.turn) === t); return r ? fmtDate(r.date, true) : t; } },
      name: "", axisTick: { alignWithLabel: true },
    },
  };
}

/** A vertical line at the turn on display (on the first series). */
function mark(viewTurn, rows) {
  const last = rows.length ? String(rows[rows.length - 1].turn) : "";
  return { silent: true, symbol: "none", label: { show: String(viewTurn) !== last, formatter: "shown", fontSize: 11, color: "#475569" },
    lineStyle: { color: "#64748b", type: "dashed", width: 1.5 }, data: [{ xAxis: String(viewTurn) }] };
}

export function indicatorsOption(rows, viewTurn) {
  const o = base(rows);
  return {
    ...o,
    legend: { top: 0, textStyle: { fontSize: 13 }, itemWidth: 18 },
    yAxis: [
      { type: "value", name: "index", nameTextStyle: { fontSize: 12 }, axisLabel: { fontSize: 12 }, scale: false },
      { type: "value", name: "bases", minInterval: 1, min: 0, nameTextStyle: { fontSize: 12 }, axisLabel: { fontSize: 12 }, splitLine: { show: false } },
    ],
    series: INDICATORS.map((ind, i) => ({
      type: "line", name: ind.name, yAxisIndex: ind.axis, data: rows.map((r) => num(r[ind.key])), color: ind.color,
      step: ind.axis === 1 ? "end" : false, symbolSize: 6, lineStyle: { width: ind.axis === 1 ? 3.5 : 2.5 },
      markLine: i === 0 ? mark(viewTurn, rows) : undefined,
    })),
  };
}

/** Column name of the relation of a and b: relation.<A>.<B> with A before B in scenario order. */
export function relationKey(a, b, order, sample) {
  const [x, y] = order.indexOf(a) <= order.indexOf(b) ? [a, b] : [b, a];
  const k = `relation.${x}.${y}`;
  if (!sample || k in sample) return k;
  return `relation.${y}.${x}`;
}

export function relationOption(rows, a, b, names, colors, order, viewTurn) {
  const o = base(rows);
  const key = relationKey(a, b, order, rows[0]);
  return {
    ...o,
    title: { text: a === b ? "Choose two different actors" : "", left: "center", top: "middle", textStyle: { fontSize: 14, color: "#6b7280" } },
    grid: { left: 52, right: 30, top: 30, bottom: 34 },
    yAxis: { type: "value", min: -1, max: 1, interval: 0.5, axisLabel: { fontSize: 12 } },
    series: [{
      type: "line", name: `${names[a]} – ${names[b]}`, data: a === b ? [] : rows.map((r) => num(r[key])), symbolSize: 7,
      color: "#334155", lineStyle: { width: 3.5 },
      markLine: { ...mark(viewTurn, rows), data: [{ xAxis: String(viewTurn) }, { yAxis: 0, lineStyle: { type: "solid", color: "#94a3b8", width: 1 }, label: { show: false } }] },
      markArea: { silent: true, label: { show: true, position: "insideTopLeft", fontSize: 12, fontWeight: 600 }, data: [
        [{ yAxis: 0, name: "friendly", itemStyle: { color: "rgba(22, 163, 74, 0.08)" }, label: { color: "#15803d" } }, { yAxis: 1 }],
        [{ yAxis: -1, name: "hostile", itemStyle: { color: "rgba(220, 38, 38, 0.08)" }, label: { color: "#b91c1c" } }, { yAxis: 0 }]] },
    }],
  };
}

export function issuesOption(rows, issues, viewTurn) {
  const o = base(rows);
  const lo = Math.min(0, ...issues.map((i) => (i.scale ? i.scale[0] : 0)));
  const hi = Math.max(100, ...issues.map((i) => (i.scale ? i.scale[1] : 100)));
  return {
    ...o,
    legend: { top: 0, left: 0, right: 0, textStyle: { fontSize: 13 }, itemGap: 14 },
    grid: { left: 52, right: 30, top: 30 + 22 * Math.ceil(issues.length / 2), bottom: 34 },
    yAxis: { type: "value", min: lo, max: hi, axisLabel: { fontSize: 12 }, name: "forecast position", nameTextStyle: { fontSize: 12 } },
    series: issues.map((iss, i) => ({
      type: "line", name: iss.name, data: rows.map((r) => num(r[`issue.${iss.id}.forecast`])), color: ISSUE_COLORS[i % ISSUE_COLORS.length],
      symbolSize: 6, lineStyle: { width: 2.5 }, markLine: i === 0 ? mark(viewTurn, rows) : undefined,
    })),
  };
}
