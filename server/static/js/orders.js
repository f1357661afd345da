// The order panel of a human seat: feasible orders grouped by kind, each with its cost, its chance of success (the
// contest adjudication draws against), what it does on success and on failure, and on request why the computer
// would rate it so (its largest goal terms). The AI's gain hint is a switch (off by default, kept in this
// browser). "End turn" asks first when nothing is picked; given orders can be withdrawn until the month resolves.
import { addMonths, api, ApiError, fmtChance, fmtDate, h, signed, toast } from "./common.js";

const KIND_PHASE = {
  hold: "diplomacy", engage: "diplomacy", demand: "diplomacy", concede: "diplomacy", mediate: "diplomacy", recognise: "diplomacy",
  aid: "economy", invest: "economy", sanction: "economy", lift_sanctions: "economy",
  deploy: "military", withdraw: "military", strike: "military", support_proxy: "military", patrol: "military", seize: "military",
  attack: "military", consolidate: "military",
};
export const KIND_TEXT = {
  hold: "Hold — wait and see",
  engage: "Engage — visits and summits",
  demand: "Demand — press a demand on an issue",
  concede: "Concede — move your own position",
  mediate: "Mediate between two actors",
  recognise: "Recognise — formal recognition, delisting",
  aid: "Aid — money to a poorer partner", invest: "Invest — larger, slower money", sanction: "Sanction",
  lift_sanctions: "Lift sanctions",
  deploy: "Deploy — reinforce a base", withdraw: "Withdraw — draw a garrison down", strike: "Strike",
  support_proxy: "Support a proxy", patrol: "Joint patrols and training", seize: "Seize a base",
  attack: "Attack — an offensive for ground", consolidate: "Consolidate — leave a base, its troops to another",
};
const PHASES = ["diplomacy", "economy", "military"];
const HINT_KEY = "wargame.gainHint";

/** A readable label when the server sends none: "engage United States", "demand USA on basing". */
function fallbackLabel(o, names) {
  const n = (x) => names[x] || x;
  const parts = [o.kind.replace("_", " ")];
  if (o.target) parts.push(n(o.target));
  if (o.other) parts.push(`and ${n(o.other)}`);
  if (o.base) parts.push(`at ${o.base}`);
  if (o.region) parts.push(`in ${o.region}`);
  if (o.issue) parts.push(`on ${o.issue}`);
  if (o.into) parts.push(`into ${o.into}`);
  return parts.join(" ");
}

/** The chance of failure, so that it and the shown chance of success add up to 100%. */
function failChance(p) {
  const v = 100 - Math.round(Number(p) * 100);
  return v < 1 ? "<1%" : v > 99 ? ">99%" : `${v}%`;
}

const sameOrder = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/** The same order whatever the order of its keys and however it writes an unset field (null or left out). */
const orderKey = (o) => JSON.stringify(Object.keys(o || {}).filter((k) => o[k] !== null && o[k] !== undefined).sort().map((k) => [k, o[k]]));

function chanceClass(f) {
  if (f.certain) return "sure";
  return f.p >= 0.66 ? "good" : f.p >= 0.33 ? "fair" : "poor";
}

export class OrdersPanel {
  /** opts: {gameId, card, colors, names, state(), onAuthError(message), onSubmitted(resp), onWithdrawn(resp)} */
  constructor(opts) {
    Object.assign(this, opts);
    this.data = null;
    this.picked = []; // indices into data.feasible
    this.open = new Set(); // indices whose details are shown
    this.why = new Set(); // indices whose "why" is shown
    this.turn = null;
    this.busy = false;
    this.confirming = false;
    this.$ = (id) => document.getElementById(id);
    let hint = false;
    try { hint = localStorage.getItem(HINT_KEY) === "1"; } catch { hint = false; }
    this.hint = hint;
    this.$("gain-switch").checked = hint;
    this.$("gain-switch").addEventListener("change", (e) => {
      this.hint = e.target.checked;
      try { localStorage.setItem(HINT_KEY, this.hint ? "1" : "0"); } catch { /* private mode */ }
      this.render(this.state());
    });
    this.$("end-turn").addEventListener("click", () => this.endTurn());
    this.$("confirm-hold-yes").addEventListener("click", () => { this.confirming = false; this.submit(); });
    this.$("confirm-hold-no").addEventListener("click", () => { this.confirming = false; this.render(this.state()); });
    this.$("withdraw").addEventListener("click", () => this.withdraw());
  }

