from django.core.management.base import BaseCommand, CommandError

from tenants import services
from tenants.errors import DomainError


class Command(BaseCommand):
    help = "创建街道办事处。Create a street office."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--district", default="")

    def handle(self, *args: object, **opts: str) -> None:
        try:
            office = services.street_office_create(
                code=opts["code"], name=opts["name"], district=opts["district"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建街道 {office.name}({office.code})"))
