from __future__ import annotations

from typing import Any

from motcua.core.management.repeating import RepeatingCommand
from motcua.dossiers.services import dossiers_warn_deadlines


class Command(RepeatingCommand):
    help = (
        "Cảnh báo hồ sơ sắp đến hạn, quá hạn cho người xử lý và lãnh đạo (chạy 5-15 phút một lần) / "
        "Warn about dossiers due soon or overdue (run every 5-15 minutes, e.g. from cron)"
    )

    def run_once(self, **options: Any) -> None:
        sent = dossiers_warn_deadlines()
        self.stdout.write(
            f"Sắp đến hạn: {sent['due_soon']}, quá hạn: {sent['overdue']} / "
            f"due soon: {sent['due_soon']}, overdue: {sent['overdue']}"
        )
