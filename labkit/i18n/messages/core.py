"""Messages of the grading core: statuses, report words, host and probe errors, files, qemu-img."""

MESSAGES: dict[str, dict[str, str]] = {
    # statuses and report words
    "status.passed": {"gl": "superada", "en": "passed"},
    "status.failed": {"gl": "fallada", "en": "failed"},
    "status.blocked": {"gl": "bloqueada", "en": "blocked"},
    "status.error": {"gl": "erro", "en": "error"},
    "report.check": {"gl": "Comprobación", "en": "Check"},
    "report.status": {"gl": "Estado", "en": "Status"},
    "report.points": {"gl": "Puntos", "en": "Points"},
    "report.message": {"gl": "Mensaxe", "en": "Message"},
    "report.score": {"gl": "Puntuación", "en": "Score"},
    "report.hint": {"gl": "Pista", "en": "Hint"},
    # a check that was not judged: never its success sentence alone
    "blocked.requires": {
        "gl": "Sen comprobar ata superar {ids}. Comprobará: {check}",
        "en": "Not checked until {ids} passes. It will check: {check}",
    },
    "error.probe": {
        "gl": "Sen comprobar: non se puido ler o estado da máquina ({reason}). Comprobará: {check}",
        "en": "Not checked: the lab host's state could not be read ({reason}). "
              "It will check: {check}",
    },
    "error.host": {
        "gl": "Non se puido corrixir na máquina {host}: {reason}",
        "en": "Could not grade on host {host}: {reason}",
    },
    # files
    "file.exists": {"gl": "{path} existe.", "en": "{path} exists."},
    "file.missing": {"gl": "Non existe {path}.", "en": "{path} does not exist."},
    "file.not_file": {
        "gl": "{path} existe pero é {type}, non un ficheiro normal.",
        "en": "{path} exists but is a {type}, not a regular file.",
    },
    "file.not_directory": {
        "gl": "{path} existe pero é {type}, non un directorio.",
        "en": "{path} exists but is a {type}, not a directory.",
    },
    # qemu-img
    "qemu_img.missing": {
        "gl": "Non existe a imaxe {path}.",
        "en": "The image {path} does not exist.",
    },
    "qemu_img.backing_missing": {
        "gl": "A imaxe {path} depende dun ficheiro base que xa non existe: {missing}.",
        "en": "The image {path} depends on a backing file that no longer exists: {missing}.",
    },
    "qemu_img.format_ok": {
        "gl": "{path} está en formato {format}.",
        "en": "{path} is in {format} format.",
    },
    "qemu_img.format_wrong": {
        "gl": "{path} non está en formato {format} (parece {found}).",
        "en": "{path} is not in {format} format (it looks like {found}).",
    },
    "qemu_img.size_ok": {
        "gl": "{path} ten un tamaño virtual de {size}.",
        "en": "{path} has a virtual size of {size}.",
    },
    "qemu_img.size_wrong": {
        "gl": "{path} ten un tamaño virtual de {found}; agardábase {size}.",
        "en": "{path} has a virtual size of {found}; {size} was expected.",
    },
    "qemu_img.backing_ok": {
        "gl": "{path} ten como base {backing} ({backing_format}).",
        "en": "{path} is backed by {backing} ({backing_format}).",
    },
    "qemu_img.backing_none": {
        "gl": "{path} non ten ficheiro base; agardábase {backing}.",
        "en": "{path} has no backing file; {backing} was expected.",
    },
    "qemu_img.backing_wrong": {
        "gl": "{path} ten como base {found}; agardábase {backing}.",
        "en": "{path} is backed by {found}; {backing} was expected.",
    },
    "qemu_img.backing_format_wrong": {
        "gl": "{path} declara o formato da base como {found}; agardábase {backing_format}.",
        "en": "{path} declares its backing format as {found}; {backing_format} was expected.",
    },
    "qemu_img.independent_ok": {
        "gl": "{path} é un disco independente (sen ficheiro base).",
        "en": "{path} is an independent disk (no backing file).",
    },
    "qemu_img.independent_wrong": {
        "gl": "{path} aínda depende de {found}: non é un disco independente.",
        "en": "{path} still depends on {found}: it is not an independent disk.",
    },
    "qemu_img.data_ok": {
        "gl": "{path} garda {found} de datos propios.",
        "en": "{path} holds {found} of data of its own.",
    },
    "qemu_img.data_too_little": {
        "gl": "{path} garda só {found} de datos propios; agardábanse polo menos {min}.",
        "en": "{path} holds only {found} of data of its own; at least {min} was expected.",
    },
    "qemu_img.data_too_much": {
        "gl": "{path} aínda garda {found} de datos propios; agardábase como moito {max}.",
        "en": "{path} still holds {found} of data of its own; at most {max} was expected.",
    },
}
