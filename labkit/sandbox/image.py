"""The lab image: build it from Debian's packages, cache it, import and export it.

An image is a directory ``$LABKIT_CACHE/images/<id>/`` holding

* ``disk.qcow2``: the root filesystem (ext4, no partition table; read-only, mode 0444),
* ``vmlinuz`` and ``initrd.img``: booted directly by QEMU (no bootloader),
* ``ssh_host_ed25519_key.pub``: the guests' host key, so the lab's ``known_hosts`` is exact,
* ``manifest.json``: what it is (recipe id, packages, kernel, build time).

``<id>`` is :func:`recipe_hash` for a built image: a new recipe (package list, guest files,
build script version) gives a new id, and an unchanged recipe is never rebuilt. The file
``images/current`` names the image that ``labkit lab up`` uses (the last built or imported).

How a build goes (needs root and ``mmdebstrap``; no loop devices, no mounts)::

    mmdebstrap --variant=minbase --include=PACKAGES bookworm ROOTDIR   (+ customize hook)
    mkfs.ext4 -d ROOTDIR root.raw       # the tree becomes a filesystem image
    qemu-img convert -O qcow2 root.raw disk.qcow2
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.errors import SandboxError
from labkit.sandbox import guest
from labkit.sandbox.paths import cache_dir
from labkit.settings import current

# Bump when the build procedure below changes in a way that changes the image.
BUILD_VERSION = 1
ROOT_SIZE = "4G"
BUNDLE_MEMBERS = ("manifest.json", "disk.qcow2", "vmlinuz", "initrd.img",
                  "ssh_host_ed25519_key.pub")

Progress = Callable[[str], None]


def _print_progress(message: str) -> None:
    print(f"[labkit image] {message}", flush=True)


@dataclass(frozen=True)
class Image:
    """A built or imported lab image (see the module docstring for its files)."""

    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def disk(self) -> Path:
        return self.path / "disk.qcow2"

    @property
    def kernel(self) -> Path:
        return self.path / "vmlinuz"

    @property
    def initrd(self) -> Path:
        return self.path / "initrd.img"

    @property
    def host_key(self) -> str:
        """The guests' SSH host key line (``ssh-ed25519 AAAA...``)."""
        parts = (self.path / "ssh_host_ed25519_key.pub").read_text().split()
        return " ".join(parts[:2])

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "manifest.json").read_text())
        return data

    def is_complete(self) -> bool:
        return all((self.path / name).is_file() for name in BUNDLE_MEMBERS)


def recipe() -> dict[str, Any]:
    """Everything that decides the image's content."""
    return {
        "suite": guest.SUITE,
        "packages": sorted(guest.PACKAGES),
        "customize": guest.customize_script(),
        "build_version": BUILD_VERSION,
        "root_size": ROOT_SIZE,
    }


