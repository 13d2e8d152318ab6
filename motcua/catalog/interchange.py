"""Import and export of the catalogue in the shape of the national procedure database.

The national database (CSDLQG về TTHC, service `LayThuTuc` of DVCQG) has no public
specification: the record shape below follows the fields seen in public integrations
(REGULATIONS.md §6, **[secondary]**). Everything about that shape lives in this one module, so
it can be corrected in one place. Our own fields, which the national record does not have,
sit under a ``"MOTCUA"`` key (at procedure, fee, component and agency level): anything under
``MOTCUA`` is ours, anything else is meant to be the national shape.

File: ``{"version": 1, "procedures": [record, ...], "agencies": [agency, ...], "forms": [form, ...]}``.

``forms`` (ours, optional on import) carries the form definitions the components refer to
(MAUDON.MAMAUDON), as {code, title, title_en, legal_reference, schema, layout}, so a file
exported here imports into an empty installation. A form code the file does not carry must
already exist.

Procedure record (one per procedure, its current version):

======================================  ==========================================================
Key                                     MotCua
======================================  ==========================================================
MATTHC                                  Procedure.national_code (null when not on the national list)
TENTTHC                                 version.name
MALINHVUC, TENLINHVUC                   Procedure.field (code, name); also as
LINHVUCTHUCHIEN [{MALINHVUC,            the list form; on import the list wins, its first item
TENLINHVUC}]                            is the field (created if the code is unknown)
CAPTHUCHIEN                             version.administrative_level: "Cấp Bộ" central, "Cấp Tỉnh"
                                        province, "Cấp Xã" ward (import folds accents/case)
DOITUONGTHUCHIEN [{MADOITUONG,          for_citizens (1 "Công dân"), for_businesses (2 "Doanh
TENDOITUONG}]                           nghiệp"), for_organisations (3 "Tổ chức"); unknown codes
                                        are read from the name, else count as organisations
COQUANTHUCHIEN [{MADONVI, TENDONVI}]    version.competent_agency = the first item (MADONVI must be
                                        an agency of the file or of the database)
MOTACOQUANTHUCHIEN                      version.competent_agency_text
CACHTHUCTHUCHIEN [{KENH, THOIGIAN:      channels: KENH 1 counter, 2 online, 3 post (one item per
[{THOIGIANGIAIQUYET, DONVITINH, MOTA,   channel offered). THOIGIAN[0] = that channel's processing
PHILEPHI: [...]}]}]                     time: the version's time, or its ProcessingTimeByChannel
                                        when it differs. DONVITINH "Giờ làm việc" / "Ngày làm
                                        việc" / "Ngày". MOTA = the time's note. Further THOIGIAN
                                        items are read for fees only.
PHILEPHI [{MAPHILEPHI, LOAIPHILEPHI,    version.fees, repeated under every channel (our fees do
SOTIEN, DONVI, MOTA, MOTCUA:            not depend on the channel); import takes the union in
{exemptions}}]                          order. LOAIPHILEPHI 1 lệ phí (fee), 2 phí (charge);
                                        SOTIEN in đồng, null = set by the provincial council or
                                        not published; MOTA = the fee's name
THANHPHANHOSO [{TRUONGHOP, GIAYTO:      version.components, one group with TRUONGHOP "" on
[{MAGIAYTO, TENGIAYTO, SOBANCHINH,      export; on import groups are flattened and a non-empty
SOBANSAO, BATBUOC, MAUDON: [{MAMAUDON,  TRUONGHOP is prefixed to the note. MAUDON: the attached
TENMAUDON, URL}], MOTCUA: {note}}]}]    form (eforms code, must exist); URL is our download link
TRINHTUTHUCHIEN [{TRUONGHOP, TRINHTU:   version.steps, in order (TRUONGHOP as for components,
[{TENTRINHTU}]}]                        prefixed to the step's text on import)
KETQUATHUCHIEN [{MAKETQUA, TENKETQUA}]  version.result_name (several results joined by a newline)
CANCUPHAPLY [{SOVANBAN, TENVANBAN}]     version.legal_bases: TENVANBAN is the full title; SOVANBAN
                                        is read from it on export ("60/2014/QH13")
YEUCAU (or DIEUKIEN)                    version.requirements
QUYETDINHCONGBO                         version.publishing_decision
MUCDO                                   version.legacy_level (Circular 32/2017, 1-4 or null)
MOTCUA.slug                             Procedure.slug (URL); derived from name + code if absent
MOTCUA.status                           Procedure.status (active / suspended / abolished)
MOTCUA.topics [{slug, name}]            Procedure.topics (created by slug when unknown)
MOTCUA.name_en, summary, summary_en     plain-language summary (required for a new procedure)
MOTCUA.effective_from                   version.effective_from (ISO date; today if absent)
MOTCUA.processing_time {value, unit,    the version's own processing time, exactly (without it,
note}                                   the first channel's THOIGIAN is taken)
MOTCUA.same_day_cutoff                  "15:00": same-day procedures (THOIGIANGIAIQUYET 0)
MOTCUA.online_level                     Decree 42/2022: "full", "partial", "none" or ""
MOTCUA.full_online_eligible             bool
MOTCUA.result_channels                  ["counter", "post", "online"]: how results are returned
MOTCUA.receiving_agencies               [agency codes]: where dossiers are received
MOTCUA.source                           where the content came from
======================================  ==========================================================

Agency: ``{MADONVI, TENDONVI, MADONVICHA (parent code), MATINH (province code), MAXA (ward
code), DIACHI, SODIENTHOAI, EMAIL, MOTCUA: {kind, name_en, short_name, is_receiving_point,
website, office_hours, active}}``. MADONVI must have the Circular 10/2016 shape.

Import rules: the whole file is validated first (JSON Schema for the structure, then the
business rules); one problem anywhere rejects the whole file and nothing is written. National
keys missing from a record mean "empty"; MOTCUA keys missing mean "keep what the procedure has"
(or the default, for a new procedure). A procedure is matched by MATTHC, else by slug; when its
content differs from its newest published version a new version is created and published
(published versions are never edited); identical content writes nothing, so importing the same
file twice changes nothing. Procedures and agencies absent from the file are left alone.
Not carried: result templates (files), form definitions themselves (only referenced by code).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from motcua.catalog import services
from motcua.catalog.models import (
    AGENCY_CODE_PATTERN,
    VERSION_CONTENT_FIELDS,
    AdministrativeLevel,
    Agency,
    AgencyKind,
    Channel,
    DossierComponent,
    Fee,
    FeeKind,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureStatus,
    ProcedureVersion,
    TimeUnit,
    VersionState,
)
from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.eforms.models import FormDefinition
from motcua.eforms.services import form_definition_upsert
from motcua.eforms.validation import form_definition_problems

FORMAT_VERSION: Final = 1
EXTRA: Final = "MOTCUA"

KENH_BY_CHANNEL: Final = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}
CHANNEL_BY_KENH: Final = {str(v): k for k, v in KENH_BY_CHANNEL.items()}
CHANNEL_FLAGS: Final = {
    Channel.COUNTER: "channel_counter",
    Channel.ONLINE: "channel_online",
    Channel.POST: "channel_post",
}
DONVITINH_BY_UNIT: Final = {
    TimeUnit.WORKING_HOURS: "Giờ làm việc",
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "Ngày",
}
_UNIT_BY_FOLDED: Final = {
    **{fold(label): unit for unit, label in DONVITINH_BY_UNIT.items()},
    **{str(unit): unit for unit in TimeUnit},
    "gio": TimeUnit.WORKING_HOURS,
}
LOAIPHILEPHI_BY_KIND: Final = {FeeKind.FEE: 1, FeeKind.CHARGE: 2}
_KIND_BY_LOAIPHILEPHI: Final = {"1": FeeKind.FEE, "2": FeeKind.CHARGE, "le phi": FeeKind.FEE, "phi": FeeKind.CHARGE}
CAPTHUCHIEN_BY_LEVEL: Final = {
    AdministrativeLevel.CENTRAL: "Cấp Bộ",
    AdministrativeLevel.PROVINCE: "Cấp Tỉnh",
    AdministrativeLevel.WARD: "Cấp Xã",
}
SUBJECTS: Final = (  # (flag, MADOITUONG, TENDOITUONG, folded words that name it)
    ("for_citizens", "1", "Công dân", ("cong dan", "ca nhan", "nguoi")),
    ("for_businesses", "2", "Doanh nghiệp", ("doanh nghiep",)),
    ("for_organisations", "3", "Tổ chức", ("to chuc", "hop tac xa", "co quan")),
)
RESULT_CHANNEL_FLAGS: Final = {
    Channel.COUNTER: "result_by_counter",
    Channel.POST: "result_by_post",
    Channel.ONLINE: "result_online",
}
# "Luật Hộ tịch số 60/2014/QH13" -> "60/2014/QH13"; "Nghị định 123/2015/NĐ-CP" -> "123/2015/NĐ-CP".
_DOCUMENT_NUMBER = re.compile(r"\b\d+/\d{4}/[\wĐđ\-]+", re.UNICODE)

# The ProcedureVersion columns the file carries (the rest is bookkeeping or a file).
VERSION_FIELDS: Final = tuple(f for f in VERSION_CONTENT_FIELDS if f != "result_template")
NOT_CARRIED: Final = frozenset(
    {"id", "procedure", "number", "state", "published_at", "search_text", "created_at", "updated_at", "result_template"}
)

# Where each version column comes from in a record, to name it in problems.
PATH_OF_FIELD: Final = {
    "name": "TENTTHC",
    "administrative_level": "CAPTHUCHIEN",
    "competent_agency": "COQUANTHUCHIEN[0].MADONVI",
    "competent_agency_text": "MOTACOQUANTHUCHIEN",
    "result_name": "KETQUATHUCHIEN",
    "requirements": "YEUCAU",
    "publishing_decision": "QUYETDINHCONGBO",
    "legacy_level": "MUCDO",
    "processing_time_value": "CACHTHUCTHUCHIEN",
    "processing_time_unit": "CACHTHUCTHUCHIEN",
    "processing_time_note": "CACHTHUCTHUCHIEN",
}


# -- JSON Schema: the structure -------------------------------------------------------------------

_TEXT: Final = {"type": "string"}
_NAME: Final = {"type": "string", "minLength": 1}
_OPTIONAL_TEXT: Final = {"type": ["string", "null"]}
_NUMBER_LIKE: Final = {"type": ["number", "string", "null"]}
_CODE_LIKE: Final = {"type": ["integer", "string"]}
_AGENCY_CODE: Final = {"type": "string", "pattern": AGENCY_CODE_PATTERN}


def _list_of(item: dict[str, Any], *, min_items: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": item}
    if min_items:
        schema["minItems"] = min_items
    return schema


def _object(properties: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    # Extra keys are allowed: national records carry many we do not use.
    return {"type": "object", "properties": properties, "required": list(required)}


_FEE_SCHEMA: Final = _object(
    {
        "MAPHILEPHI": _OPTIONAL_TEXT,
        "LOAIPHILEPHI": _CODE_LIKE,
        "SOTIEN": _NUMBER_LIKE,
        "DONVI": _OPTIONAL_TEXT,
        "MOTA": _OPTIONAL_TEXT,
        EXTRA: _object({"exemptions": _TEXT}),
    }
)
_TIME_SCHEMA: Final = _object(
    {
        "THOIGIANGIAIQUYET": _NUMBER_LIKE,
        "DONVITINH": _OPTIONAL_TEXT,
        "MOTA": _OPTIONAL_TEXT,
        "PHILEPHI": _list_of(_FEE_SCHEMA),
    }
)
_DOCUMENT_SCHEMA: Final = _object(
    {
        "MAGIAYTO": _OPTIONAL_TEXT,
        "TENGIAYTO": _NAME,
        "SOBANCHINH": {"type": ["integer", "string", "null"]},
        "SOBANSAO": {"type": ["integer", "string", "null"]},
        "BATBUOC": {"type": ["boolean", "integer", "string"]},
        "MAUDON": _list_of(_object({"MAMAUDON": _OPTIONAL_TEXT, "TENMAUDON": _OPTIONAL_TEXT, "URL": _OPTIONAL_TEXT})),
        EXTRA: _object({"note": _TEXT}),
    },
    required=["TENGIAYTO"],
)
PROCEDURE_SCHEMA: Final = _object(
    {
        "MATTHC": {"type": ["string", "null"], "pattern": r"^\S{1,30}$"},
        "TENTTHC": _NAME,
        "MALINHVUC": _OPTIONAL_TEXT,
        "TENLINHVUC": _OPTIONAL_TEXT,
        "LINHVUCTHUCHIEN": _list_of(_object({"MALINHVUC": _NAME, "TENLINHVUC": _NAME}, ["MALINHVUC", "TENLINHVUC"])),
        "CAPTHUCHIEN": _NAME,
        "DOITUONGTHUCHIEN": _list_of(_object({"MADOITUONG": _CODE_LIKE, "TENDOITUONG": _OPTIONAL_TEXT})),
        "COQUANTHUCHIEN": _list_of(
            _object({"MADONVI": _AGENCY_CODE, "TENDONVI": _OPTIONAL_TEXT}, ["MADONVI"]), min_items=1
        ),
        "MOTACOQUANTHUCHIEN": _OPTIONAL_TEXT,
        "CACHTHUCTHUCHIEN": _list_of(
            _object({"KENH": {"enum": [1, 2, 3, "1", "2", "3"]}, "THOIGIAN": _list_of(_TIME_SCHEMA)}, ["KENH"])
        ),
        "THANHPHANHOSO": _list_of(_object({"TRUONGHOP": _OPTIONAL_TEXT, "GIAYTO": _list_of(_DOCUMENT_SCHEMA)})),
        "TRINHTUTHUCHIEN": _list_of(
            _object(
                {
                    "TRUONGHOP": _OPTIONAL_TEXT,
                    "TRINHTU": _list_of(_object({"TENTRINHTU": _NAME}, ["TENTRINHTU"])),
                }
            )
        ),
        "KETQUATHUCHIEN": _list_of(
            _object({"MAKETQUA": _OPTIONAL_TEXT, "TENKETQUA": _NAME}, ["TENKETQUA"]), min_items=1
        ),
        "CANCUPHAPLY": _list_of(_object({"SOVANBAN": _OPTIONAL_TEXT, "TENVANBAN": _NAME}, ["TENVANBAN"])),
        "YEUCAU": _OPTIONAL_TEXT,
        "DIEUKIEN": _OPTIONAL_TEXT,
        "QUYETDINHCONGBO": _OPTIONAL_TEXT,
        "MUCDO": {"type": ["integer", "string", "null"], "enum": [1, 2, 3, 4, "1", "2", "3", "4", "", None]},
        EXTRA: _object(
            {
                "slug": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
                "status": {"enum": [str(s) for s in ProcedureStatus]},
                "topics": _list_of(
                    _object(
                        {"slug": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}, "name": _NAME}, ["slug", "name"]
                    )
                ),
                "name_en": _TEXT,
                "summary": _TEXT,
                "summary_en": _TEXT,
                "effective_from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "processing_time": _object(
                    {"value": _NUMBER_LIKE, "unit": {"enum": [str(u) for u in TimeUnit]}, "note": _TEXT},
                    ["value", "unit"],
                ),
                "same_day_cutoff": {"type": ["string", "null"], "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"},
                "online_level": {"enum": ["", *[str(level) for level in OnlineLevel]]},
                "full_online_eligible": {"type": "boolean"},
                "result_channels": _list_of({"enum": [str(c) for c in Channel]}),
                "receiving_agencies": _list_of(_AGENCY_CODE),
                "source": _TEXT,
            }
        ),
    },
    required=["TENTTHC", "CAPTHUCHIEN", "COQUANTHUCHIEN", "CACHTHUCTHUCHIEN", "KETQUATHUCHIEN"],
)
AGENCY_SCHEMA: Final = _object(
    {
        "MADONVI": _AGENCY_CODE,
        "TENDONVI": _NAME,
        "MADONVICHA": {"type": ["string", "null"], "pattern": AGENCY_CODE_PATTERN},
        "MATINH": {"type": "integer", "minimum": 1},
        "MAXA": {"type": ["integer", "null"], "minimum": 1},
        "DIACHI": _TEXT,
        "SODIENTHOAI": _TEXT,
        "EMAIL": _TEXT,
        EXTRA: _object(
            {
                "kind": {"enum": [str(k) for k in AgencyKind]},
                "name_en": _TEXT,
                "short_name": _TEXT,
                "is_receiving_point": {"type": "boolean"},
                "website": _TEXT,
                "office_hours": _TEXT,
                "active": {"type": "boolean"},
            }
        ),
    },
    required=["MADONVI", "TENDONVI", "MATINH"],
)
FILE_SCHEMA: Final = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "version": {"const": FORMAT_VERSION},
        "procedures": _list_of(PROCEDURE_SCHEMA),
        "agencies": _list_of(AGENCY_SCHEMA),
        "forms": _list_of(
            _object(
                {
                    "code": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
                    "title": _NAME,
                    "title_en": _OPTIONAL_TEXT,
                    "legal_reference": _OPTIONAL_TEXT,
                    "schema": {"type": "object"},
                    "layout": {"type": "object"},
                },
                required=["code", "title", "schema", "layout"],
            )
        ),
    },
    "required": ["version", "procedures"],
}


# -- Problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (record and key path) and what, in Vietnamese and English."""

    where: str  # "procedures[3] (1.001193)"; "" for the file itself
    path: str  # "CACHTHUCTHUCHIEN[0].THOIGIAN[0].PHILEPHI[1].SOTIEN"
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        location = " ".join(part for part in (self.where, self.path) if part) or "(tệp / file)"
        return f"{location}: {self.message_vi} / {self.message_en}"


