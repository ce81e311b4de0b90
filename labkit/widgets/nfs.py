"""An /etc/exports line builder: each option explained, dangerous ones warned about.

``exports_line(path, client, options)`` builds the line (and raises ValueError for a line
exports(5) would read differently from what was meant); ``review(path, client, options)``
gives ``[(level, text)]`` advice (``warning`` for what opens the export to abuse: a world
export, ``rw`` to everybody, ``no_root_squash``, ``insecure``, ``sec=sys`` where Kerberos
was possible…); ``explain_option`` says what one option does. ``exports_html`` renders it all,
escaped. ``ExportsBuilder`` is the ipywidgets form.
"""

from __future__ import annotations

import re
from typing import Any

from labkit.probes.nfs import effective, setting
from labkit.widgets.html import FONT, MONO, esc, message
from labkit.widgets.view import View

OPTIONS: dict[str, dict[str, str]] = {
    "rw": {"gl": "lectura e escritura", "en": "read and write"},
    "ro": {"gl": "só lectura (o valor por defecto)", "en": "read-only (the default)"},
    "sync": {"gl": "o servidor confirma unha escritura só cando xa está no disco (por defecto)",
             "en": "the server confirms a write only once it is on disk (the default)"},
    "async": {"gl": "o servidor confirma antes de escribir no disco: máis rápido, pero un "
                    "corte de luz perde datos que o cliente cría gardados",
              "en": "the server confirms before writing to disk: faster, but a power cut loses "
                    "data the client believed saved"},
    "root_squash": {"gl": "o root do cliente trátase como nobody (por defecto)",
                    "en": "the client's root is treated as nobody (the default)"},
    "no_root_squash": {"gl": "root do cliente é tamén root no servidor",
                       "en": "the client's root is root on the server too"},
    "all_squash": {"gl": "todos os usuarios do cliente trátanse como nobody (ou anonuid)",
                   "en": "every client user is treated as nobody (or anonuid)"},
    "no_all_squash": {"gl": "os usuarios normais conservan o seu uid (por defecto)",
                      "en": "ordinary users keep their uid (the default)"},
    "secure": {"gl": "o cliente ten que conectar desde un porto < 1024 (por defecto)",
               "en": "the client must connect from a port below 1024 (the default)"},
    "insecure": {"gl": "acepta conexións desde calquera porto, tamén de usuarios sen privilexios",
                 "en": "accepts connections from any port, unprivileged users' too"},
    "subtree_check": {"gl": "comproba que cada ficheiro pedido está dentro do exportado (lento, "
                            "problemas ao renomear)",
                      "en": "checks that every file asked for lies inside the export (slow, "
                            "trouble with renames)"},
    "no_subtree_check": {"gl": "sen esa comprobación (por defecto, o recomendado)",
                         "en": "without that check (the default, recommended)"},
    "fsid": {"gl": "identifica o sistema exportado; fsid=0 marca a raíz do pseudo-sistema NFSv4 "
                   "(os clientes v4 montan server:/ e ven o resto debaixo)",
             "en": "identifies the exported filesystem; fsid=0 marks the root of the NFSv4 "
                   "pseudo-filesystem (v4 clients mount server:/ and see the rest under it)"},
    "crossmnt": {"gl": "os sistemas montados debaixo tamén se ven",
                 "en": "filesystems mounted below are visible too"},
    "nohide": {"gl": "un sistema montado debaixo doutro exportado vese (NFSv3)",
               "en": "a filesystem mounted below another exported one is visible (NFSv3)"},
    "sec": {"gl": "seguridade: sys (uid/gid do cliente, sen autenticar), krb5 (Kerberos), "
                  "krb5i (+ integridade), krb5p (+ cifrado)",
            "en": "security: sys (the client's uid/gid, unauthenticated), krb5 (Kerberos), "
                  "krb5i (+ integrity), krb5p (+ encryption)"},
    "anonuid": {"gl": "uid que reciben os usuarios rebaixados (squash)",
                "en": "uid squashed users are given"},
    "anongid": {"gl": "gid que reciben os usuarios rebaixados (squash)",
                "en": "gid squashed users are given"},
}

