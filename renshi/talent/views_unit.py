"""A unit's pages: its openings, résumé search, its contact requests; statistics for the bureau."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renshi.core.decorators import role_required
from renshi.talent import selectors, services, statistics
from renshi.talent.forms import ContactRequestForm, OpeningForm, ResumeSearchForm
from renshi.talent.models import Opening
from renshi.talent.roles import VIEW_STATS, unit_required
from renshi.talent.views import run


@unit_required
def unit_home(request):
    openings = (
        Opening.objects.filter(unit=request.unit)
        .annotate(requests=Count("contact_requests"))
        .order_by("-created_at", "-id")
    )
    return render(request, "talent/unit/home.html", {"openings": openings, "unit": request.unit})


@unit_required
def opening_edit(request, pk=None):
    opening = get_object_or_404(Opening, pk=pk, unit=request.unit) if pk else None
    form = OpeningForm(request.POST or None, instance=opening)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run(
            request, services.opening_save, "岗位已保存", form=form,
            unit=request.unit, opening=opening, **fields,
        )  # fmt: skip
        if saved:
            return redirect("talent:unit_home")
    context = {"form": form, "opening": opening, "unit": request.unit}
    return render(request, "talent/unit/opening_form.html", context)


@unit_required
@require_POST
def opening_publish(request, pk):
    run(request, services.opening_publish, "岗位已发布", unit=request.unit, opening_id=pk)
    return redirect("talent:unit_home")


@unit_required
@require_POST
def opening_close(request, pk):
    run(request, services.opening_close, "岗位已结束招聘", unit=request.unit, opening_id=pk)
    return redirect("talent:unit_home")


@unit_required
def resume_search(request):
    form = ResumeSearchForm(request.GET or None)
    rows = selectors.search_resumes(**form.cleaned_data) if form.is_valid() else []
    if not request.GET:
        rows = selectors.search_resumes()
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    asked = dict(selectors.unit_requests(request.unit).values_list("resume_id", "status"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "asked": asked, "query": query.urlencode()}
    return render(request, "talent/unit/resumes.html", context)


@unit_required
def resume_detail(request, pk):
    resume, contact_request = selectors.resume_for_unit(request.unit, pk)
    form = ContactRequestForm(request.POST or None, unit=request.unit)
    if request.method == "POST" and contact_request is None and form.is_valid():
        done = run(
            request, services.contact_request, "联系请求已发出，对方同意后可查看联系方式",
            form=form, unit=request.unit, resume_id=resume.pk, **form.cleaned_data,
        )  # fmt: skip
        if done:
            return redirect("talent:unit_resume", pk=resume.pk)
    context = {
        "resume": resume, "request_row": contact_request, "form": form,
        "contact": selectors.contact_of(contact_request),
    }  # fmt: skip
    return render(request, "talent/unit/resume.html", context)


@unit_required
def unit_requests(request):
    context = {"requests": selectors.unit_requests(request.unit), "unit": request.unit}
    return render(request, "talent/unit/requests.html", context)


@role_required(VIEW_STATS)
def stats(request):
    return render(request, "talent/stats.html", {"stats": statistics.intake()})
