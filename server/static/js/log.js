// "What happened": the month at a glance, then the month's log. The digest compares the month on display with the
// one before (history rows): bases that changed hands or status, governorates whose leading controller changed
// (with the shares), actors that changed blocs, issue thresholds crossed and large moves of an issue's forecast.
// In the log the seat's own orders (and their results) are marked, routine lines (relation-only orders between
// others) are grouped by kind and folded, and the lines can be filtered by actor and by kind.
import { actorChip, h, signed } from "./common.js";

export const BIG_FORECAST_MOVE = 5;   // points on an issue's scale: a move of the forecast this large is in the digest
export const BIG_SHARE_MOVE = 0.05;   // a governorate's leading share moving this much is in the digest
// order kinds whose only effect is a relation change (or a small economic one): routine when between others
const ROUTINE = new Set(["engage", "recognise", "aid", "invest", "lift_sanctions", "concede", "patrol", "support_proxy", "deploy", "withdraw"]);
export const KIND_FILTERS = {
  "": "All kinds",
  mine: "My orders",
  key: "Key events (bases, blocs, thresholds, world events)",
  diplomacy: "Diplomacy", economy: "Economy", military: "Military",
};
const KEY_KINDS = new Set(["base_change", "alliance_shift", "issue", "event"]);

const pct = (x) => `${Math.round(Number(x) * 100)}%`;

/** The digest of a month: a list of {kind, text, actors} facts, most important first. */
export function digest(state, prevRow, names, issuesMeta = []) {
  if (!prevRow || state.turn === 0) return [];
  const n = (a) => names[a] || a || "nobody";
  const facts = [];
  for (const b of state.bases) {
    const c0 = prevRow[`base.${b.id}.controller`], s0 = prevRow[`base.${b.id}.status`];
    if (c0 !== undefined && c0 !== b.controller) {
      facts.push({ kind: "base", actors: [c0, b.controller].filter((x) => x && x !== "none"),
        text: `${b.name}: ${n(c0 === "none" ? null : c0)} → ${n(b.controller === "none" ? null : b.controller)}` });
    } else if (s0 !== undefined && s0 !== b.status) {
      facts.push({ kind: "base", actors: [b.controller].filter(Boolean), text: `${b.name} (${n(b.controller)}): ${s0} → ${b.status}` });
    }
  }
  const ids = state.actors.map((a) => a.id);
  for (const r of state.regions) {
    const before = ids.map((a) => [a, Number(prevRow[`region.${r.id}.${a}`]) || 0]).sort((x, y) => y[1] - x[1]);
    const now = Object.entries(r.control || {}).sort((x, y) => y[1] - x[1]);
    if (!before.length || !now.length) continue;
    const [lead0, share0] = before[0], [lead1, share1] = now[0];
    if (lead0 !== lead1) {
      const prevOfNew = Number(prevRow[`region.${r.id}.${lead1}`]) || 0;
      facts.push({ kind: "control", actors: [lead0, lead1],
        text: `${r.name} changed hands: ${n(lead0)} ${pct(share0)} → ${n(lead1)} ${pct(share1)} (was ${pct(prevOfNew)})` });
    } else if (Math.abs(share1 - share0) >= BIG_SHARE_MOVE) {
      facts.push({ kind: "control", actors: [lead1], text: `${r.name}: ${n(lead1)} ${pct(share0)} → ${pct(share1)}` });
    }
  }
  for (const a of state.actors) {
    const b0 = prevRow[`bloc.${a.id}`];
    if (b0 !== undefined && Number(b0) !== Number(a.bloc)) {
      const mates = state.actors.filter((x) => x.id !== a.id && x.bloc === a.bloc).map((x) => n(x.id));
      facts.push({ kind: "bloc", actors: [a.id], text: `${n(a.id)} changed sides${mates.length ? `, now with ${mates.slice(0, 4).join(", ")}${mates.length > 4 ? "…" : ""}` : ""}` });
    }
  }
  for (const e of state.events || []) {
    if (e.kind === "issue") facts.push({ kind: "threshold", actors: e.actors || [], text: e.sentence });
  }
  const meta = Object.fromEntries(issuesMeta.map((i) => [i.id, i]));
  for (const iss of state.issues || []) {
    const f0 = Number(prevRow[`issue.${iss.id}.forecast`]), f1 = Number(iss.forecast);
    if (!Number.isFinite(f0) || !Number.isFinite(f1)) continue;
    const span = iss.scale ? iss.scale[1] - iss.scale[0] : 100;
    if (Math.abs(f1 - f0) >= (BIG_FORECAST_MOVE * span) / 100) {
      const th = ((meta[iss.id] || {}).thresholds || []).map((t) => ({ ...t, gap: t.when === "below" ? f1 - t.value : t.value - f1 }))
        .filter((t) => t.gap > 0).sort((x, y) => x.gap - y.gap)[0];
      facts.push({ kind: "talks", actors: [], text: `${iss.name}: forecast ${f0.toFixed(0)} → ${f1.toFixed(0)} (${signed(f1 - f0, 0)})`
        + (th ? `; ${th.gap.toFixed(0)} from “${th.name.replace(/_/g, " ")}”` : "") });
    }
  }
  return facts;
}