T: dict[str, dict[str, str]] = {
    "unknown": {"gl": "opción descoñecida para exports(5)", "en": "not an exports(5) option"},
    "world": {"gl": "Exportado a todo o mundo (*): calquera máquina que chegue ao servidor pode "
                    "montalo. Pon unha rede (192.168.100.0/24) ou un nome de máquina.",
              "en": "Exported to the whole world (*): any machine that reaches the server can "
                    "mount it. Give a network (192.168.100.0/24) or a host name."},
    "world_rw": {"gl": "E ademais con escritura (rw): calquera pode cambiar ou borrar os datos.",
                 "en": "And writable (rw) at that: anyone can change or delete the data."},
    "no_root_squash": {"gl": "no_root_squash: o root de calquera cliente é root nos teus "
                             "ficheiros (pode deixar un binario setuid ou ler todo). Úsao só "
                             "para clientes nos que confíes plenamente.",
                       "en": "no_root_squash: root on any client is root on your files (it can "
                             "plant a setuid binary or read everything). Use it only for clients "
                             "you trust completely."},
    "insecure": {"gl": "insecure: un usuario sen privilexios do cliente pode falar co servidor "
                       "desde un porto alto e facerse pasar por outro uid.",
                 "en": "insecure: an unprivileged user on the client can talk to the server "
                       "from a high port and claim any uid."},
    "async": {"gl": "async: rápido, pero unha caída do servidor perde escrituras xa confirmadas.",
              "en": "async: fast, but a server crash loses writes already confirmed."},
    "sec_sys": {"gl": "sec=sys confía no uid que di o cliente; con Kerberos (sec=krb5p) o "
                      "usuario autentícase e o tráfico vai cifrado.",
                "en": "sec=sys trusts whatever uid the client claims; with Kerberos "
                      "(sec=krb5p) users authenticate and the traffic is encrypted."},
    "krb4": {"gl": "{option}: non existe; son krb5, krb5i e krb5p (un erro común ao copiar).",
             "en": "{option}: no such thing; they are krb5, krb5i and krb5p (a common typo)."},
    "space": {"gl": "Hai un espazo entre o cliente e o paréntese: exports(5) lería «{client}» "
                    "coas opcións por defecto e «({options})» para TODO o mundo.",
              "en": "There is a space between the client and the parenthesis: exports(5) would "
                    "read \"{client}\" with default options and \"({options})\" for EVERYONE."},
    "fsid0": {"gl": "fsid=0: este é a raíz NFSv4; os clientes v4 montan server:/ (non o camiño "
                    "completo) e as outras exportacións aparecen debaixo del.",
              "en": "fsid=0: this is the NFSv4 root; v4 clients mount server:/ (not the full "
                    "path) and the other exports appear below it."},
    "sync_missing": {"gl": "Sen sync nin async, exportfs usa sync pero avisa: escríbeo.",
                     "en": "With neither sync nor async, exportfs uses sync but warns: write "
                           "it."},
    "conflict": {"gl": "{a} e {b} contradinse: gaña o último ({b}).",
                 "en": "{a} and {b} contradict each other: the last one ({b}) wins."},
    "path": {"gl": "O camiño ten que ser absoluto (/srv/nfs/...).",
             "en": "The path must be absolute (/srv/nfs/...)."},
    "line": {"gl": "Liña de /etc/exports", "en": "/etc/exports line"},
    "apply": {"gl": "Despois: exportfs -ra (aplica /etc/exports) e exportfs -v (mira o que se "
                    "exporta).",
              "en": "Then: exportfs -ra (apply /etc/exports) and exportfs -v (see what is "
                    "exported)."},
}


def tr(key: str, lang: str, **values: Any) -> str:
    entry = T[key]
    return entry.get(lang, entry["en"]).format(**values)


def split_options(options: str | list[str]) -> list[str]:
    if isinstance(options, str):
        return [o.strip() for o in options.split(",") if o.strip()]
    return [o.strip() for o in options if o.strip()]


def exports_line(path: str, client: str, options: str | list[str]) -> str:
    """``/srv/nfs 192.168.100.0/24(rw,sync,no_subtree_check)``; ValueError for a relative path
    or a client with spaces (which exports(5) would split)."""
    if not path.startswith("/"):
        raise ValueError("the path must be absolute")
    client = client.strip() or "*"
    if re.search(r"\s", client):
        raise ValueError("a client has no spaces")
    quoted = f'"{path}"' if re.search(r"\s", path) else path
    opts = ",".join(split_options(options))
    return f"{quoted} {client}({opts})" if opts else f"{quoted} {client}"


def explain_option(option: str, lang: str) -> str:
    name = option.partition("=")[0]
    entry = OPTIONS.get(option) or OPTIONS.get(name)
    return entry.get(lang, entry["en"]) if entry else tr("unknown", lang)


