"""Bổ sung hồ sơ trực tuyến: the citizen corrects exactly the e-form fields and sends exactly the
components the office asked for; the dossier goes back to the office with the same code.

The page shows only the requested fields, drawn by the e-form engine's own widgets and read
back by `parse_section` over a one-section copy of the form that holds just those fields (so
the engine's validators run as on the apply journey). What may change is decided by
dossiers.supplements.dossier_supplement_online: anything else posted is passed on to it and
refused there, so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.catalog.models import DossierComponent
from motcua.core.errors import MotCuaError
from motcua.dossiers import selectors
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.supplements import dossier_supplement_online, requested_items
from motcua.eforms.engine import Field, apply_patch, parse_section, validate_all
from motcua.eforms.engine.fields import get_value, layout_of

# The engine draws one field with this context builder and template; it has no public
# "render these fields only" call yet, and the supplement page must mix fields of several
# forms with component uploads in one <form>. Kept to these two names.
from motcua.eforms.engine.pages import _field_context
from motcua.eforms.models import FormDefinition
from motcua.eforms.selectors import form_definition_get
from motcua.portal.views import not_found

SEPARATOR = "/"  # "<form code>/<field path>", as dossiers.supplements keeps requested items
COMPONENT_INPUT = "thanh_phan_"  # + component id: the upload input of a requested component
ENGINE_SUFFIXES = ("__rows", "__pick", "__keep")


@dataclass
class RequestedForm:
    """The requested fields of one e-form, with a copy of the form holding only them."""

    code: str
    definition: FormDefinition
    only_requested: FormDefinition
    fields: list[Field]
    answers: dict[str, Any]
    patch: dict[str, Any] = field(default_factory=dict)

    def key(self, path: str) -> str:
        return f"{self.code}{SEPARATOR}{path}"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def supplement_request_event(dossier: Dossier) -> DossierEvent | None:
    """The office's last supplement request (its note is the list the citizen must answer)."""
    return dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()


def _requested_forms(dossier: Dossier, keys: list[str]) -> list[RequestedForm]:
    paths_by_form: dict[str, list[str]] = {}
    for key in keys:
        code, _sep, path = str(key).partition(SEPARATOR)
        paths_by_form.setdefault(code, []).append(path)
    result = []
    for code, paths in paths_by_form.items():
        definition = form_definition_get(code=code)
        if definition is None:
            continue
        by_path = layout_of(definition).by_path
        known = [p for p in paths if p in by_path]
        if not known:
            continue
        only_requested = FormDefinition(
            code=definition.code,
            title=definition.title,
            schema=definition.schema,
            layout={**definition.layout, "sections": [{"title": definition.title, "fields": known}]},
        )
        answers = (dossier.form_data.get(code) or {}).get("answers", {}) or {}
        result.append(RequestedForm(code, definition, only_requested, [by_path[p] for p in known], dict(answers)))
    return result


def _scoped(data: QueryDict | MultiValueDict[str, Any], prefix: str) -> MultiValueDict[str, Any]:
    """The inputs of one form, their names without "<form code>/" (the engine's own names)."""
    scoped: MultiValueDict[str, Any] = QueryDict(mutable=True) if isinstance(data, QueryDict) else MultiValueDict()
    for name in data:
        if name.startswith(prefix):
            scoped.setlist(name[len(prefix) :], data.getlist(name))
    action = str(data.get("action", ""))
    kind, sep, target = action.partition(":")
    if sep and target.startswith(prefix):
        scoped["action"] = f"{kind}:{target[len(prefix) :]}"
    elif action:
        scoped["action"] = "stay" if sep else "next"
    return scoped


def _posted_path(name: str) -> str:
    """The field path an input name is about: "me.ho_ten__pick" -> "me.ho_ten"."""
    for suffix in ENGINE_SUFFIXES:
        name = name.removesuffix(suffix).removesuffix(".")
    return name


def _outside_request(post: QueryDict, requested: set[str]) -> dict[str, dict[str, Any]]:
    """Form inputs posted for fields that were not requested (a tampered page): kept, so the
    service refuses them with its message and nothing changes."""
    outside: dict[str, dict[str, Any]] = {}
    for name in post:
        if SEPARATOR not in name:
            continue
        path = _posted_path(name)
        if path in requested or any(path.startswith(r + ".") for r in requested):
            continue
        code, _sep, field_path = path.partition(SEPARATOR)
        outside.setdefault(code, {})[field_path] = post.get(name)
    return outside


