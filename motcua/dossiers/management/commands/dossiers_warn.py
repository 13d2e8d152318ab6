from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services import dossiers_warn_deadlines


class Command(BaseCommand):
    help = (
        "Cảnh báo hồ sơ sắp đến hạn, quá hạn cho người xử lý và lãnh đạo (chạy 5-15 phút một lần) / "
        "Warn about dossiers due soon or overdue (run every 5-15 minutes)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = dossiers_warn_deadlines()
        self.stdout.write(
            f"Sắp đến hạn: {sent['due_soon']}, quá hạn: {sent['overdue']} / due soon: {sent['due_soon']}, "
            f"overdue: {sent['overdue']}"
        )
