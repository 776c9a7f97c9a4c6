"""A fresh machine, two commands: the Makefile's Debian-package step, run against a fake machine.

The step is `scripts/system_packages.py` with the list the Makefile passes for a target. Here it runs
with a PATH and a file-system root made by the test (so "chromium is not installed" without
uninstalling anything), and with a fake `apt-get` that records what it was asked and "installs" by
creating the command or font file. Not root: the real unprivileged path (the test drops to `nobody`
when it runs as root). Root: the real install path, against the fake apt-get.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system_packages.py"
AS_ROOT = os.geteuid() == 0

FAKE_APT = """#!/bin/sh
# records each call; `install` creates the command or file each named package is detected by
PATH=/usr/bin:/bin
echo "$*" >> "{log}"
[ "$1" = install ] || exit 0
[ -n "{fail}" ] && exit 100
for arg in "$@"; do
  case "$arg" in
{cases}
  esac
done
"""


def dry_run(target: str, *variables: str) -> str:
    """What ``make -n target`` would run, as a make started from a shell prints it: this suite itself
    runs under ``make test``, whose MAKEFLAGS/MAKELEVEL would otherwise make the inner make print its
    ``Entering directory`` lines and inherit the outer one's flags."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
    }
    return subprocess.run(
        ["make", "-n", target, *variables], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def make_step(target: str, *variables: str) -> list[str]:
    """The package specs the Makefile checks first for ``target`` (read from ``make -n``)."""
    lines = dry_run(target, *variables).splitlines()
    first = shlex.split(lines[0])
    assert first[1] == "scripts/system_packages.py", f"make {target} does not start with the package step"
    return first[2:]


@dataclass
class Machine:
    """A PATH directory and a file-system root; packages are "installed" by creating their marks."""

    base: Path
    specs: list[str]

    @property
    def bin(self) -> Path:
        return self.base / "bin"

    @property
    def root(self) -> Path:
        return self.base / "root"

    @property
    def apt_log(self) -> Path:
        return self.base / "apt.log"

    def _create(self, kind: str, target: str) -> None:
        path = self.bin / target if kind == "cmd" else self.root / target.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)

    def install_all(self, *, except_: tuple[str, ...] = ()) -> None:
        for spec in self.specs:
            package, _, how = spec.partition("=")
            kind, _, target = how.partition(":")
            if package not in except_ and kind in ("cmd", "file"):
                self._create(kind, target)

    def fake_apt(self, *, fail: bool = False) -> None:
        cases = []
        for spec in self.specs:
            package, _, how = spec.partition("=")
            kind, _, target = how.partition(":")
            path = self.bin / target if kind == "cmd" else self.root / target.lstrip("/")
            cases.append(f'    {package}) mkdir -p "{path.parent}"; : > "{path}"; chmod 755 "{path}";;')
        apt = self.bin / "apt-get"
        apt.write_text(FAKE_APT.format(log=self.apt_log, fail="yes" if fail else "", cases="\n".join(cases)))
        apt.chmod(0o755)

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []

    def run(self, *args: str, as_root: bool) -> subprocess.CompletedProcess[str]:
        """The script with ``args``, as root or as an unprivileged user, on this fake machine."""
        python = sys.executable if as_root else unprivileged_python()
        return self.run_command([python, str(self.base / "system_packages.py"), *args], as_root=as_root)

    def run_command(self, command: list[str], *, as_root: bool) -> subprocess.CompletedProcess[str]:
        env = {"PATH": str(self.bin), "SYSTEM_PACKAGES_ROOT": str(self.root), "LANG": "C.UTF-8"}
        if AS_ROOT and not as_root:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("no setpriv to run as the nobody user")
            command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def unprivileged_python() -> str:
    """A python3 the nobody user can run (the test's own interpreter may live under /root)."""
    if not AS_ROOT:
        return sys.executable
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("no system python3 that the nobody user can run")
    return python


@pytest.fixture
def machine() -> Iterator[Machine]:
    # world-readable, so the nobody user can read the script and the fake machine
    base = Path(tempfile.mkdtemp(prefix="system-packages-"))
    base.chmod(0o755)
    shutil.copy(SCRIPT, base / "system_packages.py")
    (base / "system_packages.py").chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    (base / "bin").mkdir(mode=0o755)
    (base / "root").mkdir(mode=0o755)
    try:
        yield Machine(base=base, specs=make_step("test"))
    finally:
        shutil.rmtree(base)


def test_make_test_checks_chromium_and_its_font_before_installing_anything() -> None:
    packages = [spec.partition("=")[0] for spec in make_step("test")]
    for needed in ("chromium", "fonts-noto-cjk", "npm"):
        assert needed in packages
    # the PDFs' font comes from the npm registry (package.json), not from a Debian package
    assert not [p for p in packages if p.startswith("fonts-") and p != "fonts-noto-cjk"]
    lines = dry_run("test")
    assert lines.index("system_packages.py") < lines.index("pytest")


def test_make_demo_needs_npm_but_no_font_package_and_not_chromium() -> None:
    packages = [spec.partition("=")[0] for spec in make_step("demo")]
    assert "npm" in packages
    assert "chromium" not in packages
    assert not [p for p in packages if p.startswith("fonts-")]


def test_without_a_virtualenv_make_first_needs_pythons_venv_module(tmp_path: Path) -> None:
    venv_package = "python{}.{}-venv=module:ensurepip".format(*sys.version_info[:2])
    assert venv_package in make_step("test", f"VENV={tmp_path}/venv", f"PYTHON={sys.executable}")
    assert venv_package not in make_step("test")  # this run's virtualenv exists


