"""Build the opening lesson, notebooks/{gl,en}/01-virtualization.ipynb (same shape as
notebooks/build.py: one list of cells, text written in each language, code once).

    python exercises/intro-container/build_lesson.py [--execute]

With --execute the lesson runs on LABKIT_HOST (the stored outputs were made on the sandbox VM)
and its outputs and widget state are stored. (It could live next to notebooks/build.py.)
"""

# ruff: noqa: E501  (markdown tables and shell examples in the lesson text cannot wrap)
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parents[2] / "notebooks"
NAME = "01-virtualization.ipynb"
LANGS = ("gl", "en")
CHECK = "nbval-check-output"
IGNORE = "nbval-ignore-output"


@dataclass(frozen=True)
class Md:
    gl: str
    en: str


@dataclass(frozen=True)
class Code:
    source: str | dict[str, str]   # "{lang}" is replaced; or one source per language
    check: bool = True


ACCEL = {
    "gl": '''\
from labkit.sandbox import Lab as SandboxLab, list_labs


def sandbox_status(url):
    """O estado (`labkit lab status --json`) do laboratorio sandbox que ten esta máquina."""
    for name in list_labs():
        try:
            status = SandboxLab(name).status()
        except Exception:
            continue
        if any(h["url"] == url for h in status["hosts"]):
            return status
    return None


status = sandbox_status(lab.url)
if status is None:
    print("A máquina de laboratorio non é unha máquina virtual do sandbox:",
          "non hai estado do laboratorio que ler.")
else:
    print(f"Laboratorio {status['name']}: acelerador {status['accel'].upper()}")
    print(f"Motivo: {status['accel_reason']}")''',
    "en": '''\
from labkit.sandbox import Lab as SandboxLab, list_labs


def sandbox_status(url):
    """The state (`labkit lab status --json`) of the sandbox lab this host belongs to."""
    for name in list_labs():
        try:
            status = SandboxLab(name).status()
        except Exception:
            continue
        if any(h["url"] == url for h in status["hosts"]):
            return status
    return None


status = sandbox_status(lab.url)
if status is None:
    print("The lab host is not a sandbox virtual machine:",
          "there is no lab state to read.")
else:
    print(f"Lab {status['name']}: accelerator {status['accel'].upper()}")
    print(f"Reason: {status['accel_reason']}")''',
}

WORKLOAD = {
    "gl": '''\
import subprocess
import sys

WORK = "import time; t = time.perf_counter(); sum(i * i for i in range(300000)); " \\
       "print(time.perf_counter() - t)"

local = float(subprocess.run([sys.executable, "-c", WORK], capture_output=True,
                             text=True).stdout)
print(f"neste ordenador (sen virtualizar): {local:.3f} s")
try:
    answer = lab.host().run("python3 -c " + repr(WORK), timeout=120)
    guest = float(answer.stdout)
    print(f"na máquina de laboratorio:          {guest:.3f} s  ({guest / local:.1f} veces)")
except Exception as exc:
    print("Non se puido medir na máquina de laboratorio:", exc)''',
    "en": '''\
import subprocess
import sys

WORK = "import time; t = time.perf_counter(); sum(i * i for i in range(300000)); " \\
       "print(time.perf_counter() - t)"

local = float(subprocess.run([sys.executable, "-c", WORK], capture_output=True,
                             text=True).stdout)
print(f"on this computer (not virtualized): {local:.3f} s")
try:
    answer = lab.host().run("python3 -c " + repr(WORK), timeout=120)
    guest = float(answer.stdout)
    print(f"on the lab host:                    {guest:.3f} s  ({guest / local:.1f} times)")
except Exception as exc:
    print("Could not measure on the lab host:", exc)''',
}

VIRTIO = r'''lab.sh("for d in /sys/bus/virtio/devices/*; do "
       "echo \"$(basename $d): $(basename $(readlink -f $d/driver) 2>/dev/null)\"; done")'''