def _field_contexts(forms: list[RequestedForm], errors: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    shown = []
    for form in forms:
        answers = apply_patch(form.answers, form.patch)
        for fld in form.fields:
            context = _field_context(fld, form.key(fld.path), get_value(answers, fld.path), errors, answers)
            shown.append({"form": form.definition, "f": context})
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def dossier_supplement(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    dossier = selectors.applicant_dossier(user, code)
    if dossier is None:
        return not_found(request)
    if Status(dossier.status) != Status.SUPPLEMENT_REQUESTED:
        return render(
            request,
            "portal/supplement/not_waiting.html",
            {"dossier": dossier},
            status=409 if request.method == "POST" else 200,
        )
    asked = requested_items(dossier)
    forms = _requested_forms(dossier, [str(k) for k in asked["fields"]])
    components = list(
        DossierComponent.objects.filter(
            version_id=dossier.procedure_version_id, pk__in=[int(c) for c in asked["components"]]
        ).order_by("order")
    )
    errors: dict[str, list[str]] = {}
    refused: MotCuaError | None = None
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "").strip()[:2000]
        sending = not str(request.POST.get("action", "")).partition(":")[1]  # add/remove row: redraw
        for form in forms:
            prefix = f"{form.code}{SEPARATOR}"
            result = parse_section(
                form.only_requested,
                0,
                _scoped(request.POST, prefix),
                _scoped(request.FILES, prefix),
                answers=form.answers,
            )
            form.patch = {p: v for p, v in result.answers_patch.items() if p in {f.path for f in form.fields}}
            problems = {**validate_all(form.definition, apply_patch(form.answers, form.patch)), **result.errors}
            for path, messages_ in problems.items():
                if any(path == f.path or path.startswith(f.path + ".") for f in form.fields):
                    errors[form.key(path)] = messages_
        files: dict[int, list[UploadedFile[Any]]] = {}
        for name in request.FILES:
            if name.startswith(COMPONENT_INPUT) and name[len(COMPONENT_INPUT) :].isdigit():
                files[int(name[len(COMPONENT_INPUT) :])] = request.FILES.getlist(name)
        for component in components:
            if not files.get(component.pk):
                errors[f"{COMPONENT_INPUT}{component.pk}"] = [_("Chưa chọn tệp cho thành phần này.")]
        outside = _outside_request(request.POST, {str(k) for k in asked["fields"]})
        if sending and (outside or not errors):
            answers = {form.code: dict(form.patch) for form in forms}
            for form_code, values in outside.items():
                answers.setdefault(form_code, {}).update(values)
            try:
                dossier_supplement_online(dossier=dossier, applicant=user, answers=answers, note=note, files=files)
            except MotCuaError as error:
                refused = error
            else:
                messages.success(
                    request,
                    _("Đã gửi bổ sung hồ sơ %(code)s. Cơ quan tiếp tục giải quyết; mã hồ sơ không đổi.")
                    % {"code": dossier.code},
                )
                return redirect("portal:my_dossier", code=dossier.code)
        elif not sending:
            errors = {}
    request_event = supplement_request_event(dossier)
    labels = {form.key(f.path): f.label for form in forms for f in form.fields}
    labels.update({f"{COMPONENT_INPUT}{c.pk}": c.name for c in components})
    summary = [
        {"href": "#f-" + key.replace(".", "-"), "label": labels.get(key.split(".")[0], key), "message": message}
        for key, messages_ in errors.items()
        for message in messages_
    ]
    return render(
        request,
        "portal/supplement/form.html",
        {
            "dossier": dossier,
            "request_note": request_event.note if request_event else "",
            "fields": _field_contexts(forms, errors),
            "components": [
                {
                    "component": c,
                    "name": f"{COMPONENT_INPUT}{c.pk}",
                    "errors": errors.get(f"{COMPONENT_INPUT}{c.pk}", []),
                }
                for c in components
            ],
            "summary": summary,
            "refused": refused,
            "note": note,
        },
        status=400 if request.method == "POST" else 200,
    )
