"""Messages of the storage widgets: the LVM map and extent calculator, the exports(5) builder, the
IQN builder and the iSCSI target diagram.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "lvm_map.vg": {
        "gl": "Grupo de volumes {name}: {size}, extensións de {extent} ({used} usadas de "
              "{extents}, {free} libres)",
        "en": "Volume group {name}: {size}, extents of {extent} ({used} used of {extents}, {free} "
              "free)",
    },
    "lvm_map.pv_free": {"gl": "PV sen grupo (libre)", "en": "PV in no group (free)"},
    "lvm_map.no_lvm": {
        "gl": "Non hai ningún volume físico (PV) nesta máquina.",
        "en": "There is no physical volume (PV) on this host.",
    },
    "lvm_map.free": {"gl": "libre", "en": "free"},
    "lvm_map.linear": {"gl": "lineal", "en": "linear"},
    "lvm_map.striped": {"gl": "en bandas (stripes) sobre {n} PV", "en": "striped over {n} PVs"},
    "lvm_map.mirror": {"gl": "espello (RAID1), {n} copias", "en": "mirror (RAID1), {n} copies"},
    "lvm_map.raid": {"gl": "RAID ({type})", "en": "RAID ({type})"},
    "lvm_map.snapshot": {
        "gl": "snapshot de {origin}, {pct}% usado",
        "en": "snapshot of {origin}, {pct}% used",
    },
    "lvm_map.invalid": {
        "gl": "snapshot de {origin}: INVÁLIDO (encheuse, xa non serve)",
        "en": "snapshot of {origin}: INVALID (it filled up and is now useless)",
    },
    "lvm_map.pool": {
        "gl": "thin pool: datos {data}% usados, metadatos {meta}%",
        "en": "thin pool: data {data}% used, metadata {meta}%",
    },
    "lvm_map.thin": {
        "gl": "volume thin en {pool} (tamaño virtual), {pct}% escrito",
        "en": "thin volume in {pool} (virtual size), {pct}% written",
    },
    "lvm_map.inactive": {"gl": "inactivo", "en": "inactive"},
    "lvm_map.calc_extents": {
        "gl": "{size} son {extents} extensións de {extent}",
        "en": "{size} is {extents} extents of {extent}",
    },
    "lvm_map.calc_rounded": {
        "gl": "LVM redondea cara arriba: o volume terá {rounded} ({extents} extensións).",
        "en": "LVM rounds up: the volume will be {rounded} ({extents} extents).",
    },
    "lvm_map.calc_stripes": {
        "gl": "Con {stripes} bandas, o número de extensións ten que ser múltiplo de {stripes}: "
              "{extents}.",
        "en": "With {stripes} stripes the extent count must be a multiple of {stripes}: {extents}.",
    },
    "lvm_map.calc_mirror": {
        "gl": "Cun espello de {copies} copias ocupa {total} extensións no VG (máis unha de "
              "metadatos por copia).",
        "en": "A mirror of {copies} copies takes {total} extents of the VG (plus one metadata "
              "extent per copy).",
    },
    "lvm_map.calc_free": {
        "gl": "Non cabe: o VG só ten {free} extensións libres.",
        "en": "It does not fit: the VG has only {free} free extents.",
    },
    "lvm_map.calc_bad": {"gl": "Non é un tamaño: {reason}", "en": "Not a size: {reason}"},
    "lvm_map.size_label": {"gl": "Tamaño (-L)", "en": "Size (-L)"},
    "lvm_map.extent_label": {"gl": "Extensión (-s)", "en": "Extent (-s)"},
    "lvm_map.stripes_label": {"gl": "Bandas (-i)", "en": "Stripes (-i)"},
    "lvm_map.mirrors_label": {"gl": "Espellos (-m)", "en": "Mirrors (-m)"},
    "exports.unknown": {
        "gl": "opción descoñecida para exports(5)",
        "en": "not an exports(5) option",
    },
    "exports.world": {
        "gl": "Exportado a todo o mundo (*): calquera máquina que chegue ao servidor pode montalo. "
              "Pon unha rede (192.168.100.0/24) ou un nome de máquina.",
        "en": "Exported to the whole world (*): any machine that reaches the server can mount it. "
              "Give a network (192.168.100.0/24) or a host name.",
    },
    "exports.world_rw": {
        "gl": "E ademais con escritura (rw): calquera pode cambiar ou borrar os datos.",
        "en": "And writable (rw) at that: anyone can change or delete the data.",
    },
    "exports.no_root_squash": {
        "gl": "no_root_squash: o root de calquera cliente é root nos teus ficheiros (pode deixar "
              "un binario setuid ou ler todo). Úsao só para clientes nos que confíes plenamente.",
        "en": "no_root_squash: root on any client is root on your files (it can plant a setuid "
              "binary or read everything). Use it only for clients you trust completely.",
    },
    "exports.insecure": {
        "gl": "insecure: un usuario sen privilexios do cliente pode falar co servidor desde un "
              "porto alto e facerse pasar por outro uid.",
        "en": "insecure: an unprivileged user on the client can talk to the server from a high "
              "port and claim any uid.",
    },
    "exports.async": {
        "gl": "async: rápido, pero unha caída do servidor perde escrituras xa confirmadas.",
        "en": "async: fast, but a server crash loses writes already confirmed.",
    },
    "exports.sec_sys": {
        "gl": "sec=sys confía no uid que di o cliente; con Kerberos (sec=krb5p) o usuario "
              "autentícase e o tráfico vai cifrado.",
        "en": "sec=sys trusts whatever uid the client claims; with Kerberos (sec=krb5p) users "
              "authenticate and the traffic is encrypted.",
    },
    "exports.krb4": {
        "gl": "{option}: non existe; son krb5, krb5i e krb5p (un erro común ao copiar).",
        "en": "{option}: no such thing; they are krb5, krb5i and krb5p (a common typo).",
    },
    "exports.space": {
        "gl": "Hai un espazo entre o cliente e o paréntese: exports(5) lería «{client}» coas "
              "opcións por defecto e «({options})» para TODO o mundo.",
        "en": "There is a space between the client and the parenthesis: exports(5) would read "
              "\"{client}\" with default options and \"({options})\" for EVERYONE.",
    },
    "exports.fsid0": {
        "gl": "fsid=0: este é a raíz NFSv4; os clientes v4 montan server:/ (non o camiño completo) "
              "e as outras exportacións aparecen debaixo del.",
        "en": "fsid=0: this is the NFSv4 root; v4 clients mount server:/ (not the full path) and "
              "the other exports appear below it.",
    },
    "exports.sync_missing": {
        "gl": "Sen sync nin async, exportfs usa sync pero avisa: escríbeo.",
        "en": "With neither sync nor async, exportfs uses sync but warns: write it.",
    },
    "exports.conflict": {
        "gl": "{a} e {b} contradinse: gaña o último ({b}).",
        "en": "{a} and {b} contradict each other: the last one ({b}) wins.",
    },
    "exports.path": {
        "gl": "O camiño ten que ser absoluto (/srv/nfs/...).",
        "en": "The path must be absolute (/srv/nfs/...).",
    },
    "exports.line": {"gl": "Liña de /etc/exports", "en": "/etc/exports line"},
    "exports.apply": {
        "gl": "Despois: exportfs -ra (aplica /etc/exports) e exportfs -v (mira o que se exporta).",
        "en": "Then: exportfs -ra (apply /etc/exports) and exportfs -v (see what is exported).",
    },
    "exports.option.rw": {"gl": "lectura e escritura", "en": "read and write"},
    "exports.option.ro": {
        "gl": "só lectura (o valor por defecto)",
        "en": "read-only (the default)",
    },
    "exports.option.sync": {
        "gl": "o servidor confirma unha escritura só cando xa está no disco (por defecto)",
        "en": "the server confirms a write only once it is on disk (the default)",
    },
    "exports.option.async": {
        "gl": "o servidor confirma antes de escribir no disco: máis rápido, pero un corte de luz "
              "perde datos que o cliente cría gardados",
        "en": "the server confirms before writing to disk: faster, but a power cut loses data the "
              "client believed saved",
    },
    "exports.option.root_squash": {
        "gl": "o root do cliente trátase como nobody (por defecto)",
        "en": "the client's root is treated as nobody (the default)",
    },
    "exports.option.no_root_squash": {
        "gl": "root do cliente é tamén root no servidor",
        "en": "the client's root is root on the server too",
    },
    "exports.option.all_squash": {
        "gl": "todos os usuarios do cliente trátanse como nobody (ou anonuid)",
        "en": "every client user is treated as nobody (or anonuid)",
    },
    "exports.option.no_all_squash": {
        "gl": "os usuarios normais conservan o seu uid (por defecto)",
        "en": "ordinary users keep their uid (the default)",
    },
    "exports.option.secure": {
        "gl": "o cliente ten que conectar desde un porto < 1024 (por defecto)",
        "en": "the client must connect from a port below 1024 (the default)",
    },
    "exports.option.insecure": {
        "gl": "acepta conexións desde calquera porto, tamén de usuarios sen privilexios",
        "en": "accepts connections from any port, unprivileged users' too",
    },
    "exports.option.subtree_check": {
        "gl": "comproba que cada ficheiro pedido está dentro do exportado (lento, problemas ao "
              "renomear)",
        "en": "checks that every file asked for lies inside the export (slow, trouble with "
              "renames)",
    },
    "exports.option.no_subtree_check": {
        "gl": "sen esa comprobación (por defecto, o recomendado)",
        "en": "without that check (the default, recommended)",
    },
    "exports.option.fsid": {
        "gl": "identifica o sistema exportado; fsid=0 marca a raíz do pseudo-sistema NFSv4 (os "
              "clientes v4 montan server:/ e ven o resto debaixo)",
        "en": "identifies the exported filesystem; fsid=0 marks the root of the NFSv4 "
              "pseudo-filesystem (v4 clients mount server:/ and see the rest under it)",
    },
    "exports.option.crossmnt": {
        "gl": "os sistemas montados debaixo tamén se ven",
        "en": "filesystems mounted below are visible too",
    },
    "exports.option.nohide": {
        "gl": "un sistema montado debaixo doutro exportado vese (NFSv3)",
        "en": "a filesystem mounted below another exported one is visible (NFSv3)",
    },
    "exports.option.sec": {
        "gl": "seguridade: sys (uid/gid do cliente, sen autenticar), krb5 (Kerberos), krb5i (+ "
              "integridade), krb5p (+ cifrado)",
        "en": "security: sys (the client's uid/gid, unauthenticated), krb5 (Kerberos), krb5i (+ "
              "integrity), krb5p (+ encryption)",
    },
    "exports.option.anonuid": {
        "gl": "uid que reciben os usuarios rebaixados (squash)",
        "en": "uid squashed users are given",
    },
    "exports.option.anongid": {
        "gl": "gid que reciben os usuarios rebaixados (squash)",
        "en": "gid squashed users are given",
    },
    "iscsi_widget.ok": {
        "gl": "{iqn} é un iqn válido: data {date}, dominio {domain}{name}.",
        "en": "{iqn} is a valid iqn: date {date}, domain {domain}{name}.",
    },
    "iscsi_widget.name": {"gl": ", nome «{name}»", "en": ", name \"{name}\""},
    "iscsi_widget.prefix": {
        "gl": "Ten que comezar por «iqn.» (en minúsculas).",
        "en": "It must start with \"iqn.\" (lower case).",
    },
    "iscsi_widget.shape": {
        "gl": "A forma é iqn.AAAA-MM.dominio.ao.reves:nome (p. ex. iqn.2026-11.lab.labkit:vms).",
        "en": "The shape is iqn.YYYY-MM.reversed.domain:name (e.g. iqn.2026-11.lab.labkit:vms).",
    },
    "iscsi_widget.month": {"gl": "O mes {month} non existe.", "en": "There is no month {month}."},
    "iscsi_widget.year": {
        "gl": "O ano {year} non ten sentido (os iqn existen desde 1990s).",
        "en": "The year {year} makes no sense (iqns date from the 1990s on).",
    },
    "iscsi_widget.upper": {
        "gl": "Só minúsculas: os iqn compáranse sen distinguir maiúsculas, pero as ferramentas "
              "(targetcli, iscsiadm) non sempre.",
        "en": "Lower case only: iqns compare case-insensitively, but the tools (targetcli, "
              "iscsiadm) do not always.",
    },
    "iscsi_widget.chars": {
        "gl": "Carácteres non permitidos (só a-z, 0-9, «.», «-» e «:»): {bad}",
        "en": "Characters not allowed (only a-z, 0-9, \".\", \"-\" and \":\"): {bad}",
    },
    "iscsi_widget.reversed": {
        "gl": "O dominio vai ao revés: {domain} parece escrito ao dereito (¿{rev}?).",
        "en": "The domain goes backwards: {domain} looks written forwards ({rev}?).",
    },
    "iscsi_widget.long": {
        "gl": "Máis de 223 bytes: demasiado longo.",
        "en": "Over 223 bytes: too long.",
    },
    "iscsi_widget.no_target": {
        "gl": "Non hai ningún target iSCSI.",
        "en": "There is no iSCSI target.",
    },
    "iscsi_widget.tpg": {"gl": "TPG {tag}", "en": "TPG {tag}"},
    "iscsi_widget.disabled": {"gl": "desactivado", "en": "disabled"},
    "iscsi_widget.luns": {"gl": "LUN", "en": "LUNs"},
    "iscsi_widget.acls": {"gl": "ACL (iniciadores admitidos)", "en": "ACLs (initiators allowed)"},
    "iscsi_widget.portals": {"gl": "Portais (IP:porto)", "en": "Portals (IP:port)"},
    "iscsi_widget.no_chap": {"gl": "sen CHAP", "en": "no CHAP"},
    "iscsi_widget.chap": {"gl": "CHAP: {user}", "en": "CHAP: {user}"},
    "iscsi_widget.none": {"gl": "ningún", "en": "none"},
    "iscsi_widget.backstores": {"gl": "Backstores", "en": "Backstores"},
}
