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

/** Results of a finished game: every actor's final score and objectives met, the human seats marked. */
export function renderResults(box, { objectives, names, colors, seat, gameId, human }) {
  if (!objectives || !objectives.done) { box.hidden = true; return; }
  const ranked = objectives.actors.slice().sort((a, b) => a.rank - b.rank);
  const me = ranked.find((a) => a.actor === seat);
  box.hidden = false;
  box.replaceChildren(
    h("h2", {}, "Game over — results",
      me ? h("span", { class: "small muted" }, ` · ${names[seat] || seat} finished ${ordinal(me.rank)} of ${ranked.length}`) : null),
    h("table", { class: "list results" },
      h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Actor"), h("th", {}, "Played by"), h("th", {}, "Score"), h("th", {}, "Objectives met"))),
      h("tbody", {}, ...ranked.map((a) => h("tr", { dataset: { actor: a.actor }, class: a.actor === seat ? "me" : "" },
        h("td", {}, String(a.rank)), h("td", {}, actorChip(a.actor, names[a.actor] || a.name, colors[a.actor] || "#999")),
        h("td", {}, (human || []).includes(a.actor) ? "a person" : "the computer"),
        h("td", { class: `mono ${a.score > 0 ? "pos" : a.score < 0 ? "neg" : ""}` }, scoreText(a.score)),
        h("td", {}, `${a.met} of ${a.total}`))))),
    h("p", { class: "small muted" }, objectives.rules ? objectives.rules.score : "",
      " Look back month by month with the slider (the log of each month is the after-action record), or ",
      h("a", { href: `/api/games/${encodeURIComponent(gameId)}/export`, download: `game-${gameId}.json` }, "export the game"), "."));
}

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return `${n}${s[(v - 20) % 10] || s[v] || s[0]}`;
}
