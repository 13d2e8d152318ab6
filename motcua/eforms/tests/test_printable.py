from __future__ import annotations

from motcua.eforms.printable import Signature, printed_form, roman, signature_rows
from motcua.eforms.tests.helpers import builtin_file, minimal_definition


def test_fields_are_numbered_across_sections_with_kinds() -> None:
    definition = minimal_definition()
    printed = printed_form(title="Tờ khai", schema=definition["schema"], layout=definition["layout"])
    fields = [f for s in printed.sections for f in s.fields]
    assert [(f.number, f.path, f.kind) for f in fields] == [
        (1, "ho_ten", "text"),
        (2, "gioi_tinh", "choice"),
        (3, "me.ho_ten", "text"),
    ]
    assert fields[0].required and not fields[2].required
    assert fields[1].choices == ("Nam", "Nữ")
    assert printed.signatures == (Signature(title="Người làm đơn"),)


def test_tables_multichoice_and_lines_from_a_builtin() -> None:
    data = builtin_file("ct01-to-khai-thay-doi-thong-tin-cu-tru")
    printed = printed_form(title=data["title"], schema=data["schema"], layout=data["layout"])
    fields = {f.path: f for s in printed.sections for f in s.fields}
    table = fields["thanh_vien_cung_thay_doi"]
    assert table.kind == "table" and table.lines == 4
    assert table.columns[0] == "Họ, chữ đệm và tên"
    assert fields["noi_dung_de_nghi"].lines == 3
    assert len(printed.signatures) == 4


def test_roman_and_signature_rows() -> None:
    assert [roman(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    four = tuple(Signature(title=str(n)) for n in range(4))
    assert [len(row) for row in signature_rows(four)] == [2, 2]
    assert [len(row) for row in signature_rows(four[:3])] == [3]
