"""Messages of the teacher's side: class reports, the grade book, snapshots, drills, courses."""

MESSAGES: dict[str, dict[str, str]] = {
    # words of the class reports (HTML, summaries)
    "teacher.class": {"gl": "Clase", "en": "Class"},
    "teacher.student": {"gl": "Estudante", "en": "Student"},
    "teacher.students": {"gl": "estudantes", "en": "students"},
    "teacher.graded": {"gl": "corrixidos", "en": "graded"},
    "teacher.not_graded": {"gl": "sen corrixir (erro de máquina)",
                           "en": "not graded (host error)"},
    "teacher.full_marks": {"gl": "coa nota máxima", "en": "with full marks"},
    "teacher.average": {"gl": "media", "en": "average"},
    "teacher.reteach": {"gl": "Comprobacións máis falladas (que volver explicar)",
                        "en": "Most-failed checks (what to teach again)"},
    "teacher.heatmap": {"gl": "Mapa da clase", "en": "Class map"},
    "teacher.not_passed": {"gl": "non superada", "en": "not passed"},
    "teacher.host": {"gl": "Máquina", "en": "Host"},
    "teacher.params": {"gl": "Valores do exercicio", "en": "Exercise values"},
    "teacher.back": {"gl": "Volver á clase", "en": "Back to the class"},
    "teacher.generated": {"gl": "Xerado", "en": "Generated"},
    "teacher.interrupted": {"gl": "Interrompido: faltan {n} estudantes.",
                            "en": "Interrupted: {n} students were not graded."},
    "teacher.feedback": {"gl": "comentario", "en": "feedback"},
    "teacher.no_grade": {"gl": "sen nota", "en": "no grade"},
    "teacher.why_not_graded": {"gl": "Sen corrixir", "en": "Not graded"},
    "teacher.graded_at": {"gl": "Corrixido", "en": "Graded"},
    "teacher.snapshot_at": {"gl": "Estado tomado ao prazo", "en": "State taken at the deadline"},
    # the end of a class run
    "teacher.run_summary": {
        "gl": "{exercise}: {graded}/{total} corrixidos en {seconds:.1f} s, media "
              "{average}/{max_score}, {full} coa nota máxima, {errors} sen poder corrixir",
        "en": "{exercise}: {graded}/{total} graded in {seconds:.1f} s, average "
              "{average}/{max_score}, {full} with full marks, {errors} could not be graded",
    },
    "teacher.run_not_graded": {"gl": "Sen corrixir ({n}):", "en": "Not graded ({n}):"},
    "teacher.run_pending": {"gl": "Interrompido: {n} estudantes sen corrixir: {ids}",
                            "en": "Interrupted: {n} students not graded: {ids}"},
    "teacher.run_retry": {
        "gl": "Para corrixir só estes de novo: labkit grade {exercise} --roster {roster} "
              "--out {out} --retry-errors",
        "en": "To grade only these again: labkit grade {exercise} --roster {roster} "
              "--out {out} --retry-errors",
    },
    "teacher.run_kept": {
        "gl": "{out}: mantéñense as notas anteriores de {n} estudantes non corrixidos agora",
        "en": "{out}: kept the earlier grades of {n} students not graded this time",
    },
    "teacher.written": {"gl": "  {kind}: {path}", "en": "  {kind}: {path}"},
    "teacher.nothing_to_retry": {
        "gl": "{out}: ningún estudante tivo erro de máquina; non hai nada que volver corrixir",
        "en": "{out}: no student had a host error; there is nothing to grade again",
    },
    # why a host could not be graded (one language; the tool's own words quoted)
    "teacher.reason.connect": {
        "gl": "non se puido conectar coa máquina (a conexión di: «{detail}»)",
        "en": "could not connect to the host (the connection says: \"{detail}\")",
    },
    "teacher.reason.auth": {
        "gl": "a máquina rexeitou a chave SSH (a conexión di: «{detail}»)",
        "en": "the host refused the SSH key (the connection says: \"{detail}\")",
    },
    "teacher.reason.timeout": {
        "gl": "a máquina non respondeu en {seconds:g} s",
        "en": "the host did not answer within {seconds:g} s",
    },
    "teacher.reason.probe": {
        "gl": "non se entendeu o que respondeu a máquina (o programa di: «{detail}»)",
        "en": "the host's answer could not be understood (the program says: \"{detail}\")",
    },
    "teacher.reason.no_host": {
        "gl": "a lista de clase non ten máquina para os papeis deste exercicio ({roles})",
        "en": "the roster has no host for this exercise's roles ({roles})",
    },
    "teacher.reason.not_in_snapshot": {
        "gl": "o estudante non está na instantánea do prazo {path}",
        "en": "the student is not in the deadline snapshot {path}",
    },
    "teacher.reason.bug": {
        "gl": "fallo interno de labkit ({detail})",
        "en": "an internal labkit error ({detail})",
    },
    # option and output-folder checks (before grading starts)
    "teacher.bad_scale": {
        "gl": "--scale quere un número maior ca 0 (por exemplo 10), non {value!r}",
        "en": "--scale wants a number above 0 (e.g. 10), not {value!r}",
    },
    "teacher.out_is_file": {
        "gl": "--out {out}: é un ficheiro, non un cartafol",
        "en": "--out {out}: it is a file, not a folder",
    },
    "teacher.out_is_dir": {
        "gl": "--out {out}: é un cartafol; dá un nome de ficheiro",
        "en": "--out {out}: it is a folder; give a file name",
    },
    "teacher.out_unwritable": {
        "gl": "--out {out}: non se pode escribir nese cartafol ({reason})",
        "en": "--out {out}: that folder cannot be written ({reason})",
    },
    "teacher.out_other_exercise": {
        "gl": "--out {out} ten as notas de {found}, non de {exercise}: escolle outro cartafol",
        "en": "--out {out} holds the grades of {found}, not of {exercise}: choose another folder",
    },
    "teacher.out_unreadable": {
        "gl": "{path}: non se pode ler o informe anterior ({reason}); móveo ou escolle outro "
              "--out",
        "en": "{path}: the earlier report cannot be read ({reason}); move it or choose another "
              "--out",
    },
    "teacher.needs_roster": {
        "gl": "{options}: só vale con --roster (corrixir unha clase)",
        "en": "{options}: only works with --roster (grading a class)",
    },
    "teacher.retry_needs_out": {
        "gl": "--retry-errors precisa --out co cartafol da corrección anterior",
        "en": "--retry-errors needs --out with the folder of the earlier grading",
    },
    "teacher.several_need_roster": {
        "gl": "varios exercicios á vez só se corrixen cunha clase (--roster)",
        "en": "several exercises at once are graded only for a class (--roster)",
    },
    "teacher.not_a_report": {
        "gl": "{path}: non é un cartafol de notas de labkit (falta summary.json)",
        "en": "{path}: not a labkit grades folder (no summary.json)",
    },
    # solve / fault / break
    "teacher.did_solve": {
        "gl": "Aplicouse a solución de {exercise} en {hosts}.",
        "en": "Applied the solution of {exercise} on {hosts}.",
    },
    "teacher.did_fault": {
        "gl": "Aplicouse o fallo {fault} de {exercise} en {hosts}.",
        "en": "Applied the fault {fault} of {exercise} on {hosts}.",
    },
    "teacher.did_break": {
        "gl": "Avariouse {exercise} en {hosts}: aplicouse a solución e despois {n} avaría(s) "
              "escollida(s) coa semente {seed}. Diagnostica e arranxa; despois: labkit grade "
              "{exercise} …",
        "en": "Broke {exercise} on {hosts}: applied the solution, then {n} fault(s) chosen "
              "with seed {seed}. Diagnose and repair it; then: labkit grade {exercise} …",
    },
    "teacher.script_failed": {
        "gl": "{script} fallou na máquina {role} co código {code}",
        "en": "{script} failed on the {role} host with exit code {code}",
    },
    # snapshots
    "teacher.snapshot_done": {
        "gl": "{path}: estado de {n} estudantes tomado ás {time} ({errors} sen poder ler)",
        "en": "{path}: state of {n} students taken at {time} ({errors} could not be read)",
    },
    # check-exercise
    "teacher.ce_lint_ok": {"gl": "{path}: a corrección está ben escrita ({n} comprobacións, "
                                 "{points:g} puntos)",
                           "en": "{path}: the grader is well formed ({n} checks, {points:g} "
                                 "points)"},
    "teacher.ce_solution": {"gl": "solución: {score:g}/{max_score:g}",
                            "en": "solution: {score:g}/{max_score:g}"},
    "teacher.ce_solution_short": {
        "gl": "a solución non chega á nota máxima; fallan: {ids}",
        "en": "the solution does not reach full marks; not passed: {ids}",
    },
    "teacher.ce_fault": {"gl": "avaría {fault}: falla {failed}",
                         "en": "fault {fault}: fails {failed}"},
    "teacher.ce_fault_wrong": {
        "gl": "avaría {fault}: declara {declared} pero falla {failed}",
        "en": "fault {fault}: declares {declared} but fails {failed}",
    },
    "teacher.ce_unfailed": {
        "gl": "ningunha avaría fai fallar: {ids} (esas comprobacións non se probaron)",
        "en": "no fault fails: {ids} (those checks were never tested)",
    },
    "teacher.ce_ok": {"gl": "{exercise}: todo ben ({n} avarías)",
                      "en": "{exercise}: all good ({n} faults)"},
    "teacher.ce_problems": {"gl": "{exercise}: {n} problema(s)",
                            "en": "{exercise}: {n} problem(s)"},
    "teacher.ce_none": {"gl": "nada", "en": "nothing"},
    # course init
    "teacher.course_done": {
        "gl": "Curso listo en {path}: {n} exercicios, roster {roster}, nbgrader_config.py.",
        "en": "Course ready in {path}: {n} exercises, roster {roster}, nbgrader_config.py.",
    },
    "teacher.course_exists": {
        "gl": "{path} xa ten {what}: non se sobrescribe (bórrao ou usa outro cartafol)",
        "en": "{path} already has {what}: not overwritten (remove it or use another folder)",
    },
    # command-line mistakes
    "teacher.timeout_positive": {
        "gl": "--timeout quere un número de segundos maior ca 0",
        "en": "--timeout wants a number of seconds above 0",
    },
    "teacher.roster_or_host": {
        "gl": "dá --roster ou --host/--lab, non os dous",
        "en": "give either --roster or --host/--lab, not both",
    },
    "teacher.unknown_format": {
        "gl": "--format descoñecido {name!r} (coñecidos: {known})",
        "en": "unknown --format {name!r} (known: {known})",
    },
    "teacher.workers_timeout": {
        "gl": "--workers ten que ser polo menos 1 e --timeout maior ca 0",
        "en": "--workers must be at least 1 and --timeout above 0",
    },
    "teacher.snapshot_either": {
        "gl": "dá --snapshot (tomar unha agora) ou --from-snapshot, non os dous",
        "en": "give either --snapshot (take one now) or --from-snapshot, not both",
    },
    "teacher.whose_values": {
        "gl": "di de quen son os valores: --student ID (pódese repetir) ou --roster FICHEIRO",
        "en": "say whose values: --student ID (repeatable) or --roster FILE",
    },
    "teacher.no_graders_dir": {
        "gl": "{root}: non hai cartafol graders/ (un cartafol de curso ten graders/NOME.yaml "
              "e exercises/NOME/)",
        "en": "{root}: no graders/ folder (a course folder holds graders/NAME.yaml and "
              "exercises/NAME/)",
    },
    "teacher.folders_or_nbgrader": {
        "gl": "dá cartafoles de notas ou --nbgrader FICHEIRO, non os dous",
        "en": "give either report folders or --nbgrader FILE, not both",
    },
    "teacher.what_to_join": {
        "gl": "di que xuntar: cartafoles de notas (labkit grade --out) ou --nbgrader FICHEIRO "
              "(nbgrader export)",
        "en": "say what to join: report folders (labkit grade --out) or --nbgrader FILE "
              "(nbgrader export)",
    },
    "teacher.exercise_twice": {
        "gl": "{exercise} está en dous cartafoles: dá cada exercicio unha vez",
        "en": "{exercise} appears in two folders: give each exercise once",
    },
    "teacher.cannot_read": {
        "gl": "{path}: non se pode ler ({reason})",
        "en": "{path}: cannot read ({reason})",
    },
    "teacher.not_nbgrader_export": {
        "gl": "{path}: non é unha exportación de nbgrader (columnas {columns})",
        "en": "{path}: not an nbgrader export (columns {columns})",
    },
}
