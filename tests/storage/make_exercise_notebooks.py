"""Write the nbgrader source notebooks of the storage exercises,
``exercises/<ex>/<ex>.ipynb`` (same cells as exercises/qemu-img-basics/qemu-img-basics.ipynb:
``instructions``, ``commands``, ``lab-host``); the points table comes from the grader spec.

    .venv/bin/python tests/storage/make_exercise_notebooks.py
"""

from __future__ import annotations

import re

import nbformat

from labkit import exercises

LAB = {
    "gl": "Nesta tarefa traballas no **laboratorio de almacenamento** (`labkit lab up storage`: as "
          "máquinas `server`, con catro discos libres `/dev/vdb` … `/dev/vde`, e `client`, por "
          "SSH como `root`), non neste caderno. Garda as ordes que uses nun guión en "
          "`{workdir}` na máquina onde as executes, se queres repetilas.",
    "en": "In this assignment you work on the **storage lab** (`labkit lab up storage`: the hosts "
          "`server`, with four free disks `/dev/vdb` … `/dev/vde`, and `client`, over SSH as "
          "`root`), not in this notebook. Keep the commands you use in a script in "
          "`{workdir}` on the host where you run them, if you want to repeat them.",
}

STEPS: dict[str, dict[str, str]] = {
    "lvm-basics": {
        "gl": """\
1. No `server`, prepara os catro discos como volumes físicos (`pvcreate`).
2. Crea o grupo de volumes `Datos` con `/dev/vdb` e `/dev/vdc` e amplíao despois con `/dev/vdd`.
3. Crea o volume lóxico `webserver` de 40M e fai nel un sistema de ficheiros ext4.
4. Substitúe o disco `/dev/vdb` polo `/dev/vde` sen perder datos: engade `/dev/vde` ao grupo,
   move as extensións (`pvmove`) e saca `/dev/vdb` do grupo (`vgreduce`).
5. Agranda `webserver` en 40M e despois redúceo en 20M (queda en 60M). O sistema de ficheiros
   ten que seguir o volume: ao reducir, primeiro el (ou usa `lvresize -r`).
6. Monta `webserver` en `/srv/webserver` e fai que se monte ao arrincar (`/etc/fstab`).""",
        "en": """\
1. On `server`, prepare the four disks as physical volumes (`pvcreate`).
2. Create the volume group `Datos` from `/dev/vdb` and `/dev/vdc`, then extend it with
   `/dev/vdd`.
3. Create the 40M logical volume `webserver` and make an ext4 filesystem on it.
4. Replace the disk `/dev/vdb` by `/dev/vde` without losing data: add `/dev/vde` to the group,
   move the extents away (`pvmove`) and take `/dev/vdb` out of the group (`vgreduce`).
5. Grow `webserver` by 40M, then shrink it by 20M (it ends at 60M). The filesystem must follow
   the volume: when shrinking, the filesystem goes first (or use `lvresize -r`).
6. Mount `webserver` on `/srv/webserver` and have it mounted at boot (`/etc/fstab`).""",
    },
    "lvm-advanced": {
        "gl": """\
1. No `server`, crea o grupo `Datos` cos catro discos (`/dev/vdb` … `/dev/vde`).
2. Crea `database`, un RAID 1 de 32M (unha copia extra: `--type raid1 -m 1`).
3. Crea `templates`, de 48M repartidos en 3 bandas (`-i 3`).
4. Fai `database-sn`, un snapshot de `database` con 8M para cambios. Se se enche, queda
   inválido.
5. Crea `pool`, un thin pool de 40M, e dentro del `ftpserver`, un volume thin de 200M.
6. En `/etc/lvm/lvm.conf`, fai que os snapshots medren un 20% ao chegar ao 70% e os thin pools
   un 20% ao chegar ao 80% (`snapshot_autoextend_*`, `thin_pool_autoextend_*`).""",
        "en": """\
1. On `server`, create the group `Datos` with the four disks (`/dev/vdb` … `/dev/vde`).
2. Create `database`, a 32M RAID 1 (one extra copy: `--type raid1 -m 1`).
3. Create `templates`, 48M spread over 3 stripes (`-i 3`).
4. Take `database-sn`, a snapshot of `database` with 8M for changes. If it fills up it becomes
   invalid.
5. Create `pool`, a 40M thin pool, and in it `ftpserver`, a 200M thin volume.
6. In `/etc/lvm/lvm.conf`, have snapshots grow by 20% when they reach 70% and thin pools by 20%
   when they reach 80% (`snapshot_autoextend_*`, `thin_pool_autoextend_*`).""",
    },
    "nfs-exports": {
        "gl": """\
1. No `server`, crea `/srv/share` e `/srv/ro` (con `/srv/ro/README`) e lévaos á raíz NFSv4
   `/srv/nfs` con `mount --bind` en `/srv/nfs/share` e `/srv/nfs/ro`, tamén en `/etc/fstab`.
2. En `/etc/exports`, para a rede `192.168.100.0/24`: `/srv/nfs` como raíz NFSv4 (`fsid=0`);
   `/srv/nfs/share` en lectura/escritura, `sync` e `root_squash`; `/srv/nfs/ro` só de lectura e
   con `all_squash`. Aplícao con `exportfs -ra`.
3. No `client`, monta o recurso en `/mnt/share` con NFSv4 (`192.168.100.10:/share`) e
   `/srv/nfs/ro` en `/mnt/ro` con NFSv3 (camiño completo); as dúas tamén en `/etc/fstab`.
4. Comproba que un ficheiro que root crea en `/mnt/share` queda de `nobody` e que en `/mnt/ro`
   non se pode escribir.""",
        "en": """\
1. On `server`, create `/srv/share` and `/srv/ro` (with `/srv/ro/README`) and bring them into
   the NFSv4 root `/srv/nfs` with `mount --bind` on `/srv/nfs/share` and `/srv/nfs/ro`, also in
   `/etc/fstab`.
2. In `/etc/exports`, for the network `192.168.100.0/24`: `/srv/nfs` as the NFSv4 root
   (`fsid=0`); `/srv/nfs/share` read-write, `sync` and `root_squash`; `/srv/nfs/ro` read-only
   with `all_squash`. Apply it with `exportfs -ra`.
3. On `client`, mount the share on `/mnt/share` with NFSv4 (`192.168.100.10:/share`) and
   `/srv/nfs/ro` on `/mnt/ro` with NFSv3 (full path); both in `/etc/fstab` too.
4. Check that a file root creates in `/mnt/share` belongs to `nobody` and that `/mnt/ro` refuses
   writes.""",
    },
    "iscsi-target": {
        "gl": """\
1. No `server`, crea o backstore `fileio` `vm1` (`/srv/iscsi/vm1.img`, 64M) e o backstore
   `block` `vm2` sobre un volume LVM de 48M (`/dev/iscsi/vm2`, no grupo `iscsi` en `/dev/vdb`).
2. Crea o target `iqn.2026-11.lab.labkit.server:vms` cos dous LUN e unha ACL para o iniciador
   `iqn.2024-01.lab.labkit:client` con CHAP (usuario `labuser`, contrasinal `labsecret2026`).
3. Garda a configuración (`saveconfig`) e activa o servizo que a restaura ao arrincar.
4. No `client`, descubre o target, pon o CHAP no nodo, conéctate e fai que se conecte só ao
   arrincar (`node.startup automatic`).
5. Cunha regra udev en `/etc/udev/rules.d/20-persistent-iscsi.rules`, fai que o disco `vm1`
   apareza sempre como `/dev/vm1`.""",
        "en": """\
1. On `server`, create the `fileio` backstore `vm1` (`/srv/iscsi/vm1.img`, 64M) and the `block`
   backstore `vm2` on a 48M LVM volume (`/dev/iscsi/vm2`, in the group `iscsi` on `/dev/vdb`).
2. Create the target `iqn.2026-11.lab.labkit.server:vms` with both LUNs and an ACL for the
   initiator `iqn.2024-01.lab.labkit:client` with CHAP (user `labuser`, password
   `labsecret2026`).
3. Save the configuration (`saveconfig`) and enable the service that restores it at boot.
4. On `client`, discover the target, put CHAP into the node, log in, and have it log in by itself
   at boot (`node.startup automatic`).
5. With a udev rule in `/etc/udev/rules.d/20-persistent-iscsi.rules`, make the `vm1` disk always
   show up as `/dev/vm1`.""",
    },
}