def test_make_test_future_also_needs_faketime() -> None:
    assert "faketime" in [spec.partition("=")[0] for spec in make_step("test-future")]


def test_without_chromium_and_not_root_it_stops_at_once_with_the_one_apt_line(machine: Machine) -> None:
    machine.install_all(except_=("chromium",))
    machine.fake_apt()
    started = time.monotonic()
    done = machine.run(*machine.specs, as_root=False)
    assert time.monotonic() - started < 5
    assert done.returncode == 1
    commands = [line.strip() for line in done.stderr.splitlines() if "apt-get" in line]
    assert commands == ["sudo apt-get install chromium"]
    assert machine.apt_calls() == []


def test_every_missing_package_is_on_the_one_line_in_the_makefiles_order(machine: Machine) -> None:
    machine.fake_apt()
    done = machine.run(*machine.specs, as_root=False)
    assert done.returncode == 1
    packages = [spec.partition("=")[0] for spec in machine.specs if "=module:" not in spec]
    assert f"    sudo apt-get install {' '.join(packages)}" in done.stderr.splitlines()


@pytest.mark.parametrize("as_root", [False, True] if AS_ROOT else [False])
def test_with_everything_present_it_does_nothing(machine: Machine, as_root: bool) -> None:
    machine.install_all()
    machine.fake_apt()
    done = machine.run(*machine.specs, as_root=as_root)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert machine.apt_calls() == []


@pytest.mark.skipif(not AS_ROOT, reason="the install path runs only as root")
def test_as_root_it_updates_once_installs_only_the_missing_and_is_idempotent(machine: Machine) -> None:
    machine.install_all(except_=("chromium", "fonts-noto-cjk"))
    machine.fake_apt()
    done = machine.run(*machine.specs, as_root=True)
    assert done.returncode == 0, done.stderr
    assert machine.apt_calls() == ["update -q", "install -y -q chromium fonts-noto-cjk"]
    again = machine.run(*machine.specs, as_root=True)
    assert (again.returncode, again.stderr) == (0, "")
    assert len(machine.apt_calls()) == 2


@pytest.mark.skipif(not AS_ROOT, reason="the install path runs only as root")
def test_as_root_a_failed_install_stops_make(machine: Machine) -> None:
    machine.install_all(except_=("chromium",))
    machine.fake_apt(fail=True)
    done = machine.run(*machine.specs, as_root=True)
    assert done.returncode == 1
    assert "apt-get install -y -q chromium" in done.stderr


@pytest.mark.skipif(not AS_ROOT, reason="the install path runs only as root")
def test_check_never_installs_even_as_root(machine: Machine) -> None:
    machine.install_all(except_=("chromium",))
    machine.fake_apt()
    done = machine.run("--check", *machine.specs, as_root=True)
    assert done.returncode == 1
    assert "    apt-get install chromium" in done.stderr.splitlines()
    assert machine.apt_calls() == []


def test_a_missing_python_module_names_its_package(machine: Machine) -> None:
    done = machine.run("python3.99-venv=module:no_such_module_gongkai", as_root=False)
    assert done.returncode == 1
    assert "    sudo apt-get install python3.99-venv" in done.stderr.splitlines()
    present = machine.run("python3.99-venv=module:json", as_root=False)
    assert (present.returncode, present.stderr) == (0, "")


@pytest.mark.parametrize("spec", ["chromium", "chromium=cmd:", "x=file:relative/path", "x=rpm:foo", "=cmd:x"])
def test_a_bad_spec_is_refused(machine: Machine, spec: str) -> None:
    done = machine.run(spec, as_root=False)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_ci_runs_only_the_readmes_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in ci if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make lint", "make test"]
    readme = (ROOT / "README.md").read_text()
    for command in commands:
        assert f"\n{command} " in readme


@pytest.mark.parametrize(("selection", "stops"), [([], True), (["-m", "not browser"], False)])
def test_pytest_without_chromium_stops_before_any_browser_test(selection: list[str], stops: bool) -> None:
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            *selection,
            "tests/tenants/test_browser.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    if stops:
        assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
        assert "sudo apt-get install chromium" in output
    else:
        assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, output


def test_make_test_itself_stops_at_once_without_chromium_before_installing_anything(machine: Machine) -> None:
    """The real Makefile on a clean copy of the project, on a machine without chromium, not as root."""
    project = machine.base / "project"
    (project / "scripts").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "package-lock.json", "scripts/system_packages.py"):
        shutil.copy(ROOT / name, project / name)
    for path in (project, *project.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    machine.install_all(except_=("chromium",))
    machine.fake_apt()
    python = unprivileged_python()
    make = shutil.which("make")
    assert make is not None
    expected = ["chromium"]
    probe = "import importlib.util as u, sys; print(u.find_spec('ensurepip') is None, *sys.version_info[:2])"
    no_ensurepip, major, minor = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    if no_ensurepip == "True":
        expected.insert(0, f"python{major}.{minor}-venv")
    started = time.monotonic()
    done = machine.run_command([make, "-C", str(project), "test", f"PYTHON={python}"], as_root=False)
    assert time.monotonic() - started < 10
    assert done.returncode != 0
    commands = [line.strip() for line in done.stderr.splitlines() if "apt-get" in line]
    assert commands == [f"sudo apt-get install {' '.join(expected)}"]
    assert not (project / ".venv").exists()
    assert "pytest" not in done.stdout
    assert machine.apt_calls() == []
