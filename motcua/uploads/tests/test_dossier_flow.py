"""The dossier flow (motcua.dossiers.services.dossier_files_store / _check_files) uses the same
content checks: back-office counter scans included."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from motcua.core.errors import InvalidInput
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Role
from motcua.dossiers.models import DossierFile
from motcua.dossiers.tests.factories import make_dossier, make_official
from motcua.uploads.tests import samples

pytestmark = pytest.mark.django_db


def test_dossier_files_are_stored_cleaned_under_random_names() -> None:
    dossier = make_dossier()
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    stored = services.dossier_files_store(
        dossier=dossier,
        files=[
            samples.upload("../CCCD mặt trước.JPG", samples.image_bytes("JPEG", (4000, 3000), gps=True), "image/jpeg"),
            samples.pdf_upload("Tờ khai.pdf"),
        ],
        actor=officer,
    )
    photo, pdf = stored
    assert photo.name == "CCCD mặt trước.jpg" and photo.content_type == "image/jpeg"
    assert "CCCD" not in photo.file.name and photo.file.name.endswith(".jpg")
    with photo.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert max(image.size) == 2480 and len(image.getexif()) == 0
    assert photo.size == photo.file.size
    assert pdf.name == "Tờ khai.pdf" and pdf.content_type == "application/pdf"


def test_a_lying_content_type_is_refused_with_every_bad_file_named() -> None:
    dossier = make_dossier()
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    with pytest.raises(InvalidInput) as refused:
        services.dossier_files_store(
            dossier=dossier,
            files=[
                samples.upload("scan.pdf", b"#!/bin/sh\necho pwned\n"),
                samples.pdf_upload("ok.pdf"),
                samples.upload("mat-khau.pdf", samples.pdf_bytes(password="1")),
            ],
            actor=officer,
        )
    problems = refused.value.problems
    assert len(problems) == 2 and "scan.pdf" in problems[0] and "mat-khau.pdf" in problems[1]
    assert not DossierFile.objects.exists()  # all or nothing inside the dossier's transaction


def test_the_dossier_total_counts_the_files_it_already_has(settings: Any) -> None:
    settings.UPLOAD_MAX_DOSSIER_MB = 1
    dossier = make_dossier()
    officer = make_official(dossier.agency, Role.RECEIVING_OFFICER)
    big = samples.pdf_bytes(padding=600_000)
    services.dossier_files_store(dossier=dossier, files=[samples.upload("a.pdf", big)], actor=officer)
    with pytest.raises(InvalidInput, match="tổng dung lượng 1 MB"):
        services.dossier_files_store(dossier=dossier, files=[samples.upload("b.pdf", big)], actor=officer)
