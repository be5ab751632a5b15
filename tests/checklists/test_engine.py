"""The checklist engine: main paths through every shipped checklist, refused answers, back/restart, summaries."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebot.checklists import engine
from guidebot.checklists.engine import Finished, InvalidAnswer, RunState, StaleStep
from guidebot.checklists.loader import load_checklists
from guidebot.checklists.models import Checklist, Outcome, Step
from tests.helpers_core import SHIPPED_KNOWLEDGE

CHECKLISTS, _ERRORS = load_checklists(SHIPPED_KNOWLEDGE)


def run(checklist_id: str, *answers: str) -> tuple[Checklist, RunState, Step | Outcome]:
    """Answer whatever step the run is on, in turn; returns where it ends."""
    checklist = CHECKLISTS[checklist_id]
    state = engine.start(checklist)
    for value in answers:
        here = engine.position(checklist, state)
        assert isinstance(here, Step), f"run ended at outcome '{here.id}' before answer {value!r}"
        state = engine.answer(checklist, state, here.id, value)
    return checklist, state, engine.position(checklist, state)


def outcome_of(checklist_id: str, *answers: str) -> Outcome:
    here = run(checklist_id, *answers)[2]
    assert isinstance(here, Outcome), f"still on step '{here.id}'"
    return here


@pytest.mark.parametrize(
    ("checklist_id", "answers", "outcome", "verdict"),
    [
        ("bbr", ["community", "high", "yes", "yes", "30", "yes"], "suitable", "suitable"),
        ("bbr", ["custody", "medium", "yes", "yes", "45", "yes"], "suitable", "suitable"),
        ("bbr", ["pre-conviction", "yes", "yes", "yes", "25", "yes"], "suitable", "suitable"),
        ("bbr", ["community", "medium", "no"], "not_male", "refer_elsewhere"),  # a woman referred to BBR
        ("bbr", ["custody", "high"], "custody_high_risk", "refer_elsewhere"),
        ("bbr", ["community", "low"], "risk_too_low", "not_suitable"),
        ("bbr", ["community", "high", "yes", "no"], "same_sex_relationship", "refer_elsewhere"),
        ("bbr", ["community", "high", "yes", "yes", "17"], "under_18", "not_suitable"),
        ("bbr", ["pre-conviction", "no"], "no_commissioned_place", "not_suitable"),
        ("kaizen", ["yes", "intimate partner violence", "high", "yes", "no", "yes"], "suitable", "suitable"),
        # a high-risk man with learning challenges goes to an adapted programme
        ("kaizen", ["yes", "intimate partner violence", "high", "yes", "yes"], "adapted_programme", "refer_elsewhere"),
        ("kaizen", ["yes", "sexual offending", "yes", "yes", "no", "no"], "no_consent", "not_suitable"),
        ("kaizen", ["yes", "general violence", "no"], "not_high_risk", "not_suitable"),
        ("kaizen", ["yes", "intimate partner violence", "medium"], "medium_ipv_risk", "refer_elsewhere"),
        ("kaizen", ["yes", "general violence", "yes", "no"], "not_high_need", "not_suitable"),
        ("kaizen", ["no"], "not_adult_male", "not_suitable"),
        # a man who denies any abusive behaviour is not eligible for Up2U
        ("up2u", ["yes", "no"], "no_acceptance", "not_suitable"),
        ("up2u", ["yes", "yes", "no"], "no_wish_to_change", "not_suitable"),
        ("up2u", ["yes", "yes", "yes", "15"], "under_16", "not_suitable"),
        ("up2u", ["yes", "yes", "yes", "16", "the person themselves", "no", "no"], "eligible", "suitable"),
        ("up2u", ["yes", "yes", "yes", "40", "a professional", "no", "yes", "no"], "eligible_caf", "suitable"),
        (
            "up2u",
            ["yes", "yes", "yes", "40", "a professional", "yes"],
            "not_appropriate_after_assessment",
            "not_suitable",
        ),
        ("up2u", ["no"], "outside_area", "refer_elsewhere"),
        ("idap-cdvp", ["yes", "high", "yes", "no", "yes", "yes", "no"], "suitable_refer_partner_now", "suitable"),
        ("idap-cdvp", ["yes", "medium", "yes", "yes", "no", "yes", "yes", "yes"], "suitable", "suitable"),
        ("idap-cdvp", ["yes", "medium", "no"], "capacity", "discuss_with_treatment_manager"),
        ("idap-cdvp", ["yes", "high", "yes", "yes"], "discuss_barrier", "discuss_with_treatment_manager"),
        ("idap-cdvp", ["no"], "no_psr", "discuss_with_treatment_manager"),
        ("hrp", ["yes", "self-referral", "yes", "yes", "yes", "coming to the end of tariff"], "priority", "suitable"),
        ("hrp", ["yes", "sentence plan", "yes", "yes", "neither"], "waiting_list", "suitable"),
        ("hrp", ["yes", "self-referral", "no"], "no_self_referral", "discuss_with_treatment_manager"),
        ("hrp", ["no"], "not_run_here", "refer_elsewhere"),
        ("information-sharing", ["yes"] * 6 + ["yes"], "ready_guard_partner_information", "suitable"),
        ("information-sharing", ["yes"] * 6 + ["no"], "ready", "suitable"),
        ("information-sharing", ["yes", "yes", "no"], "not_contracted", "not_suitable"),
    ],
)
def test_main_paths(checklist_id: str, answers: list[str], outcome: str, verdict: str) -> None:
    reached = outcome_of(checklist_id, *answers)
    assert (reached.id, reached.verdict) == (outcome, verdict)


def test_the_shipped_checklists_loaded() -> None:
    assert _ERRORS == []
    assert len(CHECKLISTS) == 6


def test_a_run_starts_at_the_first_step_and_stores_no_position() -> None:
    checklist = CHECKLISTS["bbr"]
    state = engine.start(checklist)
    assert state == RunState(checklist_id="bbr", answers=())
    assert engine.position(checklist, state).id == "route"
    assert set(RunState.model_fields) == {"checklist_id", "answers"}


def test_answers_are_stored_in_their_canonical_spelling() -> None:
    _, state, here = run("bbr", "  Community ", "HIGH", "Yes")
    assert state.answers == (("route", "community"), ("sara_community", "high"), ("gender", "yes"))
    assert here.id == "relationship"


def test_a_number_answer_is_stored_as_the_number() -> None:
    _, state, _ = run("bbr", "community", "high", "yes", "yes", " 030 ")
    assert state.answers[-1] == ("age", "30")


def test_a_double_click_is_a_stale_step() -> None:
    checklist = CHECKLISTS["bbr"]
    state = engine.answer(checklist, engine.start(checklist), "route", "community")
    with pytest.raises(StaleStep, match="route"):
        engine.answer(checklist, state, "route", "community")


def test_an_old_button_after_the_run_moved_on_is_a_stale_step() -> None:
    checklist, state, _ = run("bbr", "community", "high", "yes")
    with pytest.raises(StaleStep):
        engine.answer(checklist, state, "sara_community", "low")
    with pytest.raises(StaleStep):
        engine.answer(checklist, state, "no_such_step", "yes")
    assert engine.position(checklist, state).id == "relationship"


@pytest.mark.parametrize(
    ("checklist_id", "prefix", "step_id", "value", "needle"),
    [
        ("bbr", [], "route", "prison", "one of: community, custody, pre-conviction"),
        ("bbr", ["community", "high"], "gender", "maybe", "takes yes or no"),
        ("bbr", ["community", "high", "yes", "yes"], "age", "eighteen", "whole number"),
        ("bbr", ["community", "high", "yes", "yes"], "age", "18.5", "whole number"),
        ("bbr", ["community", "high", "yes", "yes"], "age", True, "whole number"),
        ("bbr", ["community", "high", "yes", "yes"], "age", None, "whole number"),
    ],
)
def test_an_answer_that_does_not_fit_names_the_step_and_what_fits(
    checklist_id: str, prefix: list[str], step_id: str, value: object, needle: str
) -> None:
    checklist, state, _ = run(checklist_id, *prefix)
    with pytest.raises(InvalidAnswer) as caught:
        engine.answer(checklist, state, step_id, value)
    assert f"'{step_id}'" in str(caught.value) and needle in str(caught.value)


def test_an_integer_value_is_accepted_for_a_number_step() -> None:
    checklist, state, _ = run("bbr", "community", "high", "yes", "yes")
    state = engine.answer(checklist, state, "age", 17)
    assert engine.position(checklist, state).id == "under_18"


def test_a_finished_run_refuses_more_answers() -> None:
    checklist, state, here = run("up2u", "yes", "no")
    assert isinstance(here, Outcome)
    with pytest.raises(Finished):
        engine.answer(checklist, state, "wants_change", "yes")


def test_back_drops_the_last_answer_and_is_a_no_op_at_the_start() -> None:
    checklist, state, _ = run("kaizen", "yes", "intimate partner violence", "high", "yes", "yes")
    state = engine.back(checklist, state)
    assert engine.position(checklist, state).id == "ldc"
    state = engine.answer(checklist, state, "ldc", "no")
    assert engine.position(checklist, state).id == "consent"
    start = engine.start(checklist)
    assert engine.back(checklist, start) == start


def test_restart_drops_every_answer() -> None:
    checklist, state, _ = run("kaizen", "yes", "intimate partner violence")
    assert engine.restart(checklist, state) == engine.start(checklist)


def test_a_tampered_state_is_replayed_not_trusted() -> None:
    checklist = CHECKLISTS["bbr"]
    forged = RunState(checklist_id="bbr", answers=(("ipv_history", "yes"),))
    assert engine.position(checklist, forged).id == "route"
    partly = RunState(
        checklist_id="bbr", answers=(("route", "community"), ("sara_community", "extreme"), ("gender", "yes"))
    )
    assert engine.position(checklist, partly).id == "sara_community"
    assert engine.back(checklist, partly).answers == ()


def test_a_state_for_another_checklist_is_refused() -> None:
    with pytest.raises(StaleStep):
        engine.position(CHECKLISTS["bbr"], engine.start(CHECKLISTS["kaizen"]))


def test_the_summary_lists_answers_outcome_and_the_sources_along_the_path() -> None:
    checklist, state, _ = run("kaizen", "yes", "intimate partner violence", "high", "yes", "yes")
    result = engine.summary(checklist, state)
    assert result.outcome is not None and result.outcome.id == "adapted_programme"
    assert result.path == ["adult_male", "primary_risk", "esara", "pna", "ldc"]
    assert result.answers[1] == ("What is his primary risk?", "intimate partner violence")
    assert [c.section for c in result.citations].count("Risk assessment") == 3
    assert all(c.doc_id == "kaizen-hmpps-2019" for c in result.citations)
    text = engine.summary_text(result)
    assert "Kaizen suitability" in text and "Outcome: Refer elsewhere." in text
    assert "What is his primary risk? Answer: intimate partner violence" in text
    assert "kaizen-hmpps-2019" in text
    assert "*" not in text and "<" not in text and "`" not in text


def test_the_summary_of_an_unfinished_run_says_so() -> None:
    checklist, state, _ = run("up2u", "yes")
    result = engine.summary(checklist, state)
    assert result.outcome is None and len(result.answers) == 1
    assert "not reached yet" in engine.summary_text(result)


def test_an_outcome_citation_is_in_the_summary() -> None:
    checklist, state, _ = run("up2u", "yes", "yes", "yes", "40", "a professional", "no", "yes", "no")
    cited = [c.quote for c in engine.summary(checklist, state).citations]
    assert any("common assessment framework" in q for q in cited)


ALL_STEP_IDS = sorted({s.id for c in CHECKLISTS.values() for s in c.steps} | {"nonsense"})
ALL_VALUES = sorted({v for c in CHECKLISTS.values() for s in c.steps for v in [*s.choices, "yes", "no"]})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    checklist_id=st.sampled_from(sorted(CHECKLISTS)),
    moves=st.lists(
        st.one_of(
            st.tuples(st.just("answer"), st.sampled_from(ALL_STEP_IDS), st.sampled_from(ALL_VALUES)),
            st.tuples(st.just("answer"), st.sampled_from(ALL_STEP_IDS), st.text(max_size=12)),
            st.tuples(st.just("answer"), st.sampled_from(ALL_STEP_IDS), st.integers(-5, 120).map(str)),
            st.tuples(st.just("current"), st.just(""), st.sampled_from(ALL_VALUES)),
            st.tuples(st.just("current"), st.just(""), st.integers(-5, 120)),
            st.tuples(st.just("current"), st.just(""), st.dates().map(str)),
            st.tuples(st.just("back"), st.just(""), st.just("")),
            st.tuples(st.just("restart"), st.just(""), st.just("")),
        ),
        max_size=30,
    ),
)
def test_random_answers_always_leave_the_run_on_a_step_or_an_outcome(
    checklist_id: str, moves: list[tuple[str, str, object]]
) -> None:
    checklist = CHECKLISTS[checklist_id]
    state = engine.start(checklist)
    for move, step_id, value in moves:
        before = state
        try:
            if move == "back":
                state = engine.back(checklist, state)
            elif move == "restart":
                state = engine.restart(checklist, state)
            else:
                here = engine.position(checklist, state)
                target = here.id if move == "current" else step_id
                state = engine.answer(checklist, state, target, value)
        except (StaleStep, InvalidAnswer, Finished):
            assert state == before
        here = engine.position(checklist, state)
        assert here in checklist.steps or here in checklist.outcomes
        assert len(engine.summary(checklist, state).answers) == len(state.answers)


DATED = Checklist.model_validate(
    {
        "id": "dated",
        "title": "Dated",
        "programme": "P",
        "summary": "S",
        "sources": ["d"],
        "steps": [
            {
                "id": "when",
                "prompt": "When was the index offence?",
                "help": "h",
                "citation": {"doc_id": "d", "section": "s", "quote": "q"},
                "kind": "date",
                "next": {"<2020-01-01": "score", "*": "outcome:recent"},
            },
            {
                "id": "score",
                "prompt": "Score?",
                "help": "h",
                "citation": {"doc_id": "d", "section": "s", "quote": "q"},
                "kind": "number",
                "next": {"<=10": "outcome:old", ">=5": "outcome:recent"},
            },
        ],
        "outcomes": [
            {"id": "old", "verdict": "not_suitable", "text": "t"},
            {"id": "recent", "verdict": "suitable", "text": "t"},
        ],
    }
)


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [(["2019-12-31", "7"], "old"), (["2019-12-31", "11"], "recent"), (["2020-01-01"], "recent")],
)
def test_date_and_number_conditions_are_tried_in_order(answers: list[str], outcome: str) -> None:
    state = engine.start(DATED)
    for value in answers:
        state = engine.answer(DATED, state, engine.position(DATED, state).id, value)
    assert engine.position(DATED, state).id == outcome


@pytest.mark.parametrize("value", ["31/12/2019", "2019-02-30", "yesterday", "2019-1-1"])
def test_a_date_must_be_iso(value: str) -> None:
    with pytest.raises(InvalidAnswer, match="YYYY-MM-DD"):
        engine.answer(DATED, engine.start(DATED), "when", value)
