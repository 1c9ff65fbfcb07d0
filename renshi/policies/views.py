"""Pages of the policy library: public (list, search, document, 网上说法) and staff (/manage/)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import Role
from renshi.policies import search, selectors, services
from renshi.policies.forms import AttachmentForm, LinkForm, PolicyForm, RepealForm, StudyForm
from renshi.policies.models import Level, Policy, StudyArticle, Validity
from renshi.policies.services import PolicyError

EDIT_POLICIES = frozenset({Role.WEB_EDITOR, Role.SECTION_CHIEF})


def index(request):
    filters = selectors.parse_filters(request.GET)
    q = request.GET.get("q", "")[:100]
    results = selectors.policy_search(q=q, filters=filters, page_number=request.GET.get("page"))
    for error in filters.errors:
        messages.warning(request, error)
    context = {
        "q": q,
        "filters": filters,
        "results": results,
        "page": results.page,
        "levels": Level.choices,
        "validities": Validity.choices,
        "issuers": selectors.issuers(),
        "scan_limit": search.SINGLE_CHAR_SCAN_LIMIT,
    }
    return render(request, "policies/index.html", context)


def detail(request, pk):
    policy = selectors.policy_detail(pk)
    return render(request, "policies/detail.html", {"policy": policy})


def study_list(request):
    page = Paginator(selectors.public_study(), 20).get_page(request.GET.get("page"))
    return render(request, "policies/study_list.html", {"page": page})


def study_detail(request, pk):
    article = selectors.study_detail(pk)
    return render(request, "policies/study_detail.html", {"article": article})


# --- staff -----------------------------------------------------------------------------------


def _add_error(form, error: PolicyError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(EDIT_POLICIES)
def manage_list(request):
    q = request.GET.get("q", "").strip()[:100]
    policies = Policy.objects.only(
        "id", "title", "doc_number", "level", "validity", "status", "published_on"
    )
    if q:
        policies = policies.filter(title__icontains=q)
    page = Paginator(policies, 50).get_page(request.GET.get("page"))
    return render(request, "policies/manage_list.html", {"page": page, "q": q})


@role_required(EDIT_POLICIES)
def manage_edit(request, pk=None):
    policy = get_object_or_404(Policy, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if policy:
                policy = services.policy_update(actor=request.user, policy=policy, **data)
            else:
                policy = services.policy_create(actor=request.user, **data)
        except PolicyError as error:
            _add_error(form, error)
        else:
            messages.success(request, "文件已保存。")
            return redirect("policies:manage_detail", pk=policy.pk)
    return render(request, "policies/manage_edit.html", {"form": form, "policy": policy})


@role_required(EDIT_POLICIES)
def manage_detail(request, pk):
    policy = get_object_or_404(
        Policy.objects.prefetch_related("links_out__target", "links_in__source", "attachments"),
        pk=pk,
    )
    context = {
        "policy": policy,
        "repeal_form": RepealForm(),
        "link_form": LinkForm(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "policies/manage_detail.html", context)


def _act(request, pk, service, done, **kwargs):
    policy = get_object_or_404(Policy, pk=pk)
    try:
        service(actor=request.user, policy=policy, **kwargs)
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("policies:manage_detail", pk=pk)


@require_POST
@role_required(EDIT_POLICIES)
def manage_publish(request, pk):
    return _act(request, pk, services.policy_publish, "文件已发布。")


@require_POST
@role_required(EDIT_POLICIES)
def manage_withdraw(request, pk):
    return _act(request, pk, services.policy_withdraw, "文件已撤回为草稿。")


def _form_errors(form) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}{v[0]}" for k, v in form.errors.items()
    )


@require_POST
@role_required(EDIT_POLICIES)
def manage_repeal(request, pk):
    form = RepealForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未废止：{_form_errors(form)}")
        return redirect("policies:manage_detail", pk=pk)
    return _act(request, pk, services.policy_repeal, "文件已标为已废止。", **form.cleaned_data)


@require_POST
@role_required(EDIT_POLICIES)
def manage_link(request, pk):
    source = get_object_or_404(Policy, pk=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未建立关系：{_form_errors(form)}")
        return redirect("policies:manage_detail", pk=pk)
    target = Policy.objects.filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        messages.error(request, f"未建立关系：没有 ID 为 {form.cleaned_data['target']} 的文件")
        return redirect("policies:manage_detail", pk=pk)
    try:
        services.link_add(
            actor=request.user, source=source, target=target, kind=form.cleaned_data["kind"]
        )
    except PolicyError as error:
        messages.error(request, f"未建立关系：{error.message}")
    else:
        messages.success(request, f"已建立关系，《{target.title}》的时效性已更新。")
    return redirect("policies:manage_detail", pk=pk)


@require_POST
@role_required(EDIT_POLICIES)
def manage_attach(request, pk):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未上传：{_form_errors(form)}")
        return redirect("policies:manage_detail", pk=pk)
    return _act(request, pk, services.attachment_add, "附件已上传。", **form.cleaned_data)


@role_required(EDIT_POLICIES)
def manage_study_list(request):
    page = Paginator(StudyArticle.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "policies/manage_study_list.html", {"page": page})


@role_required(EDIT_POLICIES)
def manage_study_edit(request, pk=None):
    article = get_object_or_404(StudyArticle, pk=pk) if pk else None
    form = StudyForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            article = services.study_save(
                actor=request.user,
                article=article,
                policies=form.cleaned_data["policies"],
                **data,
            )
        except PolicyError as error:
            _add_error(form, error)
        else:
            messages.success(request, "文章已保存。")
            return redirect("policies:manage_study_list")
    return render(request, "policies/manage_study_edit.html", {"form": form, "article": article})


@require_POST
@role_required(EDIT_POLICIES)
def manage_study_publish(request, pk):
    article = get_object_or_404(StudyArticle, pk=pk)
    publish = request.POST.get("publish", "1") == "1"
    try:
        services.study_publish(actor=request.user, article=article, publish=publish)
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "文章已发布。" if publish else "文章已撤回。")
    return redirect("policies:manage_study_list")
