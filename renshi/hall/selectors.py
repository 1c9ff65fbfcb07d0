"""Read-side queries for the service hall."""

from django.db.models import Prefetch
from django.http import Http404

from renshi.hall.models import ItemVersion, ServiceItem, VersionStatus


def published_items():
    """Active items that have a published version, each with `.published` set (two queries)."""
    published = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    items = (
        ServiceItem.objects.filter(active=True, versions__status=VersionStatus.PUBLISHED)
        .prefetch_related(Prefetch("versions", queryset=published, to_attr="published_list"))
        .order_by("section", "code")
    )
    for item in items:
        item.published = item.published_list[0]
        yield item


def published_item(code) -> tuple[ServiceItem, ItemVersion]:
    version = (
        ItemVersion.objects.select_related("item")
        .filter(item__code=code, item__active=True, status=VersionStatus.PUBLISHED)
        .first()
    )
    if version is None:
        raise Http404
    return version.item, version


def items_for_staff():
    """Every item with its versions (newest first) for the management list."""
    return ServiceItem.objects.prefetch_related("versions").order_by("code")
