"""Pages of the item catalogue: public (anyone, like an ATM menu) and staff (versions, drafts)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import Role
from renshi.hall import definitions, selectors, services
from renshi.hall.errors import HallError
from renshi.hall.forms import ImportForm, ItemForm, VersionForm
from renshi.hall.models import ItemVersion, ServiceItem, VersionStatus
from renshi.hall.roles import EDIT_ITEMS, PUBLISH_ITEMS

ROLE_NAMES = dict(Role.choices)


def _steps_with_names(version):
    return [
        {
            **s,
            "role_name": ROLE_NAMES.get(s["role"], s["role"]),
            "sign_name": definitions.SIGN_MODES[s["sign_mode"]],
        }
        for s in version.steps
    ]


# --- Public ---------------------------------------------------------------------------------


def item_list(request):
    return render(request, "hall/item_list.html", {"items": list(selectors.published_items())})


def item_detail(request, code):
    item, version = selectors.published_item(code)
    return render(
        request,
        "hall/item_detail.html",
        {"item": item, "version": version, "steps": _steps_with_names(version)},
    )


# --- Staff ----------------------------------------------------------------------------------


@role_required(EDIT_ITEMS)
def manage_list(request):
    return render(request, "hall/manage_list.html", {"items": selectors.items_for_staff()})


@role_required(EDIT_ITEMS)
def item_new(request):
    form = ItemForm(request.POST or None, initial={"fee": "不收费"})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.item_create(actor=request.user, **form.cleaned_data)
        except HallError as e:
            for message in e.errors:
                form.add_error(e.field if e.field in form.fields else None, message)
        else:
            messages.success(request, "事项已创建（草稿 v1）。")
            return redirect("hall:version_detail", pk=version.pk)
    return render(request, "hall/version_edit.html", {"form": form, "title": "新建事项"})


@role_required(EDIT_ITEMS)
def item_versions(request, code):
    item = get_object_or_404(ServiceItem, code=code)
    return render(
        request,
        "hall/item_versions.html",
        {
            "item": item,
            "versions": item.versions.order_by("-number"),
            "can_publish": request.user.role in PUBLISH_ITEMS,
        },
    )


@role_required(EDIT_ITEMS)
def version_detail(request, pk):
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=pk)
    return render(
        request,
        "hall/version_detail.html",
        {
            "item": version.item,
            "version": version,
            "steps": _steps_with_names(version),
            "can_publish": request.user.role in PUBLISH_ITEMS,
            "others": version.item.versions.exclude(pk=version.pk).order_by("-number"),
        },
    )


@role_required(EDIT_ITEMS)
def version_edit(request, pk):
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=pk)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, "只有草稿可以修改")
        return redirect("hall:version_detail", pk=version.pk)
    form = VersionForm(request.POST or None, initial=version.content())
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=request.user, version=version, **form.cleaned_data)
        except HallError as e:
            for message in e.errors:
                form.add_error(None, message)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("hall:version_detail", pk=version.pk)
    return render(
        request, "hall/version_edit.html", {"form": form, "item": version.item, "version": version}
    )


def _action(request, pk, service, done):
    version = get_object_or_404(ItemVersion, pk=pk)
    try:
        version = service(actor=request.user, version=version)
    except HallError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("hall:version_detail", pk=version.pk)


@require_POST
@role_required(EDIT_ITEMS)
def version_new_draft(request, pk):
    return _action(request, pk, services.version_draft_from, "已从发布版本复制新草稿。")


@require_POST
@role_required(EDIT_ITEMS)
def version_submit(request, pk):
    return _action(request, pk, services.version_submit, "已提交审核。")


@require_POST
@role_required(PUBLISH_ITEMS)
def version_return(request, pk):
    return _action(request, pk, services.version_return, "已退回修改。")


@require_POST
@role_required(PUBLISH_ITEMS)
def version_publish(request, pk):
    return _action(request, pk, services.version_publish, "已发布；原发布版本已停用。")


@role_required(EDIT_ITEMS)
def version_diff(request, pk, other):
    new = get_object_or_404(ItemVersion.objects.select_related("item"), pk=pk)
    old = get_object_or_404(ItemVersion, pk=other)
    if old.item_id != new.item_id:
        raise Http404
    changes = definitions.diff(old.content(), new.content())
    return render(
        request,
        "hall/version_diff.html",
        {"item": new.item, "old": old, "new": new, "changes": changes},
    )


def _download(text, name):
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(EDIT_ITEMS)
def export_all(request):
    return _download(services.yaml_export(), "service-items.yaml")


@role_required(EDIT_ITEMS)
def export_item(request, code):
    item = get_object_or_404(ServiceItem, code=code)
    return _download(services.yaml_export(item), f"{item.code}.yaml")


@role_required(EDIT_ITEMS)
def import_yaml(request):
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            versions = services.yaml_import(actor=request.user, text=form.cleaned_data["text"])
        except HallError as e:
            for message in e.errors:
                form.add_error("text", message)
        else:
            messages.success(request, f"已导入 {len(versions)} 个事项（新内容保存为草稿）。")
            return redirect("hall:manage_list")
    return render(request, "hall/import.html", {"form": form})
