// The game page: loads the state and history of one game, draws the map, the network, the charts and the log,
// gives a human seat its orders, and steps / autoplays / runs AI-only games. The seat's token stays in this browser
// (localStorage, per game) and is removed from the address bar so it is not shown on a projector.
import { api, ApiError, actorChip, actorColors, debounce, fmtDate, h, owners, shortName, toast } from "./common.js";
import { GEO_URL, MAP_ASPECT, controlChanges, mapLegend, mapOption } from "./map.js";
import { STRONG_TIE, TIES_PER_ACTOR, blocColor, blocGroups, blocNames, networkOption } from "./network.js";
import { COUNTS, INDICATORS, countsOption, indicatorsOption, issuesOption, monthOf, relationOption } from "./charts.js";
import { OrdersPanel } from "./orders.js";
import { renderObjectives, renderResults } from "./objectives.js";
import { KIND_FILTERS, renderLog as drawLog } from "./log.js";
import { Tour, installPanelHelp, installShortcuts, openHelp, shortcutsHelp } from "./help.js";

const $ = (id) => document.getElementById(id);
const gameId = $("game").dataset.gameId;
const API = `/api/games/${encodeURIComponent(gameId)}`;
const POLL_MS = 1500;

const G = {
  live: null,          // latest state of the game
  view: null,          // state on display (live, or an earlier turn via the slider)
  rows: [],            // history rows, one per played turn (turn 0 = start)
  cache: new Map(),    // turn -> state
  colors: {}, names: {}, order: [],
  seat: null, token: null, seats: {},
  owner: null,         // the game's owner token, if this browser created it (only the owner plays an AI game)
  guide: null,         // definitions, thresholds, score weights (GET /guide)
  objectives: null,    // every actor's objectives and score at the live turn (GET /objectives)
  es: null, busy: false, pollTimer: null, polling: false,
  chain: Promise.resolve(),
};
const charts = {};

// ------------------------------------------------------------------------------------------ seat and token
const seatsKey = `wargame.seats.${gameId}`;
const currentKey = `wargame.seat.${gameId}`;

function readSeat() {
  const qs = new URLSearchParams(location.search);
  if (qs.get("owner")) { // an owner link: keep the token here, off the address bar
    owners.set("game", gameId, qs.get("owner"));
    qs.delete("owner");
    history.replaceState(null, "", location.pathname + (qs.toString() ? `?${qs}` : ""));
  }
  G.owner = owners.get("game", gameId);
  let seats = {};
  try { seats = JSON.parse(localStorage.getItem(seatsKey) || "{}") || {}; } catch { seats = {}; }
  let seat = qs.get("seat"), token = qs.get("token");
  if (seat && token) {
    seats[seat] = token;
    localStorage.setItem(seatsKey, JSON.stringify(seats));
    localStorage.setItem(currentKey, seat);
    history.replaceState(null, "", location.pathname); // keep the secret off the address bar
  } else if (qs.has("watch")) {
    seat = null;
    localStorage.removeItem(currentKey);
  } else {
    seat = localStorage.getItem(currentKey);
    token = seat ? seats[seat] : null;
    if (!token) seat = null;
  }
  G.seats = seats;
  G.seat = seat;
  G.token = seat ? token : null;
}

function chooseSeat(seat) {
  G.seat = seat || null;
  G.token = seat ? G.seats[seat] : null;
  if (seat) localStorage.setItem(currentKey, seat); else localStorage.removeItem(currentKey);
  renderSeat();
  if (G.seat) orders.load(G.seat, G.token, G.live, true);
  if (G.live) renderObjectivesCard();
}

function forgetSeat(message) {
  if (G.seat) {
    delete G.seats[G.seat];
    localStorage.setItem(seatsKey, JSON.stringify(G.seats));
  }
  toast(`${message} You are watching read-only.`, "error");
  chooseSeat(null);
}

/** What a browser without a seat may do here: run an AI-only game it owns (or one nobody owns), else watch. */
function seatlessLabel(human) {
  if (!G.owner) return !human.length && G.live && G.live.has_owner === false ? "You may run this game" : "Watching — read-only";
  return human.length ? "Watching — you own this game" : "You run this game (owner)";
}

