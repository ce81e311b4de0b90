"""The self-check quizzes: the grading is pure, every text exists in both languages, and the
widget gives feedback as soon as an option is picked."""

from __future__ import annotations

import re

import pytest

from labkit.i18n import LANGS, catalog, text
from labkit.widgets.quiz import (
    CONTAINERS,
    HYPERVISORS,
    QUIZZES,
    TECHNIQUES,
    Quiz,
    feedback_html,
    grade,
    score,
    summary,
)

ALL = [pytest.param(q, id=q.id) for q in QUIZZES.values()]


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", template))


def test_the_lesson_quizzes_take_their_texts_from_the_catalog() -> None:
    for quiz in (HYPERVISORS, TECHNIQUES, CONTAINERS):
        assert quiz.title is catalog()[f"quiz.{quiz.id}.title"]
        for question in quiz.questions:
            assert question.prompt is catalog()[f"quiz.{quiz.id}.{question.id}.prompt"]


@pytest.mark.parametrize("quiz", ALL)
def test_questions_are_well_formed(quiz) -> None:  # type: ignore[no-untyped-def]
    ids = [q.id for q in quiz.questions]
    assert len(ids) == len(set(ids))
    for lang in LANGS:
        assert quiz.title[lang].strip()
    for question in quiz.questions:
        keys = [o.key for o in question.options]
        assert len(keys) == len(set(keys)) >= 2
        assert question.answer in keys
        for lang in LANGS:
            assert question.prompt[lang].strip() and question.why[lang].strip()
            assert all(o.label[lang].strip() for o in question.options)
        assert question.prompt["gl"] != question.prompt["en"]


def test_hypervisor_types_follow_the_course_text() -> None:
    answers = {q.id: q.answer for q in HYPERVISORS.questions}
    assert answers == {"vmware-esxi": "I", "xen": "I", "kvm": "I", "hyper-v": "I",
                       "vmware-player": "II", "virtualbox": "II"}


def test_techniques_and_tools_cover_every_option() -> None:
    assert {q.answer for q in TECHNIQUES.questions} == {o.key for o in
                                                        TECHNIQUES.questions[0].options}
    assert [q.answer for q in CONTAINERS.questions] == ["lxc", "docker", "kubernetes"]


@pytest.mark.parametrize("lang", LANGS)
def test_grade_right_wrong_unknown_and_empty(lang: str) -> None:
    kvm = next(q for q in HYPERVISORS.questions if q.id == "kvm")
    right = grade(kvm, "I", lang)
    assert right.correct is True and right.text.startswith(text("quiz.right", lang))
    wrong = grade(kvm, "II", lang)
    assert wrong.correct is False
    assert kvm.option("I").label[lang] in wrong.text  # type: ignore[union-attr]
    assert kvm.why[lang] in wrong.text
    assert grade(kvm, "III", lang).correct is None
    assert grade(kvm, None, lang) == grade(kvm, "", lang)
    assert grade(kvm, None, lang).text == "" and feedback_html(grade(kvm, None, lang)) == ""


def test_feedback_html_is_escaped_and_coloured() -> None:
    kvm = HYPERVISORS.questions[2]
    assert "#1b5e20" in feedback_html(grade(kvm, "I", "en"))       # passed colour
    assert "#b71c1c" in feedback_html(grade(kvm, "II", "en"))      # failed colour
    html = feedback_html(grade(TECHNIQUES.questions[3], "os", "en"))
    assert "“Hybrid virtualization”" in html and "<b>" not in html


def test_score_and_summary() -> None:
    answers = {"vmware-esxi": "I", "virtualbox": "I", "kvm": None}
    assert score(HYPERVISORS, answers) == (1, 6, 2)
    assert summary(HYPERVISORS, answers, "en") == "1 of 6 right (2 answered)"
    assert summary(HYPERVISORS, answers, "gl") == "1 de 6 correctas (2 respondidas)"


@pytest.mark.parametrize("lang", LANGS)
def test_widget_gives_feedback_on_click(lang: str) -> None:
    quiz = Quiz("techniques", lang)
    assert quiz.text().startswith("[")
    assert str(len(TECHNIQUES.questions)) in quiz.text()
    first = TECHNIQUES.questions[0]
    quiz.buttons[first.id].value = first.answer          # what a click does in the browser
    assert quiz.answers[first.id] == first.answer
    assert text("quiz.right", lang) in quiz.feedback[first.id].value
    result = quiz.answer(TECHNIQUES.questions[1].id, "full")
    assert result.correct is False
    assert quiz.buttons[TECHNIQUES.questions[1].id].value == "full"
    assert summary(TECHNIQUES, quiz.answers, lang) in quiz.score.value
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"] == quiz.text()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_unknown_language_falls_back_to_galician() -> None:
    assert Quiz(HYPERVISORS, "fr").lang == "gl"


def test_backticked_spans_are_code_and_the_rest_stays_escaped() -> None:
    """A notebook's quiz is written as its Markdown is: `lvs -a` shows as code in the title,
    the question and the explanation (not as backticks), a button shows plain text, and
    nothing else becomes markup."""
    from labkit.widgets.quiz import Option, Question, QuizSpec

    question = Question(
        "stripes",
        {"gl": "En cantos PV está `bandas` <b>?", "en": "On how many PVs is `bandas` <b>?"},
        (Option("3", {"gl": "En `tres`", "en": "`Three`"}), Option("1", {"gl": "Un", "en": "One"})),
        "3", {"gl": "A columna `Devices` nomea tres.", "en": "Its `Devices` column names three."})
    quiz = Quiz(QuizSpec("q", {"gl": "Ler `lvs -a`", "en": "Reading `lvs -a`"}, (question,)), "en")
    shown = "".join(child.value for child in quiz.widget.children if hasattr(child, "value")
                    and isinstance(child.value, str))
    assert "Reading <code>lvs -a</code>" in shown
    assert "is <code>bandas</code> &lt;b&gt;?" in shown and "`" not in shown
    assert [label for label, _ in quiz.buttons["stripes"].options] == ["Three", "One"]
    quiz.answer("stripes", "1")
    assert "Its <code>Devices</code> column" in quiz.feedback["stripes"].value
    assert "`" not in quiz.feedback["stripes"].value
