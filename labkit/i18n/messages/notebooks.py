"""Texts that many notebooks share (headings, the lesson frame) and the few lines that lesson
code cells print, in Galician and English. The notebooks' own prose lives in their sources
(``notebooks/src/*.yaml``, ``exercises/*/notebook.yaml``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "notebooks.check_heading": {
        "gl": "## Comproba o teu traballo",
        "en": "## Check my work",
    },
    "notebooks.objectives_heading": {
        "gl": "### Obxectivos",
        "en": "### Objectives",
    },
    "notebooks.summary_heading": {
        "gl": "## Resumo",
        "en": "## Summary",
    },
    "notebooks.questions_heading": {
        "gl": "## Preguntas sobre a saída real",
        "en": "## Questions on real output",
    },
    "notebooks.speed": {
        "gl": "neste ordenador (sen virtualizar): {local:.3f} s\n"
              "na máquina de laboratorio:         {guest:.3f} s  ({times:.1f} veces)",
        "en": "on this computer (not virtualized): {local:.3f} s\n"
              "on the lab host:                    {guest:.3f} s  ({times:.1f} times)",
    },
    "notebooks.worth": {
        "gl": "Vale {points:g} puntos:",
        "en": "It is worth {points:g} points:",
    },
    "notebooks.checks_header": {
        "gl": "| Comprobación | Puntos |",
        "en": "| Check | Points |",
    },
    "notebooks.your_values": {
        "gl": "**Os teus valores.** Os nomes e tamaños entre chaves, coma `{example}`, son os "
              "teus: amósaos o panel da cela de código seguinte (sen panel, valen os do enunciado "
              "por defecto). O corrector usa eses mesmos valores.",
        "en": "**Your values.** Names and sizes in braces, such as `{example}`, are your own: the "
              "panel of the next code cell shows them (without the panel, the assignment's "
              "defaults apply). The grader uses those same values.",
    },
}