function renderSeat() {
  const you = $("you");
  const act = $("seat-actions");
  const human = (G.live && G.live.human) || [];
  const mine = G.seat && human.includes(G.seat) ? G.seat : null;
  if (G.seat && G.live && !human.includes(G.seat)) { G.seat = null; G.token = null; }
  if (mine) you.replaceChildren("You play ", actorChip(mine, G.names[mine], G.colors[mine]));
  else you.replaceChildren(h("span", { class: "badge", id: "you-badge" }, seatlessLabel(human)));
  const known = Object.keys(G.seats).filter((a) => human.includes(a));
  act.replaceChildren();
  if (known.length > 1 || (known.length === 1 && !mine)) {
    const sel = h("select", { id: "seat-select", "aria-label": "Seat" },
      h("option", { value: "" }, "Watch only"), ...known.map((a) => h("option", { value: a }, `Play ${G.names[a] || a}`)));
    sel.value = mine || "";
    sel.addEventListener("change", () => chooseSeat(sel.value));
    act.append(sel);
  } else if (mine) {
    act.append(h("button", { type: "button", class: "small", id: "leave-seat", onclick: () => chooseSeat(null) }, "Watch only"));
  }
  const seated = !!mine;
  $("orderscard").hidden = !seated;
  $("grid").classList.toggle("watch", !seated);
  if (charts.map) Object.values(charts).forEach((c) => c.resize());
  if (charts.map && G.view) renderMapNet();
}

const orders = new OrdersPanel({
  gameId, card: $("orderscard"), colors: G.colors, names: G.names, month: (turn) => monthName(turn, null),
  state: () => G.live,
  onAuthError: (msg) => forgetSeat(msg),
  onSubmitted: (resp) => {
    if (resp.resolved && resp.state) applyLive(resp.state);
    else if (resp.waiting_for) { G.live = { ...G.live, waiting_for: resp.waiting_for }; renderStatus(); }
    schedulePoll(200);
  },
  onWithdrawn: (resp) => {
    G.live = { ...G.live, waiting_for: resp.waiting_for };
    renderStatus();
  },
});

// ------------------------------------------------------------------------------------------ rendering
function setupActors(state) {
  G.order = state.actors.map((a) => a.id);
  Object.assign(G.colors, actorColors(state.actors));
  for (const a of state.actors) G.names[a.id] = shortName(a.name);
  $("log-kind").replaceChildren(...Object.entries(KIND_FILTERS).map(([k, t]) => h("option", { value: k }, t)));
  const filter = $("log-filter");
  filter.replaceChildren(h("option", { value: "" }, "All actors"), ...state.actors.map((a) => h("option", { value: a.id }, G.names[a.id])));
  const opts = () => state.actors.map((a) => h("option", { value: a.id }, G.names[a.id]));
  $("rel-a").replaceChildren(...opts());
  $("rel-b").replaceChildren(...opts());
  const has = (x) => G.order.includes(x);
  $("rel-a").value = has("RUS") ? "RUS" : G.order[0];
  $("rel-b").value = has("SYR") && $("rel-a").value !== "SYR" ? "SYR" : G.order.find((x) => x !== $("rel-a").value) || G.order[0];
}

function rowAt(turn) { return G.rows.find((r) => Number(r.turn) === turn) || null; }

function renderHeader() {
  const v = G.view, L = G.live;
  $("date").textContent = monthName(v.turn, v);
  $("turn-label").textContent = v.turn === 0 ? `Month 0, the start · ${L.max_turns} months to play` : `Month ${v.turn} of ${v.max_turns ?? L.max_turns}`;
  $("title").textContent = L.scenario_name || L.scenario || `Game ${gameId}`;
  $("subtitle").textContent = `Game ${gameId} · scenario ${L.scenario ?? "?"} · seed ${L.seed ?? "?"}` +
    (L.human && L.human.length ? ` · human seats: ${L.human.map((a) => G.names[a] || a).join(", ")}` : " · all actors played by the computer");
  document.title = `${monthName(v.turn, v)} — Syria wargame ${gameId}`;
  const slider = $("turn-slider");
  slider.max = String(L.turn);
  slider.value = String(v.turn);
  slider.disabled = L.turn === 0;
  $("slider-label").textContent = `${monthName(v.turn, v, true)} · ${v.turn} / ${L.turn}`;
  const back = v.turn !== L.turn;
  $("history-banner").hidden = !back;
  $("history-banner").textContent = back ? `Looking back at ${monthName(v.turn, v)} — now ${monthName(L.turn, L)}` : "";
  $("back-live").hidden = !back;
}

