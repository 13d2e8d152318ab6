"""Administrative units (34 provinces and their wards after the 1 July 2025 reform), from
`vietnam-provinces`: validation and names, never a copy of the list of our own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode


def province(code: int) -> Province | None:
    try:
        return Province.from_code(ProvinceCode(code))
    except (ValueError, KeyError):
        return None


def ward(code: int) -> Ward | None:
    try:
        return Ward.from_code(WardCode(code))
    except (ValueError, KeyError):
        return None


def validate_province_code(code: int) -> None:
    if province(code) is None:
        raise ValidationError(
            _("Mã tỉnh/thành phố %(code)s không có trong danh mục 34 tỉnh, thành phố."),
            params={"code": code},
            code="unknown_province",
        )


def validate_ward_code(code: int) -> None:
    if ward(code) is None:
        raise ValidationError(
            _("Mã xã/phường %(code)s không có trong danh mục xã, phường từ ngày 01/7/2025."),
            params={"code": code},
            code="unknown_ward",
        )


def validate_ward_in_province(ward_code: int | None, province_code: int | None) -> None:
    """The ward must lie in the agency's province (either may be missing: nothing to compare)."""
    if ward_code is None or province_code is None:
        return
    found = ward(ward_code)
    if found is not None and int(found.province_code) != province_code:
        raise ValidationError(
            {
                "ward_code": ValidationError(
                    _("%(ward)s không thuộc tỉnh/thành phố mã %(province)s."),
                    params={"ward": " ".join(found.name.split()), "province": province_code},
                    code="ward_outside_province",
                )
            }
        )