TAIL = {
    "gl": """\
Na cela de código de abaixo anota as ordes que executaches, unha por liña, no lugar de
`# YOUR CODE HERE`. A cela non as executa (para iso está a primeira liña, `%%script true`).

**Corrección.** O corrector conectarase ás máquinas do laboratorio e mirará os seus volumes,
exportacións, targets e montaxes{functional}. Non os cambies ata que estea
corrixida. Vale {points} puntos:

| Comprobación | Puntos |
| --- | ---: |
""",
    "en": """\
In the code cell below, write down the commands you ran, one per line, in place of
`# YOUR CODE HERE`. The cell does not run them (that is what its first line, `%%script true`,
is for).

**Grading.** The grader will connect to the lab hosts and read their volumes, exports, targets
and mounts{functional}. Do not change them until it is graded. It is worth {points} points:

| Check | Points |
| --- | ---: |
""",
}
FUNCTIONAL = {"gl": " (e creará e borrará un cartafol de proba nas montaxes NFS)",
              "en": " (and create and remove a scratch folder in the NFS mounts)"}


def solution_lines(name: str) -> str:
    """The solution scripts, each headed by the host it runs on, without comments."""
    out = []
    spec = exercises.load(name)
    for role, path in exercises.solution_scripts(name):
        text = path.read_text(encoding="utf-8")
        out.append(f"# --- {'server' if role == 'host' else role} ---")
        for line in text.splitlines():
            if (line.startswith("#") or not line.strip() or line.startswith("set -eu")
                    or "labkit:" in line):
                continue
            line = re.sub(r"\$\{?([A-Z][A-Z0-9_]*)\}?",
                          lambda m: str(spec.params.get(m.group(1).lower(), m.group(0))), line)
            out.append(line)
    return "\n".join(out)


