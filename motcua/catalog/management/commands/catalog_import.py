"""manage.py catalog_import FILE|-: validate the whole file, then import it in one transaction."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog import interchange
from motcua.core.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục và cơ quan từ tệp JSON (kiểm tra toàn bộ trước, lỗi thì không ghi gì) / "
        "Import procedures and agencies from JSON; the whole file is checked first and any problem rejects it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="đường dẫn tệp, hoặc - để đọc từ stdin / file path, or - for stdin")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra, không ghi / check only, write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp / Cannot read the file: {exc}") from exc
        try:
            result = interchange.catalogue_import(text, dry_run=options["dry_run"])
        except InvalidInput as error:
            for line in error.problems:
                self.stderr.write(f"- {line}")
            raise CommandError(f"{error.message_vi} / {error.message_en}") from error
        prefix = (
            "Kiểm tra xong, chưa ghi gì (--dry-run) / Checked, nothing written (--dry-run). "
            if options["dry_run"]
            else ""
        )
        self.stdout.write(prefix + str(result))
