#!/usr/bin/env python3
"""The Debian packages a make target needs: present, installed now (as root), or one line to run.

    python3 scripts/system_packages.py [--check] PACKAGE=HOW ...

HOW tells whether PACKAGE is there:

- ``cmd:NAME``     an executable NAME on ``PATH``;
- ``file:/PATH``   a file (looked up under ``$SYSTEM_PACKAGES_ROOT`` when that is set);
- ``module:NAME``  a module the Python running this script can import (``ensurepip`` → ``venv`` works).

Everything present: prints nothing, exits 0. Something missing and run as root: ``apt-get update``
once, ``apt-get install`` only what is missing, then checks again. Not root, or ``--check``: prints the
one ``apt-get install`` line to run and exits 1 at once. A bad argument exits 2.

The Makefile passes each target's list (``make demo``: PDFs' fonts and npm; ``make test``: those and
chromium), so a fresh machine needs only Python and make before ``make demo`` and ``make test``. This
file runs before the virtualenv exists: standard library only.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

KINDS = ("cmd", "file", "module")
USAGE = "usage: system_packages.py [--check] PACKAGE=cmd:NAME|file:/PATH|module:NAME ..."


def parse(specs: list[str]) -> list[tuple[str, str, str]]:
    """``["chromium=cmd:chromium"]`` → ``[("chromium", "cmd", "chromium")]``; ValueError on a bad one."""
    parsed = []
    for spec in specs:
        package, _, how = spec.partition("=")
        kind, _, target = how.partition(":")
        if not package or kind not in KINDS or not target or (kind == "file" and not target.startswith("/")):
            raise ValueError(f"bad package spec {spec!r}")
        parsed.append((package, kind, target))
    return parsed


def present(kind: str, target: str) -> bool:
    if kind == "cmd":
        return shutil.which(target) is not None
    if kind == "file":
        root = os.environ.get("SYSTEM_PACKAGES_ROOT", "")
        return Path(root + target).is_file()
    return importlib.util.find_spec(target) is not None


def missing(required: list[tuple[str, str, str]]) -> list[str]:
    """The packages whose command, file or module is absent, each once, in the order given."""
    names: list[str] = []
    for package, kind, target in required:
        if package not in names and not present(kind, target):
            names.append(package)
    return names


def install_line(packages: list[str], *, root: bool) -> str:
    return ("" if root else "sudo ") + "apt-get install " + " ".join(packages)


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    specs = [a for a in argv if a != "--check"]
    try:
        required = parse(specs)
    except ValueError as error:
        print(f"{error}\n{USAGE}", file=sys.stderr)
        return 2
    lacking = missing(required)
    if not lacking:
        return 0
    root = os.geteuid() == 0
    if check_only or not root:
        print(
            f"缺少 Debian 软件包 / missing Debian packages: {' '.join(lacking)}\n"
            f"请先运行 / run this first:\n\n    {install_line(lacking, root=root)}\n",
            file=sys.stderr,
        )
        return 1
    print(f"安装 Debian 软件包 / installing Debian packages: {' '.join(lacking)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *lacking]):
        try:
            done = subprocess.run(command, env=env, check=False)
        except FileNotFoundError:
            print("没有 apt-get:需要 Debian 或 Ubuntu / no apt-get: Debian or Ubuntu needed", file=sys.stderr)
            return 1
        if done.returncode != 0:
            print(f"失败 / failed: {' '.join(command)}", file=sys.stderr)
            return 1
    still = missing(required)
    if still:
        print(f"安装后仍缺少 / still missing after installing: {' '.join(still)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