function renderStatus() {
  const L = G.live;
  const box = $("status-line");
  const human = L.human || [];
  if (L.done) box.replaceChildren(h("span", { class: "badge finished" }, "Game over"), " all months played");
  else if (human.length) {
    const w = L.waiting_for || [];
    box.replaceChildren(w.length ? "Still to move:" : "Resolving…", ...w.map((a) => actorChip(a, G.names[a], G.colors[a])));
  } else box.replaceChildren(h("span", { class: "muted" }, G.es ? "Playing…" : "Computer-played game"));
  const ai = !human.length;
  const mayPlay = !!G.owner || L.has_owner === false; // watchers only watch (and may follow the owner's autoplay)
  $("ai-controls").hidden = !ai;
  $("btn-step").disabled = !mayPlay || L.done || G.busy || !!G.es;
  $("btn-run").disabled = !mayPlay || L.done || G.busy || !!G.es;
  $("btn-play").disabled = L.done || (G.busy && !G.es);
  $("btn-play").textContent = G.es ? (mayPlay ? "Pause ‖" : "Stop following ‖") : (mayPlay ? "Play ▶" : "Follow ▶");
  $("btn-play").title = mayPlay ? "Autoplay month by month" : "Watch live as the game's creator plays it";
}

const openGroups = new Set();   // routine groups of the log the reader has unfolded (kept across months)

function renderLog() {
  const v = G.view;
  $("log-turn").textContent = v.turn ? `in ${monthName(v.turn, v)}` : "";
  const seated = G.seat && (G.live.human || []).includes(G.seat) ? G.seat : null;
  drawLog({ digestBox: $("digest"), list: $("log"), state: v, prevRow: v.turn > 0 ? rowAt(v.turn - 1) : null,
    names: G.names, colors: G.colors, seat: seated, who: $("log-filter").value, kind: $("log-kind").value,
    issuesMeta: (G.guide && G.guide.issues) || [], open: openGroups });
}

/** On a narrow screen the map's box follows its width (the map keeps its shape, with no empty bands). */
function fitMapHeight() {
  const el = $("map");
  const want = window.innerWidth <= 700 ? Math.round(el.clientWidth / MAP_ASPECT + 16) : null;
  const now = el.style.height ? Number.parseInt(el.style.height, 10) : null;
  if (want !== now) {
    el.style.height = want ? `${want}px` : "";
    charts.map.resize();
  }
}

function renderMapNet() {
  const v = G.view;
  const prev = v.turn > 0 ? rowAt(v.turn - 1) : null;
  fitMapHeight();
  charts.map.setOption(mapOption(v, prev, G.colors, G.names, { width: charts.map.getWidth(), height: charts.map.getHeight() }),
    { replaceMerge: ["series"] });
  mapLegend($("map-legend"), v, G.colors, G.names);
  const shifted = new Set((v.events || []).filter((e) => e.kind === "alliance_shift").flatMap((e) => (e.actors || []).slice(0, 1)));
  const netOpt = networkOption(v, G.colors, G.names, shifted, G.seat, $("net-min").value,
    { width: charts.network.getWidth(), height: charts.network.getHeight() });
  charts.network.setOption(netOpt, { replaceMerge: ["series"] });
  renderNetLegend(v, netOpt);
  const moved = v.bases.filter((b) => prev && (prev[`base.${b.id}.controller`] !== b.controller || prev[`base.${b.id}.status`] !== b.status)).length;
  const regions = controlChanges(v, prev).map((c) => `${c.region.name}: ${G.names[c.from] || c.from} → ${G.names[c.to] || c.to}`);
  $("map-note").textContent = [moved ? `${moved} base${moved > 1 ? "s" : ""} changed` : "", ...regions].filter(Boolean).join(" · ");
  $("net-note").textContent = shifted.size ? `${[...shifted].map((a) => G.names[a]).join(", ")} changed sides` : "";
}

