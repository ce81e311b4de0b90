"""The storage lessons: ``notebooks/{gl,en}/03-lvm.ipynb``, ``04-nfs.ipynb``, ``05-iscsi.ipynb``.

Same scheme as ``build.py`` (its ``Md``/``Code`` cells: each text written in Galician and in
English, each code cell once, an nbval tag on every code cell). The lessons reach the sandbox
``storage`` lab named by ``LABKIT_STORAGE_LAB`` and nothing else
(``labkit.widgets.lvm.StorageLab``): without it (CI, nbval on a local sshd) they replay
``notebooks/recordings/{lvm,nfs,iscsi}-{server,client}.json``, recorded on that lab, so storage
commands never run on a machine nobody pointed them at.

    python notebooks/lessons_storage.py                     # write the six notebooks (no outputs)
    python notebooks/lessons_storage.py --record LAB        # run the gl editions on the storage
                                                            # lab LAB (reset first) and record
    python notebooks/lessons_storage.py --execute           # run both editions on the
                                                            # recordings and store the outputs
    python notebooks/lessons_storage.py --check             # exit 1 if stored cells differ
"""

# ruff: noqa: E501  (code cells hold shell lines as a student would type them)
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import CHECK, IGNORE, LANGS, Code, Md, _compact_widget_state, _shape  # noqa: E402

INTRO = Md(gl="""
As celas de código mandan os comandos ao **laboratorio de almacenamento** do sandbox: dúas
máquinas virtuais, `server` (192.168.100.10, con catro discos libres de 1 GiB: `/dev/vdb` …
`/dev/vde`) e `client` (192.168.100.20). Arráncao con `labkit lab up storage --name st` e abre
JupyterLab con `LABKIT_STORAGE_LAB=st`. Sen el, as celas reproducen unha gravación feita nese
mesmo laboratorio: ves a saída real, pero non cambias nada. Estes comandos crean e borran
volumes: nunca se mandan ao teu ordenador nin a outra máquina.
""", en="""
The code cells send their commands to the sandbox **storage lab**: two virtual machines,
`server` (192.168.100.10, with four free 1 GiB disks: `/dev/vdb` … `/dev/vde`) and `client`
(192.168.100.20). Start it with `labkit lab up storage --name st` and start JupyterLab with
`LABKIT_STORAGE_LAB=st`. Without it the cells replay a recording made on that same lab: you see
real output, but nothing changes. These commands create and delete volumes: they are never sent
to your own computer or to any other machine.
""")

