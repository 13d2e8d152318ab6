from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.drafts import drafts_expire


class Command(BaseCommand):
    help = "Báo trước rồi xóa hồ sơ nháp quá hạn (chạy hằng ngày) / Warn about, then delete, expired drafts (daily)"

    def handle(self, *args: Any, **options: Any) -> None:
        done = drafts_expire()
        self.stdout.write(
            f"Đã báo {done['warned']}, đã xóa {done['deleted']} / warned {done['warned']}, deleted {done['deleted']}"
        )
