import functools
import logging

from django.core import signals
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from renshi.api.http import ApiError, error_response
from renshi.api.services import api_token_check
from renshi.personnel.selectors import can_read_personnel

logger = logging.getLogger("renshi.api")
NOT_FOUND = "未找到该资源，或您的令牌无权访问"


def json_errors(view):
    """Every failure under /api/ answers in JSON, never with an HTML page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApiError as e:
            return error_response(e.status, e.code, e.message)
        except Http404:
            return error_response(404, "not_found", NOT_FOUND)
        except Exception:
            # Same signal Django sends for an uncaught exception (the test client re-raises it).
            signals.got_request_exception.send(sender=None, request=request)
            logger.exception("API error on %s", request.path)
            return error_response(500, "server_error", "服务器内部错误，请稍后重试或联系管理员")

    return wrapper


def _bearer(request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def api_get(*, personnel=True, auth=True):
    """GET only, JSON errors, bearer token acting as its user (personnel readers only)."""

    def decorator(view):
        @csrf_exempt  # token authentication: no cookies are trusted, and only GET is served
        @json_errors
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                response = error_response(
                    405, "method_not_allowed", f"接口只支持GET请求，不支持{request.method}"
                )
                response["Allow"] = "GET, HEAD"
                return response
            if auth:
                token = api_token_check(_bearer(request))
                if token is None:
                    raise ApiError(
                        401,
                        "unauthorized",
                        "缺少或无效的访问令牌，请在Authorization头中提供Bearer令牌",
                    )
                request.api_token = token
                request.user = token.user
                if personnel and not can_read_personnel(token.user):
                    raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@csrf_exempt
@json_errors
def not_found(request, *args, **kwargs):
    raise Http404