LVM: list[Md | Code] = [
    Md(gl="""
# LVM: volumes lóxicos para as máquinas virtuais

Darlle a cada máquina virtual unha partición fixa dun disco é ríxido: cando unha se queda sen
sitio, non hai xeito doado de darlle máis. Un **xestor de volumes** xunta o espazo de varios discos
e repárteo en volumes do tamaño que queiras, que despois medran, encollen, se moven dun disco a
outro, se copian nun instante (snapshots) ou se reparten entre discos (stripes, espellos). En
Linux ese xestor é **LVM2** (paquete `lvm2` en Debian).

Os catro conceptos:

- **Volume físico (PV)**: un disco ou partición preparado para LVM (`pvcreate`).
- **Grupo de volumes (VG)**: un ou máis PV xuntos nun único depósito de espazo (`vgcreate`).
- **Volume lóxico (LV)**: un anaco do VG que se usa coma un disco: `/dev/VG/LV` (`lvcreate`).
- **Extensión (extent)**: a unidade mínima coa que LVM reparte o espazo; **4 MiB** por defecto.
  Todo tamaño dun LV é un número enteiro de extensións.
""" + INTRO.gl, en="""
# LVM: logical volumes for virtual machines

Giving each virtual machine a fixed partition of a disk is rigid: when one runs out of room there
is no easy way to give it more. A **volume manager** pools the space of several disks and carves
it into volumes of whatever size you like, which can later grow, shrink, move from disk to disk,
be copied in an instant (snapshots) or be spread over disks (stripes, mirrors). On Linux that
manager is **LVM2** (package `lvm2` on Debian).

The four ideas:

- **Physical volume (PV)**: a disk or partition prepared for LVM (`pvcreate`).
- **Volume group (VG)**: one or more PVs pooled into a single store of space (`vgcreate`).
- **Logical volume (LV)**: a slice of the VG used like a disk: `/dev/VG/LV` (`lvcreate`).
- **Extent**: the smallest unit LVM hands out; **4 MiB** by default. Every LV is a whole number
  of extents.
""" + INTRO.en),
    Code("""\
from labkit.widgets.lvm import ExtentCalculator, LvmMap, StorageLab

lab = StorageLab("{lang}", "lvm")
sh = lab.server.sh
lab""", check=False),
    Md(gl="""
## Volumes físicos e grupo de volumes

O texto do curso usa discos de 100G; aquí fas o mesmo cos discos de 1 GiB do servidor. Primeiro
márcanse os catro como PV, e despois faise o grupo `Datos` con dous deles:
""", en="""
## Physical volumes and a volume group

The course text uses 100G disks; here you do the same with the server's 1 GiB disks. First the
four of them are marked as PVs, then the group `Datos` is made from two of them:
"""),
    Code("""sh("pvcreate /dev/vdb /dev/vdc /dev/vdd /dev/vde")"""),
    Code("""sh("vgcreate Datos /dev/vdb /dev/vdc")"""),
    Code("""sh("vgextend Datos /dev/vdd")"""),
    Code("""sh("vgs -o vg_name,pv_count,vg_size,vg_free,vg_extent_size,vg_extent_count Datos")"""),
    Md(gl="""
`vgextend` engade o terceiro disco ao grupo en quente. Cada PV achega 255 extensións de 4 MiB (un
anaco do disco queda para os metadatos de LVM), así que o VG ten 765.

Un tamaño pedido con `-L` redondéase sempre cara arriba ata un número enteiro de extensións (e,
con bandas, ata un múltiplo do número de bandas). Esta calculadora fai a conta; proba `10M`, ou
3 bandas:
""", en="""
`vgextend` adds the third disk to the group while it is in use. Each PV brings 255 extents of
4 MiB (a little of each disk holds LVM's metadata), so the VG has 765.

A size asked for with `-L` is always rounded up to a whole number of extents (and, with stripes,
to a multiple of the stripe count). This calculator does the sums; try `10M`, or 3 stripes:
"""),
    Code("""ExtentCalculator("{lang}", size="10M")""", check=False),
    Md(gl="""
## Un volume lóxico cun sistema de ficheiros

`lvcreate -n NOME -L TAMAÑO VG` crea o volume; `/dev/Datos/webserver` é desde ese momento un
disco máis, no que se fai un sistema de ficheiros e se monta:
""", en="""
## A logical volume with a filesystem

`lvcreate -n NAME -L SIZE VG` makes the volume; from then on `/dev/Datos/webserver` is one more
disk, which gets a filesystem and is mounted:
"""),
    Code("""sh("lvcreate -y -n webserver -L 40M Datos")"""),
    Code("""sh("mkfs.ext4 -q /dev/Datos/webserver && mkdir -p /srv/webserver && mount /dev/Datos/webserver /srv/webserver && df -h /srv/webserver")""", check=False),
    Md(gl="""
## Agrandar e reducir: a orde importa

Ao **agrandar**, primeiro o volume e despois o sistema de ficheiros (`resize2fs`). Ao **reducir**,
ao revés: primeiro o sistema de ficheiros, e só despois o volume; se recortas o volume antes,
cortas datos que o sistema de ficheiros aínda cre seus. A opción `-r` (`--resizefs`) de
`lvresize` fai as dúas cousas na orde correcta. Un ext4 agrándase montado; para reducilo hai que
desmontalo.
""", en="""
## Growing and shrinking: order matters

When **growing**, first the volume, then the filesystem (`resize2fs`). When **shrinking**, the
other way round: first the filesystem, only then the volume; cut the volume first and you cut
away data the filesystem still thinks it owns. The `-r` (`--resizefs`) option of `lvresize` does
both in the right order. ext4 grows while mounted; to shrink it you must unmount it.
"""),
    Code("""sh("lvresize -r -L +40M Datos/webserver && df -h /srv/webserver")""", check=False),
    Code("""sh("umount /srv/webserver && lvresize -f -r -L -20M Datos/webserver && mount /dev/Datos/webserver /srv/webserver && lvs Datos")""", check=False),
    Md(gl="""
Para que se monte ao arrincar, a liña vai en `/etc/fstab`:
`/dev/Datos/webserver /srv/webserver ext4 defaults 0 2`.

## Cambiar un disco sen parar: pvmove

Se un disco vai fallar ou queres liberalo, `pvmove` move as súas extensións a outro PV do mesmo
grupo mentres os volumes seguen en uso; despois `vgreduce` sácao do grupo:
""", en="""
To have it mounted at boot, the line goes into `/etc/fstab`:
`/dev/Datos/webserver /srv/webserver ext4 defaults 0 2`.

## Replacing a disk without stopping: pvmove

If a disk is about to fail, or you want it back, `pvmove` moves its extents to another PV of the
same group while the volumes stay in use; then `vgreduce` takes it out of the group:
"""),
    Code("""sh("vgextend Datos /dev/vde && pvmove /dev/vdb /dev/vde && vgreduce Datos /dev/vdb && pvs")""", check=False),
    Md(gl="""
## Bandas, espellos, snapshots e thin provisioning

- `lvcreate -i 3 …`: **bandas** (RAID 0): os datos repártense entre 3 PV, máis velocidade e
  ningunha protección.
- `lvcreate --type raid1 -m 1 …`: **espello** (RAID 1): dúas copias en PV distintos.
- `lvcreate -s -n SNAP -L TAMAÑO VG/LV`: **snapshot**: un LV que só garda os bloques que cambian
  desde que se fixo. A diferenza dos snapshots de ficheiros, pódense escribir tanto o snapshot
  coma o orixinal. O `-L` é o sitio reservado para eses cambios.
- `lvcreate -T -L TAMAÑO VG/pool` e `lvcreate -T -V TAMAÑO_VIRTUAL -n LV VG/pool`: un **thin
  pool** e volumes **thin** dentro del, que só ocupan o que se escribe: podes prometer máis
  espazo do que tes (*over-provisioning*).
""", en="""
## Stripes, mirrors, snapshots and thin provisioning

- `lvcreate -i 3 …`: **stripes** (RAID 0): the data is spread over 3 PVs, faster and with no
  protection at all.
- `lvcreate --type raid1 -m 1 …`: a **mirror** (RAID 1): two copies on different PVs.
- `lvcreate -s -n SNAP -L SIZE VG/LV`: a **snapshot**: an LV that stores only the blocks changed
  since it was taken. Unlike file snapshots, both the snapshot and the original can be written.
  The `-L` is the room set aside for those changes.
- `lvcreate -T -L SIZE VG/pool` and `lvcreate -T -V VIRTUAL_SIZE -n LV VG/pool`: a **thin pool**
  and **thin** volumes inside it, which take only what is written to them: you can promise more
  space than you have (*over-provisioning*).
"""),
    Code("""sh("lvcreate -y -i 2 -n templates -L 24M Datos && lvcreate -y --type raid1 -m 1 -n database -L 16M Datos && lvs -o lv_name,lv_size,segtype,stripes,devices Datos")""", check=False),
    Md(gl="""
### A trampa do snapshot: se se enche, non vale

Un snapshot de 4 MiB sobre un volume de 24 MiB, e despois escríbense 8 MiB no orixinal. Cada
bloque cambiado copia o vello ao snapshot… ata que non colle máis:
""", en="""
### The snapshot trap: once it fills up, it is useless

A 4 MiB snapshot of a 24 MiB volume, then 8 MiB are written to the original. Every changed block
has its old content copied into the snapshot… until it no longer fits:
"""),
    Code("""sh("lvcreate -y -n data -L 24M Datos && lvcreate -y -s -n data-sn -L 4M Datos/data")""", check=False),
    Code("""sh("dd if=/dev/urandom of=/dev/Datos/data bs=1M count=8 oflag=direct status=none; lvs -o lv_name,lv_attr,origin,data_percent Datos/data Datos/data-sn")""", check=False),
    Md(gl="""
A quinta letra de `lv_attr`, `I`, di que o snapshot é **inválido**: perdeu bloques e xa non se
pode ler nin fusionar; só queda borralo. Por iso un snapshot ten que ser o bastante grande para
todos os cambios que vaia recibir, ou medrar só: en `/etc/lvm/lvm.conf`,
`snapshot_autoextend_threshold = 70` e `snapshot_autoextend_percent = 20` fan que LVM o agrande
un 20% cando chega ao 70% (o mesmo para os thin pools con `thin_pool_autoextend_*`). O valor
por defecto, 100, desactívao.

### Thin pools: prometer máis do que tes

O pool ten 40 MiB; o volume thin, 200 MiB virtuais. Funciona mentres non se escriban de verdade
máis de 40 MiB. E un thin pool **non se pode reducir**:
""", en="""
The fifth letter of `lv_attr`, `I`, says the snapshot is **invalid**: it lost blocks and can no
longer be read or merged; all that is left is to remove it. So a snapshot must be big enough for
all the changes it will receive, or grow by itself: in `/etc/lvm/lvm.conf`,
`snapshot_autoextend_threshold = 70` and `snapshot_autoextend_percent = 20` make LVM grow it by
20% when it is 70% full (the same for thin pools with `thin_pool_autoextend_*`). The default,
100, turns that off.

### Thin pools: promising more than you have

The pool has 40 MiB; the thin volume, 200 MiB of virtual size. That works as long as no more than
40 MiB are really written. And a thin pool **cannot be shrunk**:
"""),
    Code("""sh("lvcreate -y -T -L 40M Datos/pool && lvcreate -y -T -V 200M -n ftpserver Datos/pool")""", check=False),
    Code("""sh("lvreduce -y -L 20M Datos/pool")"""),
    Md(gl="""
### O mapa do grupo

Este mapa le `lvs`/`pvs` do servidor e debuxa cada PV coas súas extensións coloreadas segundo o
LV que as usa (os LV ocultos dun RAID cóntanse para o seu LV):
""", en="""
### The map of the group

This map reads `lvs`/`pvs` on the server and draws each PV with its extents coloured by the LV
using them (the hidden LVs of a RAID count for their LV):
"""),
    Code("""LvmMap(lab.server)""", check=False),
    Md(gl="""
## As prácticas

Agora fai as prácticas **lvm-basics** (PV, VG, pvmove, agrandar e reducir con `-r`, fstab) e
**lvm-advanced** (RAID 1, bandas, snapshot, thin pool, autoextensión) nun terminal do servidor
(`labkit lab ssh --name st server`). Cada unha comeza desde discos limpos; esta cela borra o que
fixo a lección:
""", en="""
## The exercises

Now do the exercises **lvm-basics** (PVs, a VG, pvmove, growing and shrinking with `-r`, fstab)
and **lvm-advanced** (RAID 1, stripes, a snapshot, a thin pool, autoextension) in a terminal on
the server (`labkit lab ssh --name st server`). Each starts from clean disks; this cell removes
what the lesson made:
"""),
    Code("""sh("umount /srv/webserver; vgremove -q -y -f Datos && pvremove -q /dev/vdb /dev/vdc /dev/vdd /dev/vde")""", check=False),
    Code("""lab.check("lvm-basics")""", check=False),
    Code("""lab.check("lvm-advanced")""", check=False),
]

