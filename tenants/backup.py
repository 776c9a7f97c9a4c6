"""Back up one community (its schema and its media files) into one archive, and restore an archive
into a fresh community under a new code.

The archive is a ``.tar.gz`` holding:

``manifest.json``
    the community (code, name, address, street office), the schema's applied migrations, the
    PostgreSQL versions, every part's SHA-256 and size, and the public-schema rows bound to the
    community that the apps contribute (ledger anchors, staff roles);
``manifest.sig``
    the manifest's SHA-256 signed with the deployment's ``SECRET_KEY`` (``django.core.signing``):
    a checksum alone would let whoever edits the archive also edit the checksum;
``schema.sql``
    ``pg_dump --schema=<code> --no-owner --no-privileges``, plain SQL;
``media.tar``
    the community's media folder (``MEDIA_ROOT/<code>/``).

A restore verifies everything before it creates anything, rewrites the schema name in the SQL (never
inside the data), loads it in one transaction with ``psql``, then creates the community's row, domain
and public rows in one Django transaction; any failure on the way drops what was made.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import dbroles
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, Domain, Membership, StreetOffice, User
from tenants.pgtools import CORRUPT, pg_run, pg_tool, schema_sql_rewrite
from tenants.services import community_code_available, community_domain
from tenants.signals import community_backup_collect, community_restore_apply

FORMAT = "gongkai-community-backup"
FORMAT_VERSION = 1
SIGNING_SALT = "gongkai.community-backup"
PARTS = ("schema.sql", "media.tar")
MEMBERS = ("manifest.json", "manifest.sig", *PARTS)


# --- helpers ---------------------------------------------------------------------------------------------


def media_root_of(code: str) -> Path:
    """The folder the file storage (TenantFileSystemStorage) keeps a community's files in, asked of the
    storage itself so a backup reads exactly where the app writes."""
    with schema_context(code):
        return Path(default_storage.path(""))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_signature(manifest_bytes: bytes) -> str:
    return signing.Signer(salt=SIGNING_SALT).sign(hashlib.sha256(manifest_bytes).hexdigest())


def schema_migrations(code: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{code}".django_migrations ORDER BY id')
        return [[app, name] for app, name in cursor.fetchall()]


# --- backup ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]


def community_backup(*, community: Community, out_dir: Path, now: datetime | None = None) -> Backup:
    """Write ``<code>-<time>.tar.gz`` into ``out_dir`` and return it with its manifest.

    Public rows are collected *before* the schema is dumped: the ledger only grows, so every anchor
    recorded before pg_dump's snapshot names an entry that the snapshot holds.
    """
    code = community.schema_name
    now = now or timezone.now()
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    public: dict[str, Any] = {
        "memberships": [
            {"username": username, "role": role}
            for username, role in Membership.objects.filter(community=community)
            .order_by("user__username", "role")
            .values_list("user__username", "role")
        ]
    }
    for _receiver, answer in community_backup_collect.send(sender=Community, community=community):
        if answer:
            # django-stubs types a receiver's answer as ``str | None``; these receivers return pairs.
            key, data = cast("tuple[str, Any]", answer)
            public[key] = data
    pg_dump = pg_tool("pg_dump")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp_name:
        tmp = Path(tmp_name)
        pg_run(
            [
                pg_dump,
                "--schema",
                code,
                "--no-owner",
                "--no-privileges",
                "--format",
                "plain",
                "--encoding",
                "UTF8",
                "--file",
                str(tmp / "schema.sql"),
            ],
            what="导出数据库",
        )
        with tarfile.open(tmp / "media.tar", "w") as media:
            root = media_root_of(code)
            if root.is_dir():
                media.add(root, arcname="media", recursive=True)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "community": {
                "code": code,
                "name": community.name,
                "address": community.address,
                "street_office": {"code": community.street_office.code, "name": community.street_office.name},
            },
            "schema": {
                "name": code,
                "migrations": schema_migrations(code),
                "server_version": connection.pg_version,  # type: ignore[attr-defined]  # PostgreSQL backend
                "pg_dump": subprocess.run(
                    [pg_dump, "--version"], capture_output=True, text=True
                ).stdout.strip(),
            },
            "parts": {
                part: {"sha256": sha256_of(tmp / part), "bytes": (tmp / part).stat().st_size}
                for part in PARTS
            },
            "public": public,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        (tmp / "manifest.json").write_bytes(manifest_bytes)
        (tmp / "manifest.sig").write_text(_manifest_signature(manifest_bytes))
        target = out_dir / f"{code}-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            for member in MEMBERS:
                archive.add(tmp / member, arcname=member)
        os.replace(partial, target)
    return Backup(path=target, manifest=manifest)


# --- reading and checking an archive ------------------------------------------------------------------


def backup_open(*, archive: Path, into: Path) -> dict[str, Any]:
    """Unpack the known members of ``archive`` into ``into`` and check them; return the manifest.

    Refuses (InvalidInput) an unreadable archive, a missing part, a manifest whose signature does not
    match this deployment's key, and a part whose SHA-256 differs from the manifest's.
    """
    if not archive.is_file():
        raise InvalidInput(f"找不到备份文件:{archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for name in MEMBERS:
                try:
                    info = tar.getmember(name)
                except KeyError:
                    raise InvalidInput(f"{CORRUPT}:缺少 {name}。") from None
                source = tar.extractfile(info) if info.isfile() else None
                if source is None:
                    raise InvalidInput(f"{CORRUPT}:{name} 不是普通文件。")
                with source, (into / name).open("wb") as out:
                    shutil.copyfileobj(source, out)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise InvalidInput(f"{CORRUPT}({exc})。") from exc
    manifest_bytes = (into / "manifest.json").read_bytes()
    try:
        signed = signing.Signer(salt=SIGNING_SALT).unsign((into / "manifest.sig").read_text().strip())
    except signing.BadSignature:
        raise InvalidInput(
            "备份清单的签名不符:备份文件被改动过,或者来自密钥(SECRET_KEY)不同的另一套部署。已拒绝恢复。"
        ) from None
    if signed != hashlib.sha256(manifest_bytes).hexdigest():
        raise InvalidInput("备份清单被改动过(与签名不符)。已拒绝恢复。")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise InvalidInput(f"{CORRUPT}:清单无法读取。") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(
            f"{CORRUPT}:格式 {manifest.get('format')} v{manifest.get('format_version')} 不认识。"
        )
    for part in PARTS:
        expected = manifest["parts"][part]["sha256"]
        if sha256_of(into / part) != expected:
            raise InvalidInput(f"备份中的 {part} 与清单记录的 SHA-256 不符:文件已损坏或被改动。已拒绝恢复。")
    return manifest


def _migrations_check(manifest: dict[str, Any]) -> bool:
    """Refuse an archive made by newer code; say whether the restored schema needs migrating."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {(app, name) for app, name in manifest["schema"]["migrations"]}
    unknown = sorted(archived - known)
    if unknown:
        names = "、".join(f"{app}.{name}" for app, name in unknown[:5])
        raise InvalidInput(f"这份备份来自更新版本的系统(本系统没有这些数据库迁移:{names})。请先升级再恢复。")
    tenant_apps = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    return any(app in tenant_apps and (app, name) not in archived for app, name in known)