const DIGEST_LABEL = { base: "Base", control: "Territory", bloc: "Blocs", threshold: "Threshold", talks: "Talks" };

/** Is this event one of the seat's own orders (or its result)? */
export function isMine(e, seat) {
  return !!seat && (e.actors || [])[0] === seat && !["event", "issue", "alliance_shift"].includes(e.kind);
}

function matches(e, who, kind, seat) {
  if (who && !(e.actors || []).includes(who)) return false;
  if (!kind) return true;
  if (kind === "mine") return isMine(e, seat);
  if (kind === "key") return KEY_KINDS.has(e.kind);
  return e.phase === kind;
}

function line(e, { names, colors, seat }) {
  const nums = Object.entries(e.numbers || {}).map(([k, x]) => `${k} = ${x}`).join(", ");
  const mine = isMine(e, seat);
  return h("li", { class: `kind-${e.kind}${mine ? " mine" : ""}`, dataset: { kind: e.kind, actors: (e.actors || []).join(" ") }, title: nums || null },
    h("div", { class: "meta" }, mine ? h("span", { class: "you-badge" }, "your order") : null,
      h("span", { class: "phase" }, e.phase || e.kind),
      ...(e.actors || []).map((a) => actorChip(a, names[a] || a, colors[a] || "#999"))),
    h("div", { class: "sentence" }, e.sentence),
    // what an event or a threshold did to the world, in words (the tooltip holds every number; a touch screen has none)
    (e.kind === "event" || e.kind === "issue") && e.numbers && e.numbers.effects
      ? h("div", { class: "effects" }, e.numbers.effects) : null);
}

/** Render the digest box and the log list of the month on display. */
export function renderLog({ digestBox, list, state, prevRow, names, colors, seat, who, kind, issuesMeta, open }) {
  if (state.turn === 0) {
    digestBox.replaceChildren();
    digestBox.hidden = true;
    list.replaceChildren(h("li", { class: "empty" }, "The game starts here — no month has been played yet."));
    return;
  }
  const facts = digest(state, prevRow, names, issuesMeta);
  digestBox.hidden = false;
  digestBox.replaceChildren(h("h3", {}, "This month at a glance"),
    facts.length
      ? h("ul", { id: "digest-list" }, ...facts.map((f) => h("li", { class: `digest-${f.kind}`, dataset: { kind: f.kind } },
        h("span", { class: "tag" }, DIGEST_LABEL[f.kind] || f.kind), " ", f.text)))
      : h("p", { class: "muted small" }, "No base, territory, bloc or threshold changed; no issue's forecast moved much."));
  const events = (state.events || []).filter((e) => matches(e, who, kind, seat));
  if (!events.length) {
    list.replaceChildren(h("li", { class: "empty" }, who || kind ? "Nothing of that kind this month." : "A quiet month."));
    return;
  }
  const ctx = { names, colors, seat };
  const shown = [], routine = new Map();
  for (const e of events) {
    if (!isMine(e, seat) && ROUTINE.has(e.kind) && !kind) {
      if (!routine.has(e.kind)) routine.set(e.kind, []);
      routine.get(e.kind).push(e);
    } else shown.push(e);
  }
  // the seat's own lines first, then key events, then the rest in the order they happened
  const rank = (e) => (isMine(e, seat) ? 0 : KEY_KINDS.has(e.kind) ? 1 : 2);
  shown.sort((a, b) => rank(a) - rank(b));
  const groups = [...routine.entries()].map(([k, list2]) => {
    const el = h("details", { class: "routine", dataset: { kind: k } },
      h("summary", {}, `${list2.length} routine ${k.replace(/_/g, " ")} order${list2.length > 1 ? "s" : ""} of others`,
        h("span", { class: "muted small" }, ` — ${[...new Set(list2.map((e) => names[(e.actors || [])[0]] || (e.actors || [])[0]))].slice(0, 5).join(", ")}${list2.length > 5 ? "…" : ""}`)),
      h("ol", { class: "log inner" }, ...list2.map((e) => line(e, ctx))));
    if (open && open.has(k)) el.open = true;
    el.addEventListener("toggle", () => { if (open) { if (el.open) open.add(k); else open.delete(k); } });
    return h("li", { class: "group" }, el);
  });
  list.replaceChildren(...shown.map((e) => line(e, ctx)), ...groups);
}