def _json_path(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _record_label(section: str, index: int, record: Any) -> str:
    code = ""
    if isinstance(record, dict):
        if section == "procedures":
            extra = record.get(EXTRA)
            code = record.get("MATTHC") or (extra.get("slug") if isinstance(extra, dict) else "") or ""
        else:
            code = record.get("MADONVI") or ""
    return f"{section}[{index}]" + (f" ({code})" if isinstance(code, str) and code else "")


def _schema_problem(error: SchemaError, data: Any) -> Problem:
    path = list(error.absolute_path)
    where = ""
    if len(path) >= 2 and path[0] in {"procedures", "agencies"} and isinstance(path[1], int):
        section, index = str(path[0]), path[1]
        where = _record_label(section, index, data[section][index])
        path = path[2:]
    validator, value = error.validator, error.validator_value
    if validator == "required" and isinstance(error.instance, dict):
        missing = [key for key in value if key not in error.instance]
        return Problem(where, _json_path([*path, *missing[:1]]), "thiếu trường bắt buộc", "required field is missing")
    vi, en = _schema_message(str(validator), value, error.message)
    return Problem(where, _json_path(path), vi, en)


def _schema_message(validator: str, value: Any, message: str) -> tuple[str, str]:
    if validator == "type":
        return f"sai kiểu dữ liệu, cần {value}", f"wrong type, expected {value}"
    if validator == "minimum":
        return f"phải ≥ {value}", f"must be ≥ {value}"
    if validator == "pattern":
        if value == AGENCY_CODE_PATTERN:
            return (
                "mã định danh cơ quan phải có dạng 000.00.00.H29 (Thông tư 10/2016/TT-BTTTT)",
                "the agency code must look like 000.00.00.H29 (Circular 10/2016)",
            )
        return f"không đúng định dạng ({value})", f"does not match the expected shape ({value})"
    if validator == "enum":
        choices = ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
        return f"phải là một trong {choices}", f"must be one of {choices}"
    if validator == "const":
        return f"phải là {value}", f"must be {value}"
    if validator == "minLength":
        return "không được để trống", "must not be empty"
    if validator == "minItems":
        return f"cần ít nhất {value} mục", f"needs at least {value} item(s)"
    return "không hợp lệ", f"invalid: {message}"


class _Reporter:
    """Collects the problems of one record."""

    def __init__(self, problems: list[Problem], where: str) -> None:
        self.problems = problems
        self.where = where
        self.paths: set[str] = set()

    def add(self, path: str, vi: str, en: str) -> None:
        self.problems.append(Problem(self.where, path, vi, en))
        self.paths.add(path)

    def model_errors(self, error: ValidationError, path_of: dict[str, str], default_prefix: str = "") -> None:
        with translation.override("vi"):
            vi = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        with translation.override("en"):
            en = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        for name, messages in vi.items():
            path = path_of.get(name, f"{default_prefix}{name}")
            if path in self.paths:
                continue  # already explained in our own words
            for i, message in enumerate(messages):
                self.add(path, message, en[name][i] if i < len(en.get(name, [])) else message)


# -- Plain form: what a version says, with codes instead of rows (comparable, exportable) ---------


@dataclass(kw_only=True)
class PlainVersion:
    """A version's content with agencies and forms as codes: equal iff the content is equal."""

    fields: dict[str, Any]
    steps: list[str] = field(default_factory=list)
    legal_bases: list[str] = field(default_factory=list)
    fees: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    channel_times: list[dict[str, Any]] = field(default_factory=list)
    receiving_agencies: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "steps": self.steps,
            "legal_bases": self.legal_bases,
            "fees": self.fees,
            "components": self.components,
            "channel_times": self.channel_times,
            "receiving_agencies": self.receiving_agencies,
        }


