"""Display names of uploads: what the person called the file, made safe to show and to send back
in a Content-Disposition header (pure, no database).

The stored file never uses this name (it gets a random one); this is only what people see.
"""

from __future__ import annotations

import re
import unicodedata

MAX_DISPLAY_NAME = 120
FALLBACK_STEM = "tep"

# Windows refuses these as file names whatever the extension ("CON.pdf" too), and someone will
# save the download on Windows.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
# Control, format (the right-to-left override that turns "hoso‮fdp.exe" around), surrogate,
# private-use and unassigned code points: none belongs in a file name.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def display_name(original: str | None, extension: str, known_extensions: frozenset[str] = frozenset()) -> str:
    """A readable, safe name ending in `extension` (the type found in the content, e.g. ".pdf").

    Vietnamese stays as typed, in NFC (macOS sends decomposed letters). Path components,
    control characters, Windows-reserved names and characters are removed; the old extension is
    replaced when it names a known type ("anh.HEIC" -> "anh.jpg"), else kept in the stem.
    """
    name = unicodedata.normalize("NFC", original or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name).strip()
    stem, dot, old_extension = name.rpartition(".")
    if not dot or f".{old_extension.lower()}" not in known_extensions | {extension}:
        stem = name  # no extension, or one we do not know: it stays part of the name
    stem = stem.strip(" .")
    if not stem:
        stem = FALLBACK_STEM
    if _RESERVED.match(stem.split(".", 1)[0]):
        stem = f"_{stem}"
    stem = stem[: MAX_DISPLAY_NAME - len(extension)].rstrip(" .") or FALLBACK_STEM
    return f"{stem}{extension}"
