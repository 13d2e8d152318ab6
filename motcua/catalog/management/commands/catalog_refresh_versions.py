from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.catalog.services import catalog_refresh_current_versions


class Command(BaseCommand):
    help = (
        "Cho phiên bản thủ tục đến ngày hiệu lực có hiệu lực (chạy hằng ngày, ví dụ cron 00:05) / "
        "Make versions whose effective date has come current (run daily)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        moved = catalog_refresh_current_versions()
        self.stdout.write(f"{moved} thủ tục chuyển sang phiên bản mới / {moved} procedures moved to a new version")
