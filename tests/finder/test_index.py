"""The public index is written in the transaction of publication, correction and archiving, and the
nightly reconciliation (and the rebuild command) puts back what drifted."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.choices import DisclosureStatus
from disclosure.models import Disclosure
from finder.models import Entry
from tests.factories import archived, corrected, here, published, signed

pytestmark = pytest.mark.django_db


def entry_of(community, disclosure):  # type: ignore[no-untyped-def]
    return Entry.objects.filter(community=community, disclosure_id=disclosure.pk).first()


def test_a_publication_and_its_entry_commit_or_roll_back_together(world):
    with tenant_context(world.yincheng):
        ready = signed(world, title="垃圾分类投放点调整公告")
        with pytest.raises(RuntimeError), transaction.atomic():
            services.disclosure_publish(
                community=here(), disclosure=ready, actor=world.user("yincheng_handler"), channels=["board"]
            )
            assert entry_of(world.yincheng, ready) is not None  # written in the same transaction
            raise RuntimeError("the request fails after publishing")
        ready.refresh_from_db()
        assert ready.status == DisclosureStatus.APPROVED
        assert entry_of(world.yincheng, ready) is None  # gone with the publication
        done = services.disclosure_publish(
            community=here(), disclosure=ready, actor=world.user("yincheng_handler"), channels=["board"]
        )
    entry = entry_of(world.yincheng, done)
    assert entry is not None and entry.title == done.title and entry.content_hash == done.content_hash
    assert entry.status == "published" and entry.is_current


def test_a_correction_replaces_the_old_version_in_the_search_and_archiving_is_recorded(world):
    with tenant_context(world.yincheng):
        old = published(world, title="5月财务公开", body="<p>路灯维修 3000 元。</p>")
        new = corrected(world, old, reason="第2笔金额录入错误", body="<p>路灯维修 300 元。</p>")
        old_entry, new_entry = entry_of(world.yincheng, old), entry_of(world.yincheng, new)
        assert old_entry.status == "superseded" and not old_entry.is_current
        assert new_entry.is_current and new_entry.version == 2 and "300 元" in new_entry.text
        assert new_entry.supersedes_id == old.pk
        gone = archived(world, title="6月事务公开")
    assert entry_of(world.yincheng, gone).status == "archived"


def test_reconcile_fixes_a_deliberately_broken_index(world):
    with tenant_context(world.yincheng):
        kept = published(world, title="社区网格员招聘公告", body="<p>招聘网格员 2 名。</p>")
        lost = published(world, title="加装电梯意见征集", body="<p>请各楼栋居民发表意见。</p>")
        drifted = published(world, title="居民议事会纪要", body="<p>讨论停车位划线。</p>")
        draft = Disclosure.objects.create(
            title="从未公布的草稿", category="affairs", content_hash="0" * 64, status=DisclosureStatus.DRAFT
        )
    Entry.objects.filter(community=world.yincheng, disclosure_id=lost.pk).delete()
    Entry.objects.filter(community=world.yincheng, disclosure_id=drifted.pk).update(
        title="被改掉的标题", text=""
    )
    stray = Entry.objects.get(community=world.yincheng, disclosure_id=kept.pk)
    stray.pk, stray.disclosure_id = None, draft.pk  # an entry for something that was never published
    stray.save()
    with tenant_context(world.yincheng):
        result = services.public_index_reconcile(community=here())
    assert (result.added, result.updated, result.removed) == (1, 1, 1)
    assert entry_of(world.yincheng, lost).title == "加装电梯意见征集"
    assert entry_of(world.yincheng, drifted).title == "居民议事会纪要"
    assert "停车位" in entry_of(world.yincheng, drifted).text
    assert entry_of(world.yincheng, draft) is None
    with tenant_context(world.yincheng):
        again = services.public_index_reconcile(community=here())
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_the_rebuild_command_rewrites_every_entry_of_a_community(world, capsys):
    with tenant_context(world.yinnan):
        item = published(world, community="yinnan", title="银南社区低保复审结果", on=date(2026, 6, 8))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE finder_entry SET words = NULL, title_words = '' WHERE disclosure_id = %s", [item.pk]
        )
    call_command("public_index_rebuild", "yinnan")
    assert "yinnan" in capsys.readouterr().out
    entry = entry_of(world.yinnan, item)
    assert entry.title_words and "低保" in entry.title_words.split() and entry.words
