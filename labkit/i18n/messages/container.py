"""Messages of the container checks (cgroups v2 and namespaces), in Galician and English."""

_NS = {
    "pid": ("PID", "PID"),
    "uts": ("UTS (nome da máquina)", "UTS (host name)"),
    "net": ("de rede", "network"),
    "mnt": ("de montaxes", "mount"),
    "ipc": ("IPC", "IPC"),
}

MESSAGES: dict[str, dict[str, str]] = {
    "container.no_cgroup2": {
        "gl": "Esta máquina non ten a xerarquía de cgroups v2 en /sys/fs/cgroup, así que non "
              "pode existir o grupo {name}: fai o exercicio na máquina virtual do laboratorio.",
        "en": "This host has no cgroup v2 hierarchy on /sys/fs/cgroup, so the group {name} "
              "cannot exist: do the exercise on the lab VM.",
    },
    "container.cgroup_missing": {
        "gl": "Non existe o cgroup {cgroup}.",
        "en": "The cgroup {cgroup} does not exist.",
    },
    "container.not_cgroup": {
        "gl": "{cgroup} existe pero non é un cgroup (non ten cgroup.procs).",
        "en": "{cgroup} exists but is not a cgroup (it has no cgroup.procs).",
    },
    "container.cgroup_ok": {
        "gl": "Existe o cgroup {cgroup}.",
        "en": "The cgroup {cgroup} exists.",
    },
    "container.no_memory_controller": {
        "gl": "O cgroup {name} non ten o controlador memory (non hai memory.max): actívao no "
              "pai con +memory en cgroup.subtree_control.",
        "en": "The cgroup {name} has no memory controller (no memory.max): turn it on in the "
              "parent with +memory in cgroup.subtree_control.",
    },
    "container.memory_unlimited": {
        "gl": "O cgroup {name} non ten límite de memoria (memory.max é max); agardábase {max}.",
        "en": "The cgroup {name} has no memory limit (memory.max is max); {max} was expected.",
    },
    "container.memory_wrong": {
        "gl": "O cgroup {name} ten un límite de memoria de {found}; agardábase {max}.",
        "en": "The cgroup {name} has a memory limit of {found}; {max} was expected.",
    },
    "container.memory_ok": {
        "gl": "O cgroup {name} ten un límite de memoria de {max}.",
        "en": "The cgroup {name} has a memory limit of {max}.",
    },
    "container.no_cpu_controller": {
        "gl": "O cgroup {name} non ten o controlador cpu (non hai cpu.max): actívao no pai con "
              "+cpu en cgroup.subtree_control.",
        "en": "The cgroup {name} has no cpu controller (no cpu.max): turn it on in the parent "
              "with +cpu in cgroup.subtree_control.",
    },
    "container.cpu_unlimited": {
        "gl": "O cgroup {name} non ten límite de CPU (cpu.max comeza por max); agardábase "
              "\"{expected}\" ({percent} % dunha CPU).",
        "en": "The cgroup {name} has no CPU limit (cpu.max starts with max); \"{expected}\" "
              "({percent} % of one CPU) was expected.",
    },
    "container.cpu_wrong": {
        "gl": "O cgroup {name} ten cpu.max \"{found}\"; agardábase \"{expected}\" ({percent} % "
              "dunha CPU).",
        "en": "The cgroup {name} has cpu.max \"{found}\"; \"{expected}\" ({percent} % of one "
              "CPU) was expected.",
    },
    "container.cpu_ok": {
        "gl": "O cgroup {name} pode usar como moito o {percent} % dunha CPU (cpu.max "
              "\"{expected}\").",
        "en": "The cgroup {name} may use at most {percent} % of one CPU (cpu.max "
              "\"{expected}\").",
    },
    "container.empty": {
        "gl": "O cgroup {name} non ten ningún proceso: escribe o PID do proceso do contedor "
              "no seu cgroup.procs.",
        "en": "The cgroup {name} holds no process: write the PID of the container's process "
              "into its cgroup.procs.",
    },
    "container.populated_ok": {
        "gl": "O proceso do contedor está no cgroup {name} (PID {pids}).",
        "en": "The container's process is in the cgroup {name} (PID {pids}).",
    },
    "container.hostname_wrong": {
        "gl": "O contedor do cgroup {name} chámase {found}; agardábase {hostname}.",
        "en": "The container in the cgroup {name} is called {found}; {hostname} was "
              "expected.",
    },
    "container.net_not_isolated": {
        "gl": "O contedor do cgroup {name} ve outras interfaces de rede ademais de lo "
              "({interfaces}).",
        "en": "The container in the cgroup {name} sees network interfaces other than lo "
              "({interfaces}).",
    },
    "container.memory_never_enforced": {
        "gl": "Ningún proceso do cgroup {name} chegou aínda ao límite de memoria "
              "(memory.events: oom_kill 0): proba o límite cun proceso que pida máis memoria.",
        "en": "No process of the cgroup {name} has hit the memory limit yet (memory.events: "
              "oom_kill 0): test the limit with a process that asks for more memory.",
    },
    "container.memory_enforced_ok": {
        "gl": "O núcleo fixo cumprir o límite de memoria do cgroup {name} (memory.events: "
              "oom_kill {count}).",
        "en": "The kernel enforced the memory limit of the cgroup {name} (memory.events: "
              "oom_kill {count}).",
    },
    "container.cpu_never_enforced": {
        "gl": "O cgroup {name} aínda non foi frenado nunca (cpu.stat: nr_throttled 0): proba "
              "o límite cun bucle que use a CPU.",
        "en": "The cgroup {name} has never been throttled yet (cpu.stat: nr_throttled 0): "
              "test the limit with a busy loop.",
    },
    "container.cpu_enforced_ok": {
        "gl": "O núcleo frenou o cgroup {name} para cumprir o seu límite de CPU (cpu.stat: "
              "nr_throttled {count}).",
        "en": "The kernel throttled the cgroup {name} to keep it within its CPU limit "
              "(cpu.stat: nr_throttled {count}).",
    },
}

