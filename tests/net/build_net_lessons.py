"""Build the network lessons: ``notebooks/{gl,en}/06-network-devices.ipynb``,
``07-bridges-ovs.ipynb`` and ``08-vlans-nat.ipynb`` (same scheme as notebooks/build.py: each
text cell written in both languages, each code cell once, an nbval tag on every code cell).

    .venv/bin/python tests/net/build_net_lessons.py            # write them without outputs
    .venv/bin/python tests/net/build_net_lessons.py --execute  # ... and run them, storing outputs

The lessons talk to the sandbox ``network`` lab named by ``LABKIT_NET_LAB`` and to nothing
else (``labkit.widgets.net_topology.NetLab``): without it (CI, nbval on a local sshd) every
command cell only shows its command, and the topology cells draw the recordings of the solved
labs in ``exercises/net-*/replay/``. So the lessons never create a device on a machine they
were not pointed at. ``--execute`` runs with ``LABKIT_NET_LAB`` unset, so the stored outputs
are the recorded ones (what nbval compares).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
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
    check: bool = False   # True: the output is the same everywhere (nbval compares it)


INTRO_GL = """
As celas de código mandan os comandos ao **laboratorio de rede** do sandbox (as máquinas
`router`, `a` e `b`), nunca ao teu ordenador. Arráncao con `labkit lab up network --name net`
e abre JupyterLab con `LABKIT_NET_LAB=net`. Sen el, as celas só amosan os comandos e os
debuxos saen dun laboratorio gravado coa solución feita.
"""
INTRO_EN = """
The code cells send their commands to the sandbox **network lab** (the hosts `router`, `a` and
`b`), never to your own computer. Start it with `labkit lab up network --name net` and start
JupyterLab with `LABKIT_NET_LAB=net`. Without it the cells only show their commands, and the
drawings come from a lab recorded with the solution done.
"""

DEVICES: list[Md | Code] = [
    Md(gl="""
# Dispositivos de rede virtuais: TAP/TUN, macvtap e veth

Unha máquina virtual necesita rede coma calquera equipo físico. O hipervisor dálle tarxetas
Ethernet virtuais e conéctaas, no propio host, a pontes ou switches virtuais; as VLAN illan esas
redes da rede física cando fai falla. Nos hipervisores de tipo II (VirtualBox) todo isto
xestiónase coas súas propias ferramentas; nos de tipo I (KVM) úsanse as ferramentas de rede
normais do sistema: `ip`, `bridge`, `brctl`, `ovs-vsctl`. Esta lección presenta os dispositivos
cos que se constrúe todo o demais.
""" + INTRO_GL, en="""
# Virtual network devices: TAP/TUN, macvtap and veth

A virtual machine needs a network just like a physical one. The hypervisor gives it virtual
Ethernet cards and plugs them, on the host, into virtual bridges or switches; VLANs keep those
networks apart from the physical one when needed. Type II hypervisors (VirtualBox) manage all
this with their own tools; type I hypervisors (KVM) use the system's ordinary network tools:
`ip`, `bridge`, `brctl`, `ovs-vsctl`. This lesson introduces the devices everything else is
built from.
""" + INTRO_EN),
    Code("""\
from labkit.widgets.net_topology import NetLab

net = NetLab("{lang}", "net-devices")
net"""),
    Md(gl="""
## TAP e TUN

Un dispositivo TAP ou TUN é unha tarxeta de rede cun programa detrás en lugar dun cable: o que
o sistema envía por ela chégalle ao programa (por exemplo, a unha máquina virtual de QEMU/KVM
ou VirtualBox), e o que o programa escribe entra na pila de rede coma se chegase por unha
tarxeta normal. Úsanse para as VPN e para conectar máquinas virtuais.

- **TAP** traballa en capa 2: pasan tramas Ethernet completas (con MAC). É o que usa unha VM.
- **TUN** traballa en capa 3: pasan paquetes IP, sen cabeceira Ethernet. É o típico dunha VPN.
""", en="""
## TAP and TUN

A TAP or TUN device is a network card with a program behind it instead of a cable: what the
system sends through it reaches the program (a QEMU/KVM or VirtualBox virtual machine, say),
and what the program writes enters the network stack as if it had arrived on an ordinary card.
They are used for VPNs and to connect virtual machines.

- **TAP** works at layer 2: whole Ethernet frames (with MACs) go through. This is what a VM uses.
- **TUN** works at layer 3: IP packets go through, with no Ethernet header. Typical of a VPN.
"""),
    Code("""\
net.sh("b", "ip tuntap add tap0 mode tap")
net.sh("b", "ip tuntap add tun0 mode tun")
net.sh("b", "ip -d link show tap0")"""),
    Md(gl="""
