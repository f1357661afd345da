// The experiments page: pick or write a spec (validated as you type), launch it, follow its progress over
// Server-Sent Events, then show the verdicts, per-arm distributions of each outcome (ECharts) and the downloads.
import { api, debounce, h, owners, toast } from "./common.js";

const $ = (id) => document.getElementById(id);
const COLORS = ["#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de", "#3ba272", "#fc8452", "#9a60b4"];
let specs = [];
let current = null;        // id of the experiment shown
let source = null;         // its EventSource
let shown = 0;             // show() calls so far: only the latest one fills the panel
let charts = [];

// ------------------------------------------------------------------------------------------------ specs
async function loadSpecs(select) {
  specs = await api("/api/experiments/specs");
  const sel = $("xp-spec");
  sel.replaceChildren(h("option", { value: "" }, "— write a new spec —"),
    ...specs.map((s) => h("option", { value: s.id }, `${s.name} (${s.builtin ? "built in" : "yours"}: ${s.id})`)));
  const pick = select ?? (specs.find((s) => s.id === "projected-outcomes") || specs[0] || {}).id;
  if (pick) {
    sel.value = pick;
    await openSpec(pick);
  }
}

async function openSpec(id) {
  if (!id) {
    $("xp-desc").textContent = "";
    return;
  }
  const s = await api(`/api/experiments/specs/${encodeURIComponent(id)}`);
  $("xp-yaml").value = s.yaml;
  $("xp-desc").textContent = s.description || "";
  validate();
}

const validate = debounce(async () => {
  const text = $("xp-yaml").value;
  const state = $("xp-valid");
  if (!text.trim()) {
    state.textContent = "";
    $("xp-errors").replaceChildren();
    return;
  }
  state.textContent = "checking…";
  try {
    const res = await api("/api/experiments/validate", { method: "POST", body: { yaml: text } });
    state.textContent = res.ok ? "valid" : `${res.errors.length} error${res.errors.length === 1 ? "" : "s"}`;
    state.className = `valid-state ${res.ok ? "ok" : "bad"}`;
    $("xp-errors").replaceChildren(...res.errors.map((e) =>
      h("li", {}, (e.line ? `line ${e.line}: ` : "") + (e.field ? `${e.field}: ` : "") + e.message)));
    plan = res.ok ? { cells: res.cells, reps: res.cells ? Math.round(res.runs / res.cells) : 0 } : null;
    renderRuns();
  } catch (e) {
    state.textContent = "";
    toast(e.message, "error");
  }
}, 400);

function numberOrNull(id) {
  const v = $(id).value.trim();
  return v === "" ? null : Number(v);
}

// ---------------------------------------------------------------------------------------------- run count
let plan = null;        // {cells, reps}: the spec's cells and replications, from the last validation
const CONFIRM_RUNS = Number(document.getElementById("experiments").dataset.confirmRuns) || 1000;

/** The runs a launch would start: cells x (the form's replications, or the spec's). */
function plannedRuns() {
  if (!plan) return null;
  const reps = numberOrNull("xp-reps");
  return { runs: plan.cells * (reps ?? plan.reps), reps: reps ?? plan.reps, fromSpec: reps === null };
}

function renderRuns() {
  const p = plannedRuns();
  $("xp-runs").textContent = p ? `${plan.cells} cell(s) × ${p.reps.toLocaleString()} replications${p.fromSpec ? " (the spec's)" : ""} = ${p.runs.toLocaleString()} runs` : "";
  $("xp-confirm").hidden = true;
}

/** Launch, after asking when more than CONFIRM_RUNS runs would start. */
function askThenLaunch() {
  const p = plannedRuns();
  if (p && p.runs > CONFIRM_RUNS) {
    $("xp-confirm-text").textContent = `This launches ${p.runs.toLocaleString()} runs${p.fromSpec ? " (the spec's replications: the Replications box is blank)" : ""}, more than ${CONFIRM_RUNS.toLocaleString()}. Launch them?`;
    $("xp-confirm-yes").textContent = `Launch ${p.runs.toLocaleString()} runs`;
    $("xp-confirm").hidden = false;
    $("xp-confirm-yes").focus();
    return;
  }
  launch();
}

