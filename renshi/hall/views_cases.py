"""Pages of cases (办件): units file and follow them, the window takes them in, the bureau
handles its tasks, anyone looks up progress with the case number and check code.

Every change is a service of renshi.hall.cases; its HallError (Chinese) is shown as a message
or on the form, and a second click on a step already done gets the engine's "stale" message.
"""

import hmac
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core import idnumbers, roles
from renshi.core.decorators import role_required
from renshi.core.roles import Role
from renshi.exams import throttle
from renshi.hall import cases, deadlines, queries, selectors
from renshi.hall.effects import CATEGORIES, effect_of
from renshi.hall.errors import HallError
from renshi.hall.forms_cases import (
    CaseFilterForm,
    FilingForm,
    RateForm,
    ReassignForm,
    RefuseForm,
)
from renshi.hall.models import (
    Case,
    CaseMaterial,
    CaseNotice,
    CaseStatus,
    CaseTask,
    Extension,
    ExtensionStatus,
    NoticeKind,
    Rating,
    RatingLevel,
    ServiceItem,
    TaskStatus,
)
from renshi.personnel import selectors as personnel_selectors
from renshi.personnel.views.people import page_number

UNIT = frozenset({Role.UNIT_CLERK})
WINDOW = frozenset({Role.HALL_WINDOW})
FILERS = UNIT | WINDOW
STAFF = queries.SEE_ALL_CASES
CASE_READERS = STAFF | UNIT
CHIEFS = cases.APPROVE_EXTENSIONS
LOOKUPS_PER_HOUR = 20
LOOKUPS_PER_CASE = 10
ROLE_NAMES = dict(Role.choices)


def _go(request, case, service, done, **kwargs):
    """Run a case service; its refusal becomes an error message. Back to the case page."""
    try:
        service(actor=request.user, case=case, **kwargs)
    except HallError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("hall:case_detail", pk=case.pk)


def _case(request, pk) -> Case:
    return queries.get_case_for(request.user, pk)


# --- The hall's start page (units and window) ------------------------------------------------


@role_required(FILERS)
def hall_home(request):
    sections = defaultdict(list)
    for item in selectors.published_items():
        sections[item.get_section_display()].append(item)
    return render(request, "hall/cases/home.html", {"sections": dict(sections)})


