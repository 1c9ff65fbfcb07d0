from django.contrib.auth.decorators import login_required
from django.http import Http404

from renshi.personnel.selectors import can_read_personnel


def personnel_reader(view):
    """Logged in and allowed to read the personnel database at all (else 404)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_read_personnel(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper
