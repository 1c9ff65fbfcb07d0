from django.shortcuts import get_object_or_404, render

from renshi.core.decorators import role_required
from renshi.core.models import CodeTable
from renshi.core.roles import MANAGE_CONFIG


@role_required(MANAGE_CONFIG)
def code_tables(request):
    tables = CodeTable.objects.order_by("key")
    table = None
    if key := request.GET.get("table"):
        table = get_object_or_404(CodeTable, key=key)
    items = table.items.order_by("sort", "code") if table else []
    return render(
        request, "core/code_tables.html", {"tables": tables, "table": table, "items": items}
    )
