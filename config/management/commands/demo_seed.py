from django.core.management.base import BaseCommand

from config import demo


class Command(BaseCommand):
    help = "写入演示数据(银州镇办事处及四个社区、各角色演示账号)。Seed the demo data; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        logins = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪:{len(logins)} 个演示账号,统一密码 {demo.DEMO_PASSWORD}")
        )
        for login in logins:
            self.stdout.write(f"  {login}")
