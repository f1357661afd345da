"""The package layout is the architecture: imports run config -> theory -> sim -> experiments -> cli, never back,
and no module imports in a circle. Function-level imports count (they are how cycles hide)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ("config", "theory", "sim", "experiments", "cli")
# what each package may import from model (besides itself)
ALLOWED = {"config": set(), "theory": set(), "sim": {"config", "theory"},
           "experiments": {"config", "theory", "sim"}, "cli": {"config", "theory", "sim", "experiments"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules(top: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / top).rglob("*.py"))}


def imports_of(path: Path, name: str) -> set[str]:
    """Every module named by an import statement anywhere in the file (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return out


def resolve(target: str, known: dict[str, Path]) -> str | None:
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def graph() -> dict[str, set[str]]:
    known = modules("model") | modules("server")
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {resolve(t, known) for t in imports_of(path, name) if t.split(".")[0] in ("model", "server")}
        edges[name] = {t for t in targets if t and t != name}
    return edges


def job(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "model" and len(parts) > 1 else None


def test_every_model_module_sits_in_a_job_package():
    loose = [m for m in modules("model") if m.count(".") == 1 and job(m) not in ORDER]
    assert loose == [], f"modules outside config/theory/sim/experiments/cli: {loose}"


def test_imports_run_one_way():
    wrong = []
    for src, targets in graph().items():
        here = job(src)
        if src.startswith("server") or here is None:
            continue
        for t in targets:
            there = job(t) if t.startswith("model") else "server"
            if there == here:
                continue
            if there == "server":
                if src != "model.cli.serve":
                    wrong.append(f"{src} -> {t} (only model.cli.serve may import the server)")
            elif there is None:
                wrong.append(f"{src} -> {t} (the package root re-exports; modules import the real module)")
            elif there not in ALLOWED[here]:
                wrong.append(f"{src} -> {t} ({here} may not import {there})")
    assert wrong == []


def test_theory_is_numpy_only():
    for name, path in modules("model/theory").items():
        roots = {t.split(".")[0] for t in imports_of(path, name)}
        assert roots <= {"__future__", "dataclasses", "functools", "typing", "numpy", "math", "itertools",
                         "collections", "model"}, f"{name} imports {sorted(roots)}"


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> list[str] | None:
        state[v] = 1
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w.split(".")[-1] == "model" and w == "model":
                continue  # the lazy package root is not a module dependency
            if state.get(w) == 1:
                return stack[stack.index(w):] + [w]
            if not state.get(w):
                found = visit(w)
                if found:
                    return found
        stack.pop()
        state[v] = 2
        return None

    for v in sorted(edges):
        if not state.get(v):
            cycle = visit(v)
            assert cycle is None, " -> ".join(cycle)


def test_the_server_imports_only_what_model_exports():
    """server/ uses the public API: `from model import X` with X in model.__all__, never a submodule."""
    import model

    wrong = []
    for name, path in modules("server").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wrong += [f"{name}:{node.lineno}: import {a.name}" for a in node.names if a.name.startswith("model.")]
            elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "model":
                if node.module != "model":
                    wrong.append(f"{name}:{node.lineno}: from {node.module} import ... (import from model itself)")
                wrong += [f"{name}:{node.lineno}: model does not export {a.name}" for a in node.names
                          if node.module == "model" and a.name not in model.__all__]
    assert wrong == []


@pytest.mark.parametrize("top", ["model", "server"])
def test_the_layout_section_of_the_readme_names_every_package(top):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    for p in sorted((ROOT / top).iterdir()):
        if p.is_dir() and (p / "__init__.py").exists():
            assert f"{p.name}/" in layout, f"README's layout does not mention {top}/{p.name}/"