/** Legend of the network: the blocs (dashed areas in colours relations never use), the relation lines, the rule. */
function renderNetLegend(v, opt) {
  const bn = blocNames(v.actors, G.names);
  const strongest = $("net-min").value === "strongest";
  $("net-legend").replaceChildren(
    ...blocGroups(v.actors).map((g) => h("span", { class: `item${g.bloc < 0 ? " outside" : ""}`, dataset: { bloc: String(g.bloc) } },
      h("span", { class: "bloc-swatch", style: { borderColor: blocColor(g.bloc) } }), bn[g.bloc])),
    h("span", { class: "item" }, h("span", { class: "line-swatch", style: { background: "#16a34a" } }), "friendly"),
    h("span", { class: "item" }, h("span", { class: "line-swatch", style: { background: "#dc2626" } }), "hostile"),
    h("span", { class: "item muted" }, strongest
      ? `each actor's ${TIES_PER_ACTOR} strongest ties of at least ±${STRONG_TIE} (${opt.series[0].links.length} lines) · node size = capability · gold ring = changed sides`
      : `${opt.series[0].links.length} lines · node size = capability · gold ring = changed sides`));
}

function renderCharts() {
  const rows = G.rows, t = G.view.turn;
  const start = G.guide ? G.guide.start : null, defs = G.guide ? G.guide.indicators : {};
  const narrow = charts.ind.getWidth() < 520;
  charts.ind.setOption(indicatorsOption(rows, t, { start, defs, narrow, width: charts.ind.getWidth() }), { replaceMerge: ["series"] });
  charts.counts.setOption(countsOption(rows, t, { start, defs, narrow, width: charts.counts.getWidth() }), { replaceMerge: ["series"] });
  charts.rel.setOption(relationOption(rows, $("rel-a").value, $("rel-b").value, G.names, G.colors, G.order, t, { start }), { replaceMerge: ["series"] });
  const thresholds = Object.fromEntries(((G.guide && G.guide.issues) || []).map((i) => [i.id, i.thresholds]));
  const issues = (G.live.issues || []).map((i) => ({ ...i, thresholds: thresholds[i.id] || [] }));
  charts.issues.setOption(issuesOption(rows, issues, t, { start, narrow: charts.issues.getWidth() < 520, width: charts.issues.getWidth() }), { replaceMerge: ["series"] });
}

/** The glossary under the indicator charts: every headline indicator's name and the model's definition. */
function renderGlossary() {
  const defs = (G.guide && G.guide.indicators) || {};
  $("glossary-list").replaceChildren(...[...INDICATORS, ...COUNTS].flatMap((d) => [
    h("dt", { dataset: { key: d.key } }, h("span", { class: "dot", style: { background: d.color } }), d.name, h("span", { class: "muted small" }, ` · ${d.scale} · `, h("code", {}, d.key))),
    h("dd", {}, defs[d.key] || "—")]));
}

/** The month of a turn in the page's words: "December 2025" (month 0 is the scenario's start month). */
function monthName(turn, state, short = false) {
  return fmtDate(monthOf(turn, G.guide ? G.guide.start : null, state), short);
}

function renderObjectivesCard() {
  const seated = G.seat && (G.live.human || []).includes(G.seat) ? G.seat : null;
  $("obj-title").firstChild.textContent = seated ? "Your objectives and score " : "Standings ";
  renderObjectives($("objectives"), {
    seat: seated, objectives: G.objectives, rows: G.rows, view: G.view, live: G.live, actors: G.live.actors,
    names: G.names, colors: G.colors, weights: G.guide ? G.guide.score_weights : null, rules: G.guide ? G.guide.rules : null,
    monthName: (turn) => monthName(turn, null),
  });
  renderResults($("results"), { objectives: G.objectives, names: G.names, colors: G.colors, seat: seated, gameId, human: G.live.human });
}

async function loadObjectives() {
  try {
    G.objectives = await api(`${API}/objectives`);
    $("game").dataset.objectivesTurn = String(G.objectives.turn);
  } catch (e) { toast(e.message, "error"); }
}

