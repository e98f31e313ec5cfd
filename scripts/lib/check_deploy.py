"""The checks of scripts/check-deploy (see there). Arguments: the repository, the ossfuse binary."""
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

repo, ossfuse = sys.argv[1], sys.argv[2]
build = "--build" in sys.argv[3:]
problems = []


def problem(text):
    problems.append(text)
    print(f"check-deploy: FAIL {text}")


def ok(text):
    print(f"check-deploy: ok   {text}")


# ---- Dockerfile -----------------------------------------------------------------------------

def dockerfile_instructions(text):
    """(instruction, argument text) pairs, continuation lines joined, comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        word, _, rest = current.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    return out


def dockerignore_patterns():
    path = os.path.join(repo, ".dockerignore")
    if not os.path.exists(path):
        return []
    return [p.strip().rstrip("/") for p in open(path) if p.strip() and not p.startswith("#")]


def apt_packages(command):
    """Package names after `apt-get install` (options skipped) in a RUN command."""
    packages = []
    for segment in re.split(r"&&|;|\|\|", command):
        words = shlex.split(segment)
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
            packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return packages


def check_dockerfile():
    text = open(os.path.join(repo, "Dockerfile")).read()
    instructions = dockerfile_instructions(text)
    stages, installed, ignore = [], set(), dockerignore_patterns()
    for word, arg in instructions:
        if word == "FROM":
            parts = arg.split()
            stages.append(parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None)
        elif word == "RUN":
            if arg.startswith("["):
                problem(f"Dockerfile: exec-form RUN not checked: {arg}")
                continue
            result = subprocess.run(["bash", "-n", "-c", arg], capture_output=True, text=True)
            if result.returncode != 0:
                problem(f"Dockerfile: RUN is not valid shell: {result.stderr.strip()}")
            else:
                ok(f"Dockerfile: RUN parses: {arg[:70]}...")
            for package in apt_packages(arg):
                shown = subprocess.run(["apt-cache", "show", package], capture_output=True, text=True)
                if shown.returncode != 0 or not shown.stdout.strip():
                    problem(f"Dockerfile: apt package {package} does not exist here")
                else:
                    ok(f"Dockerfile: apt package {package} exists")
            installed |= set(re.findall(r"\s/out(/\S+)", arg))
            if "/etc/fuse.conf" in arg:
                check_fuse_conf_edit(arg)
        elif word == "COPY":
            words = arg.split()
            source_from = [w for w in words if w.startswith("--from=")]
            paths = [w for w in words if not w.startswith("--")]
            if source_from:
                stage = source_from[0].split("=", 1)[1]
                if stage not in stages:
                    problem(f"Dockerfile: COPY --from={stage} names no earlier stage ({stages})")
                continue
            for source in paths[:-1]:
                if not os.path.exists(os.path.join(repo, source)):
                    problem(f"Dockerfile: COPY source {source} does not exist")
                elif any(fnmatch.fnmatch(source.rstrip("/"), p) for p in ignore):
                    problem(f"Dockerfile: COPY source {source} is excluded by .dockerignore")
                else:
                    ok(f"Dockerfile: COPY source {source} exists")
        elif word == "ENTRYPOINT":
            binary = yaml.safe_load(arg)[0]
            if binary not in installed:
                problem(f"Dockerfile: ENTRYPOINT {binary} is not what the build installs ({sorted(installed)})")
            else:
                ok(f"Dockerfile: ENTRYPOINT {binary} is installed by the build stage")
            if "-f" not in yaml.safe_load(arg):
                problem("Dockerfile: the ENTRYPOINT must keep ossfuse in the foreground (-f)")
    if len(stages) < 2:
        problem("Dockerfile: expected a multi-stage build (build, then run)")


def check_fuse_conf_edit(command):
    """Runs the sed that enables user_allow_other on a copy of this machine's /etc/fuse.conf."""
    match = re.search(r"sed -i '([^']+)' /etc/fuse.conf", command)
    if not match or not os.path.exists("/etc/fuse.conf"):
        return
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "fuse.conf")
        shutil.copy("/etc/fuse.conf", copy)
        subprocess.run(["sed", "-i", match.group(1), copy], check=True)
        if not re.search(r"^user_allow_other", open(copy).read(), re.M):
            problem("Dockerfile: the /etc/fuse.conf edit does not enable user_allow_other")
        else:
            ok("Dockerfile: the /etc/fuse.conf edit enables user_allow_other (run on a copy)")


