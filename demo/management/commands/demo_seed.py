import os

from django.core.management.base import BaseCommand

from demo import seed as demo


class Command(BaseCommand):
    help = "写入演示数据(银州镇办事处及四个社区、各角色演示账号)。Seed the demo data; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        logins = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪:{len(logins)} 个演示账号,统一密码 {demo.DEMO_PASSWORD}")
        )
        for login in logins:
            self.stdout.write(f"  {login}")
        key = demo.district_key()
        self.stdout.write(
            self.style.SUCCESS(
                "区级接口演示密钥(可查询本区县全部街道) / district API key (new on every run):"
            )
        )
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"  curl -H 'Authorization: Bearer {key}' http://localhost:{port}/api/v1/communities/"
        )
