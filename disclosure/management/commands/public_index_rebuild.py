from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from disclosure.services import public_index_reconcile
from tenants.management.selection import communities_named


class Command(BaseCommand):
    help = (
        "重建公开内容索引:逐个社区把已公布的内容重新分词写入街道的索引,并删去不再公开的条目。"
        " Rebuild the public index: every community's published versions segmented and written again,"
        " entries no longer public removed."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("codes", nargs="*", help="社区代码;不填则重建全部社区")

    def handle(self, *args: object, **options: object) -> None:
        codes = list(options["codes"])  # type: ignore[call-overload]
        communities = communities_named(codes)
        for community in communities:
            with tenant_context(community):
                done = public_index_reconcile(community=community, rewrite=True)
            self.stdout.write(
                f"{community.schema_name}: 新增 {done.added},重写 {done.updated},删除 {done.removed}"
                f" / added {done.added}, rewritten {done.updated}, removed {done.removed}"
            )