def _decimal(value: Decimal | int | float | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


_CHANNEL_ORDER: Final = list(KENH_BY_CHANNEL)


def plain_version(version: ProcedureVersion) -> PlainVersion:
    content = services.version_content(version)
    fields: dict[str, Any] = {}
    for name in VERSION_FIELDS:
        if name == "competent_agency":
            fields[name] = version.competent_agency.code
        else:
            fields[name] = content.fields[name]
    fields["processing_time_value"] = _decimal(fields["processing_time_value"])
    cutoff = fields["same_day_cutoff"]
    fields["same_day_cutoff"] = cutoff.strftime("%H:%M") if cutoff else None
    fields["effective_from"] = fields["effective_from"].isoformat()
    return PlainVersion(
        fields=fields,
        steps=list(content.steps),
        legal_bases=list(content.legal_bases),
        fees=[
            {"code": f.code, "name": f.name, "kind": f.kind, "amount_vnd": f.amount_vnd, "exemptions": f.exemptions}
            for f in content.fees
        ],
        components=[
            {
                "code": c.code,
                "name": c.name,
                "originals": c.originals,
                "copies": c.copies,
                "required": c.required,
                "note": c.note,
                "form": c.form.code if c.form else None,
            }
            for c in content.components
        ],
        channel_times=sorted(
            (
                {"channel": t.channel, "value": _decimal(t.value), "unit": t.unit, "note": t.note}
                for t in content.channel_times
            ),
            key=lambda t: _CHANNEL_ORDER.index(t["channel"]),
        ),
        receiving_agencies=sorted(a.code for a in content.receiving_agencies),
    )


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _form_url(form_code: str, extension: str) -> str:
    return f"{settings.SITE_URL}/bieu-mau/{form_code}.{extension}"


def procedure_record(procedure: Procedure, plain: PlainVersion, agency_names: dict[str, str]) -> dict[str, Any]:
    """The national-shaped record of a procedure and one version's content."""
    f = plain.fields
    default_time = {
        "value": f["processing_time_value"],
        "unit": f["processing_time_unit"],
        "note": f["processing_time_note"],
    }
    overrides = {t["channel"]: t for t in plain.channel_times}
    fees = [
        {
            "MAPHILEPHI": fee["code"],
            "LOAIPHILEPHI": LOAIPHILEPHI_BY_KIND.get(fee["kind"], 1),
            "SOTIEN": fee["amount_vnd"],
            "DONVI": "Đồng",
            "MOTA": fee["name"],
            EXTRA: {"exemptions": fee["exemptions"]},
        }
        for fee in plain.fees
    ]
    channels = []
    for channel in _CHANNEL_ORDER:
        if not f[CHANNEL_FLAGS[channel]]:
            continue
        time = overrides.get(channel, default_time)
        channels.append(
            {
                "KENH": KENH_BY_CHANNEL[channel],
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": _number(time["value"]),
                        "DONVITINH": DONVITINH_BY_UNIT.get(time["unit"], time["unit"]),
                        "MOTA": time["note"],
                        "PHILEPHI": fees,
                    }
                ],
            }
        )
    documents = []
    for c in plain.components:
        document: dict[str, Any] = {
            "MAGIAYTO": c["code"],
            "TENGIAYTO": c["name"],
            "SOBANCHINH": c["originals"],
            "SOBANSAO": c["copies"],
            "BATBUOC": 1 if c["required"] else 0,
            "MAUDON": [],
            EXTRA: {"note": c["note"]},
        }
        if c["form"]:
            form_title = FormDefinition.objects.filter(code=c["form"]).values_list("title", flat=True).first()
            document["MAUDON"] = [
                {"MAMAUDON": c["form"], "TENMAUDON": form_title or "", "URL": _form_url(c["form"], "pdf")}
            ]
        documents.append(document)
    legal = []
    for title in plain.legal_bases:
        number = _DOCUMENT_NUMBER.search(title)
        legal.append({"SOVANBAN": number.group(0) if number else "", "TENVANBAN": title})
    field_row = procedure.field
    agency_code = f["competent_agency"]
    return {
        "MATTHC": procedure.national_code,
        "TENTTHC": f["name"],
        "MALINHVUC": field_row.code,
        "TENLINHVUC": field_row.name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field_row.code, "TENLINHVUC": field_row.name}],
        "CAPTHUCHIEN": CAPTHUCHIEN_BY_LEVEL.get(f["administrative_level"], f["administrative_level"]),
        "DOITUONGTHUCHIEN": [
            {"MADOITUONG": code, "TENDOITUONG": label} for flag, code, label, _words in SUBJECTS if f[flag]
        ],
        "COQUANTHUCHIEN": [{"MADONVI": agency_code, "TENDONVI": agency_names.get(agency_code, "")}],
        "MOTACOQUANTHUCHIEN": f["competent_agency_text"],
        "CACHTHUCTHUCHIEN": channels,
        "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": documents}] if documents else [],
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": s} for s in plain.steps]}]
        if plain.steps
        else [],
        "KETQUATHUCHIEN": [{"MAKETQUA": "", "TENKETQUA": f["result_name"]}],
        "CANCUPHAPLY": legal,
        "YEUCAU": f["requirements"],
        "QUYETDINHCONGBO": f["publishing_decision"],
        "MUCDO": f["legacy_level"],
        EXTRA: {
            "slug": procedure.slug,
            "status": procedure.status,
            "topics": [{"slug": t.slug, "name": t.name} for t in procedure.topics.order_by("slug")],
            "name_en": f["name_en"],
            "summary": f["summary"],
            "summary_en": f["summary_en"],
            "effective_from": f["effective_from"],
            "processing_time": {
                "value": _number(default_time["value"]),
                "unit": default_time["unit"],
                "note": default_time["note"],
            },
            "same_day_cutoff": f["same_day_cutoff"],
            "online_level": f["online_level"],
            "full_online_eligible": f["full_online_eligible"],
            "result_channels": [str(c) for c, flag in RESULT_CHANNEL_FLAGS.items() if f[flag]],
            "receiving_agencies": plain.receiving_agencies,
            "source": f["source"],
        },
    }


