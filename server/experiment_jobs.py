"""Experiment jobs of the web app: specs (built-in and the user's), and batches run in background processes.

An experiment runs in its own process (`run_job`, started with subprocess in a new session), niced, so the server
keeps answering while the cores work; its state lives in files under DATA_DIR/experiments/jobs/<id>/ (job.json,
spec.yaml, log.txt, error.txt, out/ with the batch's progress.json and results), so a restarted server still
lists finished experiments and follows running ones. Specs come from configs/experiments/ (built in), the
experiments/ of the `--config-dir` folders (read only) or DATA_DIR/experiments/specs/ (the user's own); specs
written in the browser may name scenarios (built-in, from a config folder or the user's) but not file paths.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from model import UserError, shipped_dir, write_atomic
from server.caches import StampedLRU, file_stamp
from server.owners import check_owner, new_owner
from server.scenarios import error_items
from server.schemas import ApiError, ErrorItem

SPEC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")   # \Z, not $: $ also matches before a final newline
JOB_ID_RE = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}\Z")
SPEC_ID_HINT = "letters, digits, '-' or '_' (1-64 characters, starting with a letter or digit)"
FILES = {"runs.parquet": "application/vnd.apache.parquet", "turns.parquet": "application/vnd.apache.parquet",
         "summary.csv": "text/csv", "summary.md": "text/markdown", "report.html": "text/html",
         "metadata.json": "application/json", "summary.json": "application/json"}
DEFAULTS = {"EXPERIMENTS_MAX_RUNS": 200_000,     # runs one launch may ask for
            "EXPERIMENTS_MAX_RUNNING": 2,        # experiments running at once
            "EXPERIMENTS_NICE": 5,               # niceness of experiment processes (the server stays responsive)
            "EXPERIMENTS_CHECK_SECONDS": 5.0,    # time one request may spend checking a spec's points and draws
            "EXPERIMENTS_CHECKS_AT_ONCE": 1}     # spec checks running at once (others wait, then 503)
FINAL = ("done", "failed", "cancelled")
TITLE_CACHE = 256          # spec titles kept (least recently used dropped); a file's edit replaces its entry
CHECK_WAIT = 10.0          # seconds a check waits for its turn before the server answers 503

class Experiments:
    """Specs and experiment jobs of one data folder."""

    def __init__(self, data_dir: Path, user_scenarios: Path, builtin_specs: Path | None = None,
                 *, max_runs: int, max_running: int, nice: int, library_specs: Sequence[Path] = (),
                 library_scenarios: Sequence[Path] = (), check_seconds: float | None = None,
                 checks_at_once: int = 1) -> None:
        self.root = Path(data_dir) / "experiments"
        self.spec_dir, self.job_dir = self.root / "specs", self.root / "jobs"
        self.spec_dir.mkdir(parents=True, exist_ok=True)
        self.job_dir.mkdir(parents=True, exist_ok=True)
        self.builtin = Path(builtin_specs) if builtin_specs is not None else shipped_dir("experiments")
        self.user_scenarios = Path(user_scenarios)
        # read-only spec folders, the shipped one first; scenario names: config folders before the user's own
        self.read_only = [self.builtin, *map(Path, library_specs)]
        self.scenario_dirs = [*map(Path, library_scenarios), self.user_scenarios]
        self.max_runs, self.max_running, self.nice = max_runs, max_running, nice
        self.check_seconds = check_seconds
        self._checks = threading.BoundedSemaphore(max(1, checks_at_once))
        self._titles: StampedLRU[dict] = StampedLRU(TITLE_CACHE)
        self.procs: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()

    # ----------------------------------------------------------------------------------------- specs
    def _spec_file(self, sid: str) -> tuple[Path, bool]:
        if not SPEC_ID_RE.match(sid):
            raise ApiError(404, f"no experiment spec {sid!r}")
        for folder, builtin in self._folders():
            p = folder / f"{sid}.yaml"
            if p.is_file():
                return p, builtin
        raise ApiError(404, f"no experiment spec {sid!r}")

    def specs(self) -> list[dict]:
        out, seen = [], set()
        for folder, builtin in self._folders():
            for p in sorted(folder.glob("*.yaml")):
                if not SPEC_ID_RE.match(p.stem) or p.stem in seen:
                    continue
                seen.add(p.stem)
                out.append({"id": p.stem, "builtin": builtin, **self._title(p)})
        return out

    def _title(self, p: Path) -> dict:
        """A spec's name and description, parsed once per version of the file (least recently used dropped)."""
        stamp = file_stamp([p])
        hit = self._titles.get(str(p), stamp)
        return hit if hit is not None else self._titles.put(str(p), stamp, _title(p))

    def _folders(self) -> list[tuple[Path, bool]]:
        """(folder, read-only) in lookup order: shipped, --config-dir folders, the user's own."""
        return [(d, True) for d in self.read_only] + [(self.spec_dir, False)]

    def spec(self, sid: str) -> dict:
        p, builtin = self._spec_file(sid)
        return {"id": sid, "builtin": builtin, **self._title(p), "yaml": p.read_text(encoding="utf-8")}

    def check(self, text: str) -> tuple[Any, list[ErrorItem]]:
        """Validate spec text exactly as a launch will (scenario names only, user scenarios found).

        Bounded on the request thread: the sizes are checked from counts first (model.config.limits), the
        validation of every sweep point and draw stops after `check_seconds`, and at most `checks_at_once` checks
        run together (the others wait up to CHECK_WAIT s, then 503), so steps stay quick meanwhile."""
        from model import load_experiment
        if not self._checks.acquire(timeout=CHECK_WAIT):
            raise ApiError(503, "the server is busy checking other experiment specs; retry in a moment")
        try:
            with tempfile.TemporaryDirectory(dir=self.root, prefix=".check-") as d:
                p = Path(d) / "spec.yaml"
                p.write_text(text, encoding="utf-8")
                try:
                    return load_experiment(p, allow_paths=False, search_dirs=self.scenario_dirs,
                                           max_seconds=self.check_seconds), []
                except UserError as exc:
                    return None, error_items(exc, str(p), "the spec")
        finally:
            self._checks.release()

    def save_spec(self, sid: str, text: str) -> None:
        if any((d / f"{sid}.yaml").is_file() for d in self.read_only):
            raise ApiError(409, f"id: {sid!r} is a built-in spec and is never overwritten; save it under another id")
        _, errors = self.check(text)
        if errors:
            raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors])
        write_atomic(self.spec_dir / f"{sid}.yaml", text)     # (two workers may save one id at once)

    # ------------------------------------------------------------------------------------------ jobs
    def launch(self, *, spec: str | None = None, yaml: str | None = None, replications: int | None = None,
               turns: int | None = None, workers: int | None = None) -> dict:
        """Check the spec (a saved one by id, or text), then start its batch in a background process."""
        if spec is not None:
            text, sid = self._spec_file(spec)[0].read_text(encoding="utf-8"), spec
        else:
            text, sid = yaml or "", None
        exp, errors = self.check(text)
        if errors:
            raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors])
        reps = replications or exp.replications
        runs = len(exp.cells) * reps
        if runs > self.max_runs:
            raise ApiError(400, f"replications: {runs:,} runs asked for; the server runs at most {self.max_runs:,} "
                                "per experiment (use `wargame batch` for more)")
        workers = min(workers or _cores(), _cores() * 4)
        with self.lock:
            running = [j for j in self._ids() if self._live(j)]
            if len(running) >= self.max_running:
                raise ApiError(409, f"{len(running)} experiments are running (the limit is {self.max_running}); "
                                    "wait for one to finish or cancel it")
            jid = datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
            owner_token, owner_hash = new_owner()
            d = self.job_dir / jid
            d.mkdir()
            (d / "spec.yaml").write_text(text, encoding="utf-8")
            job = {"id": jid, "name": exp.spec.name or sid or "experiment", "spec": sid,
                   "created": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs,
                   "replications": reps, "turns": turns, "workers": workers,
                   "user_scenarios": str(self.user_scenarios), "scenario_dirs": [str(d) for d in self.scenario_dirs],
                   "nice": self.nice, "owner_hash": owner_hash}
            (d / "job.json").write_text(json.dumps(job, indent=1))
            with open(d / "log.txt", "wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-c", "import sys; from server.experiment_jobs import run_job; "
                                           "sys.exit(run_job(sys.argv[1]))", str(d)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    cwd=str(Path(__file__).resolve().parent.parent))
            self.procs[jid] = proc
            job["pid"] = proc.pid
            (d / "job.json").write_text(json.dumps(job, indent=1))
        return {**self.status(jid), "owner_token": owner_token}

    def _ids(self) -> list[str]:
        return sorted((p.name for p in self.job_dir.iterdir() if JOB_ID_RE.match(p.name)), reverse=True)

    def _dir(self, jid: str) -> Path:
        d = self.job_dir / jid
        if not JOB_ID_RE.match(jid) or not (d / "job.json").is_file():
            raise ApiError(404, f"no experiment {jid!r}")
        return d

    def _live(self, jid: str) -> bool:
        proc = self.procs.get(jid)
        if proc is not None:
            return proc.poll() is None
        try:   # started by an earlier server process: trust the pid only if it still runs this job
            pid = json.loads((self.job_dir / jid / "job.json").read_text()).get("pid")
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes() if pid else b""
        except (OSError, ValueError):
            return False
        return jid.encode() in cmd

    def status(self, jid: str, *, summary: bool = True) -> dict:
        d = self._dir(jid)
        job = json.loads((d / "job.json").read_text())
        out = d / "out"
        progress = _read_json(out / "progress.json")
        live = self._live(jid)
        error = (d / "error.txt").read_text(encoding="utf-8").strip() if (d / "error.txt").is_file() else None
        if (d / "cancelled").is_file():
            status = "cancelled"
        elif error:
            status = "failed"
        elif progress and progress.get("state") == "done" and (out / "summary.json").is_file():
            status = "done"
        elif live:
            status = "running" if progress else "starting"
        else:
            status = "failed"
            error = "the experiment stopped before it finished; its log: " + _tail(d / "log.txt")
        files = [{"name": n, "url": f"/api/experiments/{jid}/files/{n}", "bytes": (out / n).stat().st_size}
                 for n in FILES if status == "done" and (out / n).is_file()]
        res = {"id": jid, "name": job["name"], "spec": job.get("spec"), "status": status, "created": job["created"],
               "runs": job["runs"], "workers": job["workers"], "progress": progress, "error": error, "files": files}
        if summary and status == "done":
            res["summary"] = _read_json(out / "summary.json")
        return res

    def list(self) -> list[dict]:
        return [self.status(j, summary=False) for j in self._ids()]

    def _check_owner(self, d: Path, jid: str, token: str | None, action: str) -> None:
        owner = json.loads((d / "job.json").read_text()).get("owner_hash", "")
        check_owner(owner, token, f"experiment {jid}", action)

    def cancel(self, jid: str, owner_token: str | None = None) -> dict:
        """Stop a running experiment (its owner only)."""
        d = self._dir(jid)
        self._check_owner(d, jid, owner_token, "cancel it")
        if not self._live(jid):
            raise ApiError(409, f"experiment {jid} is not running")
        (d / "cancelled").write_text("cancelled from the web page\n")
        pid = json.loads((d / "job.json").read_text())["pid"]
        try:
            os.killpg(pid, signal.SIGTERM)   # its own session: the batch and its worker processes
        except ProcessLookupError:
            pass
        proc = self.procs.get(jid)
        if proc is not None:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                proc.wait()
        return self.status(jid)

    def file(self, jid: str, name: str) -> Path:
        d = self._dir(jid)
        p = d / "out" / name
        if name not in FILES or not p.is_file() or self.status(jid, summary=False)["status"] != "done":
            raise ApiError(404, f"no file {name!r} for experiment {jid}; files: {', '.join(FILES)} once it is done")
        return p

    def delete(self, jid: str, owner_token: str | None = None) -> None:
        """Remove a finished experiment and its files (its owner only)."""
        d = self._dir(jid)
        self._check_owner(d, jid, owner_token, "delete it")
        if self._live(jid):
            raise ApiError(409, f"experiment {jid} is running; cancel it first")
        self.procs.pop(jid, None)
        shutil.rmtree(d)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _title(p: Path) -> dict:
    try:
        from model import read_yaml
        data, _ = read_yaml(p)
        return {"name": str(data.get("name") or p.stem), "description": str(data.get("description") or "").strip()}
    except UserError:
        return {"name": p.stem, "description": "(this file has errors)"}


