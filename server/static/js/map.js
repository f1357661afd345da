// The map of Syria: governorates shaded by their dominant controller, bases by controller and status,
// bases that changed hands or status since the previous turn drawn with a ripple.
import { esc, h, tint } from "./common.js";

export const GEO_URL = "/static/geo/syria-governorates.geojson";
const UNMODELLED = "#e7eaee";

/** Marker shape per base status (the legend under the map uses the same signs). */
export const STATUS = {
  active: { symbol: "circle", sign: "●", text: "active" },
  drawdown: { symbol: "triangle", sign: "▲", text: "drawdown" },
  contested: { symbol: "diamond", sign: "◆", text: "contested (dashed ring)" },
  evacuated: { symbol: "emptyCircle", sign: "○", text: "evacuated" },
  reduced: { symbol: "roundRect", sign: "■", text: "reduced (lease renegotiated)" },
  destroyed: { symbol: "path://M3,0 L10,7 L17,0 L20,3 L13,10 L20,17 L17,20 L10,13 L3,20 L0,17 L7,10 L0,3 Z", sign: "✕", text: "destroyed" },
};

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

/** ECharts option for the map of one turn's state. */
export function mapOption(state, prevRow, colors, names) {
  const regions = state.regions.map((r) => {
    const shares = Object.entries(r.control || {}).sort((a, b) => b[1] - a[1]);
    const top = shares[0];
    const color = top ? tint(colors[top[0]] || "#888888", 0.28 + 0.72 * top[1]) : UNMODELLED;
    return { name: r.iso, itemStyle: { areaColor: color }, emphasis: { itemStyle: { areaColor: color, borderWidth: 2.5 } },
      controller: top ? top[0] : null, share: top ? top[1] : 0 };
  });
  const byIso = Object.fromEntries(state.regions.map((r) => [r.iso, r]));

  const point = (b, changed) => {
    const st = STATUS[b.status] || STATUS.active;
    const color = colors[b.controller] || "#555555";
    const value = Math.max(0, ...Object.values(b.value || {}).map(Number));
    return {
      name: b.name, id: b.id, value: [b.lon, b.lat, b.garrison], symbol: st.symbol,
      symbolSize: 13 + 11 * Math.min(1, value) + (changed ? 3 : 0),
      itemStyle: {
        color: b.status === "evacuated" ? "#ffffff" : color,
        borderColor: b.status === "evacuated" ? color : b.status === "contested" ? "#111827" : "#ffffff",
        borderWidth: b.status === "contested" ? 2.5 : b.status === "evacuated" ? 3 : 1.5,
        borderType: b.status === "contested" ? "dashed" : "solid",
      },
      label: b.lon > 40.4 ? { position: "left" } : undefined, // far-east bases: label inside the map
      base: b, changed,
    };
  };
  const steady = [], moved = [];
  for (const b of state.bases) {
    const ch = baseChange(b, prevRow, names);
    (ch ? moved : steady).push(point(b, ch));
  }
  const label = { show: true, position: "right", formatter: "{b}", fontSize: 12, color: "#1f2937", fontWeight: 600,
    textBorderColor: "#ffffff", textBorderWidth: 3 };

  const tip = (p) => (p.componentType === "geo" ? regionTip(byIso[p.name], p.name, colors, names) : baseTip(p.data, colors, names));
  return {
    animationDurationUpdate: 400,
    tooltip: { trigger: "item", confine: true, textStyle: { fontSize: 14 }, formatter: tip },
    geo: {
      map: "syria", nameProperty: "ISO", roam: false, aspectScale: 0.85, left: 8, right: 100, top: 10, bottom: 10,
      silent: false, tooltip: { show: true, formatter: tip },
      itemStyle: { areaColor: UNMODELLED, borderColor: "#ffffff", borderWidth: 1.2 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#d5dae1" } },
      select: { disabled: true },
      label: { show: false },
      regions,
    },
    series: [
      { type: "scatter", name: "Bases", coordinateSystem: "geo", data: steady, label, labelLayout: { hideOverlap: true },
        emphasis: { scale: 1.3 }, zlevel: 1 },
      { type: "effectScatter", name: "Changed this turn", coordinateSystem: "geo", data: moved, label: { ...label, color: "#991b1b" },
        rippleEffect: { scale: 3.2, brushType: "stroke", period: 2.5 }, showEffectOn: "render", zlevel: 2 },
    ],
  };
}

function regionTip(r, iso, colors, names) {
  if (!r) return `<b>${esc(iso)}</b><br><span style="color:#6b7280">not part of this scenario</span>`;
  const rows = Object.entries(r.control || {}).sort((a, b) => b[1] - a[1])
    .map(([a, s]) => `<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:${colors[a]};margin-right:6px"></span>${esc(names[a] || a)}: <b>${pct(s)}</b>`);
  return `<b>${esc(r.name)}</b> <span style="color:#6b7280">(${esc(r.iso)})</span><br>${rows.join("<br>") || "no control recorded"}`;
}

function baseTip(d, colors, names) {
  if (!d || !d.base) return "";
  const b = d.base;
  const vals = Object.entries(b.value || {}).sort((x, y) => y[1] - x[1])
    .map(([a, v]) => `${esc(names[a] || a)} ${Number(v).toFixed(2)}`).join(", ");
  return `<b>${esc(b.name)}</b> <span style="color:#6b7280">${esc(b.kind)}</span><br>`
    + `Held by <span style="color:${colors[b.controller] || "#555"};font-weight:700">${esc(names[b.controller] || b.controller || "nobody")}</span>`
    + ` · <b>${esc(b.status)}</b><br>Garrison: <b>${Number(b.garrison).toFixed(2)}</b><br>Value: ${vals || "—"}`
    + (b.host && b.host !== b.controller && b.consent !== undefined && Number(b.consent) < 1
      ? `<br>Host: ${esc(names[b.host] || b.host)} · consent <b>${Number(b.consent).toFixed(2)}</b>` : "")
    + (d.changed ? `<br><span style="color:#b91c1c;font-weight:700">Changed this turn: ${esc(d.changed)}</span>` : "");
}

/** Legend under the map: who controls what (actors present on the map) and the status signs. */
export function mapLegend(box, state, colors, names) {
  const present = new Set();
  for (const r of state.regions) for (const a of Object.keys(r.control || {})) present.add(a);
  for (const b of state.bases) if (b.controller) present.add(b.controller);
  const actors = state.actors.filter((a) => present.has(a.id));
  const statuses = new Set(state.bases.map((b) => b.status));
  box.replaceChildren(
    ...actors.map((a) => h("span", { class: "item" }, h("span", { class: "dot", style: { background: colors[a.id] } }), names[a.id])),
    h("span", { class: "item muted" }, "·"),
    ...Object.entries(STATUS).filter(([k]) => k === "active" || statuses.has(k))
      .map(([, s]) => h("span", { class: "item" }, h("span", { class: "sym" }, s.sign), s.text)),
    h("span", { class: "item muted" }, "ripple = changed since last turn · paler = shared control"));
}