def run_build_stage():
    """Runs the build stage's commands here, as a script, in a scratch copy of what it COPYs
    (apt-get lines skipped: scripts/install-deps installed the same packages), /out redirected
    into the scratch directory; then checks the binary runs and links no Swift library."""
    text = open(os.path.join(repo, "Dockerfile")).read()
    stage_index, workdir = -1, "/"
    with tempfile.TemporaryDirectory(prefix="check-deploy-") as scratch:
        for word, arg in dockerfile_instructions(text):
            if word == "FROM":
                stage_index += 1
            if stage_index != 0:
                continue
            if word == "WORKDIR":
                workdir = arg
                os.makedirs(scratch + workdir, exist_ok=True)
            elif word == "COPY":
                source, destination = arg.split()[0], arg.split()[1]
                target = os.path.normpath(os.path.join(scratch + workdir, destination))
                if os.path.isdir(os.path.join(repo, source)):
                    shutil.copytree(os.path.join(repo, source), target, dirs_exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy(os.path.join(repo, source), target)
            elif word == "RUN" and "apt-get" not in arg:
                command = arg.replace(" /out/", f" {scratch}/out/")
                print(f"check-deploy: running the build stage's RUN: {command[:100]}...", flush=True)
                if subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=scratch + workdir).returncode != 0:
                    problem("Dockerfile: the build stage's RUN failed here")
                    return
        binary = os.path.join(scratch, "out/usr/local/bin/ossfuse")
        result = subprocess.run([binary, "--version"], capture_output=True, text=True)
        if result.returncode != 0:
            problem(f"Dockerfile: the built ossfuse does not run: {result.stderr.strip()}")
        linked = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
        swift_libraries = [line.split()[0] for line in linked.splitlines() if "libswift" in line or "libFoundation" in line]
        if swift_libraries:
            problem(f"Dockerfile: the built ossfuse still links Swift libraries the run stage lacks: {swift_libraries}")
        else:
            ok(f"Dockerfile: the build stage's commands built ossfuse {result.stdout.strip()} with no Swift library linked")


# ---- ossfuse options ------------------------------------------------------------------------

def known_options():
    help_text = subprocess.run([ossfuse, "--help"], capture_output=True, text=True).stdout
    names = set()
    section = help_text.split("MOUNT OPTIONS", 1)[1].split("EXAMPLES:", 1)[0]
    ignored = False
    for line in section.splitlines():
        if line.startswith(" ") and not line.startswith("  "):  # a heading (" Logging")
            ignored = line.strip().startswith("Accepted and ignored")
            continue
        tokens = line.split()
        if not tokens or not line.startswith("  ") or line.startswith("   "):
            continue  # a continuation of a description
        # "  name=VALUE  description", "  uid=N  gid=N", or the accepted-and-ignored word list.
        candidates = tokens if ignored else [tokens[0]] + [t for t in tokens[1:2] if "=" in t]
        for token in candidates:
            match = re.fullmatch(r"([a-z_][a-z0-9_]*)(=\S*)?", token)
            if match:
                names.add(match.group(1))
    flags = set(re.findall(r"^\s+(-[a-z])\b", help_text, re.M)) | {"--version", "--help", "-h"}
    return names, flags


def option_names(option_text):
    return [o.split("=", 1)[0] for o in option_text.split(",") if o]


def check_command_line(where, args, names, flags):
    """args: everything after `ossfuse`."""
    positional, i = [], 0
    while i < len(args):
        arg = args[i]
        if arg == "-o":
            i += 1
            for name in option_names(args[i] if i < len(args) else ""):
                check_option(where, name, names)
        elif arg.startswith("-o") and len(arg) > 2:
            for name in option_names(arg[2:]):
                check_option(where, name, names)
        elif arg.startswith("-"):
            if arg not in flags:
                problem(f"{where}: ossfuse has no flag {arg}")
        else:
            positional.append(arg)
        i += 1
    if len(positional) > 2:
        problem(f"{where}: more than BUCKET and MOUNTPOINT given: {positional}")
    ok(f"{where}: ossfuse {' '.join(args)[:90]}")


def is_option(name, names):
    return name.startswith("x-") or name == "comment" or name in names


def check_option(where, name, names):
    if not is_option(name, names):
        problem(f"{where}: ossfuse has no -o {name}")