def agency_record(agency: Agency) -> dict[str, Any]:
    return {
        "MADONVI": agency.code,
        "TENDONVI": agency.name,
        "MADONVICHA": agency.parent.code if agency.parent else None,
        "MATINH": agency.province_code,
        "MAXA": agency.ward_code,
        "DIACHI": agency.address,
        "SODIENTHOAI": agency.phone,
        "EMAIL": agency.email,
        EXTRA: {
            "kind": agency.kind,
            "name_en": agency.name_en,
            "short_name": agency.short_name,
            "is_receiving_point": agency.is_receiving_point,
            "website": agency.website,
            "office_hours": agency.office_hours,
            "active": agency.active,
        },
    }


# -- Export ---------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    data: dict[str, Any]
    skipped: list[str]  # procedures without a version in force


def catalogue_export() -> ExportResult:
    """Every agency, and every procedure's current version, in the national shape."""
    agencies = list(Agency.objects.select_related("parent").order_by("code"))
    names = {a.code: a.name for a in agencies}
    procedures = Procedure.objects.select_related("field", "current_version", "current_version__competent_agency")
    records = []
    skipped = []
    for procedure in sorted(procedures, key=lambda p: (p.national_code is None, p.national_code or "", p.slug)):
        if procedure.current_version is None:
            skipped.append(procedure.key)
            continue
        records.append(procedure_record(procedure, plain_version(procedure.current_version), names))
    form_codes = sorted(
        {g["MAMAUDON"] for r in records for p in r["THANHPHANHOSO"] for d in p["GIAYTO"] for g in d.get("MAUDON", [])}
    )
    forms = [form_record(f) for f in FormDefinition.objects.filter(code__in=form_codes).order_by("code")]
    return ExportResult(
        data={
            "version": FORMAT_VERSION,
            "procedures": records,
            "agencies": [agency_record(a) for a in agencies],
            "forms": forms,
        },
        skipped=skipped,
    )


