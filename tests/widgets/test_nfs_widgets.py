"""The /etc/exports builder: the line, the explanations and the warnings."""

from __future__ import annotations

import pytest

from labkit.probes.nfs import parse_exports
from labkit.widgets.nfs import (
    ExportsBuilder,
    explain_option,
    exports_html,
    exports_line,
    review,
    review_line,
)


def levels(path: str, client: str, options: str, lang: str = "en") -> list[str]:
    return [level for level, _ in review(path, client, options, lang)]


def test_the_line_reads_back_as_written() -> None:
    line = exports_line("/srv/nfs", "192.168.100.0/24", "rw,sync,no_subtree_check")
    assert line == "/srv/nfs 192.168.100.0/24(rw,sync,no_subtree_check)"
    entry = parse_exports(line)[0]
    assert entry["clients"] == [{"host": "192.168.100.0/24",
                                 "options": ["rw", "sync", "no_subtree_check"]}]


def test_a_path_with_spaces_is_quoted() -> None:
    line = exports_line("/srv/my share", "*", "ro")
    assert parse_exports(line)[0]["path"] == "/srv/my share"


@pytest.mark.parametrize(("path", "client"), [("srv", "*"), ("/srv", "a b")])
def test_bad_lines(path: str, client: str) -> None:
    with pytest.raises(ValueError):
        exports_line(path, client, "rw")


def test_safe_export_has_no_warning() -> None:
    assert "warning" not in levels("/srv/nfs", "192.168.100.0/24", "rw,sync,no_subtree_check")


@pytest.mark.parametrize(("client", "options", "word"), [
    ("*", "rw,sync", "whole world"),
    ("*", "rw,sync", "writable"),
    ("192.168.100.0/24", "rw,sync,no_root_squash", "no_root_squash"),
    ("192.168.100.0/24", "rw,sync,insecure", "insecure"),
    ("192.168.100.0/24", "rw,async", "async"),
])
def test_dangerous_options_warn(client: str, options: str, word: str) -> None:
    warnings = [text for level, text in review("/srv", client, options, "en")
                if level == "warning"]
    assert any(word in w for w in warnings), warnings


def test_nfs4_root_sec_and_typos() -> None:
    texts = [t for _, t in review("/srv/nfs4", "192.168.100.0/24",
                                  "rw,sync,fsid=0,sec=krb4p", "en")]
    assert any("NFSv4 root" in t for t in texts)
    assert any("krb5p" in t for t in texts)
    assert any("sec=sys" in t for _, t in review("/srv", "h", "ro,sync", "en"))
    assert not any("sec=sys" in t for _, t in review("/srv", "h", "ro,sync,sec=krb5p", "en"))


def test_space_before_parenthesis() -> None:
    assert review_line("/srv/nfs client (rw)", "en")[0][0] == "warning"
    assert review_line("/srv/nfs client(rw)", "en") == []


def test_explanations_in_both_languages() -> None:
    assert "root" in explain_option("no_root_squash", "en")
    assert "pseudo" in explain_option("fsid=0", "en")
    assert explain_option("bogus", "gl") == "opción descoñecida para exports(5)"


def test_html_escapes() -> None:
    html = exports_html("/srv/<x>", "<img>", "rw,<b>", "en")
    assert "<img>" not in html and "<x>" not in html and "<b>" not in html


def test_widget() -> None:
    view = ExportsBuilder("en", client="*", options="rw,no_root_squash")
    assert view.text().startswith("/srv/nfs *(rw,no_root_squash)")
    assert "! " in view.text()
    view.client.value = "192.168.100.20"
    view.options.value = "ro,sync"
    assert view.text().strip() == "/srv/nfs 192.168.100.20(ro,sync)"
