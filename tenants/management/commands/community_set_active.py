from django.core.management.base import BaseCommand, CommandError

from tenants import services
from tenants.models import Community


class Command(BaseCommand):
    help = "停用或重新启用社区站点(资料保留)。Deactivate or reactivate a community; its data is kept."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--off", action="store_true", help="停用")
        group.add_argument("--on", action="store_true", help="启用")

    def handle(self, *args: object, **opts: object) -> None:
        community = Community.objects.filter(schema_name=opts["code"]).first()
        if community is None:
            raise CommandError(f"没有代码为“{opts['code']}”的社区。")
        services.community_set_active(community=community, active=bool(opts["on"]))
        state = "启用" if opts["on"] else "停用"
        self.stdout.write(self.style.SUCCESS(f"{community.name} 已{state}"))
