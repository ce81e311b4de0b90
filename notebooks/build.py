"""Build the qemu-img lesson, ``notebooks/gl/02-qemu-img.ipynb`` and ``notebooks/en/…``.

One list of cells keeps the two editions in step: each text cell is written twice (in
Galician and in English, each in its own words), each code cell once. Every code cell carries
an nbval tag: ``nbval-check-output`` where its output is the same on every lab host (nbval
compares it, with ``--nbval-lax`` too), ``nbval-ignore-output`` where it is not (sizes on disk,
dates, the host's port).

    python notebooks/build.py             # write both notebooks without outputs
    python notebooks/build.py --execute   # ... and run them on a real lab host, storing the
                                          # outputs and the widget state (LABKIT_HOST, or a
                                          # throwaway local sshd when it is not set)
    python notebooks/build.py --check     # exit 1 if the stored notebooks differ from here

``--record FILE`` also records every command's answer as a ``replay://`` recording.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

HERE = Path(__file__).resolve().parent
NAME = "02-qemu-img.ipynb"
LANGS = ("gl", "en")
CHECK = "nbval-check-output"
IGNORE = "nbval-ignore-output"


@dataclass(frozen=True)
class Md:
    gl: str
    en: str


@dataclass(frozen=True)
class Code:
    source: str           # "{lang}" is replaced by the edition's language
    check: bool = True    # False: the output differs from host to host


LESSON: list[Md | Code] = [
    Md(gl="""
# qemu-img: os discos das máquinas virtuais

Nesta lección traballas cos discos que KVM garda en ficheiros: en que formatos poden estar, como
se crean, se converten e se lles cambia o tamaño, e como se apoia un disco sobre outro para facer
snapshots. A ferramenta para todo isto é `qemu-img`, a utilidade de QEMU/KVM para imaxes de disco.

As celas de código non executan nada no teu ordenador: mandan os comandos á **máquina de
laboratorio** (a máquina virtual do sandbox, ou a que indique a variable `LABKIT_HOST`). Cada
práctica remata co botón **Comprobar o meu traballo**, que revisa esa máquina e che di que está
ben e que falta.
""", en="""
# qemu-img: the disks of virtual machines

This lesson is about the disks KVM keeps in ordinary files: the formats they come in, how to
create, convert and resize them, and how one disk can sit on top of another to give you
snapshots. The tool for all of it is `qemu-img`, the disk image utility of QEMU/KVM.

The code cells do not run anything on your own computer: they send their commands to your **lab
host** (the sandbox VM, or whichever machine `LABKIT_HOST` names). Each exercise ends with a
**Check my work** button that inspects that host and tells you what is right and what is still
missing.
"""),
    Code("""\
from labkit.widgets import Lab

lab = Lab("{lang}")
lab""", check=False),
    Md(gl="""
Se a cela anterior amosa unha mensaxe en vermello é que non atopou a máquina de laboratorio:
arrinca o laboratorio (`scripts/run-lab`, ou `scripts/run-lab --local` para usar un servidor SSH
temporal neste mesmo ordenador) e volve executala.

## Discos en ficheiros

O xeito máis sinxelo de darlle un disco a unha máquina virtual é un ficheiro que contén, byte a
byte, todo o dispositivo de bloques. Ese é o formato **raw**: simple e rápido, pero sen ningunha
axuda máis.

Os hipervisores teñen formatos propios, máis elaborados, que achegan tres cousas:

- **Redimensionamento doado**: o ficheiro pode medrar ou encoller, e despois adáptase o sistema
  que hai dentro.
- **Snapshots**: un ficheiro novo que parte doutro sen copialo. Créase nun intre, le o contido do
  orixinal e só garda os cambios. Serven para despregar máquinas rapidamente e para facer probas
  que se poden desfacer.
- **Copy-on-write (CoW)**: o tamaño do disco é *virtual*. O ficheiro comeza sen ocupar case nada e
  vai collendo espazo a medida que se escribe nel.

| formato | hipervisor | nome para `qemu-img` |
|---|---|---|
| raw | calquera | `raw` |
| qcow2 | KVM / QEMU | `qcow2` |
| vdi | VirtualBox | `vdi` |
| vmdk | VMware | `vmdk` |
| vhd | Xen, Hyper-V | `vpc` |

