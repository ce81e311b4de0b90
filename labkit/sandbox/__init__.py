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

import typing as _typing

from labkit.errors import SandboxError
from labkit.lazy import attach as _attach

#: Public name -> the module defining it; imported on first use (PEP 562), so that importing
#: one module of the sandbox (``labkit.sandbox.topology`` for the CLI's choices) is cheap.
_EXPORTS = {
    "Image": "labkit.sandbox.image", "build_image": "labkit.sandbox.image",
    "current_image": "labkit.sandbox.image", "import_image": "labkit.sandbox.image",
    "Lab": "labkit.sandbox.lab", "lab_hosts": "labkit.sandbox.lab",
    "list_labs": "labkit.sandbox.lab", "running_lab": "labkit.sandbox.lab",
    "TOPOLOGIES": "labkit.sandbox.topology", "Topology": "labkit.sandbox.topology",
    "get_topology": "labkit.sandbox.topology",
}

if _typing.TYPE_CHECKING:
    from labkit.sandbox.image import Image, build_image, current_image, import_image
    from labkit.sandbox.lab import Lab, lab_hosts, list_labs, running_lab
    from labkit.sandbox.topology import TOPOLOGIES, Topology, get_topology


__getattr__, __dir__ = _attach(__name__, _EXPORTS)


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