function renderAll() {
  // one failing panel must not blank the others
  for (const f of [renderHeader, renderStatus, renderMapNet, renderLog, renderCharts, renderObjectivesCard]) {
    try { f(); } catch (e) { console.error(`${f.name} failed:`, e); }
  }
  $("game").dataset.turn = String(G.live.turn);
  $("game").dataset.viewTurn = String(G.view.turn);
}

// ------------------------------------------------------------------------------------------ live updates
async function loadHistory() {
  const hist = await api(`${API}/history`);
  G.rows = (hist.rows || []).slice().sort((a, b) => a.turn - b.turn);
}

/** A new live state (after a step, a resolved turn, an SSE event or a poll): follow it unless looking back.
 * A game only moves forward, so a state older than the live one is a late answer (a poll sent before the month
 * resolved) and is dropped: taking it would show the month before and throw away the seat's next orders. */
function applyLive(state) {
  G.chain = G.chain.then(async () => {
    if (G.live && state.turn < G.live.turn) return;
    const prevTurn = G.live ? G.live.turn : -1;
    const following = !G.view || G.view.turn === G.live.turn;
    G.live = { ...G.live, ...state };
    if (state.human === undefined && G.live.human === undefined) G.live.human = [];
    G.cache.set(G.live.turn, G.live);
    if (G.live.turn !== prevTurn) {
      try { await loadHistory(); } catch (e) { toast(e.message, "error"); }
      await loadObjectives();
    }
    if (following) G.view = G.live;
    renderAll();
    if (G.seat && G.live.turn !== prevTurn) await orders.load(G.seat, G.token, G.live);
    else if (G.seat) orders.render(G.live);
  }).catch((e) => toast(String(e.message || e), "error"));
  return G.chain;
}

async function poll() {
  G.pollTimer = null;
  const L = G.live;
  if (!L || L.done || !(L.human || []).length || G.polling) return;
  G.polling = true;
  try {
    const s = await api(API);
    if (s.turn > G.live.turn || s.done !== G.live.done) await applyLive(s);
    else if (s.turn === G.live.turn && JSON.stringify(s.waiting_for) !== JSON.stringify(G.live.waiting_for)) {
      G.live = { ...G.live, waiting_for: s.waiting_for, status: s.status };
      renderStatus();
      if (G.seat) orders.render(G.live);
    }
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 0) toast(e.message, "error");
  } finally {
    G.polling = false;
    schedulePoll();
  }
}

function schedulePoll(ms = POLL_MS) {
  if (G.pollTimer) clearTimeout(G.pollTimer);
  const L = G.live;
  if (!L || L.done || !(L.human || []).length) return;
  G.pollTimer = setTimeout(poll, document.hidden ? ms * 4 : ms);
}

// ------------------------------------------------------------------------------------------ AI controls
async function step() {
  G.busy = true; renderStatus();
  try { await applyLive(await api(`${API}/step`, { method: "POST", owner: G.owner })); } catch (e) { toast(e.message, "error"); }
  G.busy = false; renderStatus();
}

async function runToEnd() {
  G.busy = true; renderStatus();
  $("btn-run").textContent = "Running…";
  try { await applyLive(await api(`${API}/run`, { method: "POST", owner: G.owner })); } catch (e) { toast(e.message, "error"); }
  $("btn-run").textContent = "Run to end ⇥";
  G.busy = false; renderStatus();
}

function stopPlay(settled = true) {
  if (G.es) { G.es.close(); G.es = null; }
  if (settled) $("game").dataset.playing = "0";
  renderStatus();
}

/** Read the game's state again once the months already received are drawn, and show it if it moved on (a
 * stream sends only what happens after it opened, so a follower catches up this way). */
function catchUp() {
  return G.chain.then(() => api(API))
    .then((s) => (s.turn > G.live.turn || s.done !== G.live.done ? applyLive(s) : null));
}

/** Pause (or stop following): the stream closes, so months it had sent that the page had not read yet would be
 * lost and the page would show an earlier month than the game's; once the months already read are drawn, the
 * game's state is read again and shown if it moved. #game's data-playing is "0" when that is done. */