def check_manifest_commands(names, flags):
    for root, _, files in os.walk(os.path.join(repo, "deploy")):
        for file in sorted(files):
            path = os.path.join(root, file)
            where = os.path.relpath(path, repo)
            if file.endswith((".yaml", ".yml")):
                try:
                    documents = list(yaml.safe_load_all(open(path)))
                except yaml.YAMLError as error:
                    problem(f"{where}: does not parse: {error}")
                    continue
                ok(f"{where}: parses ({len(documents)} document{'s' if len(documents) != 1 else ''})")
                for document in documents:
                    check_document(where, document, names, flags)
            elif file.endswith(".service"):
                for line in open(path):
                    if line.startswith("ExecStart="):
                        words = shlex.split(line.split("=", 1)[1])
                        if not words[0].endswith("/ossfuse"):
                            problem(f"{where}: ExecStart does not run ossfuse")
                        if "-f" not in words:
                            problem(f"{where}: Type=notify needs ossfuse -f (no daemonizing)")
                        check_command_line(where, words[1:], names, flags)
            elif file.endswith(".mount"):
                for line in open(path):
                    if line.startswith("Options="):
                        for name in option_names(line.split("=", 1)[1].strip()):
                            check_option(where, name, names)
                        ok(f"{where}: mount Options are ossfuse options")
                    if line.startswith("Type=") and line.strip() != "Type=fuse.ossfuse":
                        problem(f"{where}: Type must be fuse.ossfuse (mount.fuse3 runs ossfuse)")


def check_document(where, document, names, flags):
    """Containers running the ossfuse image, and a Fluid ThinRuntime's fuse args."""
    if not isinstance(document, dict):
        return
    kind = document.get("kind")
    spec = document.get("spec") or {}
    if kind == "Pod":
        for container in spec.get("initContainers", []) + spec.get("containers", []):
            if "ossfuse" in container.get("image", ""):
                command = container.get("command") or ["/usr/local/bin/ossfuse", "-f"]  # the image's ENTRYPOINT
                check_command_line(f"{where} ({container['name']})", command[1:] + container.get("args", []), names, flags)
    elif kind == "ThinRuntimeProfile":
        command = spec.get("fuse", {}).get("command", [])
        if not command or not command[0].endswith("ossfuse"):
            problem(f"{where}: the profile's fuse command must run ossfuse")
    elif kind == "ThinRuntime":
        check_command_line(f"{where} (ThinRuntime)", ["-f"] + spec.get("fuse", {}).get("args", []), names, flags)


# ---- systemd --------------------------------------------------------------------------------

def check_systemd():
    analyze = shutil.which("systemd-analyze")
    directory = os.path.join(repo, "deploy", "systemd")
    units = sorted(f for f in os.listdir(directory) if f.endswith((".service", ".mount", ".automount")))
    if not analyze:
        print("check-deploy: skip systemd-analyze verify: systemd-analyze is not installed here")
        return
    with tempfile.TemporaryDirectory() as scratch:
        for unit in units:
            text = open(os.path.join(directory, unit)).read().replace("/usr/local/bin/ossfuse", ossfuse)
            open(os.path.join(scratch, unit), "w").write(text)
        result = subprocess.run([analyze, "verify", "--man=no"] + [os.path.join(scratch, u) for u in units],
                                capture_output=True, text=True)
        # verify exits 0 for many problems it only warns about: any message is a problem.
        messages = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or messages:
            problem(f"systemd-analyze verify: {messages or result.returncode}")
        else:
            ok(f"systemd-analyze verify: {' '.join(units)}")


names, flags = known_options()
if os.environ.get("CHECK_DEPLOY_VERBOSE"):
    print("ossfuse -o options:", " ".join(sorted(names)), "flags:", " ".join(sorted(flags)))
# The checker must be able to fail: an option that does not exist is refused.
if is_option("no_such_option", names) or is_option("metrics_port", names):
    print("check-deploy: FAIL the option check accepts an unknown option")
    sys.exit(1)
for required in ("url", "metrics", "stop_timeout", "credentials_dir", "allow_other", "passwd_file"):
    if required not in names:
        problem(f"ossfuse --help does not list -o {required}: the option list was not read")

check_dockerfile()
if build:
    run_build_stage()
check_manifest_commands(names, flags)
check_systemd()
if problems:
    print(f"check-deploy: {len(problems)} problem(s)")
    sys.exit(1)
print("check-deploy: all checks passed")
