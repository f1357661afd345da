// Home page: scenarios, the new-game form (with seat links to share), saved games, import.
import { api, actorColors, copyText, esc, h, owners, shortName, toast } from "./common.js";
import { scenarioInfo } from "./scenario-info.js";

const $ = (id) => document.getElementById(id);
const PAGE = 50; // games listed at once (the API pages its list)
let scenarios = [];
let current = null; // scenarioInfo of the selected scenario

async function loadScenarios() {
  try {
    scenarios = await api("/api/scenarios");
  } catch (e) {
    $("scenarios").replaceChildren(h("p", { class: "notice error" }, e.message));
    return;
  }
  const wanted = new URLSearchParams(location.search).get("scenario");
  const sel = $("ng-scenario");
  sel.replaceChildren(...scenarios.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
  const preferred = scenarios.find((s) => s.id === wanted) || scenarios.find((s) => s.id === "baseline-2025") || scenarios[0];
  if (preferred) sel.value = preferred.id;
  renderScenarios();
  if (preferred) await selectScenario(preferred.id, !!wanted);
}

function renderScenarios() {
  const box = $("scenarios");
  if (!scenarios.length) {
    box.replaceChildren(h("p", { class: "muted" }, "No scenarios found. Add one in the config editor."));
    return;
  }
  box.replaceChildren(...scenarios.map((s) => h("article", {
    class: `scenario${current && current.id === s.id ? " selected" : ""}`, dataset: { scenario: s.id },
  },
  h("div", { class: "row" }, h("h3", {}, s.name),
    h("span", { class: `badge ${s.builtin ? "builtin" : "user"}` }, s.builtin ? "built-in" : "yours")),
  h("div", { class: "small muted mono" }, s.id, s.extends ? ` · extends ${s.extends}` : ""),
  h("p", {}, s.description || "No description."),
  h("div", { class: "row" },
    h("button", { type: "button", class: "small primary", onclick: () => selectScenario(s.id, true) }, "New game"),
    h("a", { class: "button small", href: `/editor/${encodeURIComponent(s.id)}` }, "Open in editor")))));
}

async function selectScenario(id, scroll) {
  $("ng-scenario").value = id;
  const seats = $("ng-seats");
  seats.replaceChildren(h("span", { class: "muted small" }, "Loading actors…"));
  try {
    current = await scenarioInfo(id);
  } catch (e) {
    current = null;
    seats.replaceChildren(h("span", { class: "notice error" }, e.message));
    return;
  }
  if (current.turns) $("ng-turns").value = current.turns;
  const colors = actorColors(current.actors);
  seats.replaceChildren(...current.actors.map((a) => h("label", { class: "seat-option", title: `${a.name} (${a.id})` },
    h("input", { type: "checkbox", name: "human", value: a.id, onchange: summary }),
    h("span", { class: "dot", style: { background: colors[a.id] } }),
    h("span", {}, shortName(a.name), " ", h("span", { class: "muted small mono" }, a.id)))));
  renderScenarios();
  summary();
  if (scroll) $("new-game").scrollIntoView({ behavior: "smooth", block: "start" });
}

function chosenSeats() {
  return [...document.querySelectorAll('#ng-seats input[name="human"]:checked')].map((i) => i.value);
}

function summary() {
  const n = chosenSeats().length;
  const total = current ? current.actors.length : 0;
  $("ng-summary").textContent = n === 0
    ? `All ${total} actors played by the computer — you can watch, step and autoplay.`
    : `${n} human seat${n > 1 ? "s" : ""}, ${total - n} computer-played.`;
}

/** The seat links of a new or imported game, each with a copy button: these are the secret tokens. */
function renderLinks(box, game, title) {
  const abs = (p) => new URL(p, location.origin).href;
  const seatUrls = game.seat_urls || Object.fromEntries(Object.entries(game.tokens || {})
    .map(([a, t]) => [a, `/game/${game.id}?seat=${encodeURIComponent(a)}&token=${encodeURIComponent(t)}`]));
  const watch = abs(game.watch_url || `/game/${game.id}`);
  const names = Object.fromEntries((current?.actors || []).map((a) => [a.id, shortName(a.name)]));
  const row = (label, url, secret) => h("div", { class: "link-row" },
    h("span", { style: { fontWeight: 700 } }, label),
    h("input", { type: "text", readonly: true, value: url, "aria-label": `${label} link`, onfocus: (e) => e.target.select() }),
    h("button", { type: "button", class: "small", dataset: { copy: url }, onclick: async (e) => {
      const ok = await copyText(url);
      e.target.textContent = ok ? "Copied ✓" : "Select and copy";
      setTimeout(() => { e.target.textContent = "Copy"; }, 1800);
    } }, "Copy"),
    h("a", { class: `button small${secret ? "" : " primary"}`, href: url, target: secret ? "_blank" : null }, "Open"));
  const seats = Object.entries(seatUrls);
  owners.set("game", game.id, game.owner_token); // this browser now owns the game: it alone steps or deletes it
  const ownerUrl = game.owner_token ? abs(`/game/${game.id}?owner=${encodeURIComponent(game.owner_token)}`) : null;
  box.replaceChildren(
    h("div", { class: "notice ok", style: { marginTop: "1rem" } },
      h("h3", {}, title),
      seats.length
        ? h("p", { class: "small", style: { margin: ".2rem 0 .6rem" } },
          "Give each player their own seat link — it is their secret key: whoever holds it gives that actor's orders. ",
          "The watch link is read-only and safe to project.")
        : h("p", { class: "small", style: { margin: ".2rem 0 .6rem" } }, "Every actor is played by the computer."),
      h("p", { class: "small muted", style: { margin: "0 0 .6rem" } },
        "This browser keeps the game's owner key: only it can step, run, autoplay or delete the game. ",
        "The owner link carries that key to another browser — keep it private."),
      h("div", { class: "links" },
        ...seats.map(([a, u]) => row(names[a] || a, abs(u), true)),
        ownerUrl ? row("Owner", ownerUrl, true) : null,
        row("Watch", watch, false))));
  box.dataset.game = game.id;
  box.hidden = false;
}

async function createGame(ev) {
  ev.preventDefault();
  const btn = $("ng-create");
  const body = {
    scenario: $("ng-scenario").value,
    seed: Number($("ng-seed").value),
    turns: Number($("ng-turns").value),
    human: chosenSeats(),
  };
  btn.disabled = true;
  try {
    const game = await api("/api/games", { method: "POST", body });
    const box = $("created");
    renderLinks(box, game, `Game ${game.id} created`);
    // the links are the answer to the click: bring them into view (at 1440 x 900 they land below the fold) and
    // put the focus on the first one
    box.scrollIntoView({ block: box.offsetHeight > window.innerHeight ? "start" : "nearest", behavior: "instant" });
    const first = box.querySelector(".link-row input");
    if (first) first.focus({ preventScroll: true });
    loadGames();
  } catch (e) {
    toast(e.message, "error");
  } finally {
    btn.disabled = false;
  }
}

async function deleteGame(id) {
  if (!window.confirm(`Delete game ${id} and every turn of it? This cannot be undone.`)) return;
  try {
    await api(`/api/games/${encodeURIComponent(id)}`, { method: "DELETE", owner: owners.get("game", id) });
    owners.forget("game", id);
    for (const box of [$("created"), $("imported")]) {   // its links are dead now
      if (box.dataset.game === id) { box.hidden = true; box.replaceChildren(); delete box.dataset.game; }
    }
    toast(`Game ${id} deleted.`, "ok");
  } catch (e) {
    toast(e.message, "error");
  }
  loadGames();
}

async function loadGames() {
  const box = $("games");
  let games, total;
  try {
    const res = await fetch(`/api/games?limit=${PAGE}`, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || `Listing games failed (${res.status}).`);
    games = await res.json();
    total = Number(res.headers.get("X-Total-Count") || games.length);
  } catch (e) {
    box.replaceChildren(h("p", { class: "notice error" }, e.message));
    return;
  }
  if (!games.length) {
    box.replaceChildren(h("p", { class: "muted" }, "No games yet — create one on the right."));
    return;
  }
  games.sort((a, b) => String(b.created || "").localeCompare(String(a.created || "")));
  const label = { waiting: "waiting for orders", ready: "ready", finished: "finished" };
  box.replaceChildren(h("table", { class: "list stack", id: "games-table" },
    h("thead", {}, h("tr", {}, ...["Game", "Scenario", "Month", "Status", "Human seats", "Created", ""].map((t) => h("th", {}, t)))),
    h("tbody", {}, ...games.map((g) => h("tr", { dataset: { game: g.id } },
      h("td", { class: "mono", "data-label": "Game" }, g.id),
      h("td", { "data-label": "Scenario" }, g.scenario, h("div", { class: "small muted" }, `seed ${g.seed}`)),
      h("td", { "data-label": "Month" }, `${g.turn} / ${g.max_turns}`),
      h("td", { "data-label": "Status" }, h("span", { class: `badge ${esc(g.status)}` }, label[g.status] || g.status),
        g.waiting_for && g.waiting_for.length ? h("div", { class: "small muted" }, `to move: ${g.waiting_for.join(", ")}`) : null),
      h("td", { "data-label": "Human seats" }, g.human && g.human.length ? g.human.join(", ") : h("span", { class: "muted" }, "none (AI only)")),
      h("td", { class: "small muted", "data-label": "Created" }, fmtCreated(g.created)),
      h("td", { class: "actions" }, h("a", { class: "button small", href: `/game/${encodeURIComponent(g.id)}` }, "Open"),
        owners.get("game", g.id) || g.has_owner === false
          ? h("button", { type: "button", class: "small", dataset: { delete: g.id }, onclick: () => deleteGame(g.id) }, "Delete")
          : null))))),
    ...(total > games.length ? [h("p", { class: "small muted" }, `The ${games.length} newest of ${total} games.`)] : []));
}

function fmtCreated(c) {
  if (!c) return "";
  const d = new Date(typeof c === "number" ? c * 1000 : c);
  return Number.isNaN(d.getTime()) ? String(c) : d.toLocaleString();
}

async function importGame() {
  const file = $("import-file").files[0];
  if (!file) return;
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    toast(`${file.name} is not a JSON file — expected a game exported from this site.`, "error");
    return;
  }
  $("import-btn").disabled = true;
  try {
    const game = await api("/api/games/import", { method: "POST", body: data });
    if (data.scenario && (!current || current.id !== data.scenario)) {
      try { current = await scenarioInfo(data.scenario); } catch { /* names only */ }
    }
    renderLinks($("imported"), game, `Imported as game ${game.id}`);
    toast("Game imported and replayed.", "ok");
    loadGames();
  } catch (e) {
    toast(e.message, "error");
  } finally {
    $("import-btn").disabled = false;
  }
}

$("new-game-form").addEventListener("submit", createGame);
$("ng-scenario").addEventListener("change", (e) => selectScenario(e.target.value, false));
$("refresh-games").addEventListener("click", loadGames);
$("import-file").addEventListener("change", () => { $("import-btn").disabled = !$("import-file").files.length; });
$("import-btn").addEventListener("click", importGame);
$("ng-seed").value = String(Math.floor(Math.random() * 1000));
loadScenarios();
loadGames();