function pausePlay() {
  stopPlay(false);
  G.chain.then(() => api(API))
    .then((s) => (!G.es && (s.turn > G.live.turn || s.done !== G.live.done) ? applyLive(s) : null))
    .catch((e) => toast(e.message, "error"))
    .finally(() => { if (!G.es) $("game").dataset.playing = "0"; });
}

function togglePlay() {
  if (G.es) { pausePlay(); return; }
  $("game").dataset.playing = "1";
  // with the owner token this stream plays the game; without it, it follows whoever plays it (an EventSource
  // cannot send headers, so the token goes in the query string, which the server's log redacts)
  const interval = Number($("play-speed").value) || 0.8;
  const es = new EventSource(`${API}/stream?interval=${interval}${G.owner ? `&owner_token=${encodeURIComponent(G.owner)}` : ""}`);
  G.es = es;
  es.addEventListener("state", (e) => { try { applyLive(JSON.parse(e.data)); } catch (err) { toast(String(err), "error"); } });
  // the game is over (or was before the stream opened: a follower is sent only `done`): the stream closes now
  // (an EventSource would reconnect), but Pause and "Playing…" stay until the months received are drawn and the
  // game's last state is read and shown
  es.addEventListener("done", () => {
    es.close();
    catchUp().catch((e) => toast(e.message, "error")).finally(() => { if (G.es === es) stopPlay(); });
  });
  es.addEventListener("error", (e) => {
    // an `event: error` from the server carries a message; a dropped connection does not
    if (e.data) { try { toast(JSON.parse(e.data).error || e.data, "error"); } catch { toast(e.data, "error"); } }
    stopPlay();
  });
  renderStatus();
  // the stream sends only the moves made from now on: a game that moved while this page was open is read again
  catchUp().catch((e) => toast(e.message, "error"));
}

// ------------------------------------------------------------------------------------------ turn slider
async function showTurn(turn) {
  if (turn === G.live.turn) { G.view = G.live; renderAll(); return; }
  let s = G.cache.get(turn);
  if (!s) {
    try { s = await api(`${API}?turn=${turn}`); } catch (e) { toast(e.message, "error"); return; }
    G.cache.set(turn, s);
  }
  if (Number($("turn-slider").value) !== turn) return; // the slider moved on meanwhile
  G.view = s;
  renderAll();
}

// ------------------------------------------------------------------------------------------ start
/** The game could not be loaded: no placeholder says it still loads, and no control works on a game not there. */
function showLoadFailed(missing) {
  $("subtitle").textContent = missing ? "No such game: it was never created here, or it was deleted." : "The game could not be loaded.";
  $("date").textContent = "";
  $("turn-label").textContent = "";
  $("seatbox").hidden = true;
  $("game").dataset.failed = missing ? "missing" : "error";
  $("turn-slider").disabled = true;      // the toolbar (month slider, Compare, Tour, Export JSON) has no game to act on
  for (const id of ["btn-compare", "btn-tour", "export"]) $(id).hidden = true;
  document.querySelector(".toolbar").hidden = true;
  document.title = missing ? `No game ${gameId} — Syria wargame` : `Game ${gameId} — Syria wargame`;
}