def form_record(form: FormDefinition) -> dict[str, Any]:
    return {
        "code": form.code,
        "title": form.title,
        "title_en": form.title_en,
        "legal_reference": form.legal_reference,
        "schema": form.schema,
        "layout": form.layout,
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- Import: parsing ------------------------------------------------------------------------------


def loads(text: str) -> Any:
    """Parse the file; malformed JSON is refused with its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"Tệp JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}",
            f"Malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
        ) from exc


def _parse_decimal(value: Any) -> Decimal | None:
    """A number or a numeric string ("3", "1,5"); None for null/empty. Raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def _parse_count(value: Any) -> int | None:
    number = _parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(value)
    return int(number)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _with_case(case: Any, text: str) -> str:
    case_text = _text(case)
    return f"[{case_text}] {text}" if case_text else text


@dataclass(kw_only=True)
class ParsedProcedure:
    """One record, read: identity, classification and the version content given by the file."""

    index: int
    label: str
    national_code: str | None
    slug: str | None
    status: str | None
    field_code: str
    field_name: str
    topics: list[tuple[str, str]] | None
    fields: dict[str, Any]  # only the version columns the record sets
    steps: list[str]
    legal_bases: list[str]
    fees: list[dict[str, Any]]
    components: list[dict[str, Any]]
    channel_times: list[dict[str, Any]]
    receiving_agencies: list[str] | None
    competent_agencies: list[str]
    channel_time_paths: list[tuple[str, Decimal | None]]  # every THOIGIANGIAIQUYET, for the same-day rule
    fee_paths: list[tuple[str, Any]]


def _parse_procedure(index: int, record: dict[str, Any], report: _Reporter) -> ParsedProcedure:
    extra: dict[str, Any] = record.get(EXTRA) or {}
    fields: dict[str, Any] = {"name": record["TENTTHC"].strip()}

    # Field (lĩnh vực): the list form wins over the flat keys.
    field_code, field_name = "", ""
    if record.get("LINHVUCTHUCHIEN"):
        first = record["LINHVUCTHUCHIEN"][0]
        field_code, field_name = first["MALINHVUC"].strip(), first["TENLINHVUC"].strip()
    elif _text(record.get("MALINHVUC")) and _text(record.get("TENLINHVUC")):
        field_code, field_name = _text(record["MALINHVUC"]), _text(record["TENLINHVUC"])
    else:
        report.add(
            "LINHVUCTHUCHIEN", "thiếu lĩnh vực (MALINHVUC, TENLINHVUC)", "the field (MALINHVUC, TENLINHVUC) is missing"
        )

    folded_level = fold(record["CAPTHUCHIEN"])
    level = next((lv for lv, label in CAPTHUCHIEN_BY_LEVEL.items() if fold(label) == folded_level), None)
    if level is None:
        level = next((lv for lv in AdministrativeLevel if folded_level == str(lv)), None)
    if level is None:
        if "trung uong" in folded_level or folded_level.startswith("cap bo"):
            level = AdministrativeLevel.CENTRAL
        elif "tinh" in folded_level:
            level = AdministrativeLevel.PROVINCE
        elif "xa" in folded_level or "phuong" in folded_level:
            level = AdministrativeLevel.WARD
    if level is None:
        report.add(
            "CAPTHUCHIEN",
            f"cấp thực hiện không rõ: {record['CAPTHUCHIEN']!r} (Cấp Bộ, Cấp Tỉnh, Cấp Xã)",
            "unknown administrative level (central, province, ward)",
        )
    else:
        fields["administrative_level"] = level

    for flag, *_ in SUBJECTS:
        fields[flag] = False
    for subject in record.get("DOITUONGTHUCHIEN") or []:
        code = str(subject.get("MADOITUONG", "")).strip()
        name = fold(_text(subject.get("TENDOITUONG")))
        known = next((s[0] for s in SUBJECTS if s[1] == code), None)
        fields[known or next((s[0] for s in SUBJECTS if any(w in name for w in s[3])), "for_organisations")] = True

    competent = [a["MADONVI"] for a in record["COQUANTHUCHIEN"]]
    fields["competent_agency"] = competent[0]
    fields["competent_agency_text"] = _text(record.get("MOTACOQUANTHUCHIEN"))

    # Channels, their processing times, and the fees under them.
    seen_channels: set[str] = set()
    entries: list[tuple[str, dict[str, Any], str]] = []  # (channel, time, path)
    time_paths: list[tuple[str, Decimal | None]] = []
    fees: list[dict[str, Any]] = []
    fee_paths: list[tuple[str, Any]] = []
    for i, way in enumerate(record["CACHTHUCTHUCHIEN"]):
        channel = CHANNEL_BY_KENH[str(way["KENH"])]
        if channel in seen_channels:
            report.add(f"CACHTHUCTHUCHIEN[{i}].KENH", "cách thức bị lặp lại", "the channel is listed twice")
        seen_channels.add(channel)
        for j, time in enumerate(way.get("THOIGIAN") or []):
            path = f"CACHTHUCTHUCHIEN[{i}].THOIGIAN[{j}]"
            parsed_time = _parse_time(time, path, report)
            if parsed_time is not None:
                time_paths.append((f"{path}.THOIGIANGIAIQUYET", parsed_time["value"]))
                if j == 0:
                    entries.append((channel, parsed_time, path))
            for k, fee in enumerate(time.get("PHILEPHI") or []):
                parsed_fee = _parse_fee(fee, f"{path}.PHILEPHI[{k}]", report)
                fee_paths.append((f"{path}.PHILEPHI[{k}].SOTIEN", fee.get("SOTIEN")))
                if parsed_fee is not None and parsed_fee not in fees:
                    fees.append(parsed_fee)
    for channel, flag in CHANNEL_FLAGS.items():
        fields[flag] = channel in seen_channels

    default: dict[str, Any] | None = None
    if "processing_time" in extra:
        default = _parse_time(
            {
                "THOIGIANGIAIQUYET": extra["processing_time"]["value"],
                "DONVITINH": extra["processing_time"]["unit"],
                "MOTA": extra["processing_time"].get("note", ""),
            },
            f"{EXTRA}.processing_time",
            report,
        )
        if default is not None:
            time_paths.append((f"{EXTRA}.processing_time.value", default["value"]))
    elif entries:
        default = entries[0][1]
    if default is not None:
        fields["processing_time_value"] = default["value"]
        fields["processing_time_unit"] = default["unit"]
        fields["processing_time_note"] = default["note"]
    channel_times = [
        {"channel": channel, **time}
        for channel, time, _path in entries
        if time["value"] is not None and default is not None and time != default
    ]

    components: list[dict[str, Any]] = []
    for i, group in enumerate(record.get("THANHPHANHOSO") or []):
        for j, document in enumerate(group.get("GIAYTO") or []):
            path = f"THANHPHANHOSO[{i}].GIAYTO[{j}]"
            counts: dict[str, int | None] = {}
            for key, name in (("SOBANCHINH", "originals"), ("SOBANSAO", "copies")):
                try:
                    counts[name] = _parse_count(document.get(key))
                except ValueError:
                    report.add(f"{path}.{key}", "phải là số nguyên ≥ 0", "must be a whole number ≥ 0")
                    counts[name] = None
            required = document.get("BATBUOC", True)
            if isinstance(required, str):
                required = fold(required) not in {"0", "false", "khong", ""}
            forms = [m for m in document.get("MAUDON") or [] if _text(m.get("MAMAUDON"))]
            note = _text((document.get(EXTRA) or {}).get("note"))
            components.append(
                {
                    "code": _text(document.get("MAGIAYTO")),
                    "name": _with_case(group.get("TRUONGHOP"), document["TENGIAYTO"].strip()),
                    "originals": counts["originals"],
                    "copies": counts["copies"],
                    "required": bool(required),
                    "note": note,
                    "form": _text(forms[0]["MAMAUDON"]) if forms else None,
                    "_path": path,
                }
            )

    steps = [
        _with_case(group.get("TRUONGHOP"), step["TENTRINHTU"].strip())
        for group in record.get("TRINHTUTHUCHIEN") or []
        for step in group.get("TRINHTU") or []
    ]
    legal_bases = []
    for basis in record.get("CANCUPHAPLY") or []:
        title, number = basis["TENVANBAN"].strip(), _text(basis.get("SOVANBAN"))
        legal_bases.append(title if not number or number in title else f"{title} số {number}")

    fields["result_name"] = "\n".join(r["TENKETQUA"].strip() for r in record["KETQUATHUCHIEN"])
    requirements = [_text(record.get(key)) for key in ("YEUCAU", "DIEUKIEN")]
    fields["requirements"] = "\n".join(r for r in requirements if r)
    fields["publishing_decision"] = _text(record.get("QUYETDINHCONGBO"))
    level_value = record.get("MUCDO")
    fields["legacy_level"] = int(level_value) if level_value not in (None, "") else None

    for key in ("name_en", "summary", "summary_en", "source", "online_level", "full_online_eligible"):
        if key in extra:
            fields[key] = extra[key].strip() if isinstance(extra[key], str) else extra[key]
    if "effective_from" in extra:
        try:
            dt.date.fromisoformat(extra["effective_from"])
            fields["effective_from"] = extra["effective_from"]
        except ValueError:
            report.add(f"{EXTRA}.effective_from", "ngày không hợp lệ", "invalid date")
    if "same_day_cutoff" in extra:
        fields["same_day_cutoff"] = extra["same_day_cutoff"]
    if "result_channels" in extra:
        for channel, flag in RESULT_CHANNEL_FLAGS.items():
            fields[flag] = str(channel) in extra["result_channels"]

    national_code = _text(record.get("MATTHC")) or None
    return ParsedProcedure(
        index=index,
        label=report.where,
        national_code=national_code,
        slug=extra.get("slug"),
        status=extra.get("status"),
        field_code=field_code,
        field_name=field_name,
        topics=[(t["slug"], t["name"].strip()) for t in extra["topics"]] if "topics" in extra else None,
        fields=fields,
        steps=steps,
        legal_bases=legal_bases,
        fees=fees,
        components=components,
        channel_times=channel_times,
        receiving_agencies=sorted(set(extra["receiving_agencies"])) if "receiving_agencies" in extra else None,
        competent_agencies=competent,
        channel_time_paths=time_paths,
        fee_paths=fee_paths,
    )


def _parse_time(time: dict[str, Any], path: str, report: _Reporter) -> dict[str, Any] | None:
    try:
        value = _parse_decimal(time.get("THOIGIANGIAIQUYET"))
    except ValueError:
        report.add(f"{path}.THOIGIANGIAIQUYET", "phải là một số", "must be a number")
        return None
    if value is not None and (value >= Decimal("100000") or value != value.quantize(Decimal("0.1"))):
        report.add(
            f"{path}.THOIGIANGIAIQUYET", "tối đa 5 chữ số và 1 chữ số thập phân", "at most 5 digits and 1 decimal"
        )
        return None
    unit_text = _text(time.get("DONVITINH"))
    unit = _UNIT_BY_FOLDED.get(fold(unit_text)) if unit_text else TimeUnit.WORKING_DAYS
    if unit is None:
        report.add(
            f"{path}.DONVITINH",
            f"đơn vị thời gian không rõ: {unit_text!r} (Giờ làm việc, Ngày làm việc, Ngày)",
            "unknown time unit (working hours, working days, days)",
        )
        return None
    return {"value": _decimal(value), "unit": str(unit), "note": _text(time.get("MOTA"))}


def _parse_fee(fee: dict[str, Any], path: str, report: _Reporter) -> dict[str, Any] | None:
    ok = True
    kind = _KIND_BY_LOAIPHILEPHI.get(fold(str(fee.get("LOAIPHILEPHI", "1"))))
    if kind is None:
        report.add(f"{path}.LOAIPHILEPHI", "loại phí không rõ (1 lệ phí, 2 phí)", "unknown fee kind (1 fee, 2 charge)")
        ok = False
    amount: int | None = None
    try:
        number = _parse_decimal(fee.get("SOTIEN"))
    except ValueError:
        report.add(f"{path}.SOTIEN", "phải là một số (đồng)", "must be a number (VND)")
        return None
    if number is not None:
        if number < 0:
            report.add(f"{path}.SOTIEN", "phải ≥ 0", "must be ≥ 0")
            ok = False
        elif number != number.to_integral_value():
            report.add(f"{path}.SOTIEN", "phải là số đồng nguyên", "must be a whole number of đồng")
            ok = False
        else:
            amount = int(number)
    unit = fold(_text(fee.get("DONVI")))
    if unit and unit not in {"dong", "vnd", "d", "dong/ho so", "dong/ban", "dong/lan"}:
        report.add(f"{path}.DONVI", "chỉ nhận mức thu bằng đồng", "amounts must be in đồng (VND)")
        ok = False
    name = _text(fee.get("MOTA")) or ("Lệ phí" if kind == FeeKind.FEE else "Phí")
    if not ok:
        return None
    return {
        "code": _text(fee.get("MAPHILEPHI")),
        "name": name,
        "kind": str(kind),
        "amount_vnd": amount,
        "exemptions": _text((fee.get(EXTRA) or {}).get("exemptions")),
    }


# -- Import: validation and plan ------------------------------------------------------------------

_NEW_VERSION_DEFAULTS: Final[dict[str, Any]] = {
    "name_en": "",
    "summary": "",
    "summary_en": "",
    "for_citizens": True,
    "for_businesses": False,
    "for_organisations": False,
    "channel_counter": True,
    "channel_online": False,
    "channel_post": False,
    "processing_time_value": None,
    "processing_time_unit": str(TimeUnit.WORKING_DAYS),
    "processing_time_note": "",
    "same_day_cutoff": None,
    "result_by_counter": True,
    "result_by_post": False,
    "result_online": False,
    "requirements": "",
    "publishing_decision": "",
    "source": "",
    "legacy_level": None,
    "online_level": "",
    "full_online_eligible": False,
}


@dataclass(kw_only=True)
class AgencyPlan:
    code: str
    parent_code: str | None
    values: dict[str, Any]  # Agency columns except code and parent


@dataclass(kw_only=True)
class ProcedurePlan:
    parsed: ParsedProcedure
    existing: Procedure | None
    slug: str
    status: str
    topics: list[tuple[str, str]]
    plain: PlainVersion  # the complete content the procedure should have
    new_version: bool  # False: the newest published version already says exactly this


@dataclass
class ImportPlan:
    agencies: list[AgencyPlan]
    procedures: list[ProcedurePlan]
    forms: list[dict[str, Any]]


@dataclass
class ImportResult:
    agencies_created: int = 0
    agencies_updated: int = 0
    procedures_created: int = 0
    versions_created: int = 0
    procedures_updated: int = 0
    unchanged: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.agencies_created
            or self.agencies_updated
            or self.procedures_created
            or self.versions_created
            or self.procedures_updated
        )

    def __str__(self) -> str:
        return (
            f"Cơ quan: {self.agencies_created} mới, {self.agencies_updated} cập nhật. "
            f"Thủ tục: {self.procedures_created} mới, {self.versions_created} phiên bản mới, "
            f"{self.procedures_updated} đổi phân loại, {self.unchanged} không đổi. / "
            f"Agencies: {self.agencies_created} created, {self.agencies_updated} updated. "
            f"Procedures: {self.procedures_created} created, {self.versions_created} new versions, "
            f"{self.procedures_updated} reclassified, {self.unchanged} unchanged."
        )


