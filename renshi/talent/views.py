"""Public talent-market pages and the job seeker's own pages (résumé, contact requests)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renshi.core import pagecache
from renshi.core.roles import has_role
from renshi.exams.views.apply import candidate_required
from renshi.talent import selectors, services
from renshi.talent.errors import TalentError
from renshi.talent.forms import OpeningSearchForm, ResumeForm
from renshi.talent.models import Resume
from renshi.talent.roles import VIEW_STATS, unit_of


def run(request, action, success, form=None, **kwargs):
    """Call a service; a broken rule becomes the user's message (or the form field's error)."""
    try:
        result = action(actor=request.user, **kwargs)
    except TalentError as e:
        if form is not None and e.field in form.fields:
            form.add_error(e.field, e.message)
        else:
            messages.error(request, e.message)
        return None
    messages.success(request, success)
    return result


# Visitors without a session share these pages for a minute (core.pagecache; a unit's change
# to its openings drops them); a logged-in clerk's page (links for the unit) is always fresh.
shared = pagecache.shared_page(60, scope=services.PAGES)


@shared
def index(request):
    form = OpeningSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.search_openings(**{k: v or "" for k, v in filters.items()})
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "unit": unit_of(request),
        "stats": has_role(request.user, VIEW_STATS),
        "secretary": selectors.organisations_led_by(request.user).exists(),
    }  # fmt: skip
    return render(request, "talent/index.html", context)


@shared
def opening_detail(request, pk):
    opening = selectors.public_opening(pk, unit_of(request))
    return render(request, "talent/opening.html", {"opening": opening})


@candidate_required
def resume_edit(request):
    resume = Resume.objects.filter(candidate=request.candidate).first()
    form = ResumeForm(request.POST or None, instance=resume)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run(request, services.resume_save, "简历已保存", candidate=request.candidate, **fields):
            return redirect("talent:resume_edit")
    if resume is not None:
        resume.refresh_from_db()  # the form wrote its values onto the instance
    context = {"form": form, "resume": resume, "candidate": request.candidate}
    return render(request, "talent/me/resume.html", context)


@candidate_required
def my_requests(request):
    context = {"requests": selectors.requests_to(request.candidate)}
    return render(request, "talent/me/requests.html", context)


@candidate_required
@require_POST
def request_answer(request, pk, answer):
    if answer not in ("accept", "decline"):
        raise Http404
    accept = answer == "accept"
    success = "已同意，对方单位现在可以看到您的联系方式" if accept else "已婉拒该单位的联系请求"
    run(
        request, services.contact_answer, success,
        candidate=request.candidate, request_id=pk, accept=accept,
    )  # fmt: skip
    return redirect("talent:my_requests")
