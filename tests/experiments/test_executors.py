"""The executors of batch runs: a kept pool of warm workers, one BLAS thread everywhere, workers that never outlive
their batch, and a model fingerprint that follows the package boundary."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from model.experiments.executors import LocalWorkers, one_blas_thread
from model.experiments.runner import model_fingerprint, run_batch
from model.experiments.spec import load_experiment

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"


def blas_threads(info: list[dict] | None = None) -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in (threadpool_info() if info is None else info) if lib["user_api"] == "blas"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.is_file() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run_batch(load_experiment(TINY), out, workers=1, chunk_size=1, progress=False)
    return out


def test_a_kept_pool_serves_several_batches_with_identical_results(reference, tmp_path):
    exp = load_experiment(TINY)
    with LocalWorkers(1) as pool:
        assert pool.warm(timeout=120) and pool.ready() == 1
        first = run_batch(exp, tmp_path / "a", pool=pool, chunk_size=2, progress=False)
        second = run_batch(exp, tmp_path / "b", pool=pool, chunk_size=3, progress=False)
        assert pool.ready() == 1                    # the same worker, still up for the next request
    for res, out in ((first, tmp_path / "a"), (second, tmp_path / "b")):
        assert res.ran == 20
        for name in ("runs.parquet", "turns.parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(reference / name))
    assert {first.processes, second.processes} <= {1, 2}     # this process and the worker share the chunks


def test_workers_and_this_process_run_numpy_on_one_blas_thread():
    one_blas_thread()
    assert blas_threads() and set(blas_threads()) == {1}
    with LocalWorkers(1) as pool:
        from threadpoolctl import threadpool_info

        assert set(blas_threads(pool.executor.submit(threadpool_info).result(timeout=120))) == {1}


def test_a_cli_command_runs_numpy_on_one_blas_thread():
    code = ("import sys; from model.cli.main import main; rc = main(sys.argv[1:]); "
            "from threadpoolctl import threadpool_info; "
            "print(rc, sorted({i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'}))")
    bargain = subprocess.run([sys.executable, "-c", code, "bargain", "tests/data/bargaining/ec_emissions_1994.csv"],
                             cwd=ROOT, capture_output=True, text=True, check=True)
    assert bargain.stdout.splitlines()[-1] == "0 [1]"


def test_workers_exit_when_the_batch_process_is_killed(tmp_path):
    """Workers are children of the fork server, not of the batch: they must still notice that the batch is gone."""
    script = ("import sys, time\n"
              "from model.experiments.executors import LocalWorkers\n"
              "if __name__ == '__main__':\n"
              "    pool = LocalWorkers(2)\n"
              "    pool.warm(timeout=120)\n"
              "    print(*pool.pids(), flush=True)\n"
              "    time.sleep(600)\n")
    (tmp_path / "hold.py").write_text(script)
    proc = subprocess.Popen([sys.executable, str(tmp_path / "hold.py")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(alive(p) for p in pids)
    finally:
        proc.kill()            # SIGKILL of the batch alone: no clean-up code runs in it
        proc.wait()
    deadline = time.monotonic() + 30
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in pids)


def test_the_model_fingerprint_covers_config_theory_and_sim_only(tmp_path):
    tree = tmp_path / "model"
    shutil.copytree(ROOT / "model", tree, ignore=shutil.ignore_patterns("__pycache__"))
    base = model_fingerprint(tree)
    assert base == model_fingerprint()                       # the copy is the installed code
    for analysis in ("experiments/report.py", "experiments/stats.py", "cli/main.py"):
        with open(tree / analysis, "a", encoding="utf-8") as fh:
            fh.write("\n# an analysis change\n")
    (tree / "experiments" / "new_analysis.py").write_text("X = 1\n")
    assert model_fingerprint(tree) == base                   # a batch stays resumable
    with open(tree / "sim" / "effects.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a model change\n")
    changed = model_fingerprint(tree)
    assert changed != base
    (tree / "theory" / "new_engine.py").write_text("Y = 2\n")
    assert model_fingerprint(tree) != changed                # a new model module counts too
    (tree / "config" / "vocabulary.py").write_text((tree / "config" / "vocabulary.py").read_text() + "\n")
    assert model_fingerprint(tree) not in (base, changed)
