"""manage.py catalog_export FILE|-: the catalogue in the national procedure database's shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.catalog import interchange


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục (phiên bản hiện hành) và cơ quan ra tệp JSON / "
        "Export every procedure's current version and every agency as JSON ('-' = stdout)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="đường dẫn tệp, hoặc - để in ra màn hình / file path, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        result = interchange.catalogue_export()
        text = interchange.dumps(result.data)
        if options["file"] == "-":
            self.stdout.write(text, ending="")
        else:
            Path(options["file"]).write_text(text, encoding="utf-8")
        # Messages go to stderr so that `catalog_export -` stays pure JSON.
        self.stderr.write(
            f"Đã xuất {len(result.data['procedures'])} thủ tục, {len(result.data['agencies'])} cơ quan / "
            f"Exported {len(result.data['procedures'])} procedures, {len(result.data['agencies'])} agencies."
        )
        if result.skipped:
            self.stderr.write(
                f"Bỏ qua {len(result.skipped)} thủ tục chưa có phiên bản hiệu lực / "
                f"Skipped {len(result.skipped)} procedures with no version in force: {', '.join(result.skipped)}"
            )
