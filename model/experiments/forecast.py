"""Forecast questions that can be scored: dated, resolvable questions about a scenario, the model's probability
for each, and (given what happened) Brier and log scores against a persistence baseline, with a reliability table.

A question file (configs/questions/*.yaml, or a user's questions/ folder) is a mapping with `questions:`, a list of

    - id: tartus_russian_2026_11           # unique; letters, digits, _ . -
      text: Will Russia still hold Tartus in November 2026?
      date: "2026-11"                      # the month the question is judged on (YYYY-MM)
      condition: {indicator: base.tartus.controller, op: "==", value: RUS}    # as events write them: all/any/not

and optional `name`, `description`, `scenario` (the default scenario). A question is judged on the record of the
month named by `date` (the record the model dates with that month: the start month is turn 0, the next turn 1),
which must be one of the scenario's turns after the start; the
condition must name indicators the scenario records (model.config.vocabulary.indicator_names).

Probabilities: the share of N futures of the scenario from month 0 (model.experiments.futures, seeds from the
--seed) in which the condition holds at the question's month, with its Wilson 95% interval. Scores, over the
questions that have a resolution (a mapping id -> true/false): Brier = mean (p - outcome)^2 (0 best, lower is
better) and log score = mean ln(probability given to what happened) (0 best, higher is better), probabilities held
within [LOG_FLOOR, 1 - LOG_FLOOR] for the log score so one confident miss is costly but finite. The persistence
baseline gives each question 1 if its condition holds in the start state (month 0), else 0. The reliability table
bins the model's probabilities into RELIABILITY_BINS equal bins: count, mean forecast, observed frequency.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.config import limits
from model.config.conditions import condition_problems, evaluate
from model.config.errors import NameNotFound, UserError, UserErrors, yaml_names

LOG_FLOOR = 0.01          # probabilities are held within [LOG_FLOOR, 1 - LOG_FLOOR] for the log score
RELIABILITY_BINS = 10     # equal-width bins of forecast probability in the reliability table
ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}\Z")   # \Z, not $: $ also matches before a final newline
DATE_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\Z")
QUESTION_KEYS = {"id", "text", "date", "condition"}
FILE_KEYS = {"name", "description", "scenario", "questions"}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    date: str
    condition: dict
    turn: int          # the turn it is judged on (0 = the scenario's start month)


@dataclass(frozen=True)
class QuestionSet:
    file: str
    name: str
    description: str
    scenario: str | None
    questions: list[Question]

    @property
    def horizon(self) -> int:
        return max((q.turn for q in self.questions), default=0)

    def indicators(self) -> list[str]:
        """Every indicator a condition names, in order of first use."""
        return list(dict.fromkeys(name for q in self.questions for name in condition_indicators(q.condition)))


def condition_indicators(cond: Any) -> list[str]:
    """The indicator names of a (checked) condition."""
    if not isinstance(cond, dict):
        return []
    for key in ("all", "any"):
        if key in cond:
            return [n for c in cond[key] for n in condition_indicators(c)]
    if "not" in cond:
        return condition_indicators(cond["not"])
    return [cond["indicator"]] if "indicator" in cond else []


def find_questions(name_or_path: str | Path, search_dirs: Sequence[Path] = ()) -> Path:
    """A question file as given, or a name looked up in the shipped questions folder, then in `search_dirs`."""
    from model.config.locations import QUESTIONS, shipped_dir

    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    name = str(name_or_path)
    folders = (shipped_dir(QUESTIONS), *search_dirs)
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name) and ".." not in name:
        for d in folders:
            if (Path(d) / f"{name}.yaml").is_file():
                return Path(d) / f"{name}.yaml"
    raise NameNotFound("question", name, "question files", yaml_names(folders))


def month_turn(date: str, start: str) -> int:
    """The turn whose record is dated `date` (as WargameModel.date numbers them): the start month is turn 0."""
    y, m = map(int, date.split("-"))
    sy, sm = map(int, start.split("-"))
    return (y * 12 + m) - (sy * 12 + sm)


def load_questions(path: str | Path, scenario: Any, *, turns: int | None = None,
                   search_dirs: Sequence[Path] = ()) -> QuestionSet:
    """Read and check a question file against a scenario (its indicators, start month and turns): every problem
    as one UserError naming the file, line and field (several at once as UserErrors)."""
    from model.config.loading import read_yaml

    found = find_questions(path, search_dirs)
    data, lines = read_yaml(found)
    return check_questions(data, lines, str(found), scenario, turns=turns)


def questions_from_text(text: str, scenario: Any, *, file: str = "questions", turns: int | None = None
                        ) -> QuestionSet:
    """load_questions for a question file's text (a web request's): errors name `file` and the line."""
    from model.config.loading import read_yaml_text

    data, lines = read_yaml_text(text, file)
    return check_questions(data, lines, file, scenario, turns=turns)


def question_files(search_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Name -> file of every question file: the shipped ones, then those of `search_dirs` (a name once)."""
    from model.config.locations import QUESTIONS, shipped_dir

    out: dict[str, Path] = {}
    for d in (shipped_dir(QUESTIONS), *search_dirs):
        for f in sorted(Path(d).glob("*.yaml")):
            out.setdefault(f.stem, f)
    return out


