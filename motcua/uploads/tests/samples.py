"""Good and bad files, made in the test run (nothing downloaded, nothing checked in).

Other apps' tests use `pdf_bytes()` / `pdf_upload()` for a real, minimal PDF: the upload checks
open every PDF, so "%PDF-1.4 scan" no longer passes for one.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
GPS_IFD = 0x8825


def pdf_bytes(pages: int = 1, *, password: str = "", padding: int = 0) -> bytes:
    """A real PDF of blank A4 pages; `padding` bytes of metadata make it as large as needed."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    if padding:
        writer.add_metadata({"/Subject": "x" * padding})
    if password:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "ban-scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (800, 600),
    *,
    gps: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """A picture with a red left half, so turning it can be seen from its pixels."""
    image = Image.new(mode, size, "white")
    image.paste("red" if mode == "RGB" else 0, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "MotCua Test Phone"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        # Hà Nội, Hoàn Kiếm lake: what must never reach the agency's disk.
        exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 9.0)}
    out = io.BytesIO()
    if fmt in {"JPEG", "PNG", "HEIF", "WEBP", "TIFF"}:
        image.save(out, format=fmt, exif=exif.tobytes())
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def docx_bytes(text: str = "Đơn đề nghị cấp bản sao") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def docx_with(extra: dict[str, bytes]) -> bytes:
    """A real DOCX plus (or with replaced) parts."""
    parts = docx_parts()
    parts.update(extra)
    return zip_bytes(parts)


def docx_zip_bomb() -> bytes:
    # 300 MB of zeros deflate to ~300 KB: the kind of part a zip bomb is made of.
    parts = docx_parts()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(300):
                part.write(block)
    return out.getvalue()


def docx_with_traversal() -> bytes:
    parts = docx_parts()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr(zipfile.ZipInfo("../../etc/cron.d/evil"), b"* * * * * root sh")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """The browser's header is whatever the attacker likes: the tests lie in it on purpose."""
    return SimpleUploadedFile(name, data, content_type=content_type)
