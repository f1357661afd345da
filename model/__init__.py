"""The Syria 2025 wargame simulation library. Never imports `server` or flask (only `model.cli.serve` does).

    from model import WargameModel
    m = WargameModel("baseline-2025", seed=7)
    m.run(24)
    m.indicators()   # pandas DataFrame, one row per turn

This is the public API, the one the server and users import. Names are loaded lazily (PEP 562): importing
`model` costs nothing, so `wargame --help` does not pay for Mesa, pandas or scipy.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS = {
    "UserError": "model.config.errors",
    "UserErrors": "model.config.errors",
    # config files: safe YAML with line numbers, `extends:`, lookups confined to a folder
    "read_yaml": "model.config.loading",
    "read_yaml_text": "model.config.loading",
    "load_with_extends": "model.config.loading",
    "inside_folder": "model.config.loading",
    # files others read: written whole or not at all; one writer at a time (model.config.files)
    "write_atomic": "model.config.files",
    "hold_lock": "model.config.files",
    "LockHeld": "model.config.files",
    # where configs live: the shipped ones (package data) and the user's config folders
    "shipped_dir": "model.config.locations",
    "user_roots": "model.config.locations",
    "user_dirs": "model.config.locations",
    "Scenario": "model.config.scenario",
    "load_scenario": "model.config.scenario",
    "check_references": "model.config.scenario",
    "validate_scenario": "model.config.scenario",
    "ACTION_KINDS": "model.config.vocabulary",
    "BASE_STATUSES": "model.config.vocabulary",
    "MAX_SEED": "model.config.vocabulary",
    "INDICATORS": "model.config.vocabulary",
    "WargameModel": "model.sim.model",
    "OrdersPending": "model.sim.model",
    "GameOver": "model.sim.model",
    # forks and exports: WargameModel.fork() and .from_export() are methods; these are the helpers around them
    "fork_points": "model.sim.fork",
    "computer_orders_differ": "model.sim.fork",
    "read_export": "model.sim.fork",
    "to_export": "model.sim.fork",
    # futures from a game's month (model.experiments.futures; docs/futures.md)
    "run_futures": "model.experiments.futures",
    "compare_moves": "model.experiments.futures",
    "after_action_review": "model.experiments.aar",
    "FuturesCancelled": "model.experiments.futures",
    # forecast questions (model.experiments.forecast; docs/futures.md)
    "forecast": "model.experiments.forecast",
    "load_questions": "model.experiments.forecast",
    "questions_from_text": "model.experiments.forecast",
    "question_files": "model.experiments.forecast",
    "check_resolutions": "model.experiments.forecast",
    "forecast_html": "model.experiments.forecast",
    # what a player sees of a seat: order briefs (chance, outcomes, why), objectives and score
    "order_briefs": "model.sim.player",
    "objectives": "model.sim.player",
    "withdraw_orders": "model.sim.player",
    "ObjectiveRules": "model.sim.player",
    "rules_doc": "model.sim.player",
    "score": "model.sim.player",
    "total_weight": "model.sim.player",
    "victory_brief": "model.sim.player",
    "load_experiment": "model.experiments.spec",
    "NEGLIGIBLE_EFFECT": "model.config.experiment",
    # the same in two halves, for a server that checks a request on its request thread and runs it in the background
    "plan_futures": "model.experiments.futures",
    "plan_moves": "model.experiments.futures",
    "moves_result": "model.experiments.futures",
    "run_plans": "model.experiments.futures",
    "default_relations": "model.experiments.futures",
    "check_review": "model.experiments.aar",
    "review_cost": "model.experiments.aar",
    "LocalWorkers": "model.experiments.executors",
    "DEFAULT_FUTURES": "model.config.limits",
    "DEFAULT_FUTURE_MONTHS": "model.config.limits",
    "DEFAULT_AAR_FUTURES": "model.config.limits",
    "MAX_FUTURE_TURNS": "model.config.limits",
    "MAX_FUTURES": "model.config.limits",
    "MAX_FUTURE_MONTHS": "model.config.limits",
    "MAX_RELATIONS": "model.config.limits",
    "run_batch": "model.experiments.runner",
    "ECHARTS_JS": "model.experiments.assets",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from model.config.errors import UserError, UserErrors
    from model.config.experiment import NEGLIGIBLE_EFFECT
    from model.config.files import LockHeld, hold_lock, write_atomic
    from model.config.limits import (
        DEFAULT_AAR_FUTURES,
        DEFAULT_FUTURE_MONTHS,
        DEFAULT_FUTURES,
        MAX_FUTURE_MONTHS,
        MAX_FUTURE_TURNS,
        MAX_FUTURES,
        MAX_RELATIONS,
    )
    from model.config.loading import (
        inside_folder,
        load_with_extends,
        read_yaml,
        read_yaml_text,
    )
    from model.config.locations import shipped_dir, user_dirs, user_roots
    from model.config.scenario import Scenario, check_references, load_scenario, validate_scenario
    from model.config.vocabulary import ACTION_KINDS, BASE_STATUSES, INDICATORS, MAX_SEED
    from model.experiments.aar import after_action_review, check_review, review_cost
    from model.experiments.assets import ECHARTS_JS
    from model.experiments.executors import LocalWorkers
    from model.experiments.forecast import (
        check_resolutions,
        forecast,
        forecast_html,
        load_questions,
        question_files,
        questions_from_text,
    )
    from model.experiments.futures import (
        FuturesCancelled,
        compare_moves,
        default_relations,
        moves_result,
        plan_futures,
        plan_moves,
        run_futures,
        run_plans,
    )
    from model.experiments.runner import run_batch
    from model.experiments.spec import load_experiment
    from model.sim.fork import computer_orders_differ, fork_points, read_export, to_export
    from model.sim.model import GameOver, OrdersPending, WargameModel
    from model.sim.player import (
        ObjectiveRules,
        objectives,
        order_briefs,
        rules_doc,
        score,
        total_weight,
        victory_brief,
        withdraw_orders,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value          # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
