from django.http import Http404

from renshi.personnel.views.common import personnel_reader


@personnel_reader
def appointment_form(request, *args, **kwargs):
    raise Http404  # not built yet
