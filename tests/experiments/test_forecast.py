"""Forecast questions: scores against a hand-computed case, probabilities that agree with the futures they come
from, and one clear error for each kind of bad question or resolution."""
from __future__ import annotations

import math
import textwrap

import pytest

from model import WargameModel, load_scenario, run_futures
from model.config.errors import UserError, UserErrors
from model.experiments.forecast import (
    LOG_FLOOR,
    brier,
    forecast,
    load_questions,
    load_resolutions,
    log_score,
    month_turn,
    month_turn_date,
    reliability,
    report_html,
    score,
)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline-2025")


def write(tmp_path, text: str, name: str = "q.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_scores_of_a_hand_computed_case():
    p, persistence, outcome = [0.8, 0.3, 0.5], [1.0, 1.0, 0.0], [True, False, True]
    # Brier: ((0.8-1)^2 + (0.3-0)^2 + (0.5-1)^2) / 3 = (0.04 + 0.09 + 0.25) / 3
    assert brier(p, outcome) == pytest.approx(0.38 / 3)
    # log: (ln 0.8 + ln 0.7 + ln 0.5) / 3 = (-0.22314 - 0.35667 - 0.69315) / 3
    assert log_score(p, outcome) == pytest.approx(-0.4243219, abs=1e-7)
    s = score(p, persistence, outcome)
    assert s["n"] == 3 and s["brier"] == pytest.approx(0.126667, abs=1e-6)
    # persistence: right, wrong, wrong; its log score holds 0 and 1 at 0.01 and 0.99
    assert s["persistence"]["brier"] == pytest.approx(2 / 3)
    assert s["persistence"]["log_score"] == pytest.approx((math.log(0.99) + 2 * math.log(0.01)) / 3)
    assert LOG_FLOOR == 0.01
    rows = reliability(p, outcome)
    assert [(r["bin"], r["n"], r["forecast"], r["observed"]) for r in rows] == [
        ([0.3, 0.4], 1, 0.3, 0.0), ([0.5, 0.6], 1, 0.5, 1.0), ([0.8, 0.9], 1, 0.8, 1.0)]
    both = reliability([0.12, 0.18, 1.0], [True, False, True])
    assert both[0]["n"] == 2 and both[0]["forecast"] == pytest.approx(0.15) and both[0]["observed"] == 0.5
    assert both[-1]["bin"] == [0.9, 1.0]            # a probability of 1 falls in the last bin


def test_a_month_is_the_turn_the_model_dates_with_it(baseline):
    """A question about May 2026 is judged on the record the model, the game page and `wargame run` call May 2026
    (before, on the next month's: the start month counted as turn 1, while the model dates turn 0 with it)."""
    assert baseline.start == "2025-12"
    m = WargameModel(baseline, seed=1)
    for date in ("2025-12", "2026-05", "2026-11", "2027-12"):
        assert m.date(month_turn(date, baseline.start)) == date
        assert month_turn_date(baseline.start, month_turn(date, baseline.start)) == date


QUESTIONS = """\
    name: test questions
    questions:
      - id: tartus
        text: Russia holds Tartus in 2026-05?
        date: "2026-05"
        condition: {indicator: base.tartus.controller, op: "==", value: RUS}
      - id: aligned
        text: Damascus leans West in 2026-03?
        date: "2026-03"
        condition: {any: [{indicator: syria_alignment, op: ">", value: 0.3},
                          {not: {indicator: relation.RUS.SYR, op: ">", value: 0.0}}]}
    """


def test_probabilities_are_the_share_of_futures_meeting_the_condition(baseline, tmp_path):
    qs = load_questions(write(tmp_path, QUESTIONS), baseline)
    assert qs.horizon == 5 and [q.turn for q in qs.questions] == [5, 3]
    result = forecast(qs, baseline, 30, seed=4)
    futures = run_futures(WargameModel(baseline, seed=4), n=30, months=5, relations=["RUS.SYR"])
    assert futures.plan.dates[-1] == "2026-05"
    rows = {r["id"]: r for r in result["questions"]}
    assert rows["tartus"]["p"] == pytest.approx(futures.controller_is("tartus", "RUS").mean())
    march = futures.plan.dates.index("2026-03")
    alignment, relation = futures.column("syria_alignment")[:, march], futures.column("relation.RUS.SYR")[:, march]
    assert rows["aligned"]["p"] == pytest.approx(((alignment > 0.3) | ~(relation > 0.0)).mean())
    for r in rows.values():
        assert r["n"] == 30 and r["low"] <= r["p"] <= r["high"]
    assert rows["tartus"]["persistence"] == 1.0 and rows["aligned"]["persistence"] == 0.0
    assert "scores" not in result


def test_resolutions_add_scores_and_a_report(baseline, tmp_path):
    qs = load_questions(write(tmp_path, QUESTIONS), baseline)
    res = load_resolutions(write(tmp_path, "tartus: true\n", "r.yaml"), qs)
    result = forecast(qs, baseline, 10, resolutions=res)
    s = result["scores"]
    p = result["questions"][0]["p"]
    assert s["n"] == 1 and s["brier"] == pytest.approx((1 - p) ** 2) and s["unresolved"] == ["aligned"]
    assert s["persistence"]["brier"] == 0.0
    page = report_html(result)
    assert "Reliability diagram" in page and "tartus" in page and "forecast-data" in page
    empty = forecast(qs, baseline, 4, resolutions={})
    assert empty["scores"]["n"] == 0 and empty["scores"]["brier"] is None
    assert "No question has a resolution yet" in report_html(empty)


def test_the_shipped_questions_check_against_the_baseline(baseline):
    qs = load_questions("projected-outcomes", baseline)
    assert len(qs.questions) >= 6 and qs.scenario == "baseline-2025"
    assert all(1 <= q.turn <= baseline.turns for q in qs.questions)


@pytest.mark.parametrize("question, field, words", [
    ('{id: a, text: t, date: "2026-01", condition: {indicator: base.nowhere.controller, op: "==", value: RUS}}',
     "questions.0.condition.indicator", "unknown indicator"),
    # values that can never compare would answer p = 0 with confidence
    ('{id: a, text: t, date: "2026-01", condition: {indicator: russia_isolation, op: ">", value: abc}}',
     "questions.0.condition.value", "holds a number, so value 'abc' never compares"),
    ('{id: a, text: t, date: "2026-01", condition: {indicator: russia_isolation, op: ">", value: .nan}}',
     "questions.0.condition.value", "NaN never compares"),
    ('{id: a, text: t, date: "2026-01", condition: {indicator: base.tartus.controller, op: "==", value: RUSS}}',
     "questions.0.condition.value", "unknown actor 'RUSS'; did you mean 'RUS'?"),
    ('{id: a, text: t, date: "2026-01", condition: {any: [{indicator: base.tartus.controller, op: ">", value: 1}]}}',
     "questions.0.condition.any.0.op", "holds text; use op == or !="),
    ('{id: a, text: t, date: "2026-01", condition: {all: []}}', "questions.0.condition", "names no indicator"),
    ('{id: a, text: t, date: "2026-01", condition: null}', "questions.0.condition", "needs a condition"),
    ('{id: a, text: t, date: "2030-01", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.date",
     "outside the horizon"),
    ('{id: a, text: t, date: "2025-11", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.date",
     "outside the horizon"),
    ('{id: a, text: t, date: "2025-12", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.date",
     "may be about 2026-01 to 2027-12 (the 24 months after the start, 2025-12)"),
    ('{id: a, text: t, date: "2026-13", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.date",
     "YYYY-MM"),
    ('{id: a b, text: t, date: "2026-01", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.id",
     "letters"),
    ('{id: a, date: "2026-01", condition: {indicator: turn, op: ">", value: 0}}', "questions.0.text", "missing"),
    ('{id: a, text: t, date: "2026-01", when: 1, condition: {indicator: turn, op: ">", value: 0}}',
     "questions.0.when", "unknown key"),
])
def test_a_bad_question_is_one_error_naming_file_line_and_field(baseline, tmp_path, question, field, words):
    p = write(tmp_path, f"questions:\n  - {question}\n")
    with pytest.raises(UserError) as err:
        load_questions(p, baseline)
    errors = err.value.errors if isinstance(err.value, UserErrors) else [err.value]
    assert len(errors) == 1
    e = errors[0]
    assert e.field == field and words in e.message and e.file == str(p) and e.line == 2, str(e)


def test_duplicate_ids_and_empty_files_are_refused(baseline, tmp_path):
    q = '{id: a, text: t, date: "2026-01", condition: {indicator: turn, op: ">", value: 0}}'
    with pytest.raises(UserError) as err:
        load_questions(write(tmp_path, f"questions:\n  - {q}\n  - {q}\n"), baseline)
    assert "used twice" in str(err.value) and "questions.1.id" in str(err.value)
    with pytest.raises(UserError) as err:
        load_questions(write(tmp_path, "questions: []\n"), baseline)
    assert "questions" in str(err.value)
    with pytest.raises(UserError) as err:
        load_questions("no-such-questions", baseline)
    assert "projected-outcomes" in str(err.value)


def test_bad_resolutions_name_the_question(baseline, tmp_path):
    qs = load_questions(write(tmp_path, QUESTIONS), baseline)
    with pytest.raises(UserError) as err:
        load_resolutions(write(tmp_path, "tartus: maybe\n", "r.yaml"), qs)
    assert err.value.errors[0].field == "tartus" and "true or false" in str(err.value)
    with pytest.raises(UserError) as err:
        load_resolutions(write(tmp_path, "other: true\n", "r.yaml"), qs)
    assert err.value.errors[0].field == "other" and err.value.errors[0].line == 1


def test_a_forecast_is_the_same_on_worker_processes_and_on_dask(baseline, tmp_path):
    from model.experiments.executors import LocalWorkers

    qs = load_questions(write(tmp_path, QUESTIONS), baseline)
    local = forecast(qs, baseline, 8, seed=2)
    with LocalWorkers(2) as pool:
        assert pool.warm(timeout=60)
        pooled = forecast(qs, baseline, 8, seed=2, pool=pool, parent_works=False, chunk_size=3)
    dask = forecast(qs, baseline, 8, seed=2, engine="dask", workers=2, dask_processes=False, chunk_size=5)
    assert pooled["questions"] == local["questions"] == dask["questions"]


def test_replications_out_of_range_name_the_field(baseline, tmp_path):
    qs = load_questions(write(tmp_path, QUESTIONS), baseline)
    for bad in (0, 10**9):
        with pytest.raises(UserError) as err:
            forecast(qs, baseline, bad)
        assert err.value.field == "replications", str(err.value)
