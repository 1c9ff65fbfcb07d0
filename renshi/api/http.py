"""JSON responses, errors and pagination shared by every API view."""

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class ApiError(Exception):
    """Translated at the edge into `{"error": {"code", "message"}}` with this status."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def json_response(data, status=200, **kwargs) -> JsonResponse:
    return JsonResponse(
        data,
        status=status,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
        **kwargs,
    )


def error_response(status: int, code: str, message: str) -> JsonResponse:
    response = json_response({"error": {"code": code, "message": message}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="renshi"'
    return response


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def int_param(params, name: str, label: str, *, default=None, low=1, high=None):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bound = f"{low}到{high}之间" if high is not None else f"不小于{low}"
        raise bad_request(f"参数{name}（{label}）应为{bound}的整数，收到「{raw}」")
    return value


def paginate(request, queryset) -> tuple[list, dict]:
    """One page of objects and the envelope around it (two queries: count and slice)."""
    size = int_param(
        request.GET, "page_size", "每页条数", default=DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE
    )
    number = int_param(request.GET, "page", "页码", default=1)
    paginator = Paginator(queryset, size)
    if number > paginator.num_pages:
        raise bad_request(f"页码{number}超出范围，共{paginator.num_pages}页")
    page = paginator.page(number)
    envelope = {
        "count": paginator.count,
        "page": number,
        "page_size": size,
        "num_pages": paginator.num_pages,
        "next": _page_url(request, number + 1) if page.has_next() else None,
        "previous": _page_url(request, number - 1) if page.has_previous() else None,
    }
    return list(page.object_list), envelope


def _page_url(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