`qemu-img` sabe ler e escribir todos eles, pero KVM só arranca máquinas con discos **qcow2** ou
**raw**: un disco que veña doutro hipervisor hai que convertelo primeiro.

## A ferramenta

Todos os comandos teñen a forma `qemu-img OPERACIÓN opcións ficheiros`:

| operación | que fai |
|---|---|
| `create` | crea un disco novo (ou un snapshot, con `-b`) |
| `convert` | copia un disco noutro formato |
| `resize` | cambia o tamaño virtual dun disco |
| `commit` | leva os cambios dun snapshot ao seu disco base |
| `info` | amosa formato, tamaños e ficheiro base |
| `rebase` | cambia o disco base dun snapshot |

Os tamaños levan unha letra: `K`, `M`, `G`, `T` (en potencias de 1024). Un número sen letra son
**bytes**, non megas. O texto do curso fala de discos de servidor (100G); no laboratorio fas o
mesmo con megas (100M), para que caiba en calquera máquina.

Este asistente compón o comando a partir dun formulario e explica os erros máis comúns. Proba a
cambiar a operación, os formatos ou os nomes e mira o que di:
""", en="""
If the cell above shows a red message, it could not find a lab host. Start the lab
(`scripts/run-lab`, or `scripts/run-lab --local` for a temporary SSH server on this very
machine) and run the cell again.

## Disks in files

The simplest way to give a virtual machine a disk is a file that holds the whole block device,
byte for byte. That is the **raw** format: simple, fast, and no help beyond that.

Hypervisors bring their own, richer formats, which add three things:

- **Easy resizing**: the file can grow or shrink, and the system inside is adapted afterwards.
- **Snapshots**: a new file that starts from an existing one without copying it. It is created
  instantly, reads its content from the original and stores only the changes — handy for
  deploying machines quickly and for experiments you may want to undo.
- **Copy-on-write (CoW)**: the size of the disk is *virtual*. The file starts out almost empty and
  takes up space only as data is written to it.

| format | hypervisor | name used by `qemu-img` |
|---|---|---|
| raw | any | `raw` |
| qcow2 | KVM / QEMU | `qcow2` |
| vdi | VirtualBox | `vdi` |
| vmdk | VMware | `vmdk` |
| vhd | Xen, Hyper-V | `vpc` |

`qemu-img` reads and writes every one of them, but KVM only boots machines from **qcow2** or
**raw** disks: a disk from another hypervisor has to be converted first.

## The tool

Every command has the shape `qemu-img OPERATION options files`:

| operation | what it does |
|---|---|
| `create` | makes a new disk (or a snapshot, with `-b`) |
| `convert` | copies a disk into another format |
| `resize` | changes a disk's virtual size |
| `commit` | moves a snapshot's changes into its base disk |
| `info` | shows format, sizes and backing file |
| `rebase` | gives a snapshot a different base disk |

Sizes take a letter: `K`, `M`, `G`, `T` (powers of 1024). A bare number means **bytes**, not
megabytes. The course text talks about server disks (100G); in the lab you do the same with
megabytes (100M) so that it fits on any machine.

This builder puts a command together from a form and explains the usual mistakes. Change the
operation, the formats or the names and see what it says:
"""),
    Code("""lab.builder("qemu-img-basics")"""),
    Md(gl="""
## Práctica 1: crear, converter e redimensionar (`qemu-img-basics`)

Nesta práctica traballas na carpeta `/root/lab/qemu-img` da máquina de laboratorio. A función
`sh` que prepara a cela seguinte executa cada comando nesa carpeta (creándoa se aínda non existe)
e amosa o que imprime, coma se o escribises nun terminal.
""", en="""
## Exercise 1: create, convert and resize (`qemu-img-basics`)

In this exercise you work in the folder `/root/lab/qemu-img` on the lab host. The `sh` function
set up by the next cell runs each command in that folder (creating it if needed) and shows what
it prints, just as if you had typed it into a terminal.
"""),
    Code("""sh = lab.shell("qemu-img-basics")"""),
    Md(gl="""
### Crear un disco

`qemu-img create -f FORMATO FICHEIRO TAMAÑO`

Quen decide o formato é a opción `-f`. A extensión `.qcow2` do nome é só un costume que axuda ás
persoas: se esqueces `-f`, `qemu-img create` fai un disco **raw**, aínda que se chame
`systemdisk.qcow2`.
""", en="""
### Create a disk

