"""A management command that runs once (for cron) or every N seconds (`--every`, where there is
no cron, e.g. beside `make run`)."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class RepeatingCommand(ABC, BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Lặp lại sau mỗi N giây (dùng khi không có cron) / repeat every N seconds (where there is no cron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.run_once(**options)
            if options["every"] <= 0:
                return
            time.sleep(options["every"])

    @abstractmethod
    def run_once(self, **options: Any) -> None:
        """What one run does."""