async function init() {
  readSeat();
  const opts = { renderer: "canvas" };
  charts.map = echarts.init($("map"), null, opts);
  charts.network = echarts.init($("network"), null, opts);
  charts.ind = echarts.init($("chart-ind"), null, opts);
  charts.counts = echarts.init($("chart-counts"), null, opts);
  charts.rel = echarts.init($("chart-rel"), null, opts);
  charts.issues = echarts.init($("chart-issues"), null, opts);
  Object.values(charts).forEach((c) => c.showLoading({ text: "Loading…" }));
  let state, hist, geo;
  try {
    [state, hist, geo, G.guide, G.objectives] = await Promise.all([
      api(API), api(`${API}/history`), 
      fetch(GEO_URL).then((r) => { if (!r.ok) throw new Error("The map outline could not be loaded."); return r.json(); }),
      api(`${API}/guide`), api(`${API}/objectives`),
    ]);
  } catch (e) {
    Object.values(charts).forEach((c) => c.hideLoading());
    const missing = e instanceof ApiError && e.status === 404;
    $("grid").replaceChildren(h("div", { class: "notice error", style: { gridColumn: "1 / -1" } },
      missing ? `There is no game ${gameId}. ` : `${e.message} `,
      h("a", { href: "/" }, "Back to the games")));
    showLoadFailed(missing);
    return;
  }
  echarts.registerMap("syria", geo);
  $("game").dataset.objectivesTurn = String(G.objectives.turn);
  Object.values(charts).forEach((c) => c.hideLoading());
  G.rows = (hist.rows || []).slice().sort((a, b) => a.turn - b.turn);
  G.live = { human: [], ...state };
  G.view = G.live;
  G.cache.set(state.turn, G.live);
  setupActors(state);
  renderGlossary();
  renderSeat();
  renderAll();
  if (G.seat) orders.load(G.seat, G.token, G.live);
  schedulePoll();
  api("/api/scenarios").then((list) => {
    const sc = list.find((s) => s.id === G.live.scenario);
    if (sc) { G.live.scenario_name = sc.name; renderHeader(); }
  }).catch(() => {});
  $("game").dataset.readyMs = String(Math.round(performance.now())); // first load: navigation start -> drawn
  $("game").dataset.ready = "1";
  if (G.seat && (G.live.human || []).includes(G.seat) && !G.live.done) tour.maybeStart();
}

const sliderMoved = debounce(() => showTurn(Number($("turn-slider").value)), 120);
$("turn-slider").addEventListener("input", () => {
  const t = Number($("turn-slider").value);
  $("slider-label").textContent = `${monthName(t, null, true)} · ${t} / ${G.live.turn}`;
  sliderMoved();
});
$("back-live").addEventListener("click", () => { $("turn-slider").value = String(G.live.turn); showTurn(G.live.turn); });
$("log-filter").addEventListener("change", renderLog);
$("log-kind").addEventListener("change", renderLog);
$("net-min").addEventListener("change", renderMapNet);
$("rel-a").addEventListener("change", renderCharts);
$("rel-b").addEventListener("change", renderCharts);
$("btn-step").addEventListener("click", step);
$("btn-play").addEventListener("click", togglePlay);
$("btn-run").addEventListener("click", runToEnd);
$("play-speed").addEventListener("change", () => {
  // a new speed while playing: the stream restarts at the new interval (the server paces an autoplay)
  if (G.es && (G.owner || G.live.has_owner === false)) { stopPlay(); togglePlay(); }
});

/** Move the month on display by `k` (or to `to`), as the slider does. */
function moveView(k, to) {
  if (!G.live) return false;
  const t = Math.max(0, Math.min(G.live.turn, to ?? (G.view.turn + k)));
  if (t === G.view.turn) return false;
  $("turn-slider").value = String(t);
  $("slider-label").textContent = `${monthName(t, null, true)} · ${t} / ${G.live.turn}`;
  showTurn(t);
  return true;
}

const tour = new Tour();
installPanelHelp();
const helpDialog = $("help-dialog");
const showShortcuts = () => openHelp(helpDialog, "Help and keyboard shortcuts", shortcutsHelp(), "keys");
$("btn-help").addEventListener("click", showShortcuts);
$("btn-tour").addEventListener("click", () => tour.start());
// each action says whether it did something: a key that did nothing keeps its own meaning (Space, Home and End
// scroll the page)
installShortcuts({
  back: () => moveView(-1), forward: () => moveView(1), first: () => moveView(0, 0), last: () => moveView(0, G.live ? G.live.turn : 0),
  playPause: () => { if ($("ai-controls").hidden || $("btn-play").disabled) return false; togglePlay(); return true; },
  step: () => { if ($("ai-controls").hidden || $("btn-step").disabled) return false; step(); return true; },
  help: () => { if (helpDialog.open) helpDialog.close(); else showShortcuts(); return true; },
});
window.addEventListener("resize", debounce(() => {
  Object.values(charts).forEach((c) => c.resize());
  if (G.view) { renderMapNet(); renderCharts(); }   // the network's box and the legends' room follow the new size
}, 100));
document.addEventListener("visibilitychange", () => { if (!document.hidden) schedulePoll(100); });
init();
