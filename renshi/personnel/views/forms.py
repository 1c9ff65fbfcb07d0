"""Shared helper: render a form page, call a service, translate its error onto the form."""

from django.contrib import messages
from django.shortcuts import redirect, render

from renshi.personnel.errors import PersonnelError


def run_form(request, form, action, *, title, cancel_url, success, done_url, intro=""):
    """If the form is valid, run `action(cleaned_data)`; a PersonnelError goes back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except PersonnelError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, success)
            return redirect(done_url(result) if callable(done_url) else done_url)
    return render(
        request,
        "personnel/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro},
    )
