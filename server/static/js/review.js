// The after-action review page of one human seat: starts (or re-attaches to) the review job, shows its progress,
// then draws it with review-draw.js (the same drawing the downloadable one-file review uses).
import { api, ApiError, h, shortName, toast } from "./common.js";
import { cancelJob, follow, myJobs, progressText } from "./jobs.js";

const $ = (id) => document.getElementById(id);
const root = $("review");
const gameId = root.dataset.gameId, actor = root.dataset.actor;
const slot = `review.${gameId}.${actor}`;
let current = null;   // {id, owner} of the job on display

function status(message, kind = "") {
  const box = $("review-status");
  box.hidden = !message;
  box.className = `notice ${kind}`;
  box.replaceChildren(message || "");
}

function busy(on) {
  $("review-run").disabled = on;
  $("review-cancel").hidden = !on;
  $("review-progress").hidden = !on;
}

function showProgress(p) {
  const pct = p && p.total ? Math.round((100 * p.done) / p.total) : 0;
  $("review-bar").style.width = `${pct}%`;
  $("review-progress-text").textContent = progressText(p);
}

function done(job) {
  busy(false);
  myJobs.set(slot, null);
  status("");
  root.dataset.ready = "1";
  window.ReviewDraw.draw(job.result, $("review-body"));
  const dl = $("review-download");
  dl.href = job.links.html;
  dl.setAttribute("download", `review-${gameId}-${actor}.html`);
  dl.hidden = false;
}

async function watch(job) {
  current = job;
  busy(true);
  showProgress(job.progress);
  try {
    done(await follow(job.id, showProgress));
  } catch (e) {
    busy(false);
    myJobs.set(slot, null);
    status(e.state === "cancelled" ? "The review was cancelled." : `The review failed: ${e.message}`, e.state === "cancelled" ? "" : "error");
  }
}

async function run() {
  status("");
  $("review-download").hidden = true;
  const body = { seat: actor, n: Number($("review-n").value), pivotal: $("review-pivotal").checked };
  let job;
  try {
    job = await api(`/api/games/${encodeURIComponent(gameId)}/review`, { method: "POST", body });
  } catch (e) {
    status(e.message, "error");
    return;
  }
  if (job.owner_token) myJobs.set(slot, { id: job.id, owner: job.owner_token });
  watch({ ...job, owner: job.owner_token });
}

async function init() {
  let state;
  try {
    state = await api(`/api/games/${encodeURIComponent(gameId)}`);
  } catch (e) {
    status(e instanceof ApiError && e.status === 404 ? `There is no game ${gameId}.` : e.message, "error");
    $("review-run").disabled = true;
    return;
  }
  const a = (state.actors || []).find((x) => x.id === actor);
  const name = a ? shortName(a.name) : actor;
  $("review-title").textContent = `After-action review: ${name}`;
  document.title = `After-action review — ${name} — game ${gameId}`;
  $("review-sub").replaceChildren(`${state.scenario_name || state.scenario} · game ${gameId} · month ${state.turn} of ${state.max_turns} · `,
    h("a", { href: `/game/${encodeURIComponent(gameId)}` }, "back to the game"));
  if (!(state.human || []).includes(actor)) {
    status(`${name} is not a human seat in this game (human seats: ${(state.human || []).join(", ") || "none"}), so there is nothing to review.`, "error");
    $("review-run").disabled = true;
    return;
  }
  if (state.turn < 1) {
    status("No month has been played yet: there is nothing to review.", "");
    $("review-run").disabled = true;
    return;
  }
  const mine = myJobs.get(slot);
  if (mine) {
    try {
      const job = await api(`/api/futures/${encodeURIComponent(mine.id)}`);
      if (job.state === "done") { done(job); return; }
      if (job.state === "running" || job.state === "queued") { watch({ ...job, owner: mine.owner }); return; }
    } catch { myJobs.set(slot, null); }
  }
  run();
}

$("review-run").addEventListener("click", run);
$("review-cancel").addEventListener("click", async () => {
  if (!current) return;
  try { await cancelJob(current.id, current.owner || (myJobs.get(slot) || {}).owner); } catch (e) { toast(e.message, "error"); }
});
init();