NFS: list[Md | Code] = [
    Md(gl="""
# NFS: cartafoles compartidos na rede

Para que varios hipervisores vexan os mesmos discos de máquinas virtuais, o máis sinxelo é gardar
eses ficheiros nun servidor **NFS**: un servizo de ficheiros en rede rápido, antigo e soportado
por todos os UNIX (e por Windows Server). Hoxe úsanse **NFSv3** e **NFSv4**, e un servidor
ofrece as dúas á vez. O servidor está no paquete `nfs-kernel-server` (o texto do curso escribe
`nfskernel-server`: o nome correcto leva o guión); os clientes precisan `nfs-common`.

As diferenzas que importan:

- **NFSv3** confía no cliente: cada petición leva o UID/GID do proceso, e o servidor aplica os
  permisos a ese número. Un usuario que controle o seu cliente pode dicir que é quen queira. Só
  se usan números, nunca nomes.
- **NFSv4** engade seguridade **Kerberos** (`sec=krb5`: autenticación; `krb5i`: + integridade;
  `krb5p`: + cifrado; o texto do curso di `krb4i`/`krb4p` por erro), nomes de usuario (idmapping
  con `rpc.idmapd`), ACL propias e un só porto (2049). A seguridade `sec=sys` é a mesma de NFSv3.
- En NFSv3 expórtanse cartafoles soltos; en NFSv4, unha **árbore** que colga dunha raíz exportada
  con **`fsid=0`**.

Para virtualización importa sobre todo a velocidade: NFSv3 (ou v4 con `sec=sys`) nunha rede de
almacenamento separada é unha boa opción.
""" + INTRO.gl, en="""
# NFS: shared folders on the network

For several hypervisors to see the same virtual machine disks, the simplest way is to keep those
files on an **NFS** server: a fast, long-established network file service supported by every
UNIX (and by Windows Server). **NFSv3** and **NFSv4** are the versions in use, and one server
offers both at once. The server comes in the package `nfs-kernel-server` (the course text writes
`nfskernel-server`: the real name has the hyphen); clients need `nfs-common`.

The differences that matter:

- **NFSv3** trusts the client: each request carries the process's UID/GID, and the server applies
  file permissions to that number. A user who controls their client can claim to be anybody.
  Only numbers are used, never names.
- **NFSv4** adds **Kerberos** security (`sec=krb5`: authentication; `krb5i`: + integrity;
  `krb5p`: + encryption; the course text says `krb4i`/`krb4p` by mistake), user names
  (idmapping with `rpc.idmapd`), its own ACLs and a single port (2049). `sec=sys` security is the
  same as NFSv3's.
- NFSv3 exports individual folders; NFSv4 exports a **tree** hanging from a root exported with
  **`fsid=0`**.

For virtualization what matters most is speed: NFSv3 (or v4 with `sec=sys`) on a separate
storage network is a good choice.
""" + INTRO.en),
    Code("""\
from labkit.widgets.nfs import ExportsBuilder
from labkit.widgets.lvm import StorageLab

lab = StorageLab("{lang}", "nfs")
server, client = lab.server.sh, lab.client.sh
lab""", check=False),
    Md(gl="""
## /etc/exports

Cada liña é `CARTAFOL CLIENTE(opcións) [CLIENTE(opcións)…]`. O cliente pode ser unha IP, unha
rede (`192.168.100.0/24`), un nome, `*.dominio` ou `*` (todo o mundo). **Entre o cliente e o
paréntese non vai espazo**: `cliente (rw)` significa «cliente coas opcións por defecto, e `rw`
para todo o mundo».

As opcións máis usadas: `rw`/`ro`; `sync` (confirma as escrituras cando xa están no disco) ou
`async` (máis rápido e arriscado); `root_squash` (por defecto: o root do cliente trátase como
`nobody`), `no_root_squash`, `all_squash` (todos como `nobody`, ou `anonuid`/`anongid`);
`secure` (por defecto: portos < 1024) ou `insecure`; `subtree_check`/`no_subtree_check`; e en
NFSv4 `fsid=0` (a raíz), `crossmnt`/`nohide` e `sec=`.

Este asistente compón a liña, explica cada opción e avisa das perigosas. Proba `*` como cliente,
ou engade `no_root_squash` ou `insecure`:
""", en="""
## /etc/exports

Each line is `FOLDER CLIENT(options) [CLIENT(options)…]`. The client may be an IP, a network
(`192.168.100.0/24`), a name, `*.domain` or `*` (everybody). **No space between the client and
the parenthesis**: `client (rw)` means "client with the default options, and `rw` for everybody".

The usual options: `rw`/`ro`; `sync` (a write is confirmed once it is on disk) or `async`
(faster and risky); `root_squash` (the default: the client's root is treated as `nobody`),
`no_root_squash`, `all_squash` (everybody as `nobody`, or `anonuid`/`anongid`); `secure` (the
default: ports below 1024) or `insecure`; `subtree_check`/`no_subtree_check`; and for NFSv4
`fsid=0` (the root), `crossmnt`/`nohide` and `sec=`.

This builder puts the line together, explains each option and warns about the dangerous ones.
Try `*` as the client, or add `no_root_squash` or `insecure`:
"""),
    Code("""ExportsBuilder("{lang}", path="/srv/nfs/share", options="rw,sync,no_subtree_check")""", check=False),
    Md(gl="""
## Unha árbore NFSv4 no servidor

O curso propón unha raíz `/srv/nfs` (con `fsid=0`) e, dentro dela, os cartafoles que se queren
compartir, traídos desde onde estean con `mount --bind` (na práctica, tamén en `/etc/fstab`). Así
un mesmo `/etc/exports` serve para v3 e para v4:
""", en="""
## An NFSv4 tree on the server

The course suggests a root `/srv/nfs` (with `fsid=0`) and, inside it, the folders to share,
brought in from wherever they live with `mount --bind` (in the exercise, also in `/etc/fstab`).
That way one `/etc/exports` serves both v3 and v4:
"""),
    Code("""server("mkdir -p /srv/share /srv/nfs/share && chmod 1777 /srv/share && mount --bind /srv/share /srv/nfs/share")"""),
    Code("""server('''cat > /etc/exports <<EOF
/srv/nfs        192.168.100.0/24(ro,sync,fsid=0,no_subtree_check)
/srv/nfs/share  192.168.100.0/24(rw,sync,root_squash,no_subtree_check)
EOF
systemctl enable -q --now nfs-server && exportfs -ra && exportfs -v''')""", check=False),
    Md(gl="""
Editar `/etc/exports` non cambia nada ata que `exportfs -ra` o aplica; `exportfs -v` amosa o que
se exporta **agora**, coas opcións por defecto xa escritas (`wdelay`, `secure`, `sec=sys`…).

## Montar no cliente: v4 e v3

En NFSv4 o camiño é relativo á raíz `fsid=0`: `server:/share`. En NFSv3 é o camiño completo no
servidor: `server:/srv/nfs/share`.
""", en="""
Editing `/etc/exports` changes nothing until `exportfs -ra` applies it; `exportfs -v` shows what
is exported **now**, with the default options spelled out (`wdelay`, `secure`, `sec=sys`…).

## Mounting on the client: v4 and v3

With NFSv4 the path is relative to the `fsid=0` root: `server:/share`. With NFSv3 it is the full
path on the server: `server:/srv/nfs/share`.
"""),
    Code("""client("mkdir -p /mnt/share /mnt/v3 && mount -t nfs4 192.168.100.10:/share /mnt/share && mount -t nfs -o vers=3 192.168.100.10:/srv/nfs/share /mnt/v3 && findmnt -t nfs,nfs4 -o TARGET,SOURCE,FSTYPE")"""),
    Md(gl="""
## O root do cliente non manda (root_squash)

Root escribe no cliente. Co `root_squash` por defecto, no servidor o ficheiro queda de `nobody`
(uid 65534): o root do cliente non é root nos ficheiros do servidor.
""", en="""
## Squashed root (root_squash)

Root writes on the client. With the default `root_squash`, the file ends up owned by `nobody`
(uid 65534) on the server: the client's root is not root over the server's files.
"""),
    Code("""client("touch /mnt/share/from-root && ls -ln /mnt/share/from-root | cut -d' ' -f3,4,9")"""),
    Md(gl="""
Con `no_root_squash` (e `exportfs -ra`), o mesmo ficheiro sería de root. Por iso é perigoso: quen
sexa root en calquera cliente admitido é root nos teus ficheiros. Úsase só para clientes de
absoluta confianza (por exemplo, os propios hipervisores).

## As prácticas

Fai a práctica **nfs-exports** (raíz NFSv4 con `fsid=0`, un cartafol `rw` con `root_squash`, outro
`ro` con `all_squash`, montaxes v4 e v3 no cliente, todo tamén en `/etc/fstab`). Esta cela desfai
o que fixo a lección:
""", en="""
With `no_root_squash` (and `exportfs -ra`) the same file would be root's. That is why it is
dangerous: whoever is root on any allowed client is root over your files. Keep it for clients
you trust completely (the hypervisors themselves, say).

## The exercise

Do the exercise **nfs-exports** (an NFSv4 root with `fsid=0`, one `rw` folder with
`root_squash`, one `ro` folder with `all_squash`, v4 and v3 mounts on the client, all of it in
`/etc/fstab` too). This cell undoes what the lesson did:
"""),
    Code("""client("umount /mnt/share /mnt/v3")
server("exportfs -ua && : > /etc/exports && rm -f /srv/share/from-root && umount /srv/nfs/share")"""),
    Code("""lab.check("nfs-exports")""", check=False),
]

