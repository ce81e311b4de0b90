"""Messages of grading for a student: the grading context, the nbgrader bridge, per-student
values and "Check my work" evidence."""

MESSAGES: dict[str, dict[str, str]] = {
    # hosts that are not a student's machine
    "grading.recording": {
        "gl": "{url} é unha gravación de saídas doutra máquina, non a túa máquina do "
              "laboratorio: non dá puntos nin evidencias.",
        "en": "{url} is a recording of another host's outputs, not your lab host: it earns "
              "no marks and no evidence.",
    },
    "grading.self": {
        "gl": "{url} é a propia máquina que corrixe, non a túa máquina do laboratorio: non dá "
              "puntos nin evidencias.",
        "en": "{url} is the grading machine itself, not your lab host: it earns no marks and "
              "no evidence.",
    },
    "grading.teacher_note": {
        "gl": "Aviso: {reason}",
        "en": "Note: {reason}",
    },
    # the student's own values
    "grading.values_title": {
        "gl": "Os teus valores para {exercise} ({student})",
        "en": "Your values for {exercise} ({student})",
    },
    # a class's variants
    "variants.all_distinct": {
        "gl": "cada un dos {count} estudantes ten o seu propio conxunto de valores.",
        "en": "each of the {count} students has a set of values of their own.",
    },
    "variants.clash": {
        "gl": "estes estudantes comparten todo o conxunto de valores: {groups}",
        "en": "these students share the whole set of values: {groups}",
    },
    "variants.no_secret": {
        "gl": "aviso: non hai segredo do curso (LABKIT_COURSE_SALT ou course_salt en "
              "LABKIT_HOME): calquera pode calcular os valores a partir do identificador.",
        "en": "warning: there is no course secret (LABKIT_COURSE_SALT or course_salt in "
              "LABKIT_HOME): anyone can work the values out from the student id.",
    },
    # the nbgrader bridge
    "nbgrader.no_student": {
        "gl": "Non se sabe de que estudante é esta entrega (nin cartafol de nbgrader autograde "
              "nin LABKIT_STUDENT): non se pode corrixir.",
        "en": "Whose submission this is is unknown (no nbgrader autograde folder and no "
              "LABKIT_STUDENT): it cannot be graded.",
    },
    "nbgrader.no_roster": {
        "gl": "Non se atopou a lista de máquinas ({name}, LABKIT_ROSTER): avisa ao profesorado.",
        "en": "The list of lab hosts was not found ({name}, LABKIT_ROSTER): tell your teacher.",
    },
    "nbgrader.not_in_roster": {
        "gl": "O estudante {student!r} non está na lista de máquinas {roster}: avisa ao "
              "profesorado.",
        "en": "Student {student!r} is not in the list of lab hosts {roster}: tell your teacher.",
    },
    "nbgrader.cannot_grade": {
        "gl": "Non se puido corrixir: {reason}",
        "en": "Could not grade: {reason}",
    },
    "nbgrader.unreachable": {
        "gl": "Non se puido ler a túa máquina do laboratorio, así que esta parte vale 0 puntos. "
              "Comproba que a máquina está acesa e accesible e pídelle ao profesorado que volva "
              "corrixir.",
        "en": "Your lab host could not be read, so this part is worth 0 points. Check that the "
              "host is running and reachable, and ask your teacher to grade it again.",
    },
    "nbgrader.manual": {
        "gl": "Esta parte vale 0 puntos e queda para corrección manual: {reason}",
        "en": "This part is worth 0 points and is left for manual grading: {reason}",
    },
    "nbgrader.validate": {
        "gl": "nbgrader validate: {exercise} corríxese na máquina de cada estudante só con "
              "nbgrader autograde; aquí non hai nada que corrixir.",
        "en": "nbgrader validate: {exercise} is graded on each student's lab host by nbgrader "
              "autograde only; there is nothing to grade here.",
    },
    "nbgrader.points": {
        "gl": "Puntos desta cela: {points:g}/{max_points:g}",
        "en": "Points of this cell: {points:g}/{max_points:g}",
    },
    # evidence
    "evidence.refused": {
        "gl": "Non se garda evidencia: {reason}",
        "en": "No evidence is kept: {reason}",
    },
}
