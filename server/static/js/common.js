// Shared helpers for every page: the JSON API client, actor colours, dates, small DOM helpers.

/** An error answered by the API: its status and the server's one-sentence message. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Call the JSON API; throws ApiError with the server's {"error": ...} message on a non-2xx answer.
 * `token`: a seat's token (X-Seat-Token); `owner`: the owner token of the game or experiment (X-Owner-Token). */
export async function api(path, { method = "GET", body, token, owner, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["X-Seat-Token"] = token;
  if (owner) headers["X-Owner-Token"] = owner;
  let res;
  try {
    res = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "The server cannot be reached — is `wargame serve` still running?");
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const msg = (data && data.error) || `${method} ${path} failed with status ${res.status}.`;
    throw new ApiError(res.status, msg, data);
  }
  return data;
}

/** Owner tokens of the games and experiments this browser made: the server shows each one once, and only its
 * holder steps, runs, autoplays or deletes the game (cancels or deletes the experiment). kind: "game" | "experiment". */
export const owners = {
  key: (kind, id) => `wargame.owner.${kind}.${id}`,
  get(kind, id) { try { return localStorage.getItem(owners.key(kind, id)); } catch { return null; } },
  set(kind, id, token) { try { if (token) localStorage.setItem(owners.key(kind, id), token); } catch { /* private mode */ } },
  forget(kind, id) { try { localStorage.removeItem(owners.key(kind, id)); } catch { /* private mode */ } },
};

/** Colours for actors when a scenario leaves them at the default grey or gives two actors the same colour. */
const PALETTE = ["#d62728", "#2ca02c", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
  "#bcbd22", "#393b79", "#637939", "#ad494a", "#7b4173", "#3182bd", "#e6550d", "#31a354"];
const DEFAULT_COLOR = "#888888";

/** Map actor id -> colour, the same on the map, the network, the charts, the log and the order panel. */
export function actorColors(actors) {
  const seen = new Set();
  const out = {};
  let k = 0;
  for (const a of actors) {
    let c = (a.color || "").toLowerCase();
    if (!c || c === DEFAULT_COLOR || seen.has(c)) {
      do { c = PALETTE[k++ % PALETTE.length]; } while (seen.has(c) && k < PALETTE.length * 2);
    }
    seen.add(c);
    out[a.id] = c;
  }
  return out;
}

/** A short display name: "Syria (transitional government)" -> "Syria", "SDF / AANES" stays. */
export function shortName(name) {
  const s = String(name || "").replace(/\s*\([^)]*\)\s*/g, " ").trim();
  return s || String(name || "");
}

/** Blend a hex colour towards white: t=1 the colour itself, t=0 white. */
export function tint(hex, t) {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
  const f = (x) => Math.round(255 + (x - 255) * Math.max(0, Math.min(1, t)));
  return `rgb(${f(r)}, ${f(g)}, ${f(b)})`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

/** "2026-03" -> "March 2026" (short: "Mar 2026"). */
export function fmtDate(ym, short = false) {
  const m = /^(\d{4})-(\d{2})/.exec(ym || "");
  if (!m) return ym || "";
  const name = MONTHS[Number(m[2]) - 1] || m[2];
  return short ? `${name.slice(0, 3)} ${m[1]}` : `${name} ${m[1]}`;
}

/** "2025-12" plus k months -> "2026-01" (month 0 is the scenario's start month). */
export function addMonths(ym, k) {
  const m = /^(\d{4})-(\d{2})/.exec(ym || "");
  if (!m) return ym || "";
  const n = Number(m[1]) * 12 + Number(m[2]) - 1 + k;
  return `${String(Math.floor(n / 12)).padStart(4, "0")}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** A chance as a player reads it: "certain", "72%", "<1%". */
export function fmtChance(p, certain) {
  if (certain) return "certain";
  const v = Math.round(Number(p) * 100);
  return v < 1 ? "<1%" : v > 99 ? ">99%" : `${v}%`;
}

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

/** Create an element: h("div", {class: "x", onclick: f}, child, "text"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Let a table fold into one block per row on a narrow screen (CSS `.ftable.cards`): each cell but the first is
 *  labelled with its column's header, which the folded layout shows in front of it. Returns the table. */
export function cards(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.classList.add("cards");
  for (const tr of table.querySelectorAll("tbody tr")) {
    [...tr.children].forEach((td, i) => {
      if (i > 0 && heads[i] && !td.classList.contains("ci-col")) td.dataset.label = heads[i];
    });
  }
  return table;
}

/** A coloured chip naming an actor. */
export function actorChip(id, name, color) {
  return h("span", { class: "chip", title: id, dataset: { actor: id } },
    h("span", { class: "dot", style: { background: color } }), name || id);
}

/** Show a short message in the corner; errors stay longer. */
export function toast(message, kind = "info", ms) {
  const box = document.getElementById("toast");
  if (!box) return;
  const n = h("div", { class: `notice ${kind === "error" ? "error" : kind === "ok" ? "ok" : ""}`, role: "status" }, message);
  box.replaceChildren(n);        // a new notice replaces the last: they never pile up
  setTimeout(() => n.remove(), ms ?? (kind === "error" ? 8000 : 2500));
}

/** Copy text to the clipboard (falls back to a selected hidden field when the Clipboard API is unavailable). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h("textarea", { style: { position: "fixed", left: "-9999px" } });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** Readable number with a sign: +0.06, -0.12. */
export function signed(x, digits = 2) {
  const v = Number(x) || 0;
  return (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(digits);
}

/** The whole number in a number box, checked in the page against the box's min and max before any request, so
 * that a blank box is not sent as 0 and a mistake is named as the box is labelled: returns {value} or {error}
 * ("Futures: give a whole number from 1 to 5,000."). */
export function wholeNumberIn(input) {
  const label = (document.querySelector(`label[for="${input.id}"]`)?.textContent || input.getAttribute("aria-label") || input.id).trim();
  const min = input.min !== "" ? Number(input.min) : null;
  const max = input.max !== "" ? Number(input.max) : null;
  const fmt = (v) => v.toLocaleString("en");
  const range = min !== null && max !== null ? ` from ${fmt(min)} to ${fmt(max)}`
    : min !== null ? ` of at least ${fmt(min)}` : max !== null ? ` up to ${fmt(max)}` : "";
  const raw = String(input.value).trim();   // a number box's value is "" when blank or not a number
  const v = Number(raw);
  if (raw === "" || !Number.isInteger(v) || (min !== null && v < min) || (max !== null && v > max)) {
    return { error: `${label}: give a whole number${range}${raw === "" ? " (the box is empty)" : `, not ${raw}`}.` };
  }
  return { value: v };
}