`qemu-img create -f FORMAT FILE SIZE`

The format is chosen by the `-f` option. The `.qcow2` at the end of the name is just a convention
for people: leave out `-f` and `qemu-img create` makes a **raw** disk, even if you called it
`systemdisk.qcow2`.
"""),
    Code("""sh("qemu-img create -f qcow2 systemdisk.qcow2 100M")"""),
    Md(gl="""
A liña `Formatting …` resume o disco novo: o formato, o tamaño en bytes (`size=104857600` son
exactamente 100 MiB) e os parámetros propios de qcow2.

### Mirar un disco: tamaño virtual e espazo ocupado

`qemu-img info FICHEIRO`
""", en="""
The `Formatting …` line sums up the new disk: its format, its size in bytes
(`size=104857600` is exactly 100 MiB) and some qcow2 settings.

### Look at a disk: virtual size and space used

`qemu-img info FILE`
"""),
    Code("""sh("qemu-img info systemdisk.qcow2")""", check=False),
    Md(gl="""
Fíxate en dúas liñas. `virtual size` é o disco que verá a máquina virtual: 100 MiB. `disk size` é
o que ocupa o ficheiro de verdade: uns poucos centos de KiB, só as táboas internas de qcow2. Iso
é o copy-on-write: o ficheiro irá medrando a medida que a máquina escriba nel.

### Converter a outro formato

`qemu-img convert -f FORMATO_ORIXE -O FORMATO_DESTINO ORIXE DESTINO`

`-f` describe o ficheiro que xa tes; `-O` (maiúscula, de *output*) o ficheiro que se vai crear. Se
os trocas, `qemu-img` intentará ler o disco orixinal nun formato que non é o seu. Fai unha copia
raw do disco:
""", en="""
Look at two lines. `virtual size` is the disk the VM will see: 100 MiB. `disk size` is what the
file really takes up: a few hundred KiB, just qcow2's own tables. That is copy-on-write at work:
the file grows as the machine writes to it.

### Convert to another format

`qemu-img convert -f SOURCE_FORMAT -O TARGET_FORMAT SOURCE TARGET`

`-f` describes the file you already have; `-O` (capital O, for *output*) the file about to be
created. Swap them and `qemu-img` tries to read the original disk in a format it is not in. Make
a raw copy of the disk:
"""),
    Code("""sh("qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw")"""),
    Code("""sh("ls -ls systemdisk.qcow2 systemrawdisk.raw")""", check=False),
    Md(gl="""
`convert` non imprime nada cando todo vai ben. Na listaxe, a columna do tamaño mostra que o
ficheiro raw mide os 100 MiB enteiros (104857600 bytes), mentres que o qcow2 é pequeno. A primeira
columna (bloques ocupados) pode ser pequena tamén no raw: Linux garda as zonas baleiras como
*ocos* (ficheiro disperso). Pero iso é cousa do sistema de ficheiros, non do formato: copia ese raw
a un sitio que non admita ocos e ocupará os 100 MiB.

### Agrandar un disco

`qemu-img resize FICHEIRO +TAMAÑO`

O signo `+` importa: `+20M` **engade** 20 MiB. Sen signo, o número é o **tamaño final**, e
`qemu-img resize systemdisk.qcow2 20M` deixaría o disco en 20 MiB (por sorte, `qemu-img` négase a
reducir sen `--shrink`).

Agrandar o ficheiro non agranda nada dentro da máquina virtual. **Despois** hai que crear ou
ampliar a partición e o sistema de ficheiros desde a propia máquina (por exemplo con `growpart` e
`resize2fs`); ata entón o espazo novo queda sen usar.
""", en="""
`convert` prints nothing when all goes well. In the listing, the size column shows the raw file
is the full 100 MiB (104857600 bytes) while the qcow2 one is small. The first column (blocks
actually used) may be small for the raw file too: Linux stores its empty areas as *holes* (a
sparse file). That is the filesystem's doing, not the format's: copy that raw file somewhere
without hole support and it takes the whole 100 MiB.

### Grow a disk

`qemu-img resize FILE +SIZE`

The `+` sign matters: `+20M` **adds** 20 MiB. Without a sign the number is the **final size**,
and `qemu-img resize systemdisk.qcow2 20M` would leave a 20 MiB disk (luckily, `qemu-img` refuses
to shrink unless you add `--shrink`).

