// The order panel of a human seat: feasible orders grouped by kind with cost and expected gain, the action points
// left as orders are picked, and "End turn" (POST /api/games/<id>/orders with the seat's token).
import { api, ApiError, h, signed, toast } from "./common.js";

const KIND_PHASE = {
  hold: "diplomacy", engage: "diplomacy", demand: "diplomacy", concede: "diplomacy", mediate: "diplomacy", recognise: "diplomacy",
  aid: "economy", invest: "economy", sanction: "economy", lift_sanctions: "economy",
  deploy: "military", withdraw: "military", strike: "military", support_proxy: "military", patrol: "military", seize: "military",
  attack: "military", consolidate: "military",
};
const KIND_TEXT = {
  hold: "Hold — wait and see",
  engage: "Engage — visits and summits",
  demand: "Demand — press a demand on an issue",
  concede: "Concede — move your own position",
  mediate: "Mediate between two actors",
  recognise: "Recognise — formal recognition, delisting",
  aid: "Aid", invest: "Invest", sanction: "Sanction", lift_sanctions: "Lift sanctions",
  deploy: "Deploy — reinforce a base or region", withdraw: "Withdraw", strike: "Strike",
  support_proxy: "Support a proxy", patrol: "Joint patrols and training", seize: "Seize a base",
  attack: "Attack — an offensive for ground", consolidate: "Consolidate — leave a base, its troops to another",
};
const PHASES = ["diplomacy", "economy", "military"];

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

export class OrdersPanel {
  /** opts: {gameId, card, colors, names, onResolved(state), onAuthError(message), onSubmitted(resp)} */
  constructor(opts) {
    Object.assign(this, opts);
    this.data = null;
    this.picked = []; // indices into data.feasible
    this.turn = null;
    this.busy = false;
    this.$ = (id) => document.getElementById(id);
    this.$("end-turn").addEventListener("click", () => this.submit());
  }

  get spent() { return this.picked.reduce((s, i) => s + Number(this.data.feasible[i].cost || 0), 0); }
  get left() { return (this.data ? this.data.action_points : 0) - (this.data ? this.spent : 0); }

  /** Load the seat's feasible orders for the live turn (again only when the turn changed or forced). */
  async load(seat, token, state, force = false) {
    this.seat = seat;
    this.token = token;
    if (!force && this.turn === state.turn && this.data) { this.render(state); return; }
    this.turn = state.turn;
    this.picked = [];
    this.data = null;
    if (state.done) { this.render(state); return; }
    try {
      this.data = await api(`/api/games/${encodeURIComponent(this.gameId)}/seats/${encodeURIComponent(seat)}/orders`, { token });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) { this.onAuthError(e.message); return; }
      toast(e.message, "error");
    }
    this.render(state);
  }

  render(state) {
    const d = this.data;
    const done = this.$("orders-done");
    const groups = this.$("feasible");
    const endBtn = this.$("end-turn");
    this.$("orders-turn").textContent = state.done ? "" : `for turn ${state.turn + 1}`;
    if (state.done) {
      groups.replaceChildren();
      this.$("picked").hidden = true;
      endBtn.disabled = true;
      done.hidden = false;
      done.textContent = "The game is over. Look back with the turn slider, or export the game.";
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
      done.textContent = `Your orders for turn ${state.turn + 1} are in. ` +
        (others.length ? `Waiting for ${others.join(", ")} — the month resolves when every seat has moved.` : "Resolving the month…");
      this.renderAp(d.action_points, 0);
      return;
    }
    done.hidden = true;
    endBtn.hidden = false;
    endBtn.disabled = this.busy;
    this.$("picked").hidden = false;
    this.renderAp(d.action_points, this.left);
    this.renderPicked();

    const byKind = new Map();
    d.feasible.forEach((f, i) => {
      const k = f.order.kind;
      if (!byKind.has(k)) byKind.set(k, []);
      byKind.get(k).push(i);
    });
    const kinds = [...byKind.keys()].sort((a, b) => PHASES.indexOf(KIND_PHASE[a]) - PHASES.indexOf(KIND_PHASE[b]) || Object.keys(KIND_PHASE).indexOf(a) - Object.keys(KIND_PHASE).indexOf(b));
    groups.replaceChildren(...kinds.map((k) => {
      const idx = byKind.get(k).sort((a, b) => d.feasible[b].gain - d.feasible[a].gain);
      return h("div", { class: "order-group", dataset: { kind: k } },
        h("h3", {}, KIND_TEXT[k] || k, h("span", { class: "phase" }, `· ${KIND_PHASE[k] || ""}`)),
        ...idx.map((i) => this.orderButton(i)));
    }));
  }

  orderButton(i) {
    const f = this.data.feasible[i];
    const sel = this.picked.includes(i);
    const g = Number(f.gain) || 0;
    const cls = g > 0.0005 ? "pos" : g < -0.0005 ? "neg" : "zero";
    const targets = [f.order.target, f.order.other].filter(Boolean);
    return h("button", {
      type: "button", class: `order${sel ? " selected" : ""}`, "aria-pressed": sel ? "true" : "false",
      disabled: !sel && Number(f.cost) > this.left, dataset: { index: i, kind: f.order.kind },
      title: `${f.label || fallbackLabel(f.order, this.names)} — costs ${f.cost} action point${f.cost === 1 ? "" : "s"}; expected change in your utility ${signed(g, 3)}`,
      onclick: () => this.toggle(i),
    },
    h("span", { class: "label" },
      ...targets.map((t) => h("span", { class: "dot", style: { background: this.colors[t] || "#999", marginRight: ".35rem", verticalAlign: "-1px" } })),
      f.label || fallbackLabel(f.order, this.names)),
    h("span", { class: "cost" }, `${f.cost} AP`),
    h("span", { class: `gain ${cls}` }, signed(g, 3)));
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

  async submit() {
    if (!this.data || this.busy) return;
    this.busy = true;
    this.$("end-turn").disabled = true;
    const orders = this.picked.map((i) => this.data.feasible[i].order);
    try {
      const resp = await api(`/api/games/${encodeURIComponent(this.gameId)}/orders`, {
        method: "POST", token: this.token, body: { actor: this.seat, orders },
      });
      this.data = { ...this.data, submitted: true };
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
}