PCI = r'''lab.sh("lspci -k 2>/dev/null || for d in /sys/bus/pci/devices/*; do "
       "echo \"${d##*/} vendor=$(cat $d/vendor) device=$(cat $d/device) "
       "driver=$([ -e $d/driver ] && basename $(readlink -f $d/driver) || echo -)\"; done")'''

START = ("unshare --pid --fork --mount-proc --uts --net sh -c "
         "'hostname labkit-box; exec sleep infinity' </dev/null >/dev/null 2>&1 & "
         "echo \"unshare: $!\"")

LESSON: list[Md | Code] = [
    Md(gl="""
# Introdución á virtualización

Un servidor actual ten moita máis CPU e memoria das que precisa un só sistema, e nun centro de
procesamento de datos (CPD) esas máquinas están acesas día e noite. A **virtualización** aproveita
eses recursos: crea por software versións virtuais dun recurso (unha plataforma hardware, un
disco, unha rede) e reparte unha máquina física entre varios sistemas operativos ou clientes á
vez.

Aquí falamos de **virtualización de plataformas**: un equipo **anfitrión** (*host*) executa un
programa, o **hypervisor** ou VMM (*Virtual Machine Monitor*), que simula un ordenador completo no
que corre outro software, o **invitado** (*guest*). O invitado funciona coma se estivese nunha
máquina real, pero só dispón dos recursos que lle dá o hypervisor.

As celas de código desta lección preguntan á túa **máquina de laboratorio** (a máquina virtual
do sandbox, ou a que indique `LABKIT_HOST`): verás nela, en directo, o que conta o texto.
""", en="""
# Introduction to virtualization

A modern server has far more CPU and memory than a single system needs, and in a data centre
those machines run day and night. **Virtualization** puts that spare capacity to work: it builds
virtual versions of a resource in software (a hardware platform, a disk, a network) and shares one
physical machine among several operating systems or customers at the same time.

This lesson is about **platform virtualization**: a **host** computer runs a program, the
**hypervisor** or VMM (*Virtual Machine Monitor*), which simulates a whole computer for some other
software to run on, the **guest**. The guest behaves as if it had a real machine to itself, but it
only gets the resources the hypervisor hands it.

The code cells of this lesson ask your **lab host** (the sandbox virtual machine, or whichever
machine `LABKIT_HOST` names): you will see on it, live, what the text describes.
"""),
    Code("""\
from labkit.widgets import Lab
from labkit.widgets.quiz import Quiz

lab = Lab("{lang}")
lab""", check=False),
    Md(gl="""
## Hypervisores de tipo I e de tipo II

O hypervisor dálles aos sistemas virtualizados acceso ao hardware real, e para iso emula por
software un hardware estándar. Segundo onde se sitúe, hai dous tipos:

| | Tipo I (*bare metal*) | Tipo II (aloxado) |
|---|---|---|
| Onde está | é o sistema operativo da máquina anfitrioa | é unha aplicación máis sobre o sistema do anfitrión |
| Camiño dunha chamada do invitado | hypervisor → hardware | hypervisor → sistema do anfitrión → hardware |
| Exemplos | VMware ESXi, Xen, KVM, Hyper-V | VMware Player, VirtualBox |

KVM, o hypervisor do curso, é de tipo I: forma parte do propio núcleo Linux, que pasa a ser o
hypervisor. Proba a clasificar cada un:
""", en="""
## Type I and type II hypervisors

The hypervisor gives the virtualized systems access to the real hardware, emulating standard
hardware in software to do so. Depending on where it sits, there are two types:

| | Type I (*bare metal*) | Type II (hosted) |
|---|---|---|
| Where it runs | it is the host machine's operating system | it is one more application on the host's system |
| Path of a guest's call | hypervisor → hardware | hypervisor → host's system → hardware |
| Examples | VMware ESXi, Xen, KVM, Hyper-V | VMware Player, VirtualBox |

KVM, the hypervisor of this course, is type I: it is part of the Linux kernel itself, which
becomes the hypervisor. Try classifying each one:
"""),
    Code('Quiz("hypervisor-types", "{lang}")'),
    Md(gl="""
## Como se virtualiza: completa, paravirtualización e axuda do hardware

Dentro da virtualización de plataformas distínguense tres familias: a virtualización hardware
completa, a paravirtualización e a virtualización a nivel de sistema operativo (os contedores,
máis abaixo).

**Virtualización completa.** O hypervisor simula todo o hardware no que corre o invitado: tanto
o cálculo (CPU, xestión da memoria…) como os periféricos (disco, pantalla…). O invitado non sabe
nada, pero o custo é enorme: durante anos non servía para produción pola perda de velocidade.

**Paravirtualización.** En vez de imitar un hardware que existe, o hypervisor ofrécelle ao
invitado unhas chamadas propias, moito máis rápidas. Xen usouna con moito éxito con Linux; o
problema é que hai que modificar o sistema invitado para que as use, e iso non era posible con
sistemas pechados coma Windows.

**Virtualización asistida por hardware.** Desde 2005, as CPU traen extensións de virtualización,
**Intel VT** (indicador `vmx`) e **AMD-V** (indicador `svm`), que deixan ao invitado usar
directamente parte dos recursos da CPU. O rendemento mellora moitísimo sen tocar o invitado, e a
paravirtualización do sistema completo quedou en desuso.

O que sobreviviu da paravirtualización son os **drivers paravirtualizados**: dispositivos (o
controlador de disco, a tarxeta de rede, a memoria) que non se simulan peza a peza senón que
falan directamente co hypervisor, que é quen accede ao hardware real. Adoitan instalarse no
invitado coas *guest additions*; en KVM chámanse **virtio**.

Hoxe o habitual é a **virtualización híbrida**: as extensións da CPU para o procesador e drivers
paravirtualizados para os dispositivos.
""", en="""
## How to virtualize: full, paravirtualization and help from the hardware

Platform virtualization comes in three families: full hardware virtualization,
paravirtualization, and OS-level virtualization (containers, further down).

**Full virtualization.** The hypervisor simulates all the hardware the guest runs on: the
computing side (CPU, memory management…) as well as the peripherals (disk, screen…). The guest
need not know, but the cost is huge: for years it was too slow for production use.

**Paravirtualization.** Instead of imitating hardware that exists, the hypervisor offers the
guest calls of its own, which run much faster. Xen used it very successfully with Linux; the catch
is that the guest system must be modified to make those calls, which was not possible with closed
systems such as Windows.

**Hardware-assisted virtualization.** Since 2005, CPUs have virtualization extensions, **Intel VT**
(the `vmx` flag) and **AMD-V** (the `svm` flag), which let the guest use part of the CPU's
resources directly. Performance improves enormously without touching the guest, and
paravirtualizing the whole system fell out of use.

What survived of paravirtualization are **paravirtualized drivers**: devices (the disk
controller, the network card, memory) that are not simulated piece by piece but talk straight to
the hypervisor, which is the one that reaches the real hardware. They are usually installed in the
guest with the *guest additions*; in KVM they are called **virtio**.

Today the usual setup is **hybrid virtualization**: the CPU's extensions for the processor and
paravirtualized drivers for the devices.
"""),
    Code('Quiz("techniques", "{lang}")'),
    Md(gl="""
## Probas en directo: que ve a máquina de laboratorio?

Un sistema pode saber se corre virtualizado. `systemd-detect-virt` di que hypervisor detecta:
`kvm` (KVM coas extensións da CPU), `qemu` (QEMU emulando a CPU por software), `oracle`
(VirtualBox), `docker` ou `lxc` (un contedor), ou `none` nunha máquina física.
""", en="""
## Live evidence: what does the lab host see?

A system can tell when it runs virtualized. `systemd-detect-virt` names the hypervisor it
detects: `kvm` (KVM with the CPU's extensions), `qemu` (QEMU emulating the CPU in software),
`oracle` (VirtualBox), `docker` or `lxc` (a container), or `none` on a physical machine.
"""),
    Code('lab.sh("systemd-detect-virt")', check=False),
    Md(gl="""
### Os indicadores da CPU

En `/proc/cpuinfo` cada CPU lista os seus indicadores (*flags*). Tres importan aquí:

- `vmx` (Intel VT) ou `svm` (AMD-V): a CPU ofrece as extensións de virtualización, así que esta
  máquina podería ser anfitrioa de KVM;
- `hypervisor`: a CPU non é física; o sistema corre enriba dun hypervisor, que o anuncia así.
""", en="""
### The CPU flags

In `/proc/cpuinfo` each CPU lists its flags. Three of them matter here:

- `vmx` (Intel VT) or `svm` (AMD-V): the CPU offers the virtualization extensions, so this machine
  could host KVM guests;
- `hypervisor`: the CPU is not a physical one; the system runs on top of a hypervisor, which says
  so through this flag.
"""),
    Code('''lab.sh("grep -o -w -E 'vmx|svm|hypervisor' /proc/cpuinfo | sort | uniq -c")
lab.sh("grep -m 1 'model name' /proc/cpuinfo")''', check=False),
    Md(gl="""
Nunha máquina virtual do sandbox o modelo adoita ser `QEMU TCG CPU` ou o da CPU real, e sempre
aparece `hypervisor`. Que haxa `svm` ou `vmx` dentro dunha máquina virtual (virtualización
aniñada) non quere dicir que o anfitrión use KVM: QEMU pode ofrecer ese indicador mesmo emulando
a CPU por software.

### Os dispositivos paravirtualizados (virtio)

Os dispositivos paravirtualizados de KVM aparecen no bus `virtio`. Cada dispositivo dese bus está atendido
por un driver do invitado: `virtio_blk` (o disco), `virtio_net` (a rede), `virtio_console`,
`virtio_rng` (números aleatorios do anfitrión)…
""", en="""
In a sandbox virtual machine the model is usually `QEMU TCG CPU` or the real CPU's, and
`hypervisor` is always there. Seeing `svm` or `vmx` inside a virtual machine (nested
virtualization) does not mean the host uses KVM: QEMU can offer that flag even while emulating
the CPU in software.

### The paravirtualized devices (virtio)

KVM's paravirtualized drivers live on the `virtio` bus. Each device on that bus is served by a
guest driver: `virtio_blk` (the disk), `virtio_net` (the network), `virtio_console`, `virtio_rng`
(random numbers from the host)…
"""),
    Code("lab.sh(\"ls /sys/bus/virtio/drivers\")\n" + VIRTIO, check=False),
    Md(gl="""
No bus PCI eses dispositivos levan o fabricante `0x1af4` (Red Hat, virtio). `lspci -k` amosa o
driver de cada un; se `lspci` non está instalado, a cela le o mesmo de `/sys/bus/pci/devices`.
Alí o driver é `virtio-pci`, o transporte: sobre el, cada dispositivo queda no bus `virtio` co
seu driver propio, o que viches arriba.
""", en="""
On the PCI bus those devices carry vendor `0x1af4` (Red Hat, virtio). `lspci -k` shows each one's
driver; when `lspci` is not installed, the cell reads the same from `/sys/bus/pci/devices`.
There the driver is `virtio-pci`, the transport: on top of it each device appears on the `virtio`
bus with a driver of its own, the ones listed above.
"""),
    Code(PCI, check=False),
    Md(gl="""
### KVM ou TCG: canto custa emular

O sandbox arrinca as súas máquinas con QEMU. Se o anfitrión ten KVM dispoñible, QEMU úsao e o
invitado executa as súas instrucións directamente na CPU (virtualización asistida por hardware +
virtio: híbrida). Se non, QEMU recorre a **TCG** (*Tiny Code Generator*): traduce cada bloque de
instrucións do invitado a instrucións do anfitrión, por software. É virtualización completa pura,
e lenta. O estado do laboratorio (`labkit lab status --json`) garda o acelerador que se usou e
por que:
""", en="""
### KVM or TCG: what emulation costs

The sandbox boots its machines with QEMU. When the host has KVM available, QEMU uses it and the
guest runs its instructions directly on the CPU (hardware assistance + virtio: hybrid). When it
does not, QEMU falls back to **TCG** (*Tiny Code Generator*): it translates each block of guest
instructions into host instructions, in software. That is pure full virtualization, and slow. The
lab's state (`labkit lab status --json`) records which accelerator was used and why:
"""),
    Code(ACCEL, check=False),
    Md(gl="""
O arranque mídeo o propio invitado: `systemd-analyze` di canto tardaron o núcleo e o resto do
sistema. Cunha imaxe Debian coma a do laboratorio, baixo KVM son uns poucos segundos; baixo TCG,
case un minuto. Por iso o sandbox arrinca a máquina unha soa vez, garda unha instantánea en
quente e as seguintes veces restaura esa instantánea en segundos: o tempo que ves é o daquel
primeiro arranque. (Se a máquina de laboratorio é este mesmo ordenador, mide o seu arranque.)
""", en="""
The guest measures its own boot: `systemd-analyze` says how long the kernel and the rest of the
system took. With a Debian image like the lab's, under KVM that is a few seconds; under TCG,
nearly a minute. That is why the sandbox boots the machine only once, saves a warm snapshot, and
from then on restores that snapshot in seconds: the time you see is that first boot's. (If your lab
host is this very computer, it measures this computer's boot.)
"""),
    Code('lab.sh("systemd-analyze")', check=False),
    Md(gl="""
Un traballo pequeno (unha suma en Python) medido aquí, no ordenador que executa JupyterLab, e na
máquina de laboratorio. Con TCG a diferenza é dunha orde de magnitude ou máis; con KVM quedaría
preto de 1. Aquí non se compara KVM con TCG porque só se pode medir KVM onde KVM funciona: se o
estado do laboratorio di TCG, esta é a única medida posible.
""", en="""
A small job (a sum in Python) timed here, on the computer running JupyterLab, and on the lab host.
Under TCG the gap is an order of magnitude or more; under KVM it would be close to 1. KVM and TCG
are not compared side by side here because KVM can only be timed where KVM works: if the lab's
state says TCG, this is the only measurement there is.
"""),
    Code(WORKLOAD, check=False),
    Md(gl="""
## Virtualización a nivel de sistema operativo: contedores

A virtualización hardware emula unha CPU e un hardware para instalar neles un sistema. A
virtualización **a nivel de sistema operativo** fai outra cousa: **illa recursos do propio
sistema** para crear un *contedor* no que uns procesos non ven os demais. Para un proceso de
dentro, é coma se tivese a máquina para el só.

En Linux todas as tecnoloxías de contedores apóianse nunha función do núcleo, os **cgroups**:
agrupan procesos e limitan os recursos que poden usar (memoria, CPU…). Xunto cos **espazos de
nomes** (*namespaces*), que lle dan ao grupo a súa propia vista dos PID, do nome da máquina ou da
rede, un cgroup con servizos dentro é, a todos os efectos, unha «máquina virtual».

| Vantaxes | Inconvenientes |
|---|---|
| Arrancan e paran moito máis rápido: non hai sistema que iniciar, só configurar o cgroup e lanzar os servizos | Non é virtualizar: todos comparten o núcleo do anfitrión, e un fallo nel afecta a todos os contedores e ao sistema |
| Velocidade «nativa»: non se emula hardware | O illamento é moito menor: é máis doado chegar desde un contedor á información doutro |
| Aforran recursos: non hai hypervisor que consuma memoria e CPU | Non poden levar un sistema que precise un núcleo distinto do que corre |

As tres tecnoloxías máis usadas:

- **LXC** (Linux Containers), o estándar en Linux (antes houbo Virtuozzo ou OpenVZ): executa un
  contorno operativo completo illado, unha «máquina virtual» baseada en contedores na que despois
  instalas os servizos.
- **Docker** está orientado a **aplicacións e servizos**, non a sistemas: despregas un servizo web,
  de correo, un WordPress… cun comando desde repositorios en internet. Por defecto un contedor
  está illado de todo, así que se configura a rede e o almacenamento externo que precisa. Favorece
  os microservizos e permite ter versións distintas dunha aplicación sen que interfiran. É
  multiplataforma (contedores Windows, ou Linux en Windows con Hyper-V e WSL).
- **Kubernetes** xestiona contedores Docker: automatiza o despregamento, o escalado e o reparto de
  carga segundo a demanda. É un **orquestrador**.
""", en="""
## OS-level virtualization: containers

Hardware virtualization emulates a CPU and hardware to install a system on. **OS-level**
virtualization does something else: it **isolates resources of the operating system itself** to
make a *container* whose processes cannot see the others. To a process inside, it looks as if it
had the machine to itself.

In Linux every container technology rests on one kernel feature, **cgroups**: they group
processes and limit the resources they may use (memory, CPU…). Together with **namespaces**,
which give the group its own view of PIDs, of the host name or of the network, a cgroup with
services inside is, for all practical purposes, a "virtual machine".

| Advantages | Drawbacks |
|---|---|
| They start and stop much faster: there is no system to boot, just the cgroup to set up and the services to start | It is not really virtualization: all share the host's kernel, and a failure there hits every container and the system |
| "Native" speed: no hardware is emulated | Much weaker isolation: it is easier to reach one container's data from another |
| They save resources: no hypervisor eating memory and CPU | They cannot run a system that needs a different kernel from the running one |

The three most used technologies:

- **LXC** (Linux Containers), the standard on Linux (before it came Virtuozzo and OpenVZ): it runs
  a whole operating environment in isolation, a container-based "virtual machine" where you then
  install your services.
- **Docker** is aimed at **applications and services**, not systems: you deploy a web server, a
  mail server, a WordPress… with one command from repositories on the internet. A container is
  isolated from everything by default, so you configure the network and external storage it
  needs. It suits microservices and lets different versions of an application live side by side
  without interfering. It is cross-platform (Windows containers, or Linux ones on Windows through
  Hyper-V and WSL).
- **Kubernetes** manages Docker containers: it automates deployment, scaling and load balancing on
  demand. It is an **orchestrator**.
"""),
    Code('Quiz("container-tools", "{lang}")'),
    Md(gl="""
Na máquina de laboratorio: os controladores de cgroups v2 dispoñibles e os espazos de nomes dun
proceso calquera. Cada ligazón de `/proc/PID/ns/` nomea un espazo de nomes; dous procesos co
mesmo número están no mesmo.
""", en="""
On the lab host: the cgroup v2 controllers available, and the namespaces of a process. Each link
in `/proc/PID/ns/` names one namespace; two processes showing the same number share it.
"""),
    Code('''lab.sh("cat /sys/fs/cgroup/cgroup.controllers")
lab.sh("ls -l /proc/self/ns | tail -n +2")''', check=False),
    Md(gl="""
## Os recursos dunha máquina virtual

Calquera sistema virtual precisa tres cousas, e cada unha ten o seu tema no curso:

| Recurso | Quen o dá | Na máquina de laboratorio |
|---|---|---|
| **Procesamento** | o hypervisor, simulando o hardware | as CPU e a memoria que ve o invitado |
| **Almacenamento** | un recurso externo que o hypervisor lle presenta coma un disco: un dispositivo de bloques real ou un ficheiro (qcow2, raw…) | os discos `vd*` (virtio) |
| **Conectividade** | o hypervisor, con tarxetas virtuais conectadas a pontes ou switches virtuais | as interfaces de rede |

Nos contornos grandes estes recursos organízanse en «pools» de almacenamento e redes virtuais.
""", en="""
## The resources of a virtual machine

Every virtual system needs three things, and each has its own topic in the course:

| Resource | Who provides it | On the lab host |
|---|---|---|
| **Processing** | the hypervisor, simulating the hardware | the CPUs and memory the guest sees |
| **Storage** | an outside resource the hypervisor presents as a disk: a real block device or a file (qcow2, raw…) | the `vd*` disks (virtio) |
| **Connectivity** | the hypervisor, with virtual network cards plugged into bridges or virtual switches | the network interfaces |

In large setups these resources are organised as storage "pools" and virtual networks.
"""),
    Code('''lab.sh("nproc; free -m | head -n 2")
lab.sh("lsblk -d -o NAME,SIZE,TYPE")
lab.sh("ip -br link")''', check=False),
    Md(gl="""
## Exercicio: un contedor feito a man (`intro-container`)

Docker e LXC fan isto por ti, pero as pezas son as do núcleo. Na máquina virtual do laboratorio
(como `root`; precisa cgroups v2, así que non vale este ordenador):

1. **O contedor.** Lanza un proceso de longa duración en espazos de nomes novos de PID, de nome de
   máquina (UTS), de rede e de montaxes, que se chame `labkit-box`:

   ```sh
   unshare --pid --fork --mount-proc --uts --net \\
       sh -c 'hostname labkit-box; exec sleep infinity' </dev/null >/dev/null 2>&1 &
   ```

   `--fork` fai falla porque o primeiro proceso dun espazo de nomes PID novo é un fillo de
   `unshare`: ese fillo (o PID 1 de dentro) é o contedor. Busca o seu PID no anfitrión con
   `pgrep -P PID_DE_UNSHARE`.
2. **O cgroup.** Activa os controladores para os fillos da raíz e crea o grupo:

   ```sh
   echo "+memory +cpu" > /sys/fs/cgroup/cgroup.subtree_control
   mkdir /sys/fs/cgroup/labkit-box
   echo 64M > /sys/fs/cgroup/labkit-box/memory.max
   echo "20000 100000" > /sys/fs/cgroup/labkit-box/cpu.max     # 20 % dunha CPU
   echo PID_DO_CONTEDOR > /sys/fs/cgroup/labkit-box/cgroup.procs
   ```
3. **Comproba o illamento**: `nsenter -t PID_DO_CONTEDOR -a ps ax` (só ve os seus procesos),
   `nsenter -t PID_DO_CONTEDOR -u hostname`, `nsenter -t PID_DO_CONTEDOR -n ip link` (só `lo`).
4. **Comproba os límites**: mete no grupo un proceso que pida 128 MiB (o núcleo mátao) e un
   bucle ocupado durante un segundo (o núcleo frénao):

   ```sh
   sh -c 'echo $$ > /sys/fs/cgroup/labkit-box/cgroup.procs; exec python3 -c "x = bytearray(128 << 20)"'
   sh -c 'echo $$ > /sys/fs/cgroup/labkit-box/cgroup.procs; exec timeout 1 sh -c "while :; do :; done"'
   cat /sys/fs/cgroup/labkit-box/memory.events /sys/fs/cgroup/labkit-box/cpu.stat
   ```

Podes escribir as ordes nun terminal da máquina (`labkit lab ssh host`) ou neste:
""", en="""
## Exercise: a container made by hand (`intro-container`)

Docker and LXC do this for you, but the parts are the kernel's. On the lab virtual machine (as
`root`; it needs cgroup v2, so this computer will not do):

1. **The container.** Start a long-lived process in new PID, host name (UTS), network and mount
   namespaces, called `labkit-box`:

   ```sh
   unshare --pid --fork --mount-proc --uts --net \\
       sh -c 'hostname labkit-box; exec sleep infinity' </dev/null >/dev/null 2>&1 &
   ```

   `--fork` is needed because the first process of a new PID namespace is a child of `unshare`:
   that child (PID 1 inside) is the container. Find its PID on the host with
   `pgrep -P UNSHARE_PID`.
2. **The cgroup.** Turn the controllers on for the root's children and make the group:

   ```sh
   echo "+memory +cpu" > /sys/fs/cgroup/cgroup.subtree_control
   mkdir /sys/fs/cgroup/labkit-box
   echo 64M > /sys/fs/cgroup/labkit-box/memory.max
   echo "20000 100000" > /sys/fs/cgroup/labkit-box/cpu.max     # 20 % of one CPU
   echo CONTAINER_PID > /sys/fs/cgroup/labkit-box/cgroup.procs
   ```
3. **Check the isolation**: `nsenter -t CONTAINER_PID -a ps ax` (it sees only its own processes),
   `nsenter -t CONTAINER_PID -u hostname`, `nsenter -t CONTAINER_PID -n ip link` (only `lo`).
4. **Check the limits**: put into the group a process that asks for 128 MiB (the kernel kills it)
   and a busy loop for one second (the kernel throttles it):

   ```sh
   sh -c 'echo $$ > /sys/fs/cgroup/labkit-box/cgroup.procs; exec python3 -c "x = bytearray(128 << 20)"'
   sh -c 'echo $$ > /sys/fs/cgroup/labkit-box/cgroup.procs; exec timeout 1 sh -c "while :; do :; done"'
   cat /sys/fs/cgroup/labkit-box/memory.events /sys/fs/cgroup/labkit-box/cpu.stat
   ```

You can type the commands in a terminal on the machine (`labkit lab ssh host`) or in this one:
"""),
    Code(f"lab.terminal(command={START!r})"),
    Md(gl="""
### Comproba o teu traballo

A táboa di que atopou na máquina para cada paso. Antes de facer nada, todo sae fallado ou
bloqueado.
""", en="""
### Check your work

The table says what it found on the machine for each step. Before you do anything, everything
shows as failed or blocked.
"""),
    Code('lab.check("intro-container")', check=False),
    Md(gl="""
## Resumo

- Hypervisor **tipo I** (ESXi, Xen, KVM, Hyper-V): é o sistema do anfitrión. **Tipo II** (VMware
  Player, VirtualBox): unha aplicación sobre el.
- **Completa**: todo simulado, lenta. **Paravirtualización**: invitado modificado. **Asistida por
  hardware**: Intel VT / AMD-V (`vmx`/`svm`). **Híbrida**: extensións da CPU + drivers
  paravirtualizados (virtio).
- **Contedores**: cgroups + espazos de nomes sobre un único núcleo. LXC (sistemas), Docker
  (servizos), Kubernetes (orquestración).
- Unha máquina virtual precisa **procesamento**, **almacenamento** e **conectividade**.
""", en="""
## Summary

- **Type I** hypervisor (ESXi, Xen, KVM, Hyper-V): it is the host's system. **Type II** (VMware
  Player, VirtualBox): an application on top of it.
- **Full**: everything simulated, slow. **Paravirtualization**: a modified guest.
  **Hardware-assisted**: Intel VT / AMD-V (`vmx`/`svm`). **Hybrid**: CPU extensions +
  paravirtualized drivers (virtio).
- **Containers**: cgroups + namespaces on a single kernel. LXC (systems), Docker (services),
  Kubernetes (orchestration).
- A virtual machine needs **processing**, **storage** and **connectivity**.
"""),
]


def notebook(lang: str) -> nbformat.NotebookNode:
    cells = []
    for index, item in enumerate(LESSON):
        cell_id = f"cell-{index:02d}"
        if isinstance(item, Md):
            cells.append(nbformat.v4.new_markdown_cell(getattr(item, lang).strip("\n"),
                                                       id=cell_id))
        else:
            source = item.source[lang] if isinstance(item.source, dict) \
                else item.source.replace("{lang}", lang)
            cells.append(nbformat.v4.new_code_cell(
                source, id=cell_id, metadata={"tags": [CHECK if item.check else IGNORE]}))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--execute", action="store_true")
    args = parser.parse_args()
    nbs = {lang: notebook(lang) for lang in LANGS}
    if args.execute:
        from nbclient import NotebookClient
        for lang, nb in nbs.items():
            print(f"executing {lang} on {os.environ['LABKIT_HOST'].split('?')[0]}", flush=True)
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           store_widget_state=True,
                           resources={"metadata": {"path": str(HERE / lang)}}).execute()
    for lang, nb in nbs.items():
        nbformat.write(nb, HERE / lang / NAME)
        print("wrote", HERE / lang / NAME)
    return 0


if __name__ == "__main__":
    sys.exit(main())