def recipe_hash() -> str:
    """A short id of :func:`recipe` (16 hex digits)."""
    blob = json.dumps(recipe(), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def images_dir() -> Path:
    return cache_dir() / "images"


@contextlib.contextmanager
def cache_lock(name: str, timeout: float = 3600.0) -> Iterator[None]:
    """Hold an exclusive lock on ``$LABKIT_CACHE/<name>.lock`` (waits at most ``timeout``)."""
    path = cache_dir() / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SandboxError(f"timed out waiting for the lock {path}") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_image() -> Image | None:
    """The image of the current recipe, if it was built already."""
    image = Image(images_dir() / recipe_hash())
    return image if image.is_complete() else None


def current_image() -> Image:
    """The image labs boot: ``images/current``, else the current recipe's build.

    Raises :class:`SandboxError` when there is none.
    """
    pointer = images_dir() / "current"
    if pointer.is_file():
        image = Image(images_dir() / pointer.read_text().strip())
        if image.is_complete():
            return image
    image_or_none = built_image()
    if image_or_none is None:
        raise SandboxError(
            "no lab image yet: run `labkit image build` (or `labkit image import FILE`)"
        )
    return image_or_none


def _set_current(image: Image) -> None:
    pointer = images_dir() / "current"
    tmp = pointer.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(image.id + "\n")
    tmp.replace(pointer)


def _run(argv: list[str], what: str, timeout: float, quiet: bool) -> None:
    try:
        result = subprocess.run(
            argv,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise SandboxError(f"{what}: {argv[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise SandboxError(f"{what} took longer than {timeout:g} s") from None
    if result.returncode != 0:
        tail = (result.stdout or "").strip().splitlines()[-5:]
        detail = (": " + " | ".join(tail)) if tail else ""
        raise SandboxError(f"{what} failed (exit {result.returncode}){detail}")


def mmdebstrap_argv(rootdir: Path, script: Path) -> list[str]:
    """The mmdebstrap command line (argv list) that makes the root tree."""
    argv = [
        "mmdebstrap",
        "--mode=root",
        "--variant=minbase",
        "--include=" + ",".join(sorted(guest.PACKAGES)),
        "--aptopt=Acquire::Retries \"3\"",
        "--dpkgopt=path-exclude=/usr/share/doc/*",
        "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        "--dpkgopt=path-exclude=/usr/share/info/*",
        f"--customize-hook=upload {script} /tmp/labkit-customize.sh",
        '--customize-hook=chroot "$1" sh /tmp/labkit-customize.sh',
        '--customize-hook=rm -f "$1/tmp/labkit-customize.sh"',
        guest.SUITE,
        str(rootdir),
    ]
    # An optional mirror (URL or one-line sources entry); mmdebstrap's default otherwise.
    mirror = current().debian_mirror
    if mirror:
        argv.append(mirror)
    return argv


def build_image(*, force: bool = False, quiet: bool = False,
                progress: Progress = _print_progress) -> Image:
    """Build the lab image for the current recipe, or return the cached one.

    ``force`` rebuilds even when cached. ``quiet`` hides mmdebstrap's own output (the step
    messages still go to ``progress``). Raises :class:`SandboxError` on any failure.
    """
    if os.geteuid() != 0:
        raise SandboxError(
            "building the lab image needs root (mmdebstrap --mode=root); "
            "or get a prebuilt image and run `labkit image import FILE`"
        )
    for tool in ("mmdebstrap", "mkfs.ext4", "qemu-img"):
        if shutil.which(tool) is None:
            raise SandboxError(f"{tool} is not installed (see scripts/apt-packages-sandbox.txt)")
    ident = recipe_hash()
    images_dir().mkdir(parents=True, exist_ok=True)
    with cache_lock("image-build"):
        image = Image(images_dir() / ident)
        if image.is_complete() and not force:
            progress(f"image {ident} is cached: {image.path}")
            _set_current(image)
            return image
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"{ident}.build-", dir=images_dir()))
        try:
            _build_into(work, ident, progress, quiet)
            manifest = json.loads((work / "manifest.json").read_text())
            manifest["build_seconds"] = round(time.monotonic() - started, 1)
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            for name in BUNDLE_MEMBERS:
                (work / name).chmod(0o444)
            if image.path.exists():
                _remove_tree(image.path)
            work.rename(image.path)
        finally:
            if work.exists():
                _remove_tree(work)
        _set_current(image)
        progress(f"image {ident} built in {time.monotonic() - started:.0f} s: {image.path}")
        return image


def _remove_tree(path: Path) -> None:
    for sub in path.rglob("*"):
        if sub.is_file() and not sub.is_symlink():
            with contextlib.suppress(OSError):
                sub.chmod(0o644)
    shutil.rmtree(path, ignore_errors=True)


def _build_into(work: Path, ident: str, progress: Progress, quiet: bool) -> None:
    rootdir = work / "root"
    script = work / "customize.sh"
    script.write_text(guest.customize_script())
    progress(f"[1/3] mmdebstrap {guest.SUITE} with {len(guest.PACKAGES)} packages "
             "(about a minute with a good network)")
    _run(mmdebstrap_argv(rootdir, script), "mmdebstrap", 1800, quiet)
    kernels = sorted((rootdir / "boot").glob("vmlinuz-*"))
    if not kernels:
        raise SandboxError("mmdebstrap made no kernel in /boot")
    kernel = kernels[-1]
    version = kernel.name.removeprefix("vmlinuz-")
    initrd = rootdir / "boot" / f"initrd.img-{version}"
    if not initrd.is_file():
        raise SandboxError(f"no initrd for kernel {version}")
    shutil.copyfile(kernel, work / "vmlinuz")
    shutil.copyfile(initrd, work / "initrd.img")
    shutil.copyfile(rootdir / "etc/ssh/ssh_host_ed25519_key.pub",
                    work / "ssh_host_ed25519_key.pub")
    progress(f"[2/3] mkfs.ext4 -d (root filesystem of {ROOT_SIZE})")
    raw = work / "root.raw"
    _run(["truncate", "-s", ROOT_SIZE, str(raw)], "truncate", 60, True)
    _run(["mkfs.ext4", "-q", "-F", "-L", "labkit-root", "-m", "1", "-d", str(rootdir),
          str(raw)], "mkfs.ext4", 1200, True)
    _remove_tree(rootdir)
    progress("[3/3] qemu-img convert -O qcow2")
    _run(["qemu-img", "convert", "-O", "qcow2", str(raw), str(work / "disk.qcow2")],
         "qemu-img convert", 1200, True)
    raw.unlink()
    script.unlink()
    manifest = {
        "id": ident,
        "source": "build",
        "suite": guest.SUITE,
        "kernel": version,
        "packages": sorted(guest.PACKAGES),
        "build_version": BUILD_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def export_image(dest: Path, image: Image | None = None) -> Path:
    """Write ``image`` (default: the current one) as a tar bundle to ``dest``."""
    image = image or current_image()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    with tarfile.open(tmp, "w") as tar:
        for name in BUNDLE_MEMBERS:
            tar.add(image.path / name, arcname=name)
    tmp.replace(dest)
    return dest


def import_image(bundle: Path, progress: Progress = _print_progress) -> Image:
    """Import a bundle made by :func:`export_image` (``labkit image export``) and make it
    the current image. Raises :class:`SandboxError` if it is not such a bundle."""
    if not bundle.is_file():
        raise SandboxError(f"no such file: {bundle}")
    images_dir().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="import-", dir=images_dir()))
    try:
        try:
            with tarfile.open(bundle, "r:*") as tar:
                members = {m.name: m for m in tar.getmembers()}
                missing = [n for n in BUNDLE_MEMBERS if n not in members]
                if missing:
                    raise SandboxError(
                        f"{bundle} is not a labkit image bundle (missing {', '.join(missing)})"
                    )
                for name in BUNDLE_MEMBERS:
                    member = members[name]
                    if not member.isfile():
                        raise SandboxError(f"{bundle}: {name} is not a regular file")
                    source = tar.extractfile(member)
                    if source is None:
                        raise SandboxError(f"{bundle}: cannot read {name}")
                    with source, (work / name).open("wb") as out:
                        shutil.copyfileobj(source, out, 1 << 20)
        except (tarfile.TarError, OSError) as exc:
            raise SandboxError(f"cannot read image bundle {bundle}: {exc}") from exc
        try:
            manifest = json.loads((work / "manifest.json").read_text())
            ident = str(manifest["id"])
        except (ValueError, KeyError) as exc:
            raise SandboxError(f"{bundle}: bad manifest.json ({exc})") from exc
        if not ident.isalnum():
            raise SandboxError(f"{bundle}: bad image id {ident!r}")
        manifest["source"] = f"import:{bundle.name}"
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        check = subprocess.run(["qemu-img", "check", "-q", str(work / "disk.qcow2")],
                               capture_output=True, text=True, timeout=300, check=False)
        if check.returncode != 0:
            raise SandboxError(f"{bundle}: disk.qcow2 is damaged: {check.stderr.strip()}")
        for name in BUNDLE_MEMBERS:
            (work / name).chmod(0o444)
        with cache_lock("image-build"):
            image = Image(images_dir() / ident)
            if image.path.exists():
                _remove_tree(image.path)
            work.rename(image.path)
            _set_current(image)
    finally:
        if work.exists():
            _remove_tree(work)
    progress(f"imported image {ident}: {image.path}")
    return image


def list_images() -> list[Image]:
    """Every complete image in the cache."""
    if not images_dir().is_dir():
        return []
    return sorted(
        (Image(p) for p in images_dir().iterdir() if p.is_dir() and Image(p).is_complete()),
        key=lambda img: img.path.stat().st_mtime,
    )
