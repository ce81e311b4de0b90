"""Messages of ``labkit break`` (labkit.drills): whose drill, and what it cannot break."""

MESSAGES: dict[str, dict[str, str]] = {
    "repair.whose_drill": {
        "gl": "con --roster, di de quen é a práctica: --student ID",
        "en": "with --roster, say whose drill it is: --student ID",
    },
    "repair.not_in_roster": {
        "gl": "non hai ningún estudante {student!r} na lista {roster}",
        "en": "the roster {roster} has no student {student!r}",
    },
    "repair.no_faults": {
        "gl": "{exercise} non ten avarías que aplicar (exercises/{exercise}/faults/)",
        "en": "{exercise} has no faults to apply (exercises/{exercise}/faults/)",
    },
}