async function launch() {
  $("xp-confirm").hidden = true;
  const sel = $("xp-spec").value;
  const text = $("xp-yaml").value;
  const unchanged = sel && specs.length && text === (await api(`/api/experiments/specs/${encodeURIComponent(sel)}`)).yaml;
  const body = unchanged ? { spec: sel } : { yaml: text };
  const reps = numberOrNull("xp-reps"), workers = numberOrNull("xp-workers");
  if (reps !== null) body.replications = reps;
  if (workers !== null) body.workers = workers;
  $("xp-run").disabled = true;
  try {
    const job = await api("/api/experiments", { method: "POST", body });
    owners.set("experiment", job.id, job.owner_token); // only this browser can cancel or delete it
    toast(`Started: ${job.runs.toLocaleString()} runs`, "ok");
    await loadJobs();
    show(job.id);
  } catch (e) {
    toast(e.message, "error");
  } finally {
    $("xp-run").disabled = false;
  }
}

async function saveSpec() {
  const id = $("xp-save-id").value.trim();
  if (!id) {
    toast("Give the spec an id to save it under.", "error");
    return;
  }
  try {
    await api("/api/experiments/specs", { method: "POST", body: { id, yaml: $("xp-yaml").value } });
    toast(`Saved as ${id}`, "ok");
    await loadSpecs(id);
  } catch (e) {
    toast(e.message, "error");
  }
}

// ------------------------------------------------------------------------------------------------- jobs
// The list shows each experiment's name, spec, state, progress and age; while any of them runs it is read again
// every LIST_POLL_MS (the watched one also moves with its own event stream), so several jobs stay legible while
// one is watched; otherwise only the ages are redrawn.
const LIST_POLL_MS = 2000;
const AGE_REDRAW_MS = 30000;
let jobs = [];
let listTimer = null;
const isLive = (j) => ["running", "starting"].includes(j.status);

async function loadJobs() {
  jobs = await api("/api/experiments");
  renderJobs();
  scheduleList();
}

function scheduleList() {
  clearTimeout(listTimer);
  const live = jobs.some(isLive);
  listTimer = setTimeout(() => {
    if (live) loadJobs().catch(() => scheduleList());   // a failed read (server restarting): try again later
    else { renderJobs(); scheduleList(); }
  }, live ? (document.hidden ? 4 * LIST_POLL_MS : LIST_POLL_MS) : AGE_REDRAW_MS);
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
function ago(iso) {
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!Number.isFinite(s)) return "";
  if (s < 45) return "just now";
  if (s < 5400) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** "15:21", or "3 Dec 15:21" on another day (local time). */
function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const t = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return d.toDateString() === new Date().toDateString() ? t : `${d.toLocaleDateString([], { day: "numeric", month: "short" })} ${t}`;
}

/** A job's progress as a share and a phrase: "48 of 240 runs · 20% · 72 s left", "240 runs done". */
function jobProgress(j) {
  const p = j.progress || {};
  const total = p.total || j.runs;
  const done = j.status === "done" ? total : Math.min(total, p.done || 0);
  const share = total ? done / total : 0;
  const n = (x) => Number(x).toLocaleString();
  const text = j.status === "done" ? `${n(total)} runs done`
    : j.status === "starting" ? `starting · ${n(total)} runs to play`
    : j.status === "running" ? `${n(done)} of ${n(total)} runs · ${Math.floor(100 * share)}%${p.eta ? ` · ${fmtSeconds(p.eta)} left` : ""}`
    : j.status === "cancelled" ? `cancelled at ${n(done)} of ${n(total)} runs`
    : `failed${done ? ` after ${n(done)} of ${n(total)} runs` : ""}`;
  return { done, total, share, text };
}

function renderJobs() {
  const list = $("xp-jobs");
  if (!jobs.length) {
    list.replaceChildren(h("li", { class: "muted" }, "No experiments yet."));
    return;
  }
  const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("#xp-jobs li[data-id]") : null;
  const running = jobs.filter(isLive).length;
  $("xp-jobs-note").textContent = running ? `${running} running · updated every ${LIST_POLL_MS / 1000} s` : "";
  list.replaceChildren(...jobs.map((j) => {
    const pr = jobProgress(j), picked = j.id === current;
    return h("li", { class: `xp-job-item${picked ? " xp-watched" : ""}`, dataset: { id: j.id, status: j.status, done: String(pr.done) } },
      h("button", { type: "button", class: "xp-job-row", "aria-current": picked ? "true" : null,
        title: `Show experiment ${j.id}`, onclick: () => show(j.id) },
        h("span", { class: "xp-job-top" }, h("span", { class: `xp-status ${j.status}` }, j.status),
          h("span", { class: "xp-job-name" }, j.name), picked ? h("span", { class: "xp-watching" }, "watching") : null),
        h("span", { class: "xp-job-spec small" }, j.spec ? h("code", {}, j.spec) : "spec written on this page",
          ` · ${Number(j.runs).toLocaleString()} runs · ${j.workers} worker${j.workers === 1 ? "" : "s"}`),
        h("span", { class: `xp-mini ${j.status}`, role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(pr.total),
          "aria-valuenow": String(pr.done), "aria-label": `${j.name}: ${pr.text}` }, h("span", { style: { width: `${(100 * pr.share).toFixed(1)}%` } })),
        h("span", { class: "xp-job-meta small muted" }, h("span", { class: "xp-job-progress" }, pr.text), " · ",
          h("time", { datetime: j.created, title: new Date(j.created).toLocaleString() }, `started ${ago(j.created)} (${clock(j.created)})`))));
  }));
  // a redraw keeps the keyboard where it was
  if (focused) list.querySelector(`li[data-id="${CSS.escape(focused.dataset.id)}"] button`)?.focus();
}

