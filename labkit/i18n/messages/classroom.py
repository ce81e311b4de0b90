"""Messages of ``labkit class``: a class's lab VMs on libvirt hypervisors."""

MESSAGES: dict[str, dict[str, str]] = {
    "classroom.up_done": {
        "gl": "Clase {cls}: {count} estudantes con laboratorio en {hypervisors} hipervisores "
              "({seconds:.0f} s). Para corrixir: labkit grade EXERCICIO --roster {roster}",
        "en": "Class {cls}: {count} students have a lab on {hypervisors} hypervisors "
              "({seconds:.0f} s). To grade: labkit grade EXERCISE --roster {roster}"},
    "classroom.down_done": {
        "gl": "Clase {cls} retirada: sen dominios, discos nin reenvíos no(s) hipervisor(es).",
        "en": "Class {cls} is down: no domains, disks or forwards left on the hypervisor(s)."},
    "classroom.reset_done": {
        "gl": "{student}: {host} volve ao estado inicial en {seconds:.1f} s.",
        "en": "{student}: {host} is back to its clean state in {seconds:.1f} s."},
    "classroom.no_hypervisor": {
        "gl": "Indica polo menos un --hypervisor URI (ou --hypervisors FICHEIRO).",
        "en": "Give at least one --hypervisor URI (or --hypervisors FILE)."},
    "classroom.col_student": {"gl": "estudante", "en": "student"},
    "classroom.col_hypervisor": {"gl": "hipervisor", "en": "hypervisor"},
    "classroom.col_host": {"gl": "máquina", "en": "host"},
    "classroom.col_state": {"gl": "estado", "en": "state"},
    "classroom.col_port": {"gl": "porto SSH", "en": "SSH port"},
}
