"""The citizen's online application (nộp hồ sơ trực tuyến), server-rendered, no JavaScript needed.

start (pick where to send) -> one page per e-form section -> attachments -> check your answers
-> submit -> confirmation. Every page POST saves into the draft (motcua.dossiers.drafts), with
the position, so "/nop-truc-tuyen/<id>/" resumes where the citizen stopped, on any device.
Only translation lives here: drafts.py writes, the e-form engine renders and checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.models import User
from motcua.accounts.selectors import profile_prefill
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency, DossierComponent, ProcedureStatus
from motcua.core.errors import MotCuaError
from motcua.dossiers import drafts
from motcua.dossiers.models import DossierDraft
from motcua.eforms import engine
from motcua.eforms.models import FormDefinition
from motcua.eforms.validation import iter_leaves
from motcua.portal.views import not_found

ATTACHMENTS = "attachments"
REVIEW = "review"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _draft(request: HttpRequest, draft_id: int) -> DossierDraft | None:
    return drafts.draft_get_for_owner(owner=_user(request), draft_id=draft_id)


def _in_language(vietnamese: str, english: str) -> str:
    """A service's refusal (written in both languages) in the reader's language."""
    return english if english and get_language() == "en" else vietnamese


# -- Steps of one draft --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One page of the journey: a form section, the attachments or the review."""

    kind: str  # "form", ATTACHMENTS or REVIEW
    title: str
    url: str
    form: FormDefinition | None = None
    section: int = 0


def _section_url(draft: DossierDraft, code: str, index: int) -> str:
    return reverse("portal:apply_section", kwargs={"draft_id": draft.pk, "code": code, "number": index + 1})


def _forms(components: list[DossierComponent]) -> list[FormDefinition]:
    seen: dict[str, FormDefinition] = {}
    for component in components:
        if component.form is not None and component.form.code not in seen:
            seen[component.form.code] = component.form
    return list(seen.values())


def _steps(draft: DossierDraft, components: list[DossierComponent]) -> list[Step]:
    steps = []
    for form in _forms(components):
        answers = _answers(draft, form)
        for section in engine.visible_sections(form, answers):
            steps.append(
                Step("form", section.title, _section_url(draft, form.code, section.index), form, section.index)
            )
    if any(c.form is None for c in components):
        steps.append(
            Step(ATTACHMENTS, _("Giấy tờ đính kèm"), reverse("portal:apply_attachments", kwargs={"draft_id": draft.pk}))
        )
    steps.append(Step(REVIEW, _("Kiểm tra lại"), reverse("portal:apply_review", kwargs={"draft_id": draft.pk})))
    return steps


def _answers(draft: DossierDraft, form: FormDefinition) -> dict[str, Any]:
    entry = draft.form_data.get(form.code, {})
    answers = entry.get("answers", {}) if isinstance(entry, dict) else {}
    return answers if isinstance(answers, dict) else {}


def _step_index(steps: list[Step], kind: str, code: str = "", section: int = 0) -> int:
    for i, step in enumerate(steps):
        if step.kind == kind and (kind != "form" or (step.form and step.form.code == code and step.section == section)):
            return i
    return 0


def _page(
    request: HttpRequest,
    draft: DossierDraft,
    steps: list[Step],
    current: int,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "draft": draft,
            "steps": steps,
            "current": current,
            "step": steps[current],
            "step_number": current + 1,
            "step_total": len(steps),
            **context,
        },
        status=status,
    )


# -- Pick, not retype: the profile offered in the fields it answers ------------------------------

# Groups that describe the person making the request (the account holder); fields of other
# people (the child, the deceased, the other spouse) are never prefilled from the profile.
_APPLICANT_GROUPS = frozenset({"", "nguoi_yeu_cau", "chu_ho", "nguoi_su_dung_dat", "chu_dau_tu", "nguoi_khai"})


def _phone_local(phone: str) -> str:
    """The profile keeps E.164 (+84912345678); the forms want 0912345678."""
    return "0" + phone[3:] if phone.startswith("+84") else phone


