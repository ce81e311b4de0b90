"""Messages of the lesson lab (labkit.lessons): the lab panel, sh, preview mode, checks."""

MESSAGES: dict[str, dict[str, str]] = {
    "lessons.title": {"gl": "Lección {lesson}", "en": "Lesson {lesson}"},
    "lessons.exercise_title": {"gl": "Exercicio {exercise}", "en": "Exercise {exercise}"},
    "lessons.panel_head": {
        "gl": "{title}: laboratorio {lab} ({hosts})",
        "en": "{title}: {lab} lab ({hosts})",
    },
    "lessons.mode_live": {"gl": "en directo", "en": "live"},
    "lessons.mode_local": {"gl": "máquina local", "en": "local host"},
    "lessons.mode_class": {"gl": "laboratorio da clase", "en": "class lab"},
    "lessons.mode_given": {"gl": "máquinas dadas", "en": "given hosts"},
    "lessons.mode_preview": {"gl": "gravación", "en": "recording"},
    "lessons.mode_needs_lab": {"gl": "sen laboratorio", "en": "no lab"},
    "lessons.mode_failed": {"gl": "erro", "en": "error"},
    "lessons.mode_none": {"gl": "arrincando", "en": "starting"},
    "lessons.state_started": {
        "gl": "En marcha: arrincado agora en {seconds} s ({accel}).",
        "en": "Running: started now in {seconds} s ({accel}).",
    },
    "lessons.state_attached": {
        "gl": "En marcha: xa estaba arrincado ({accel}).",
        "en": "Running: it was already up ({accel}).",
    },
    "lessons.state_class": {
        "gl": "Nas túas propias máquinas de laboratorio da clase.",
        "en": "On your own class lab hosts.",
    },
    "lessons.state_local": {
        "gl": "Na máquina local (scripts/run-lab --local).",
        "en": "On the local host (scripts/run-lab --local).",
    },
    "lessons.state_given": {
        "gl": "Nas máquinas indicadas.",
        "en": "On the hosts given.",
    },
    "lessons.state_preview": {
        "gl": "Vista previa (LABKIT_PREVIEW): nada se executa; as saídas son unha gravación "
              "feita no laboratorio {lab} o {when} UTC ({accel}).",
        "en": "Preview (LABKIT_PREVIEW): nothing runs; the outputs are a recording made on "
              "the {lab} lab on {when} UTC ({accel}).",
    },
    "lessons.switched": {
        "gl": "Detívose o laboratorio {stopped} para arrincar {lab} (para manter os dous: "
              "Lesson(..., keep_other=True)).",
        "en": "Stopped the {stopped} lab to start {lab} (to keep both: "
              "Lesson(..., keep_other=True)).",
    },
    "lessons.others": {
        "gl": "Tamén en marcha: {labs}.",
        "en": "Also running: {labs}.",
    },
    "lessons.starting": {
        "gl": "Arrincando o laboratorio {lab}: {seconds} s… {detail}",
        "en": "Starting the {lab} lab: {seconds} s… {detail}",
    },
    "lessons.start_button": {"gl": "Arrincar o laboratorio {lab}",
                             "en": "Start the {lab} lab"},
    "lessons.start_failed": {
        "gl": "Non se puido arrincar o laboratorio {lab}: {reason}",
        "en": "The {lab} lab could not be started: {reason}",
    },
    "lessons.needs_lab": {
        "gl": "Esta lección necesita o laboratorio {lab} do sandbox ({hosts}): preme o botón "
              "para arrincalo.",
        "en": "This lesson needs the sandbox's {lab} lab ({hosts}): press the button to "
              "start it.",
    },
    "lessons.no_host": {
        "gl": "Non hai máquina {role}: arrinca o laboratorio co botón da primeira cela.",
        "en": "There is no host {role}: start the lab with the button in the first cell.",
    },
    "lessons.no_role": {
        "gl": "Este laboratorio non ten a máquina {role} (ten: {roles}).",
        "en": "This lab has no host {role} (it has: {roles}).",
    },
    "lessons.recorded": {
        "gl": "[gravación: laboratorio {lab}, {host}, {when} UTC]",
        "en": "[recording: {lab} lab, {host}, {when} UTC]",
    },
    "lessons.not_recorded": {
        "gl": "este comando non está na gravación: na vista previa non se executa nada "
              "(abre a lección sen LABKIT_PREVIEW para executalo no laboratorio).",
        "en": "this command is not in the recording: preview mode runs nothing (open the "
              "lesson without LABKIT_PREVIEW to run it on the lab).",
    },
    "lessons.check_preview": {
        "gl": "Comprobar o meu traballo ({exercise}): na vista previa non se corrixe nada, "
              "unha gravación non é o teu traballo.",
        "en": "Check my work ({exercise}): preview mode grades nothing, a recording is not "
              "your work.",
    },
    # -- the class's grading service (labkit.grader_client, labkit.hub.service) ------------
    "lessons.grader_no_hub": {
        "gl": "Este caderno non está nun servidor de JupyterHub: non hai servizo de corrección "
              "da clase ao que preguntar.",
        "en": "This notebook is not in a JupyterHub server: there is no class grading service "
              "to ask.",
    },
    "lessons.grader_bad_url": {
        "gl": "O enderezo do servizo de corrección da clase non é http(s): {url}",
        "en": "The class grading service's address is not http(s): {url}",
    },
    "lessons.grader_down": {
        "gl": "O servizo de corrección da clase ({url}) non responde ({reason}). Volve "
              "intentalo nun momento; se segue sen responder, avisa ao profesorado.",
        "en": "The class grading service ({url}) is not answering ({reason}). Try again in a "
              "moment; if it still does not answer, tell your teacher.",
    },
    "lessons.grader_said": {
        "gl": "O servizo de corrección da clase non corrixiu: {reason}",
        "en": "The class grading service did not grade: {reason}",
    },
    "lessons.values_said": {
        "gl": "O servizo de corrección da clase non deu os teus valores: {reason}",
        "en": "The class grading service did not give your values: {reason}",
    },
    "lessons.values_only_own": {
        "gl": "Só podes ver os teus propios valores: es {student}.",
        "en": "You can only see your own values: you are {student}.",
    },
}