ISCSI: list[Md | Code] = [
    Md(gl="""
# iSCSI: discos pola rede

iSCSI leva o protocolo SCSI dos discos sobre Ethernet: un equipo **ofrece** un dispositivo de
bloques (un ficheiro, un disco, unha partición ou un volume LVM) e outro **engánchao** como se
fose un disco propio. É unha alternativa barata a Fibre Channel. O que ofrece discos é o
**target**; o cliente que os usa, o **initiator**. Os dous identifícanse cun **iqn** (*iSCSI
Qualified Name*):

`iqn.AAAA-MM.autoridade-ao-revés:nome`

- `AAAA-MM`: o ano e mes en que a organización xa tiña o dominio;
- a autoridade: o dominio do servidor escrito ao revés (`com.example.iscsiserver`);
- `nome`: o que se queira, para distinguir os recursos.

No servidor úsase o target do núcleo (LIO) coa ferramenta `targetcli` (paquete `targetcli-fb`);
no cliente, `open-iscsi` e a súa ferramenta `iscsiadm`.
""" + INTRO.gl, en="""
# iSCSI: disks over the network

iSCSI carries the SCSI disk protocol over Ethernet: one machine **offers** a block device (a
file, a disk, a partition or an LVM volume) and another **attaches** it as if it were a local
disk. It is a cheap alternative to Fibre Channel. The side offering disks is the **target**; the
client using them, the **initiator**. Both are named by an **iqn** (*iSCSI Qualified Name*):

`iqn.YYYY-MM.reversed-authority:name`

- `YYYY-MM`: the year and month in which the organisation already owned the domain;
- the authority: the server's domain written backwards (`com.example.iscsiserver`);
- `name`: anything you like, to tell resources apart.

The server uses the kernel's target (LIO) through `targetcli` (package `targetcli-fb`); the
client uses `open-iscsi` and its tool `iscsiadm`.
""" + INTRO.en),
    Code("""\
from labkit.widgets.iscsi import IqnBuilder, TargetDiagram
from labkit.widgets.lvm import StorageLab

lab = StorageLab("{lang}", "iscsi")
server, client = lab.server.sh, lab.client.sh
lab""", check=False),
    Md(gl="""
Este asistente compón un iqn a partir das súas partes (escribe o dominio ao dereito; el dálle a
volta) e comproba calquera que escribas no último campo:
""", en="""
This builder makes an iqn from its parts (type the domain the usual way round; it turns it
around) and checks any iqn you type into the last field:
"""),
    Code("""IqnBuilder("{lang}", year=2026, month=11, domain="server.labkit.lab", name="vms")""", check=False),
    Md(gl="""
## O target, paso a paso

`targetcli` organiza todo nunha árbore:

- `/backstores`: os dispositivos que se van ofrecer. `fileio` para un ficheiro (créase co tamaño
  que digas), `block` para un disco, unha partición ou un volume LVM.
- `/iscsi/IQN/tpg1`: o target e o seu *target portal group*, con:
  - `luns`: os backstores que ofrece (un LUN é o número dun dispositivo no bus SCSI). Un target
    pode ter un ou varios;
  - `acls`: os iqn dos initiators que poden entrar (cada un ten que ser único; Debian xérao ao
    instalar `open-iscsi` en `/etc/iscsi/initiatorname.iscsi`), cada un co seu usuario e
    contrasinal **CHAP**;
  - `portals`: IP e porto onde escoita (3260; `0.0.0.0` = todas).

Os comandos pódense dar un a un desde a liña de ordes, coma aquí, ou dentro do intérprete
`targetcli`. A configuración vive no núcleo: **`saveconfig`** gárdaa en
`/etc/rtslib-fb-target/saveconfig.json`, e un servizo (`rtslib-fb-targetctl`) restáuraa ao
arrincar.
""", en="""
## The target, step by step

`targetcli` arranges everything in a tree:

- `/backstores`: the devices to offer. `fileio` for a file (created at the size you give),
  `block` for a disk, a partition or an LVM volume.
- `/iscsi/IQN/tpg1`: the target and its *target portal group*, with:
  - `luns`: the backstores it offers (a LUN is a device's number on the SCSI bus). A target may
    have one or several;
  - `acls`: the iqns of the initiators allowed in (each must be unique; Debian generates one
    when installing `open-iscsi`, in `/etc/iscsi/initiatorname.iscsi`), each with its **CHAP**
    user and password;
  - `portals`: the IP and port it listens on (3260; `0.0.0.0` = all).

The commands can be given one by one from the shell, as here, or inside the `targetcli` prompt.
The configuration lives in the kernel: **`saveconfig`** writes it to
`/etc/rtslib-fb-target/saveconfig.json`, and a service (`rtslib-fb-targetctl`) restores it at
boot.
"""),
    Code("""client("cat /etc/iscsi/initiatorname.iscsi | grep -v '^#'")"""),
    Code("""\
server('''set -e
mkdir -p /srv/iscsi
targetcli /backstores/fileio create vm1 /srv/iscsi/vm1.img 64M
targetcli /iscsi create iqn.2026-11.lab.labkit.server:vms
targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/luns create /backstores/fileio/vm1
targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls create iqn.2024-01.lab.labkit:client
targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/iqn.2024-01.lab.labkit:client set auth userid=labuser
targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/iqn.2024-01.lab.labkit:client set auth password=labsecret2026
targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1 set attribute authentication=1
targetcli saveconfig''')""", check=False),
    Code("""TargetDiagram(lab.server)""", check=False),
    Md(gl="""
## O initiator

Primeiro o **descubrimento**: o cliente pregúntalle ao servidor que targets ofrece e garda a
configuración de cada un en `/etc/iscsi/nodes` (cos valores por defecto de
`/etc/iscsi/iscsid.conf`). Despois ponse o CHAP no nodo e **iníciase a sesión**:
""", en="""
## The initiator

First **discovery**: the client asks the server which targets it offers and stores each one's
settings under `/etc/iscsi/nodes` (with the defaults from `/etc/iscsi/iscsid.conf`). Then CHAP
goes into the node and the client **logs in**:
"""),
    Code("""\
client('''set -e
iscsiadm -m discovery -t sendtargets -p 192.168.100.10
N="iscsiadm -m node --targetname iqn.2026-11.lab.labkit.server:vms -p 192.168.100.10"
$N -o update -n node.session.auth.authmethod -v CHAP
$N -o update -n node.session.auth.username -v labuser
$N -o update -n node.session.auth.password -v labsecret2026
$N -o update -n node.startup -v automatic
$N --login
iscsiadm -m session''')""", check=False),
    Code("""client("sleep 2; lsblk -S -o NAME,TRAN,VENDOR,MODEL,SIZE | grep iscsi")""", check=False),
    Md(gl="""
`node.startup automatic` fai que o cliente volva entrar ao arrincar. `--logout` pecha a sesión e
`iscsiadm -m session` lista as abertas.

## Sempre o mesmo nome: regras udev

O disco apareceu como `/dev/sdX`, pero a letra depende da orde na que cheguen os discos: unha
máquina virtual configurada con `/dev/sdb` podería arrincar un día co disco doutra. A solución é
unha regra **udev** que crea un nome fixo a partir do identificador único do dispositivo:

1. Le o identificador: `/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/sdX`.
2. En `/etc/udev/rules.d/20-persistent-iscsi.rules` escribe
   `KERNEL=="sd*", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$name", RESULT=="ID", SYMLINK+="vm1"`.
3. `udevadm control --reload` e `udevadm trigger` (ou desconecta e volve conectar): aparece
   `/dev/vm1`.
""", en="""
`node.startup automatic` makes the client log in again at boot. `--logout` closes the session and
`iscsiadm -m session` lists the open ones.

## Always the same name: udev rules

The disk showed up as `/dev/sdX`, but the letter depends on the order in which disks arrive: a VM
set up with `/dev/sdb` could one day boot with somebody else's disk. The cure is a **udev** rule
that makes a fixed name from the device's unique identifier:

1. Read the identifier: `/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/sdX`.
2. In `/etc/udev/rules.d/20-persistent-iscsi.rules` write
   `KERNEL=="sd*", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$name", RESULT=="ID", SYMLINK+="vm1"`.
3. `udevadm control --reload` and `udevadm trigger` (or log out and in again): `/dev/vm1`
   appears.
"""),
    Code("""\
client(r'''set -e
dev=$(lsblk -S -n -o NAME,TRAN | awk '$2 == "iscsi" {print $1; exit}')
id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$dev)
echo "/dev/$dev: $id"
cat > /etc/udev/rules.d/20-persistent-iscsi.rules <<RULE
KERNEL=="sd*", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/\\$name", RESULT=="$id", SYMLINK+="vm1"
RULE
cat /etc/udev/rules.d/20-persistent-iscsi.rules
udevadm control --reload && udevadm trigger --subsystem-match=block --action=add && udevadm settle
ls -l /dev/vm1''')""", check=False),
    Md(gl="""
## A práctica

Fai a práctica **iscsi-target** (dous backstores, un ficheiro e un volume LVM, nun target con ACL
e CHAP; gardado e restaurado ao arrincar; o cliente con sesión automática e `/dev/vm1`). Esta
cela desfai o que fixo a lección:
""", en="""
## The exercise

Do the exercise **iscsi-target** (two backstores, a file and an LVM volume, in one target with an
ACL and CHAP; saved and restored at boot; the client logged in at boot, with `/dev/vm1`). This
cell undoes what the lesson did:
"""),
    Code("""\
client("iscsiadm -m node -U all; iscsiadm -m node -o delete; rm -f /etc/udev/rules.d/20-persistent-iscsi.rules")
server("targetcli clearconfig confirm=True && targetcli saveconfig && rm -f /srv/iscsi/vm1.img")""", check=False),
    Code("""lab.check("iscsi-target")""", check=False),
]

