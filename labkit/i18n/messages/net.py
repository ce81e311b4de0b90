"""Messages of the network topic: devices, bridges, Open vSwitch, VLANs, forwarding and NAT."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # devices
    "net.device_missing": {
        "gl": "Non existe o dispositivo de rede {device}.",
        "en": "There is no network device {device}.",
    },
    "net.device_ok": {
        "gl": "{device} existe e é un dispositivo {found}.",
        "en": "{device} exists and is a {found} device.",
    },
    "net.device_up_ok": {
        "gl": "{device} existe e está activo (UP).",
        "en": "{device} exists and is UP.",
    },
    "net.kind_wrong": {
        "gl": "{device} é un dispositivo {found}, non {kind}.",
        "en": "{device} is a {found} device, not a {kind} one.",
    },
    "net.device_down": {
        "gl": "{device} está apagado (DOWN): actívao con ip link set {device} up.",
        "en": "{device} is DOWN: bring it up with ip link set {device} up.",
    },
    "net.device_up_wrong": {
        "gl": "{device} está activo (UP) e debería estar apagado.",
        "en": "{device} is UP and should be down.",
    },
    "net.parent_wrong": {
        "gl": "{device} está asociado a {found_parent}, non a {parent}.",
        "en": "{device} sits on {found_parent}, not on {parent}.",
    },
    "net.macvtap_ok": {
        "gl": "{device} é un macvtap sobre {parent} en modo {mode}.",
        "en": "{device} is a macvtap on {parent} in {mode} mode.",
    },
    "net.macvtap_mode_wrong": {
        "gl": "{device} está en modo {found}; pedíase o modo {mode}.",
        "en": "{device} is in {found} mode; {mode} mode was asked for.",
    },
    "net.veth_ok": {
        "gl": "{device} e {peer} son os dous extremos dunha parella veth.",
        "en": "{device} and {peer} are the two ends of one veth pair.",
    },
    "net.veth_peer_wrong": {
        "gl": "O outro extremo de {device} é {found}, non {peer}.",
        "en": "The other end of {device} is {found}, not {peer}.",
    },
    "net.vlan_ok": {
        "gl": "{device} é a VLAN {id} de {parent}.",
        "en": "{device} is VLAN {id} on {parent}.",
    },
    "net.vlan_id_wrong": {
        "gl": "{device} leva a etiqueta VLAN {found}; agardábase a {id}.",
        "en": "{device} carries VLAN tag {found}; {id} was expected.",
    },
    "net.master_ok": {
        "gl": "{device} é un porto da ponte {master}.",
        "en": "{device} is a port of the bridge {master}.",
    },
    "net.master_none": {
        "gl": "{device} non está en ningunha ponte; agardábase en {master}.",
        "en": "{device} is not in any bridge; it should be in {master}.",
    },
    "net.master_ovs": {
        "gl": "{device} está nun switch Open vSwitch, non na ponte Linux {master}.",
        "en": "{device} is in an Open vSwitch switch, not in the Linux bridge {master}.",
    },
    "net.master_wrong": {
        "gl": "{device} está na ponte {found}, non en {master}.",
        "en": "{device} is in the bridge {found}, not in {master}.",
    },
    # addresses and routes
    "net.address_ok": {
        "gl": "{device} ten o enderezo {address}.",
        "en": "{device} has the address {address}.",
    },
    "net.address_missing": {
        "gl": "{device} non ten o enderezo {address}.",
        "en": "{device} does not have the address {address}.",
    },
    "net.address_elsewhere": {
        "gl": "O enderezo {address} está en {found}, non en {device}.",
        "en": "The address {address} is on {found}, not on {device}.",
    },
    "net.address_prefix_wrong": {
        "gl": "{device} ten {found}: o prefixo (máscara) debería ser o de {address}.",
        "en": "{device} has {found}: the prefix (netmask) should be that of {address}.",
    },
    "net.route_ok": {
        "gl": "Hai unha ruta a {dst} por {via}.",
        "en": "There is a route to {dst} via {via}.",
    },
    "net.route_missing": {
        "gl": "Non hai ningunha ruta a {dst} (debería ir por {via}).",
        "en": "There is no route to {dst} (it should go via {via}).",
    },
    "net.route_wrong": {
        "gl": "A ruta a {dst} vai por {found}, non por {via}.",
        "en": "The route to {dst} goes via {found}, not via {via}.",
    },
    # VLAN-aware bridges
    "net.vlan_filtering_off": {
        "gl": "A ponte {bridge} non filtra VLAN: créaa con vlan_filtering 1.",
        "en": "The bridge {bridge} does not filter VLANs: create it with vlan_filtering 1.",
    },
    "net.bridge_vlan_missing": {
        "gl": "O porto {port} de {bridge} non leva a VLAN {vid} (ten: {found}).",
        "en": "Port {port} of {bridge} does not carry VLAN {vid} (it has: {found}).",
    },
    "net.bridge_vlan_not_access": {
        "gl": "O porto {port} debería ser de acceso á VLAN {vid} (PVID e sen etiqueta); "
              "ten: {found}.",
        "en": "Port {port} should be an access port of VLAN {vid} (PVID, untagged); "
              "it has: {found}.",
    },
    "net.bridge_vlan_not_tagged": {
        "gl": "O porto {port} debería levar a VLAN {vid} etiquetada (trunk); ten: {found}.",
        "en": "Port {port} should carry VLAN {vid} tagged (a trunk); it has: {found}.",
    },
    "net.bridge_vlan_access_ok": {
        "gl": "O porto {port} de {bridge} é de acceso á VLAN {vid}.",
        "en": "Port {port} of {bridge} is an access port of VLAN {vid}.",
    },
    "net.bridge_vlan_tagged_ok": {
        "gl": "O porto {port} de {bridge} leva a VLAN {vid} etiquetada.",
        "en": "Port {port} of {bridge} carries VLAN {vid} tagged.",
    },
    # reachability (ping)
    "net.reach_ok_from": {
        "gl": "Desde {where} chégase a {address} ({received}/{sent} respostas ao ping).",
        "en": "{address} answers from {where} ({received}/{sent} ping replies).",
    },
    "net.reach_ok": {
        "gl": "Este host chega a {address} ({received}/{sent} respostas ao ping).",
        "en": "This host reaches {address} ({received}/{sent} ping replies).",
    },
    "net.reach_failed_from": {
        "gl": "Desde {where} non se chega a {address}: ningunha resposta a {sent} pings.",
        "en": "{address} cannot be reached from {where}: no reply to {sent} pings.",
    },
    "net.reach_failed": {
        "gl": "Este host non chega a {address}: ningunha resposta a {sent} pings.",
        "en": "This host cannot reach {address}: no reply to {sent} pings.",
    },
    "net.reach_error_from": {
        "gl": "Desde {where} nin se pode facer ping a {address}: {reason}",
        "en": "{address} cannot even be pinged from {where}: {reason}",
    },
    "net.reach_error": {
        "gl": "Este host nin pode facer ping a {address}: {reason}",
        "en": "This host cannot even ping {address}: {reason}",
    },
    "net.isolated_ok_from": {
        "gl": "Desde {where} non se chega a {address}, como debe ser (está noutra rede).",
        "en": "{address} cannot be reached from {where}, as it should (it is on another network).",
    },
    "net.isolated_ok": {
        "gl": "Este host non chega a {address}, como debe ser (está noutra rede).",
        "en": "This host does not reach {address}, as it should (it is on another network).",
    },
    "net.isolated_failed_from": {
        "gl": "Desde {where} chégase a {address}, e non debería: están na mesma VLAN ou rede.",
        "en": "{address} answers from {where}, and it should not: they share a VLAN or network.",
    },
    "net.isolated_failed": {
        "gl": "Este host chega a {address}, e non debería: están na mesma VLAN ou rede.",
        "en": "This host reaches {address}, and it should not: they share a VLAN or network.",
    },
    "net.isolated_error_from": {
        "gl": "Isto non demostra ningún illamento: desde {where} nin se pode facer ping a "
              "{address} ({reason}).",
        "en": "This shows no isolation: {address} cannot even be pinged from {where} "
              "({reason}).",
    },
    "net.isolated_error": {
        "gl": "Isto non demostra ningún illamento: este host nin pode facer ping a {address} "
              "({reason}).",
        "en": "This shows no isolation: this host cannot even ping {address} ({reason}).",
    },
    "net.isolated_no_peer": {
        "gl": "{address} non está en ningún dispositivo de {peer}: aínda non hai nada que illar.",
        "en": "{address} is on no device of {peer}: there is nothing to isolate yet.",
    },
    # persistence
    "net.persist_ok": {
        "gl": "{device} está na configuración que se le ao arrancar ({source}).",
        "en": "{device} is in the configuration read at boot ({source}).",
    },
    "net.persist_missing": {
        "gl": "{device} non está en /etc/systemd/network nin en /etc/network/interfaces: "
              "perderase ao reiniciar.",
        "en": "{device} is neither in /etc/systemd/network nor in /etc/network/interfaces: "
              "it will be lost on reboot.",
    },
    "net.persist_wrong": {
        "gl": "Na configuración de arranque, {device} ten {field} = {found}; agardábase {want}.",
        "en": "In the boot configuration, {device} has {field} = {found}; {want} was expected.",
    },
    # Open vSwitch
    "ovs.not_installed": {
        "gl": "Open vSwitch non está instalado (apt install openvswitch-switch).",
        "en": "Open vSwitch is not installed (apt install openvswitch-switch).",
    },
    "ovs.not_running": {
        "gl": "O servizo de Open vSwitch non responde (systemctl start openvswitch-switch).",
        "en": "The Open vSwitch service does not answer (systemctl start openvswitch-switch).",
    },
    "ovs.bridge_ok": {
        "gl": "Existe o switch Open vSwitch {bridge}.",
        "en": "The Open vSwitch switch {bridge} exists.",
    },
    "ovs.bridge_missing": {
        "gl": "Non existe o switch Open vSwitch {bridge} (hai: {found}).",
        "en": "There is no Open vSwitch switch {bridge} (there is: {found}).",
    },
    "ovs.port_ok": {
        "gl": "{port} é un porto de {bridge} (VLAN {tag}).",
        "en": "{port} is a port of {bridge} (VLAN {tag}).",
    },
    "ovs.port_missing": {
        "gl": "{port} non é un porto de {bridge}.",
        "en": "{port} is not a port of {bridge}.",
    },
    "ovs.port_elsewhere": {
        "gl": "{port} está no switch {found}, non en {bridge}.",
        "en": "{port} is on the switch {found}, not on {bridge}.",
    },
    "ovs.tag_wrong": {
        "gl": "O porto {port} está na VLAN {found}; debería levar tag={tag}.",
        "en": "Port {port} is in VLAN {found}; it should have tag={tag}.",
    },
    "ovs.trunks_wrong": {
        "gl": "O porto {port} leva as VLAN {found}; deberían ser {trunks}.",
        "en": "Port {port} carries VLANs {found}; they should be {trunks}.",
    },
    # sysctl
    "sysctl.unknown": {
        "gl": "O núcleo non ten o axuste {setting}.",
        "en": "The kernel has no setting {setting}.",
    },
    "sysctl.now_ok": {
        "gl": "{setting} vale {value}.",
        "en": "{setting} is {value}.",
    },
    "sysctl.now_wrong": {
        "gl": "{setting} vale {found} agora; debería valer {value}.",
        "en": "{setting} is {found} now; it should be {value}.",
    },
    "sysctl.boot_ok": {
        "gl": "{setting} = {value} queda gardado para o arranque en {source}.",
        "en": "{setting} = {value} is kept for the next boot in {source}.",
    },
    "sysctl.boot_missing": {
        "gl": "Ningún ficheiro de /etc/sysctl.d nin /etc/sysctl.conf fixa {setting} = {value}: "
              "perderase ao reiniciar.",
        "en": "No file in /etc/sysctl.d nor /etc/sysctl.conf sets {setting} = {value}: "
              "it will be lost on reboot.",
    },
    "sysctl.boot_wrong": {
        "gl": "Ao arrancar, {setting} valerá {found} (por {source}); debería ser {value}.",
        "en": "At boot, {setting} will be {found} (set in {source}); it should be {value}.",
    },
    # NAT
    "nat.ok": {
        "gl": "Os paquetes de {source} saen por {out} co enderezo do router ({action}, {tool}).",
        "en": "Packets from {source} leave by {out} with the router's address ({action}, {tool}).",
    },
    "nat.missing": {
        "gl": "Non hai ningunha regra SNAT nin MASQUERADE en postrouting "
              "(nin en nft nin en iptables).",
        "en": "There is no SNAT or MASQUERADE rule in postrouting "
              "(neither in nft nor in iptables).",
    },
    "nat.source_wrong": {
        "gl": "Hai NAT para {found}, pero non para a rede {source}.",
        "en": "There is NAT for {found}, but not for the network {source}.",
    },
    "nat.out_wrong": {
        "gl": "O NAT de {source} aplícase ao saír por {found}, non por {out}.",
        "en": "The NAT of {source} applies when leaving by {found}, not by {out}.",
    },
    "nat.action_wrong": {
        "gl": "O NAT de {source} usa {found}; pedíase {action}.",
        "en": "The NAT of {source} uses {found}; {action} was asked for.",
    },
}
