"""Messages of the self-check quizzes (labkit.widgets.quiz): feedback words, and the opening
lesson's three quizzes (type I or II, which technique, which container tool).
"""

MESSAGES: dict[str, dict[str, str]] = {
    "quiz.right": {"gl": "Correcto.", "en": "Right."},
    "quiz.wrong": {"gl": "Non: a resposta é «{answer}».", "en": "No: the answer is “{answer}”."},
    "quiz.unknown": {
        "gl": "Esa opción non existe nesta pregunta.",
        "en": "That is not one of this question's options.",
    },
    "quiz.score": {
        "gl": "{right} de {total} correctas ({answered} respondidas)",
        "en": "{right} of {total} right ({answered} answered)",
    },
    "quiz.widget": {
        "gl": "[cuestionario: {title}, {total} preguntas]",
        "en": "[quiz: {title}, {total} questions]",
    },
    "quiz.hypervisor-types.title": {"gl": "Tipo I ou tipo II?", "en": "Type I or type II?"},
    "quiz.hypervisor-types.vmware-esxi.prompt": {
        "gl": "VMware ESXi: de que tipo é este hypervisor?",
        "en": "VMware ESXi: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.vmware-esxi.why": {
        "gl": "O hypervisor é o propio sistema que corre na máquina física: as chamadas da máquina "
              "virtual pasan del directamente ao hardware.",
        "en": "The hypervisor is the very system running on the physical machine: the VM's calls "
              "go from it straight to the hardware.",
    },
    "quiz.hypervisor-types.virtualbox.prompt": {
        "gl": "VirtualBox: de que tipo é este hypervisor?",
        "en": "VirtualBox: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.virtualbox.why": {
        "gl": "É unha aplicación máis sobre o sistema operativo do anfitrión: as chamadas pasan do "
              "hypervisor ao sistema e de aí ao hardware.",
        "en": "It is one more application on top of the host's operating system: calls go from the "
              "hypervisor to that system, and only then to the hardware.",
    },
    "quiz.hypervisor-types.kvm.prompt": {
        "gl": "KVM: de que tipo é este hypervisor?",
        "en": "KVM: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.kvm.why": {
        "gl": "O hypervisor é o propio sistema que corre na máquina física: as chamadas da máquina "
              "virtual pasan del directamente ao hardware.",
        "en": "The hypervisor is the very system running on the physical machine: the VM's calls "
              "go from it straight to the hardware.",
    },
    "quiz.hypervisor-types.vmware-player.prompt": {
        "gl": "VMware Player: de que tipo é este hypervisor?",
        "en": "VMware Player: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.vmware-player.why": {
        "gl": "É unha aplicación máis sobre o sistema operativo do anfitrión: as chamadas pasan do "
              "hypervisor ao sistema e de aí ao hardware.",
        "en": "It is one more application on top of the host's operating system: calls go from the "
              "hypervisor to that system, and only then to the hardware.",
    },
    "quiz.hypervisor-types.xen.prompt": {
        "gl": "Xen: de que tipo é este hypervisor?",
        "en": "Xen: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.xen.why": {
        "gl": "O hypervisor é o propio sistema que corre na máquina física: as chamadas da máquina "
              "virtual pasan del directamente ao hardware.",
        "en": "The hypervisor is the very system running on the physical machine: the VM's calls "
              "go from it straight to the hardware.",
    },
    "quiz.hypervisor-types.hyper-v.prompt": {
        "gl": "Hyper-V: de que tipo é este hypervisor?",
        "en": "Hyper-V: what type of hypervisor is it?",
    },
    "quiz.hypervisor-types.hyper-v.why": {
        "gl": "O hypervisor é o propio sistema que corre na máquina física: as chamadas da máquina "
              "virtual pasan del directamente ao hardware.",
        "en": "The hypervisor is the very system running on the physical machine: the VM's calls "
              "go from it straight to the hardware.",
    },
    "quiz.techniques.title": {"gl": "Que técnica é?", "en": "Which technique is it?"},
    "quiz.techniques.simulated-hardware.prompt": {
        "gl": "O hypervisor simula por software todo o hardware: a CPU, a xestión da memoria, o "
              "disco, a pantalla… O invitado non se modifica, pero vai moi lento.",
        "en": "The hypervisor simulates all the hardware in software: the CPU, memory management, "
              "the disk, the screen… The guest is not modified, but it is very slow.",
    },
    "quiz.techniques.simulated-hardware.why": {
        "gl": "É a virtualización completa: por iso non era viable en produción.",
        "en": "That is full virtualization: which is why it was not viable in production.",
    },
    "quiz.techniques.modified-guest.prompt": {
        "gl": "O sistema invitado está modificado para pedirlle as cousas ao hypervisor con "
              "chamadas propias en vez de usar hardware simulado. Xen fíxoo con Linux, pero non se "
              "podía con Windows.",
        "en": "The guest system is modified to ask the hypervisor for things through calls of its "
              "own instead of simulated hardware. Xen did it with Linux, but it could not be done "
              "with Windows.",
    },
    "quiz.techniques.modified-guest.why": {
        "gl": "É paravirtualización: rápida, pero hai que cambiar o sistema invitado.",
        "en": "That is paravirtualization: fast, but the guest system has to be changed.",
    },
    "quiz.techniques.cpu-extensions.prompt": {
        "gl": "Desde 2005 a CPU trae extensións (Intel VT, AMD-V) que deixan á máquina virtual "
              "usar directamente parte dos recursos da CPU, sen modificar o invitado.",
        "en": "Since 2005 CPUs have extensions (Intel VT, AMD-V) that let the virtual machine use "
              "part of the CPU's resources directly, with an unmodified guest.",
    },
    "quiz.techniques.cpu-extensions.why": {
        "gl": "É a virtualización asistida por hardware (os indicadores vmx e svm da CPU).",
        "en": "That is hardware-assisted virtualization (the vmx and svm CPU flags).",
    },
    "quiz.techniques.extensions-and-drivers.prompt": {
        "gl": "A máquina virtual usa as extensións de virtualización da CPU e, para o disco e a "
              "rede, drivers paravirtualizados (virtio, as «guest additions»).",
        "en": "The virtual machine uses the CPU's virtualization extensions and, for disk and "
              "network, paravirtualized drivers (virtio, the \"guest additions\").",
    },
    "quiz.techniques.extensions-and-drivers.why": {
        "gl": "É a virtualización híbrida, a habitual hoxe (a do laboratorio con KVM).",
        "en": "That is hybrid virtualization, the usual kind today (the lab's, with KVM).",
    },
    "quiz.techniques.same-kernel.prompt": {
        "gl": "Os procesos quedan illados nun grupo con límites (cgroups) pero todos corren sobre "
              "o mesmo núcleo: arrinca en nada, pero non pode levar outro núcleo.",
        "en": "Processes are isolated in a group with limits (cgroups) but all of them run on the "
              "same kernel: it starts at once, but it cannot bring a different kernel.",
    },
    "quiz.techniques.same-kernel.why": {
        "gl": "Son contedores: virtualización a nivel de sistema operativo.",
        "en": "Those are containers: OS-level virtualization.",
    },
    "quiz.container-tools.title": {
        "gl": "LXC, Docker ou Kubernetes?",
        "en": "LXC, Docker or Kubernetes?",
    },
    "quiz.container-tools.whole-system.prompt": {
        "gl": "Queres un contorno de uso xeral, coma unha máquina virtual, no que instalar despois "
              "os servizos que precises.",
        "en": "You want a general-purpose environment, like a virtual machine, to install whatever "
              "services you need later.",
    },
    "quiz.container-tools.whole-system.why": {
        "gl": "LXC executa un contorno operativo completo illado.",
        "en": "LXC runs a whole operating environment in isolation.",
    },
    "quiz.container-tools.one-service.prompt": {
        "gl": "Queres despregar un servidor web cun só comando, desde un repositorio de internet, "
              "e nada máis.",
        "en": "You want to deploy a web server with a single command, from a repository on the "
              "internet, and nothing else.",
    },
    "quiz.container-tools.one-service.why": {
        "gl": "Docker está pensado para aplicacións e servizos concretos (microservizos).",
        "en": "Docker is made for individual applications and services (microservices).",
    },
    "quiz.container-tools.orchestrate.prompt": {
        "gl": "Tes moitos servizos en contedores e queres que se despreguen e escalen sós segundo "
              "a demanda, repartindo a carga.",
        "en": "You have many services in containers and want them deployed and scaled "
              "automatically on demand, sharing out the load.",
    },
    "quiz.container-tools.orchestrate.why": {
        "gl": "Kubernetes é un orquestrador de contedores.",
        "en": "Kubernetes is a container orchestrator.",
    },
    "quiz.option.I": {"gl": "Tipo I (bare metal)", "en": "Type I (bare metal)"},
    "quiz.option.II": {"gl": "Tipo II (aloxado)", "en": "Type II (hosted)"},
    "quiz.option.full": {"gl": "Virtualización completa", "en": "Full virtualization"},
    "quiz.option.para": {"gl": "Paravirtualización", "en": "Paravirtualization"},
    "quiz.option.hw": {
        "gl": "Virtualización asistida por hardware",
        "en": "Hardware-assisted virtualization",
    },
    "quiz.option.hybrid": {"gl": "Virtualización híbrida", "en": "Hybrid virtualization"},
    "quiz.option.os": {
        "gl": "Virtualización a nivel de sistema operativo",
        "en": "OS-level virtualization",
    },
    "quiz.option.lxc": {"gl": "LXC", "en": "LXC"},
    "quiz.option.docker": {"gl": "Docker", "en": "Docker"},
    "quiz.option.kubernetes": {"gl": "Kubernetes", "en": "Kubernetes"},
}
