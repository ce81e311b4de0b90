"""Messages of the network widgets: the live topology diagram and the 802.1Q frame explorer.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "topo.title": {"gl": "Topoloxía de rede: {hosts}", "en": "Network topology: {hosts}"},
    "topo.lab_switch": {
        "gl": "switch do laboratorio (trunk 802.1Q)",
        "en": "lab switch (802.1Q trunk)",
    },
    "topo.reach_ok": {"gl": "{src} → {dst}: responde", "en": "{src} → {dst}: answers"},
    "topo.reach_no": {"gl": "{src} → {dst}: sen resposta", "en": "{src} → {dst}: no answer"},
    "topo.empty": {"gl": "Non se leu ningunha máquina.", "en": "No host was read."},
    "topo.error": {
        "gl": "Non se puido ler {host}: {reason}",
        "en": "{host} could not be read: {reason}",
    },
    "topo.summary": {
        "gl": "{hosts}: {devices} dispositivos, {switches} pontes/switches",
        "en": "{hosts}: {devices} devices, {switches} bridges/switches",
    },
    "topo.legend": {
        "gl": "Liñas: porto dunha ponte (tag = VLAN) · trazos: parella veth · punteado: "
              "dispositivo sobre outro (VLAN, macvtap). Gris: apagado (DOWN).",
        "en": "Lines: bridge port (tag = VLAN) · dashes: veth pair · dots: device on top of "
              "another (VLAN, macvtap). Grey: DOWN.",
    },
    "vlan.frame.dst": {"gl": "MAC destino", "en": "Destination MAC"},
    "vlan.frame.src": {"gl": "MAC orixe", "en": "Source MAC"},
    "vlan.frame.tpid": {"gl": "TPID 0x8100", "en": "TPID 0x8100"},
    "vlan.frame.tci": {"gl": "TCI", "en": "TCI"},
    "vlan.frame.type": {"gl": "Tipo", "en": "Type"},
    "vlan.frame.payload": {"gl": "Datos", "en": "Payload"},
    "vlan.frame.fcs": {"gl": "FCS (recalculado)", "en": "FCS (recomputed)"},
    "vlan.frame.bytes": {"gl": "{n} bytes", "en": "{n} bytes"},
    "vlan.frame.tag_bits": {
        "gl": "TCI = PCP {pcp} (prioridade, 3 bits) · DEI {dei} (1 bit) · VID {vid} (12 bits)",
        "en": "TCI = PCP {pcp} (priority, 3 bits) · DEI {dei} (1 bit) · VID {vid} (12 bits)",
    },
    "vlan.frame.untagged": {
        "gl": "Trama sen etiqueta: despois das MAC vén directamente o tipo.",
        "en": "Untagged frame: the type comes right after the MACs.",
    },
    "vlan.frame.tagged": {
        "gl": "Trama etiquetada: 4 bytes (TPID + TCI) entre a MAC orixe e o tipo.",
        "en": "Tagged frame: 4 bytes (TPID + TCI) between the source MAC and the type.",
    },
    "vlan.walk.in_access_untagged": {
        "gl": "Entra sen etiqueta por un porto de acceso: o switch métea na VLAN {vid}.",
        "en": "It comes in untagged on an access port: the switch puts it in VLAN {vid}.",
    },
    "vlan.walk.in_access_tagged": {
        "gl": "Entra etiquetada (VLAN {vid}) por un porto de acceso, que só acepta tramas sen "
              "etiqueta: descártase.",
        "en": "It comes in tagged (VLAN {vid}) on an access port, which only takes untagged "
              "frames: dropped.",
    },
    "vlan.walk.in_trunk_ok": {
        "gl": "Entra etiquetada coa VLAN {vid} por un trunk que a admite.",
        "en": "It comes in tagged with VLAN {vid} on a trunk that carries it.",
    },
    "vlan.walk.in_trunk_refused": {
        "gl": "Entra coa VLAN {vid} por un trunk que só leva {vids}: descártase.",
        "en": "It comes in with VLAN {vid} on a trunk that only carries {vids}: dropped.",
    },
    "vlan.walk.in_trunk_untagged": {
        "gl": "Entra sen etiqueta por un trunk sen VLAN nativa: descártase.",
        "en": "It comes in untagged on a trunk without a native VLAN: dropped.",
    },
    "vlan.walk.in_trunk_native": {
        "gl": "Entra sen etiqueta por un trunk: vai á súa VLAN nativa {vid}.",
        "en": "It comes in untagged on a trunk: it goes to the trunk's native VLAN {vid}.",
    },
    "vlan.walk.out_access": {
        "gl": "Sae por un porto de acceso da VLAN {vid}: quítaselle a etiqueta.",
        "en": "It leaves by an access port of VLAN {vid}: the tag is removed.",
    },
    "vlan.walk.out_access_other": {
        "gl": "O porto de saída é de acceso á VLAN {port_vid}, non á {vid}: non sae por el.",
        "en": "The way out is an access port of VLAN {port_vid}, not {vid}: it does not leave "
              "there.",
    },
    "vlan.walk.out_trunk": {
        "gl": "Sae por un trunk: leva a etiqueta da VLAN {vid}.",
        "en": "It leaves by a trunk: it carries the tag of VLAN {vid}.",
    },
    "vlan.walk.out_trunk_refused": {
        "gl": "O trunk de saída non leva a VLAN {vid} (só {vids}): non sae por el.",
        "en": "The trunk on the way out does not carry VLAN {vid} (only {vids}): it does not leave "
              "there.",
    },
    "vlan.walk.out_native": {
        "gl": "Sae polo trunk na súa VLAN nativa {vid}: vai sen etiqueta.",
        "en": "It leaves by the trunk in its native VLAN {vid}: it goes untagged.",
    },
    "vlan.port.access": {
        "gl": "acceso (untagged), VLAN {vid}",
        "en": "access (untagged), VLAN {vid}",
    },
    "vlan.port.trunk": {"gl": "trunk (tagged), VLAN {vids}", "en": "trunk (tagged), VLANs {vids}"},
    "vlan.explorer.vid": {"gl": "VID", "en": "VID"},
    "vlan.explorer.pcp": {"gl": "PCP", "en": "PCP"},
    "vlan.explorer.dei": {"gl": "DEI", "en": "DEI"},
    "vlan.explorer.in": {"gl": "Entra por", "en": "In on"},
    "vlan.explorer.out": {"gl": "Sae por", "en": "Out by"},
    "vlan.explorer.tagged_in": {"gl": "chega etiquetada", "en": "arrives tagged"},
}
