// Objectives and score: the seat's goals with how close each is (GET /api/games/<id>/objectives), the standings of
// every actor by score, and the results of every seat when the game ends. Scores of any month come from the
// history rows (utility.<actor>), so looking back shows that month's standings; the objectives are those of now.
import { actorChip, fmtDate, h, signed } from "./common.js";

/** Score of an actor in a history row: 100 x (utility now - utility at the start) / its total goal weight. */
export function scoreAt(row, start, actor, weights) {
  if (!row || !start) return null;
  const u = Number(row[`utility.${actor}`]), u0 = Number(start[`utility.${actor}`]);
  const wt = Number((weights || {})[actor]) || 0;
  if (!Number.isFinite(u) || !Number.isFinite(u0) || wt <= 0) return null;
  return Math.round((1000 * (u - u0)) / wt) / 10;
}

/** Standings of a month: every actor with its score, best first. */
export function standings(row, start, actors, weights) {
  return actors.map((a) => ({ id: a.id, score: scoreAt(row, start, a.id, weights) }))
    .sort((x, y) => (y.score ?? -1e9) - (x.score ?? -1e9) || x.id.localeCompare(y.id));
}

function scoreText(v) { return v == null ? "—" : signed(v, 1); }

function objectiveItem(g) {
  const pct = Math.round(100 * Math.max(0, Math.min(1, g.progress)));
  return h("li", { class: `objective${g.met ? " met" : ""}`, dataset: { goal: g.name, met: g.met ? "1" : "0" } },
    h("span", { class: "tick", "aria-label": g.met ? "met" : "not met" }, g.met ? "✓" : "○"),
    h("div", { class: "what" },
      h("div", { class: "label" }, g.label, h("span", { class: "weight", title: "The goal's weight in your utility" }, ` ×${Number(g.weight).toFixed(1)}`)),
      h("div", { class: "reading small muted" }, g.reading),
      h("div", { class: "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(pct) },
        h("span", { style: { width: `${pct}%` } }))));
}

/** The objectives card: the seat's score and goals (when seated), and the standings of the month on display. */
export function renderObjectives(box, { seat, objectives, rows, view, live, actors, names, colors, weights, rules, monthName }) {
  const month = (turn, state) => (monthName ? monthName(turn) : fmtDate(state.date));
  const start = rows.find((r) => Number(r.turn) === 0);
  const row = rows.find((r) => Number(r.turn) === view.turn);
  const table = standings(row, start, actors, weights);
  const parts = [];
  const mine = seat && objectives ? objectives.actors.find((a) => a.actor === seat) : null;
  if (mine) {
    const s = scoreAt(row, start, seat, weights);
    const goals = mine.goals.slice().sort((a, b) => b.weight - a.weight || Number(a.met) - Number(b.met));
    parts.push(h("div", { class: "scoreline" },
      h("div", { class: "score", title: rules ? rules.score : "" },
        h("span", { class: `big ${s > 0 ? "pos" : s < 0 ? "neg" : ""}`, id: "my-score" }, scoreText(s)), h("span", { class: "small muted" }, "score")),
      h("div", { class: "metline" }, h("b", { id: "my-met" }, `${mine.met} of ${mine.total}`), " objectives met",
        view.turn !== live.turn ? h("div", { class: "small muted" }, `objectives as of ${month(live.turn, live)}`) : null)));
    parts.push(h("ul", { class: "objectives", id: "objective-list" }, ...goals.map(objectiveItem)));
    const judged = (objectives.victory && objectives.victory.judged) || [];
    if (mine.victory) parts.push(victoryBlock(mine.victory, objectives.done));
    else if (judged.length) parts.push(h("p", { class: "small muted", id: "no-victory" }, "This scenario gives you no victory condition: your result is your score."));
  } else if (seat) {
    parts.push(h("p", { class: "muted" }, "Loading your objectives…"));
  }
  parts.push(h("h3", { class: "standings-head" }, `Standings in ${month(view.turn, view)}`),
    h("ol", { class: "standings", id: "standings" }, ...table.map((t, i) => h("li", { dataset: { actor: t.id }, class: t.id === seat ? "me" : "" },
      h("span", { class: "place" }, String(i + 1)), actorChip(t.id, names[t.id] || t.id, colors[t.id] || "#999"),
      t.id === seat ? h("span", { class: "small muted" }, "(you)") : null,
      h("span", { class: `sc ${t.score > 0 ? "pos" : t.score < 0 ? "neg" : ""}` }, scoreText(t.score))))));
  box.replaceChildren(...parts);
}

const WHEN_TEXT = {
  end: "judged on the last month",
  any_month: "won the first month it holds",
  every_month: "must hold in every month",
};

/** Where a victory condition stands, in words: {state: met | failed | holds | open, text}. */
export function victoryState(c) {
  const when = c.date ? fmtDate(c.date, true) : "";
  if (c.met === true) return { state: "met", text: c.when === "any_month" && when ? `won in ${when}` : "met" };
  if (c.met === false) return { state: "failed", text: c.when === "every_month" && when ? `lost in ${when}` : "not met" };
  if (c.when === "every_month") return c.holds ? { state: "holds", text: "holding so far" } : { state: "open", text: "does not hold now" };
  return c.holds ? { state: "holds", text: c.when === "end" ? "holds now" : "holds now (from month 1)" } : { state: "open", text: "not yet" };
}

const OP_TEXT = { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠" };

function shown(v) {
  return typeof v === "number" ? String(Math.round(v * 1000) / 1000) : v == null ? "—" : String(v);
}

/** One part of a condition as it reads now: "syria_alignment 0.24 (needs ≥ 0.35)". */
function partItem(p) {
  const need = `${p.negated ? "must not be " : "needs "}${OP_TEXT[p.op] || p.op} ${shown(p.value)}`;
  return h("li", { class: p.ok ? "ok" : "", dataset: { ok: p.ok ? "1" : "0" } },
    h("span", { class: "tick", "aria-label": p.ok ? "holds" : "does not hold" }, p.ok ? "✓" : "·"),
    h("code", {}, p.indicator), ` ${shown(p.now)} `, h("span", { class: "muted" }, `(${need})`));
}

function victoryItem(c) {
  const s = victoryState(c);
  const mark = { met: "✓", failed: "✗", holds: "◐", open: "○" }[s.state];
  return h("li", { class: `victory-cond ${s.state}`, dataset: { id: c.id, state: s.state } },
    h("span", { class: "tick", "aria-hidden": "true" }, mark),
    h("div", { class: "what" },
      h("div", { class: "label" }, c.text),
      h("div", { class: "small muted" }, h("b", { class: "vstate" }, s.text), ` · ${WHEN_TEXT[c.when] || c.when}`),
      (c.parts || []).length ? h("ul", { class: "vparts small", title: "Each part of the condition, as it reads now" }, ...c.parts.map(partItem)) : null));
}

/** The seat's victory conditions (GET /objectives: actors[].victory) with met / not yet. */
function victoryBlock(v, done) {
  const result = v.won === true ? (done ? "You won." : "Won already.") : v.won === false ? (done ? "You did not win." : "Lost: one condition can no longer be met.") : "";
  return h("div", { class: "victory", id: "victory" },
    h("h3", { class: "standings-head" }, "To win", h("span", { class: "small muted" }, ` · ${v.met} of ${v.total} met`)),
    h("ul", { class: "victory-list", id: "victory-list" }, ...v.conditions.map(victoryItem)),
    h("p", { class: "small muted" }, result ? h("b", { id: "victory-result", class: v.won ? "pos" : "neg" }, result) : null, result ? " " : null,
      v.total > 1 ? "You win when every condition is met." : "You win when this condition is met."));
}

function victoryCell(a) {
  if (!a.victory) return h("td", { class: "muted", dataset: { label: "Victory" }, title: "No victory condition for this actor: scored only" }, "—");
  const v = a.victory;
  return h("td", { class: `victory-cell ${v.won ? "pos" : "neg"}`, dataset: { label: "Victory" }, title: v.conditions.map((c) => `${c.text}: ${victoryState(c).text}`).join("\n") },
    v.won ? "✓ won" : "✗ not won", h("span", { class: "small muted" }, ` (${v.met} of ${v.total})`));
}

/** Results of a finished game: every actor's final score and objectives met, the human seats marked. */
export function renderResults(box, { objectives, names, colors, seat, gameId, human }) {
  if (!objectives || !objectives.done) { box.hidden = true; return; }
  const ranked = objectives.actors.slice().sort((a, b) => a.rank - b.rank);
  const me = ranked.find((a) => a.actor === seat);
  const v = objectives.victory || { winners: [], judged: [] };
  const judged = v.judged && v.judged.length > 0;
  const people = human || [];
  const review = (a) => `/games/${encodeURIComponent(gameId)}/review/${encodeURIComponent(a)}`;
  box.hidden = false;
  box.replaceChildren(
    h("h2", {}, "Game over — results",
      me ? h("span", { class: "small muted" }, ` · ${names[seat] || seat} finished ${ordinal(me.rank)} of ${ranked.length}`
        + (me.victory ? (me.victory.won ? " and won" : " without its victory") : "")) : null),
    judged ? h("p", { class: "winners", id: "winners" }, v.winners.length
      ? [h("b", {}, v.winners.length > 1 ? "Winners: " : "Winner: "),
        h("span", { class: "names" }, ...v.winners.flatMap((a, i) => [i ? ", " : "", actorChip(a, names[a] || a, colors[a] || "#999")])),
        h("span", { class: "small muted" }, `${v.winners.length > 1 ? " met their" : " met its"} victory conditions; # ranks by score.`)]
      : [h("b", {}, "No one met a victory condition."), h("span", { class: "small muted" }, " # ranks by score.")]) : null,
    h("div", { class: "table-scroll" }, h("table", { class: "list results" },
      h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Actor"), h("th", { class: "played-by" }, "Played by"),
        judged ? h("th", {}, "Victory") : null, h("th", {}, "Score"), h("th", {}, "Objectives met"),
        people.length ? h("th", {}, "Review") : null)),
      h("tbody", {}, ...ranked.map((a) => h("tr", { dataset: { actor: a.actor }, class: a.actor === seat ? "me" : "" },
        h("td", { class: "place" }, String(a.rank)), h("td", { class: "who" }, actorChip(a.actor, names[a.actor] || a.name, colors[a.actor] || "#999")),
        h("td", { class: "played-by" }, people.includes(a.actor) ? "a person" : "the computer"),
        judged ? victoryCell(a) : null,
        h("td", { class: `mono ${a.score > 0 ? "pos" : a.score < 0 ? "neg" : ""}`, dataset: { label: "Score" } }, scoreText(a.score)),
        h("td", { dataset: { label: "Objectives" } }, `${a.met} of ${a.total}`),
        people.length ? h("td", { class: people.includes(a.actor) ? "review" : "review none" }, people.includes(a.actor)
          ? h("a", { class: "review-link", href: review(a.actor), title: "How this seat did against its own AI, month by month" }, "After-action review")
          : h("span", { class: "muted" }, "—")) : null))))),
    h("p", { class: "small muted" }, objectives.rules ? objectives.rules.score : "",
      " Look back month by month with the slider (the log of each month is the after-action record), or ",
      h("a", { href: `/api/games/${encodeURIComponent(gameId)}/export`, download: `game-${gameId}.json` }, "export the game"), "."));
}

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return `${n}${s[(v - 20) % 10] || s[v] || s[0]}`;
}
