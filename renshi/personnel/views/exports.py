from django.http import FileResponse
from django.utils import timezone

from renshi.core import roles
from renshi.personnel import exports, selectors
from renshi.personnel.views.common import personnel_reader

IGNORED_PARAMS = ("page", "reveal", "codes")


@personnel_reader
def person_export(request):
    """The person list as filtered on the list page, as .xlsx; full numbers only on request."""
    people = selectors.search_people(request.user, request.GET)
    reveal = request.GET.get("reveal") == "1" and roles.has_role(
        request.user, roles.REVEAL_PERSONAL_DATA
    )
    params = request.GET.copy()
    for name in IGNORED_PARAMS:
        params.pop(name, None)
    output, _ = exports.people_export(
        actor=request.user,
        people=people,
        filters=params.urlencode(safe="/"),
        reveal=reveal,
        as_codes=request.GET.get("codes") == "1",
    )
    name = f"人员信息_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=name)
