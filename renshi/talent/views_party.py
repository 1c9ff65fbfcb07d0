"""Mobile party members (流动党员): the member's page and the organisation secretary's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renshi.exams.views.apply import candidate_required
from renshi.talent import selectors, services
from renshi.talent.forms import (
    CheckInForm,
    MemberRegisterForm,
    MemberUpdateForm,
    PartyNoticeForm,
)
from renshi.talent.models import MemberStatus, PartyNotice, period_label
from renshi.talent.views import run


@candidate_required
def member_home(request):
    member = selectors.member_of(request.user)
    if member is None:
        return _register(request)
    organisation = member.organisation
    period = organisation.current_period()
    checkin_form = CheckInForm(request.POST if "kind" in request.POST else None)
    update_form = MemberUpdateForm(
        request.POST if "employer" in request.POST else None,
        initial={"city": member.city, "employer": member.employer},
    )
    if request.method == "POST":
        if checkin_form.is_bound and checkin_form.is_valid():
            done = run(
                request, services.checkin_submit, f"{period_label(period)}的汇报已提交",
                form=checkin_form, member=member, **checkin_form.cleaned_data,
            )  # fmt: skip
            if done:
                return redirect("talent:party_home")
        elif update_form.is_bound and update_form.is_valid():
            done = run(
                request,
                services.member_update,
                "登记信息已更新",
                member=member,
                **update_form.cleaned_data,
            )
            if done:
                return redirect("talent:party_home")
    active = member.status == MemberStatus.ACTIVE
    context = {
        "member": member, "period": period, "period_label": period_label(period),
        "checkins": member.checkins.all(),
        "reported": member.checkins.filter(period=period).first(),
        "notices": organisation.notices.all()[:20] if active else [],
        "checkin_form": checkin_form, "update_form": update_form,
    }  # fmt: skip
    return render(request, "talent/party/member.html", context)


def _register(request):
    form = MemberRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run(
            request, services.member_register, "登记已提交，等待党组织确认", form=form,
            candidate=request.candidate, **form.cleaned_data,
        )  # fmt: skip
        if done:
            return redirect("talent:party_home")
    return render(request, "talent/party/register.html", {"form": form})


def notice_attachment(request, pk):
    """Members of the organisation and its secretary; anyone else gets 404."""
    notice = get_object_or_404(PartyNotice.objects.select_related("organisation"), pk=pk)
    member = selectors.member_of(request.user)
    is_member = (
        member is not None
        and member.organisation_id == notice.organisation_id
        and member.status == MemberStatus.ACTIVE
    )
    if (
        not (is_member or notice.organisation.secretary_id == request.user.pk)
        or not notice.attachment
    ):
        raise Http404
    return FileResponse(
        notice.attachment.open("rb"), as_attachment=True, filename=notice.attachment_name
    )


@login_required
def secretary_home(request):
    organisations = list(selectors.organisations_led_by(request.user))
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return redirect("talent:party_org", pk=organisations[0].pk)
    return render(request, "talent/party/organisations.html", {"organisations": organisations})


@login_required
def organisation(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    period = organisation.current_period()
    members = organisation.members.all()
    reported = set(members.filter(checkins__period=period).values_list("pk", flat=True))
    context = {
        "organisation": organisation, "period_label": period_label(period),
        "counts": selectors.report_counts(organisation, period),
        "unreported": selectors.unreported_members(organisation, period),
        "members": members, "reported": reported,
        "notices": organisation.notices.all()[:20],
        "notice_form": PartyNoticeForm(),
        "show": request.GET.get("show", ""),
    }  # fmt: skip
    return render(request, "talent/party/organisation.html", context)


@login_required
@require_POST
def member_decide(request, pk, member_pk, answer):
    organisation = selectors.organisation_for(request.user, pk)
    if answer not in ("accept", "decline"):
        raise Http404
    accept = answer == "accept"
    run(
        request, services.member_decide, "已确认登记" if accept else "已退回登记",
        organisation=organisation, member_id=member_pk, accept=accept,
    )  # fmt: skip
    return redirect("talent:party_org", pk=pk)


@login_required
@require_POST
def remind(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    count = services.remind_unreported(actor=request.user, organisation=organisation)
    if count:
        messages.success(request, f"已向{count}名未汇报的党员发送提醒短信")
    else:
        messages.info(request, "本期所有已确认的党员均已汇报，无需提醒")
    return redirect("talent:party_org", pk=pk)


@login_required
def notice_new(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    form = PartyNoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = run(
            request, services.notice_post, "通知已发布", form=form,
            organisation=organisation, **form.cleaned_data,
        )  # fmt: skip
        if done:
            return redirect("talent:party_org", pk=pk)
    return render(
        request, "talent/party/notice_form.html", {"organisation": organisation, "form": form}
    )


@login_required
def checkins(request, pk, member_pk):
    organisation = selectors.organisation_for(request.user, pk)
    member = get_object_or_404(organisation.members, pk=member_pk)
    context = {"organisation": organisation, "member": member, "checkins": member.checkins.all()}
    return render(request, "talent/party/checkins.html", context)
