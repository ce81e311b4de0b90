"""Messages of the LVM checks and of the mount checks (mounted now / at boot)."""
# ruff: noqa: E501  (messages are prose: one line each reads better than split strings)

MESSAGES: dict[str, dict[str, str]] = {
    "lvm.pv_ok": {"gl": "{device} é un volume físico de LVM.",
                  "en": "{device} is an LVM physical volume."},
    "lvm.pv_missing": {
        "gl": "{device} non é un volume físico (PV): falta o pvcreate.",
        "en": "{device} is not a physical volume (PV): pvcreate is missing.",
    },
    "lvm.pv_in_vg": {
        "gl": "{device} aínda está no grupo de volumes {found}; tiña que saír del (vgreduce).",
        "en": "{device} is still in the volume group {found}; it should have left it (vgreduce).",
    },
    "lvm.pv_wrong_vg": {
        "gl": "{device} está no grupo {found}, non en {vg}.",
        "en": "{device} is in the volume group {found}, not in {vg}.",
    },
    "lvm.vg_ok": {"gl": "Existe o grupo de volumes {vg} ({size}).",
                  "en": "The volume group {vg} exists ({size})."},
    "lvm.vg_missing": {
        "gl": "Non existe o grupo de volumes {vg}.",
        "en": "The volume group {vg} does not exist.",
    },
    "lvm.vg_pvs_wrong": {
        "gl": "O grupo {vg} está feito de {found}; agardábase {pvs} (sobra: {extra}; falta: {missing}).",
        "en": "The volume group {vg} is made of {found}; {pvs} was expected (extra: {extra}; missing: {missing}).",
    },
    "lvm.vg_extent_wrong": {
        "gl": "O grupo {vg} ten extents de {found}; agardábanse de {extent_size}.",
        "en": "The volume group {vg} has {found} extents; {extent_size} extents were expected.",
    },
    "lvm.lv_ok": {"gl": "Existe o volume lóxico {vg}/{lv} ({type}, {size}).",
                  "en": "The logical volume {vg}/{lv} exists ({type}, {size})."},
    "lvm.lv_missing": {
        "gl": "Non existe o volume lóxico {vg}/{lv}.",
        "en": "The logical volume {vg}/{lv} does not exist.",
    },
    "lvm.lv_type_wrong": {
        "gl": "{vg}/{lv} é un volume {found}; agardábase {type}.",
        "en": "{vg}/{lv} is a {found} volume; {type} was expected.",
    },
    "lvm.lv_stripes_wrong": {
        "gl": "{vg}/{lv} reparte os datos en {found} stripe(s); agardábanse {stripes}.",
        "en": "{vg}/{lv} spreads its data over {found} stripe(s); {stripes} were expected.",
    },
    "lvm.lv_mirrors_wrong": {
        "gl": "{vg}/{lv} ten {found} copia(s) extra dos datos; agardábanse {mirrors}.",
        "en": "{vg}/{lv} keeps {found} extra copy(ies) of its data; {mirrors} were expected.",
    },
    "lvm.lv_size_wrong": {
        "gl": "{vg}/{lv} mide {found}; agardábase {size}.",
        "en": "{vg}/{lv} is {found}; {size} was expected.",
    },
    "lvm.snapshot_ok": {
        "gl": "{vg}/{lv} é un snapshot válido de {origin} (usado ao {used} %).",
        "en": "{vg}/{lv} is a valid snapshot of {origin} ({used} % used).",
    },
    "lvm.snapshot_not": {
        "gl": "{vg}/{lv} non é un snapshot (é {found}); créao con lvcreate -s.",
        "en": "{vg}/{lv} is not a snapshot (it is {found}); create it with lvcreate -s.",
    },
    "lvm.snapshot_origin_wrong": {
        "gl": "{vg}/{lv} é un snapshot de {found}, non de {origin}.",
        "en": "{vg}/{lv} is a snapshot of {found}, not of {origin}.",
    },
    "lvm.snapshot_invalid": {
        "gl": "O snapshot {vg}/{lv} encheuse (os cambios superaron os seus {size}) e quedou invalidado: xa non serve.",
        "en": "The snapshot {vg}/{lv} filled up (the changes outgrew its {size}) and was invalidated: it is useless now.",
    },
    "lvm.thin_ok": {
        "gl": "{vg}/{lv} é un thin volume de {pool} (volumes thin: {virtual}; pool: {pool_size}).",
        "en": "{vg}/{lv} is a thin volume in {pool} (thin volumes: {virtual}; pool: {pool_size}).",
    },
    "lvm.thin_not": {
        "gl": "{vg}/{lv} non é un thin volume (é {found}); créao con lvcreate -T -V … {vg}/{pool}.",
        "en": "{vg}/{lv} is not a thin volume (it is {found}); create it with lvcreate -T -V … {vg}/{pool}.",
    },
    "lvm.thin_pool_wrong": {
        "gl": "{vg}/{lv} está no pool {found}, non en {pool}.",
        "en": "{vg}/{lv} lives in the pool {found}, not in {pool}.",
    },
    "lvm.thin_not_over": {
        "gl": "Os volumes thin de {pool} suman {virtual}, non máis que o pool ({pool_size}): non hai sobreasignación.",
        "en": "The thin volumes of {pool} add up to {virtual}, no more than the pool ({pool_size}): it is not over-provisioned.",
    },
    "lvm.fs_ok": {
        "gl": "O sistema de ficheiros de {vg}/{lv} ocupa todo o volume ({size}).",
        "en": "The filesystem in {vg}/{lv} fills the whole volume ({size}).",
    },
    "lvm.fs_missing": {
        "gl": "{vg}/{lv} non ten un sistema de ficheiros ext4.",
        "en": "{vg}/{lv} holds no ext4 filesystem.",
    },
    "lvm.fs_smaller": {
        "gl": "O sistema de ficheiros de {vg}/{lv} mide {found} pero o volume {size}: redimensionaches o volume sen -r.",
        "en": "The filesystem in {vg}/{lv} is {found} but the volume is {size}: the volume was resized without -r.",
    },
    "lvm.fs_larger": {
        "gl": "O sistema de ficheiros de {vg}/{lv} mide {found}, máis que o volume ({size}): está roto; reducir pide reducir antes o sistema de ficheiros.",
        "en": "The filesystem in {vg}/{lv} is {found}, larger than the volume ({size}): it is broken; shrinking needs the filesystem shrunk first.",
    },
    "lvm.autoextend_ok": {
        "gl": "lvm.conf ten a ampliación automática configurada ({settings}).",
        "en": "lvm.conf has automatic extension set up ({settings}).",
    },
    "lvm.autoextend_wrong": {
        "gl": "En lvm.conf {setting} vale {found}; agardábase {expected}.",
        "en": "In lvm.conf {setting} is {found}; {expected} was expected.",
    },
    # mounts: now (findmnt) and at boot (/etc/fstab)
    "mount.active_ok": {
        "gl": "{target} ten montado {source} ({fstype}).",
        "en": "{source} is mounted on {target} ({fstype}).",
    },
    "mount.active_missing": {
        "gl": "Non hai nada montado en {target}.",
        "en": "Nothing is mounted on {target}.",
    },
    "mount.active_source_wrong": {
        "gl": "En {target} está montado {found}; agardábase {sources}.",
        "en": "{found} is mounted on {target}; {sources} was expected.",
    },
    "mount.active_fstype_wrong": {
        "gl": "{target} está montado como {found}; agardábase {fstypes}.",
        "en": "{target} is mounted as {found}; {fstypes} was expected.",
    },
    "mount.boot_ok": {
        "gl": "/etc/fstab monta {source} en {target} ao arrincar.",
        "en": "/etc/fstab mounts {source} on {target} at boot.",
    },
    "mount.boot_missing": {
        "gl": "/etc/fstab non monta nada en {target}: tras reiniciar non estará montado.",
        "en": "/etc/fstab mounts nothing on {target}: after a reboot it will not be mounted.",
    },
    "mount.boot_source_wrong": {
        "gl": "/etc/fstab monta {found} en {target}; agardábase {sources}.",
        "en": "/etc/fstab mounts {found} on {target}; {sources} was expected.",
    },
    "mount.boot_fstype_wrong": {
        "gl": "/etc/fstab monta {target} como {found}; agardábase {fstypes}.",
        "en": "/etc/fstab mounts {target} as {found}; {fstypes} was expected.",
    },
}
