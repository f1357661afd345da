// The forecast page (/forecast): pick a question file (or paste one) and a scenario, run the forecast as a futures
// job (POST /api/forecast), read each question's probability with its 95% interval, say what happened and score it
// (Brier and log scores beside the persistence baseline, a reliability diagram), download the report as one file.
import { api, h, toast, wholeNumberIn } from "./common.js";
import { cancelJob, follow, myJobs } from "./jobs.js";

const $ = (id) => document.getElementById(id);
const root = $("forecast");
const SLOT = "forecast.page";
const S = { sets: [], scenarios: [], result: null, job: null, outcomes: {} };   // outcomes: id -> true | false

const pct = (p) => `${(100 * p).toFixed(0)}%`;
const num = (x, d = 3) => (x === null || x === undefined ? "—" : Number(x).toFixed(d));

function error(message) {
  $("forecast-error").hidden = !message;
  $("forecast-error").textContent = message || "";
}

function busy(on) {
  $("forecast-run").disabled = on;
  $("forecast-cancel").hidden = !on;
  $("forecast-progress").hidden = !on;
}

function showProgress(p) {
  $("forecast-bar").style.width = `${p && p.total ? Math.round((100 * p.done) / p.total) : 0}%`;
  $("forecast-progress-text").textContent = p && p.total
    ? `${p.done} of ${p.total} futures played · ${Number(p.elapsed || 0).toFixed(1)} s` : "Preparing the futures…";
}

const chosenSet = () => S.sets.find((s) => s.id === $("forecast-set").value) || null;
const pasted = () => $("forecast-yaml").value.trim();

/** The questions on display: the result's once there is one for this choice, else the chosen file's list. */
function rows() {
  if (S.result) return S.result.questions;
  const set = chosenSet();
  return pasted() || !set ? [] : set.questions;
}

function outcomeSelect(q) {
  const value = q.id in S.outcomes ? String(S.outcomes[q.id]) : "";
  const sel = h("select", { "aria-label": `What happened: ${q.id}`, dataset: { question: q.id },
    onchange: (e) => {
      if (e.target.value === "") delete S.outcomes[q.id]; else S.outcomes[q.id] = e.target.value === "true";
    } },
  h("option", { value: "" }, "not known yet"), h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "no"));
  sel.value = value;
  return sel;
}

function bar(q) {
  return h("div", { class: "pbar", title: `${pct(q.p)} [${pct(q.low)}–${pct(q.high)}]` },
    h("span", { class: "pbar-range", style: { left: `${100 * q.low}%`, width: `${Math.max(0.5, 100 * (q.high - q.low))}%` } }),
    h("span", { class: "pbar-point", style: { left: `${100 * q.p}%` } }));
}

function drawTable() {
  const list = rows();
  const done = !!S.result;
  const head = h("tr", {}, h("th", {}, "Question"), h("th", {}, "Month"),
    ...(done ? [h("th", { class: "num" }, "P [95%]"), h("th", { class: "ci-col" }, "0 – 100%"), h("th", { class: "num" }, "Persistence")] : []),
    h("th", {}, "What happened"), ...(done ? [h("th", { class: "num" }, "Brier")] : []));
  const cell = (label, attrs, ...kids) => h("td", { ...attrs, dataset: { label } }, ...kids);   // label: on phones
  const body = list.map((q) => h("tr", { dataset: { question: q.id } },
    h("td", { class: "fq" }, h("div", {}, q.text || q.id), h("div", { class: "small muted" }, q.id)),
    cell("Month", { class: "month" }, q.date),
    ...(done ? [cell("P", { class: "num" }, pct(q.p), h("span", { class: "muted small" }, ` [${pct(q.low)}–${pct(q.high)}]`)),
      h("td", { class: "ci-col" }, bar(q)), cell("Persistence", { class: "num" }, q.persistence ? "yes" : "no")] : []),
    cell("What happened", {}, outcomeSelect(q)),
    ...(done ? ["outcome" in q ? cell("Brier", { class: "num" }, num((q.p - (q.outcome ? 1 : 0)) ** 2)) : h("td", {})] : [])));
  $("forecast-table").replaceChildren(h("thead", {}, head), h("tbody", {}, ...(body.length ? body
    : [h("tr", {}, h("td", { colspan: "4", class: "muted" }, pasted() ? "Your questions appear here once they are forecast." : "No questions."))])));
}