def _latest_published(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


def _plan_agencies(records: list[Any], bad: set[int], problems: list[Problem]) -> list[AgencyPlan]:
    plans: list[AgencyPlan] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if index in bad:
            continue
        report = _Reporter(problems, _record_label("agencies", index, record))
        code = record["MADONVI"]
        if code in seen:
            report.add("MADONVI", f"mã bị lặp lại (đã có ở agencies[{seen[code]}])", "duplicate code in the file")
            continue
        seen[code] = index
        extra = record.get(EXTRA) or {}
        values: dict[str, Any] = {
            "name": record["TENDONVI"].strip(),
            "province_code": record["MATINH"],
            "ward_code": record.get("MAXA"),
        }
        for key, name in (("DIACHI", "address"), ("SODIENTHOAI", "phone"), ("EMAIL", "email")):
            if key in record:
                values[name] = record[key].strip()
        for name in ("kind", "name_en", "short_name", "is_receiving_point", "website", "office_hours", "active"):
            if name in extra:
                values[name] = extra[name]
        existing = Agency.objects.filter(code=code).first()
        if existing is None:
            values.setdefault("kind", str(AgencyKind.OTHER))
        candidate = existing or Agency(code=code)
        trial = Agency(**{**{f.attname: getattr(candidate, f.attname) for f in Agency._meta.concrete_fields}, **values})
        try:
            trial.clean_fields(exclude=["parent", "code"])
        except ValidationError as error:
            report.model_errors(
                error,
                {
                    "name": "TENDONVI",
                    "province_code": "MATINH",
                    "ward_code": "MAXA",
                    "address": "DIACHI",
                    "phone": "SODIENTHOAI",
                    "email": "EMAIL",
                },
                f"{EXTRA}.",
            )
        plans.append(AgencyPlan(code=code, parent_code=record.get("MADONVICHA") or None, values=values))

    # Parents must be known, and the tree must not loop.
    in_file = {p.code: p for p in plans}
    known = set(in_file) | set(Agency.objects.values_list("code", flat=True))
    for plan in plans:
        where = _record_label("agencies", seen[plan.code], {"MADONVI": plan.code})
        if plan.parent_code and plan.parent_code not in known:
            problems.append(
                Problem(where, "MADONVICHA", f"cơ quan cấp trên {plan.parent_code} không có", "unknown parent agency")
            )
            continue
        visited = {plan.code}
        parent = plan.parent_code
        while parent:
            if parent in visited:
                problems.append(Problem(where, "MADONVICHA", "cây cơ quan bị vòng lặp", "the agency tree has a cycle"))
                break
            visited.add(parent)
            parent_plan = in_file.get(parent)
            parent = (
                parent_plan.parent_code
                if parent_plan
                else Agency.objects.filter(code=parent).values_list("parent__code", flat=True).first()
            )
    # Parents first, so each agency is written after the one above it.
    ordered: list[AgencyPlan] = []
    placed: set[str] = set()

    def place(plan: AgencyPlan, depth: int = 0) -> None:
        if plan.code in placed or depth > len(plans):
            return
        if plan.parent_code in in_file:
            place(in_file[plan.parent_code], depth + 1)
        placed.add(plan.code)
        ordered.append(plan)

    for plan in plans:
        place(plan)
    return ordered


def _overlay(base: PlainVersion | None, parsed: ParsedProcedure) -> PlainVersion:
    fields = dict(_NEW_VERSION_DEFAULTS) if base is None else dict(base.fields)
    fields.update(parsed.fields)
    if "effective_from" not in fields:
        fields["effective_from"] = timezone.localdate().isoformat()
    receiving = parsed.receiving_agencies
    if receiving is None:
        receiving = base.receiving_agencies if base is not None else sorted(set(parsed.competent_agencies))
    return PlainVersion(
        fields=fields,
        steps=parsed.steps,
        legal_bases=parsed.legal_bases,
        fees=parsed.fees,
        components=[{k: v for k, v in c.items() if k != "_path"} for c in parsed.components],
        channel_times=parsed.channel_times,
        receiving_agencies=receiving,
    )


def _default_slug(parsed: ParsedProcedure) -> str:
    base = slugify(fold(parsed.fields["name"]))[:160] or "thu-tuc"
    return f"{base}-{slugify(parsed.national_code)}" if parsed.national_code else base


def _plan_forms(records: list[Any], problems: list[Problem]) -> list[dict[str, Any]]:
    """Form definitions carried by the file, each checked like the admin checks them."""
    plans = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        label = f"forms[{index}] ({record.get('code')})"
        for problem in form_definition_problems(record.get("schema"), record.get("layout")):
            vi, _sep, en = problem.partition(" / ")
            problems.append(Problem(label, "schema/layout", vi, en or vi))
        plans.append(record)
    return plans


def _plan_procedures(
    records: list[Any], bad: set[int], problems: list[Problem], agency_codes: set[str], form_codes: set[str]
) -> list[ProcedurePlan]:
    plans: list[ProcedurePlan] = []
    codes_seen: dict[str, int] = {}
    slugs_seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if index in bad:
            continue
        report = _Reporter(problems, _record_label("procedures", index, record))
        parsed = _parse_procedure(index, record, report)

        # Identity: MATTHC, else slug; both must point at the same procedure.
        by_code = Procedure.objects.filter(national_code=parsed.national_code).first() if parsed.national_code else None
        by_slug = Procedure.objects.filter(slug=parsed.slug).first() if parsed.slug else None
        if by_code and by_slug and by_code.pk != by_slug.pk:
            report.add(
                f"{EXTRA}.slug",
                f"slug đang thuộc thủ tục khác ({by_slug.key}) với MATTHC",
                "the slug belongs to another procedure than MATTHC",
            )
            continue
        existing = by_code or by_slug
        if existing and by_slug and not by_code and existing.national_code and parsed.national_code:
            report.add(
                "MATTHC",
                f"thủ tục có slug này đã có mã {existing.national_code}",
                "the procedure with this slug has another national code",
            )
            continue
        if parsed.national_code is None and parsed.slug is None:
            report.add(
                "MATTHC", "cần MATTHC hoặc MOTCUA.slug để nhận diện thủ tục", "MATTHC or MOTCUA.slug is required"
            )
            continue
        slug = parsed.slug or (existing.slug if existing else _default_slug(parsed))
        if not existing and Procedure.objects.filter(slug=slug).exists():
            report.add(f"{EXTRA}.slug", f"slug {slug} đã được dùng", f"the slug {slug} is already used")
        if parsed.national_code:
            if parsed.national_code in codes_seen:
                report.add("MATTHC", f"mã bị lặp lại (procedures[{codes_seen[parsed.national_code]}])", "duplicate")
            codes_seen[parsed.national_code] = index
        if slug in slugs_seen:
            report.add(f"{EXTRA}.slug", f"slug bị lặp lại (procedures[{slugs_seen[slug]}])", "duplicate slug")
        slugs_seen[slug] = index

        # References.
        for i, code in enumerate(parsed.competent_agencies):
            if code not in agency_codes:
                report.add(f"COQUANTHUCHIEN[{i}].MADONVI", f"cơ quan {code} không có", f"unknown agency {code}")
        for i, code in enumerate(parsed.receiving_agencies or []):
            if code not in agency_codes:
                report.add(f"{EXTRA}.receiving_agencies[{i}]", f"cơ quan {code} không có", f"unknown agency {code}")
        for component in parsed.components:
            if component["form"] and component["form"] not in form_codes:
                report.add(
                    f"{component['_path']}.MAUDON[0].MAMAUDON",
                    f"biểu mẫu {component['form']} không có",
                    f"unknown form {component['form']}",
                )

        base_version = _latest_published(existing) if existing else None
        base = plain_version(base_version) if base_version else None
        plain = _overlay(base, parsed)
        new_version = base is None or base.as_dict() != plain.as_dict()
        if new_version and base is not None and "effective_from" not in parsed.fields:
            # Changed content without a date takes effect today, not on the old version's date.
            plain.fields["effective_from"] = timezone.localdate().isoformat()

        # Business rules on the complete content.
        if existing is None and not plain.fields["summary"]:
            report.add(f"{EXTRA}.summary", "bắt buộc với thủ tục mới", "required for a new procedure")
        cutoff = plain.fields["same_day_cutoff"]
        for path, value in parsed.channel_time_paths:
            if not services.processing_time_is_valid(value, cutoff):
                report.add(path, *services.PROCESSING_TIME_RULE)
        trial = ProcedureVersion(
            **{k: v for k, v in plain.fields.items() if k not in {"competent_agency", "same_day_cutoff"}},
        )
        trial.same_day_cutoff = dt.time.fromisoformat(cutoff) if cutoff else None
        try:
            trial.clean_fields(exclude=["procedure", "competent_agency", "number", "search_text", "effective_from"])
        except ValidationError as error:
            report.model_errors(error, PATH_OF_FIELD, f"{EXTRA}.")
        for i, fee in enumerate(plain.fees):
            try:
                Fee(**fee).clean_fields(exclude=["version"])
            except ValidationError as error:
                report.model_errors(error, {}, f"PHILEPHI[{i}].")
        for i, component in enumerate(plain.components):
            try:
                DossierComponent(**{k: v for k, v in component.items() if k != "form"}).clean_fields(
                    exclude=["version", "form", "order"]
                )
            except ValidationError as error:
                report.model_errors(error, {}, f"{parsed.components[i]['_path']}.")
        if parsed.field_code:
            try:
                Field(code=parsed.field_code, name=parsed.field_name, slug="x").clean_fields(exclude=["slug"])
            except ValidationError as error:
                report.model_errors(error, {"code": "MALINHVUC", "name": "TENLINHVUC"})

        plans.append(
            ProcedurePlan(
                parsed=parsed,
                existing=existing,
                slug=slug,
                status=parsed.status or (existing.status if existing else str(ProcedureStatus.ACTIVE)),
                topics=parsed.topics
                if parsed.topics is not None
                else ([(t.slug, t.name) for t in existing.topics.all()] if existing else []),
                plain=plain,
                new_version=new_version,
            )
        )
    return plans


def catalogue_validate(data: Any) -> ImportPlan:
    """Check the whole file; raise InvalidInput listing every problem, or return what to write."""
    problems: list[Problem] = []
    bad: dict[str, set[int]] = {"procedures": set(), "agencies": set()}
    for error in sorted(Draft202012Validator(FILE_SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.path))):
        problems.append(_schema_problem(error, data))
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] in bad and isinstance(path[1], int):
            bad[str(path[0])].add(path[1])
        elif path[:1] in (["procedures"], ["agencies"]) or not path:
            # The list itself (or the file) is wrong: there is nothing record by record to check.
            bad["procedures"].add(-1)
    if not isinstance(data, dict) or -1 in bad["procedures"]:
        raise _rejected(problems)
    agency_plans = _plan_agencies(data.get("agencies", []), bad["agencies"], problems)
    # Agencies with a schema problem still count as known, so their procedures do not report twice.
    agency_codes = {
        a.get("MADONVI") for a in data.get("agencies", []) if isinstance(a, dict) and isinstance(a.get("MADONVI"), str)
    }
    agency_codes |= set(Agency.objects.values_list("code", flat=True))
    form_plans = _plan_forms(data.get("forms", []), problems)
    form_codes = {f["code"] for f in form_plans} | set(FormDefinition.objects.values_list("code", flat=True))
    procedure_plans = _plan_procedures(
        data["procedures"], bad["procedures"], problems, {c for c in agency_codes if c}, form_codes
    )
    if problems:
        raise _rejected(problems)
    return ImportPlan(agencies=agency_plans, procedures=procedure_plans, forms=form_plans)


