import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile
from tenants import services
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, Domain

pytestmark = pytest.mark.django_db


def _nothing_left(code: str) -> None:
    assert not Community.objects.filter(schema_name=code).exists()
    assert not Domain.objects.filter(domain__startswith=f"{code}.").exists()
    assert not schema_exists(code)


@pytest.mark.owner
def test_community_create_makes_schema_domain_and_profile(world):
    community = services.community_create(
        code="yinbei", name="银北社区", street_office=world.yinzhou, address="北环路 36 号"
    )
    assert schema_exists("yinbei")
    assert Domain.objects.get(tenant=community).domain == "yinbei.localhost"
    with schema_context("yinbei"):
        assert CommunityProfile.objects.get().name == "银北社区"
        assert set(Committee.objects.values_list("kind", flat=True)) == set(CommitteeKind.values)


@pytest.mark.owner
def test_community_schema_is_cloned_from_the_template_not_migrated(world):
    """Cloning copies the template's migration records; running migrations would write fresh ones."""
    services.community_create(code="yinshan", name="银山社区", street_office=world.yinzhou)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name, applied FROM template_community.django_migrations ORDER BY id")
        template_rows = cursor.fetchall()
        cursor.execute("SELECT app, name, applied FROM yinshan.django_migrations ORDER BY id")
        clone_rows = cursor.fetchall()
    assert template_rows, "the template schema has its migrations applied"
    assert clone_rows == template_rows


@pytest.mark.parametrize(
    "code",
    ["", "Yincheng", "yin-cheng", "yin_cheng", "1abc", "a", "x" * 31, "www", "public", "银城"],
)
def test_invalid_code_is_refused_with_a_clear_message_and_leaves_nothing(world, code):
    with pytest.raises(InvalidInput) as exc:
        services.community_create(code=code, name="测试社区", street_office=world.yinzhou)
    assert "社区代码" in exc.value.message or "保留" in exc.value.message
    assert not Community.objects.filter(schema_name=code).exists()
    if code and code != "public":  # the public schema exists already, of course
        _nothing_left(code)


def test_duplicate_code_is_refused(world):
    with pytest.raises(Conflict) as exc:
        services.community_create(code="yincheng", name="另一个银城", street_office=world.yinzhou)
    assert "已被使用" in exc.value.message
    assert Community.objects.filter(schema_name="yincheng").count() == 1


@pytest.mark.owner
def test_a_failure_after_the_schema_is_made_leaves_no_schema_no_row_no_domain(world):
    """A fault injected by PostgreSQL itself while the domain row is written, after cloning."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION public.test_refuse_domain() RETURNS trigger AS $$
            BEGIN
              IF NEW.domain LIKE 'boom%' THEN RAISE EXCEPTION 'injected failure'; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_domain BEFORE INSERT ON public.tenants_domain
              FOR EACH ROW EXECUTE FUNCTION public.test_refuse_domain();
        """)
    with pytest.raises(Exception, match="injected failure"):
        services.community_create(code="boom", name="失败社区", street_office=world.yinzhou)
    _nothing_left("boom")


def test_deactivating_keeps_the_data(world):
    services.community_set_active(community=world.yinnan, active=False)
    assert schema_exists("yinnan")
    with schema_context("yinnan"):
        assert CommunityProfile.objects.filter(name="银南社区").exists()
    services.community_set_active(community=world.yinnan, active=True)
    assert Community.objects.get(pk=world.yinnan.pk).is_active


def test_community_create_command_reports_bad_input_in_chinese(world):
    with pytest.raises(CommandError, match="社区代码只能由小写英文字母和数字组成"):
        call_command("community_create", code="Bad-Code", name="坏代码", street_office="yinzhou")
    with pytest.raises(CommandError, match="没有代码为“nowhere”的街道"):
        call_command("community_create", code="okcode", name="好代码", street_office="nowhere")
    _nothing_left("okcode")


@pytest.mark.owner
def test_community_create_command_creates_and_prints_the_address(world, capsys):
    call_command("community_create", code="yinhe", name="银河社区", street_office="yinzhou")
    assert "yinhe.localhost" in capsys.readouterr().out
    assert Community.objects.get(schema_name="yinhe").street_office == world.yinzhou


def test_leader_in_charge_must_be_of_the_same_street_office(world):
    leader = world.user("yinzhou_leader")
    with pytest.raises(InvalidInput):
        services.street_office_membership_grant(
            user=leader, street_office=world.yinzhou, role="leader", communities_in_charge=[world.dongfeng]
        )
    membership = services.street_office_membership_grant(
        user=leader, street_office=world.yinzhou, role="leader", communities_in_charge=[world.yincheng]
    )
    assert list(membership.communities_in_charge.all()) == [world.yincheng]