LESSONS: dict[str, tuple[str, list[Md | Code]]] = {
    "03-lvm.ipynb": ("lvm", LVM),
    "04-nfs.ipynb": ("nfs", NFS),
    "05-iscsi.ipynb": ("iscsi", ISCSI),
}


def notebook(cells: list[Md | Code], lang: str) -> nbformat.NotebookNode:
    out = []
    for index, item in enumerate(cells):
        cell_id = f"cell-{index:02d}"
        if isinstance(item, Md):
            out.append(nbformat.v4.new_markdown_cell(getattr(item, lang).strip("\n"),
                                                     id=cell_id))
        else:
            out.append(nbformat.v4.new_code_cell(
                item.source.replace("{lang}", lang), id=cell_id,
                metadata={"tags": [CHECK if item.check else IGNORE]}))
    nb = nbformat.v4.new_notebook(cells=out)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


def path(name: str, lang: str) -> Path:
    return HERE / lang / name


def check() -> list[str]:
    """The storage lessons whose stored cells differ from the lists here."""
    stale = []
    for name, (_topic, cells) in LESSONS.items():
        for lang in LANGS:
            p = path(name, lang)
            stored = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"cells": []}
            if _shape(stored) != _shape(notebook(cells, lang)):
                stale.append(str(p.relative_to(HERE.parent)))
    return stale