def profile_answers(user: User, form: FormDefinition) -> dict[str, Any]:
    """{path: value} of the form's applicant fields the profile can answer."""
    profile = profile_prefill(user)
    identity = f"Căn cước số {profile['personal_id']}" if profile["personal_id"] else ""
    by_name = {
        "ho_ten": profile["full_name"],
        "ten": profile["full_name"],
        "ngay_sinh": profile["birth_date"],
        "so_dinh_danh": profile["personal_id"],
        "giay_to_tuy_than": identity,
        "dien_thoai": _phone_local(profile["phone"]),
        "so_dien_thoai": _phone_local(profile["phone"]),
        "email": profile["email"],
        "noi_cu_tru": profile["address"],
        "dia_chi": profile["address"],
        "dia_chi_lien_lac": profile["address"],
        "noi_thuong_tru": profile["address"],
    }
    found = {}
    for path, _prop in iter_leaves(form.schema):
        group, _dot, name = path.rpartition(".")
        if group in _APPLICANT_GROUPS and by_name.get(name):
            found[path] = by_name[name]
    return found


# -- Start ---------------------------------------------------------------------------------------


def _default_agency(user: User, agencies: list[Agency]) -> Agency | None:
    ward = profile_prefill(user)["ward_code"]
    for agency in agencies:
        if ward and str(agency.ward_code or "") == ward:
            return agency
    return agencies[0] if agencies else None


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, key: str) -> HttpResponse:
    """Where to send the dossier (when several places receive it), then the first page."""
    procedure = catalog_selectors.procedure_get_by_key(key)
    version = procedure.current_version if procedure is not None else None
    if procedure is None or version is None or not version.channel_online or procedure.status != ProcedureStatus.ACTIVE:
        return not_found(request)
    user = _user(request)
    agencies = list(drafts.draft_agencies(version.pk))
    chosen = _default_agency(user, agencies)
    error = ""
    if request.method == "POST":
        picked = request.POST.get("agency", "")
        chosen = next((a for a in agencies if str(a.pk) == picked), None)
        if chosen is None:
            error = _("Hãy chọn nơi nộp hồ sơ.")
        else:
            try:
                draft = drafts.draft_start(owner=user, procedure=procedure, agency=chosen)
            except MotCuaError as refused:
                error = _in_language(refused.message_vi, refused.message_en)
            else:
                return redirect("portal:apply_resume", draft_id=draft.pk)
    context = {"procedure": procedure, "version": version, "agencies": agencies, "chosen": chosen, "error": error}
    return render(request, "portal/apply/start.html", context, status=400 if error else 200)