Growing the file grows nothing inside the VM. **Afterwards**, the partition and the filesystem
have to be created or extended from within the machine (for instance with `growpart` and
`resize2fs`); until then the new space just sits there unused.
"""),
    Code("""sh("qemu-img resize systemdisk.qcow2 +20M")"""),
    Md(gl="""
### Reducir un disco

`qemu-img resize --shrink FICHEIRO TAMAÑO`

Aquí a orde é a contraria: **antes** de reducir o ficheiro hai que reducir, dentro da máquina
virtual, o sistema de ficheiros e as particións, para que nada quede alén do novo final. O que
estea alí pérdese. Por iso `qemu-img` non reduce un disco se non llo pides expresamente con
`--shrink`.

Crea un disco de 100 MiB e intenta deixalo en 80 MiB sen `--shrink`:
""", en="""
### Shrink a disk

`qemu-img resize --shrink FILE SIZE`

Here the order is reversed: **before** shrinking the file, shrink the filesystem and the
partitions inside the VM so that nothing is left past the new end — whatever is there is lost.
That is why `qemu-img` will not shrink a disk unless you ask for it explicitly with `--shrink`.

Create a 100 MiB disk and try to bring it down to 80 MiB without `--shrink`:
"""),
    Code("""sh("qemu-img create -f qcow2 smalldisk.qcow2 100M")"""),
    Code("""sh("qemu-img resize smalldisk.qcow2 80M")"""),
    Md(gl="""
`qemu-img` négase (código de saída 1) e avisa de que se perderá todo o que estea alén do novo
final. Como este disco está baleiro, podes reducilo sen medo:
""", en="""
`qemu-img` refuses (exit code 1) and warns that everything past the new end will be lost. This
disk is empty, so you can shrink it safely:
"""),
    Code("""sh("qemu-img resize --shrink smalldisk.qcow2 80M")"""),
    Md(gl="""
### Erros comúns

`lab.explain` revisa un comando tal e como o escribirías e di que lle pasa. Estes veñen de
descoidos frecuentes:
""", en="""
### Common mistakes

`lab.explain` checks a command just as you would type it and says what is wrong with it. These
come from frequent slips:
"""),
    Code("""\
lab.explain("qemu-img create systemdisk.qcow2 100M")
lab.explain("qemu-img convert -f raw -O qcow2 systemdisk.qcow2 systemrawdisk.raw")
lab.explain("qemu-img resize systemdisk.qcow2 20M")"""),
    Md(gl="""
O asistente tamén acepta valores de partida. Este ten o erro do `+` esquecido: cambia o tamaño a
`+20M`, ou marca `--shrink`, e mira como cambian os avisos.
""", en="""
The builder can start from given values too. This one has the forgotten `+`: change the size to
`+20M`, or tick `--shrink`, and watch the advice change.
"""),
    Code("""\
lab.builder("qemu-img-basics", operation="resize", image="systemdisk.qcow2",
            size="20M")"""),
    Md(gl="""
Para probar os teus propios comandos na carpeta da práctica tes este terminal pequeno (escribe un
comando e preme *Executar*):
""", en="""
To try commands of your own in the exercise folder, use this small terminal (type a command and
press *Run*):
"""),
    Code("""lab.terminal("qemu-img-basics", "qemu-img info systemdisk.qcow2")"""),
    Md(gl="""
### Comproba o teu traballo

Ao final da práctica, na carpeta `/root/lab/qemu-img` debe haber:

- `systemdisk.qcow2`: qcow2, creado con 100M e agrandado despois en 20M (120 MiB);
- `systemrawdisk.raw`: a copia raw de `systemdisk.qcow2`, feita **antes** de agrandalo (100 MiB);
- `smalldisk.qcow2`: creado con 100M e reducido a 80M.

Executa a cela (ou preme o botón) para comprobalo. Se algo falla, a táboa di que atopou e dá
unha pista.
""", en="""
### Check your work

At the end of the exercise, the folder `/root/lab/qemu-img` should hold:

- `systemdisk.qcow2`: qcow2, created at 100M and then grown by 20M (120 MiB);
- `systemrawdisk.raw`: the raw copy of `systemdisk.qcow2`, made **before** growing it (100 MiB);
- `smalldisk.qcow2`: created at 100M and shrunk to 80M.