# --- restore ---------------------------------------------------------------------------------------------


def community_restore(
    *,
    archive: Path,
    code: str,
    name: str | None = None,
    street_office: StreetOffice | None = None,
    with_memberships: bool = False,
) -> Community:
    """Restore ``archive`` as a new community ``code``: a new schema, domain and media folder.

    Refuses a code that is taken (community, schema, domain or media folder), and an archive that is
    corrupt, altered or from newer code, before creating anything. Whatever fails afterwards is undone:
    the schema is dropped, the rows deleted, the media folder removed.

    The ledger hash chain binds no schema name and no community id (only each entry's sequence, action,
    time, disclosure id, actor id, payload and the previous hash), so the restored chain verifies as it
    is; the original community's anchors come back bound to the new community, so ``verify_ledger``
    also checks the restored chain against the heads the street office recorded.
    """
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    code = community_code_available(code)
    domain_name = community_domain(code)
    media_root = media_root_of(code)
    if media_root.exists() and any(media_root.iterdir()):
        raise Conflict(f"文件夹 {media_root} 已有文件,不能恢复到这里。", code="media_exists")

    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp_name:
        tmp = Path(tmp_name)
        manifest = backup_open(archive=archive, into=tmp)
        needs_migrate = _migrations_check(manifest)
        source = manifest["community"]
        office = street_office or StreetOffice.objects.filter(code=source["street_office"]["code"]).first()
        if office is None:
            raise InvalidInput(
                f"备份所属的街道“{source['street_office']['code']}”在本系统中不存在;"
                "请用 --street-office 指定。"
            )
        schema_sql_rewrite(
            source=tmp / "schema.sql", target=tmp / "restore.sql", old=source["code"], new=code
        )
        psql = pg_tool("psql")

        made_schema = made_media = False
        community: Community | None = None
        try:
            made_schema = True
            pg_run(
                [
                    psql,
                    "--no-psqlrc",
                    "--quiet",
                    "--single-transaction",
                    "--set",
                    "ON_ERROR_STOP=1",
                    "--file",
                    str(tmp / "restore.sql"),
                ],
                what="恢复数据库",
            )
            with transaction.atomic():
                community = Community(
                    schema_name=code,
                    name=(name or source["name"]).strip(),
                    street_office=office,
                    address=source.get("address", ""),
                )
                community.auto_create_schema = False  # the schema came from the archive
                community.save(verbosity=0)
                Domain.objects.create(domain=domain_name, tenant=community, is_primary=True)
                public = manifest.get("public", {})
                community_restore_apply.send(sender=Community, community=community, public=public)
                if with_memberships:
                    users = User.objects.in_bulk(
                        [m["username"] for m in public.get("memberships", [])], field_name="username"
                    )
                    Membership.objects.bulk_create(
                        [
                            Membership(user=users[m["username"]], community=community, role=m["role"])
                            for m in public.get("memberships", [])
                            if m["username"] in users
                        ]
                    )
            if needs_migrate:
                from django.core.management import call_command

                call_command("migrate_schemas", schema_name=code, tenant=True, interactive=False, verbosity=0)
            connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
            dbroles.runtime_grant([code])  # the runtime role reads and writes its rows, owns none of it
            try:
                with tarfile.open(tmp / "media.tar") as media:
                    media.extractall(tmp / "unpacked", filter="data")
            except tarfile.TarError as exc:
                raise InvalidInput(f"{CORRUPT}:媒体文件部分无法安全解开({exc})。已撤销恢复。") from exc
            made_media = True
            if (tmp / "unpacked" / "media").is_dir():
                shutil.copytree(tmp / "unpacked" / "media", media_root, dirs_exist_ok=True)
        except BaseException:
            connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
            # The schema first: the public record of a ledger's heads may only go once the ledger has.
            if made_schema:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
            if community is not None and community.pk:
                Community.objects.filter(pk=community.pk).delete()
            if made_media:
                shutil.rmtree(media_root, ignore_errors=True)
            raise
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    return community
