"""The web editors' pages: write, publish, withdraw; attachments; visit counts."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core.decorators import role_required
from renshi.portal import selectors, services, visits
from renshi.portal.forms import ArticleForm, AttachmentForm, WithdrawForm
from renshi.portal.models import Article, ArticleStatus, Attachment
from renshi.portal.roles import EDIT_SITE
from renshi.portal.services import PortalError

PER_PAGE = 30


def _apply_error(form, error: PortalError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(EDIT_SITE)
def manage_list(request):
    articles = Article.objects.select_related("category").order_by("-updated_at", "-id")
    status = request.GET.get("status", "")
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ArticleStatus.choices}
    return render(request, "portal/manage/list.html", context)


def _content(form) -> dict:
    data = form.cleaned_data
    return {
        "category_id": data["category"].pk,
        "title": data["title"],
        "body": data["body"],
        "source": data["source"],
    }


@role_required(EDIT_SITE)
@require_http_methods(["GET", "POST"])
def article_new(request):
    form = ArticleForm(request.POST or None, initial={"source": "鞍山市人事局"})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **_content(form))
        except PortalError as e:
            _apply_error(form, e)
        else:
            messages.success(request, "草稿已保存")
            return redirect("portal:manage_edit", article.pk)
    status = 400 if form.errors else 200
    return render(request, "portal/manage/edit.html", {"form": form}, status=status)


@role_required(EDIT_SITE)
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    article = get_object_or_404(Article.objects.select_related("category"), pk=pk)
    initial = {
        "category": article.category,
        "title": article.title,
        "source": article.source,
        "body": article.body,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, **_content(form))
        except PortalError as e:
            _apply_error(form, e)
        else:
            messages.success(request, "已保存")
            return redirect("portal:manage_edit", article.pk)
    context = {
        "form": form,
        "article": article,
        "attachments": list(article.attachments.all()),
        "attachment_form": AttachmentForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "portal/manage/edit.html", context, status=400 if form.errors else 200)


def _act(request, article, action, success: str):
    try:
        action()
    except PortalError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)
    return redirect("portal:manage_edit", article.pk)


@role_required(EDIT_SITE)
@require_POST
def article_publish(request, pk):
    article = get_object_or_404(Article, pk=pk)
    return _act(
        request,
        article,
        lambda: services.article_publish(actor=request.user, article=article),
        "已发布到网站",
    )


@role_required(EDIT_SITE)
@require_POST
def article_withdraw(request, pk):
    article = get_object_or_404(Article, pk=pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        article,
        lambda: services.article_withdraw(actor=request.user, article=article, reason=reason),
        "已从网站撤回",
    )


@role_required(EDIT_SITE)
@require_POST
def attachment_add(request, pk):
    article = get_object_or_404(Article, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的附件")
        return redirect("portal:manage_edit", article.pk)
    return _act(
        request,
        article,
        lambda: services.attachment_add(actor=request.user, article=article, upload=upload),
        f"附件「{upload.name}」已上传",
    )


@role_required(EDIT_SITE)
@require_POST
def attachment_remove(request, pk):
    item = get_object_or_404(Attachment.objects.select_related("article"), pk=pk)
    return _act(
        request,
        item.article,
        lambda: services.attachment_remove(actor=request.user, attachment=item),
        f"附件「{item.name}」已删除",
    )


@role_required(EDIT_SITE)
def visit_stats(request):
    visits.flush()
    return render(request, "portal/manage/visits.html", selectors.visit_totals())
