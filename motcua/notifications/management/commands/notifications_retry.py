from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from motcua.core.management.repeating import RepeatingCommand
from motcua.notifications.services import notifications_retry_due


class Command(RepeatingCommand):
    help = (
        "Gửi lại các thông báo đến lượt gửi lại mà chưa được gửi (khi tiến trình nền từng dừng) / "
        "Re-enqueue pending notifications whose retry is overdue (safety net if the worker was down)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            help=(
                "Chỉ gửi lại thư trễ hơn N phút (mặc định 5, hoặc 0 nếu hàng đợi không hẹn giờ được) / "
                "only rows late by more than N minutes (default 5, or 0 when the task backend cannot defer)"
            ),
        )
        super().add_arguments(parser)

    def run_once(self, **options: Any) -> None:
        grace = None if options["grace"] is None else dt.timedelta(minutes=options["grace"])
        count = notifications_retry_due(grace=grace)
        self.stdout.write(f"Đã đưa lại vào hàng đợi: {count} / re-enqueued: {count}")
