"""Self-check quizzes for the opening lesson: type I or type II? which technique? which tool?

The questions and the grading are plain data and pure functions (``grade``, ``score``,
``feedback_html``, ``summary``), tested without a browser; ``Quiz`` is the ipywidgets view
(one row of buttons per question, feedback as soon as an option is picked). Every text is in
Galician and English; the facts come from the course text ("Introdución á virtualización").

    from labkit.widgets.quiz import Quiz, HYPERVISORS, TECHNIQUES, CONTAINERS
    Quiz(HYPERVISORS, "gl")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from labkit.i18n import DEFAULT_LANG, LANGS
from labkit.widgets.html import FONT, esc, message
from labkit.widgets.view import View

#: A text in every language: ``{"gl": …, "en": …}``.
Text = Mapping[str, str]

TEXTS: dict[str, dict[str, str]] = {
    "right": {"gl": "Correcto.", "en": "Right."},
    "wrong": {"gl": "Non: a resposta é «{answer}».", "en": "No: the answer is “{answer}”."},
    "unknown": {"gl": "Esa opción non existe nesta pregunta.",
                "en": "That is not one of this question's options."},
    "score": {"gl": "{right} de {total} correctas ({answered} respondidas)",
              "en": "{right} of {total} right ({answered} answered)"},
    "widget": {"gl": "[cuestionario: {title}, {total} preguntas]",
               "en": "[quiz: {title}, {total} questions]"},
}


def tr(key: str, lang: str, **values: object) -> str:
    """The text ``key`` of this module in ``lang`` (Galician if ``lang`` is unknown)."""
    entry = TEXTS[key]
    return entry.get(lang, entry[DEFAULT_LANG]).format(**values)


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
        return Feedback(None, tr("unknown", lang))
    right = question.option(question.answer)
    assert right is not None
    why = _pick(question.why, lang)
    if choice == question.answer:
        return Feedback(True, f"{tr('right', lang)} {why}")
    return Feedback(False, f"{tr('wrong', lang, answer=_pick(right.label, lang))} {why}")


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
    return tr("score", lang, right=right, total=total, answered=answered)


def feedback_html(feedback: Feedback) -> str:
    """The feedback line under a question (empty before an answer)."""
    if not feedback.text:
        return ""
    kind = "note" if feedback.correct is None else ("passed" if feedback.correct else "failed")
    return message(feedback.text, kind)


# -- the questions ----------------------------------------------------------------------------
def _options(*pairs: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(key, {"gl": gl, "en": en}) for key, gl, en in pairs)


_TYPES = _options(("I", "Tipo I (bare metal)", "Type I (bare metal)"),
                  ("II", "Tipo II (aloxado)", "Type II (hosted)"))

_TYPE_I_WHY = {"gl": "O hypervisor é o propio sistema que corre na máquina física: as chamadas "
                     "da máquina virtual pasan del directamente ao hardware.",
               "en": "The hypervisor is the very system running on the physical machine: the "
                     "VM's calls go from it straight to the hardware."}
_TYPE_II_WHY = {"gl": "É unha aplicación máis sobre o sistema operativo do anfitrión: as "
                      "chamadas pasan do hypervisor ao sistema e de aí ao hardware.",
                "en": "It is one more application on top of the host's operating system: calls "
                      "go from the hypervisor to that system, and only then to the hardware."}


def _hypervisor(name: str, kind: str) -> Question:
    return Question(id=name.lower().replace(" ", "-"),
                    prompt={"gl": f"{name}: de que tipo é este hypervisor?",
                            "en": f"{name}: what type of hypervisor is it?"},
                    options=_TYPES, answer=kind,
                    why=_TYPE_I_WHY if kind == "I" else _TYPE_II_WHY)


HYPERVISORS = QuizSpec(
    id="hypervisor-types",
    title={"gl": "Tipo I ou tipo II?", "en": "Type I or type II?"},
    questions=tuple(_hypervisor(n, k) for n, k in (
        ("VMware ESXi", "I"), ("VirtualBox", "II"), ("KVM", "I"), ("VMware Player", "II"),
        ("Xen", "I"), ("Hyper-V", "I"))),
)

_TECHNIQUE_OPTIONS = _options(
    ("full", "Virtualización completa", "Full virtualization"),
    ("para", "Paravirtualización", "Paravirtualization"),
    ("hw", "Virtualización asistida por hardware", "Hardware-assisted virtualization"),
    ("hybrid", "Virtualización híbrida", "Hybrid virtualization"),
    ("os", "Virtualización a nivel de sistema operativo", "OS-level virtualization"),
)


def _technique(qid: str, gl: str, en: str, answer: str, why_gl: str, why_en: str) -> Question:
    return Question(qid, {"gl": gl, "en": en}, _TECHNIQUE_OPTIONS, answer,
                    {"gl": why_gl, "en": why_en})


TECHNIQUES = QuizSpec(
    id="techniques",
    title={"gl": "Que técnica é?", "en": "Which technique is it?"},
    questions=(
        _technique(
            "simulated-hardware",
            "O hypervisor simula por software todo o hardware: a CPU, a xestión da memoria, o "
            "disco, a pantalla… O invitado non se modifica, pero vai moi lento.",
            "The hypervisor simulates all the hardware in software: the CPU, memory "
            "management, the disk, the screen… The guest is not modified, but it is very slow.",
            "full",
            "É a virtualización completa: por iso non era viable en produción.",
            "That is full virtualization: which is why it was not viable in production."),
        _technique(
            "modified-guest",
            "O sistema invitado está modificado para pedirlle as cousas ao hypervisor con "
            "chamadas propias en vez de usar hardware simulado. Xen fíxoo con Linux, pero non "
            "se podía con Windows.",
            "The guest system is modified to ask the hypervisor for things through calls of "
            "its own instead of simulated hardware. Xen did it with Linux, but it could not be "
            "done with Windows.",
            "para",
            "É paravirtualización: rápida, pero hai que cambiar o sistema invitado.",
            "That is paravirtualization: fast, but the guest system has to be changed."),
        _technique(
            "cpu-extensions",
            "Desde 2005 a CPU trae extensións (Intel VT, AMD-V) que deixan á máquina virtual "
            "usar directamente parte dos recursos da CPU, sen modificar o invitado.",
            "Since 2005 CPUs have extensions (Intel VT, AMD-V) that let the virtual machine use "
            "part of the CPU's resources directly, with an unmodified guest.",
            "hw",
            "É a virtualización asistida por hardware (os indicadores vmx e svm da CPU).",
            "That is hardware-assisted virtualization (the vmx and svm CPU flags)."),
        _technique(
            "extensions-and-drivers",
            "A máquina virtual usa as extensións de virtualización da CPU e, para o disco e a "
            "rede, drivers paravirtualizados (virtio, as «guest additions»).",
            "The virtual machine uses the CPU's virtualization extensions and, for disk and "
            "network, paravirtualized drivers (virtio, the \"guest additions\").",
            "hybrid",
            "É a virtualización híbrida, a habitual hoxe (a do laboratorio con KVM).",
            "That is hybrid virtualization, the usual kind today (the lab's, with KVM)."),
        _technique(
            "same-kernel",
            "Os procesos quedan illados nun grupo con límites (cgroups) pero todos corren "
            "sobre o mesmo núcleo: arrinca en nada, pero non pode levar outro núcleo.",
            "Processes are isolated in a group with limits (cgroups) but all of them run on "
            "the same kernel: it starts at once, but it cannot bring a different kernel.",
            "os",
            "Son contedores: virtualización a nivel de sistema operativo.",
            "Those are containers: OS-level virtualization."),
    ),
)

_TOOLS = _options(("lxc", "LXC", "LXC"), ("docker", "Docker", "Docker"),
                  ("kubernetes", "Kubernetes", "Kubernetes"))

CONTAINERS = QuizSpec(
    id="container-tools",
    title={"gl": "LXC, Docker ou Kubernetes?", "en": "LXC, Docker or Kubernetes?"},
    questions=(
        Question("whole-system",
                 {"gl": "Queres un contorno de uso xeral, coma unha máquina virtual, no que "
                        "instalar despois os servizos que precises.",
                  "en": "You want a general-purpose environment, like a virtual machine, to "
                        "install whatever services you need later."},
                 _TOOLS, "lxc",
                 {"gl": "LXC executa un contorno operativo completo illado.",
                  "en": "LXC runs a whole operating environment in isolation."}),
        Question("one-service",
                 {"gl": "Queres despregar un servidor web cun só comando, desde un repositorio "
                        "de internet, e nada máis.",
                  "en": "You want to deploy a web server with a single command, from a "
                        "repository on the internet, and nothing else."},
                 _TOOLS, "docker",
                 {"gl": "Docker está pensado para aplicacións e servizos concretos "
                        "(microservizos).",
                  "en": "Docker is made for individual applications and services "
                        "(microservices)."}),
        Question("orchestrate",
                 {"gl": "Tes moitos servizos en contedores e queres que se despreguen e escalen "
                        "sós segundo a demanda, repartindo a carga.",
                  "en": "You have many services in containers and want them deployed and "
                        "scaled automatically on demand, sharing out the load."},
                 _TOOLS, "kubernetes",
                 {"gl": "Kubernetes é un orquestrador de contedores.",
                  "en": "Kubernetes is a container orchestrator."}),
    ),
)

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
                                       f'{esc(_pick(self.quiz.title, self.lang))}</div>')]
        for question in self.quiz.questions:
            buttons = w.ToggleButtons(
                options=[(_pick(o.label, self.lang), o.key) for o in question.options],
                value=None, style={"button_width": "auto"})
            buttons.observe(lambda change, q=question: self.answer(q.id, change["new"]),
                            names="value")
            self.buttons[question.id] = buttons
            self.feedback[question.id] = w.HTML()
            rows += [w.HTML(f'<div style="{FONT} margin-top: 6px;">'
                            f'{esc(_pick(question.prompt, self.lang))}</div>'),
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
        return tr("widget", self.lang, title=_pick(self.quiz.title, self.lang),
                  total=len(self.quiz.questions))


def questions(quiz: QuizSpec | str) -> Sequence[Question]:
    """The questions of a quiz (by spec or id)."""
    return (QUIZZES[quiz] if isinstance(quiz, str) else quiz).questions
