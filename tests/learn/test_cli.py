"""`guidebot define / compare / learn / quiz` through the real app: JSON shapes for scripts, exit codes, a round."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from guidebot.cli import app
from guidebot.knowledge.citations import Sources
from guidebot.knowledge.loader import load_knowledge
from guidebot.learn.cli import page, read_choice
from guidebot.learn.compare import NOT_STATED, compare
from guidebot.learn.content import FACTS, Learning, learning_from
from guidebot.learn.quiz import LETTERS, item, pick, score
from guidebot.learn.results import Card, Comparison
from guidebot.learn.terminal import render_card, render_comparison, render_quiz_score
from guidebot.learn.tour import tour_card
from tests.helpers_core import SHIPPED_KNOWLEDGE, copy_shipped

CITATION_KEYS = {"doc_id", "section", "quote"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def loaded() -> tuple[Learning, Sources]:
    return learning_from(load_knowledge(SHIPPED_KNOWLEDGE))


# -- define --------------------------------------------------------------------------------------------


def test_define_json_has_the_entry_and_flat_sources(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["define", "SARA", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"term", "expansion", "meaning", "sources", "passages"}
    assert data["term"] == "SARA" and data["passages"] >= len(data["sources"]) > 0
    assert all(set(s) == CITATION_KEYS | {"label"} for s in data["sources"])


def test_define_joins_the_words_of_a_term(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["define", "spousal", "assault", "risk", "assessment", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["term"] == "SARA"


def test_define_prints_the_entry_and_its_sources(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["define", "sara"])
    assert result.exit_code == 0
    assert "SARA — spousal assault risk assessment" in result.stdout
    assert "Source: HMPPS template, 2019 (BBR) · Risk assessment" in result.stdout


def test_define_unknown_json_exits_2_with_suggestions(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["define", "SRA", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["error"] == "unknown term" and data["asked"] == "SRA"
    assert data["did_you_mean"][0] == "SARA" and "MARAC" in data["known"]


def test_define_unknown_says_so_on_stderr_and_searches_the_documents(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["define", "gap", "week"])
    assert result.exit_code == 2
    assert "No glossary entry for gap week." in result.stderr
    assert "Known terms: " in result.stderr and "SARA" in result.stderr
    assert "Did you mean" not in result.stderr
    assert "Searching the documents instead" in result.stdout
    assert "Best match" in result.stdout and "gap week" in result.stdout.lower()


# -- compare -------------------------------------------------------------------------------------------


def test_compare_json_shape(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["compare", "BBR", "kaizen", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"programmes", "rows"} and data["programmes"] == ["BBR", "Kaizen"]
    assert [row["fact"] for row in data["rows"]] == list(FACTS)
    for row in data["rows"]:
        assert set(row) == {"fact", "label", "values"} and row["label"] == FACTS[row["fact"]]
        assert set(row["values"]) == {"BBR", "Kaizen"}
        for cell in row["values"].values():
            assert set(cell) == {"text", "citation"}
            assert cell["citation"] is None or set(cell["citation"]) == CITATION_KEYS
    partner = next(row for row in data["rows"] if row["fact"] == "partner_support")
    assert partner["values"]["Kaizen"] == {"text": NOT_STATED, "citation": None}
    assert partner["values"]["BBR"]["citation"]["doc_id"] == "bbr-hmpps-2019"


def test_compare_unknown_programme_exits_2_listing_the_known(runner: CliRunner, env: dict[str, str]) -> None:
    printed = runner.invoke(app, ["compare", "BBR", "Kaizn"])
    assert printed.exit_code == 2
    assert "No programme for Kaizn." in printed.stderr and "Did you mean: Kaizen?" in printed.stderr
    assert "Known programmes: IDAP, CDVP, HRP, BBR, Kaizen, Up2U" in printed.stderr
    as_json = runner.invoke(app, ["compare", "BBR", "Kaizn", "--json"])
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == {
        "error": "unknown programme",
        "asked": "Kaizn",
        "did_you_mean": ["Kaizen"],
        "known": ["IDAP", "CDVP", "HRP", "BBR", "Kaizen", "Up2U"],
    }


@pytest.mark.parametrize("names", [["BBR"], ["BBR", "bbr"], ["BBR", "Kaizen", "Up2U", "IDAP"]])
def test_compare_too_few_too_many_or_the_same_exits_2(runner: CliRunner, env: dict[str, str], names: list[str]) -> None:
    result = runner.invoke(app, ["compare", *names, "--json"])
    assert result.exit_code == 2
    assert "programme" in result.stderr and result.stdout == ""


# -- learn ---------------------------------------------------------------------------------------------


def test_learn_without_a_terminal_prints_every_card_in_order(
    runner: CliRunner, env: dict[str, str], loaded: tuple[Learning, Sources]
) -> None:
    learning, sources = loaded
    result = runner.invoke(app, ["learn"])
    assert result.exit_code == 0, result.output
    total = len(learning.tour)
    titles = [c.title for n in range(1, total + 1) if (c := tour_card(learning, sources, n))]
    previous = -1
    for number, title in enumerate(titles, 1):
        marker = result.stdout.index(f"card {number} of {total}")
        assert result.stdout.rindex(title, 0, marker) > previous, title  # the title just above its card
        previous = marker
    assert "Enter or n" not in result.stdout


def test_learn_one_card_and_out_of_range(runner: CliRunner, env: dict[str, str]) -> None:
    one = runner.invoke(app, ["learn", "--card", "1"])
    assert one.exit_code == 0 and "Welcome" in one.stdout and "card 2 of" not in one.stdout
    assert runner.invoke(app, ["learn", "--card", "0"]).exit_code == 2
    beyond = runner.invoke(app, ["learn", "--card", "99"])
    assert beyond.exit_code == 2 and "No card 99" in beyond.stderr


def test_learn_json_lists_the_cards(runner: CliRunner, env: dict[str, str]) -> None:
    cards = json.loads(runner.invoke(app, ["learn", "--json"]).stdout)
    assert [c["number"] for c in cards] == list(range(1, len(cards) + 1))
    bbr = next(c for c in cards if c["title"] == "Building Better Relationships (BBR)")
    assert bbr["facts"] and set(bbr["facts"][0]) == {"label", "text"}
    assert all(set(s) == CITATION_KEYS | {"label"} for c in cards for s in c["sources"])
    single = json.loads(runner.invoke(app, ["learn", "--card", "2", "--json"]).stdout)
    assert single == cards[1]


def _cards(n: int) -> list[Card]:
    return [Card(number=i, total=n, title=f"Card {i}", text="t") for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        (["", "n", ""], [1, 2, 3]),
        (["n", "b", "n", "n"], [1, 2, 1, 2, 3]),
        (["b", "x", "q"], [1]),
        (["n"], [1, 2]),  # end of input stops the pager
    ],
)
def test_the_pager_goes_next_back_and_quits(keys: list[str], shown: list[int]) -> None:
    typed = iter(keys)
    seen: list[int] = []

    def read(_: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    page(_cards(3), read, lambda card: seen.append(card.number))
    assert seen == shown


# -- quiz ----------------------------------------------------------------------------------------------


def test_quiz_list_json_has_every_question_with_its_right_answer(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["quiz", "--list", "--json"])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.stdout)
    assert len(questions) == 40
    for q in questions:
        assert set(q) == {"id", "question", "choices", "answer", "right", "explanation", "topic", "citation"}
        assert q["answer"] == q["choices"][q["right"]]
        assert set(q["citation"]) == CITATION_KEYS and q["explanation"]


def test_quiz_list_prints_each_answer(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["quiz", "--list"])
    assert result.exit_code == 0
    assert "How many participants at most are in a Kaizen group session?" in result.stdout
    assert "Answer: B. 8" in result.stdout


def test_quiz_json_without_list_is_refused(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["quiz", "--json"])
    assert result.exit_code == 2 and "--list" in result.stderr


def _round_letters(learning: Learning, seed: int, count: int) -> list[str]:
    by_id = {q.id: q for q in learning.quiz}
    return [LETTERS[by_id[i].right] for i in pick(learning.quiz, count, random.Random(seed))]


def test_a_quiz_round_from_piped_answers_scores_them(
    runner: CliRunner, env: dict[str, str], loaded: tuple[Learning, Sources]
) -> None:
    right = _round_letters(loaded[0], 1, 3)
    wrong = next(letter for letter in "ABCD" if letter != right[2])
    typed = ["z", right[0].lower(), "", right[1], wrong]  # a stray letter and an empty line are asked again
    result = runner.invoke(app, ["quiz", "--count", "3", "--seed", "1"], input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert re.search(r"Score: \d/3", result.stdout)
    assert "Score: 2/3" in result.stdout
    assert result.stdout.count("Type one letter") == 2
    assert "Question 3 of 3" in result.stdout and "Question 4" not in result.stdout
    assert f"you chose {wrong}." in result.stdout and f"The answer is {right[2]}." in result.stdout


def test_a_quiz_round_ends_early_at_the_end_of_input(
    runner: CliRunner, env: dict[str, str], loaded: tuple[Learning, Sources]
) -> None:
    right = _round_letters(loaded[0], 7, 3)
    result = runner.invoke(app, ["quiz", "--count", "3", "--seed", "7"], input=f"{right[0]}\n")
    assert result.exit_code == 0
    assert "Round ended after 1 of 3 questions." in result.stdout and "Score: 1/1" in result.stdout
    nothing = runner.invoke(app, ["quiz", "--count", "3"], input="")
    assert nothing.exit_code == 0 and "Score" not in nothing.stdout


def test_read_choice_takes_any_case_and_asks_again() -> None:
    typed = iter(["e", "  c ", "b"])
    assert read_choice(4, lambda _: next(typed)) == 2
    assert read_choice(2, lambda _: "B.") == 1

    def closed(_: str) -> str:
        raise EOFError

    assert read_choice(4, closed) is None


# -- content problems ----------------------------------------------------------------------------------


def test_a_bad_quiz_entry_is_reported_once_and_the_rest_still_work(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    root = copy_shipped(tmp_path / "knowledge")
    quiz = root / "quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace('answer: "8"', 'answer: "9"', 1), encoding="utf-8")
    result = runner.invoke(app, ["quiz", "--list", "--json"], env={"GUIDEBOT_KNOWLEDGE_DIR": str(root)})
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 39
    assert result.stderr.count("skipped") == 1
    assert "quiz.yaml line" in result.stderr and "'9' is not one" in result.stderr


# -- rendering -----------------------------------------------------------------------------------------


def _rendered(render, *args: object, width: int = 80) -> str:  # type: ignore[no-untyped-def]
    console = Console(file=io.StringIO(), width=width, color_system=None)
    render(*args, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_a_comparison_reads_at_80_columns(loaded: tuple[Learning, Sources]) -> None:
    result = compare(*loaded, ["BBR", "Kaizen", "Up2U"])
    assert isinstance(result, Comparison)
    text = _rendered(render_comparison, result)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    block = text[text.index("Partner support") :]
    assert block.index("Kaizen") < block.index(NOT_STATED) < block.index("Up2U")
    for row in result.rows:
        assert row.label in text
    assert text.count("Source: ") == sum(1 for r in result.rows for c in r.values.values() if c.source)


def test_a_card_shows_its_place_facts_and_sources_once(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    number = next(n for n, entry in enumerate(learning.tour, 1) if entry.programme == "IDAP")
    card = tour_card(learning, sources, number)
    assert card is not None
    text = " ".join(_rendered(render_card, card, width=300).replace("│", " ").split())
    assert f"card {number} of {len(learning.tour)}" in text
    assert f"Sessions and intensity: {learning.programmes['IDAP'].facts['sessions'].text}" in text
    labels = {s.label for s in card.sources}
    assert text.count("Source: ") == len(labels) == len(card.sources)  # one source per section


def test_a_written_card_shows_slack_bold_without_stars(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    number = next(n for n, entry in enumerate(learning.tour, 1) if entry.text and "*" in entry.text)
    card = tour_card(learning, sources, number)
    assert card is not None
    assert "*" not in _rendered(render_card, card, width=300)


def test_the_score_shows_chosen_against_right_with_why_and_source(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    first, second = (item(q, sources) for q in learning.quiz[:2])
    wrong = (second.right + 1) % len(second.choices)
    text = _rendered(render_quiz_score, score([first, second], {first.id: first.right, second.id: wrong}), width=300)
    assert text.index("Score: 1/2") < text.index(first.question) < text.index(second.question)
    assert f"Wrong: you chose {LETTERS[wrong]}. {second.choices[wrong]}" in text
    assert f"The answer is {LETTERS[second.right]}. {second.choices[second.right]}" in text
    assert second.explanation in text and f"Source: {second.source.label}" in text