def notebook(name: str) -> nbformat.NotebookNode:
    spec = exercises.load(name)
    workdir = str(spec.params["workdir"])
    parts = []
    for lang in ("gl", "en"):
        functional = FUNCTIONAL[lang] if name.startswith("nfs") else ""
        rows = "".join(f"| {c.message[lang]} | {c.points:g} |\n" for c in spec.checks)
        parts.append(f"## {spec.title[lang]}\n\n{LAB[lang].format(workdir=workdir)}\n\n"
                     f"{STEPS[name][lang]}\n\n"
                     + TAIL[lang].format(points=f"{spec.max_score:g}", functional=functional)
                     + rows)
    instructions = "\n---\n\n".join(parts).rstrip("\n")
    meta = {"grade": False, "locked": True, "schema_version": 3, "solution": False}
    commands = ("%%script true\n"
                "# gl: as ordes que executaches nas máquinas do laboratorio, unha por liña.\n"
                "# en: the commands you ran on the lab hosts, one per line.\n"
                "### BEGIN SOLUTION\n" + solution_lines(name) + "\n### END SOLUTION")
    test = ("# gl: esta cela corrixe as túas máquinas do laboratorio cando o profesorado "
            "corrixe a tarefa.\n"
            "# en: this cell grades your lab hosts when your teacher grades the assignment.\n"
            "### BEGIN HIDDEN TESTS\n"
            "from labkit.grading.nbgrader import autograde_points\n"
            f'autograde_points("{name}", points={spec.max_score:g})\n'
            "### END HIDDEN TESTS")
    cells = [
        nbformat.v4.new_markdown_cell(instructions, metadata={"nbgrader": {
            **meta, "grade_id": "instructions"}}),
        nbformat.v4.new_code_cell(commands, metadata={"nbgrader": {
            **meta, "grade_id": "commands", "locked": False, "solution": True}}),
        nbformat.v4.new_code_cell(test, metadata={"nbgrader": {
            **meta, "grade_id": "lab-host", "grade": True, "points": spec.max_score}}),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                  "name": "python3"},
                   "language_info": {"name": "python"}}
    return nb


def main() -> None:
    for name in STEPS:
        target = exercises.exercise_dir(name) / f"{name}.ipynb"
        nbformat.write(notebook(name), target)
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