@require_http_methods(["GET", "POST"])
@role_required(FILERS)
def case_file(request, code):
    item, version = selectors.published_item(code)
    window = roles.has_role(request.user, WINDOW)
    form = FilingForm(
        request.POST or None,
        request.FILES or None,
        version=version,
        effect=effect_of(item),
        window=window,
        units=personnel_selectors.visible_units(request.user).order_by("path"),
        initial={"token": uuid.uuid4().hex, "unit": personnel_unit(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        case = _file(request, form, item)
        if case:
            messages.success(request, f"已提交，办件编号 {case.number}，查询码 {case.check_code}。")
            return redirect("hall:case_detail", pk=case.pk)
    return render(
        request,
        "hall/cases/file.html",
        {"form": form, "item": item, "version": version, "window": window},
    )


def _file(request, form, item) -> Case | None:
    # A double click posts the same token twice: the second post finds it taken.
    key = f"hall-file:{request.user.pk}:{form.cleaned_data['token']}"
    if not cache.add(key, "", 3600):
        form.add_error(None, "该申请已提交，请勿重复提交；请在“本单位办件”中查看")
        return None
    unit = form.cleaned_data.get("unit") or personnel_selectors.scope_unit(request.user)
    materials, files = form.handed_in()
    try:
        return cases.case_file(
            actor=request.user,
            item=item,
            unit=unit,
            applicant_name=form.cleaned_data["applicant_name"],
            applicant_phone=form.cleaned_data["applicant_phone"],
            form=form.effect_form(),
            materials=materials,
            files=files,
            note=form.cleaned_data["note"],
        )
    except HallError as e:
        cache.delete(key)
        for message in e.errors:
            field = f"f_{e.field}" if f"f_{e.field}" in form.fields else None
            form.add_error(field, message)
        return None


@role_required(CASE_READERS)
def unit_cases(request):
    if roles.has_role(request.user, UNIT) and not queries.is_unit_clerk(request.user):
        raise Http404
    form = CaseFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    item = ServiceItem.objects.filter(code=data.get("item")).first() if data.get("item") else None
    page = queries.unit_case_page(
        request.user,
        page_number(request.GET.get("page")),
        status=data.get("status", ""),
        item=item,
        overdue=data.get("overdue", False),
    )
    items = ServiceItem.objects.filter(active=True).order_by("code").values_list("code", "name")
    return render(
        request,
        "hall/cases/unit_cases.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "statuses": CaseStatus.choices,
            "selected": data,
            "scope": personnel_unit(request.user),
        },
    )


def personnel_unit(user):
    return personnel_selectors.scope_unit(user) if queries.is_unit_clerk(user) else None


# --- One case --------------------------------------------------------------------------------


@role_required(CASE_READERS)
def case_detail(request, pk):
    case = _case(request, pk)
    user = request.user
    staff = roles.has_role(user, STAFF)
    tasks = list(case.tasks.select_related("assignee", "done_by").order_by("opened_at", "id"))
    for task in tasks:
        task.role_name = ROLE_NAMES.get(task.role, task.role)
    open_tasks = [t for t in tasks if t.status == TaskStatus.OPEN]
    mine = [t for t in open_tasks if cases.can_handle(user, t) and t.step_index > 0]
    events = case.events.all() if staff else case.events.filter(public=True)
    context = {
        "case": case,
        "step": case.step(),
        "colour": deadlines.colour(case.due_date) if case.is_open else "",
        "events": events,
        "notices": case.notices.all(),
        "materials": case.materials.all(),
        "can_open": queries.can_open_materials(user, case),
        "staff": staff,
        "window": roles.has_role(user, WINDOW),
        "unit_side": cases.acting_unit_ok(user, case),
        "tasks": tasks,
        "open_tasks": open_tasks,
        "my_tasks": mine,
        "intake": [t for t in open_tasks if t.step_index == 0 and cases.can_handle(user, t)],
        "recallable": _recallable(user, case, tasks),
        "extension": case.extensions.filter(status=ExtensionStatus.PENDING).first(),
        "can_decide_extension": roles.has_role(user, CHIEFS),
        "rating": Rating.objects.filter(case=case).first(),
        "rating_form": RateForm(),
        "ratings": RatingLevel.choices,
        "returnable": cases.return_targets(case),
        "colleagues": _colleagues(user, mine),
        "reassignable": _reassign_choices(user, open_tasks),
        "supplement_items": _asked(case),
        "form_rows": _form_rows(case),
        "phone_masked": idnumbers.mask_phone(case.applicant_phone),
    }
    if context["window"] and case.status == CaseStatus.RECEIVED:
        context["missing"] = cases.missing_materials(case)
        context["required"] = _checklist(case)
    return render(request, "hall/cases/detail.html", context)


def _form_rows(case):
    """The filed form as (label, value), the ID number masked and codes named."""
    rows = []
    for spec in effect_of(case.item).fields:
        value = case.form.get(spec["name"], "")
        if spec["kind"] == "id_number":
            value = idnumbers.mask_id(value)
        elif spec["kind"] == "category":
            value = CATEGORIES.get(value, value)
        rows.append((spec["label"], value))
    return rows


def _recallable(user, case, tasks):
    """The user's own approval of the previous step, while the next step is untouched."""
    if case.status != CaseStatus.IN_PROGRESS:
        return None
    for task in tasks:
        if (
            task.done_by_id == user.pk
            and task.decision == "approve"
            and task.step_index == case.step_index - 1 > 0
            and task.sign_mode == "any"
        ):
            return task
    return None


def _colleagues(user, my_tasks):
    if not my_tasks:
        return []
    return list(
        get_user_model()
        .objects.filter(role=user.role, is_active=True)
        .exclude(pk=user.pk)
        .order_by("full_name", "pk")
    )


def _reassign_choices(user, open_tasks):
    """For chiefs: each open task with the active people of its role it may go to (改派) — not
    its assignee, nor anyone holding another share of the same 会签 step."""
    if not (open_tasks and roles.has_role(user, cases.REASSIGN_TASKS)):
        return []
    holding = {(t.step_index, t.assignee_id) for t in open_tasks}
    people = (
        get_user_model()
        .objects.filter(role__in={t.role for t in open_tasks}, is_active=True)
        .order_by("full_name", "pk")
    )
    by_role = defaultdict(list)
    for person in people:
        by_role[person.role].append(person)
    return [
        (t, [p for p in by_role[t.role] if (t.step_index, p.pk) not in holding]) for t in open_tasks
    ]


def _asked(case):
    if case.status != CaseStatus.SUPPLEMENT:
        return []
    notice = case.notices.filter(kind=NoticeKind.SUPPLEMENT).last()
    return notice.items if notice else []


def _checklist(case):
    have = {}
    for m in case.materials.all():
        have.setdefault(m.name, m)
    return [{**m, "handed_in": have.get(m["name"])} for m in case.version.materials]


@role_required(CASE_READERS)
def material_file(request, pk, material_pk):
    case = _case(request, pk)
    material = get_object_or_404(CaseMaterial, pk=material_pk, case=case)
    if not (material.file and queries.can_open_materials(request.user, case)):
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True)


@role_required(CASE_READERS)
def notice_print(request, pk, notice_pk):
    case = _case(request, pk)
    notice = get_object_or_404(CaseNotice, pk=notice_pk, case=case)
    bureau = getattr(settings, "HALL_BUREAU_NAME", "鞍山市人事局")
    return render(
        request, "hall/cases/notice.html", {"case": case, "notice": notice, "bureau": bureau}
    )


# --- The applicant's side -------------------------------------------------------------------


@require_POST
@role_required(FILERS)
def case_supply(request, pk):
    case = _case(request, pk)
    names = [n for n in request.POST.getlist("material") if n]
    files = {}
    for i, entry in enumerate(_asked(case)):
        upload = request.FILES.get(f"file_{i}")
        if upload:
            files[entry["name"]] = upload
    return _go(
        request,
        case,
        cases.supply,
        "补正材料已提交，等待窗口受理。",
        materials=names,
        files=files,
        note=request.POST.get("note", ""),
    )


@require_POST
@role_required(FILERS)
def case_withdraw(request, pk):
    case = _case(request, pk)
    return _go(request, case, cases.withdraw, "已撤回申请。", reason=request.POST.get("reason", ""))


@require_POST
@role_required(UNIT)
def case_rate(request, pk):
    case = _case(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评价等级（非常满意至非常不满意）")
        return redirect("hall:case_detail", pk=case.pk)
    return _go(request, case, cases.rate, "感谢您的评价。", **form.cleaned_data)


# --- The window ------------------------------------------------------------------------------


@role_required(WINDOW)
def intake_queue(request):
    page = queries.intake_page(page_number(request.GET.get("page")))
    return render(request, "hall/cases/intake.html", {"page": page})


@require_http_methods(["GET", "POST"])
@role_required(WINDOW)
def case_supplement(request, pk):
    case = _case(request, pk)
    if request.method == "POST":
        names, reasons = request.POST.getlist("name"), request.POST.getlist("reason")
        items = [{"name": n, "reason": r} for n, r in zip(names, reasons, strict=False)]
        try:
            notice = cases.request_supplement(
                actor=request.user, case=case, items=items, note=request.POST.get("note", "")
            )
        except HallError as e:
            messages.error(request, e.message)
            rows = [i for i in items if i["name"].strip()]
        else:
            messages.success(request, f"已出具补正材料通知书 {notice.number}。")
            return redirect("hall:case_detail", pk=case.pk)
    else:
        rows = [{"name": n, "reason": "未提交"} for n in cases.missing_materials(case)]
    rows += [{"name": "", "reason": ""}] * 3
    return render(request, "hall/cases/supplement.html", {"case": case, "rows": rows})


@require_POST
@role_required(WINDOW)
def case_accept(request, pk):
    case = _case(request, pk)
    return _go(request, case, cases.accept, "已受理，受理通知书已生成。")


@require_POST
@role_required(WINDOW)
def case_refuse(request, pk):
    case = _case(request, pk)
    form = RefuseForm(request.POST)
    form.is_valid()
    return _go(
        request, case, cases.refuse, "已作出不予受理决定。", reasons=form.cleaned_data["reasons"]
    )


@require_POST
@role_required(WINDOW)
def case_deliver(request, pk):
    case = _case(request, pk)
    return _go(
        request,
        case,
        cases.deliver,
        "已登记送达。",
        method=request.POST.get("method", ""),
        note=request.POST.get("note", ""),
    )


# --- The bureau's tasks ---------------------------------------------------------------------


@role_required(STAFF)
def task_list(request):
    tab = request.GET.get("tab", "mine")
    if tab not in queries.tabs_for(request.user):
        tab = "mine"
    page = queries.task_page(request.user, tab, page_number(request.GET.get("page")))
    return render(
        request,
        "hall/cases/task_list.html",
        {
            "tab": tab,
            "tabs": _tabs(request.user),
            "page": page,
            "reminders": queries.reminders(request.user),
        },
    )


def _tabs(user):
    counts, cap = queries.task_counts(user), queries.COUNT_CAP
    return [
        {
            "key": k,
            "label": label,
            "count": counts[k],
            "shown": f"{cap}+" if counts[k] > cap else counts[k],
        }
        for k, label in queries.tabs_for(user).items()
    ]


def _task(case, task_pk) -> CaseTask:
    return get_object_or_404(CaseTask, pk=task_pk, case=case)


@require_POST
@role_required(STAFF)
def task_complete(request, pk, task_pk):
    case = _case(request, pk)
    decision = request.POST.get("decision", "")
    done = "已同意，办件转入下一环节。" if decision == "approve" else "已提交意见。"
    return _go(
        request,
        case,
        cases.complete,
        done,
        task=_task(case, task_pk),
        decision=decision,
        opinion=request.POST.get("opinion", ""),
    )


@require_POST
@role_required(STAFF)
def task_return(request, pk, task_pk):
    case = _case(request, pk)
    raw = request.POST.get("to_index", "")
    return _go(
        request,
        case,
        cases.return_to,
        "已退回。",
        task=_task(case, task_pk),
        to_index=int(raw) if raw.isdigit() else None,
        opinion=request.POST.get("opinion", ""),
    )


@require_POST
@role_required(STAFF)
def task_recall(request, pk, task_pk):
    case = _case(request, pk)
    return _go(request, case, cases.recall, "已撤回，请重新办理。", task=_task(case, task_pk))


@require_POST
@role_required(STAFF)
def task_claim(request, pk, task_pk):
    case = _case(request, pk)
    return _go(request, case, cases.claim, "已认领。", task=_task(case, task_pk))


@require_POST
@role_required(STAFF)
def task_delegate(request, pk, task_pk):
    case = _case(request, pk)
    raw = request.POST.get("to_user", "")
    to_user = get_user_model().objects.filter(pk=raw).first() if raw.isdigit() else None
    return _go(
        request,
        case,
        cases.delegate,
        f"已转办给{to_user}。",
        task=_task(case, task_pk),
        to_user=to_user,
        note=request.POST.get("note", ""),
    )


@require_POST
@role_required(cases.REASSIGN_TASKS)
def task_reassign(request, pk, task_pk):
    case = _case(request, pk)
    task = _task(case, task_pk)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请从列表中选择改派给谁（或退回角色待办）")
        return redirect("hall:case_detail", pk=case.pk)
    to_user = form.cleaned_data["to_user"]
    task.assignee_id = form.cleaned_data["assignee"]  # as the chief saw it on the page
    return _go(
        request,
        case,
        cases.reassign,
        f"已改派给{to_user}。" if to_user else "已退回角色待办。",
        task=task,
        to_user=to_user,
        reason=form.cleaned_data["reason"],
    )


@require_POST
@role_required(STAFF)
def case_suspend(request, pk):
    case = _case(request, pk)
    reason = request.POST.get("reason", "")
    return _go(request, case, cases.suspend, "已中止办理，时限暂停计算。", reason=reason)


@require_POST
@role_required(STAFF)
def case_resume(request, pk):
    case = _case(request, pk)
    return _go(request, case, cases.resume, "已恢复办理，办结日期已顺延。")


@require_POST
@role_required(STAFF)
def extension_request(request, pk):
    case = _case(request, pk)
    raw = request.POST.get("days", "")
    return _go(
        request,
        case,
        cases.request_extension,
        "延期申请已提交，等待科长或局领导审批。",
        days=int(raw) if raw.isdigit() else 0,
        reason=request.POST.get("reason", ""),
    )


@require_POST
@role_required(CHIEFS)
def extension_decide(request, pk, extension_pk):
    case = _case(request, pk)
    extension = get_object_or_404(Extension, pk=extension_pk, case=case)
    approve = request.POST.get("approve") == "1"
    return _go(
        request,
        case,
        cases.decide_extension,
        "已批准延期，延期通知书已生成。" if approve else "已驳回延期申请。",
        extension=extension,
        approve=approve,
    )


@role_required(CHIEFS)
def follow_ups(request):
    rows = queries.page_of(queries.bad_ratings_open(), page_number(request.GET.get("page")))
    queries.colour_rows(rows, due=lambda r: r.follow_up_due)
    return render(request, "hall/cases/follow_ups.html", {"page": rows})


@require_POST
@role_required(CHIEFS)
def follow_up(request, rating_pk):
    rating = get_object_or_404(Rating, pk=rating_pk)
    try:
        cases.follow_up(actor=request.user, rating=rating, note=request.POST.get("note", ""))
    except HallError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已登记办件{rating.case.number}的整改回访。")
    return redirect("hall:follow_ups")


# --- Public progress lookup -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def progress(request):
    """Anyone with the case number and its check code; 20 tries an hour per address and 10 per
    case number, and the same answer for a wrong number and a wrong code."""
    context = {"number": "", "error": ""}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:32]
        code = request.POST.get("code", "").strip()[:8]
        context["number"] = number
        by_address = throttle.hit(f"hall-progress:{throttle.client_ip(request)}", window=3600)
        by_case = throttle.hit(f"hall-progress-case:{number}", window=3600)
        case = None
        if by_address > LOOKUPS_PER_HOUR or by_case > LOOKUPS_PER_CASE:
            context["error"] = "查询过于频繁，请一小时后再试"
        else:
            case = _lookup(number, code)
            if case is None:
                context["error"] = "办件编号或查询码不正确"
        if case is None:
            status = 400
        else:
            context.update(_public_case(case))
    return render(request, "hall/cases/progress.html", context, status=status)


def _lookup(number, code):
    if not (number and code):
        return None
    case = Case.objects.select_related("item", "unit").filter(number=number).first()
    if case is None or not _same(case.check_code, code):
        return None
    return case


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _public_case(case):
    form = case.form or {}
    return {
        "case": case,
        "events": case.events.filter(public=True),
        "person": form.get("name", ""),
        "id_masked": idnumbers.mask_id(form.get("id_number", "")),
        "step": case.step() if case.status == CaseStatus.IN_PROGRESS else None,
    }
