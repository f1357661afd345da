"""The wheel works anywhere: built offline from a copy of the sources, installed into a fresh virtual environment
without network, it runs `wargame run`, `wargame batch` and `wargame serve` from a folder outside the checkout,
finding the shipped scenarios and specs as package data.

The fresh environment gets the wheel alone (--no-deps); its dependencies come from this test environment's
site-packages through a .pth file, which adds that folder to sys.path after the fresh one (so the project itself
is the installed wheel, never this checkout: the .pth files of that folder, the editable install among them, are
not run)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "model", "server", "configs")
TIMEOUT = 120


def run(cmd: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def expected_files() -> set[str]:
    """What the wheel must hold: every file of model/ and server/ (modules, templates, scripts, vendored ECharts),
    and the shipped configs."""
    files = {p.relative_to(ROOT).as_posix() for top in ("model", "server") for p in (ROOT / top).rglob("*")
             if p.is_file() and p.suffix != ".pyc"}
    files |= {"model/config/shipped/" + p.relative_to(ROOT / "configs").as_posix()
              for p in (ROOT / "configs").rglob("*") if p.suffix in (".yaml", ".py")}
    return {f for f in files if "__pycache__" not in f}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_wheel_runs_the_three_commands_outside_the_checkout(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WARGAME_CONFIG_PATH", "VIRTUAL_ENV")}
    env["PIP_NO_INDEX"] = "1"
    # build from a copy, so build/ and *.egg-info never land in the checkout; offline: this environment's setuptools
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", tmp_path / "dist", src], tmp_path, env)
    (wheel,) = (tmp_path / "dist").glob("syria_wargame-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        missing = expected_files() - set(zf.namelist())
    assert not missing, f"the wheel lacks {sorted(missing)[:10]} (pyproject.toml [tool.setuptools] packages?)"

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    python, wargame = venv / "bin" / "python", venv / "bin" / "wargame"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
        tmp_path, env)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    tmp_path, env).stdout.strip())
    ours = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    (site / "_wargame_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))

    elsewhere = tmp_path / "elsewhere"          # a working directory with no configs/ and no checkout
    elsewhere.mkdir()
    where = run([python, "-c", "import model, server; print(model.__file__); print(server.__file__)"], elsewhere, env)
    assert all(Path(f).is_relative_to(venv) for f in where.stdout.split()), where.stdout

    done = run([wargame, "run", "baseline-2025", "--turns", "1", "--quiet"], elsewhere, env)
    assert done.stdout.startswith("final (") and "russia_bases_held=" in done.stdout, done.stdout

    out = elsewhere / "po"
    run([wargame, "batch", "projected-outcomes", "--replications", "2", "--turns", "2", "--workers", "1",
         "--no-progress", "--out", out], elsewhere, env)
    assert {"summary.md", "runs.parquet", "report.html"} <= {p.name for p in out.iterdir()}

    port = free_port()
    server = subprocess.Popen([str(wargame), "serve", "--port", str(port), "--data-dir", str(elsewhere / "data")],
                              cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline() if server.stdout else ""
        assert f"http://127.0.0.1:{port}/" in first, first
        deadline, page = time.monotonic() + 30, b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
                    assert r.status == 200
                    page = r.read()
                break
            except OSError:
                time.sleep(0.2)
        assert b"<html" in page.lower(), page[:200]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scenarios", timeout=10) as r:
            assert b'"baseline-2025"' in r.read()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert server.returncode == 0
