// Line charts over months, from GET /api/games/<id>/history rows: the headline indices (0-1 and -2..2 scales) and
// the counts (bases, blocs switched) on separate plots, the relation of any two actors, each issue's forecast with
// its thresholds. A vertical line marks the month on display. Months are named from the scenario's start month:
// month 0 (the starting situation) is the start month, month t the t-th month after it.
import { addMonths, esc, fmtDate } from "./common.js";

/** Headline indicators: short names for the page; definitions come from the model (GET /guide). */
export const INDICATORS = [
  { key: "syria_alignment", name: "Syria leans West (+) / Russia (−)", color: "#1d4ed8", scale: "−2 … +2" },
  { key: "russia_isolation", name: "Russia's isolation", color: "#7c3aed", scale: "0 … 1" },
  { key: "russia_bloc_opposition", name: "Opposed to Russia's bloc", color: "#db2777", scale: "0 … 1" },
  { key: "kurdish_conflict", name: "Kurdish conflict", color: "#ea580c", scale: "0 … 1" },
  { key: "us_engagement", name: "US engagement with Damascus", color: "#0891b2", scale: "0 … 1" },
];
export const COUNTS = [
  { key: "russia_bases_held", name: "Russian bases held", color: "#b91c1c", scale: "count" },
  { key: "alliance_shifts", name: "Actors that changed sides", color: "#d97706", scale: "count" },
  { key: "sdf_damascus_fighting", name: "Open SDF–Damascus fighting (1 = yes)", color: "#475569", scale: "0 or 1" },
  { key: "blocs_in_use", name: "Blocs", color: "#2563eb", scale: "count" },
  { key: "syria_with_west", name: "Syria in the US bloc (1 = yes)", color: "#1d4ed8", scale: "0 or 1" },
];
const ISSUE_COLORS = ["#0f766e", "#9333ea", "#c2410c", "#1d4ed8", "#be123c", "#4d7c0f", "#a16207", "#475569"];

const num = (v) => (v === null || v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Number(v));

/** The month of a turn: the scenario's start month plus the turn (falls back to the row's own date). */
export function monthOf(turn, start, row) {
  return start ? addMonths(start, Number(turn)) : (row && row.date) || "";
}

function base(rows, start, narrow) {
  return {
    animationDuration: 300,
    animationDurationUpdate: 300,
    tooltip: { trigger: "axis", confine: true, textStyle: { fontSize: 13 }, valueFormatter: (v) => (v == null ? "—" : Number(v).toFixed(2)) },
    grid: { left: 48, right: 24, top: 46, bottom: 34, containLabel: false },
    xAxis: {
      type: "category", boundaryGap: false, data: rows.map((r) => String(r.turn)),
      axisLabel: { fontSize: 12, hideOverlap: true, formatter: (t) => fmtDate(monthOf(t, start, rows.find((x) => String(x.turn) === t)), true) },
      name: "", axisTick: { alignWithLabel: true },
    },
    _narrow: narrow,
  };
}

/** A vertical line at the month on display (on the first series). */
function mark(viewTurn, rows) {
  const last = rows.length ? String(rows[rows.length - 1].turn) : "";
  return { silent: true, symbol: "none", label: { show: String(viewTurn) !== last, formatter: "shown", fontSize: 11, color: "#475569" },
    lineStyle: { color: "#64748b", type: "dashed", width: 1.5 }, data: [{ xAxis: String(viewTurn) }] };
}

/** Rows a wrapping legend of these names takes in a chart `width` pixels wide (13px text, ~7px a character). */
export function legendRows(names, width) {
  let rows = 1, x = 0;
  for (const n of names) {
    const w = 34 + 6.6 * n.length;
    if (x > 0 && x + w > width) { rows += 1; x = 0; }
    x += w;
  }
  return rows;
}

/** Room above the plot for a wrapping legend (and the axis name under it). */
function topFor(names, width) { return 30 + 22 * legendRows(names, width || 600); }

/** The legend with each indicator's definition as its tooltip. */
function legend(defs, list, extra = {}) {
  return {
    top: 0, left: 0, right: 0, textStyle: { fontSize: 13 }, itemWidth: 18, itemGap: 12, ...extra,
    tooltip: { show: true, confine: true, extraCssText: "max-width: 22rem; white-space: normal;",
      formatter: (p) => { const d = list.find((x) => x.name === p.name); return d ? `<b>${esc(d.name)}</b> (${esc(d.scale)})<br>${esc((defs || {})[d.key] || "")}` : esc(p.name); } },
  };
}

function lines(list, rows, viewTurn, step) {
  return list.map((ind, i) => ({
    type: "line", name: ind.name, data: rows.map((r) => num(r[ind.key])), color: ind.color, step: step ? "end" : false,
    symbolSize: 6, lineStyle: { width: step ? 3 : 2.5 }, markLine: i === 0 ? mark(viewTurn, rows) : undefined,
  }));
}

