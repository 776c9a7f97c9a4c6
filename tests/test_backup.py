"""A community's backup restores into a fresh community whose ledger still verifies; a corrupt or altered
archive, or a taken code, is refused and nothing is left half-made.

pg_dump and psql are separate processes, so what they read must be committed: these tests use
``committed`` and remove the schemas, rows, users and files they make.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_exists, tenant_context

from disclosure import services as disclosure_services
from disclosure.choices import Category
from disclosure.models import Attachment, Disclosure, LedgerEntry
from standards.models import LedgerAnchor, LedgerHead
from tenants import services
from tenants.backup import SIGNING_SALT, media_root_of, sha256_of
from tenants.models import Community, Domain, Membership, StreetOffice, User
from tests.dbroles import as_owner
from tests.factories import PNG, community_staff_create, guards_off, here

TZ = ZoneInfo("Asia/Shanghai")
RUN = os.getpid()
SOURCE = f"bksrc{RUN}"
TARGET = f"bkdst{RUN}"


def _remove_community(code: str) -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    with (
        as_owner(),
        connection.cursor() as cursor,
    ):  # the schema first: its ledger's public record goes only after it
        cursor.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
    Community.objects.filter(schema_name=code).delete()
    shutil.rmtree(media_root_of(code), ignore_errors=True)


def _restore(*args: str, **options: object) -> None:
    """``community_restore`` as the owner, as manage.py runs it (it creates a schema); backups run as the
    runtime role."""
    with as_owner():
        call_command("community_restore", *args, **options)


def _publish(community: Community, title: str, day: date) -> Disclosure:
    def user(role: str) -> User:
        return User.objects.get(username=f"{community.schema_name}_{role}")

    d = disclosure_services.disclosure_create(
        community=here(),
        actor=user("handler"),
        title=title,
        category=Category.AFFAIRS,
        body=f"<p>{title}:办理低保复审 3 户。</p>",
    )
    disclosure_services.attachment_add(
        disclosure=d, actor=user("handler"), upload=SimpleUploadedFile("收据.png", PNG)
    )
    d = disclosure_services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=user("handler"),
        planned_publish_date=day,
        today=date(day.year, day.month, 1),
    )
    d = disclosure_services.disclosure_review(
        community=here(), disclosure=d, actor=user("supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        disclosure_services.disclosure_sign(community=here(), disclosure=d, actor=user(role), role=role)
    return disclosure_services.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=user("handler"),
        channels=["board", "web"],
        now=datetime(day.year, day.month, day.day, 10, tzinfo=TZ),
    )


@pytest.fixture
def source(committed):  # type: ignore[no-untyped-def]
    """A community with two published disclosures (each with a file) and a ledger anchor."""
    for code in (SOURCE, TARGET):
        _remove_community(code)
    with as_owner():
        community = services.community_create(
            code=SOURCE, name="备份测试社区", street_office=StreetOffice.objects.get(code="yinzhou")
        )
    community_staff_create(community)
    with tenant_context(community):
        _publish(community, "2026年5月社区事务公开", date(2026, 6, 8))
        disclosure_services.ledger_anchor_record(community=here(), day=date(2026, 6, 8))
        _publish(community, "2026年6月社区事务公开", date(2026, 7, 8))
        disclosure_services.ledger_anchor_record(community=here(), day=date(2026, 7, 8))
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    yield community
    for code in (SOURCE, TARGET):
        _remove_community(code)
    # The ORM's cascade would look for guardian's tables, which live in the (dropped) community schemas.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tenants_user WHERE username LIKE %s", [f"{SOURCE}\\_%"])


@pytest.fixture
def archive(source, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    call_command("community_backup", SOURCE, out=str(tmp_path))
    (path,) = tmp_path.glob(f"{SOURCE}-*.tar.gz")
    return path


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def _repack(path: Path, members: dict[str, bytes], *, resign: bool) -> Path:
    """Write an altered copy; with ``resign`` the manifest's checksums and signature are made to match,
    as only someone holding the deployment's key could."""
    from django.core import signing

    if resign:
        manifest = json.loads(members["manifest.json"])
        for part in ("schema.sql", "media.tar"):
            manifest["parts"][part]["sha256"] = hashlib.sha256(members[part]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
        digest = hashlib.sha256(members["manifest.json"]).hexdigest()
        members["manifest.sig"] = signing.Signer(salt=SIGNING_SALT).sign(digest).encode()
    out = path.with_name("altered-" + path.name)
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def _nothing_made(code: str) -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    assert not Community.objects.filter(schema_name=code).exists()
    assert not Domain.objects.filter(domain__startswith=f"{code}.").exists()
    assert not schema_exists(code)
    assert not media_root_of(code).exists()


def test_a_restored_community_has_the_same_disclosures_files_and_a_ledger_that_verifies(archive, capsys):
    manifest = json.loads(_members(archive)["manifest.json"])
    assert manifest["community"] == {
        "code": SOURCE,
        "name": "备份测试社区",
        "address": "",
        "street_office": {"code": "yinzhou", "name": "银州镇办事处"},
    }
    assert ["disclosure", "0001_initial"] in manifest["schema"]["migrations"]
    assert len(manifest["public"]["ledger_anchors"]) == 2
    assert {"username": f"{SOURCE}_handler", "role": "handler"} in manifest["public"]["memberships"]

    _restore(str(archive), code=TARGET, name="恢复的社区", with_memberships=True)

    original = Community.objects.get(schema_name=SOURCE)
    restored = Community.objects.get(schema_name=TARGET)
    assert restored.name == "恢复的社区" and restored.street_office.code == "yinzhou"
    assert restored.domains.get().domain.startswith(f"{TARGET}.")
    assert Membership.objects.filter(community=restored, user__username=f"{SOURCE}_handler").exists()
    assert list(
        LedgerAnchor.objects.filter(community=restored).order_by("day").values_list("head_seq", "head_hash")
    ) == list(
        LedgerAnchor.objects.filter(community=original).order_by("day").values_list("head_seq", "head_hash")
    )
    with tenant_context(original):
        original_chain = list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash"))
        titles = sorted(Disclosure.objects.filter(status="published").values_list("title", flat=True))
    with tenant_context(restored):
        chain = list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash"))
        # the original may have grown since (a worker's daily run); the copy is the chain as it was then
        assert chain and chain == original_chain[: len(chain)]
        assert chain[-1][0] >= manifest["public"]["ledger_anchors"][-1]["head_seq"]
        assert sorted(Disclosure.objects.filter(status="published").values_list("title", flat=True)) == titles
        files = list(Attachment.objects.all())
        assert len(files) == 2
        for attachment in files:
            assert f"/{TARGET}/" in attachment.file.path
            with attachment.file.open("rb") as f:
                assert f.read() == PNG
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection

    # Nothing of the restored community leans on the original: drop it, and the copy still verifies and
    # its append-only guard (a trigger function inside the schema) still refuses an edit.
    _remove_community(SOURCE)
    capsys.readouterr()
    call_command("verify_ledger", TARGET)
    out = capsys.readouterr().out
    assert f"{TARGET}: 完好" in out and f"{len(chain)} 条" in out
    with tenant_context(restored), pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(seq=1).update(payload={"altered": True})


def test_a_restore_checks_the_restored_chain_against_the_recorded_anchors(archive):
    """The anchors travel with the backup: a chain head that disagrees with them fails verification."""
    _restore(str(archive), code=TARGET)
    restored = Community.objects.get(schema_name=TARGET)
    anchor = LedgerAnchor.objects.filter(community=restored).order_by("day").first()
    assert anchor is not None
    with as_owner(), transaction.atomic(), guards_off("standards_ledgeranchor"):
        LedgerAnchor.objects.filter(pk=anchor.pk).update(head_hash="f" * 64)
    with pytest.raises(CommandError, match="台帐核验未通过"):
        call_command("verify_ledger", TARGET)


def test_a_restore_brings_the_head_history_and_a_lost_tail_is_reported(archive, capsys):
    """The heads recorded at each append travel too: the restored community's head history is the
    original's, so a tail cut from the restored chain is found like one cut from the original."""
    manifest = json.loads(_members(archive)["manifest.json"])
    _restore(str(archive), code=TARGET)
    original = Community.objects.get(schema_name=SOURCE)
    restored = Community.objects.get(schema_name=TARGET)
    carried = [(h["seq"], h["hash"]) for h in manifest["public"]["ledger_heads"]]
    recorded = list(LedgerHead.objects.filter(community=restored).order_by("seq").values_list("seq", "hash"))
    assert carried and recorded[: len(carried)] == carried
    assert recorded == list(
        LedgerHead.objects.filter(community=original, seq__lte=len(recorded))
        .order_by("seq")
        .values_list("seq", "hash")
    )
    with tenant_context(restored):
        assert recorded == list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash"))
    call_command("verify_ledger", TARGET)
    with as_owner(), tenant_context(restored), transaction.atomic(), guards_off("disclosure_ledgerentry"):
        LedgerEntry.objects.filter(seq=len(recorded)).delete()
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    capsys.readouterr()
    with pytest.raises(CommandError, match="台帐核验未通过"):
        call_command("verify_ledger", TARGET)
    assert f"{TARGET}: 断点 / broken at #{len(recorded)}" in capsys.readouterr().out


def test_a_part_altered_after_the_backup_is_refused(archive):
    members = _members(archive)
    members["schema.sql"] = members["schema.sql"].replace(
        "办理低保复审 3 户".encode(), "办理低保复审 9 户".encode()
    )
    altered = _repack(archive, members, resign=False)
    with pytest.raises(CommandError, match="SHA-256 不符"):
        _restore(str(altered), code=TARGET)
    _nothing_made(TARGET)


def test_a_manifest_rewritten_to_match_altered_parts_is_refused_without_the_key(archive):
    members = _members(archive)
    members["schema.sql"] += b"\nSELECT 1;\n"
    manifest = json.loads(members["manifest.json"])
    manifest["parts"]["schema.sql"]["sha256"] = hashlib.sha256(members["schema.sql"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    altered = _repack(archive, members, resign=False)
    with pytest.raises(CommandError, match="签名不符"):
        _restore(str(altered), code=TARGET)
    _nothing_made(TARGET)


def test_a_truncated_archive_is_refused(archive):
    broken = archive.with_name("broken.tar.gz")
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="备份文件已损坏"):
        _restore(str(broken), code=TARGET)
    _nothing_made(TARGET)


def test_restoring_onto_a_code_in_use_is_refused_and_the_community_untouched(archive):
    with tenant_context(Community.objects.get(schema_name=SOURCE)):
        before = LedgerEntry.objects.count()
    with pytest.raises(CommandError, match="已被使用"):
        _restore(str(archive), code=SOURCE)
    with tenant_context(Community.objects.get(schema_name=SOURCE)):
        assert LedgerEntry.objects.count() == before
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    assert Community.objects.filter(schema_name=SOURCE).count() == 1


def test_sql_that_fails_half_way_leaves_no_schema(archive):
    members = _members(archive)
    members["schema.sql"] += b"\nSELECT 1 / 0;\n"
    altered = _repack(archive, members, resign=True)
    with pytest.raises(CommandError, match="恢复数据库失败"):
        _restore(str(altered), code=TARGET)
    _nothing_made(TARGET)


def test_a_failure_after_the_schema_is_loaded_undoes_the_schema_rows_and_files(archive, tmp_path):
    """A media part that tries to write outside its folder fails after the schema and the rows exist."""
    members = _members(archive)
    evil = io.BytesIO()
    with tarfile.open(fileobj=evil, mode="w") as tar:
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    members["media.tar"] = evil.getvalue()
    altered = _repack(archive, members, resign=True)
    with pytest.raises(CommandError, match="媒体文件部分无法安全解开"):
        _restore(str(altered), code=TARGET)
    _nothing_made(TARGET)
    assert not list(media_root_of(TARGET).parent.glob("escaped.txt"))


def test_the_archive_checksum_printed_by_the_command_is_the_files(source, tmp_path, capsys):
    call_command("community_backup", SOURCE, out=str(tmp_path))
    (path,) = tmp_path.glob(f"{SOURCE}-*.tar.gz")
    assert sha256_of(path) in capsys.readouterr().out


def test_backup_of_an_unknown_community_says_so(db):
    with pytest.raises(CommandError, match="没有代码为“nosuch”的社区"):
        call_command("community_backup", "nosuch")