def _run(nb: nbformat.NotebookNode, lang: str) -> None:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=900, kernel_name="python3", record_timing=False,
                   store_widget_state=True,
                   resources={"metadata": {"path": str(HERE / lang)}}).execute()
    _compact_widget_state(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", metavar="LAB",
                        help="run the gl editions on the storage lab LAB and record them")
    parser.add_argument("--execute", action="store_true",
                        help="run both editions on the recordings and store the outputs")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--only", help="one lesson: lvm, nfs or iscsi")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for name in stale:
            print(f"{name} is out of date: run python notebooks/lessons_storage.py --execute")
        return 1 if stale else 0
    lessons = {n: v for n, v in LESSONS.items() if not args.only or v[0] == args.only}
    env: dict[str, Any] = dict(os.environ)
    if args.record:
        for name, (_topic, cells) in lessons.items():
            for role in ("server", "client"):
                subprocess.run([str(Path(sys.executable).parent / "labkit"), "lab", "reset",
                                "--name", args.record, role], check=True)
            os.environ.update(LABKIT_STORAGE_LAB=args.record, LABKIT_STORAGE_RECORD="1")
            print(f"recording {name} on {args.record}", flush=True)
            _run(notebook(cells, "gl"), "gl")
        os.environ.clear()
        os.environ.update(env)
    for name, (_topic, cells) in lessons.items():
        for lang in LANGS:
            nb = notebook(cells, lang)
            if args.execute:
                os.environ.pop("LABKIT_STORAGE_LAB", None)
                os.environ.pop("LABKIT_STORAGE_RECORD", None)
                print(f"executing {lang}/{name} on the recordings", flush=True)
                _run(nb, lang)
            nbformat.write(nb, path(name, lang))
            print(f"wrote {path(name, lang).relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
