"""What a class needs from a VM platform: the small interface every backend implements.

A *backend* is one hypervisor reached through its own API (libvirt today: see
:mod:`labkit.sandbox.libvirt`; Proxmox VE through ``proxmoxer`` would be another). The class
layer (:mod:`labkit.sandbox.classroom`) only speaks this interface:

- ``free_memory_mb()``: what placement compares (a student's whole lab goes to one hypervisor);
- ``prepare(image)``: the image and its warm state on the hypervisor (done once per image);
- ``create_lab(plan)``: define and start every VM of one student's lab from the warm state
  (define + revert; never a cold boot), return where each VM's SSH is;
- ``reset_vm(plan, host)``: one VM back to the warm state;
- every VM started or reset gets its machine id and SSH host key from the plan's
  ``identities`` (VMs restored from one warm state would share the image's); the public
  host key is reported in its ``VMInfo.host_key``;
- ``destroy_lab(lab)``: every domain, volume and forward of that lab gone;
- ``labs()``: the labs this backend finds on its hypervisor (for status and clean-up).

Lab VMs keep SSH on the hypervisor's loopback; ``jump_url`` is the ``ssh://`` URL labkit uses
as the jump host (``via=``) to reach them.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from labkit.sandbox.guest import VMIdentity
from labkit.sandbox.topology import Topology

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LabPlan:
    """One student's lab as the class layer asks for it."""

    lab: str                 # unique on the hypervisor, e.g. ``CLASS-STUDENT``
    topology: Topology
    pubkey: str              # the SSH public key the lab's VMs accept
    memory_mb: int = 1024
    #: host name -> its identity (machine id, SSH host key), given at every start and reset
    identities: Mapping[str, VMIdentity] = field(default_factory=dict)


@dataclass(frozen=True)
class VMInfo:
    """One VM of a lab, as a backend reports it."""

    lab: str
    host: str                # host name in the topology (server, client…)
    role: str
    domain: str              # the backend's own name for the VM
    state: str               # running | paused | shut off | missing…
    ssh_port: int            # on the hypervisor's loopback
    lab_ip: str = ""
    host_key: str = ""       # the VM's own public SSH host key (``ssh-ed25519 …``), if known


@dataclass
class LabInfo:
    lab: str
    vms: dict[str, VMInfo] = field(default_factory=dict)


class Backend(abc.ABC):
    """One hypervisor. Creating it connects to nothing; methods connect on first use."""

    uri: str = ""

    @abc.abstractmethod
    def free_memory_mb(self) -> int:
        """Memory the hypervisor can still give to new VMs, in MiB."""

    @abc.abstractmethod
    def prepare(self, progress: Progress) -> None:
        """Make the lab image and its warm state available on the hypervisor."""

    @abc.abstractmethod
    def create_lab(self, plan: LabPlan, progress: Progress) -> LabInfo:
        """Define and start every VM of ``plan`` from the warm state; SSH ready soon after."""

    @abc.abstractmethod
    def reset_vm(self, plan: LabPlan, host: str, progress: Progress) -> VMInfo:
        """Bring one VM of a lab back to the warm state (disks and memory)."""

    @abc.abstractmethod
    def destroy_lab(self, lab: str) -> None:
        """Remove every VM, volume and forward of ``lab``. Safe to repeat."""

    @abc.abstractmethod
    def labs(self) -> dict[str, LabInfo]:
        """The labkit labs found on the hypervisor, by lab name."""

    def close(self) -> None:  # noqa: B027 - optional for backends that hold nothing
        """Release the connection, if any."""