Run the cell (or press the button) to check. If something is wrong, the table says what it found
and gives you a hint.
"""),
    Code("""lab.check("qemu-img-basics")"""),
    Md(gl="""
## Snapshots con ficheiro base

Un snapshot é un disco qcow2 que non ten contido propio ao nacer: apunta a outro disco, o seu
**ficheiro base** (*backing file*). Cando a máquina le un bloque que o snapshot non ten, léese da
base; cando escribe, o cambio queda no snapshot. A base non se toca nunca.

`qemu-img create -f qcow2 -b BASE -F FORMATO_BASE SNAPSHOT`

- O snapshot ten que ser **qcow2**; a base pode ser raw ou qcow2.
- `-F` indica o formato da base. O texto do curso non o pon, pero as versións actuais de
  `qemu-img` néganse a crear o snapshot sen el: adiviñar o formato dun ficheiro é un risco de
  seguridade.
- Desde ese momento a base é de **só lectura**. Se alguén a modifica, todos os snapshots feitos
  sobre ela quedan estragados, porque cada un só garda as súas diferenzas.

Para que serven:

- **Crear máquinas virtuais axiña**: gardas uns poucos discos base co sistema xa instalado (mellor
  en só lectura) e cada máquina nova recibe un snapshot dun deles, que está listo ao instante.
- **Volver atrás**: fas un snapshot do disco dunha máquina e pos a máquina a usalo. Máis tarde
  decides: se os cambios non valen, borras o snapshot; se valen, fas `commit` e quedan na base.
""", en="""
## Snapshots with a backing file

A snapshot is a qcow2 disk with no content of its own when it is born: it points at another
disk, its **backing file**. When the VM reads a block the snapshot lacks, it is read from the
backing file; when the VM writes, the change stays in the snapshot. The backing file itself is
never touched.

`qemu-img create -f qcow2 -b BACKING -F BACKING_FORMAT SNAPSHOT`

- The snapshot must be **qcow2**; the backing file may be raw or qcow2.
- `-F` gives the backing file's format. The course text leaves it out, but current versions of
  `qemu-img` refuse to create the snapshot without it: guessing a file's format is a security
  risk.
- From then on the backing file is **read-only**. If anyone changes it, every snapshot built on it
  is ruined, because each snapshot stores only its own differences.

What they are good for:

- **Creating VMs quickly**: keep a few base disks with the system already installed (preferably
  read-only) and give each new VM a snapshot of one of them — ready immediately.
- **Going back**: take a snapshot of a VM's disk and have the VM use it. Later you decide: if the
  changes are no good, delete the snapshot; if they are, `commit` them into the base.
"""),
    Md(gl="""
## Práctica 2: snapshots, commit e rebase (`qemu-img-snapshots`)

Esta práctica faise na carpeta `/root/lab/qemu-img-snap`. Primeiro, o disco base e un snapshot
del:
""", en="""
## Exercise 2: snapshots, commit and rebase (`qemu-img-snapshots`)

This exercise happens in the folder `/root/lab/qemu-img-snap`. First, a base disk and a snapshot
of it:
"""),
    Code("""\
sh = lab.shell("qemu-img-snapshots")
sh("qemu-img create -f qcow2 base.qcow2 100M")
sh("qemu-img create -f qcow2 -b base.qcow2 -F qcow2 snapdisk.qcow2")"""),
    Md(gl="""
Así reacciona `qemu-img` se esqueces `-F`, como no texto do curso (non crea nada):
""", en="""
This is what `qemu-img` says when `-F` is missing, as in the course text (nothing is created):
"""),
    Code("""sh("qemu-img create -f qcow2 -b base.qcow2 another.qcow2")"""),
    Md(gl="""
Agora toca escribir no snapshot, coma se unha máquina virtual o estivese usando. Non hai ningunha
máquina arrancada con este disco, así que `qemu-io` (de QEMU, coma `qemu-img`) fai ese papel e
escribe 4 MiB ao comezo do disco:
""", en="""
Now something has to write to the snapshot, as a VM using it would. No VM is running on this
disk, so `qemu-io` (part of QEMU, like `qemu-img`) stands in for one and writes 4 MiB at the
start of the disk:
"""),
    Code("""sh("qemu-io -f qcow2 -c 'write -q -P 0x5a 0 4M' snapdisk.qcow2")"""),
    Md(gl="""
