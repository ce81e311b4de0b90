"""The libvirt backend without VMs: XML, placement, the saved state's header, and define /
undefine / clean-up against libvirt's test driver (``test:///default``, no daemon)."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

libvirt = pytest.importorskip("libvirt")

from labkit.errors import SandboxError  # noqa: E402
from labkit.sandbox.backend import LabPlan  # noqa: E402
from labkit.sandbox.libvirt import (  # noqa: E402
    CPU_MODEL,
    SWITCHES,
    DomainSpec,
    ImageFiles,
    LibvirtBackend,
    domain_name,
    domain_xml,
    lab_group,
    lab_mac,
    parse_save_header,
    place,
    read_metadata,
    save_header_bytes,
    saved_domain_xml,
    volume_names,
)
from labkit.sandbox.qemu import DISK_COUNT  # noqa: E402
from labkit.sandbox.topology import get_topology  # noqa: E402

DATA = Path(__file__).parent / "data"
#: The first bytes of a real warm save image, made by ``virDomainSave`` of a lab VM under
#: Debian 12's libvirt 9.0 (header, domain XML, cookie; the memory stream is not kept).
HEADER = gzip.decompress((DATA / "warm-save-header.bin.gz").read_bytes())


def _spec(**changes: object) -> DomainSpec:
    values: dict[str, object] = dict(
        name="labkit-c1-alice-server", lab="c1-alice", host="server", role="server",
        kernel="/pool/vmlinuz", initrd="/pool/initrd.img",
        disks=tuple(f"/pool/c1-alice-server-{n}" for n in range(DISK_COUNT + 1)),
        ssh_port=42007, lab_mac="52:54:00:00:03:10", switch=lab_group(3), switch_index=3,
        uuid=str(uuid.uuid4()))
    values.update(changes)
    return DomainSpec(**values)  # type: ignore[arg-type]


# -- XML ----------------------------------------------------------------------------------------
def test_domain_xml_pins_the_hardware_and_keeps_ssh_on_loopback() -> None:
    root = ET.fromstring(domain_xml(_spec()))
    assert root.findtext("cpu/model") == CPU_MODEL
    assert root.find("cpu/model").get("fallback") == "forbid"  # type: ignore[union-attr]
    assert root.get("type") == "qemu"
    disks = root.findall("devices/disk")
    assert [d.find("target").get("dev") for d in disks] == [  # type: ignore[union-attr]
        "vd" + chr(ord("a") + i) for i in range(DISK_COUNT + 1)]
    slots = [d.find("address").get("slot") for d in disks]  # type: ignore[union-attr]
    assert len(set(slots)) == len(slots)
    args = [a.get("value") for a in root.iter("{http://libvirt.org/schemas/domain/qemu/1.0}arg")]
    netdev = args[args.index("-netdev") + 1]
    assert "restrict=on" in netdev and "hostfwd=tcp:127.0.0.1:42007-:22" in netdev
    nic = root.find("devices/interface")
    assert nic is not None and nic.get("type") == "mcast"
    assert nic.find("source/local").get("address") == "127.0.0.1"  # type: ignore[union-attr]
    assert (nic.find("source").get("address"), nic.find("source").get("port")) == (  # type: ignore[union-attr]
        "239.255.76.4", "45003")


def test_single_host_lab_nic_is_unplugged() -> None:
    root = ET.fromstring(domain_xml(_spec(switch=None)))
    nic = root.find("devices/interface")
    assert nic is not None and nic.get("type") == "udp"
    assert nic.find("source").get("address") == "127.0.0.1"  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", [{"ssh_port": 0}, {"accel": "hvf"},
                                 {"disks": ("/a",)}, {"kernel": "/a,b"}])
def test_domain_xml_refuses_bad_specs(bad: dict[str, object]) -> None:
    with pytest.raises(SandboxError):
        domain_xml(_spec(**bad))


def test_switch_groups_and_macs_are_distinct() -> None:
    with pytest.raises(SandboxError):
        lab_group(SWITCHES)
    groups = {lab_group(i) for i in range(600)}
    assert len(groups) == 600
    assert all(g.startswith("239.255.") for g, _ in groups)
    topo = get_topology("network")
    macs = {lab_mac(i, h) for i in range(600) for h in topo.hosts}
    assert len(macs) == 600 * len(topo.hosts)


# -- the saved state's header (a real one) ----------------------------------------------------
def test_save_header_round_trip_and_rewrite() -> None:
    header = parse_save_header(HEADER)
    assert header.size == len(HEADER)
    assert "<domain" in header.xml and b"<cookie>" in header.cookie
    spec = _spec()
    xml = saved_domain_xml(header.xml, spec)
    blob = save_header_bytes(header, xml)
    assert len(blob) == len(HEADER), "the migration stream after the header would move"
    again = parse_save_header(blob)
    assert again.cookie == header.cookie
    root = ET.fromstring(again.xml)
    assert root.findtext("name") == spec.name and root.findtext("uuid") == spec.uuid
    assert [d.find("source").get("file")  # type: ignore[union-attr]
            for d in root.findall("devices/disk")] == list(spec.disks)
    assert read_metadata(again.xml) == {"lab": "c1-alice", "host": "server", "role": "server",
                                        "ssh-port": "42007", "switch": "3"}
    # The virtual hardware is the saved one, untouched: machine, CPU, PCI addresses.
    saved = ET.fromstring(header.xml)
    assert root.find("os/type").get("machine") == saved.find("os/type").get("machine")  # type: ignore[union-attr]
    assert ET.tostring(root.find("cpu")) == ET.tostring(saved.find("cpu"))  # type: ignore[arg-type]
    assert [a.attrib for a in root.iter("address")] == [a.attrib for a in saved.iter("address")]


def test_save_header_refuses_what_it_does_not_know() -> None:
    with pytest.raises(SandboxError, match="libvirt save image"):
        parse_save_header(b"QFI\xfb" + HEADER[4:])
    with pytest.raises(SandboxError, match="too short"):
        parse_save_header(HEADER[:10])
    header = parse_save_header(HEADER)
    with pytest.raises(SandboxError, match="does not fit"):
        save_header_bytes(header, "<domain>" + "x" * header.data_len + "</domain>")


# -- placement --------------------------------------------------------------------------------
def test_placement_keeps_each_lab_whole_and_balances_memory() -> None:
    labs = {f"s{i}": 2048 for i in range(6)}
    placed = place(labs, {"hv1": 8192, "hv2": 8192}, reserve_mb=0)
    assert set(placed) == set(labs)
    assert sorted(list(placed.values()).count(h) for h in ("hv1", "hv2")) == [3, 3]
    uneven = place({"a": 3072, "b": 1024, "c": 1024}, {"big": 6000, "small": 2100},
                   reserve_mb=0)
    assert uneven["a"] == "big"
    assert sum(1024 for lab, h in uneven.items() if h == "small" and lab != "a") <= 2100


def test_placement_says_what_is_missing() -> None:
    with pytest.raises(SandboxError, match="add a hypervisor") as err:
        place({"a": 3072, "b": 3072}, {"hv1": 4096}, reserve_mb=512)
    assert "6144 MiB" in str(err.value)
    with pytest.raises(SandboxError, match="no hypervisor"):
        place({"a": 1}, {})


# -- against libvirt's test driver ------------------------------------------------------------
@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LibvirtBackend]:
    image = ImageFiles("testimage", tmp_path / "disk.qcow2", tmp_path / "vmlinuz",
                       tmp_path / "initrd.img")
    b = LibvirtBackend("test:///default", image=image, pool_dir=str(tmp_path / "pool"))
    b.remove_everything()  # test:///default is shared by the whole process
    yield b
    b.remove_everything()
    b.close()


def _fake_warm(b: LibvirtBackend) -> None:
    pool = b.pool()
    from labkit.sandbox.libvirt import volume_xml

    for name in (*b.image_volumes(), *volume_names(b.warm_prefix()), b.warm_prefix() + ".save"):
        pool.createXML(volume_xml(name, 1 << 20, "raw"), 0)


def test_define_list_and_destroy_a_lab(backend: LibvirtBackend) -> None:
    _fake_warm(backend)
    plan = LabPlan("c1-alice", get_topology("storage"), "ssh-ed25519 AAAA test")
    ports = set()
    switch = backend._free_switch(plan.lab)
    for host in plan.topology.hosts:
        backend._fresh_disks(plan, host)
        port = backend._free_port(ports)
        ports.add(port)
        spec = backend._spec(plan, host, port, switch)
        backend.connection().defineXML(domain_xml(spec))
    labs = backend.labs()
    assert set(labs) == {"c1-alice"}
    vms = labs["c1-alice"].vms
    assert {v.role for v in vms.values()} == {"server", "client"}
    assert len({v.ssh_port for v in vms.values()}) == 2
    assert all(v.state == "shut off" for v in vms.values())
    assert backend._free_switch(plan.lab) != switch, "a second lab gets its own switch"
    volumes = backend.pool().listVolumes()
    assert sum(n.startswith("c1-alice-") for n in volumes) == 2 * (DISK_COUNT + 1)
    # A second lab's ports do not collide with the first one's.
    assert backend._free_port(set()) not in ports

    backend.destroy_lab("c1-alice")
    assert backend.labs() == {}
    assert not [n for n in backend.pool().listVolumes() if n.startswith("c1-alice-")]
    names = [d.name() for d in backend.connection().listAllDomains(0)]
    assert domain_name("c1-alice", "server") not in names
    backend.destroy_lab("c1-alice")  # safe to repeat

    backend.remove_everything()
    with pytest.raises(libvirt.libvirtError):
        backend.connection().storagePoolLookupByName("labkit")


def test_create_lab_without_a_warm_state_is_a_clear_error(backend: LibvirtBackend) -> None:
    plan = LabPlan("c1-bob", get_topology("single"), "ssh-ed25519 AAAA test")
    with pytest.raises(SandboxError, match="no warm state yet"):
        backend.create_lab(plan, print)
    assert backend.labs() == {}


def test_unreachable_hypervisor_is_a_clear_error() -> None:
    b = LibvirtBackend("qemu+ssh://nobody@127.0.0.1:1/system?no_verify=1&keyfile=/nonexistent")
    with pytest.raises(SandboxError, match="cannot connect to the hypervisor") as err:
        b.free_memory_mb()
    assert "keyfile" not in str(err.value), "the message shows key paths"
    with pytest.raises(SandboxError, match="bad lab name"):
        LibvirtBackend("test:///default").create_lab(
            LabPlan("a/b", get_topology("single"), "k"), print)


def test_free_memory_is_read(backend: LibvirtBackend) -> None:
    assert backend.free_memory_mb() > 0


def test_a_failed_create_leaves_nothing(backend: LibvirtBackend) -> None:
    """The warm state cannot be read (the test driver has no volume download): create_lab
    says so and removes what it had defined."""
    _fake_warm(backend)
    plan = LabPlan("c1-carol", get_topology("storage"), "ssh-ed25519 AAAA test")
    with pytest.raises(SandboxError, match="cannot read the warm state"):
        backend.create_lab(plan, lambda _m: None)
    assert backend.labs() == {}
    assert not [n for n in backend.pool().listVolumes() if n.startswith("c1-carol-")]
