"""Where configs live: the shipped ones (package data) and the user's own config folders.

The shipped scenarios and experiment specs are the top-level `configs/` folder of the source tree. pyproject.toml
installs that folder as the data package `model.config.shipped`, so `importlib.resources` finds the same files in an
editable install (a checkout) and in an installed wheel, whatever the working directory.

A user's own config folder is laid out like `configs/`: `scenarios/*.yaml`, `experiments/*.yaml`,
`questions/*.yaml` (forecast questions). The commands take such folders from `--config-dir DIR` (repeatable) and
from the environment variable WARGAME_CONFIG_PATH (folders separated by os.pathsep, ':' on Linux and macOS), in
that order. A name is looked up in the shipped folder first:
user folders add names, they never replace a shipped one (pass a file's path to use a file of the same name).
"""
from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from model.config.errors import UserError

SHIPPED_PACKAGE = "model.config.shipped"
ENV_VAR = "WARGAME_CONFIG_PATH"
SCENARIOS = "scenarios"
EXPERIMENTS = "experiments"
QUESTIONS = "questions"            # forecast questions (`wargame forecast`, model.experiments.forecast)
KINDS = (SCENARIOS, EXPERIMENTS, QUESTIONS)   # the subfolders a config folder may hold


@functools.cache
def shipped_root() -> Path:
    """The folder of the shipped configs, on disk (wheels install unzipped, so it is a real folder)."""
    try:
        root = importlib.resources.files(SHIPPED_PACKAGE)
    except ModuleNotFoundError:
        raise RuntimeError(f"the shipped configs (package {SHIPPED_PACKAGE}) are not installed; reinstall the "
                           "project (`make setup` or `pip install -e .` in a checkout)") from None
    if not isinstance(root, Path):
        raise RuntimeError(f"the shipped configs must be installed as files, not inside an archive ({root})")
    return root


def shipped_dir(kind: str) -> Path:
    """One kind of shipped config, e.g. shipped_dir("scenarios")."""
    return shipped_root() / kind


def user_roots(config_dirs: Sequence[str | os.PathLike] = (), environ: Mapping[str, str] | None = None) -> list[Path]:
    """The user's config folders: the --config-dir ones first, then WARGAME_CONFIG_PATH's; each must exist.

    A folder that holds none of scenarios/, experiments/ and questions/ is refused: it is almost always the scenarios
    folder itself given by mistake, whose files would otherwise be silently ignored."""
    env = os.environ if environ is None else environ
    given = [(Path(d), "--config-dir") for d in config_dirs]
    given += [(Path(d), ENV_VAR) for d in env.get(ENV_VAR, "").split(os.pathsep) if d.strip()]
    roots: list[Path] = []
    for path, source in given:
        path = path.expanduser()
        if not path.is_dir():
            raise UserError(f"no such folder: {path}", field=source)
        if not any((path / kind).is_dir() for kind in KINDS):
            raise UserError(f"{path} holds no {' or '.join(k + '/' for k in KINDS)} folder; a config folder is "
                            "laid out like configs/ (e.g. DIR/scenarios/my-scenario.yaml)", field=source)
        if path.resolve() not in roots:
            roots.append(path.resolve())
    return roots


def user_dirs(kind: str, roots: Sequence[Path]) -> list[Path]:
    """The folders of one kind inside the user's config folders, in the order of the roots."""
    return [root / kind for root in roots if (root / kind).is_dir()]
