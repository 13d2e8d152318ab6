"""Pages of the back office (Bộ phận một cửa) for officials.

Views only translate HTTP: who is asking (backoffice.selectors.desk_for), what they may see
(dossiers.selectors), what they may do (lifecycle.actions_for over services.actor_roles), and
every change through motcua.dossiers.services or backoffice.intake. Works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.models import User
from motcua.backoffice import intake as intake_service
from motcua.backoffice import selectors
from motcua.backoffice.forms import ActionForm, ExtendForm, IntakeForm, ScanForm, SearchForm
from motcua.backoffice.selectors import Clocks, Desk, Inbox
from motcua.catalog import search as catalog_search
from motcua.catalog.models import Agency
from motcua.core.errors import MotCuaError, NotAllowed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import FINAL, Action, Role, Status, actions_for
from motcua.dossiers.models import DocumentKind, Dossier
from motcua.dossiers.selectors import dossier_get_for_user

PAGE_SIZE = 25
P = ParamSpec("P")
DeskView = Callable[Concatenate[HttpRequest, Desk, P], HttpResponseBase]


def official_required(view: DeskView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Logged in (else to the login page) and an active official of some agency (else 403)."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        desk = selectors.desk_for(_user(request))
        if desk is None:
            return render(request, "backoffice/forbidden.html", status=403)
        return view(request, desk, *args, **kwargs)

    update_wrapper(wrapper, view)
    return login_required(wrapper)


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _nav(desk: Desk, now: dt.datetime, clocks: Clocks, current: Inbox | None = None) -> dict[str, Any]:
    return {
        "desk": desk,
        "inbox_counts": selectors.inbox_counts(desk, now, clocks),
        "current_inbox": current,
        "can_receive": desk.holds(Role.RECEIVING_OFFICER),
    }


def _default_inbox(desk: Desk) -> Inbox:
    if desk.holds(Role.RECEIVING_OFFICER):
        return Inbox.TO_RECEIVE
    if desk.holds(Role.SPECIALIST):
        return Inbox.TO_PROCESS
    if desk.holds(Role.DEPARTMENT_HEAD, Role.LEADER):
        return Inbox.TO_APPROVE
    return Inbox.DUE_SOON


@official_required
@require_safe
def inbox(request: HttpRequest, desk: Desk) -> HttpResponse:
    now, clocks = timezone.now(), Clocks()
    try:
        current = Inbox(request.GET.get("hop", ""))
    except ValueError:
        current = _default_inbox(desk)
    page = Paginator(selectors.inbox_dossiers(desk, current, now, clocks), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/inbox.html",
        {
            **_nav(desk, now, clocks, current),
            "page": page,
            "rows": selectors.rows_for(page.object_list, now, clocks),
            "now": now,
        },
    )


@official_required
@require_safe
def search(request: HttpRequest, desk: Desk) -> HttpResponse:
    now, clocks = timezone.now(), Clocks()
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {**_nav(desk, now, clocks), "form": form, "searched": False}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = selectors.SearchCriteria(
            code=data["code"],
            name=data["name"],
            id_number=data["id_number"],
            procedure=data["procedure"],
            status=data["status"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
        if not criteria.is_empty():
            result = selectors.dossiers_search(desk.user, criteria)
            page = Paginator(result.dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
            context.update(
                searched=True,
                page=page,
                rows=selectors.rows_for(page.object_list, now, clocks),
                truncated=result.truncated,
            )
    return render(request, "backoffice/search.html", context)


# -- The dossier page --------------------------------------------------------------------------


def _actions(desk: Desk, dossier: Dossier) -> list[Action]:
    return actions_for(Status(dossier.status), services.actor_roles(desk.user, dossier))


def _action_form(desk: Desk, dossier: Dossier, *args: Any, **kwargs: Any) -> ActionForm:
    return ActionForm(
        *args,
        actions=_actions(desk, dossier),
        dossier=dossier,
        transfer_targets=selectors.transfer_targets(dossier),
        **kwargs,
    )


def _typed(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    """What the official typed, to fill the form again (files cannot be: they choose again)."""
    typed: dict[str, Any] = {
        name: request.POST[name]
        for name in ("note", "second_supplement_reason", "transfer_to", "due_at")
        if request.POST.get(name)
    }
    ticked = {name: request.POST.getlist(name) for name in ("requested_fields", "requested_components")}
    return {**typed, **{name: values for name, values in ticked.items() if values}, "revision": dossier.revision}


def _dossier_url(dossier: Dossier) -> str:
    return reverse("backoffice:dossier", args=[dossier.pk])


@official_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_detail(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    try:
        # The view is written to the audit log once per reading, not again on each action.
        dossier = dossier_get_for_user(desk.user, pk, record_view=request.method != "POST")
    except NotAllowed:
        return render(request, "backoffice/not_found.html", status=404)
    status = 200
    error: MotCuaError | None = None
    stale = False
    action_form = _action_form(desk, dossier)
    scan_form = ScanForm(dossier=dossier) if _may_scan(desk, dossier) else None
    may_extend = services.may_extend(desk.user, dossier)
    extend_open = may_extend and services.extension_open(dossier, timezone.now())
    extend_form = ExtendForm(dossier=dossier) if extend_open else None
    extend_error: MotCuaError | None = None
    if request.method == "POST" and request.POST.get("form") == "extend":
        if not may_extend:
            return render(request, "backoffice/forbidden.html", status=403)
        # Bound even when the appointment has just passed: the official sees why it was refused
        # next to what they typed.
        extend_form = ExtendForm(request.POST, dossier=dossier)
        if extend_form.is_valid():
            try:
                services.dossier_extend(
                    dossier=dossier,
                    actor=desk.user,
                    new_due_at=extend_form.new_due_at(),
                    reason=extend_form.cleaned_data["reason"],
                )
            except MotCuaError as refused:
                extend_error, status = refused, 403 if isinstance(refused, NotAllowed) else 200
            else:
                messages.success(
                    request, _("Đã lập Phiếu xin lỗi và hẹn lại ngày trả kết quả; người nộp đã được thông báo.")
                )
                return redirect(_dossier_url(dossier))
    elif request.method == "POST" and request.POST.get("form") == "receipt":
        if Role.RECEIVING_OFFICER not in services.actor_roles(desk.user, dossier):
            return render(request, "backoffice/forbidden.html", status=403)
        try:
            _issue_receipt(desk, dossier)
        except MotCuaError as refused:
            error = refused
        else:
            messages.success(request, _("Đã lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả."))
            return redirect(_dossier_url(dossier))
    elif request.method == "POST" and request.POST.get("form") == "scan":
        if scan_form is None:
            return render(request, "backoffice/forbidden.html", status=403)
        scan_form = ScanForm(request.POST, request.FILES, dossier=dossier)
        if scan_form.is_valid():
            try:
                _scan(desk, dossier, scan_form)
            except MotCuaError as refused:
                error, status = refused, 403 if isinstance(refused, NotAllowed) else 200
            else:
                messages.success(request, _("Đã lưu bản số hóa."))
                return redirect(_dossier_url(dossier))
    elif request.method == "POST" and request.POST.get("revision") != str(dossier.revision):
        # Someone acted since this form was loaded (the service would refuse it too): show the
        # dossier as it is now, keep what was typed, and let the official decide again.
        status, stale = 409, True
        action_form = _action_form(desk, dossier, initial=_typed(request, dossier))
    elif request.method == "POST":
        action_form = _action_form(desk, dossier, request.POST, request.FILES)
        if action_form.is_valid():
            transition = action_form.transition()
            try:
                services.dossier_transition(dossier=dossier, actor=desk.user, transition=transition)
            except MotCuaError as refused:
                error = refused
                dossier = dossier_get_for_user(desk.user, pk, record_view=False)
                stale = transition.expected_revision != dossier.revision
                if stale:  # lost the race between loading the page and the row lock
                    status = 409
                    action_form = _action_form(desk, dossier, initial=_typed(request, dossier))
                elif isinstance(refused, NotAllowed):
                    status = 403
            else:
                messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": transition.action.label})
                if transition.action == Action.RECEIVE:
                    messages.info(request, _("Hãy in Giấy tiếp nhận hồ sơ và hẹn trả kết quả cho người nộp."))
                return redirect(_dossier_url(dossier))
        elif "action" in action_form.errors:
            status = 403  # an action this official may not take here (or none at all)
    now, clocks = timezone.now(), Clocks()
    return render(
        request,
        "backoffice/dossier.html",
        {
            **_nav(desk, now, clocks),
            "dossier": dossier,
            "data": selectors.dossier_page(dossier, now, clocks),
            "form": action_form,
            "scan_form": scan_form,
            "extend_form": extend_form,
            "extend_error": extend_error,
            "can_issue_receipt": Role.RECEIVING_OFFICER in services.actor_roles(desk.user, dossier),
            "error": error,
            "stale": stale,
            "roles": sorted(services.actor_roles(desk.user, dossier) - {Role.APPLICANT}, key=list(Role).index),
            "now": now,
        },
        status=status,
    )


def _issue_receipt(desk: Desk, dossier: Dossier) -> None:
    # WeasyPrint is heavy: imported when a document is issued, not when the page loads.
    from motcua.dossiers.documents.services import document_issue

    components = selectors.receipt_components(dossier)
    document_issue(
        dossier=dossier,
        kind=DocumentKind.RECEIPT,
        actor=desk.user,
        data={"components": components} if components else {},
    )


def _may_scan(desk: Desk, dossier: Dossier) -> bool:
    return Role.RECEIVING_OFFICER in services.actor_roles(desk.user, dossier) and Status(dossier.status) not in FINAL


def _scan(desk: Desk, dossier: Dossier, form: ScanForm) -> None:
    files = form.cleaned_data.get("scans") or []
    if files:
        intake_service.dossier_component_files_attach(
            dossier=dossier, component=form.cleaned_data["component"], files=files, actor=desk.user
        )
    if form.cleaned_data.get("digitisation_complete"):
        intake_service.dossier_mark_digitised(dossier=dossier, actor=desk.user)


@official_required
@require_safe
def dossier_file(request: HttpRequest, desk: Desk, pk: int) -> HttpResponseBase:
    """A file of a dossier, through the same permission gate as the dossier (never a public URL)."""
    dossier_file = selectors.dossier_file_for_user(desk.user, pk)
    if dossier_file is None:
        return render(request, "backoffice/not_found.html", status=404)
    response = FileResponse(
        dossier_file.file.open("rb"), filename=dossier_file.name, content_type=dossier_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- Counter intake ----------------------------------------------------------------------------


def _chosen_agency(request: HttpRequest, agencies: list[Agency]) -> Agency:
    wanted = request.POST.get("agency") or request.GET.get("co_quan")
    return next((a for a in agencies if str(a.pk) == wanted), agencies[0])


@official_required
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính: pick the procedure, then the applicant, the
    components received and their scans; "Tiếp nhận" submits and receives in one go."""
    agencies = desk.receiving_agencies
    if not agencies:
        return render(request, "backoffice/forbidden.html", {"only_receivers": True}, status=403)
    now, clocks = timezone.now(), Clocks()
    agency = _chosen_agency(request, agencies)
    raw_procedure = request.POST.get("thu_tuc") or request.GET.get("thu_tuc") or ""
    procedure = selectors.procedure_offered_at(int(raw_procedure), agency) if raw_procedure.isdigit() else None
    context: dict[str, Any] = {**_nav(desk, now, clocks), "agencies": agencies, "agency": agency}
    if procedure is None or procedure.current_version is None:
        q = request.GET.get("q", "").strip()[:200]
        total, procedures = catalog_search.search_procedures(q, agency=agency.code, limit=30)
        return render(
            request, "backoffice/intake_pick.html", {**context, "q": q, "total": total, "procedures": procedures}
        )
    version = procedure.current_version
    components = list(version.components.order_by("order"))
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies,
        components=components,
        needs_appointment=version.processing_time_value is None,
        initial={"agency": agency.pk},
    )
    error: MotCuaError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            dossier = intake_service.dossier_intake_at_counter(
                intake=intake_service.CounterIntake(
                    procedure=procedure,
                    agency=form.cleaned_data["agency"],
                    channel=form.cleaned_data["channel"],
                    applicant=form.applicant(),
                    posted_at=form.posted_at(),
                    components_received=form.received_components(),
                    scans=form.scans(),
                    digitisation_complete=form.cleaned_data["digitisation_complete"],
                    due_at=form.cleaned_data.get("due_at"),
                    note=form.cleaned_data["note"],
                ),
                actor=desk.user,
            )
        except MotCuaError as refused:
            error = refused
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Hãy in Giấy tiếp nhận và hẹn trả kết quả.") % {"code": dossier.code},
            )
            return redirect(_dossier_url(dossier))
    return render(
        request,
        "backoffice/intake.html",
        {**context, "procedure": procedure, "version": version, "form": form, "error": error},
        status=200 if error is None or not isinstance(error, NotAllowed) else 403,
    )