  get spent() { return this.picked.reduce((s, i) => s + Number(this.data.feasible[i].cost || 0), 0); }
  get left() { return (this.data ? this.data.action_points : 0) - (this.data ? this.spent : 0); }
  get url() { return `/api/games/${encodeURIComponent(this.gameId)}/seats/${encodeURIComponent(this.seat)}/orders`; }

  /** Load the seat's feasible orders for the live turn (again only when the turn changed or forced). */
  async load(seat, token, state, force = false) {
    this.seat = seat;
    this.token = token;
    if (!force && this.turn === state.turn && this.data) { this.render(state); return; }
    const keep = this.turn === state.turn && this.data ? this.picked.map((i) => this.data.feasible[i].order) : [];
    this.turn = state.turn;
    this.picked = [];
    this.open.clear();
    this.why.clear();
    this.confirming = false;
    this.data = null;
    if (state.done) { this.render(state); return; }
    try {
      this.data = await api(this.url, { token });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) { this.onAuthError(e.message); return; }
      toast(e.message, "error");
    }
    if (this.data) {
      // orders picked before (or withdrawn just now) stay picked
      const again = keep.length ? keep : (this.data.submitted ? [] : this.restored || []);
      this.restored = null;
      this.picked = again.map((o) => this.data.feasible.findIndex((f) => sameOrder(f.order, o))).filter((i) => i >= 0);
    }
    this.render(state);
  }

  /** The month the coming turn plays (month 0 is the start; orders given at turn t resolve into month t + 1). */
  monthFor(state) { return this.month ? this.month(state.turn + 1) : fmtDate(addMonths(state.date, 1)); }

  render(state) {
    const d = this.data;
    const done = this.$("orders-done");
    const groups = this.$("feasible");
    const endBtn = this.$("end-turn");
    const month = this.monthFor(state);
    this.$("orders-turn").textContent = state.done ? "" : `for ${month}`;
    this.$("confirm-hold").hidden = !this.confirming;
    this.$("withdraw").hidden = true;
    if (state.done) {
      groups.replaceChildren();
      this.$("picked").hidden = true;
      endBtn.disabled = true;
      endBtn.hidden = true;
      done.hidden = false;
      done.replaceChildren("The game is over — see the results above. Look back with the month slider, or export the game.");
      this.$("orders-hint").textContent = "";
      this.renderAp(0, 0);
      return;
    }
    if (!d) { groups.replaceChildren(h("p", { class: "muted" }, "Loading orders…")); endBtn.disabled = true; return; }
    const waiting = state.waiting_for || [];
    if (d.submitted || !waiting.includes(this.seat)) {
      groups.replaceChildren();
      this.$("picked").hidden = true;
      endBtn.disabled = true;
      endBtn.hidden = true;
      done.hidden = false;
      const others = waiting.filter((a) => a !== this.seat).map((a) => this.names[a] || a);
      const given = (d.submitted_orders || []).map((o) => o.label || fallbackLabel(o.order, this.names));
      done.replaceChildren(
        h("div", {}, h("b", {}, `Your orders for ${month} are in: `), given.length ? given.join(" · ") : "hold (no orders)."),
        h("div", { class: "small" }, others.length
          ? `Waiting for ${others.join(", ")} — the month resolves when every seat has moved. Until then you may withdraw your orders and give others.`
          : "Resolving the month…"));
      this.$("withdraw").hidden = !others.length;
      this.$("withdraw").disabled = this.busy;
      this.$("orders-hint").textContent = "";       // the picking hint is for picking: the orders are in
      this.renderAp(d.action_points, Math.max(0, d.action_points - this.givenCost(d)));
      return;
    }
    done.hidden = true;
    endBtn.hidden = this.confirming;
    endBtn.disabled = this.busy;
    endBtn.textContent = this.picked.length ? `End turn (${this.picked.length} order${this.picked.length > 1 ? "s" : ""})` : "End turn";
    this.$("picked").hidden = false;
    this.$("orders-hint").textContent = this.hint
      ? "Gain = the computer's rating: the expected change in your utility if you give the order."
      : "Chance = how likely the order succeeds now. Open ▸ for what it does; turn on the AI hint for the computer's rating.";
    this.renderAp(d.action_points, this.left);
    this.renderPicked();

    const byKind = new Map();
    d.feasible.forEach((f, i) => {
      const k = f.order.kind;
      if (!byKind.has(k)) byKind.set(k, []);
      byKind.get(k).push(i);
    });
    const kinds = [...byKind.keys()].sort((a, b) => PHASES.indexOf(KIND_PHASE[a]) - PHASES.indexOf(KIND_PHASE[b]) || Object.keys(KIND_PHASE).indexOf(a) - Object.keys(KIND_PHASE).indexOf(b));
    const label = (i) => d.feasible[i].label || fallbackLabel(d.feasible[i].order, this.names);
    groups.replaceChildren(...kinds.map((k) => {
      const idx = byKind.get(k).sort(this.hint ? (a, b) => d.feasible[b].gain - d.feasible[a].gain : (a, b) => label(a).localeCompare(label(b)));
      return h("div", { class: "order-group", dataset: { kind: k } },
        h("h3", {}, KIND_TEXT[k] || k, h("span", { class: "phase" }, `· ${KIND_PHASE[k] || ""}`)),
        ...idx.map((i) => this.orderRow(i)));
    }));
    groups.classList.toggle("with-gain", this.hint);
  }

  orderRow(i) {
    const f = this.data.feasible[i];
    const sel = this.picked.includes(i);
    const g = Number(f.gain) || 0;
    const cls = g > 0.0005 ? "pos" : g < -0.0005 ? "neg" : "zero";
    const targets = [f.order.target, f.order.other].filter(Boolean);
    const label = f.label || fallbackLabel(f.order, this.names);
    const chance = fmtChance(f.p, f.certain);
    const open = this.open.has(i);
    const pick = h("button", {
      type: "button", class: `order${sel ? " selected" : ""}`, "aria-pressed": sel ? "true" : "false",
      disabled: !sel && Number(f.cost) > this.left, dataset: { index: i, kind: f.order.kind },
      title: `${label} — costs ${f.cost} action point${f.cost === 1 ? "" : "s"}; chance of success ${chance}`,
      onclick: () => this.toggle(i),
    },
    h("span", { class: "label" },
      ...targets.map((t) => h("span", { class: "dot", style: { background: this.colors[t] || "#999", marginRight: ".35rem", verticalAlign: "-1px" } })),
      label),
    h("span", { class: "cost" }, `${f.cost} AP`),
    h("span", { class: `chance ${chanceClass(f)}`, title: "Chance of success now" }, chance),
    this.hint ? h("span", { class: `gain ${cls}`, title: "The computer's rating: expected change in your utility" }, signed(g, 3)) : null);
    const more = h("button", { type: "button", class: "order-more", "aria-expanded": open ? "true" : "false",
      "aria-label": `What ${label} does`, title: "What it does, and why", onclick: () => { this.flip(this.open, i); } }, open ? "▾" : "▸");
    const row = h("div", { class: `order-row${sel ? " selected" : ""}`, dataset: { index: i } }, pick, more);
    if (!open) return row;
    const lines = [];
    if (f.always) lines.push(h("li", {}, h("b", {}, "Whatever happens: "), f.always));
    lines.push(h("li", { class: "ok" }, h("b", {}, f.certain ? "Effect: " : `If it succeeds (${chance}): `), f.success || "—"));
    if (!f.certain) lines.push(h("li", { class: "bad" }, h("b", {}, `If it fails (${failChance(f.p)}): `), f.failure || "—"));
    const whyOpen = this.why.has(i);
    const detail = h("div", { class: "order-detail" },
      h("ul", { class: "outcomes" }, ...lines),
      h("button", { type: "button", class: "small why-btn", "aria-expanded": whyOpen ? "true" : "false", onclick: () => this.flip(this.why, i) },
        whyOpen ? "Hide why" : "Why would the computer rate it so?"),
      whyOpen ? h("div", { class: "why" },
        h("div", { class: "small muted" }, `Its rating ${signed(g, 3)} is the expected change of your utility; the goals it moves most:`),
        h("ul", {}, ...(f.why || []).map((t) => h("li", {}, h("span", { class: `gain ${t.delta > 0 ? "pos" : "neg"}` }, signed(t.delta, 3)), " ", t.label))),
        (f.why || []).length ? null : h("div", { class: "small muted" }, "It moves none of your goals.")) : null);
    return h("div", { class: "order-wrap" }, row, detail);
  }

  flip(set, i) {
    if (set.has(i)) set.delete(i); else set.add(i);
    this.render(this.state());
  }

  /** The action points the given orders cost: each order's cost on the menu (the server's list of the given
   * orders names the orders, not their cost). */
  givenCost(d) {
    return (d.submitted_orders || []).reduce((s, o) => {
      const f = (d.feasible || []).find((x) => orderKey(x.order) === orderKey(o.order));
      return s + Number((f && f.cost) ?? o.cost ?? 0);
    }, 0);
  }

  renderAp(total, left) {
    this.$("ap-left").textContent = String(left);
    this.$("ap-total").textContent = String(total);
    this.$("ap-pips").replaceChildren(...Array.from({ length: Math.max(0, total) }, (_, i) => h("span", { class: `pip${i < left ? "" : " used"}` })));
  }

  renderPicked() {
    const box = this.$("picked");
    if (!this.picked.length) {
      box.replaceChildren(h("span", { class: "muted small" }, "Click orders below to pick them. Nothing picked = hold this month."));
      return;
    }
    box.replaceChildren(h("span", { class: "small", style: { fontWeight: 700 } }, "This month:"), ...this.picked.map((i) => {
      const f = this.data.feasible[i];
      return h("span", { class: "chip", dataset: { index: i } }, f.label || fallbackLabel(f.order, this.names),
        h("button", { type: "button", title: "Remove", "aria-label": "Remove order", onclick: () => this.toggle(i) }, "×"));
    }));
  }

  toggle(i) {
    const at = this.picked.indexOf(i);
    if (at >= 0) this.picked.splice(at, 1);
    else if (Number(this.data.feasible[i].cost) <= this.left) this.picked.push(i);
    this.render(this.state());
  }

  /** "End turn": with nothing picked, ask first (holding a month is rarely meant). */
  endTurn() {
    if (!this.data || this.busy) return;
    if (!this.picked.length) { this.confirming = true; this.render(this.state()); this.$("confirm-hold-yes").focus(); return; }
    this.submit();
  }

  async submit() {
    if (!this.data || this.busy) return;
    this.busy = true;
    this.$("end-turn").disabled = true;
    const orders = this.picked.map((i) => this.data.feasible[i].order);
    this.lastGiven = orders;
    try {
      const resp = await api(`/api/games/${encodeURIComponent(this.gameId)}/orders`, {
        method: "POST", token: this.token, body: { actor: this.seat, orders, turn: this.turn },
      });
      const labels = this.picked.map((i) => ({ order: this.data.feasible[i].order, label: this.data.feasible[i].label }));
      this.data = { ...this.data, submitted: true, submitted_orders: labels };
      if (!resp.resolved) toast("Orders given. Waiting for the other seats.", "ok");
      this.onSubmitted(resp);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) this.onAuthError(e.message);
      else if (e instanceof ApiError && e.status === 409) { toast(e.message, "error"); this.onSubmitted({ resolved: false, waiting_for: null }); }
      else toast(e.message, "error");
    } finally {
      this.busy = false;
      this.render(this.state());
    }
  }

  /** Take the given orders back (the month has not resolved): they are picked again, to change and re-send. */
  async withdraw() {
    if (!this.data || this.busy) return;
    this.busy = true;
    this.$("withdraw").disabled = true;
    const given = (this.data.submitted_orders || []).map((o) => o.order);
    try {
      const resp = await api(`${this.url}?turn=${this.turn}`, { method: "DELETE", token: this.token });
      this.restored = given;
      this.busy = false;
      toast("Orders withdrawn — change them and end the turn again.", "ok");
      this.onWithdrawn(resp);
      await this.load(this.seat, this.token, this.state(), true);
    } catch (e) {
      this.busy = false;
      if (e instanceof ApiError && e.status === 403) this.onAuthError(e.message);
      else { toast(e.message, "error"); this.onSubmitted({ resolved: false, waiting_for: null }); }
      this.render(this.state());
    }
  }
}
