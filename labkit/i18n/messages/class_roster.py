"""Messages of grading a class from a roster of student ids (``labkit.grading.class_roster``):
the hosts come from the lab VMs ``labkit class up`` started for that roster."""

MESSAGES: dict[str, dict[str, str]] = {
    "class_roster.not_up": {
        "gl": "{roster}: a lista só ten os estudantes, sen as súas máquinas, e non hai ningunha "
              "clase en marcha para ela: arranca os seus laboratorios con `labkit class up "
              "--roster {roster} --hypervisor URI`, ou pon as máquinas de cada estudante nunha "
              "columna (p. ex. student_id,host)",
        "en": "{roster}: the roster names the students but not their hosts, and no class is up "
              "for it: start their labs with `labkit class up --roster {roster} --hypervisor "
              "URI`, or give each student's hosts in a column (e.g. student_id,host)",
    },
    "class_roster.no_lab": {
        "gl": "{roster}: {n} estudantes non teñen laboratorio na clase en marcha ({ids}); se "
              "se engadiron despois, volve executar `labkit class up --roster {roster} "
              "--hypervisor URI`, que arranca só os que faltan",
        "en": "{roster}: {n} students have no lab in the class that is up ({ids}); if they were "
              "added later, run `labkit class up --roster {roster} --hypervisor URI` again: it "
              "starts only the missing ones",
    },
}
