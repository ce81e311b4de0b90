"""The sandbox: real Debian 12 lab VMs under QEMU (KVM when it works, TCG otherwise).

Public API (what the rest of labkit uses):

* :func:`lab_hosts` ``(name=None) -> dict[role, url]``: the ``ssh://`` URLs of a running lab.
* :func:`running_lab` ``(topology, name)``: context manager for tests; always tears down.
* :class:`Lab`: ``up``, ``status``, ``reset``, ``down``, ``run``, ``ssh_argv``.
* :func:`build_image`, :func:`import_image`, :func:`current_image`: the lab image.
* :data:`TOPOLOGIES`: ``single``, ``storage``, ``network``.

The command line (``labkit image ...``, ``labkit lab ...``) is in
:mod:`labkit.cli.sandbox` (``add_commands``).
"""

from labkit.errors import SandboxError
from labkit.sandbox.image import Image, build_image, current_image, import_image
from labkit.sandbox.lab import Lab, lab_hosts, list_labs, running_lab
from labkit.sandbox.topology import TOPOLOGIES, Topology, get_topology

__all__ = [
    "TOPOLOGIES",
    "Image",
    "Lab",
    "SandboxError",
    "Topology",
    "build_image",
    "current_image",
    "get_topology",
    "import_image",
    "lab_hosts",
    "list_labs",
    "running_lab",
]
