"""Checks: expected configuration (graders/*.yaml) compared with facts from the host."""

from labkit.checks import files, qemu_img
from labkit.checks.base import KINDS, CheckKind, Facts, Verdict

__all__ = ["KINDS", "CheckKind", "Facts", "Verdict", "files", "qemu_img"]