/** The watched job moved (its event stream): its row follows at once. */
function updateRow(id, patch) {
  const j = jobs.find((x) => x.id === id);
  if (!j) return;
  Object.assign(j, patch);
  renderJobs();
}

function fmtSeconds(s) {
  if (s === null || s === undefined) return "…";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function showProgress(p) {
  if (!p) return;
  const pct = p.total ? (100 * p.done) / p.total : 0;
  $("xp-bar").style.width = `${pct.toFixed(1)}%`;
  $("xp-progress-text").textContent = `${p.done.toLocaleString()} of ${p.total.toLocaleString()} runs` +
    (p.rate ? ` · ${p.rate.toFixed(1)} runs/s · ${fmtSeconds(p.eta)} left` : "");
}

function setStatus(job) {
  const st = $("xp-job-status");
  st.textContent = job.status;
  st.className = `xp-status ${job.status}`;
  $("xp-cancel").hidden = !["running", "starting"].includes(job.status);
  $("xp-error").textContent = job.error || "";
}

async function show(id) {
  const mine = ++shown;
  if (source) source.close();
  source = null;
  current = id;
  renderJobs();
  $("xp-results").hidden = true;            // not the results of the job watched before, while this one loads
  const job = await api(`/api/experiments/${id}`);
  if (mine !== shown) return;               // another job was picked meanwhile: its answer fills the panel
  $("xp-job").hidden = false;
  $("xp-job-title").textContent = job.name;
  $("xp-job-sub").textContent = `${job.spec ? `spec ${job.spec}` : "spec written on this page"} · ${Number(job.runs).toLocaleString()} runs · `
    + `${job.workers} worker${job.workers === 1 ? "" : "s"} · started ${clock(job.created)} · id ${job.id}`;
  setStatus(job);
  showProgress(job.progress);
  $("xp-results").hidden = true;
  if (job.status === "done") {
    results(job);
    return;
  }
  if (!["running", "starting"].includes(job.status)) return;
  source = new EventSource(`/api/experiments/${id}/events`);
  source.addEventListener("progress", (ev) => {
    const p = JSON.parse(ev.data);
    showProgress(p);
    setStatus({ ...job, status: "running" });
    updateRow(id, { status: "running", progress: p });
  });
  source.addEventListener("done", (ev) => {
    source.close();
    const done = JSON.parse(ev.data);
    setStatus(done);
    showProgress(done.progress);
    results(done);
    loadJobs();
  });
  for (const kind of ["failed", "cancelled"]) {
    source.addEventListener(kind, (ev) => {
      source.close();
      setStatus({ ...job, status: kind, error: JSON.parse(ev.data).error });
      loadJobs();
    });
  }
  source.onerror = () => { /* the browser reconnects by itself; the next event brings the state */ };
}

async function cancel() {
  try {
    const job = await api(`/api/experiments/${current}/cancel`, { method: "POST", owner: owners.get("experiment", current) });
    setStatus(job);
    loadJobs();
  } catch (e) {
    toast(e.message, "error");
  }
}

// ---------------------------------------------------------------------------------------------- results
function fmt(x, kind) {
  if (x === null || x === undefined) return "n/a";
  return kind === "probability" ? x.toFixed(3) : Number(x).toPrecision(4);
}

function results(job) {
  const s = job.summary;
  $("xp-results").hidden = false;
  const rows = s.hypotheses.filter((hy) => hy.point === "all");
  $("xp-verdicts").replaceChildren(
    h("tr", {}, ...["hypothesis", "verdict", "effect (95% CI)", "p", "evidence"].map((t) => h("th", {}, t))),
    ...(rows.length ? rows.map((hy) => h("tr", {},     // data-label: the column's name, shown on a phone (one card a row)
      h("td", {}, h("b", {}, hy.hypothesis), h("div", { class: "small muted" }, hy.statement || "")),
      h("td", { dataset: { label: "verdict" } }, h("span", { class: `verdict ${hy.verdict}` }, hy.verdict)),
      h("td", { dataset: { label: "effect (95% CI)" } }, `${fmt(hy.effect, hy.kind)} (${fmt(hy.effect_low, hy.kind)} to ${fmt(hy.effect_high, hy.kind)})`),
      h("td", { dataset: { label: "p" } }, hy.p_value === null ? "n/a" : hy.p_value < 1e-4 ? "< 0.0001" : hy.p_value.toFixed(4)),
      h("td", { class: "small", dataset: { label: "evidence" } }, hy.sentence)))
      : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "This spec states no hypotheses."))]));
  charts.forEach((c) => c.dispose());
  charts = [];
  const box = $("xp-charts");
  box.replaceChildren();
  for (const d of s.distributions) {
    const el = h("div", { class: "xp-chart" });
    box.append(el);
    if (!window.echarts) continue;
    const c = window.echarts.init(el);
    charts.push(c);
    c.setOption(distributionChart(d));
  }
  $("xp-files").replaceChildren(...job.files.map((f) =>
    h("a", { href: f.url, download: "" }, `${f.name} (${(f.bytes / 1024).toFixed(0)} kB)`)));
}