for _ns, (_gl, _en) in _NS.items():
    MESSAGES[f"container.{_ns}_shared"] = {
        "gl": f"Ningún proceso do cgroup {{name}} ten un espazo de nomes {_gl} propio: "
              f"comparten o da máquina ({{pids}}).",
        "en": f"No process of the cgroup {{name}} has a {_en} namespace of its own: they "
              f"share the host's ({{pids}}).",
    }
    MESSAGES[f"container.{_ns}_ok"] = {
        "gl": f"O proceso {{pid}} ({{comm}}) do cgroup {{name}} ten un espazo de nomes {_gl} "
              f"propio.",
        "en": f"The process {{pid}} ({{comm}}) of the cgroup {{name}} has a {_en} namespace of "
              f"its own.",
    }
MESSAGES["container.pid_ok"] = {
    "gl": "O proceso {pid} ({comm}) do cgroup {name} ten un espazo de nomes PID propio: dentro "
          "del é o PID {inner}.",
    "en": "The process {pid} ({comm}) of the cgroup {name} has a PID namespace of its own: "
          "inside it, it is PID {inner}.",
}
MESSAGES["container.hostname_ok"] = {
    "gl": "O contedor do cgroup {name} (proceso {pid}) ten o seu propio nome de máquina: "
          "{hostname}.",
    "en": "The container in the cgroup {name} (process {pid}) has its own host name: "
          "{hostname}.",
}
MESSAGES["container.net_ok"] = {
    "gl": "O contedor do cgroup {name} (proceso {pid}) ten a súa propia rede e só ve "
          "{interfaces}.",
    "en": "The container in the cgroup {name} (process {pid}) has its own network and sees "
          "only {interfaces}.",
}