def _read_json(p: Path) -> Any:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tail(p: Path, n: int = 600) -> str:
    try:
        text = p.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "(no log)"
    return ("..." + text[-n:]) if len(text) > n else (text or "(empty)")


def _invalid(errors: list[ErrorItem]) -> str:
    first = errors[0]
    where = (f"line {first.line}: " if first.line else "") + (f"{first.field}: " if first.field else "")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"the spec is not valid: {where}{first.message}{more}"


def run_job(job_dir: str) -> int:
    """Entry of the background process: run the job's batch into job_dir/out; a mistake goes to error.txt."""
    from model import load_experiment, run_batch

    d = Path(job_dir)
    job = json.loads((d / "job.json").read_text())
    try:
        os.nice(int(job.get("nice", 0)))
    except OSError:
        pass
    try:
        exp = load_experiment(d / "spec.yaml", replications=job["replications"], turns=job.get("turns"),
                              allow_paths=False,
                              search_dirs=[Path(d) for d in job.get("scenario_dirs", [job["user_scenarios"]])])
        run_batch(exp, d / "out", workers=int(job["workers"]), progress=False)
    except UserError as exc:
        (d / "error.txt").write_text(str(exc), encoding="utf-8")
        return 2
    except Exception as exc:
        import traceback
        traceback.print_exc()
        (d / "error.txt").write_text(f"internal error ({type(exc).__name__}: {exc}); see the log", encoding="utf-8")
        return 1
    return 0
