"""What an uploaded file really is, judged by its content and never by its name or the browser's
Content-Type header; and the bytes we keep of it (pure: no database, no storage).

Accepted: PDF, JPEG, PNG, HEIC/HEIF (phones), TIFF and WebP (scanners; the counter took them
before), DOCX. Images are re-encoded as JPEG: EXIF orientation applied, metadata (GPS!) dropped,
the longest side brought down to `Limits.image_max_px`. PDF and DOCX are kept byte for byte.

Everything else is refused with a reason in Vietnamese and English that names the file:
programs and scripts whatever their name, empty, truncated or malformed files, encrypted PDFs,
macro-enabled or bomb-like DOCX, and polyglots (one file that is two formats at once, e.g. a PDF
or a JPEG that is also a valid ZIP), which are how malware slips past a type check.
"""

from __future__ import annotations

import io
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

from motcua.uploads.filenames import display_name

if TYPE_CHECKING:
    from PIL import Image

# Images: more pixels than an A3 page scanned at 600 dpi (70 Mpx) is not a document scan, and
# decoding it would take ~250 MB of memory. Kept under Pillow's own warning (89 Mpx).
MAX_IMAGE_PIXELS = 80_000_000
MAX_IMAGE_SIDE = 20_000
JPEG_QUALITY = 85
# DOCX: a real one has a few dozen parts; the bound on what it inflates to stops zip bombs.
MAX_DOCX_ENTRIES = 2_000
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
# A reader looks for the PDF header in the first KiB and the %%EOF marker in the last one.
PDF_WINDOW = 1024

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TEXT_VI = "chỉ nhận PDF, ảnh (JPEG, PNG, HEIC) hoặc DOCX"
ALLOWED_TEXT_EN = "only PDF, images (JPEG, PNG, HEIC) or DOCX are accepted"


