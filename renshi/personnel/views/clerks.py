"""The security administrator binds a unit HR clerk to a unit (scope: it and its sub-units)."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renshi.core.audit import audit_record
from renshi.core.decorators import role_required
from renshi.core.models import User
from renshi.core.roles import MANAGE_ROLES, Role
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import Unit, UserScope
from renshi.personnel.views.forms import run_form


class ScopeForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.filter(is_active=True))


@transaction.atomic
def clerk_scope_set(*, actor, user, unit) -> UserScope:
    if user.role != Role.UNIT_CLERK:
        raise PersonnelError("只有单位人事专员需要绑定单位", field="unit")
    old = UserScope.objects.filter(user=user).select_related("unit").first()
    scope, _ = UserScope.objects.update_or_create(user=user, defaults={"unit": unit})
    audit_record(
        actor=actor,
        action="user.scope",
        obj=user,
        unit_id=unit.pk,
        before={"unit": old.unit.name} if old else None,
        after={"unit": unit.name},
    )
    return scope


@role_required(MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def clerk_scope(request, user_id):
    user = get_object_or_404(User, pk=user_id)
    current = UserScope.objects.filter(user=user).first()
    form = ScopeForm(request.POST or None, initial={"unit": current.unit_id if current else None})
    return run_form(
        request,
        form,
        lambda d: clerk_scope_set(actor=request.user, user=user, unit=d["unit"]),
        title=f"{user} · 绑定单位",
        cancel_url=reverse("user_list"),
        success="已绑定单位。",
        done_url=reverse("user_list"),
        intro="单位人事专员只能查看和维护所属单位及其下级单位的人员。",
    )
