from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renshi.personnel import selectors
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import RECORD_MODELS
from renshi.personnel.record_forms import EDITABLE_KINDS, LABELS, form_for
from renshi.personnel.services import people as people_services
from renshi.personnel.views.common import personnel_reader
from renshi.personnel.views.forms import run_form


def _editable_person(request, pk, kind):
    person = selectors.get_person_for(request.user, pk)
    if kind not in EDITABLE_KINDS or not selectors.can_edit_person(request.user, person):
        raise Http404
    return person


@personnel_reader
@require_http_methods(["GET", "POST"])
def record_add(request, pk, kind):
    person = _editable_person(request, pk, kind)
    form = form_for(kind, units=selectors.visible_units(request.user))(request.POST or None)
    back = reverse("personnel:person_detail", args=[person.pk])
    return run_form(
        request,
        form,
        lambda data: people_services.record_add(
            actor=request.user, person=person, record_type=kind, **data
        ),
        title=f"{person.name} · 新增{LABELS[kind]}",
        cancel_url=back,
        success=f"已新增{LABELS[kind]}记录。",
        done_url=back,
    )


@personnel_reader
@require_http_methods(["GET", "POST"])
def record_edit(request, pk, kind, record_id):
    person = _editable_person(request, pk, kind)
    record = get_object_or_404(RECORD_MODELS[kind], pk=record_id, person=person)
    form_class = form_for(kind, units=selectors.visible_units(request.user))
    form = form_class(request.POST or None, instance=record)
    back = reverse("personnel:person_detail", args=[person.pk])
    original = RECORD_MODELS[kind].objects.get(pk=record.pk)

    def save(data):
        return people_services.record_update(actor=request.user, record=original, **data)

    return run_form(
        request,
        form,
        save,
        title=f"{person.name} · 更正{LABELS[kind]}",
        cancel_url=back,
        success=f"已更正{LABELS[kind]}记录。",
        done_url=back,
    )


@personnel_reader
@require_POST
def record_delete(request, pk, kind, record_id):
    person = _editable_person(request, pk, kind)
    record = get_object_or_404(RECORD_MODELS[kind], pk=record_id, person=person)
    try:
        people_services.record_delete(actor=request.user, record=record)
    except PersonnelError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已删除{LABELS[kind]}记录。")
    return redirect("personnel:person_detail", pk=person.pk)