def check_questions(data: Any, lines: Mapping[tuple, tuple[str, int]], file: str, scenario: Any, *,
                    turns: int | None = None) -> QuestionSet:
    """The question set of a parsed question file, checked against the scenario (load_questions)."""
    from model.config.vocabulary import indicator_names, text_indicators

    horizon = turns or scenario.turns
    text_kinds = text_indicators(list(scenario.actors), list(scenario.bases))
    known = indicator_names(list(scenario.actors), list(scenario.bases), list(scenario.regions),
                            list(scenario.issues))
    errors: list[UserError] = []

    def err(where: tuple, field: str, message: str) -> None:
        f, ln = lines.get(where, (file, None))
        errors.append(UserError(message, file=f, line=ln, field=field))

    extra = set(data) - FILE_KEYS
    if extra:
        err((), sorted(extra)[0], f"unknown key; a question file holds {', '.join(sorted(FILE_KEYS))}")
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        err(("questions",), "questions", "expected a list of questions {id, text, date, condition}")
        raise UserErrors(errors)
    if len(items) > limits.MAX_QUESTIONS:
        raise limits.too_many(limits.LIMITS["questions"][1], len(items), limits.MAX_QUESTIONS, file=file,
                              line=lines.get(("questions",), (file, None))[1], field="questions")
    questions, seen = [], set()
    for n, q in enumerate(items):
        at, name = ("questions", n), f"questions.{n}"
        if not isinstance(q, dict):
            err(at, name, "a question is a mapping {id, text, date, condition}")
            continue
        missing = sorted(QUESTION_KEYS - set(q))
        unknown = sorted(set(q) - QUESTION_KEYS)
        if missing or unknown:
            err(at, f"{name}.{(missing or unknown)[0]}",
                f"{'missing' if missing else 'unknown key'}; a question is {{id, text, date, condition}}")
            continue
        qid, text, date, cond = q["id"], q["text"], q["date"], q["condition"]
        ok = True
        if not isinstance(qid, str) or not ID_RE.match(qid):
            err(at + ("id",), f"{name}.id", f"expected an id of letters, digits, _ . - (80 at most), got {qid!r}")
            ok = False
        elif qid in seen:
            err(at + ("id",), f"{name}.id", f"the id {qid!r} is used twice")
            ok = False
        seen.add(qid)
        if not isinstance(text, str) or not text.strip():
            err(at + ("text",), f"{name}.text", "expected the question as text")
            ok = False
        if not isinstance(date, str) or not DATE_RE.match(date):
            err(at + ("date",), f"{name}.date", f"expected a month as \"YYYY-MM\" (quoted), got {date!r}")
            ok = False
        else:
            turn = month_turn(date, scenario.start)
            if not 1 <= turn <= horizon:
                first, last = month_turn_date(scenario.start, 1), month_turn_date(scenario.start, horizon)
                err(at + ("date",), f"{name}.date", f"{date} is outside the horizon: a question may be about "
                                                    f"{first} to {last} (the {horizon} months after the start, "
                                                    f"{scenario.start})")
                ok = False
        problems = (condition_problems(cond, known, text_kinds) if cond is not None
                    else [((), "a question needs a condition")])
        if not problems and not condition_indicators(cond):
            problems = [((), "the condition names no indicator")]
        for sub, p in problems:       # (a value that can never compare would answer p = 0, confidently)
            err(at + ("condition", *sub), ".".join(map(str, (name, "condition", *sub))), p)
            ok = False
        if ok:
            questions.append(Question(qid, text.strip(), date, cond, turn))
    if errors:
        raise UserErrors(errors)
    return QuestionSet(file, str(data.get("name", Path(file).stem)), str(data.get("description", "")).strip(),
                       data.get("scenario"), questions)


