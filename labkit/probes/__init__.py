"""Probes: one module per area; importing this package registers them all."""

from labkit.probes import files, qemu_img
from labkit.probes.base import PROBES, Probe, probe_from_dict

__all__ = ["PROBES", "Probe", "files", "probe_from_dict", "qemu_img"]
