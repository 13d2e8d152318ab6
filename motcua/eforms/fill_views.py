"""A demo of the e-form engine kept in the Django session, so a person (and the tests) can fill
any built-in form now: /bieu-mau/<code>/dien/<n>/, then /dien/kiem-tra/, then /dien/in.pdf.

Only translation lives here: the engine (motcua.eforms.engine) does the work. The draft and
submission flow of dossiers will call the same functions with answers stored in a draft row.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.eforms import engine, selectors
from motcua.eforms.engine.fields import get_value
from motcua.eforms.models import FormDefinition
from motcua.eforms.validation import iter_leaves
from motcua.eforms.views import attachment_disposition

SESSION_KEY = "eforms:fill"


def _form(code: str) -> FormDefinition:
    form = selectors.form_definition_get(code=code)
    if form is None:
        raise Http404("Không có biểu mẫu này / No such form")
    return form


def _all_answers(request: HttpRequest) -> dict[str, dict[str, Any]]:
    stored = request.session.get(SESSION_KEY, {})
    return stored if isinstance(stored, dict) else {}


def _answers(request: HttpRequest, code: str) -> dict[str, Any]:
    answers = _all_answers(request).get(code, {})
    return answers if isinstance(answers, dict) else {}


def _save(request: HttpRequest, code: str, answers: dict[str, Any]) -> None:
    stored = _all_answers(request)
    stored[code] = answers
    request.session[SESSION_KEY] = stored


def _prefill(request: HttpRequest, form: FormDefinition) -> dict[str, Any]:
    """What the account already says, offered in the fields of the same name (demo mapping)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    known = {"ho_ten": user.get_full_name(), "email": getattr(user, "email", "")}
    return {
        path: known[path.rsplit(".", 1)[-1]]
        for path, _prop in iter_leaves(form.schema)
        if known.get(path.rsplit(".", 1)[-1])
    }


def _earlier(request: HttpRequest, form: FormDefinition) -> dict[str, list[Any]]:
    """Answers given in the other forms of this session, offered by field name (demo)."""
    by_name: dict[str, list[Any]] = {}
    for code, answers in _all_answers(request).items():
        if code == form.code or not isinstance(answers, dict):
            continue
        other = selectors.form_definition_get(code=code)
        if other is None:
            continue
        for path, _prop in iter_leaves(other.schema):
            value = get_value(answers, path)
            if isinstance(value, str | int) and value not in by_name.setdefault(path.rsplit(".", 1)[-1], []):
                by_name[path.rsplit(".", 1)[-1]].append(value)
    return {
        path: by_name[path.rsplit(".", 1)[-1]]
        for path, _prop in iter_leaves(form.schema)
        if by_name.get(path.rsplit(".", 1)[-1])
    }


def _section_url(code: str, index: int) -> str:
    return reverse("eforms:fill_section", kwargs={"code": code, "number": index + 1})


def _page(request: HttpRequest, title: str, body: str, *, status: int = 200) -> HttpResponse:
    return render(request, "eforms/fill/page.html", {"page_title": title, "body": body}, status=status)


@require_safe
def fill_start(request: HttpRequest, code: str) -> HttpResponse:
    _form(code)
    return redirect(_section_url(code, 0))


@require_http_methods(["GET", "POST"])
def fill_section(request: HttpRequest, code: str, number: int) -> HttpResponse:
    form = _form(code)
    all_sections = engine.sections(form)
    if not 1 <= number <= len(all_sections):
        raise Http404("Không có phần này / No such section")
    index = number - 1
    answers = _answers(request, code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        result = engine.parse_section(form, index, request.POST, request.FILES, answers=answers)
        answers = engine.apply_patch(answers, result.answers_patch)
        _save(request, code, answers)
        shown = [s.index for s in engine.visible_sections(form, answers)]
        if result.action == "back":
            earlier = [i for i in shown if i < index]
            return redirect(_section_url(code, earlier[-1]) if earlier else _section_url(code, 0))
        if result.moves_on:
            later = [i for i in shown if i > index]
            if later:
                return redirect(_section_url(code, later[0]))
            return redirect("eforms:fill_review", code=code)
        if result.action == "next":
            errors = result.errors
        elif result.target:  # a row added or removed, a province chosen: back to that spot
            return redirect(_section_url(code, index) + "#f-" + result.target.replace(".", "-"))
        else:
            return redirect(_section_url(code, index))
    body = engine.render_section(
        request,
        form,
        index,
        answers,
        errors,
        prefill=_prefill(request, form),
        choices_from_earlier=_earlier(request, form),
        action_url=_section_url(code, index),
    )
    title = f"{form.title}: {all_sections[index].title}"
    return _page(request, (_("Có lỗi: ") + title) if errors else title, body)


@require_safe
def fill_review(request: HttpRequest, code: str) -> HttpResponse:
    form = _form(code)
    body = engine.render_review(
        request,
        form,
        _answers(request, code),
        edit_url=lambda index: _section_url(code, index),
        pdf_url=reverse("eforms:fill_pdf", kwargs={"code": code}),
    )
    return _page(request, f"{_('Kiểm tra lại')}: {form.title}", body)


@require_safe
def fill_pdf(request: HttpRequest, code: str) -> HttpResponse:
    form = _form(code)
    response = HttpResponse(engine.answers_pdf(form, _answers(request, code)), content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(form.title, "pdf", fallback=form.code)
    return response


@require_safe
def wards_json(request: HttpRequest) -> JsonResponse:
    """The wards of a province, for the optional script that filters the ward list in place."""
    raw = request.GET.get("tinh", "")
    return JsonResponse({"wards": engine.wards_of(int(raw)) if raw.isdigit() else []})
