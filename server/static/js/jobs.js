// Futures jobs seen from a page (POST .../futures, .../compare, .../review answer 202 with a job): follow a job's
// progress over Server-Sent Events until it ends, keep its owner token in this tab so a reload can re-attach to it
// or cancel it. Shared by the futures panel of the game page and the after-action review page.
import { api } from "./common.js";

const STORE = "wargame.futures.jobs";

/** Jobs this tab started and may still be running: {slot: {id, owner}} in sessionStorage. */
export const myJobs = {
  all() { try { return JSON.parse(sessionStorage.getItem(STORE) || "{}") || {}; } catch { return {}; } },
  get(slot) { return myJobs.all()[slot] || null; },
  set(slot, job) {
    const all = myJobs.all();
    if (job) all[slot] = job; else delete all[slot];
    try { sessionStorage.setItem(STORE, JSON.stringify(all)); } catch { /* private mode */ }
  },
};

/** Follow a job to its end: onProgress({done, total, elapsed}) as futures are played; resolves with the finished job
 * (state done, with its result), rejects with an Error carrying the job's message when it fails or is cancelled.
 * Falls back to polling GET /api/futures/<id> when the event stream cannot be opened. */
export function follow(jobId, onProgress, { signal } = {}) {
  return new Promise((resolve, reject) => {
    let es = null, timer = null, over = false;
    const end = (fn, value) => {
      if (over) return;
      over = true;
      if (es) es.close();
      if (timer) clearTimeout(timer);
      fn(value);
    };
    const failed = (state, message) => {
      const e = new Error(message || `The job ${state}.`);
      e.state = state;
      return e;
    };
    if (signal) signal.addEventListener("abort", () => end(reject, failed("aborted", "Stopped following the job.")));
    const poll = async () => {
      try {
        const job = await api(`/api/futures/${encodeURIComponent(jobId)}`);
        if (job.progress && job.progress.total) onProgress(job.progress);
        if (job.state === "done") return end(resolve, job);
        if (job.state === "failed" || job.state === "cancelled") return end(reject, failed(job.state, job.error));
      } catch (e) { return end(reject, e); }
      timer = setTimeout(poll, 700);
    };
    try {
      es = new EventSource(`/api/futures/${encodeURIComponent(jobId)}/events`);
    } catch { poll(); return; }
    es.addEventListener("progress", (e) => { try { onProgress(JSON.parse(e.data)); } catch { /* ignore a bad event */ } });
    es.addEventListener("done", (e) => { try { end(resolve, JSON.parse(e.data)); } catch (err) { end(reject, err); } });
    for (const state of ["failed", "cancelled"]) {
      es.addEventListener(state, (e) => {
        let msg = "";
        try { msg = JSON.parse(e.data).error; } catch { msg = ""; }
        end(reject, failed(state, msg));
      });
    }
    es.onerror = () => { if (!over) { es.close(); es = null; poll(); } };   // a dropped stream: poll instead
  });
}

/** Ask a job to stop (its owner token); the job ends as cancelled. */
export function cancelJob(jobId, owner) {
  return api(`/api/futures/${encodeURIComponent(jobId)}/cancel`, { method: "POST", owner });
}

/** "12 of 200 futures · 3.1 s". */
export function progressText(p) {
  if (!p || !p.total) return "Preparing the futures (the game is replayed to its month)…";
  return `${p.done} of ${p.total} futures played · ${Number(p.elapsed || 0).toFixed(1)} s`;
}