En `ip -d link` fíxate en `tun type tap` (ou `type tun`) e en `persist on`: o dispositivo
segue aí aínda que ningún programa o teña aberto. Un TAP ten MAC (`link/ether`); un TUN non
(`link/none`). Bórranse co mesmo modo co que se crearon: `ip tuntap del tap0 mode tap`.
""", en="""
In `ip -d link` look at `tun type tap` (or `type tun`) and at `persist on`: the device stays
even when no program holds it open. A TAP has a MAC (`link/ether`); a TUN does not
(`link/none`). They are deleted with the mode they were made with: `ip tuntap del tap0 mode tap`.
"""),
    Md(gl="""
## macvtap

Un macvtap pega un dispositivo tap a unha tarxeta física, cunha MAC propia, algo parecido a
unha ponte pero sen ponte. Ao crealo aparece tamén un ficheiro `/dev/tapN` (N é o número do
dispositivo) polo que unha VM le e escribe as súas tramas. Ten tres modos:

- **vepa** (o modo por defecto): todo sae pola tarxeta física ao switch, mesmo o tráfico entre
  dúas VM do mesmo macvtap. Para que volva, o switch ten que reenviar unha trama polo mesmo
  porto polo que entrou (*hairpin* ou *reflective relay*), e poucos switches o fan.
- **bridge**: as VM sobre a mesma tarxeta fálanse directamente, sen pasar pola rede física.
- **private**: as VM sobre a mesma tarxeta non se poden falar entre elas.
""", en="""
## macvtap