Este diagrama le a cadea do snapshot na máquina de laboratorio. Cada caixa é un ficheiro: arriba
o que usaría a máquina virtual, abaixo a súa base. A barra azul compara o que ocupa cada ficheiro
co seu tamaño virtual: o snapshot xa garda os 4 MiB escritos, e a base segue baleira.
""", en="""
This diagram reads the snapshot's chain on the lab host. Each box is a file: at the top the one
the VM would use, below it its backing file. The blue bar compares the space each file takes up
with its virtual size: the snapshot now holds the 4 MiB just written, and the base is still
empty.
"""),
    Code("""lab.chain("snapdisk.qcow2", "qemu-img-snapshots")"""),
    Md(gl="""
O mesmo en texto, con `qemu-img info --backing-chain`:
""", en="""
The same as text, with `qemu-img info --backing-chain`:
"""),
    Code("""sh("qemu-img info --backing-chain snapdisk.qcow2")""", check=False),
    Md(gl="""
### Converter un snapshot nun disco independente

Un snapshot non vale nada sen a súa base. Para sacar del un disco que se teña en pé por si só,
convérteo: `convert` le a cadea enteira (o snapshot e, onde lle falta algo, a base) e escribe un
ficheiro novo sen ficheiro base.

`qemu-img convert -f qcow2 -O qcow2 SNAPSHOT DISCO_NOVO`

Faino agora, antes do `commit`, mentres o snapshot aínda ten os datos:
""", en="""
### Turn a snapshot into an independent disk

A snapshot is worthless without its backing file. To get a disk that stands on its own, convert
it: `convert` reads the whole chain (the snapshot, and the backing file wherever the snapshot has
nothing) and writes a new file with no backing file at all.

`qemu-img convert -f qcow2 -O qcow2 SNAPSHOT NEW_DISK`

Do it now, before the `commit`, while the snapshot still holds the data:
"""),
    Code("""sh("qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2")"""),
    Code("""lab.chain("disk.qcow2", "qemu-img-snapshots")"""),
    Md(gl="""
No texto do curso este comando aparece sen a palabra `convert`. Así o ve `lab.explain`:
""", en="""
In the course text this command appears without the word `convert`. Here is what `lab.explain`
makes of it:
"""),
    Code("""lab.explain("qemu-img -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2")"""),
    Md(gl="""
### Levar os cambios á base: `commit`

`qemu-img commit SNAPSHOT`

`commit` copia na base todo o que garda o snapshot e deixa o snapshot baleiro (segue existindo, e
segue apuntando á base). Ollo: se a base tiña outros snapshots, eses quedan estragados, porque a
base cambiou debaixo deles.
""", en="""
### Merge the changes into the base: `commit`

`qemu-img commit SNAPSHOT`

`commit` copies everything the snapshot holds into the backing file and leaves the snapshot empty
(it still exists, and still points at the base). Careful: any other snapshots of that base are
ruined, since the base changed underneath them.
"""),
    Code("""sh("qemu-img commit snapdisk.qcow2")"""),
    Code("""lab.chain("snapdisk.qcow2", "qemu-img-snapshots")"""),
    Md(gl="""
Agora é a base a que ocupa os 4 MiB, e o snapshot volve estar case baleiro. (No texto do curso
este comando leva unha errata, `gemu-img`.)

### Cambiar a base: `rebase`

`qemu-img rebase -f qcow2 -b BASE_NOVA -F FORMATO_BASE SNAPSHOT`

`rebase` fai que un snapshot pase a depender doutro ficheiro base sen cambiar o que ve a máquina
virtual: compara a base vella coa nova e copia no snapshot os bloques que difiren. Por iso a base
vella ten que seguir existindo mentres se fai. (Con `-u`, *unsafe*, só se reescribe o nome
gardado, sen comparar nada: serve cando moviches ou renomeaches a base e sabes que o contido é o
mesmo.) Tamén aquí fai falta `-F`.

Fai unha copia da base, `neworixe.qcow2`, e pon o snapshot a depender dela:
""", en="""
The base now holds the 4 MiB and the snapshot is almost empty again. (In the course text this
command carries a typo: `gemu-img`.)

