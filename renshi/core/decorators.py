import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from renshi.core.roles import has_role


def role_required(roles):
    """Only these roles; everyone else gets 404 (an outsider learns nothing about the page)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