def _rejected(problems: list[Problem]) -> InvalidInput:
    return InvalidInput(
        f"Tệp bị từ chối, không ghi gì: {len(problems)} lỗi",
        f"File rejected, nothing written: {len(problems)} problem(s)",
        problems=[str(p) for p in problems],
    )


# -- Import: writing ------------------------------------------------------------------------------


def _content(plain: PlainVersion, base: ProcedureVersion | None) -> services.VersionContent:
    """Resolve codes to rows; columns the file does not carry are kept from `base`."""
    fields = services.version_content(base).fields if base is not None else {}
    fields = {k: v for k, v in fields.items() if k not in {"competent_agency_id"}}
    for name, value in plain.fields.items():
        if name == "competent_agency":
            fields["competent_agency"] = Agency.objects.get(code=value)
        elif name == "same_day_cutoff":
            fields[name] = dt.time.fromisoformat(value) if value else None
        elif name == "effective_from":
            fields[name] = dt.date.fromisoformat(value)
        else:
            fields[name] = value
    forms = {f.code: f for f in FormDefinition.objects.filter(code__in=[c["form"] for c in plain.components])}
    return services.VersionContent(
        fields=fields,
        steps=plain.steps,
        legal_bases=plain.legal_bases,
        fees=[services.FeeData(**fee) for fee in plain.fees],
        components=[
            services.ComponentData(**{**c, "form": forms.get(c["form"]) if c["form"] else None})
            for c in plain.components
        ],
        channel_times=[services.ChannelTimeData(**t) for t in plain.channel_times],
        receiving_agencies=list(Agency.objects.filter(code__in=plain.receiving_agencies)),
    )