def month_turn_date(start: str, turn: int) -> str:
    """The month of a turn (turn 0 = the start month), the inverse of month_turn."""
    sy, sm = map(int, start.split("-"))
    k = sy * 12 + (sm - 1) + turn
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def load_resolutions(path: str | Path, qs: QuestionSet) -> dict[str, bool]:
    """A resolutions file (YAML or JSON): a mapping id -> true/false, for questions of the set."""
    from model.config.loading import read_yaml

    data, lines = read_yaml(path)
    return check_resolutions(data, qs, file=str(path), lines=lines)


def check_resolutions(data: Any, qs: QuestionSet, *, file: str | None = None,
                      lines: Mapping[tuple, tuple[str, int]] | None = None, field: str = "") -> dict[str, bool]:
    """Resolutions as a mapping id -> true/false for questions of the set; each bad entry named by its id (after
    `field`, e.g. "resolutions.", for a web request)."""
    if not isinstance(data, Mapping):
        raise UserError(f"expected a mapping of question id to true or false, got {type(data).__name__}", file=file,
                        field=field.rstrip(".") or None)
    lines = lines or {}
    ids = {q.id for q in qs.questions}
    errors = []
    for key, value in data.items():
        f, ln = lines.get((key,), (file, None))
        if key not in ids:
            errors.append(UserError(f"no question {key!r} in {qs.file}", file=f, line=ln, field=f"{field}{key}"))
        elif not isinstance(value, bool):
            errors.append(UserError(f"expected true or false, got {value!r}", file=f, line=ln,
                                    field=f"{field}{key}"))
    if errors:
        raise UserErrors(errors)
    return dict(data)


# ------------------------------------------------------------------------------------------------ scores
def brier(p: Sequence[float], outcome: Sequence[bool]) -> float:
    """Mean squared difference between probability and outcome (0 best, 1 worst)."""
    a, o = np.asarray(p, dtype=float), np.asarray(outcome, dtype=float)
    return float(np.mean((a - o) ** 2)) if a.size else math.nan


def log_score(p: Sequence[float], outcome: Sequence[bool], floor: float = LOG_FLOOR) -> float:
    """Mean natural log of the probability given to what happened, probabilities within [floor, 1 - floor]."""
    a = np.clip(np.asarray(p, dtype=float), floor, 1 - floor)
    o = np.asarray(outcome, dtype=bool)
    return float(np.mean(np.log(np.where(o, a, 1 - a)))) if a.size else math.nan