### Change the base: `rebase`

`qemu-img rebase -f qcow2 -b NEW_BACKING -F BACKING_FORMAT SNAPSHOT`

`rebase` makes a snapshot depend on a different backing file without changing what the VM sees:
it compares the old backing file with the new one and copies the blocks that differ into the
snapshot. So the old backing file must still exist while it runs. (With `-u`, *unsafe*, only the
stored name is rewritten and nothing is compared: useful when you moved or renamed the backing
file and know the content is the same.) `-F` is needed here too.

Copy the base to `neworixe.qcow2` and make the snapshot depend on the copy:
"""),
    Code("""\
sh("qemu-img convert -f qcow2 -O qcow2 base.qcow2 neworixe.qcow2")
sh("qemu-img rebase -f qcow2 -b neworixe.qcow2 -F qcow2 snapdisk.qcow2")"""),
    Code("""lab.chain("snapdisk.qcow2", "qemu-img-snapshots")"""),
    Md(gl="""
O asistente, co `rebase` que escribe o texto do curso (sen `-F`). Escolle o formato da base e o
erro desaparece:
""", en="""
The builder, set to the `rebase` from the course text (without `-F`). Pick the backing format and
the error goes away:
"""),
    Code("""\
lab.builder("qemu-img-snapshots", operation="rebase", image="snapdisk.qcow2",
            backing="neworixe.qcow2", fmt="", backing_fmt="")"""),
    Md(gl="""
### Comproba o teu traballo

Na carpeta `/root/lab/qemu-img-snap` debe haber:

- `base.qcow2`, con 100M, que recibiu no `commit` os datos do snapshot;
- `snapdisk.qcow2`, o snapshot: baleiro despois do `commit` e coa base cambiada a
  `neworixe.qcow2`;
- `neworixe.qcow2`, a copia da base;
- `disk.qcow2`, o disco independente convertido desde o snapshot antes do `commit` (cos datos).
""", en="""
### Check your work

The folder `/root/lab/qemu-img-snap` should hold:

- `base.qcow2`, 100M, which received the snapshot's data in the `commit`;
- `snapdisk.qcow2`, the snapshot: empty after the `commit`, and now backed by `neworixe.qcow2`;
- `neworixe.qcow2`, the copy of the base;
- `disk.qcow2`, the independent disk converted from the snapshot before the `commit` (with the
  data).
"""),
    Code("""lab.check("qemu-img-snapshots")"""),
    Md(gl="""
## Resumo

| para… | comando |
|---|---|
| crear un disco | `qemu-img create -f qcow2 systemdisk.qcow2 100G` |
| convertelo a raw | `qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw` |
| agrandalo 20G ¹ | `qemu-img resize systemdisk.qcow2 +20G` |
| reducilo a 80G ² | `qemu-img resize --shrink systemdisk.qcow2 80G` |
| facer un snapshot | `qemu-img create -f qcow2 -b systemdisk.qcow2 -F qcow2 snapdisk.qcow2` |
| facelo independente | `qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2` |
| levar os cambios á base | `qemu-img commit snapdisk.qcow2` |
| ver a información | `qemu-img info systemdisk.qcow2` |
| cambiar a base | `qemu-img rebase -b neworixe.qcow2 -F qcow2 snapdisk.qcow2` |

¹ Despois, ampliar a partición e o sistema de ficheiros dentro da máquina virtual.
² Antes, reducir o sistema de ficheiros e as particións dentro da máquina virtual.

E os descoidos que convén evitar: `-f` e `-O` trocados; crer que a extensión decide o formato;
esquecer o `+` ao agrandar; reducir sen reducir antes o sistema de ficheiros; un snapshot que non
é qcow2; `-b` sen `-F`; e escribir nunha base que ten snapshots.
""", en="""
## Summary

| to… | command |
|---|---|
| create a disk | `qemu-img create -f qcow2 systemdisk.qcow2 100G` |
| convert it to raw | `qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw` |
| grow it by 20G ¹ | `qemu-img resize systemdisk.qcow2 +20G` |
| shrink it to 80G ² | `qemu-img resize --shrink systemdisk.qcow2 80G` |
| take a snapshot | `qemu-img create -f qcow2 -b systemdisk.qcow2 -F qcow2 snapdisk.qcow2` |
| make it independent | `qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2` |
| merge its changes into the base | `qemu-img commit snapdisk.qcow2` |
| show information | `qemu-img info systemdisk.qcow2` |
| change its base | `qemu-img rebase -b neworixe.qcow2 -F qcow2 snapdisk.qcow2` |