function present(list, rows) { return list.filter((d) => rows.some((r) => r[d.key] !== undefined)); }

/** Indices: every headline indicator on a continuous scale, on one axis. */
export function indicatorsOption(rows, viewTurn, { start, defs, narrow, width } = {}) {
  const list = present(INDICATORS, rows);
  const o = base(rows, start, narrow);
  return {
    ...o, legend: legend(defs, list),
    grid: { ...o.grid, top: topFor(list.map((d) => d.name), width) },
    yAxis: { type: "value", name: "index", nameTextStyle: { fontSize: 12 }, axisLabel: { fontSize: 12 } },
    series: lines(list, rows, viewTurn, false),
  };
}

/** Counts: bases held, actors switching sides, open fighting, as steps on a whole-number axis. */
export function countsOption(rows, viewTurn, { start, defs, narrow, width } = {}) {
  const list = present(COUNTS, rows);
  const o = base(rows, start, narrow);
  return {
    ...o, legend: legend(defs, list),
    grid: { ...o.grid, top: topFor(list.map((d) => d.name), width) },
    yAxis: { type: "value", name: "count", minInterval: 1, min: 0, nameTextStyle: { fontSize: 12 }, axisLabel: { fontSize: 12 } },
    series: lines(list, rows, viewTurn, true),
  };
}

/** Column name of the relation of a and b: relation.<A>.<B> with A before B in scenario order. */
export function relationKey(a, b, order, sample) {
  const [x, y] = order.indexOf(a) <= order.indexOf(b) ? [a, b] : [b, a];
  const k = `relation.${x}.${y}`;
  if (!sample || k in sample) return k;
  return `relation.${y}.${x}`;
}

export function relationOption(rows, a, b, names, colors, order, viewTurn, { start } = {}) {
  const o = base(rows, start);
  const key = relationKey(a, b, order, rows[0]);
  return {
    ...o,
    title: { text: a === b ? "Choose two different actors" : "", left: "center", top: "middle", textStyle: { fontSize: 14, color: "#6b7280" } },
    grid: { left: 44, right: 20, top: 24, bottom: 34 },
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

/** Threshold lines of one issue: dashed in the issue's colour, labelled with the consequence; labels of
 * thresholds at nearly the same value go to opposite ends so they do not cover each other. */
function thresholdLines(iss, color, placed, span) {
  return (iss.thresholds || []).map((t) => {
    const near = placed.filter((v) => Math.abs(v - t.value) < span * 0.06).length;
    placed.push(t.value);
    const text = `${t.name.replace(/_/g, " ")} (${t.when === "below" ? "<" : ">"}${t.value})`;
    return { yAxis: t.value, name: text, threshold: t,
      lineStyle: { color, type: [6, 4], width: 1.5, opacity: 0.9 },
      label: { show: true, formatter: text, position: near % 2 ? "insideStartTop" : "insideEndTop", fontSize: 11, color, fontWeight: 600 } };
  });
}

export function issuesOption(rows, issues, viewTurn, { start, narrow, width } = {}) {
  const o = base(rows, start, narrow);
  const lo = Math.min(0, ...issues.map((i) => (i.scale ? i.scale[0] : 0)));
  const hi = Math.max(100, ...issues.map((i) => (i.scale ? i.scale[1] : 100)));
  const placed = [];
  return {
    ...o,
    legend: { top: 0, left: 0, right: 0, textStyle: { fontSize: 13 }, itemGap: 12 },
    tooltip: { ...o.tooltip, valueFormatter: (v) => (v == null ? "—" : Number(v).toFixed(1)) },
    grid: { left: 44, right: 20, top: topFor(issues.map((i) => i.name), width), bottom: 34 },
    yAxis: { type: "value", min: lo, max: hi, axisLabel: { fontSize: 12 }, name: "forecast", nameTextStyle: { fontSize: 12 } },
    series: issues.map((iss, i) => {
      const color = ISSUE_COLORS[i % ISSUE_COLORS.length];
      const th = thresholdLines(iss, color, placed, hi - lo);
      const markLine = { silent: false, symbol: "none", data: [...(i === 0 ? mark(viewTurn, rows).data : []), ...th],
        label: { show: true }, lineStyle: { color: "#64748b", type: "dashed", width: 1.5 },
        tooltip: { show: true, formatter: (p) => (p.data && p.data.threshold ? `<b>${esc(iss.name)}</b>: ${esc(p.data.threshold.sentence)}` : "") } };
      if (i === 0) markLine.data[0] = { ...markLine.data[0], label: mark(viewTurn, rows).label, lineStyle: mark(viewTurn, rows).lineStyle };
      return { type: "line", name: iss.name, data: rows.map((r) => num(r[`issue.${iss.id}.forecast`])), color,
        symbolSize: 6, lineStyle: { width: 2.5 }, markLine };
    }),
  };
}