function distributionChart(d) {
  const arms = d.arms.map((a) => a.arm);
  const base = { title: { text: d.outcome, subtext: d.definition, textStyle: { fontSize: 14 } }, grid: { top: 64, left: 50, right: 16 },
    tooltip: {}, xAxis: { type: "category", data: arms, axisLabel: { interval: 0, rotate: arms.length > 3 ? 20 : 0 } } };
  if (d.kind === "probability") {
    return { ...base, yAxis: { min: 0, max: 1 },
      series: [
        { type: "bar", data: d.arms.map((a, i) => ({ value: a.estimate, itemStyle: { color: COLORS[i % COLORS.length] } })),
          tooltip: { formatter: (p) => { const a = d.arms[p.dataIndex];
            return `${a.arm}: ${fmt(a.estimate, "probability")} (95% CI ${fmt(a.ci_low, "probability")}–${fmt(a.ci_high, "probability")}, n=${a.n})`; } } },
        { type: "custom", z: 10, silent: true, data: d.arms.map((a, i) => [i, a.ci_low, a.ci_high]),
          renderItem: (params, api) => {
            const lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
            const line = (x1, y1, x2, y2) => ({ type: "line", shape: { x1, y1, x2, y2 }, style: { stroke: "#222", lineWidth: 1.4 } });
            return { type: "group", children: [line(lo[0], lo[1], hi[0], hi[1]), line(lo[0] - 6, lo[1], lo[0] + 6, lo[1]),
              line(hi[0] - 6, hi[1], hi[0] + 6, hi[1])] };
          } }] };
  }
  return { ...base, yAxis: { scale: true },
    series: [
      { type: "boxplot", data: d.arms.map((a) => a.box || [a.estimate, a.estimate, a.estimate, a.estimate, a.estimate]) },
      { type: "scatter", symbolSize: 9, data: d.arms.map((a, i) => [i, a.estimate]),
        tooltip: { formatter: (p) => { const a = d.arms[p.dataIndex];
          return `${a.arm}: mean ${fmt(a.estimate)} (95% CI ${fmt(a.ci_low)}–${fmt(a.ci_high)}, n=${a.n})`; } } }] };
}

// ------------------------------------------------------------------------------------------------ start
$("xp-spec").addEventListener("change", (e) => openSpec(e.target.value).catch((err) => toast(err.message, "error")));
$("xp-yaml").addEventListener("input", validate);
$("xp-run").addEventListener("click", askThenLaunch);
$("xp-reps").addEventListener("input", renderRuns);
$("xp-confirm-yes").addEventListener("click", launch);
$("xp-confirm-no").addEventListener("click", () => { $("xp-confirm").hidden = true; });
$("xp-save").addEventListener("click", saveSpec);
$("xp-cancel").addEventListener("click", cancel);
$("xp-refresh").addEventListener("click", () => loadJobs().catch((e) => toast(e.message, "error")));
window.addEventListener("resize", debounce(() => charts.forEach((c) => c.resize()), 200));
document.addEventListener("visibilitychange", () => { if (!document.hidden && jobs.some(isLive)) loadJobs().catch(() => scheduleList()); });

(async () => {
  try {
    await Promise.all([loadSpecs(), loadJobs()]);
    const params = new URLSearchParams(location.search);
    const first = params.get("id") || document.querySelector("#xp-jobs li[data-id]")?.dataset.id;
    if (first) await show(first);
  } catch (e) {
    toast(e.message, "error");
  }
})();
