"""The content checks, on a corpus of good and bad files made here (pure: no database)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from motcua.uploads.inspection import Accepted, Kind, Limits, Refused, heif_available, inspect
from motcua.uploads.tests import samples

LIMITS = Limits(max_file_bytes=20 * 1024 * 1024, image_max_px=2480)


def accepted(data: bytes, name: str = "tep.pdf", limits: Limits = LIMITS) -> Accepted:
    result = inspect(data, name=name, limits=limits)
    assert isinstance(result, Accepted), result
    return result


def refused(data: bytes, name: str = "tep.pdf", limits: Limits = LIMITS) -> Refused:
    result = inspect(data, name=name, limits=limits)
    assert isinstance(result, Refused), result
    assert name.rsplit("/", 1)[-1][:20] in result.reason_vi or "tep" in result.reason_vi  # the file is named
    return result


def test_a_real_pdf_is_kept_byte_for_byte() -> None:
    data = samples.pdf_bytes(pages=2)
    result = accepted(data, "Giấy khai sinh.PDF")
    assert result.kind is Kind.PDF and result.content_type == "application/pdf"
    assert result.data == data
    assert result.display_name == "Giấy khai sinh.pdf"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"MZ\x90\x00\x03" + b"\0" * 200, "chương trình"),  # a Windows program renamed .pdf
        (b"\x7fELF\x02\x01\x01" + b"\0" * 200, "chương trình"),  # a Linux program
        (b"#!/bin/sh\nrm -rf /\n", "script"),  # a shell script named .pdf
        (b"", "rỗng"),
        (b"<html><script>alert(1)</script></html>", "không nhận ra"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Office cũ"),
        (b"Rar!\x1a\x07\x00", "tệp nén"),
    ],
)
def test_what_is_not_a_document_is_refused_whatever_its_name(data: bytes, words: str) -> None:
    result = refused(data, "to-khai.pdf")
    assert words in result.reason_vi
    assert "to-khai.pdf" in result.reason_vi and "to-khai.pdf" in result.reason_en


def test_a_renamed_executable_names_what_it_is_in_both_languages() -> None:
    result = refused(b"MZ" + b"\0" * 64, "hoa-don.pdf")
    assert result.reason_vi.startswith("«hoa-don.pdf»: là tệp chương trình")
    assert "executable" in result.reason_en and "PDF" in result.reason_vi


def test_a_truncated_pdf_is_refused() -> None:
    data = samples.pdf_bytes()
    assert "bị hỏng" in refused(data[: len(data) // 2]).reason_vi
    # The %%EOF marker kept but the body cut: the parser has to fail on it, not just the marker check.
    assert "bị hỏng" in refused(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n%%EOF\n").reason_vi


def test_an_encrypted_pdf_is_refused() -> None:
    result = refused(samples.pdf_bytes(password="123456"))
    assert "mật khẩu" in result.reason_vi and "password" in result.reason_en


def test_a_pdf_without_pages_is_refused() -> None:
    assert "không có trang" in refused(samples.pdf_bytes(pages=0)).reason_vi


def test_a_pdf_with_a_zip_appended_is_a_polyglot() -> None:
    payload = samples.zip_bytes({"evil.exe": b"MZ" + b"\0" * 100})
    result = refused(samples.pdf_bytes() + payload)
    assert "hai định dạng" in result.reason_vi and "two formats" in result.reason_en


def test_a_jpeg_with_a_zip_appended_is_a_polyglot() -> None:
    payload = samples.zip_bytes({"run.js": b"WScript.Shell"})
    assert "hai định dạng" in refused(samples.image_bytes() + payload, "anh.jpg").reason_vi


def test_a_zip_with_a_pdf_header_inside_is_a_polyglot() -> None:
    data = samples.zip_bytes({"a.txt": b"%PDF-1.4 hidden"}, compression=0)
    assert "hai định dạng" in refused(data, "don.docx").reason_vi


def test_a_jpeg_with_a_pdf_header_near_its_start_is_a_polyglot() -> None:
    jpeg = samples.image_bytes()
    # A comment segment right after SOI, holding a PDF header: PDF readers look in the first KiB.
    comment = b"%PDF-1.4 " + b"x" * 20
    data = jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]
    assert "hai định dạng" in refused(data, "anh.jpg").reason_vi


def test_gps_and_every_exif_tag_are_stripped_and_orientation_applied() -> None:
    # Orientation 6: the camera was turned; the viewer must rotate 90° clockwise.
    data = samples.image_bytes("JPEG", (400, 200), gps=True, orientation=6)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(samples.GPS_IFD)  # it was there
    result = accepted(data, "IMG_0001.JPG")
    assert result.content_type == "image/jpeg" and result.display_name == "IMG_0001.jpg"
    image = Image.open(io.BytesIO(result.data))
    assert len(image.getexif()) == 0
    assert b"Exif" not in result.data[:200] and b"MotCua Test Phone" not in result.data
    assert image.size == (200, 400)  # turned upright
    assert image.getpixel((100, 10))[1] < 80 and image.getpixel((100, 390))[1] > 200  # red on top


def test_a_png_is_stored_as_jpeg_without_metadata() -> None:
    result = accepted(samples.image_bytes("PNG", (300, 300), gps=True), "chu-ky.png")
    assert result.kind is Kind.PNG and result.content_type == "image/jpeg"
    assert result.display_name == "chu-ky.jpg"
    assert len(Image.open(io.BytesIO(result.data)).getexif()) == 0


def test_a_transparent_png_becomes_white_paper() -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    stored = Image.open(io.BytesIO(accepted(out.getvalue(), "x.png").data))
    assert stored.getpixel((25, 25)) == pytest.approx((255, 255, 255), abs=2)


def test_a_large_image_is_downsized_to_the_longest_side() -> None:
    data = samples.image_bytes("JPEG", (6000, 4000))
    stored = Image.open(io.BytesIO(accepted(data, "to.jpg").data))
    assert stored.size == (2480, 1653)
    small = Limits(max_file_bytes=LIMITS.max_file_bytes, image_max_px=1000)
    assert (
        max(Image.open(io.BytesIO(accepted(samples.image_bytes("PNG", (3000, 1000)), limits=small).data)).size) == 1000
    )


def test_a_scan_keeps_its_printed_size_when_downsized() -> None:
    image = Image.new("L", (4960, 7016), 255)  # A4 at 600 dpi
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(600, 600))
    stored = Image.open(io.BytesIO(accepted(out.getvalue(), "scan.png").data))
    assert max(stored.size) == 2480 and stored.mode == "L"
    assert stored.info["dpi"] == pytest.approx((212, 212), abs=1)


def test_truncated_and_bogus_images_are_refused() -> None:
    jpeg = samples.image_bytes()
    assert "bị hỏng" in refused(jpeg[: len(jpeg) // 2], "anh.jpg").reason_vi
    png = samples.image_bytes("PNG")
    assert "bị hỏng" in refused(png[:100], "anh.png").reason_vi
    assert "bị hỏng" in refused(b"\xff\xd8\xff\xe0" + b"\0" * 50, "anh.jpg").reason_vi


def test_truncated_images_are_refused_even_after_weasyprint_relaxed_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what `import weasyprint` does
    jpeg = samples.image_bytes()
    assert "bị hỏng" in refused(jpeg[: len(jpeg) // 2], "anh.jpg").reason_vi
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    # 19000 x 19000 px of one colour: tiny as PNG, over 1 GB once decoded as RGB.
    image = Image.new("1", (19_000, 19_000), 0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert len(out.getvalue()) < 200_000
    assert "triệu" in refused(out.getvalue(), "bom.png").reason_vi
    # Between our limit and Pillow's: our own check refuses it.
    medium = io.BytesIO()
    Image.new("1", (9_000, 9_000), 0).save(medium, format="PNG")
    assert "triệu" in refused(medium.getvalue(), "bom.png").reason_vi


def test_a_multi_page_tiff_is_refused_with_advice() -> None:
    out = io.BytesIO()
    pages = [Image.new("L", (100, 100), 255), Image.new("L", (100, 100), 0)]
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:])
    assert "PDF" in refused(out.getvalue(), "scan.tif").reason_vi
    assert accepted(samples.image_bytes("TIFF"), "scan.tif").display_name == "scan.jpg"


def test_a_heic_photo_from_a_phone_becomes_a_jpeg_without_gps() -> None:
    assert heif_available()  # pillow-heif is a pinned dependency; this also registers its codec
    data = samples.image_bytes("HEIF", (640, 480), gps=True)
    assert data[4:12] == b"ftypheic"
    result = accepted(data, "IMG_2024.HEIC")
    assert result.kind is Kind.HEIC and result.content_type == "image/jpeg"
    assert result.display_name == "IMG_2024.jpg"
    stored = Image.open(io.BytesIO(result.data))
    assert stored.format == "JPEG" and stored.size == (640, 480) and len(stored.getexif()) == 0


def test_heic_is_refused_with_advice_when_it_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from motcua.uploads import inspection

    monkeypatch.setattr(inspection, "heif_available", lambda: False)
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert "hãy chụp lại ở định dạng JPEG" in refused(data, "IMG_1.HEIC").reason_vi


def test_a_real_docx_is_kept() -> None:
    data = samples.docx_bytes()
    result = accepted(data, "Đơn đề nghị.docx")
    assert result.kind is Kind.DOCX and result.data == data and result.display_name == "Đơn đề nghị.docx"


def test_a_docx_with_macros_is_refused() -> None:
    data = samples.docx_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "macro" in refused(data, "don.docx").reason_vi
    parts = samples.docx_parts()
    content_types = (
        parts["[Content_Types].xml"]
        .replace(b"document.main+xml", b"document.macroEnabled.main+xml")
        .replace(b"wordprocessingml.document.main", b"wordprocessingml.document.macroEnabled.main")
    )
    assert "macro" in refused(samples.docx_with({"[Content_Types].xml": content_types}), "don.docm").reason_vi


def test_a_zip_bomb_docx_is_refused() -> None:
    data = samples.docx_zip_bomb()
    assert len(data) < 2 * 1024 * 1024
    assert "bom nén" in refused(data, "don.docx").reason_vi


def test_a_docx_with_a_path_traversal_entry_is_refused() -> None:
    assert "../" in refused(samples.docx_with_traversal(), "don.docx").reason_vi


def test_a_zip_that_is_not_a_docx_is_refused() -> None:
    assert "không phải tệp Word" in refused(samples.zip_bytes({"a.txt": b"hello"}), "don.docx").reason_vi


def test_a_truncated_docx_is_refused() -> None:
    data = samples.docx_bytes()
    assert "bị hỏng" in refused(data[: len(data) - 200], "don.docx").reason_vi


def test_oversize_is_refused_by_size() -> None:
    tiny = Limits(max_file_bytes=1024, image_max_px=2480)
    result = refused(samples.pdf_bytes() + b"\n" * 2000, "lon.pdf", limits=tiny)
    assert "lớn hơn 0 MB" in result.reason_vi or "lớn hơn" in result.reason_vi
