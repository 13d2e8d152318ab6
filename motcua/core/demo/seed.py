"""Loads the demo: agencies, topics, form definitions, the real procedures, demo accounts.

Idempotent: what exists is left as it is, so running it again (every `make run`) is safe.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from vietnam_provinces import Ward, WardCode

from motcua.accounts.models import Membership, User, UserKind
from motcua.catalog import services as catalog
from motcua.catalog.models import (
    AdministrativeLevel,
    Agency,
    AgencyKind,
    FeeKind,
    OnlineLevel,
    Procedure,
    TimeUnit,
    Topic,
)
from motcua.core import demo
from motcua.core.text import duration_in_words, fee_in_words, fold, normalise_spaces
from motcua.dossiers.services import workflow_create_default
from motcua.eforms.models import FormDefinition
from motcua.eforms.services import builtin_attachments, form_definitions_load_builtin

PROCEDURES_FILE = Path(demo.__file__).parent / "procedures.json"
EFFECTIVE_FROM = dt.date(2025, 7, 1)  # the two-level local government took effect

_UNITS = {
    "ngay_lam_viec": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.CALENDAR_DAYS,
    "gio_lam_viec": TimeUnit.WORKING_HOURS,
}
_FEE_KINDS = {"le_phi": FeeKind.FEE, "phi": FeeKind.CHARGE}
_ONLINE = {"toan_trinh": OnlineLevel.FULL, "mot_phan": OnlineLevel.PARTIAL}


def seed_agencies() -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for item in demo.AGENCIES:
        agencies[item.code] = _agency_upsert(
            code=item.code,
            defaults={
                "name": item.name,
                "name_en": item.name_en,
                "kind": item.kind,
                "parent": agencies.get(item.parent) if item.parent else None,
                "province_code": demo.PROVINCE_CODE,
                "is_receiving_point": item.receiving,
                "address": item.address,
                "phone": item.phone,
            },
        )
    for code, ward_code in demo.WARDS:
        ward = Ward.from_code(WardCode(ward_code))
        ward_name = normalise_spaces(ward.name)
        agencies[code] = _agency_upsert(
            code=code,
            defaults={
                "name": f"Ủy ban nhân dân {ward_name}",
                "name_en": _ward_name_en(ward_name),
                "short_name": f"UBND {ward_name}",
                "kind": AgencyKind.WARD_COMMITTEE,
                "parent": agencies[demo.CITY],
                "province_code": demo.PROVINCE_CODE,
                "ward_code": ward_code,
                "is_receiving_point": True,
                "address": f"{ward_name}, Thành phố Hồ Chí Minh",
            },
        )
    return agencies


def _ward_name_en(ward_name: str) -> str:
    """ "Phường Sài Gòn" -> "Sai Gon Ward People's Committee"."""
    kind, _space, place = ward_name.partition(" ")
    unit = {"phường": "Ward", "xã": "Commune", "đặc khu": "Special Zone"}.get(kind.lower(), "")
    return f"{fold(place).title()} {unit} People's Committee".replace("  ", " ")


def _agency_upsert(*, code: str, defaults: dict[str, Any]) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return agency
    agency = Agency(code=code, **defaults)
    agency.full_clean()
    agency.save()
    return agency


def seed_topics() -> dict[str, Topic]:
    topics = {}
    for order, item in enumerate(demo.TOPICS, 1):
        topics[item.slug], _created = Topic.objects.get_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "name_en": item.name_en,
                "icon": item.icon,
                "description": item.description,
                "order": order,
            },
        )
    return topics


def plain_summary(raw: dict[str, Any], lead: str) -> str:
    """Who, what you get, what to bring, how long, how much: in that order, in plain words."""
    required = sum(1 for c in raw["components"] if c["required"])
    unit = _UNITS.get(raw["processing_time"]["unit"] or "", TimeUnit.WORKING_DAYS)
    cutoff = _time(raw.get("same_day_cutoff"))
    duration = duration_in_words(raw["processing_time"]["value"], unit, cutoff)
    amounts = [f["amount_vnd"] for f in raw["fees"]]
    if not raw["fees"] or all(a == 0 for a in amounts):
        money = "Không mất phí."
    elif all(a is not None for a in amounts):
        money = "Phí, lệ phí: " + ", ".join(fee_in_words(a) for a in amounts) + " (xem chi tiết và trường hợp miễn)."
    else:
        money = "Có phí, lệ phí; một phần do HĐND tỉnh quy định (xem chi tiết và trường hợp được miễn)."
    return f"{lead} Cần chuẩn bị {required} loại giấy tờ bắt buộc. Thời gian giải quyết: {duration.lower()}. {money}"


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _key(raw: dict[str, Any]) -> str:
    return str(raw["code"] or raw["name_vi"])


@transaction.atomic
def seed_procedures(agencies: dict[str, Agency], topics: dict[str, Topic]) -> int:
    """Creates the procedures of procedures.json that are not there yet; returns how many."""
    forms = form_definitions_load_builtin()
    attachments = builtin_attachments()
    raw_procedures = json.loads(PROCEDURES_FILE.read_text(encoding="utf-8"))
    wards = [agencies[code] for code, _ward in demo.WARDS]
    created = 0
    for raw in raw_procedures:
        slug = slugify(fold(raw["name_vi"]))[:120]
        if Procedure.objects.filter(slug=slug).exists():
            continue
        plain = demo.PLAIN[_key(raw)]
        field = catalog.field_get_or_create(name=raw["field_vi"])
        procedure = catalog.procedure_create(
            field=field,
            slug=slug,
            national_code=raw["code"],
            topics=[topics[t] for t in plain.topics],
        )
        content = _version_content(raw, plain, agencies, wards, forms, attachments)
        version = catalog.procedure_version_create(procedure=procedure, content=content)
        catalog.procedure_version_publish(version=version)
        workflow_create_default(version=version)
        created += 1
    return created


def _version_content(
    raw: dict[str, Any],
    plain: demo.PlainWords,
    agencies: dict[str, Agency],
    wards: list[Agency],
    forms: dict[str, FormDefinition],
    attachments: dict[tuple[str, int], str],
) -> catalog.VersionContent:
    at_ward = raw["level"] == "xa"
    if at_ward:
        competent = wards[0]
        receiving = wards
    else:
        competent = agencies[demo.DEPARTMENT_BY_FIELD.get(raw["field_vi"], demo.JUSTICE)]
        receiving = [agencies[demo.RECEIVING_BY_FIELD.get(raw["field_vi"], demo.SERVICE_CENTRE)]]
    time = raw["processing_time"]
    channels = set(raw["channels"])
    online_level = _ONLINE.get(raw["online_level"] or "", "")
    components = [
        catalog.ComponentData(
            name=c["name_vi"],
            originals=c["originals"],
            copies=c["copies"],
            required=c["required"],
            form=forms.get(attachments.get((_key(raw), index), "")),
        )
        for index, c in enumerate(raw["components"], 1)
    ]
    return catalog.VersionContent(
        fields={
            "name": raw["name_vi"],
            "name_en": raw["name_en"] or "",
            "summary": plain_summary(raw, plain.lead),
            "summary_en": plain.lead_en,
            "administrative_level": AdministrativeLevel.WARD if at_ward else AdministrativeLevel.PROVINCE,
            "for_citizens": "cong_dan" in raw["subjects"],
            "for_businesses": "doanh_nghiep" in raw["subjects"],
            "for_organisations": "to_chuc" in raw["subjects"],
            "competent_agency": competent,
            "competent_agency_text": raw["agency_vi"],
            "channel_counter": "truc_tiep" in channels,
            "channel_online": "truc_tuyen" in channels,
            "channel_post": "buu_chinh" in channels,
            "processing_time_value": None if time["value"] is None else Decimal(time["value"]),
            "processing_time_unit": _UNITS.get(time["unit"] or "", TimeUnit.WORKING_DAYS),
            "processing_time_note": time.get("note") or "",
            "same_day_cutoff": _time(raw.get("same_day_cutoff")),
            "result_name": raw["result_vi"],
            "result_by_counter": "truc_tiep" in channels,
            "result_by_post": "buu_chinh" in channels,
            "result_online": online_level == OnlineLevel.FULL,
            "requirements": raw["conditions_vi"] or "",
            "source": raw["source"] or "",
            "legacy_level": raw["legacy_level"],
            "online_level": online_level,
            "full_online_eligible": online_level == OnlineLevel.FULL,
            "effective_from": EFFECTIVE_FROM,
        },
        steps=raw["steps_vi"],
        legal_bases=raw["legal_bases_vi"],
        fees=[
            catalog.FeeData(
                name=f["name_vi"],
                kind=_FEE_KINDS[f["type"]],
                amount_vnd=f["amount_vnd"],
                exemptions=f["exemptions_vi"] or "",
            )
            for f in raw["fees"]
        ],
        components=components,
        receiving_agencies=receiving,
    )


# Officials of the demo ward and, with a ".so" suffix, of the Department of Justice.
def seed_accounts(agencies: dict[str, Agency]) -> list[tuple[str, str]]:
    """Creates the documented demo accounts (fixed public password). Returns (username, what)."""
    created: list[tuple[str, str]] = []
    for username, kind, full_name in demo.CITIZEN_ACCOUNTS:
        _user(username, kind=kind, full_name=full_name)
        created.append((username, str(UserKind(kind).label)))
    for suffix, agency_code in (("", demo.DEMO_WARD), (".so", demo.JUSTICE)):
        agency = agencies[agency_code]
        for base, role, full_name, title in demo.OFFICIAL_ROLES:
            username = base + suffix
            user = _user(username, kind=UserKind.OFFICIAL, full_name=full_name, staff=role == "agency_admin")
            Membership.objects.get_or_create(user=user, agency=agency, role=role, defaults={"title": title})
            if role == "agency_admin":
                user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["catalog", "eforms"]))
            created.append((username, f"{Membership(role=role).get_role_display()} - {agency.name}"))
    admin = _user("admin", kind=UserKind.OFFICIAL, full_name="Quản trị viên", staff=True)
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    created.append(("admin", "Quản trị toàn hệ thống (superuser)"))
    return created


def _user(username: str, *, kind: str, full_name: str, staff: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, kind=kind, full_name=full_name, is_staff=staff)
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
    return user


def seed_demo(*, accounts: bool) -> tuple[int, list[tuple[str, str]]]:
    agencies = seed_agencies()
    topics = seed_topics()
    created = seed_procedures(agencies, topics)
    logins = seed_accounts(agencies) if accounts else []
    if accounts:  # the demo dossiers are handled by the demo officials
        from motcua.core.demo.dossiers import seed_dossiers

        seed_dossiers(agencies, timezone.now())
    return created, logins