class Kind(models.TextChoices):
    """The type found in the content."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    HEIC = "heic", "HEIC/HEIF"
    TIFF = "tiff", "TIFF"
    WEBP = "webp", "WebP"
    DOCX = "docx", "DOCX"


IMAGE_KINDS = frozenset({Kind.JPEG, Kind.PNG, Kind.HEIC, Kind.TIFF, Kind.WEBP})
_PILLOW_FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.HEIC: "HEIF", Kind.TIFF: "TIFF", Kind.WEBP: "WEBP"}
# What a name may end with before we put the true extension in its place.
KNOWN_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".heic", ".heif", ".tif", ".tiff", ".webp", ".docx", ".doc"}
)
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_MACH_O = frozenset({b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"})


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_file_bytes: int
    image_max_px: int


@dataclass(frozen=True, kw_only=True)
class Accepted:
    kind: Kind  # what came in (e.g. HEIC)
    content_type: str  # what `data` is (e.g. image/jpeg after conversion)
    data: bytes
    display_name: str
    original_size: int

    @property
    def extension(self) -> str:
        return self.display_name.rpartition(".")[2]


@dataclass(frozen=True, kw_only=True)
class Refused:
    display_name: str
    reason_vi: str
    reason_en: str


class _Refusal(Exception):
    def __init__(self, reason_vi: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_vi = reason_vi
        self.reason_en = reason_en


def _malformed(what: str) -> _Refusal:
    return _Refusal(f"tệp {what} bị hỏng hoặc không đầy đủ", f"the {what} file is damaged or incomplete")


def inspect(data: bytes, *, name: str | None, limits: Limits) -> Accepted | Refused:
    """Accept or refuse one file. `name` is only used for the display name, never to decide."""
    if len(data) > limits.max_file_bytes:
        return oversize(name, limits)
    try:
        kind = sniff(data)
        _refuse_polyglot(data, kind)
        if kind is Kind.PDF:
            _check_pdf(data)
            stored, content_type = data, "application/pdf"
        elif kind is Kind.DOCX:
            _check_docx(data)
            stored, content_type = data, DOCX_CONTENT_TYPE
        else:
            stored, content_type = _image_to_jpeg(data, kind, limits.image_max_px), "image/jpeg"
    except _Refusal as refusal:
        return _refused(name, refusal)
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", DOCX_CONTENT_TYPE: ".docx"}[content_type]
    return Accepted(
        kind=kind,
        content_type=content_type,
        data=stored,
        display_name=display_name(name, extension, KNOWN_EXTENSIONS),
        original_size=len(data),
    )


def oversize(name: str | None, limits: Limits) -> Refused:
    mb = limits.max_file_bytes // (1024 * 1024)
    return _refused(name, _Refusal(f"tệp lớn hơn {mb} MB", f"the file is larger than {mb} MB"))


def _refused(name: str | None, refusal: _Refusal) -> Refused:
    shown = display_name(name, "")
    return Refused(
        display_name=shown,
        reason_vi=f"«{shown}»: {refusal.reason_vi}",
        reason_en=f"“{shown}”: {refusal.reason_en}",
    )


def sniff(data: bytes) -> Kind:
    """The type from the first bytes (magic numbers), or a refusal saying what it is instead."""
    if not data:
        raise _Refusal("tệp rỗng (0 byte)", "the file is empty (0 bytes)")
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return Kind.HEIC
        if brand in {b"avif", b"avis"}:
            raise _Refusal(
                "ảnh AVIF chưa được hỗ trợ: hãy chụp lại ở định dạng JPEG",
                "AVIF images are not supported: take the photo again as JPEG",
            )
        raise _Refusal(f"là tệp video, {ALLOWED_TEXT_VI}", f"this is a video; {ALLOWED_TEXT_EN}")
    if data[:4] in {b"II*\x00", b"MM\x00*"}:
        return Kind.TIFF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data.startswith(b"PK\x03\x04"):
        return Kind.DOCX
    if data.startswith(b"MZ") or data.startswith(b"\x7fELF") or data[:4] in _MACH_O:
        raise _Refusal(
            f"là tệp chương trình (đổi tên không làm nó thành tài liệu); {ALLOWED_TEXT_VI}",
            f"this is an executable program, whatever its name; {ALLOWED_TEXT_EN}",
        )
    if data.startswith(b"#!"):
        raise _Refusal(f"là tệp lệnh (script); {ALLOWED_TEXT_VI}", f"this is a script; {ALLOWED_TEXT_EN}")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # The old Office format, and also what Word writes for a password-protected DOCX.
        raise _Refusal(
            "là tệp Office cũ hoặc có mật khẩu: hãy lưu lại thành DOCX hoặc PDF, không đặt mật khẩu",
            "this is an old or password-protected Office file: save it as DOCX or PDF without a password",
        )
    if data.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"PK\x05\x06")):
        raise _Refusal(f"là tệp nén; {ALLOWED_TEXT_VI}", f"this is an archive; {ALLOWED_TEXT_EN}")
    raise _Refusal(
        f"không nhận ra loại tệp từ nội dung; {ALLOWED_TEXT_VI}",
        f"the content is not a recognised type; {ALLOWED_TEXT_EN}",
    )


def _refuse_polyglot(data: bytes, kind: Kind) -> None:
    polyglot = _Refusal(
        "tệp đồng thời mang hai định dạng (có thể chứa mã độc ẩn); hãy xuất lại tệp từ chương trình gốc",
        "the file is two formats at once (it may hide malware); export it again from the original program",
    )
    if kind is not Kind.DOCX:
        # A ZIP reader starts from the end-of-central-directory record near the end of the file,
        # so a ZIP appended to a PDF or a JPEG opens as a ZIP. Opening it the way a reader
        # would (not merely finding "PK\5\6", which compressed data contains by chance) tells.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if archive.infolist():
                    raise polyglot
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            pass
    if kind is not Kind.PDF and b"%PDF-" in data[:PDF_WINDOW]:
        raise polyglot


# -- PDF -----------------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader  # a parser of its own, only loaded when a PDF comes in

    if b"%%EOF" not in data[-PDF_WINDOW:]:
        raise _malformed("PDF")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Refusal(
                "tệp PDF có mật khẩu hoặc bị mã hóa: hãy gỡ mật khẩu rồi tải lên lại",
                "the PDF is password-protected or encrypted: remove the password and upload it again",
            )
        pages = len(reader.pages)
    except _Refusal:
        raise
    except Exception as exc:  # any failure of the parser on untrusted input means "malformed"
        raise _malformed("PDF") from exc
    if pages < 1:
        raise _Refusal("tệp PDF không có trang nào", "the PDF has no page")


# -- DOCX ----------------------------------------------------------------------------------------


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_docx_entries(entries)
            # Inflate every part with a running count: the sizes in the directory can lie, the
            # count (and the CRC check at the end of each part) cannot.
            inflated = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > MAX_DOCX_UNCOMPRESSED:
                            raise _zip_bomb()
            content_types = archive.read("[Content_Types].xml")
    except _Refusal:
        raise
    except Exception as exc:  # BadZipFile, CRC errors, unsupported compression, truncation
        raise _malformed("DOCX") from exc
    # A substring test, not an XML parser: nothing in this file needs parsing to decide.
    if b"macroenabled" in content_types.lower():
        raise _macros()


def _zip_bomb() -> _Refusal:
    return _Refusal("tệp DOCX bung ra quá lớn (nghi bom nén)", "the DOCX expands to far too much data (zip bomb)")


def _macros() -> _Refusal:
    return _Refusal(
        "tệp DOCX chứa macro: hãy lưu lại thành DOCX không có macro hoặc PDF",
        "the DOCX contains macros: save it as a macro-free DOCX or as PDF",
    )


def _check_docx_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_DOCX_ENTRIES or sum(e.file_size for e in entries) > MAX_DOCX_UNCOMPRESSED:
        raise _zip_bomb()
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        raise _malformed("DOCX")  # two parts of one name: readers disagree on which one counts
    for entry in entries:
        parts = entry.filename.split("/")
        if entry.filename.startswith("/") or "\\" in entry.filename or ".." in parts or ":" in parts[0]:
            raise _Refusal(
                "tệp DOCX chứa đường dẫn nguy hiểm (../)",
                "the DOCX holds a dangerous path (../)",
            )
        if entry.flag_bits & 0x1:
            raise _Refusal("tệp DOCX có phần bị mã hóa", "the DOCX has encrypted parts")
        if parts[-1].lower() == "vbaproject.bin":
            raise _macros()
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise _Refusal(
            "không phải tệp Word DOCX (tệp ZIP khác); " + ALLOWED_TEXT_VI,
            "not a Word DOCX file (another kind of ZIP); " + ALLOWED_TEXT_EN,
        )


# -- Images --------------------------------------------------------------------------------------


def heif_available() -> bool:
    """Whether HEIC/HEIF can be decoded here (pillow-heif installed); registers it with Pillow."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