¹ Then extend the partition and the filesystem inside the VM.
² First shrink the filesystem and the partitions inside the VM.

And the slips worth avoiding: `-f` and `-O` swapped; believing the extension sets the format;
forgetting the `+` when growing; shrinking before the filesystem was shrunk; a snapshot that is
not qcow2; `-b` without `-F`; and writing to a base that has snapshots.
"""),
]


def notebook(lang: str) -> nbformat.NotebookNode:
    """The lesson in ``lang``, without outputs."""
    cells = []
    for index, item in enumerate(LESSON):
        cell_id = f"cell-{index:02d}"
        if isinstance(item, Md):
            cells.append(nbformat.v4.new_markdown_cell(
                getattr(item, lang).strip("\n"), id=cell_id))
        else:
            cells.append(nbformat.v4.new_code_cell(
                item.source.replace("{lang}", lang), id=cell_id,
                metadata={"tags": [CHECK if item.check else IGNORE]}))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                       "language": "python"},
        "language_info": {"name": "python"},
    }
    return nb


def path(lang: str) -> Path:
    return HERE / lang / NAME


def _shape(nb: Any) -> list[tuple[str, str, Any]]:
    """Type, source and tags of every cell (a stored source may be a list of lines)."""
    return [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags"))
            for c in nb["cells"]]


def check() -> list[str]:
    """The editions whose stored cells differ from LESSON."""
    stale = []
    for lang in LANGS:
        stored = json.loads(path(lang).read_text(encoding="utf-8")) \
            if path(lang).exists() else {"cells": []}
        if _shape(stored) != _shape(notebook(lang)):
            stale.append(str(path(lang).relative_to(HERE.parent)))
    sys.path.insert(0, str(HERE))  # the storage lessons 03-05: notebooks/lessons_storage.py
    import lessons_storage

    return stale + lessons_storage.check()


def execute(nbs: dict[str, nbformat.NotebookNode], record: str | None) -> None:
    """Run every notebook on a real lab host (LABKIT_HOST, else a throwaway local sshd)."""
    from nbclient import NotebookClient

    from labkit.testing.sshd import LocalSSHHost

    sshd = None
    if not os.environ.get("LABKIT_HOST"):
        sshd = LocalSSHHost().start()
        os.environ["LABKIT_HOST"] = sshd.url
    if record:
        Path(record).parent.mkdir(parents=True, exist_ok=True)
        Path(record).unlink(missing_ok=True)
        os.environ["LABKIT_RECORD"] = str(Path(record).resolve())
    try:
        for lang, nb in nbs.items():
            print(f"executing {path(lang).relative_to(HERE.parent)} on "
                  f"{os.environ['LABKIT_HOST'].split('?')[0]}", flush=True)
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           store_widget_state=True,
                           resources={"metadata": {"path": str(path(lang).parent)}}).execute()
    finally:
        if sshd is not None:
            sshd.stop()
    for nb in nbs.values():
        _compact_widget_state(nb)


def _compact_widget_state(nb: nbformat.NotebookNode) -> None:
    """Drop the unset (None) fields of layout models from the stored widget state: every
    field of a layout defaults to None, and they are a third of the state's size."""
    saved = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model in saved.get("state", {}).values():
        if model.get("model_name") == "LayoutModel":
            model["state"] = {k: v for k, v in model["state"].items()
                              if v is not None or k.startswith("_")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true",
                        help="run the notebooks on a lab host and store their outputs")
    parser.add_argument("--record", metavar="FILE",
                        help="with --execute: also record the host's answers (replay://)")
    parser.add_argument("--check", action="store_true",
                        help="only compare the stored notebooks with this script")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for name in stale:
            print(f"{name} is out of date: run python notebooks/build.py --execute")
        return 1 if stale else 0
    nbs = {lang: notebook(lang) for lang in LANGS}
    if args.execute:
        execute(nbs, args.record)
    for lang, nb in nbs.items():
        path(lang).parent.mkdir(exist_ok=True)
        nbformat.write(nb, path(lang))
        print(f"wrote {path(lang).relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
