"""Messages of the notebook widgets (labkit.widgets): the lab host, running a command, the
qemu-img command builder, the backing chain and "Check my work".

The report's column names and statuses are the grading core's (``core``), so the CLI table and
the widget table say the same words.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- where a widget's data comes from -----------------------------------------------------
    "widgets.read_again": {"gl": "Ler de novo", "en": "Read again"},
    "widgets.read_from": {"gl": "Lido de {url}.", "en": "Read from {url}."},
    "widgets.recording": {
        "gl": "Gravación ({what}), non o laboratorio en directo: na vista previa non se le nada.",
        "en": "A recording ({what}), not the live lab: preview mode reads nothing.",
    },
    # -- levels of advice -------------------------------------------------------------------
    "level.error": {"gl": "Erro", "en": "Error"},
    "level.warning": {"gl": "Aviso", "en": "Warning"},
    "level.note": {"gl": "Nota", "en": "Note"},
    # -- running a command on the lab host ---------------------------------------------------
    "run.button": {"gl": "Executar", "en": "Run"},
    "run.placeholder": {"gl": "un comando, p. ex. qemu-img info systemdisk.qcow2",
                        "en": "a command, e.g. qemu-img info systemdisk.qcow2"},
    "run.timeout_label": {"gl": "Tempo máx. (s)", "en": "Time limit (s)"},
    "run.running": {"gl": "Executando…", "en": "Running…"},
    "run.empty": {"gl": "Escribe primeiro un comando.", "en": "Write a command first."},
    "run.exit": {"gl": "código de saída {code}", "en": "exit code {code}"},
    "run.stdout": {"gl": "saída estándar", "en": "standard output"},
    "run.stderr": {"gl": "saída de erros", "en": "standard error"},
    "run.no_output": {"gl": "(sen saída)", "en": "(no output)"},
    "run.timed_out": {
        "gl": "O comando non rematou en {timeout:g} s e detívose.",
        "en": "The command did not finish within {timeout:g} s and was stopped.",
    },
    "run.no_host": {"gl": "Non hai máquina de laboratorio: arrinca o laboratorio da lección.",
                    "en": "There is no lab host: start the lesson's lab."},
    "run.failed": {"gl": "Non se puido executar o comando: {reason}",
                   "en": "The command could not be run: {reason}"},
    "run.widget": {"gl": "[Executar un comando na máquina de laboratorio]",
                   "en": "[Run a command on the lab host]"},
    # -- the qemu-img command builder: form ------------------------------------------------
    "builder.widget": {"gl": "[Asistente de comandos qemu-img]",
                       "en": "[qemu-img command builder]"},
    "builder.operation": {"gl": "Operación", "en": "Operation"},
    "op.create": {"gl": "crear un disco (create)", "en": "create a disk (create)"},
    "op.convert": {"gl": "converter de formato (convert)", "en": "convert a disk (convert)"},
    "op.resize": {"gl": "cambiar o tamaño (resize)", "en": "change the size (resize)"},
    "op.snapshot": {"gl": "crear un snapshot (create -b)", "en": "make a snapshot (create -b)"},
    "op.commit": {"gl": "mesturar o snapshot na base (commit)",
                  "en": "merge a snapshot into its base (commit)"},
    "op.info": {"gl": "ver a información (info)", "en": "show information (info)"},
    "op.rebase": {"gl": "cambiar a base dun snapshot (rebase)",
                  "en": "change a snapshot's base (rebase)"},
    "field.image": {"gl": "Ficheiro", "en": "File"},
    "field.image.convert": {"gl": "Orixe", "en": "Source"},
    "field.image.snapshot": {"gl": "Snapshot novo", "en": "New snapshot"},
    "field.output": {"gl": "Destino", "en": "Output"},
    "field.backing": {"gl": "Base (-b)", "en": "Backing (-b)"},
    "field.fmt": {"gl": "Formato (-f)", "en": "Format (-f)"},
    "field.out_fmt": {"gl": "Formato novo (-O)", "en": "New format (-O)"},
    "field.backing_fmt": {"gl": "Formato base (-F)", "en": "Backing fmt (-F)"},
    "field.size": {"gl": "Tamaño", "en": "Size"},
    "field.sign": {"gl": "Cambio", "en": "Change"},
    "field.shrink": {"gl": "--shrink (permitir reducir)", "en": "--shrink (allow shrinking)"},
    "field.backing_chain": {"gl": "--backing-chain (toda a cadea)",
                            "en": "--backing-chain (whole chain)"},
    "format.none": {"gl": "(sen indicar)", "en": "(not given)"},
    "sign.add": {"gl": "+ engadir", "en": "+ add"},
    "sign.remove": {"gl": "− quitar", "en": "− take off"},
    "sign.set": {"gl": "= tamaño final", "en": "= final size"},
    "builder.command": {"gl": "Comando", "en": "Command"},
    "builder.run": {"gl": "Executar na máquina", "en": "Run on the lab host"},
    "builder.fix_first": {"gl": "Corrixe primeiro os erros.", "en": "Fix the errors first."},
    "builder.check_label": {"gl": "Ou comproba un comando escrito por ti:",
                            "en": "Or check a command you wrote:"},
    "builder.check_button": {"gl": "Comprobar", "en": "Check"},
    "builder.corrected": {"gl": "Comando corrixido", "en": "Corrected command"},
    "builder.all_good": {"gl": "Sen erros.", "en": "No mistakes found."},
    # -- the qemu-img command builder: advice ----------------------------------------------
    "missing.image": {"gl": "Escribe o nome do ficheiro de imaxe.",
                      "en": "Give the image file name."},
    "missing.output": {"gl": "Escribe o nome do ficheiro de destino.",
                       "en": "Give the output file name."},
    "missing.backing": {"gl": "Escribe o nome do ficheiro base (-b).",
                        "en": "Give the backing file name (-b)."},
    "missing.size": {"gl": "Indica un tamaño, por exemplo 100M.",
                     "en": "Give a size, for example 100M."},
    "name.dash": {
        "gl": "O nome {name} empeza por -, e qemu-img leríao como unha opción: escribe ./{name}.",
        "en": "The name {name} starts with -, so qemu-img would read it as an option: "
              "write ./{name}.",
    },
    "name.control": {
        "gl": "O nome {name} ten un salto de liña ou outro carácter de control.",
        "en": "The name {name} contains a line break or another control character.",
    },
    "format.unknown": {"gl": "qemu-img non coñece o formato {format}.",
                       "en": "qemu-img does not know the format {format}."},
    "format.unknown_suggest": {
        "gl": "qemu-img non coñece o formato {format}: querías dicir {suggestion}?",
        "en": "qemu-img does not know the format {format}: did you mean {suggestion}?",
    },
    "format.vhd": {
        "gl": "qemu-img chama vpc ao formato VHD (Xen, Hyper-V): escribe vpc en vez de {format}.",
        "en": "qemu-img calls the VHD format (Xen, Hyper-V) vpc: write vpc instead of {format}.",
    },
    "size.bad": {
        "gl": "{size} non é un tamaño: escribe un número cunha unidade, p. ex. 100M ou 20G.",
        "en": "{size} is not a size: write a number with a unit, e.g. 100M or 20G.",
    },
    "size.no_unit": {
        "gl": "{size} sen unidade son bytes, non megas: querías dicir {size}M?",
        "en": "{size} with no unit means bytes: did you mean {size}M?",
    },
    "size.zero": {"gl": "O tamaño ten que ser maior ca cero.",
                  "en": "The size must be greater than zero."},
    "ext.mismatch": {
        "gl": "{name} remata en .{ext} pero o seu formato será {format}: a extensión non "
              "decide o formato, decídeo a opción.",
        "en": "{name} ends in .{ext} but its format will be {format}: the extension does not "
              "set the format, the option does.",
    },
    "create.no_format": {"gl": "Sen -f, qemu-img create fai un disco raw.",
                         "en": "Without -f, qemu-img create makes a raw disk."},
    "create.qcow2": {
        "gl": "qcow2 é copy-on-write: o ficheiro nace pequeno e medra segundo se escribe nel "
              "(compara virtual size e disk size con qemu-img info).",
        "en": "qcow2 is copy-on-write: the file starts small and grows as data is written "
              "(compare virtual size and disk size with qemu-img info).",
    },
    "convert.swapped": {
        "gl": "-f e -O parecen trocados: -f é o formato da orixe ({source}) e -O o do "
              "ficheiro novo ({output}).",
        "en": "-f and -O look swapped: -f is the format of the source ({source}) and -O "
              "that of the new file ({output}).",
    },
    "convert.same_file": {
        "gl": "A orixe e o destino son o mesmo ficheiro: convert escribe sempre un ficheiro novo.",
        "en": "The source and the output are the same file: convert always writes a new file.",
    },
    "convert.no_out_format": {"gl": "Sen -O, o ficheiro novo será raw.",
                              "en": "Without -O, the new file will be raw."},
    "convert.no_format": {
        "gl": "Sen -f, qemu-img adiviña o formato da orixe; con -f é máis seguro (un disco raw "
              "pode conter algo que pareza outro formato).",
        "en": "Without -f, qemu-img guesses the source format; -f is safer (a raw disk can hold "
              "something that looks like another format).",
    },
    "convert.chain": {
        "gl": "convert le a cadea enteira: se a orixe é un snapshot, o ficheiro novo é un disco "
              "independente, sen ficheiro base.",
        "en": "convert reads the whole chain: if the source is a snapshot, the new file is an "
              "independent disk with no backing file.",
    },
    "resize.needs_shrink": {
        "gl": "Isto reduce o disco, e qemu-img négase a facelo sen --shrink.",
        "en": "This shrinks the disk, and qemu-img refuses to do it without --shrink.",
    },
    "resize.shrink": {
        "gl": "ANTES de reducir, reduce o sistema de ficheiros e as particións dentro da "
              "máquina virtual: o que quede alén do novo final pérdese.",
        "en": "BEFORE shrinking, shrink the filesystem and the partitions inside the VM: "
              "whatever lies past the new end is lost.",
    },
    "resize.grow": {
        "gl": "DESPOIS de agrandar, amplía a partición e o sistema de ficheiros dentro da "
              "máquina virtual: ata entón non usa o espazo novo.",
        "en": "AFTER growing, extend the partition and the filesystem inside the VM: until "
              "then it does not use the new space.",
    },
    "resize.absolute": {
        "gl": "Sen signo, {size} é o tamaño final do disco. Para engadir {size}, escribe +{size}.",
        "en": "Without a sign, {size} is the disk's final size. To add {size}, write +{size}.",
    },
    "resize.same": {"gl": "O disco xa mide {size}: non cambia nada.",
                    "en": "The disk is already {size}: nothing changes."},
    "resize.below_zero": {"gl": "O disco mide {current}: non se lle poden quitar {size}.",
                          "en": "The disk is {current}: {size} cannot be taken off it."},
    "resize.shrink_unneeded": {
        "gl": "--shrink só fai falta para reducir; ao agrandar non fai nada.",
        "en": "--shrink is only needed to shrink; when growing it does nothing.",
    },
    "snapshot.not_qcow2": {
        "gl": "Un snapshot (create -b) ten que ser qcow2 (-f qcow2); a súa base pode ser raw "
              "ou qcow2.",
        "en": "A snapshot (create -b) must be qcow2 (-f qcow2); its base may be raw or qcow2.",
    },
    "snapshot.no_backing_format": {
        "gl": "Falta -F: o qemu-img actual esixe, xunto con -b, o formato do ficheiro base "
              "(p. ex. -F qcow2).",
        "en": "-F is missing: current qemu-img requires the backing file's format along with "
              "-b (e.g. -F qcow2).",
    },
    "snapshot.same_file": {"gl": "O snapshot e a súa base non poden ser o mesmo ficheiro.",
                           "en": "The snapshot and its base cannot be the same file."},
    "snapshot.base_readonly": {
        "gl": "Desde agora a base é de só lectura: se alguén a modifica, os snapshots feitos "
              "sobre ela quedan estragados.",
        "en": "From now on the base is read-only: if anyone changes it, the snapshots built on "
              "it are ruined.",
    },
    "snapshot.relative": {
        "gl": "Un -b relativo búscase desde a carpeta do snapshot, non desde a carpeta actual.",
        "en": "A relative -b is looked up from the snapshot's folder, not from the current one.",
    },
    "commit.note": {
        "gl": "commit escribe os cambios do snapshot no seu ficheiro base e deixa o snapshot "
              "baleiro; outros snapshots da mesma base deixan de ser válidos.",
        "en": "commit writes the snapshot's changes into its backing file and leaves the "
              "snapshot empty; other snapshots of the same base stop being valid.",
    },
    "commit.not_qcow2": {
        "gl": "Só se pode facer commit dun snapshot, e os snapshots son qcow2.",
        "en": "Only a snapshot can be committed, and snapshots are qcow2.",
    },
    "rebase.no_backing_format": {
        "gl": "Falta -F: qemu-img rebase esixe o formato da nova base (p. ex. -F qcow2).",
        "en": "-F is missing: qemu-img rebase requires the new base's format (e.g. -F qcow2).",
    },
    "rebase.not_qcow2": {"gl": "Só un snapshot qcow2 ten unha base que cambiar.",
                         "en": "Only a qcow2 snapshot has a base to change."},
    "rebase.note": {
        "gl": "rebase compara a base vella coa nova e copia ao snapshot o que difire, así que a "
              "base vella ten que seguir existindo. Con -u só cambia o nome gardado.",
        "en": "rebase compares the old base with the new one and copies what differs into the "
              "snapshot, so the old base must still exist. With -u it only rewrites the "
              "stored name.",
    },
    "info.chain": {"gl": "--backing-chain amosa tamén cada ficheiro base da cadea.",
                   "en": "--backing-chain also shows every backing file of the chain."},
    # -- checking a typed command ----------------------------------------------------------
    "parse.empty": {"gl": "Escribe un comando qemu-img.", "en": "Write a qemu-img command."},
    "parse.quotes": {"gl": "O comando ten unhas comiñas sen pechar.",
                     "en": "The command has an unclosed quote."},
    "parse.program_typo": {"gl": "O programa chámase qemu-img (con q), non {program}.",
                           "en": "The program is called qemu-img (with a q), not {program}."},
    "parse.not_qemu_img": {"gl": "Isto non é un comando qemu-img ({program}).",
                           "en": "This is not a qemu-img command ({program})."},
    "parse.no_subcommand": {
        "gl": "Falta a operación despois de qemu-img (create, convert, resize, commit, info, "
              "rebase).",
        "en": "The operation after qemu-img is missing (create, convert, resize, commit, info, "
              "rebase).",
    },
    "parse.missing_convert": {
        "gl": "Falta convert: -f e -O van despois de qemu-img convert.",
        "en": "convert is missing: -f and -O go after qemu-img convert.",
    },
    "parse.unknown_subcommand": {"gl": "qemu-img non ten a operación {sub}.",
                                 "en": "qemu-img has no operation {sub}."},
    "parse.unknown_subcommand_suggest": {
        "gl": "qemu-img non ten a operación {sub}: querías dicir {suggestion}?",
        "en": "qemu-img has no operation {sub}: did you mean {suggestion}?",
    },
    "parse.not_covered": {
        "gl": "O asistente só revisa create, convert, resize, commit, info e rebase.",
        "en": "The builder only checks create, convert, resize, commit, info and rebase.",
    },
    "parse.internal_snapshot": {
        "gl": "qemu-img snapshot xestiona snapshots internos, gardados dentro dun único ficheiro "
              "qcow2. Os snapshots desta lección son ficheiros aparte: qemu-img create -b.",
        "en": "qemu-img snapshot manages internal snapshots, kept inside one qcow2 file. The "
              "snapshots of this lesson are separate files: qemu-img create -b.",
    },
    "parse.needs_value": {"gl": "A opción {option} precisa un valor.",
                          "en": "The option {option} needs a value."},
    "parse.unknown_option": {
        "gl": "O asistente non coñece a opción {option}; mira qemu-img --help.",
        "en": "The builder does not know the option {option}; see qemu-img --help.",
    },
    "parse.option_not_here": {"gl": "{option} non se usa con qemu-img {sub}.",
                              "en": "{option} is not used with qemu-img {sub}."},
    "parse.extra": {"gl": "Sobran argumentos: {extra}.", "en": "Extra arguments: {extra}."},
    # -- the backing-chain diagram ---------------------------------------------------------
    "chain.widget": {"gl": "[Cadea de ficheiros base de {path}]",
                     "en": "[Backing chain of {path}]"},
    "chain.button": {"gl": "Amosar a cadea", "en": "Show the chain"},
    "chain.path": {"gl": "Imaxe", "en": "Image"},
    "chain.summary": {"gl": "Cadea: {chain}", "en": "Chain: {chain}"},
    "chain.role.single": {"gl": "disco independente", "en": "independent disk"},
    "chain.role.top": {"gl": "snapshot: aquí vai o que se escribe",
                       "en": "snapshot: writes go here"},
    "chain.role.middle": {"gl": "capa intermedia (só lectura)",
                          "en": "middle layer (read-only)"},
    "chain.role.base": {"gl": "base (só lectura)", "en": "base (read-only)"},
    "chain.virtual": {"gl": "tamaño virtual", "en": "virtual size"},
    "chain.actual": {"gl": "ocupa no disco", "en": "on disk"},
    "chain.arrow": {"gl": "le o que non ten de", "en": "reads what it lacks from"},
    "chain.no_backing_format": {
        "gl": "non garda o formato da base (creouse sen -F)",
        "en": "stores no backing format (made without -F)",
    },
    "chain.ext_mismatch": {
        "gl": "o nome remata en .{ext} pero ábrese como {format}",
        "en": "the name ends in .{ext} but it is opened as {format}",
    },
    "chain.dirty": {"gl": "marcado como sucio (non se pechou ben)",
                    "en": "marked dirty (not closed cleanly)"},
    "chain.corrupt": {"gl": "marcado como corrupto", "en": "marked corrupt"},
    "chain.missing": {"gl": "Non existe {path}.", "en": "{path} does not exist."},
    "chain.backing_missing": {
        "gl": "A cadea está rota: {path} depende de {missing}, que non existe. Unha máquina "
              "virtual con este disco non arrancaría.",
        "en": "The chain is broken: {path} depends on {missing}, which does not exist. A VM "
              "using this disk would not start.",
    },
    "chain.wrong_format": {"gl": "{path} non está en formato {format}.",
                           "en": "{path} is not in {format} format."},
    "chain.error": {"gl": "Non se puido ler {path}: {reason}",
                    "en": "{path} could not be read: {reason}"},
    "chain.empty_path": {"gl": "Escribe o nome dunha imaxe.", "en": "Give an image name."},
    # -- check my work ---------------------------------------------------------------------
    "check.button": {"gl": "Comprobar o meu traballo", "en": "Check my work"},
    "check.checking": {"gl": "Comprobando…", "en": "Checking…"},
    "check.summary": {"gl": "{title}: {score:g}/{max_score:g} puntos",
                      "en": "{title}: {score:g}/{max_score:g} points"},
    "check.complete": {"gl": "Todo correcto. Bo traballo!",
                       "en": "Everything is right. Well done!"},
    "check.could_not": {"gl": "Non se puido corrixir: {reason}",
                        "en": "Could not grade: {reason}"},
    "check.stand_in": {
        "gl": "Esta corrección non conta: {reason}",
        "en": "This grade does not count: {reason}",
    },
    "check.host": {"gl": "Máquina", "en": "Host"},
    "check.signed": {
        "gl": "Corrixido e asinado polo servizo de corrección da clase (chave {key_id}), "
              "na túa propia máquina de laboratorio.",
        "en": "Graded and signed by the class grading service (key {key_id}), on your own "
              "lab hosts.",
    },
    "check.widget": {"gl": "[Comprobar o meu traballo: {title}]",
                     "en": "[Check my work: {title}]"},
    "check.widget_done": {"gl": "[Comprobar o meu traballo] {summary}",
                          "en": "[Check my work] {summary}"},
}