function drawScores() {
  const card = $("forecast-scores-card");
  const s = S.result && S.result.scores;
  card.hidden = !s || !s.n;
  if (card.hidden) return;
  const better = (m, p, low) => (low ? m < p : m > p);
  $("forecast-scores").replaceChildren(h("table", { class: "ftable", id: "forecast-score-table" },
    h("thead", {}, h("tr", {}, h("th", {}, `Over ${s.n} resolved question${s.n === 1 ? "" : "s"}`), h("th", { class: "num" }, "Model"), h("th", { class: "num" }, "Persistence"))),
    h("tbody", {},
      h("tr", { dataset: { score: "brier" } }, h("td", {}, "Brier score (0 best, lower is better)"),
        h("td", { class: `num ${better(s.brier, s.persistence.brier, true) ? "good" : ""}` }, num(s.brier, 4)), h("td", { class: "num" }, num(s.persistence.brier, 4))),
      h("tr", { dataset: { score: "log" } }, h("td", {}, "Log score (0 best, higher is better)"),
        h("td", { class: `num ${better(s.log_score, s.persistence.log_score, false) ? "good" : ""}` }, num(s.log_score, 4)), h("td", { class: "num" }, num(s.persistence.log_score, 4))))));
  const chart = echarts.getInstanceByDom($("forecast-reliability")) || echarts.init($("forecast-reliability"));
  chart.setOption({
    animation: false,
    title: { text: "Reliability: forecast against observed frequency", textStyle: { fontSize: 13 } },
    grid: { left: 50, right: 20, top: 40, bottom: 40 },
    tooltip: { trigger: "item", formatter: (p) => (p.seriesName === "bins" ? `${p.data[2]} question(s): forecast ${num(p.data[0], 2)}, observed ${num(p.data[1], 2)}` : "") },
    xAxis: { type: "value", min: 0, max: 1, name: "forecast", nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "value", min: 0, max: 1, name: "observed", nameLocation: "middle", nameGap: 34 },
    series: [
      { type: "line", name: "perfect", data: [[0, 0], [1, 1]], symbol: "none", lineStyle: { type: "dashed", color: "#94a3b8" }, silent: true },
      { type: "scatter", name: "bins", data: s.reliability.map((b) => [b.forecast, b.observed, b.n]), symbolSize: (d) => 8 + 4 * Math.sqrt(d[2]), itemStyle: { color: "#1d4ed8" } },
    ],
  }, { notMerge: true });
}

function drawAll() {
  drawTable();
  drawScores();
  const r = S.result;
  $("forecast-meta").textContent = r ? `${r.name}: ${r.scenario}, ${r.replications} futures (seed ${r.seed}), to month ${r.horizon}` : "";
}

async function run() {
  error("");
  const n = wholeNumberIn($("forecast-n")), seed = wholeNumberIn($("forecast-seed"));
  if (n.error || seed.error) { error(n.error || seed.error); return; }
  const body = { replications: n.value, seed: seed.value };
  if (pasted()) body.questions_yaml = pasted(); else body.questions = $("forecast-set").value;
  if ($("forecast-scenario").value) body.scenario = $("forecast-scenario").value;
  if (Object.keys(S.outcomes).length) body.resolutions = { ...S.outcomes };
  let job;
  try { job = await api("/api/forecast", { method: "POST", body }); } catch (e) { error(e.message); return; }
  if (job.owner_token) myJobs.set(SLOT, { id: job.id, owner: job.owner_token });
  S.job = { id: job.id, owner: job.owner_token };
  $("forecast-download").hidden = true;
  busy(true);
  showProgress(job.progress);
  try {
    const finished = job.state === "done" ? job : await follow(job.id, showProgress);
    S.result = finished.result;
    const known = new Set(S.result.questions.map((q) => q.id));
    for (const id of Object.keys(S.outcomes)) if (!known.has(id)) delete S.outcomes[id];
    drawAll();
    const dl = $("forecast-download");
    dl.href = finished.links.html;
    dl.setAttribute("download", `forecast-${S.result.name}.html`);
    dl.hidden = false;
    root.dataset.forecast = String(S.result.replications);
  } catch (e) {
    error(e.state === "cancelled" ? "The forecast was cancelled." : `The forecast failed: ${e.message}`);
  } finally {
    busy(false);
    myJobs.set(SLOT, null);
    S.job = null;
  }
}

/** The result on display answers the scenario, futures and seed it was run with: once one of them changes it is
 * cleared (the answers given under "What happened" stay: they are about the same questions). */
function clearResult() {
  if (!S.result) return;
  S.result = null;
  $("forecast-download").hidden = true;
  delete root.dataset.forecast;
  drawAll();
}

function chooseSet() {
  const set = chosenSet();
  if (set && set.scenario && S.scenarios.some((s) => s.id === set.scenario)) $("forecast-scenario").value = set.scenario;
  S.result = null;
  S.outcomes = {};
  $("forecast-download").hidden = true;
  delete root.dataset.forecast;
  drawAll();
}

async function init() {
  try {
    const [sets, scenarios] = await Promise.all([api("/api/forecast/questions"), api("/api/scenarios")]);
    S.sets = sets.sets;
    S.scenarios = scenarios;
  } catch (e) { error(e.message); return; }
  $("forecast-set").replaceChildren(...S.sets.map((s) => h("option", { value: s.id }, `${s.name} (${s.questions.length} questions)`)));
  $("forecast-scenario").replaceChildren(h("option", { value: "" }, "the file's own"),
    ...S.scenarios.map((s) => h("option", { value: s.id }, s.name ? `${s.name} (${s.id})` : s.id)));
  $("forecast-set").addEventListener("change", chooseSet);
  $("forecast-yaml").addEventListener("input", () => { if (S.result) clearResult(); else drawTable(); });
  for (const id of ["forecast-scenario", "forecast-n", "forecast-seed"]) $(id).addEventListener("change", clearResult);
  $("forecast-run").addEventListener("click", run);
  $("forecast-cancel").addEventListener("click", async () => {
    if (!S.job) return;
    try { await cancelJob(S.job.id, S.job.owner); } catch (e) { toast(e.message, "error"); }
  });
  window.addEventListener("resize", () => { const c = echarts.getInstanceByDom($("forecast-reliability")); if (c) c.resize(); });
  chooseSet();
  root.dataset.ready = "1";
}

init();
