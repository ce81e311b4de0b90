"""Self-check quizzes for the opening lesson: type I or type II? which technique? which tool?

The questions and the grading are plain data and pure functions (``grade``, ``score``,
``feedback_html``, ``summary``), tested without a browser; ``Quiz`` is the ipywidgets view
(one row of buttons per question, feedback as soon as an option is picked). A text is a
``{"gl": …, "en": …}`` mapping: a notebook may write its own quiz; the opening lesson's three
take theirs from the catalog. The facts come from the course text ("Introdución á
virtualización").

    from labkit.widgets.quiz import Quiz, HYPERVISORS, TECHNIQUES, CONTAINERS
    Quiz(HYPERVISORS, "gl")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from labkit.i18n import DEFAULT_LANG, LANGS, catalog, text
from labkit.widgets.html import FONT, esc, inline, message
from labkit.widgets.view import View

#: A text in every language: ``{"gl": …, "en": …}``.
Text = Mapping[str, str]




def _pick(text: Text, lang: str) -> str:
    return text.get(lang) or text[DEFAULT_LANG]


@dataclass(frozen=True)
class Option:
    key: str
    label: Text


@dataclass(frozen=True)
class Question:
    """One question: a prompt, its options (by key), the right key and why it is right."""

    id: str
    prompt: Text
    options: tuple[Option, ...]
    answer: str
    why: Text

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class QuizSpec:
    id: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Feedback:
    """What a student sees after picking ``choice``: ``correct`` is None when nothing (or
    an unknown option) was picked."""

    correct: bool | None
    text: str


def grade(question: Question, choice: str | None, lang: str = DEFAULT_LANG) -> Feedback:
    """Judge one answer and explain it."""
    if choice is None or choice == "":
        return Feedback(None, "")
    if question.option(choice) is None:
        return Feedback(None, text("quiz.unknown", lang))
    right = question.option(question.answer)
    assert right is not None
    why = _pick(question.why, lang)
    if choice == question.answer:
        return Feedback(True, f"{text('quiz.right', lang)} {why}")
    return Feedback(False, f"{text('quiz.wrong', lang, answer=_pick(right.label, lang))} {why}")


def score(quiz: QuizSpec, answers: Mapping[str, str | None]) -> tuple[int, int, int]:
    """(right, total, answered) for ``answers`` by question id."""
    right = answered = 0
    for question in quiz.questions:
        choice = answers.get(question.id)
        if choice:
            answered += 1
            right += choice == question.answer
    return right, len(quiz.questions), answered


def summary(quiz: QuizSpec, answers: Mapping[str, str | None], lang: str) -> str:
    right, total, answered = score(quiz, answers)
    return text("quiz.score", lang, right=right, total=total, answered=answered)


def feedback_html(feedback: Feedback) -> str:
    """The feedback line under a question (empty before an answer)."""
    if not feedback.text:
        return ""
    kind = "note" if feedback.correct is None else ("passed" if feedback.correct else "failed")
    return message(feedback.text, kind, code_spans=True)


# -- the opening lesson's quizzes (texts: labkit/i18n/messages/widgets_quiz.toml) ------------
def _t(key: str) -> Text:
    """A catalog entry as a Text (``{"gl": …, "en": …}``)."""
    return catalog()[key]


def _options(*keys: str) -> tuple[Option, ...]:
    return tuple(Option(key, _t(f"quiz.option.{key}")) for key in keys)


def _quiz(quiz: str, options: tuple[Option, ...], answers: Sequence[tuple[str, str]]
          ) -> QuizSpec:
    """A quiz whose question ``(id, answer)`` texts are ``quiz.<quiz>.<id>.prompt|why``."""
    return QuizSpec(quiz, _t(f"quiz.{quiz}.title"), tuple(
        Question(qid, _t(f"quiz.{quiz}.{qid}.prompt"), options, answer,
                 _t(f"quiz.{quiz}.{qid}.why")) for qid, answer in answers))


HYPERVISORS = _quiz("hypervisor-types", _options("I", "II"), (
    ("vmware-esxi", "I"), ("virtualbox", "II"), ("kvm", "I"), ("vmware-player", "II"),
    ("xen", "I"), ("hyper-v", "I")))
TECHNIQUES = _quiz("techniques", _options("full", "para", "hw", "hybrid", "os"), (
    ("simulated-hardware", "full"), ("modified-guest", "para"), ("cpu-extensions", "hw"),
    ("extensions-and-drivers", "hybrid"), ("same-kernel", "os")))
CONTAINERS = _quiz("container-tools", _options("lxc", "docker", "kubernetes"), (
    ("whole-system", "lxc"), ("one-service", "docker"), ("orchestrate", "kubernetes")))

QUIZZES: dict[str, QuizSpec] = {q.id: q for q in (HYPERVISORS, TECHNIQUES, CONTAINERS)}


# -- the widget -------------------------------------------------------------------------------
class Quiz(View):
    """One question per row: option buttons, then the feedback as soon as one is picked."""

    def __init__(self, quiz: QuizSpec | str, lang: str | None = None) -> None:
        self.quiz = QUIZZES[quiz] if isinstance(quiz, str) else quiz
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.answers: dict[str, str | None] = {q.id: None for q in self.quiz.questions}
        self.buttons: dict[str, w.ToggleButtons] = {}
        self.feedback: dict[str, w.HTML] = {}
        self.score = w.HTML(self._score_html())
        rows: list[w.Widget] = [w.HTML(f'<div style="{FONT} font-weight: bold;">'
                                       f'{inline(_pick(self.quiz.title, self.lang))}</div>')]
        for question in self.quiz.questions:
            buttons = w.ToggleButtons(
                options=[(_pick(o.label, self.lang).replace("`", ""), o.key)
                         for o in question.options],  # a button shows plain text
                value=None, style={"button_width": "auto"})
            buttons.observe(lambda change, q=question: self.answer(q.id, change["new"]),
                            names="value")
            self.buttons[question.id] = buttons
            self.feedback[question.id] = w.HTML()
            rows += [w.HTML(f'<div style="{FONT} margin-top: 6px;">'
                            f'{inline(_pick(question.prompt, self.lang))}</div>'),
                     buttons, self.feedback[question.id]]
        rows.append(self.score)
        self.widget = w.VBox(rows, layout=w.Layout(max_width="60em"))
        self.widget.add_class("labkit-quiz")

    def answer(self, question_id: str, choice: str | None) -> Feedback:
        """Record ``choice`` and show its feedback (also what a click does)."""
        question = next(q for q in self.quiz.questions if q.id == question_id)
        self.answers[question_id] = choice
        if self.buttons[question_id].value != choice:
            self.buttons[question_id].value = choice
        result = grade(question, choice, self.lang)
        self.feedback[question_id].value = feedback_html(result)
        self.score.value = self._score_html()
        return result

    def _score_html(self) -> str:
        return (f'<div style="{FONT} margin-top: 8px; opacity: 0.8;">'
                f'{esc(summary(self.quiz, self.answers, self.lang))}</div>')

    def text(self) -> str:
        return text("quiz.widget", self.lang, title=_pick(self.quiz.title, self.lang),
                  total=len(self.quiz.questions))


def questions(quiz: QuizSpec | str) -> Sequence[Question]:
    """The questions of a quiz (by spec or id)."""
    return (QUIZZES[quiz] if isinstance(quiz, str) else quiz).questions