_strict_decoding_lock = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode with Pillow refusing truncated data, whatever the process-wide flag says.

    WeasyPrint sets `PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process when it
    is imported (to render what it can), and Pillow has no per-image switch: without this a
    half-uploaded photo would be accepted with its missing part painted grey. The lock keeps two
    threads from restoring each other's value; it serialises image decoding within one process,
    which is fine (processes, not threads, are how we scale).
    """
    from PIL import ImageFile

    with _strict_decoding_lock:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _image_to_jpeg(data: bytes, kind: Kind, max_px: int) -> bytes:
    with _strict_decoding():
        return _image_to_jpeg_strict(data, kind, max_px)


def _image_to_jpeg_strict(data: bytes, kind: Kind, max_px: int) -> bytes:
    from PIL import Image

    if kind is Kind.HEIC and not heif_available():
        raise _Refusal(
            "ảnh HEIC chưa đọc được trên máy chủ này: hãy chụp lại ở định dạng JPEG",
            "HEIC photos cannot be read on this server: take the photo again as JPEG",
        )
    what = _PILLOW_FORMATS[kind]
    try:
        with warnings.catch_warnings():
            # Pillow only warns up to twice its own pixel limit; a bomb must stop here, not decode.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=[what])
        with probe:
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            _check_dimensions(width, height)
            probe.verify()
        if frames > 1:
            if kind is Kind.TIFF:
                raise _Refusal(
                    "tệp TIFF có nhiều trang: hãy quét thành một tệp PDF",
                    "the TIFF has several pages: scan them into one PDF",
                )
            raise _Refusal("ảnh động không được nhận", "animated images are not accepted")
        with Image.open(io.BytesIO(data), formats=[what]) as image:
            if kind is Kind.JPEG:
                # Decode a large JPEG at 1/2, 1/4 or 1/8 scale straight away: faster, less memory.
                image.draft(None, (max_px, max_px))
            image.load()
            return _encode_jpeg(image, max_px)
    except _Refusal:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # truncated data, bad chunks, unknown compression
        raise _malformed(what) from exc


def _check_dimensions(width: int, height: int) -> None:
    if width < 1 or height < 1 or width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise _Refusal("kích thước ảnh bất thường", "the image has implausible dimensions")
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> _Refusal:
    mpx = MAX_IMAGE_PIXELS // 1_000_000
    return _Refusal(f"ảnh quá nhiều điểm ảnh (trên {mpx} triệu)", f"the image has more than {mpx} megapixels")


def _encode_jpeg(image: Image.Image, max_px: int) -> bytes:
    from PIL import Image, ImageOps

    dpi = image.info.get("dpi")
    icc_profile = image.info.get("icc_profile") if image.mode in {"RGB", "L"} else None
    # Turn the pixels as the camera says (EXIF orientation), then drop EXIF altogether: it holds
    # the GPS position, the phone's serial and the time, none of which the agency needs.
    image = ImageOps.exif_transpose(image)
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))  # transparent parts become paper-white
    elif image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")  # CMYK, palette, 1-bit, 16-bit
    width_before = image.width
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    options: dict[str, object] = {"quality": JPEG_QUALITY, "optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if isinstance(dpi, tuple) and len(dpi) == 2 and all(isinstance(d, int | float) and d > 0 for d in dpi):
        # Keep the printed size of a scan true after downsizing.
        scale = image.width / width_before
        options["dpi"] = (round(dpi[0] * scale), round(dpi[1] * scale))
    out = io.BytesIO()
    image.save(out, format="JPEG", **options)
    return out.getvalue()
