"""The English catalogue is complete: no empty or fuzzy (machine-guessed) translation ships."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_translations_are_complete_and_reviewed() -> None:
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    assert len(entries) > 200
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    empty = [e for e in entries if re.search(r'msgstr(\[\d\])? ""\n*$', e.strip() + "\n") and "msgid_plural" not in e]
    assert fuzzy == []
    assert empty == []
