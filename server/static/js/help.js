// Help on the game page: a "?" on each panel (a short explanation in a dialog, with a link to the full help page),
// a first-game walkthrough that points at each panel in turn (shown once to a new player, again from the Tour
// button), and the keyboard shortcuts.
import { h } from "./common.js";

export const PANEL_HELP = {
  mapcard: ["Territory and bases", "Each governorate is shaded by its leading controller; paler means control is shared. Bases are drawn in their holder's colour, their shape is their status (● active, ▲ drawdown, ◆ contested, ○ evacuated, ✕ destroyed). A dashed dark outline marks what changed hands in the month on display. Hover for the shares, the garrison and what each base is worth to whom.", "screen"],
  netcard: ["Alliance network", "Circles are actors, sized by capability, grouped in their bloc's dashed box, each bloc in its own colour (landscape theory: each actor sits with those it gets on with); actors outside every bloc stand apart in a grey dotted box. Green lines are friendly relations, red hostile, thicker is stronger. By default only each actor's two strongest ties (at least ±0.3) are drawn; the menu shows every tie above a threshold. A gold ring: that actor changed sides this month.", "screen"],
  orderscard: ["Your orders", "You have a few action points (AP) a month. Each order shows its cost and its chance of success now — certain for orders nobody can oppose. Open ▸ for what happens on success and on failure, and why the computer would rate it so. The AI hint switch shows that rating (the expected change of your utility). End turn sends your orders; until every seat has moved you may withdraw them.", "orders"],
  objcard: ["Objectives and score", "Your actor's goals, most important first: ✓ met now, the bar shows how close. The score is the utility gained since the start in percent of your total goal weight; the standings rank every actor by it in the month on display.", "score"],
  logcard: ["What happened", "The month at a glance first: bases and governorates that changed hands (with the shares), actors that changed sides, issue thresholds crossed, big moves in the talks. Then your own orders (marked), the key events, and the routine orders of others folded by kind. Filter by actor or by kind.", "screen"],
  indcard: ["Key indicators", "The headline measures, month by month: indices on the left (0 to 1; Syria's alignment −2 to +2), counts on the right. Hover a legend entry for its definition; the glossary under the charts defines them all.", "indicators"],
  relcard: ["Relation between two actors", "Pick any two actors to follow their relation from −1 (hostile) to +1 (close).", "screen"],
  issuecard: ["Issue forecasts", "Each issue's expected outcome from the bargaining model, on its own scale. Dashed lines are thresholds: when the forecast crosses one, its consequence happens (hover the line to read it).", "screen"],
};

const TOUR = [
  [".gamehead", "Welcome", "This is your game. The month on display and how many are left are on the right, with the actor you play."],
  ["#mapcard", "The map", "Who controls each governorate and who holds each base. Outlines mark what changed hands this month."],
  ["#netcard", "The network", "Who is friends with whom, and the blocs. Watch for actors drifting towards the other side."],
  ["#objcard", "Your objectives", "Your goals and your score. ✓ means met now; raise your score by meeting more of them, the heavy ones first."],
  ["#orderscard", "Your orders", "Pick orders within your action points. Each shows its chance; open ▸ to see what it does and why. Then End turn."],
  ["#logcard", "What happened", "After each month: the month at a glance, then the details. Your own orders are marked."],
  ["#indcard", "The big picture", "The headline indicators over time. Hover a legend entry for what it means. Press ? any time for help."],
];
const TOUR_KEY = "wargame.tourDone";

/** The "?" buttons on each panel and the dialog they open. */
export function installPanelHelp() {
  const dialog = document.getElementById("help-dialog");
  for (const [id, [title, text, anchor]] of Object.entries(PANEL_HELP)) {
    const card = document.getElementById(id);
    const head = card && card.querySelector("h2");
    if (!head) continue;
    head.append(h("button", { type: "button", class: "help-q", "aria-label": `Help: ${title}`, title: `What is this? (${title})`,
      dataset: { help: id }, onclick: () => openHelp(dialog, title, text, anchor) }, "?"));
  }
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
}