def _field_for(code: str, name: str) -> Field:
    return Field.objects.filter(code=code).first() or services.field_get_or_create(name=name, code=code)


def catalogue_apply(plan: ImportPlan) -> ImportResult:
    """Write a validated plan, all or nothing."""
    result = ImportResult()
    with transaction.atomic():
        for form in plan.forms:
            form_definition_upsert(
                code=form["code"],
                title=form["title"],
                title_en=form.get("title_en") or "",
                legal_reference=form.get("legal_reference") or "",
                schema=form["schema"],
                layout=form["layout"],
            )
        for agency_plan in plan.agencies:
            parent = Agency.objects.get(code=agency_plan.parent_code) if agency_plan.parent_code else None
            _agency, outcome = services.agency_create_or_update(
                code=agency_plan.code, values={**agency_plan.values, "parent": parent}
            )
            result.agencies_created += outcome == "created"
            result.agencies_updated += outcome == "updated"
        for procedure_plan in plan.procedures:
            parsed = procedure_plan.parsed
            topics = [services.topic_get_or_create(slug=slug, name=name) for slug, name in procedure_plan.topics]
            field_row = (
                _field_for(parsed.field_code, parsed.field_name)
                if parsed.field_code
                else procedure_plan.existing.field
                if procedure_plan.existing
                else None
            )
            assert field_row is not None  # validation requires a field for new procedures
            procedure = procedure_plan.existing
            if procedure is None:
                procedure = services.procedure_create(
                    field=field_row, slug=procedure_plan.slug, national_code=parsed.national_code, topics=topics
                )
                if procedure_plan.status != procedure.status:
                    services.procedure_update(
                        procedure=procedure,
                        field=field_row,
                        slug=procedure.slug,
                        national_code=procedure.national_code,
                        status=procedure_plan.status,
                        topics=topics,
                    )
                result.procedures_created += 1
            else:
                changed = services.procedure_update(
                    procedure=procedure,
                    field=field_row,
                    slug=procedure_plan.slug,
                    national_code=parsed.national_code or procedure.national_code,
                    status=procedure_plan.status,
                    topics=topics,
                )
                result.procedures_updated += changed and not procedure_plan.new_version
                if not changed and not procedure_plan.new_version:
                    result.unchanged += 1
            if procedure_plan.new_version:
                base = _latest_published(procedure)
                version = services.procedure_version_create(
                    procedure=procedure, content=_content(procedure_plan.plain, base)
                )
                services.procedure_version_publish(version=version)
                result.versions_created += procedure_plan.existing is not None
    return result


def catalogue_import(text: str, *, dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then write it in one transaction (unless `dry_run`)."""
    plan = catalogue_validate(loads(text))
    if dry_run:
        return ImportResult(
            procedures_created=sum(p.existing is None for p in plan.procedures),
            versions_created=sum(p.existing is not None and p.new_version for p in plan.procedures),
            unchanged=sum(p.existing is not None and not p.new_version for p in plan.procedures),
        )
    try:
        return catalogue_apply(plan)
    except (ValidationError, InvalidInput) as error:
        # Validation above should have caught it; if not, the transaction rolled back: say why.
        problems = error.problems if isinstance(error, InvalidInput) else [str(m) for m in error.messages]
        raise InvalidInput(
            f"Không ghi được, đã huỷ toàn bộ: {error}",
            "Could not write; everything was rolled back",
            problems=problems,
        ) from error
