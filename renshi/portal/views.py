"""Public pages of the site (no login, phones first, nothing loaded from other hosts)."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from renshi.portal import selectors
from renshi.portal.models import ArticleStatus, Attachment
from renshi.portal.pages import anonymous_cached

PER_PAGE = 20


@require_GET
@anonymous_cached
def home(request):
    return render(request, "portal/home.html", selectors.home())


@require_GET
@anonymous_cached
def category(request, slug):
    column = selectors.category_by_slug(slug)
    page = Paginator(selectors.category_items(column), PER_PAGE).get_page(request.GET.get("page"))
    context = {"category": column, "page": page, "categories": selectors.categories()}
    return render(request, "portal/category.html", context)


@require_GET
@anonymous_cached
def article(request, pk):
    item = selectors.public_article(pk)
    context = {
        "article": item,
        "attachments": list(item.attachments.all()),
        "categories": selectors.categories(),
    }
    return render(request, "portal/article.html", context)


@require_GET
def attachment(request, pk):
    """Attachments of published articles only (a draft's files are not public)."""
    item = get_object_or_404(Attachment.objects.select_related("article"), pk=pk)
    if item.article.status != ArticleStatus.PUBLISHED:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