@login_required
@require_safe
def apply_resume(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Back where the citizen stopped (saved with every page), on whatever device."""
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    steps = _steps(draft, drafts.draft_components(draft))
    position = draft.position or {}
    kind = position.get("step", "form" if position.get("form") else "")
    if kind:
        index = _step_index(steps, kind, str(position.get("form", "")), int(position.get("section", 0)))
        return redirect(steps[index].url)
    return redirect(steps[0].url)


# -- Form pages ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply_section(request: HttpRequest, draft_id: int, code: str, number: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    user = _user(request)
    components = drafts.draft_components(draft)
    form = next((f for f in _forms(components) if f.code == code), None)
    if form is None or not 1 <= number <= len(engine.sections(form)):
        return not_found(request)
    index = number - 1
    answers = _answers(draft, form)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        result = engine.parse_section(form, index, request.POST, request.FILES, answers=answers)
        answers = engine.apply_patch(answers, result.answers_patch)
        position: dict[str, Any] = {"step": "form", "form": code, "section": index}
        target = ""
        steps_after = _steps_with(draft, components, form, answers)
        here = _step_index(steps_after, "form", code, index)
        if result.action == "back":
            target = steps_after[max(here - 1, 0)].url
        elif result.moves_on:
            target = steps_after[min(here + 1, len(steps_after) - 1)].url
        elif result.action == "next":
            errors = result.errors
        elif result.target:  # a row added or removed, a province chosen: back to that spot
            target = _section_url(draft, code, index) + "#f-" + result.target.replace(".", "-")
        else:
            target = _section_url(draft, code, index)
            messages.success(request, _("Đã lưu. Bạn có thể đóng trang và tiếp tục sau từ «Hồ sơ của tôi»."))
        if target and result.action in ("back", "next"):
            position = _position_of(steps_after, target)
        draft = drafts.draft_save_page(
            draft=draft,
            owner=user,
            form_code=code,
            form_version=form.version,
            answers_patch=result.answers_patch,
            position=position,
        )
        if target:
            return redirect(target)
    steps = _steps(draft, components)
    body = engine.render_section(
        request,
        form,
        index,
        answers,
        errors,
        prefill=profile_answers(user, form),
        action_url=_section_url(draft, code, index),
    )
    current = _step_index(steps, "form", code, index)
    return _page(
        request, draft, steps, current, "portal/apply/section.html", {"body": body, "has_errors": bool(errors)}
    )


def _steps_with(
    draft: DossierDraft, components: list[DossierComponent], form: FormDefinition, answers: dict[str, Any]
) -> list[Step]:
    """The steps as they will be once these answers are saved (a section may appear or go)."""
    draft.form_data = {**draft.form_data, form.code: {"version": form.version, "answers": answers}}
    return _steps(draft, components)


def _position_of(steps: list[Step], url: str) -> dict[str, Any]:
    step = next((s for s in steps if s.url == url), steps[-1])
    if step.kind == "form" and step.form is not None:
        return {"step": "form", "form": step.form.code, "section": step.section}
    return {"step": step.kind}


# -- Attachments ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply_attachments(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Per component: several files each, each checked; refusals explained, good files kept."""
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    user = _user(request)
    components = drafts.draft_components(draft)
    steps = _steps(draft, components)
    here = _step_index(steps, ATTACHMENTS)
    refusals: list[str] = []
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                drafts.draft_attachment_remove(draft=draft, owner=user, attachment_id=_int(request.POST["remove"]))
                messages.success(request, _("Đã xóa tệp."))
                return redirect("portal:apply_attachments", draft_id=draft.pk)
            if "upload" in request.POST:
                files = request.FILES.getlist("files")
                if not files:
                    refusals.append(_("Hãy chọn ít nhất một tệp trước khi bấm «Tải lên»."))
                else:
                    results = drafts.draft_attach(
                        draft=draft, owner=user, component_id=_int(request.POST["upload"]), files=files
                    )
                    refusals = [f"{r.name}: {_in_language(r.reason_vi, r.reason_en)}" for r in results if not r.ok]
                    kept = [r.name for r in results if r.ok]
                    if kept:
                        messages.success(request, _("Đã nhận: %(files)s") % {"files": ", ".join(kept)})
                    if not refusals:
                        return redirect("portal:apply_attachments", draft_id=draft.pk)
            else:
                back = request.POST.get("action") == "back"
                target = steps[max(here - 1, 0)] if back else steps[here + 1]
                drafts.draft_position_save(draft=draft, owner=user, position=_position_of(steps, target.url))
                return redirect(target.url)
        except MotCuaError as refused:
            refusals.append(_in_language(refused.message_vi, refused.message_en))
    attachments = drafts.draft_attachments(draft)
    rows = [
        {"component": c, "files": [a for a in attachments if a.component_id == c.pk]}
        for c in components
        if c.form is None
    ]
    return _page(
        request,
        draft,
        steps,
        here,
        "portal/apply/attachments.html",
        {"rows": rows, "refusals": refusals},
        status=400 if refusals else 200,
    )


def _int(raw: str) -> int:
    return int(raw) if raw.isdigit() else 0


# -- Check your answers, submit, confirmation ----------------------------------------------------


def _problem_links(draft: DossierDraft, problems: list[drafts.DraftProblem]) -> list[dict[str, str]]:
    links = []
    for problem in problems:
        if problem.form_code:
            href = _section_url(draft, problem.form_code, problem.section or 0)
            href += "#f-" + problem.path.replace(".", "-")
        elif problem.component_id is not None:
            href = reverse("portal:apply_attachments", kwargs={"draft_id": draft.pk}) + f"#c-{problem.component_id}"
        else:
            href = reverse("portal:apply_agency", kwargs={"draft_id": draft.pk})
        links.append({"href": href, "message": problem.message})
    return links


def _review_page(request: HttpRequest, draft: DossierDraft, *, error: str = "", status: int = 200) -> HttpResponse:
    components = drafts.draft_components(draft)
    steps = _steps(draft, components)
    reviews: list[SafeString] = []
    for form in _forms(components):
        reviews.append(
            format_html(
                "{}",
                engine.render_review(
                    request,
                    form,
                    _answers(draft, form),
                    edit_url=lambda index, code=form.code: _section_url(draft, code, index),  # type: ignore[misc]
                ),
            )
        )
    attachments = drafts.draft_attachments(draft)
    rows = [
        {"component": c, "files": [a for a in attachments if a.component_id == c.pk]}
        for c in components
        if c.form is None
    ]
    problems = _problem_links(draft, drafts.draft_problems(draft))
    context = {"reviews": reviews, "rows": rows, "problems": problems, "error": error}
    return _page(request, draft, steps, _step_index(steps, REVIEW), "portal/apply/review.html", context, status=status)


@login_required
@require_safe
def apply_review(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Kiểm tra lại: every answer with its change link, the files, what is still missing."""
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    if draft.position.get("step") != REVIEW:
        draft = drafts.draft_position_save(draft=draft, owner=_user(request), position={"step": REVIEW})
    return _review_page(request, draft)


@login_required
@require_http_methods(["GET", "POST"])
def apply_agency(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Change where the dossier goes (only when the procedure has several receiving places)."""
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    agencies = list(drafts.draft_agencies(draft.procedure_version_id))
    error = ""
    if request.method == "POST":
        chosen = next((a for a in agencies if str(a.pk) == request.POST.get("agency", "")), None)
        if chosen is None:
            error = _("Hãy chọn nơi nộp hồ sơ.")
        else:
            drafts.draft_set_agency(draft=draft, owner=_user(request), agency=chosen)
            return redirect("portal:apply_review", draft_id=draft.pk)
    context = {
        "procedure": draft.procedure,
        "version": draft.procedure_version,
        "agencies": agencies,
        "chosen": draft.agency,
        "error": error,
        "draft": draft,
    }
    return render(request, "portal/apply/start.html", context, status=400 if error else 200)


@login_required
@require_POST
def apply_submit(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Idempotent: a second click (or a reload of the POST) lands on the same confirmation."""
    user = _user(request)
    submitted = DossierDraft.objects.filter(pk=draft_id, owner_id=user.pk, dossier__isnull=False).first()
    if submitted is not None:
        return redirect("portal:apply_done", draft_id=submitted.pk)
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    try:
        drafts.draft_submit_online(draft=draft, owner=user)
    except MotCuaError as refused:
        draft.refresh_from_db()
        return _review_page(request, draft, error=_in_language(refused.message_vi, refused.message_en), status=400)
    return redirect("portal:apply_done", draft_id=draft.pk)


@login_required
@require_safe
def apply_done(request: HttpRequest, draft_id: int) -> HttpResponse:
    submitted = (
        DossierDraft.objects.filter(pk=draft_id, owner_id=_user(request).pk, dossier__isnull=False)
        .select_related("dossier", "dossier__agency", "procedure_version")
        .first()
    )
    if submitted is None or submitted.dossier is None:
        return not_found(request)
    return render(request, "portal/apply/done.html", {"dossier": submitted.dossier, "draft": submitted})


@login_required
@require_POST
def apply_discard(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    if draft is None:
        return not_found(request)
    drafts.draft_discard(draft=draft, owner=_user(request))
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal:my_dossiers")
