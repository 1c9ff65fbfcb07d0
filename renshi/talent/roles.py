"""Who does what in the talent market: units through their clerk, statistics for bureau staff."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from renshi.core.roles import BUREAU_ROLES, Role, has_role
from renshi.personnel.selectors import scope_unit

VIEW_STATS = BUREAU_ROLES


def unit_of(request):
    """The unit a logged-in clerk acts for, or None."""
    user = request.user
    if has_role(user, {Role.UNIT_CLERK}):
        return scope_unit(user)
    return None


def unit_required(view):
    """A unit's personnel clerk bound to a unit; everyone else gets 404."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        unit = unit_of(request)
        if unit is None:
            raise Http404
        request.unit = unit
        return view(request, *args, **kwargs)

    return wrapper
