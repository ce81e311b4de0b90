"""Messages of the NFS checks."""
# ruff: noqa: E501  (messages are prose: one line each reads better than split strings)

MESSAGES: dict[str, dict[str, str]] = {
    "nfs.file_ok": {"gl": "/etc/exports exporta {path} a {client} ({options}).",
                    "en": "/etc/exports exports {path} to {client} ({options})."},
    "nfs.file_missing": {
        "gl": "/etc/exports non exporta {path}.",
        "en": "/etc/exports does not export {path}.",
    },
    "nfs.file_client_wrong": {
        "gl": "/etc/exports exporta {path} a {found}, pero non a {client}.",
        "en": "/etc/exports exports {path} to {found}, but not to {client}.",
    },
    "nfs.file_option_wrong": {
        "gl": "En /etc/exports, {path} para {client} ten {found} en vez de {option} (opcións escritas: {written}).",
        "en": "In /etc/exports, {path} for {client} has {found} instead of {option} (options written: {written}).",
    },
    "nfs.live_ok": {"gl": "O servidor exporta agora {path} a {client} ({options}).",
                    "en": "The server exports {path} to {client} now ({options})."},
    "nfs.live_missing": {
        "gl": "O servidor non exporta agora {path}: aplica /etc/exports con exportfs -a (ou -ra).",
        "en": "The server does not export {path} now: apply /etc/exports with exportfs -a (or -ra).",
    },
    "nfs.live_client_wrong": {
        "gl": "O servidor exporta agora {path} a {found}, pero non a {client}.",
        "en": "The server exports {path} to {found} now, but not to {client}.",
    },
    "nfs.live_option_wrong": {
        "gl": "O servidor exporta agora {path} a {client} con {found} en vez de {option}: falta exportfs -ra tras editar /etc/exports?",
        "en": "The server exports {path} to {client} with {found} instead of {option} now: was exportfs -ra forgotten after editing /etc/exports?",
    },
    "nfs.server_stopped": {
        "gl": "O servidor NFS (nfs-server) non está en marcha, así que {path} non se exporta.",
        "en": "The NFS server (nfs-server) is not running, so {path} is not exported.",
    },
    "nfs.write_ok": {
        "gl": "Root escribiu en {directory} e o ficheiro quedou de {user} (uid {uid}).",
        "en": "Root wrote in {directory} and the file belongs to {user} (uid {uid}).",
    },
    "nfs.write_refused_ok": {
        "gl": "En {directory} non se pode escribir ({error}), como debe ser.",
        "en": "{directory} refuses writes ({error}), as it should.",
    },
    "nfs.write_refused": {
        "gl": "Root non puido escribir en {directory}: {error}.",
        "en": "Root could not write in {directory}: {error}.",
    },
    "nfs.write_allowed": {
        "gl": "Root puido escribir en {directory} (como {user}): a exportación debería ser só de lectura (ro).",
        "en": "Root could write in {directory} (as {user}): the export should be read-only (ro).",
    },
    "nfs.write_not_squashed": {
        "gl": "Un ficheiro que root escribiu en {directory} é de {user} (uid {uid}), non de nobody: root non se rebaixa a nobody (falta root_squash).",
        "en": "A file root wrote in {directory} belongs to {user} (uid {uid}), not to nobody: root is not squashed (root_squash is missing).",
    },
    "nfs.write_squashed": {
        "gl": "Un ficheiro que root escribiu en {directory} é de {user} (uid {uid}): root rebáixase a nobody, e agardábase no_root_squash.",
        "en": "A file root wrote in {directory} belongs to {user} (uid {uid}): root is squashed, and no_root_squash was expected.",
    },
    "nfs.write_stale": {
        "gl": "A montaxe {directory} está obsoleta (Stale file handle): o servidor deixou de exportar ese directorio ou exporta outro no seu lugar. Desmóntaa (umount -f {directory}) e móntaa de novo.",
        "en": "The mount {directory} is stale (Stale file handle): the server stopped exporting that directory or exports another one in its place. Unmount it (umount -f {directory}) and mount it again.",
    },
    "nfs.write_no_dir": {
        "gl": "{directory} non existe ou non é un directorio.",
        "en": "{directory} does not exist or is not a directory.",
    },
}
