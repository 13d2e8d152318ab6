from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.demo import DEMO_PASSWORD
from motcua.core.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cơ quan TP.HCM, thủ tục thật, biểu mẫu, tài khoản demo / Load the demo data"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Chỉ nạp danh mục, không tạo tài khoản demo / catalogue only, no demo accounts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = not options["no_accounts"]
        if accounts and not settings.DEBUG:
            raise CommandError(
                "Tài khoản demo dùng mật khẩu công khai nên chỉ được tạo khi DEBUG=1; "
                "dùng --no-accounts để chỉ nạp danh mục. / Demo accounts have a public password and are only "
                "created when DEBUG=1; use --no-accounts to load the catalogue only."
            )
        created, logins = seed_demo(accounts=accounts)
        self.stdout.write(f"Đã thêm {created} thủ tục mẫu / {created} demo procedures added.")
        if logins:
            self.stdout.write(f"\nTài khoản demo / demo logins (mật khẩu / password: {DEMO_PASSWORD}):")
            for username, what in logins:
                self.stdout.write(f"  {username:<16} {what}")
