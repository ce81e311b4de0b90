"""Messages of the repair drills' check kinds (LVM health, file contents, iSCSI sessions)."""
# ruff: noqa: E501  (messages are prose: one line each reads better than split strings)

MESSAGES: dict[str, dict[str, str]] = {
    # -- volume groups and RAID
    "drills.vg_missing": {
        "gl": "Non existe o grupo de volumes {vg}.",
        "en": "The volume group {vg} does not exist.",
    },
    "drills.lv_missing": {
        "gl": "Non existe o volume lóxico {vg}/{lv}.",
        "en": "The logical volume {vg}/{lv} does not exist.",
    },
    "drills.vg_pv_missing": {
        "gl": "Ao grupo {vg} fáltanlle {count} volumes físicos (pvs amósaos como [unknown]): os seus datos non están en ningún disco presente.",
        "en": "The volume group {vg} is missing {count} physical volumes (pvs shows them as [unknown]): their data is on no disk that is present.",
    },
    "drills.vg_complete": {
        "gl": "Todos os volumes físicos do grupo {vg} están presentes ({pvs}).",
        "en": "Every physical volume of the volume group {vg} is present ({pvs}).",
    },
    "drills.raid_not": {
        "gl": "{vg}/{lv} é un volume {found}, non un RAID 1: xa non ten copia.",
        "en": "{vg}/{lv} is a {found} volume, not a RAID 1: it has no copy any more.",
    },
    "drills.raid_legs": {
        "gl": "O RAID 1 {vg}/{lv} ten {found} copias; agardábanse {images}.",
        "en": "The RAID 1 {vg}/{lv} has {found} copies; {images} were expected.",
    },
    "drills.raid_leg_lost": {
        "gl": "O RAID 1 {vg}/{lv} perdeu unha copia ({legs}; estado: {health}): o seu disco desapareceu e segue a funcionar cun só disco.",
        "en": "The RAID 1 {vg}/{lv} lost a copy ({legs}; health: {health}): its disk vanished and it runs on one disk only.",
    },
    "drills.raid_unhealthy": {
        "gl": "O RAID 1 {vg}/{lv} non está san: lvs di «{health}».",
        "en": "The RAID 1 {vg}/{lv} is not healthy: lvs says \"{health}\".",
    },
    "drills.raid_syncing": {
        "gl": "O RAID 1 {vg}/{lv} aínda copia datos entre as súas copias ({sync} %, acción: {action}).",
        "en": "The RAID 1 {vg}/{lv} is still copying data between its copies ({sync} %, action: {action}).",
    },
    "drills.raid_ok": {
        "gl": "O RAID 1 {vg}/{lv} ten as {images} copias sincronizadas en discos presentes ({disks}).",
        "en": "The RAID 1 {vg}/{lv} has its {images} copies in sync on disks that are present ({disks}).",
    },
    # -- thin pools and monitoring
    "drills.pool_not": {
        "gl": "{vg}/{lv} é un volume {found}, non un thin pool.",
        "en": "{vg}/{lv} is a {found} volume, not a thin pool.",
    },
    "drills.pool_full": {
        "gl": "O thin pool {vg}/{lv} está cheo (datos ao {data} %, estado: {health}): as escrituras nos seus thin volumes fallan.",
        "en": "The thin pool {vg}/{lv} is full (data at {data} %, health: {health}): writes to its thin volumes fail.",
    },
    "drills.pool_nearly_full": {
        "gl": "O thin pool {vg}/{lv} vai case cheo: datos ao {data} % e metadatos ao {meta} %; debería quedar por debaixo do {below} %.",
        "en": "The thin pool {vg}/{lv} is nearly full: data at {data} % and metadata at {meta} %; it should stay under {below} %.",
    },
    "drills.pool_ok": {
        "gl": "O thin pool {vg}/{lv} ten sitio: datos ao {data} %, metadatos ao {meta} % (menos do {below} %).",
        "en": "The thin pool {vg}/{lv} has room: data at {data} %, metadata at {meta} % (under {below} %).",
    },
    "drills.not_monitored": {
        "gl": "dmeventd non vixía {vg}/{lv} (Monitor: {found}): ninguén o ampliará nin reparará só.",
        "en": "dmeventd does not watch {vg}/{lv} (Monitor: {found}): nobody will grow or repair it automatically.",
    },
    "drills.monitored": {
        "gl": "dmeventd vixía {vg}/{lv}.",
        "en": "dmeventd watches {vg}/{lv}.",
    },
    # -- data kept
    "drills.file_missing": {
        "gl": "Non existe o ficheiro {path}: os datos que había que conservar non están.",
        "en": "The file {path} does not exist: the data that had to be kept is not there.",
    },
    "drills.file_unreadable": {
        "gl": "Non se pode ler {path} (erro de entrada/saída ou permisos).",
        "en": "{path} cannot be read (an input/output or permission error).",
    },
    "drills.file_changed": {
        "gl": "{path} xa non contén «{text}»: os datos cambiaron ou perdéronse.",
        "en": "{path} no longer holds \"{text}\": the data changed or was lost.",
    },
    "drills.file_ok": {
        "gl": "{path} conserva os seus datos («{text}»).",
        "en": "{path} keeps its data (\"{text}\").",
    },
    # -- iSCSI sessions
    "drills.session_none": {
        "gl": "O cliente non ten sesión iSCSI con {iqn} en {portal}.",
        "en": "The client has no iSCSI session with {iqn} on {portal}.",
    },
    "drills.session_down": {
        "gl": "A sesión iSCSI con {iqn} en {portal} non está conectada (sesión: {state}, conexión: {connection}): iscsid reinténtaa.",
        "en": "The iSCSI session with {iqn} on {portal} is not connected (session: {state}, connection: {connection}): iscsid keeps retrying it.",
    },
    "drills.session_ok": {
        "gl": "O cliente ten sesión iSCSI con {iqn} en {portal} (discos: {disks}).",
        "en": "The client is logged in to {iqn} on {portal} (disks: {disks}).",
    },
}
