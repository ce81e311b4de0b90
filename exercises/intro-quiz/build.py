"""Write exercises/intro-quiz/intro-quiz.ipynb, the nbgrader source notebook of the quiz.

    python exercises/intro-quiz/build.py
"""

from pathlib import Path

import nbformat


def md(grade_id, text):
    return nbformat.v4.new_markdown_cell(text, metadata={"nbgrader": {
        "grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
        "solution": False}})

def answer(grade_id, head, solution):
    return nbformat.v4.new_code_cell(
        f"{head}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
        metadata={"nbgrader": {"grade": False, "grade_id": grade_id, "locked": False,
                               "schema_version": 3, "solution": True}})

def test(grade_id, points, visible, hidden):
    return nbformat.v4.new_code_cell(
        f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "grade_id": grade_id, "locked": True,
                               "points": points, "schema_version": 3, "solution": False}})

cells = [
    md("instructions", """\
## Introdución á virtualización: cuestionario / quiz

**gl:** Responde nas celas de código, no lugar de `# YOUR CODE HERE` e
`raise NotImplementedError()`. Escribe as respostas exactamente coas palabras que se indican en
cada pregunta (entre comiñas, como texto de Python). As celas de proba visibles só comproban o
formato; a nota sae de probas ocultas. Executa *Kernel → Restart & Run All* antes de entregar.

**en:** Answer in the code cells, replacing `# YOUR CODE HERE` and `raise NotImplementedError()`.
Write each answer with exactly the words the question offers (in quotes, as Python strings). The
visible test cells only check the format; the marks come from hidden tests. Run *Kernel →
Restart & Run All* before you submit."""),
    md("q-types", """\
### 1. Tipo I ou tipo II? / Type I or type II? (3 puntos / points)

**gl:** Para cada hypervisor, escribe `"I"` (bare metal: é o sistema operativo do anfitrión) ou
`"II"` (unha aplicación sobre o sistema operativo do anfitrión).

**en:** For each hypervisor, write `"I"` (bare metal: it is the host's operating system) or `"II"`
(an application on top of the host's operating system)."""),
    answer("a-types", "tipos = {  # types\n    # \"VMware ESXi\": \"I\" ou \"II\" ...\n}",
           'tipos = {\n    "VMware ESXi": "I",\n    "Xen": "I",\n    "KVM": "I",\n'
           '    "Hyper-V": "I",\n    "VMware Player": "II",\n    "VirtualBox": "II",\n}'),
    test("t-types", 3,
         'HYPERVISORS = {"VMware ESXi", "Xen", "KVM", "Hyper-V", "VMware Player", "VirtualBox"}\n'
         'assert isinstance(tipos, dict), "tipos ten que ser un dict / tipos must be a dict"\n'
         'assert set(tipos) == HYPERVISORS, f"as chaves / the keys: {sorted(HYPERVISORS)}"\n'
         'assert set(tipos.values()) <= {"I", "II"}, "só / only \\"I\\" ou / or \\"II\\""',
         'assert {k for k, v in tipos.items() if v == "I"} == {"VMware ESXi", "Xen", "KVM", '
         '"Hyper-V"}\nassert {k for k, v in tipos.items() if v == "II"} == {"VMware Player", '
         '"VirtualBox"}'),
    md("q-techniques", """\
### 2. Que técnica? / Which technique? (5 puntos / points)

**gl:** Para cada descrición, escribe unha destas palabras: `"completa"` (virtualización
completa), `"paravirtualizacion"`, `"hardware"` (asistida por hardware), `"hibrida"` ou `"so"`
(a nivel de sistema operativo).

- `a`: o hypervisor simula todo o hardware, CPU incluída, e o invitado non se modifica;
- `b`: o invitado modifícase para facer chamadas directas ao hypervisor (Xen con Linux);
- `c`: as extensións Intel VT / AMD-V da CPU deixan ao invitado usar directamente a CPU;
- `d`: extensións da CPU máis drivers paravirtualizados (virtio, *guest additions*);
- `e`: procesos illados con cgroups sobre o mesmo núcleo.

**en:** For each description, write one of: `"completa"` (full virtualization),
`"paravirtualizacion"`, `"hardware"` (hardware-assisted), `"hibrida"` (hybrid) or `"so"` (OS level).

- `a`: the hypervisor simulates all the hardware, CPU included, and the guest is unmodified;
- `b`: the guest is modified to call the hypervisor directly (Xen with Linux);
- `c`: the CPU's Intel VT / AMD-V extensions let the guest use the CPU directly;
- `d`: CPU extensions plus paravirtualized drivers (virtio, *guest additions*);
- `e`: processes isolated with cgroups on the same kernel."""),
    answer("a-techniques", "tecnicas = {  # techniques\n    # \"a\": ...\n}",
           'tecnicas = {\n    "a": "completa",\n    "b": "paravirtualizacion",\n'
           '    "c": "hardware",\n    "d": "hibrida",\n    "e": "so",\n}'),
    test("t-techniques", 5,
         'WORDS = {"completa", "paravirtualizacion", "hardware", "hibrida", "so"}\n'
         'assert isinstance(tecnicas, dict) and set(tecnicas) == set("abcde"), '
         '"chaves / keys: a b c d e"\n'
         'assert set(tecnicas.values()) <= WORDS, f"palabras / words: {sorted(WORDS)}"',
         'assert tecnicas == {"a": "completa", "b": "paravirtualizacion", "c": "hardware", '
         '"d": "hibrida", "e": "so"}'),
    md("q-tools", """\
### 3. LXC, Docker ou Kubernetes? (1 punto / point)

**gl:** Que ferramenta é un *orquestrador* de contedores, que automatiza o despregamento e o
escalado segundo a demanda? Escribe `"lxc"`, `"docker"` ou `"kubernetes"`.

**en:** Which tool is a container *orchestrator*, automating deployment and scaling on demand?
Write `"lxc"`, `"docker"` or `"kubernetes"`."""),
    answer("a-tools", "orquestrador = None  # orchestrator", 'orquestrador = "kubernetes"'),
    test("t-tools", 1,
         'assert orquestrador in ("lxc", "docker", "kubernetes"), '
         '"\\"lxc\\", \\"docker\\" ou / or \\"kubernetes\\""',
         'assert orquestrador == "kubernetes"'),
    md("q-resources", """\
### 4. Os recursos dunha máquina virtual / The resources of a VM (1 punto / point)

**gl:** Escribe un conxunto (`set`) cos tres recursos que precisa unha máquina virtual, con
estas palabras: `"procesamento"`, `"almacenamento"`, `"conectividade"`, `"licenzas"`,
`"monitor"`.

**en:** Write a `set` with the three resources a virtual machine needs, using these words:
`"procesamento"` (processing), `"almacenamento"` (storage), `"conectividade"` (connectivity),
`"licenzas"` (licences), `"monitor"`."""),
    answer("a-resources", "recursos = set()  # resources",
           'recursos = {"procesamento", "almacenamento", "conectividade"}'),
    test("t-resources", 1,
         'assert isinstance(recursos, set) and len(recursos) == 3, "tres / three"',
         'assert recursos == {"procesamento", "almacenamento", "conectividade"}'),
]
nb = nbformat.v4.new_notebook(cells=cells)
for i, c in enumerate(nb.cells):
    c.id = f"cell-{i:02d}"
nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                              "name": "python3"}, "language_info": {"name": "python"}}
nbformat.validate(nb)
nbformat.write(nb, Path(__file__).resolve().parent / "intro-quiz.ipynb")
print("ok")