export function openHelp(dialog, title, text, anchor) {
  dialog.querySelector("#help-title").textContent = title;
  dialog.querySelector("#help-text").replaceChildren(...(Array.isArray(text) ? text : [text]).map((t) => (t instanceof Node ? t : h("p", {}, t))));
  dialog.querySelector("#help-more").href = `/help#${anchor || "first-game"}`;
  if (!dialog.open) dialog.showModal();
}

/** The keyboard shortcuts, for the dialog opened with "?". */
export function shortcutsHelp() {
  const rows = [["← →", "a month back / forward"], ["Home  End", "the start / now"], ["Space", "play / pause (computer-played games)"],
    ["N", "step one month (computer-played games)"], ["?", "this help"]];
  return [h("table", { class: "list keys" }, h("tbody", {}, ...rows.map(([k, t]) => h("tr", {}, h("td", {}, ...k.split(/\s+/).map((x) => h("kbd", {}, x))), h("td", {}, t))))),
    h("p", { class: "small muted" }, "Each panel has its own ?, and Tour walks through the screen.")];
}

/** The first-game walkthrough: a card that points at each panel in turn. */
export class Tour {
  constructor() {
    this.box = document.getElementById("tour");
    this.i = 0;
    this.box.querySelector("[data-next]").addEventListener("click", () => this.go(this.i + 1));
    this.box.querySelector("[data-back]").addEventListener("click", () => this.go(this.i - 1));
    this.box.querySelector("[data-close]").addEventListener("click", () => this.stop());
  }

  steps() { return TOUR.filter(([sel]) => { const el = document.querySelector(sel); return el && !el.hidden && el.offsetParent !== null; }); }

  /** Show the tour once to a player new to this browser. */
  maybeStart() {
    let done = false;
    try { done = localStorage.getItem(TOUR_KEY) === "1"; } catch { done = true; }
    if (!done) this.start();
  }

  start() { this.i = 0; this.box.hidden = false; this.go(0); }

  go(i) {
    const steps = this.steps();
    if (i >= steps.length) { this.stop(); return; }
    this.i = Math.max(0, i);
    const [sel, title, text] = steps[this.i];
    document.querySelectorAll(".tour-focus").forEach((e) => e.classList.remove("tour-focus"));
    const el = document.querySelector(sel);
    el.classList.add("tour-focus");
    el.scrollIntoView({ block: "center", behavior: "instant" });
    this.box.querySelector("#tour-title").textContent = title;
    this.box.querySelector("#tour-text").textContent = text;
    this.box.querySelector("#tour-step").textContent = `${this.i + 1} of ${steps.length}`;
    this.box.querySelector("[data-back]").disabled = this.i === 0;
    this.box.querySelector("[data-next]").textContent = this.i === steps.length - 1 ? "Done" : "Next";
    this.box.dataset.step = String(this.i);
  }

  stop() {
    this.box.hidden = true;
    document.querySelectorAll(".tour-focus").forEach((e) => e.classList.remove("tour-focus"));
    try { localStorage.setItem(TOUR_KEY, "1"); } catch { /* private mode */ }
  }
}

/** Keys of the game page; none fires while typing in a field or with a modifier held. Each action returns whether
 * it acted: only then is the key's own meaning (Space, Home and End scroll the page) prevented. */
export function installShortcuts(actions) {
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName))) return;   // incl. the slider
    if (document.querySelector("dialog[open]") && e.key !== "?") return;
    const map = { ArrowLeft: actions.back, ArrowRight: actions.forward, Home: actions.first, End: actions.last,
      " ": actions.playPause, n: actions.step, N: actions.step, "?": actions.help };
    const f = map[e.key];
    if (!f) return;
    if (t && t.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) return;   // a focused button's own key
    if (f()) e.preventDefault();
  });
}
