from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from disclosure.selectors import ledger_verify
from tenants.management.selection import communities_named


class Command(BaseCommand):
    help = (
        "核验社区台帐哈希链,并与街道登记的每条链头和每日锚点核对,报告第一处不符。"
        " Verify each community's ledger chain against the heads recorded at each append and the daily"
        " anchors; report the first disagreement."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("codes", nargs="*", help="社区代码;不填则核验全部社区")

    def handle(self, *args: object, **options: object) -> None:
        codes = list(options["codes"])  # type: ignore[call-overload]
        communities = communities_named(codes)
        broken = []
        for community in communities:
            with tenant_context(community):
                report = ledger_verify(community_id=community.pk)
            if report.ok:
                self.stdout.write(
                    f"{community.schema_name}: 完好 / ok — {report.entries} 条, 链头 {report.head_hash[:16]}…"
                )
            else:
                broken.append(community.schema_name)
                self.stdout.write(
                    self.style.ERROR(
                        f"{community.schema_name}: 断点 / broken at #{report.broken_seq} — {report.problem}"
                    )
                )
        if broken:
            raise CommandError(f"台帐核验未通过:{'、'.join(broken)}")
