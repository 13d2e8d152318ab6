from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.services import dossiers_warn_deadlines


class Command(BaseCommand):
    help = (
        "Cảnh báo hồ sơ sắp đến hạn, quá hạn cho người xử lý và lãnh đạo (chạy 5-15 phút một lần) / "
        "Warn about dossiers due soon or overdue (run every 5-15 minutes, e.g. from cron)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Lặp lại sau mỗi N giây (dùng khi không có cron) / repeat every N seconds (where there is no cron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent = dossiers_warn_deadlines()
            self.stdout.write(
                f"Sắp đến hạn: {sent['due_soon']}, quá hạn: {sent['overdue']} / "
                f"due soon: {sent['due_soon']}, overdue: {sent['overdue']}"
            )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