def reliability(p: Sequence[float], outcome: Sequence[bool], bins: int = RELIABILITY_BINS) -> list[dict]:
    """Per non-empty bin of forecast probability: its range, count, mean forecast, observed frequency with its
    Wilson interval."""
    from model.experiments.stats import wilson

    a, o = np.asarray(p, dtype=float), np.asarray(outcome, dtype=bool)
    which = np.minimum((a * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        sel = which == b
        k, n = int(o[sel].sum()), int(sel.sum())
        if n:
            lo, hi = wilson(k, n)
            rows.append({"bin": [b / bins, (b + 1) / bins], "n": n, "forecast": float(a[sel].mean()),
                         "observed": k / n, "low": lo, "high": hi})
    return rows


def score(p: Sequence[float], persistence: Sequence[float], outcome: Sequence[bool]) -> dict[str, Any]:
    """Brier and log scores of the model and of the persistence baseline, and the model's reliability table."""
    return {"n": len(outcome), "brier": brier(p, outcome), "log_score": log_score(p, outcome),
            "persistence": {"brier": brier(persistence, outcome), "log_score": log_score(persistence, outcome)},
            "reliability": reliability(p, outcome)}


# ------------------------------------------------------------------------------------------------ forecast
def forecast(qs: QuestionSet, scenario: Any, replications: int, *, seed: int = 0, turns: int | None = None,
             resolutions: Mapping[str, bool] | None = None, **execution: Any) -> dict[str, Any]:
    """Each question's probability over `replications` futures of the scenario from month 0, with its 95%
    interval; with `resolutions`, the scores (module docstring). `execution`: see futures.run_plans.

    Returns {"questions": [{id, date, text, p, low, high, n, persistence, outcome?}], "scenario", "seed",
    "replications", "horizon", "scores"?}."""
    from model.experiments.futures import run_futures
    from model.experiments.stats import wilson
    from model.sim.model import WargameModel

    replications = limits.check_count("futures", replications, field="replications")
    m = WargameModel(scenario, seed=seed, turns=max(turns or scenario.turns, qs.horizon))
    start = m.last_record
    names = qs.indicators()
    f = run_futures(m, n=replications, months=qs.horizon, relations=[], keep=names, **execution)
    columns = f.plan.columns

    def series(name: str) -> Any:
        if name in columns:
            return f.column(name).tolist()
        return f.kept[name]

    values = {name: series(name) for name in names}
    rows: list[dict[str, Any]] = []
    for q in qs.questions:
        wanted = condition_indicators(q.condition)
        hits = sum(evaluate(q.condition, {c: values[c][r][q.turn] for c in wanted}) for r in range(replications))
        lo, hi = wilson(hits, replications)
        row = {"id": q.id, "date": q.date, "text": q.text, "p": hits / replications, "low": lo, "high": hi,
               "n": replications, "persistence": 1.0 if evaluate(q.condition, start) else 0.0}
        if resolutions is not None and q.id in resolutions:
            row["outcome"] = bool(resolutions[q.id])
        rows.append(row)
    out: dict[str, Any] = {"name": qs.name, "file": qs.file, "scenario": scenario.name, "seed": seed,
                           "replications": replications, "horizon": qs.horizon,
                           "seeds": f"future i: SeedSequence({seed}, spawn_key=(FUTURES_TAG, 0, 0, i)) "
                                    "(model.experiments.futures)",
                           "questions": rows}
    if resolutions is not None:
        resolved = [r for r in rows if "outcome" in r]
        out["scores"] = score([r["p"] for r in resolved], [r["persistence"] for r in resolved],
                              [r["outcome"] for r in resolved])
        out["scores"]["unresolved"] = [r["id"] for r in rows if "outcome" not in r]
    return _finite(out)


def _finite(value: Any) -> Any:
    """NaN (a score of no resolved question) as None, so the result is valid JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def report_html(result: dict[str, Any]) -> str:
    """The forecast as one self-contained page (templates/forecast.html.j2): the questions, the scores and the
    reliability diagram."""
    from model.experiments.report import render_page

    return render_page("forecast.html.j2", "forecast.js", "forecast-data", result, r=result,
                       floor=LOG_FLOOR)


forecast_html = report_html     # the public name (model.forecast_html): the forecast page of a result