A macvtap attaches a tap device to a physical card, with a MAC of its own, a bit like a bridge
without a bridge. Creating one also makes a file `/dev/tapN` (N is the device's index) through
which a VM reads and writes its frames. It has three modes:

- **vepa** (the default): everything goes out of the physical card to the switch, even traffic
  between two VMs on the same macvtap. To come back, the switch must send a frame out of the
  same port it came in (*hairpin* or *reflective relay*), and few switches do.
- **bridge**: VMs on the same card talk to each other directly, without touching the physical
  network.
- **private**: VMs on the same card cannot talk to each other at all.
"""),
    Code("""\
net.sh("b", "ip link add link eth1 name macvtap0 type macvtap mode bridge")
net.sh("b", "ip link add link eth1 name macvtap1 type macvtap mode private")
net.sh("b", "ip link add link eth1 name macvtap2 type macvtap")
net.sh("b", "ip -d link show macvtap2; ls -l /dev/tap*")"""),
    Md(gl="""
`macvtap2` creouse sen `mode`, así que está en modo **vepa**: é un erro frecuente pensar que o
modo por defecto é bridge.

## Parellas veth

Unha parella veth son dúas tarxetas Ethernet virtuais unidas coma se as conectase un cable: o
que entra por unha sae pola outra. Un extremo vai a unha ponte ou switch virtual e o outro leva
o enderezo IP. É a forma habitual de conectar contedores (LXC, Docker), que non teñen tarxetas
virtuais propias coma unha VM.
""", en="""
`macvtap2` was made without `mode`, so it is in **vepa** mode: thinking that the default is
bridge is a common mistake.

## veth pairs

A veth pair is two virtual Ethernet cards joined as if by a cable: what goes into one comes out
of the other. One end goes into a virtual bridge or switch and the other holds the IP address.
It is the usual way to connect containers (LXC, Docker), which have no virtual cards of their
own as a VM does.
"""),
    Code("""\
net.sh("b", "ip link add dev veth0 type veth peer name veth0-sw")
net.sh("b", "ip link set veth0 up; ip link set veth0-sw up")
net.sh("b", "ip -br link show type veth")"""),
    Md(gl="""
Todo dispositivo novo nace apagado (`DOWN`): hai que activalo con `ip link set NOME up`, e cada
extremo da parella por separado.

## O que hai agora no host

O debuxo le o host (ou a gravación) e amosa cada dispositivo: en laranxa os que van sobre
outro (VLAN, macvtap), con trazos as parellas veth e en gris os apagados.
""", en="""
Every new device starts switched off (`DOWN`): bring it up with `ip link set NAME up`, each end
of a pair on its own.

## What the host has now

The drawing reads the host (or the recording) and shows each device: dotted lines go from a
device to the one it sits on (VLAN, macvtap), dashes join a veth pair, grey boxes are DOWN.
"""),
    Code("""net.topology(["host" if "host" in net.hosts else "b"])"""),
    Md(gl="""
## Exercicio `net-devices`

No host `b` do laboratorio de rede deixa:

- `tap0`, un dispositivo TAP, e `tun0`, un dispositivo TUN;
- a parella veth `veth0` / `veth0-sw`, cos dous extremos activos;
- tres macvtap sobre `eth1`: `macvtap0` en modo bridge, `macvtap1` en modo private e
  `macvtap2` en modo vepa.

Despois, comproba o teu traballo:
""", en="""
## Exercise `net-devices`

On host `b` of the network lab leave:

- `tap0`, a TAP device, and `tun0`, a TUN device;
- the veth pair `veth0` / `veth0-sw`, both ends UP;
- three macvtaps on `eth1`: `macvtap0` in bridge mode, `macvtap1` in private mode and
  `macvtap2` in vepa mode.

Then check your work:
"""),
    Code("""net.check("net-devices")"""),
]

BRIDGES: list[Md | Code] = [
    Md(gl="""
# Pontes Linux e Open vSwitch

Unha ponte (*bridge*) xunta varias tarxetas Ethernet para que as tramas pasen dunhas a outras,
coma nun switch. Todo o que ten unha interface na mesma ponte, sexa unha VM ou unha máquina
física, fálase directamente, sen pasarela. Open vSwitch é un switch virtual máis completo,
pensado para servidores de virtualización.
""" + INTRO_GL, en="""
# Linux bridges and Open vSwitch

A bridge joins several Ethernet cards so that frames pass between them, as in a switch.
Everything with an interface on the same bridge, VM or physical machine, talks directly,
without a gateway. Open vSwitch is a fuller virtual switch, made for virtualization servers.
""" + INTRO_EN),
    Code("""\
from labkit.widgets.net_topology import NetLab

net = NetLab("{lang}", "net-bridges")
net"""),
    Md(gl="""
## Unha ponte con bridge-utils e con ip

O paquete **bridge-utils** trae `brctl`:

| brctl | ip / bridge |
| --- | --- |
| `brctl addbr br0` | `ip link add br0 type bridge` |
| `brctl addif br0 IFACE` | `ip link set IFACE master br0` |
| `brctl delif br0 IFACE` | `ip link set IFACE nomaster` |
| `brctl delbr br0` | `ip link del br0 type bridge` |
| `brctl show` | `bridge link` |
| `brctl showmacs br0` | `bridge fdb show br br0` |

As dúas columnas fan o mesmo no núcleo; `ip` é a forma moderna. Aquí as "máquinas virtuais"
son espazos de nomes de rede (`ip netns`), cada un cun extremo dunha veth; o outro extremo
(`vm1-sw`) vai á ponte, coma nun contedor:
""", en="""
## A bridge with bridge-utils and with ip

The **bridge-utils** package brings `brctl`:

| brctl | ip / bridge |
| --- | --- |
| `brctl addbr br0` | `ip link add br0 type bridge` |
| `brctl addif br0 IFACE` | `ip link set IFACE master br0` |
| `brctl delif br0 IFACE` | `ip link set IFACE nomaster` |
| `brctl delbr br0` | `ip link del br0 type bridge` |
| `brctl show` | `bridge link` |
| `brctl showmacs br0` | `bridge fdb show br br0` |

Both columns do the same thing in the kernel; `ip` is the modern way. Here the "virtual
machines" are network namespaces (`ip netns`), each holding one end of a veth pair; the other
end (`vm1-sw`) goes into the bridge, as with a container:
"""),
    Code("""\
net.sh("b", "ip link add br0 type bridge; ip link set br0 up")
net.sh("b", "ip netns add vm1; ip link add vm1 netns vm1 type veth peer name vm1-sw")
net.sh("b", "ip -n vm1 addr add 10.10.0.11/24 dev vm1; ip -n vm1 link set vm1 up")
net.sh("b", "ip link set vm1-sw master br0; ip link set vm1-sw up")
net.sh("b", "bridge link; brctl show")"""),
    Md(gl="""
## O host na rede da ponte

Unha ponte sen enderezo só comunica as máquinas conectadas a ela: o propio host queda fóra. Hai
dúas formas de metelo: poñerlle un enderezo á ponte (actúa entón coma outra tarxeta do host), ou
crear unha veth, meter un extremo na ponte e poñerlle o enderezo ao outro.
""", en="""
## The host on the bridge's network

A bridge without an address only connects the machines plugged into it: the host itself stays
out. There are two ways in: give the bridge an address (it then acts as one more card of the
host), or make a veth pair, put one end in the bridge and the address on the other.
"""),
    Code("""\
net.sh("b", "ip addr add 10.10.0.1/24 dev br0")
net.sh("b", "ping -c 2 -W 1 10.10.0.11")"""),
    Md(gl="""
Se a ponte ten tamén a tarxeta física (`eth1`), as VM quedan na mesma rede física que o host e
saen ao exterior directamente. Se non a ten, o host ten que encamiñar ou facer NAT (lección 08).

## Open vSwitch

Open vSwitch (`apt install openvswitch-switch`) achega, entre outras cousas: mobilidade do
estado da rede cando se migra unha VM, xestión dinámica (OVSDB, OpenFlow) e túneles GRE e
etiquetado VLAN nas interfaces. A súa configuración vive nunha base de datos, así que **persiste
por si soa** entre reinicios.

| | |
| --- | --- |
| `ovs-vsctl add-br SW` | crear o switch |
| `ovs-vsctl add-port SW IFACE` | engadir un porto |
| `ovs-vsctl add-port SW IFACE tag=10` | un porto de acceso á VLAN 10 |
| `ovs-vsctl del-port SW IFACE` | quitar un porto |
| `ovs-vsctl del-br SW` | borrar o switch |
""", en="""
If the bridge also holds the physical card (`eth1`), the VMs are on the same physical network as
the host and reach the outside directly. If it does not, the host has to route or do NAT
(lesson 08).

## Open vSwitch

Open vSwitch (`apt install openvswitch-switch`) brings, among other things: the network state
moving along with a migrated VM, dynamic management (OVSDB, OpenFlow), and GRE tunnels and
VLAN tagging on its interfaces. Its configuration lives in a database, so it **persists by
itself** across reboots.

| | |
| --- | --- |
| `ovs-vsctl add-br SW` | create the switch |
| `ovs-vsctl add-port SW IFACE` | add a port |
| `ovs-vsctl add-port SW IFACE tag=10` | an access port of VLAN 10 |
| `ovs-vsctl del-port SW IFACE` | remove a port |
| `ovs-vsctl del-br SW` | delete the switch |
"""),
    Code("""\
net.sh("b", "ovs-vsctl add-br ovsbr0")
net.sh("b", "ip netns add vm3; ip link add vm3 netns vm3 type veth peer name vm3-sw")
net.sh("b", "ip -n vm3 addr add 10.20.0.13/24 dev vm3; ip -n vm3 link set vm3 up")
net.sh("b", "ip link set vm3-sw up; ovs-vsctl add-port ovsbr0 vm3-sw tag=10")
net.sh("b", "ovs-vsctl show")"""),
    Md(gl="""
## Que a ponte sobreviva a un reinicio

O que se fai con `ip` ou `brctl` pérdese ao reiniciar. As máquinas do laboratorio usan
systemd-networkd: unha ponte descríbese cun `.netdev` e a súa configuración cun `.network` en
`/etc/systemd/network/` (en Debian con ifupdown sería unha estrofa `iface br0` con
`bridge_ports` en `/etc/network/interfaces`):

```ini
# /etc/systemd/network/50-br0.netdev
[NetDev]
Name=br0
Kind=bridge

# /etc/systemd/network/50-br0.network
[Match]
Name=br0

[Network]
Address=10.10.0.1/24
```

## A topoloxía

Así queda o host `b` coa solución do exercicio: a ponte `br0` e o switch `ovsbr0` arriba, os
seus portos debaixo (coa etiqueta VLAN de cada porto de OVS) e as parellas veth en trazos.
""", en="""
## Making the bridge survive a reboot

Whatever you do with `ip` or `brctl` is gone after a reboot. The lab hosts use systemd-networkd:
a bridge is described by a `.netdev` and its settings by a `.network` in
`/etc/systemd/network/` (on Debian with ifupdown it would be an `iface br0` stanza with
`bridge_ports` in `/etc/network/interfaces`):

```ini
# /etc/systemd/network/50-br0.netdev
[NetDev]
Name=br0
Kind=bridge

# /etc/systemd/network/50-br0.network
[Match]
Name=br0

[Network]
Address=10.10.0.1/24
```

## The topology

This is host `b` with the exercise solved: the bridge `br0` and the switch `ovsbr0` on top,
their ports below (with the VLAN tag of each OVS port), veth pairs in dashes.
"""),
    Code("""net.topology(["host" if "host" in net.hosts else "b"])"""),
    Md(gl="""
## Exercicio `net-bridges`

No host `b`, cos espazos de nomes `vm1`…`vm5` como máquinas virtuais:

- a ponte `br0` (activa, co enderezo 10.10.0.1/24 e gardada para o arranque) con `vm1-sw`
  (engadido con `ip link`) e `vm2-sw` (engadido con `brctl`); vm1 é 10.10.0.11 e vm2 10.10.0.12;
- o switch `ovsbr0` con `vm3-sw` e `vm4-sw` na VLAN 10 e `vm5-sw` na VLAN 20 (vm3, vm4 e vm5
  son 10.20.0.13, .14 e .15, todas na mesma rede IP), e o host no switch pola veth
  `host0`/`host0-sw` (VLAN 10, 10.20.0.1/24).

- a ponte con VLAN `br1` (`vlan_filtering 1`): `vm6-sw` e `vm7-sw` portos de acceso á VLAN 10,
  `vm8-sw` á VLAN 20 (vm6, vm7 e vm8 son 10.30.0.16, .17 e .18/24).

O corrector fai ping: vm3 ten que chegar a vm4 pero non a vm5, e vm6 a vm7 pero non a vm8.
""", en="""
## Exercise `net-bridges`

On host `b`, with the namespaces `vm1`…`vm5` as virtual machines:

- the bridge `br0` (UP, with the address 10.10.0.1/24, and kept for the next boot) with
  `vm1-sw` (added with `ip link`) and `vm2-sw` (added with `brctl`); vm1 is 10.10.0.11 and vm2
  10.10.0.12;
- the switch `ovsbr0` with `vm3-sw` and `vm4-sw` in VLAN 10 and `vm5-sw` in VLAN 20 (vm3, vm4
  and vm5 are 10.20.0.13, .14 and .15, all on one IP network), and the host on the switch
  through the veth `host0`/`host0-sw` (VLAN 10, 10.20.0.1/24).

- the VLAN-aware bridge `br1` (`vlan_filtering 1`): `vm6-sw` and `vm7-sw` access ports of VLAN
  10, `vm8-sw` of VLAN 20 (vm6, vm7, vm8 are 10.30.0.16, .17, .18/24).

The grader pings: vm3 must reach vm4 but not vm5, and vm6 must reach vm7 but not vm8.
"""),
    Code("""net.check("net-bridges")"""),
]

VLANS: list[Md | Code] = [
    Md(gl="""
# VLAN 802.1Q, rutas e NAT

As VLAN 802.1Q permiten que polo mesmo cable viaxen varias redes sen mesturarse: cada trama
leva unha etiqueta co número da súa VLAN. Nesta lección etiquetas tramas, separas redes e
dás saída ao exterior a unha rede virtual con rutas e NAT.
""" + INTRO_GL, en="""
# 802.1Q VLANs, routing and NAT

802.1Q VLANs let several networks share one cable without mixing: each frame carries a tag
with the number of its VLAN. In this lesson you tag frames, keep networks apart and give a
virtual network a way out with routes and NAT.
""" + INTRO_EN),
    Code("""\
from labkit.widgets.net_topology import NetLab

net = NetLab("{lang}", "net-vlans-nat")
net"""),
    Md(gl="""
## A etiqueta

802.1Q mete **4 bytes** na cabeceira Ethernet, xusto despois da MAC de orixe: o TPID `0x8100`
(que di "aquí vai unha etiqueta") e o TCI, con 3 bits de prioridade (PCP), 1 bit DEI e 12 bits
de VLAN (VID, de 1 a 4094). Un switch que non entenda 802.1Q pode descartar esas tramas.

Cando unha trama chega a un porto dun switch con VLAN:

- **porto sen etiqueta (untagged, de acceso)**: conecta equipos que non saben de VLAN. As tramas
  entran sen etiqueta e o switch métea na VLAN do porto; só poden saír por portos desa VLAN, sen
  etiqueta se o porto de saída é de acceso, con ela se é un trunk.
- **porto con etiqueta (tagged, trunk)**: conecta switches ou equipos que usan VLAN. As tramas
  xa chegan etiquetadas; acéptanse se o porto leva esa VLAN.

Un porto só pode estar nunha VLAN sen etiqueta, pero en moitas con etiqueta. Proba aquí:
""", en="""
## The tag

802.1Q puts **4 bytes** into the Ethernet header, right after the source MAC: the TPID `0x8100`
("a tag follows") and the TCI, with 3 priority bits (PCP), 1 DEI bit and 12 bits of VLAN number
(VID, 1 to 4094). A switch that does not understand 802.1Q may drop such frames.

When a frame reaches a port of a VLAN switch:

- **untagged (access) port**: it connects hosts that know nothing of VLANs. Frames come in
  untagged and the switch puts them in the port's VLAN; they may only leave by ports of that
  VLAN, untagged by an access port, tagged by a trunk.
- **tagged (trunk) port**: it connects switches or hosts that use VLANs. Frames arrive already
  tagged, and are taken if the port carries that VLAN.

A port can be in only one VLAN untagged, but in many tagged. Try it here:
"""),
    Code("""\
from labkit.widgets.vlan_frame import VlanFrameExplorer

VlanFrameExplorer("{lang}")""", check=True),
    Code("""\
from labkit.widgets.vlan_frame import SAMPLE, Port, tag_frame, walk_summary

access10, access20 = Port("access", vid=10), Port("access", vid=20)
trunk = Port("trunk", vids=(10, 20))
print(walk_summary(SAMPLE, access10, trunk, "{lang}"))
print(walk_summary(tag_frame(SAMPLE, 10), trunk, access20, "{lang}"))
print(walk_summary(tag_frame(SAMPLE, 30), trunk, access10, "{lang}"))""", check=True),
    Md(gl="""
## Unha VLAN nunha ponte Linux

Para que as VM dunha ponte estean nunha VLAN, as tramas que saen pola tarxeta física teñen que
levar a etiqueta, e só se deben aceptar as ben etiquetadas. Para iso, en lugar da tarxeta
física métese na ponte unha "versión" etiquetada dela, unha subinterface VLAN:

```
ip link add link eth1 name eth1.20 type vlan id 20
ip link set eth1.20 master br20
```

Con Open vSwitch abonda co `tag=` ao engadir o porto da VM (lección 07). E unha ponte Linux
tamén pode filtrar VLAN ela mesma (*VLAN-aware*): `ip link add br0 type bridge vlan_filtering 1`
e `bridge vlan add dev vm1-sw vid 10 pvid untagged` (porto de acceso) ou
`bridge vlan add dev eth1 vid 10` (trunk); `bridge vlan show` amósao.

## Saír ao exterior: rutas ou NAT

Coas VM nunha ponte ou switch, o host pode darlles saída de dúas formas: activar o reenvío de
paquetes (`ip_forward`) e facer **SNAT/MASQUERADE** dos paquetes que saen, ou activar o reenvío
e poñer en todos os equipos da rede externa unha **ruta** cara á rede virtual.

```
sysctl -w net.ipv4.ip_forward=1                         # agora
echo net.ipv4.ip_forward=1 > /etc/sysctl.d/60-forward.conf  # e despois de reiniciar
nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'
nft add rule ip nat postrouting ip saddr 10.0.10.0/24 oifname "eth1" masquerade
# ou, co mesmo efecto:
iptables -t nat -A POSTROUTING -s 10.0.10.0/24 -o eth1 -j MASQUERADE
```

## O laboratorio do exercicio

`eth1` de cada máquina está no switch do laboratorio, que pasa tramas etiquetadas (cada porto é
un trunk). A VLAN 10 é a rede interna 10.0.10.0/24 (router .1, a .11). `b` ten un enderezo desa
mesma rede IP pero na VLAN 20, nunha ponte `br20` cuxa saída é `eth1.20`. A rede sen etiqueta
198.51.100.0/24 fai de "exterior" (router .1, b .12).
""", en="""
## A VLAN on a Linux bridge

For the VMs on a bridge to be in a VLAN, the frames leaving through the physical card must
carry the tag, and only properly tagged frames must be taken in. So instead of the physical card,
the bridge gets a tagged "version" of it, a VLAN subinterface:

```
ip link add link eth1 name eth1.20 type vlan id 20
ip link set eth1.20 master br20
```

With Open vSwitch, `tag=` when adding the VM's port is enough (lesson 07). And a Linux bridge can
also filter VLANs itself (*VLAN-aware*): `ip link add br0 type bridge vlan_filtering 1` and
`bridge vlan add dev vm1-sw vid 10 pvid untagged` (an access port) or
`bridge vlan add dev eth1 vid 10` (a trunk); `bridge vlan show` lists them.

## Reaching the outside: routes or NAT

With the VMs on a bridge or switch, the host can give them a way out in two ways: turn on packet
forwarding (`ip_forward`) and **SNAT/MASQUERADE** the packets that leave, or turn on forwarding
and add, on every host of the outside network, a **route** to the virtual network.

```
sysctl -w net.ipv4.ip_forward=1                         # now
echo net.ipv4.ip_forward=1 > /etc/sysctl.d/60-forward.conf  # and after a reboot
nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'
nft add rule ip nat postrouting ip saddr 10.0.10.0/24 oifname "eth1" masquerade
# or, with the same effect:
iptables -t nat -A POSTROUTING -s 10.0.10.0/24 -o eth1 -j MASQUERADE
```

## The exercise's lab

Each host's `eth1` is on the lab switch, which passes tagged frames (every port is a trunk).
VLAN 10 is the inside network 10.0.10.0/24 (router .1, a .11). `b` has an address of that same
IP network but in VLAN 20, on a bridge `br20` whose way out is `eth1.20`. The untagged network
198.51.100.0/24 plays the "outside" (router .1, b .12).
"""),
    Code("""\
net.sh("a", "ip link add link eth1 name eth1.10 type vlan id 10")
net.sh("a", "ip addr add 10.0.10.11/24 dev eth1.10; ip link set eth1.10 up")
net.sh("a", "ip -d link show eth1.10")"""),
    Code("""\
net.topology(pings={"a": ["10.0.10.1", "10.0.10.12", "198.51.100.12"]})"""),
    Md(gl="""
Co laboratorio en marcha, o debuxo fai tamén ping desde `a`: ao router pola VLAN 10 (responde),
a `b` en 10.0.10.12 (mesma rede IP, outra VLAN: non responde) e a `b` no exterior a través do
NAT do router.

## Exercicio `net-vlans-nat`

- **router**: `eth1.10` (VLAN 10) con 10.0.10.1/24; 198.51.100.1/24 en `eth1`; reenvío activo
  agora e ao arrancar; MASQUERADE (ou SNAT) de 10.0.10.0/24 ao saír por `eth1`.
- **a**: `eth1.10` (VLAN 10) con 10.0.10.11/24, gardada para o arranque; a ruta a
  198.51.100.0/24 polo router.
- **b**: `eth1.20` (VLAN 20) como saída da ponte `br20`, con 10.0.10.12/24 en `br20`; e
  198.51.100.12/24 en `eth1`.
""", en="""
With the lab running, the drawing also pings from `a`: the router over VLAN 10 (answers), `b`
at 10.0.10.12 (same IP network, other VLAN: no answer) and `b` outside, through the router's
NAT.

## Exercise `net-vlans-nat`

- **router**: `eth1.10` (VLAN 10) with 10.0.10.1/24; 198.51.100.1/24 on `eth1`; forwarding on
  now and at boot; MASQUERADE (or SNAT) of 10.0.10.0/24 leaving by `eth1`.
- **a**: `eth1.10` (VLAN 10) with 10.0.10.11/24, kept for the next boot; the route to
  198.51.100.0/24 through the router.
- **b**: `eth1.20` (VLAN 20) as the way out of the bridge `br20`, with 10.0.10.12/24 on `br20`;
  and 198.51.100.12/24 on `eth1`.
"""),
    Code("""net.check("net-vlans-nat")"""),
]

LESSONS = {"06-network-devices.ipynb": DEVICES, "07-bridges-ovs.ipynb": BRIDGES,
           "08-vlans-nat.ipynb": VLANS}


def notebook(cells_in: list[Md | Code], lang: str, stem: str) -> nbformat.NotebookNode:
    cells = []
    for index, item in enumerate(cells_in):
        cell_id = f"{stem}-{index:02d}"
        if isinstance(item, Md):
            cells.append(nbformat.v4.new_markdown_cell(getattr(item, lang).strip("\n"),
                                                       id=cell_id))
        else:
            cells.append(nbformat.v4.new_code_cell(
                item.source.replace("{lang}", lang), id=cell_id,
                metadata={"tags": [CHECK if item.check else IGNORE]}))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


TASKS = {
    "net-devices": Md(gl="""
1. En `b`, crea o dispositivo TAP `tap0` e o dispositivo TUN `tun0` con `ip tuntap`.
2. Crea a parella veth `veth0` / `veth0-sw` e activa os dous extremos.
3. Crea tres macvtap sobre `eth1`: `macvtap0` en modo bridge, `macvtap1` en modo private e
   `macvtap2` en modo vepa.""", en="""
1. On `b`, create the TAP device `tap0` and the TUN device `tun0` with `ip tuntap`.
2. Create the veth pair `veth0` / `veth0-sw` and bring both ends up.
3. Create three macvtaps on `eth1`: `macvtap0` in bridge mode, `macvtap1` in private mode and
   `macvtap2` in vepa mode."""),
    "net-bridges": Md(gl="""
1. En `b`, crea os espazos de nomes `vm1`…`vm5`, cada un cun extremo dunha veth (`vmN`) e o
   outro (`vmN-sw`) no host; vm1 10.10.0.11/24, vm2 10.10.0.12/24, vm3 10.20.0.13/24,
   vm4 10.20.0.14/24, vm5 10.20.0.15/24.
2. Crea a ponte `br0` con `ip link`, co enderezo 10.10.0.1/24; mete `vm1-sw` con `ip link` e
   `vm2-sw` con `brctl`. Descríbea en /etc/systemd/network para que sobreviva a un reinicio.
3. Crea o switch Open vSwitch `ovsbr0`: `vm3-sw` e `vm4-sw` con `tag=10`, `vm5-sw` con `tag=20`,
   e o host pola veth `host0`/`host0-sw` (`tag=10`, 10.20.0.1/24 en `host0`).
4. Crea a ponte con VLAN `br1` (`vlan_filtering 1`) con `vm6-sw` e `vm7-sw` como portos de
   acceso á VLAN 10 e `vm8-sw` á VLAN 20 (`bridge vlan`); vm6, vm7 e vm8 son 10.30.0.16, .17 e
   .18/24.""", en="""
1. On `b`, create the namespaces `vm1`…`vm5`, each with one end of a veth pair (`vmN`) and the
   other (`vmN-sw`) on the host; vm1 10.10.0.11/24, vm2 10.10.0.12/24, vm3 10.20.0.13/24,
   vm4 10.20.0.14/24, vm5 10.20.0.15/24.
2. Create the bridge `br0` with `ip link`, with the address 10.10.0.1/24; add `vm1-sw` with
   `ip link` and `vm2-sw` with `brctl`. Describe it in /etc/systemd/network so that it survives a
   reboot.
3. Create the Open vSwitch switch `ovsbr0`: `vm3-sw` and `vm4-sw` with `tag=10`, `vm5-sw` with
   `tag=20`, and the host through the veth `host0`/`host0-sw` (`tag=10`, 10.20.0.1/24 on
   `host0`).
4. Create the VLAN-aware bridge `br1` (`vlan_filtering 1`) with `vm6-sw` and `vm7-sw` as access
   ports of VLAN 10 and `vm8-sw` of VLAN 20 (`bridge vlan`); vm6, vm7 and vm8 are 10.30.0.16,
   .17 and .18/24."""),
    "net-vlans-nat": Md(gl="""
1. **router**: `eth1.10` (VLAN 10 de `eth1`) con 10.0.10.1/24; 198.51.100.1/24 en `eth1`;
   `net.ipv4.ip_forward` a 1 agora e nun ficheiro de /etc/sysctl.d; MASQUERADE (ou SNAT) de
   10.0.10.0/24 ao saír por `eth1`, con nft ou con iptables.
2. **a**: `eth1.10` (VLAN 10) con 10.0.10.11/24, gardada para o arranque con systemd-networkd;
   a ruta a 198.51.100.0/24 por 10.0.10.1.
3. **b**: `eth1.20` (VLAN 20) dentro da ponte `br20`, 10.0.10.12/24 en `br20` e
   198.51.100.12/24 en `eth1`.""", en="""
1. **router**: `eth1.10` (VLAN 10 on `eth1`) with 10.0.10.1/24; 198.51.100.1/24 on `eth1`;
   `net.ipv4.ip_forward` set to 1 now and in a file in /etc/sysctl.d; MASQUERADE (or SNAT) of
   10.0.10.0/24 leaving by `eth1`, with nft or with iptables.
2. **a**: `eth1.10` (VLAN 10) with 10.0.10.11/24, kept for the next boot with systemd-networkd;
   the route to 198.51.100.0/24 through 10.0.10.1.
3. **b**: `eth1.20` (VLAN 20) inside the bridge `br20`, 10.0.10.12/24 on `br20` and
   198.51.100.12/24 on `eth1`."""),
}


def exercise_notebook(name: str) -> nbformat.NotebookNode:
    """The nbgrader source notebook of a network exercise (same cells as the qemu-img ones)."""
    from labkit import exercises

    spec = exercises.load(name)
    workdir = spec.params["workdir"]
    points = f"{spec.max_score:g}"
    rows = {lang: "\n".join(f"| {c.message[lang]} | {c.points:g} |" for c in spec.checks)
            for lang in LANGS}
    text = f"""## {spec.title.gl}

Nesta tarefa traballas no **laboratorio de rede** (`labkit lab up network`: as máquinas
`router`, `a` e `b`, por SSH como `root`), non neste caderno. Garda as ordes que uses nun
guión en `{workdir}` na máquina onde as executes, se queres repetilas.
{TASKS[name].gl}

Na cela de código de abaixo anota as ordes que executaches, unha por liña, no lugar de
`# YOUR CODE HERE`. A cela non as executa (para iso está a primeira liña, `%%script true`).

**Corrección.** O corrector conectarase ás máquinas do laboratorio e mirará a súa
configuración de rede (e fará algún ping dentro da rede do laboratorio). Non a cambies ata que
estea corrixida. Vale {points} puntos:

| Comprobación | Puntos |
| --- | ---: |
{rows["gl"]}

---

## {spec.title.en}

In this assignment you work on the **network lab** (`labkit lab up network`: the hosts
`router`, `a` and `b`, over SSH as `root`), not in this notebook. Keep the commands you use in a
script in `{workdir}` on the host where you run them, if you want to repeat them.
{TASKS[name].en}

In the code cell below, write down the commands you ran, one per line, in place of
`# YOUR CODE HERE`. The cell does not run them (that is what its first line, `%%script true`,
is for).

**Grading.** The grader will connect to the lab hosts and read their network configuration
(and send a few pings inside the lab network). Do not change it until it is graded. It is
worth {points} points:

| Check | Points |
| --- | ---: |
{rows["en"]}
"""
    def shown(script: str) -> str:
        for key, value in spec.params.items():
            script = script.replace(f'"${key.upper()}"', str(value))
            script = script.replace(f"${key.upper()}", str(value))
        return "\n".join(line for line in script.splitlines()
                         if line and not line.startswith("#") and line != "set -eu")

    solution = "\n".join(f"# --- {role} ---\n" + shown(script.read_text(encoding="utf-8"))
                          for role, script in exercises.solution_scripts(name))
    commands = ("%%script true\n"
                "# gl: as ordes que executaches nas máquinas do laboratorio, unha por liña.\n"
                "# en: the commands you ran on the lab hosts, one per line.\n"
                f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION")
    test = ("# gl: esta cela corrixe as túas máquinas do laboratorio cando o profesorado "
            "corrixe a tarefa.\n"
            "# en: this cell grades your lab hosts when your teacher grades the assignment.\n"
            "### BEGIN HIDDEN TESTS\n"
            "from labkit.grading.nbgrader import autograde_points\n"
            f'autograde_points("{name}", points={points})\n'
            "### END HIDDEN TESTS")

    def meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
             pts: float | None = None) -> dict[str, object]:
        data: dict[str, object] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                                   "schema_version": 3, "solution": solution}
        if pts is not None:
            data["points"] = pts
        return {"nbgrader": data}

    cells = [
        nbformat.v4.new_markdown_cell(text, id="instructions",
                                      metadata=meta("instructions", grade=False,
                                                    solution=False, locked=True)),
        nbformat.v4.new_code_cell(commands, id="commands",
                                  metadata=meta("commands", grade=False, solution=True,
                                                locked=False)),
        nbformat.v4.new_code_cell(test, id="lab-host",
                                  metadata=meta("lab-host", grade=True, solution=False,
                                                locked=True, pts=float(spec.max_score))),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true")
    args = parser.parse_args(argv)
    os.environ.pop("LABKIT_NET_LAB", None)
    from labkit import exercises

    for name in TASKS:
        target = exercises.exercise_dir(name) / f"{name}.ipynb"
        nbformat.write(exercise_notebook(name), target)
        print(f"wrote {target.relative_to(ROOT)}")
    for name, cells in LESSONS.items():
        for lang in LANGS:
            nb = notebook(cells, lang, name[:2])
            target = NOTEBOOKS / lang / name
            if args.execute:
                from nbclient import NotebookClient

                NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                               store_widget_state=True,
                               resources={"metadata": {"path": str(target.parent)}}).execute()
            nbformat.write(nb, target)
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
