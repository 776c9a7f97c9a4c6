"""PostgreSQL's client tools (``pg_dump``, ``psql``) run against Django's own database, and the rewrite
of a plain dump into another schema.

Backups (``tenants.backup``) and fast provisioning (``tenants.provisioning``) both use them. They live
apart from both and know no model, so creating a community's schema (``Community.create_schema`` →
provisioning) does not pull the backup module, and with it the models, back in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection

from tenants.errors import InvalidInput

CORRUPT = "备份文件已损坏,或者不是本系统的社区备份"


class BackupToolMissing(InvalidInput):
    code = "pg_tool_missing"


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20).stdout
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else None


def pg_tool(name: str) -> str:
    """The ``pg_dump``/``psql`` whose major version matches the server's (a newer one also works).

    ``GONGKAI_PG_BIN`` names a folder to use first. Without ``DATABASE_URL`` the embedded server's own
    binaries (shipped in the ``pgserver`` wheel) come first; with it, the ones on ``PATH``.
    """
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]  # PostgreSQL backend
    folders: list[str] = []
    if os.environ.get("GONGKAI_PG_BIN"):
        folders.append(os.environ["GONGKAI_PG_BIN"])
    embedded: list[str] = []
    try:
        import pgserver

        embedded.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    on_path = [os.path.dirname(p) for p in [shutil.which(name)] if p]
    folders += (on_path + embedded) if os.environ.get("DATABASE_URL") else (embedded + on_path)
    candidates = [os.path.join(f, name) for f in folders if os.path.isfile(os.path.join(f, name))]
    majors = {c: _tool_major(c) for c in candidates}
    for wanted in (lambda m: m == server_major, lambda m: m > server_major):
        for candidate, major in majors.items():
            if major is not None and wanted(major):
                return candidate
    found = "、".join(f"{c}({m})" for c, m in majors.items()) or "无"
    raise BackupToolMissing(
        f"找不到与数据库服务器(PostgreSQL {server_major})相符的 {name}。已找到:{found}。"
        f"请安装 postgresql-client-{server_major},或用 GONGKAI_PG_BIN 指定其所在目录。"
    )


def libpq_env() -> dict[str, str]:
    """The connection Django uses, spelled for libpq's command-line tools."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": host,
        "PGPORT": db.get("PORT"),
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def pg_run(args: list[str], *, what: str) -> None:
    """Run a client tool on Django's database; its error output becomes the refusal's message."""
    result = subprocess.run(args, env=libpq_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise InvalidInput(f"{what}失败:{(result.stderr or result.stdout).strip()[-2000:]}")


def schema_sql_rewrite(*, source: Path, target: Path, old: str, new: str) -> None:
    """Move every object of ``old`` into ``new`` in a plain pg_dump, leaving the data untouched.

    pg_dump qualifies every name with its schema, so ``old.`` (or ``"old".``) outside the COPY data
    blocks and comments is the schema; rows between ``COPY … FROM stdin;`` and ``\\.`` pass unchanged.
    As a guard, a COPY that would still write anywhere but ``new`` stops the restore.
    """
    qualified = re.compile(rf'(?<![\w"$]){re.escape(old)}\.|"{re.escape(old)}"\.')
    schema_statement = re.compile(
        rf'^((?:CREATE|ALTER|COMMENT ON) SCHEMA )(?:{re.escape(old)}|"{re.escape(old)}")\b'
    )
    in_copy = False
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        for line in src:
            if in_copy:
                if line.rstrip("\r\n") == "\\.":
                    in_copy = False
                dst.write(line)
                continue
            if line.startswith("--"):
                dst.write(line)
                continue
            line = qualified.sub(f'"{new}".', line)
            line = schema_statement.sub(rf'\1"{new}"', line)
            if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
                if not line.startswith(f'COPY "{new}".'):
                    raise InvalidInput(f"{CORRUPT}:有一段数据不属于社区 {old}。已拒绝恢复。")
                in_copy = True
            dst.write(line)