def review(path: str, client: str, options: str | list[str],
           lang: str) -> list[tuple[str, str]]:
    """Advice on an export: ``[("warning"|"note", text)]``, dangerous things first."""
    opts = split_options(options)
    values = effective(opts)
    out: list[tuple[str, str]] = []
    if not path.startswith("/"):
        out.append(("failed", tr("path", lang)))
    host = client.strip()
    if host in ("", "*") or (host.startswith("*") and "." not in host) or host == "0.0.0.0/0":
        out.append(("warning", tr("world", lang)))
        if values["ro"] == "rw":
            out.append(("warning", tr("world_rw", lang)))
    if values["root_squash"] == "no_root_squash":
        out.append(("warning", tr("no_root_squash", lang)))
    if values["secure"] == "insecure":
        out.append(("warning", tr("insecure", lang)))
    for option in opts:
        name, _, value = option.partition("=")
        if name == "sec" and re.search(r"krb4", value):
            out.append(("failed", tr("krb4", lang, option=option)))
    if values["sync"] == "async":
        out.append(("warning", tr("async", lang)))
    if not any(setting(o)[0] == "sync" for o in opts):
        out.append(("note", tr("sync_missing", lang)))
    if values.get("sec", "sys") == "sys":
        out.append(("note", tr("sec_sys", lang)))
    if values.get("fsid") in ("0", "root"):
        out.append(("note", tr("fsid0", lang)))
    seen: dict[str, str] = {}
    for option in opts:
        key, val = setting(option)
        if key in seen and seen[key] != val and "=" not in option:
            out.append(("note", tr("conflict", lang, a=seen[key], b=val)))
        seen[key] = val
    return out


def review_line(line: str, lang: str) -> list[tuple[str, str]]:
    """Advice on a line as written: also the classic ``host (rw)`` space."""
    out = []
    match = re.search(r"(\S+)\s+\(([^)]*)\)", line)
    if match and not match.group(1).startswith("/"):
        out.append(("warning", tr("space", lang, client=match.group(1),
                                  options=match.group(2))))
    return out


def exports_html(path: str, client: str, options: str | list[str], lang: str) -> str:
    parts = [f'<div style="{FONT}">']
    try:
        line = exports_line(path, client, options)
        parts.append(f'<div>{esc(tr("line", lang))}:</div><pre style="{MONO} margin: 2px 0;">'
                     f"{esc(line)}</pre>")
    except ValueError as exc:
        parts.append(message(str(exc), "failed"))
    rows = "".join(f"<tr><td style=\"padding: 1px 8px;\"><code>{esc(o)}</code></td>"
                   f"<td>{esc(explain_option(o, lang))}</td></tr>"
                   for o in split_options(options))
    if rows:
        parts.append(f'<table style="border-collapse: collapse;">{rows}</table>')
    for level, text in review(path, client, options, lang):
        parts.append(message(text, level))
    parts.append(f'<div style="opacity: 0.7;">{esc(tr("apply", lang))}</div>')
    return "".join(parts) + "</div>"


class ExportsBuilder(View):
    """Path, client and options in; the /etc/exports line and its review out."""

    def __init__(self, lang: str, path: str = "/srv/nfs", client: str = "192.168.100.0/24",
                 options: str = "rw,sync,no_subtree_check") -> None:
        import ipywidgets as w

        self.lang = lang
        self.path = w.Text(value=path, description="path")
        self.client = w.Text(value=client, description="client")
        self.options = w.Text(value=options, description="options",
                              layout=w.Layout(width="36em"))
        self.output = w.HTML()
        for field in (self.path, self.client, self.options):
            field.observe(lambda _c: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.path, self.client]), self.options, self.output])
        self.update()

    def update(self) -> None:
        self.output.value = exports_html(self.path.value, self.client.value,
                                         self.options.value, self.lang)

    def text(self) -> str:
        try:
            line = exports_line(self.path.value, self.client.value, self.options.value)
        except ValueError as exc:
            line = str(exc)
        warnings = [t for level, t in review(self.path.value, self.client.value,
                                             self.options.value, self.lang)
                    if level in ("warning", "failed")]
        return f"{line}\n" + "\n".join(f"! {w}" for w in warnings)


__all__ = ["ExportsBuilder", "explain_option", "exports_html", "exports_line", "review",
           "review_line", "split_options"]
