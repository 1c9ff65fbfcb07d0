"""Reads with visibility rules: public openings, résumés for units, contact once accepted."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from renshi.core import crypto
from renshi.talent.models import (
    ContactRequest,
    MemberStatus,
    MobileMember,
    Opening,
    OpeningStatus,
    PartyOrganisation,
    RequestStatus,
    Resume,
    Visibility,
    education_at_least,
    education_at_most,
)


def open_openings(today=None):
    today = today or timezone.localdate()
    return Opening.objects.filter(status=OpeningStatus.PUBLISHED, closes_on__gte=today)


def search_openings(*, q="", education="", major="", location="", today=None):
    """Openings a seeker can apply to: education = the seeker's level (requirement at most it)."""
    rows = open_openings(today).select_related("unit")
    for word in q.split():
        rows = rows.filter(
            Q(title__icontains=word) | Q(description__icontains=word)
            | Q(unit__name__icontains=word) | Q(major__icontains=word)
        )  # fmt: skip
    if education:
        rows = rows.filter(Q(education="") | Q(education__in=education_at_most(education)))
    if major:
        rows = rows.filter(Q(major="") | Q(major__icontains=major))
    if location:
        rows = rows.filter(location__icontains=location)
    return rows.order_by("-published_at", "-id")


def public_opening(pk, unit=None) -> Opening:
    """Published and closed openings for everyone; drafts only for their own unit."""
    opening = Opening.objects.select_related("unit").filter(pk=pk).first()
    if opening is None:
        raise Http404
    if opening.status == OpeningStatus.DRAFT and (unit is None or opening.unit_id != unit.pk):
        raise Http404
    return opening


def search_resumes(*, q="", education="", major="", experience=None):
    """Public résumés only; education and experience are minimums."""
    rows = Resume.objects.filter(visibility=Visibility.PUBLIC).select_related("candidate")
    for word in q.split():
        rows = rows.filter(
            Q(desired_title__icontains=word) | Q(skills__icontains=word)
            | Q(summary__icontains=word) | Q(major__icontains=word)
        )  # fmt: skip
    if education:
        rows = rows.filter(education__in=education_at_least(education))
    if major:
        rows = rows.filter(major__icontains=major)
    if experience:
        rows = rows.filter(experience_years__gte=experience)
    return rows.order_by("-updated_at", "-id")


def resume_for_unit(unit, pk) -> tuple[Resume, ContactRequest | None]:
    """A public résumé, or one this unit already asked about; anything else is a 404."""
    resume = Resume.objects.select_related("candidate").filter(pk=pk).first()
    request = None
    if resume is not None:
        request = ContactRequest.objects.filter(unit=unit, resume=resume).first()
    if resume is None or (resume.visibility != Visibility.PUBLIC and request is None):
        raise Http404
    return resume, request


def contact_of(request: ContactRequest | None) -> dict | None:
    """Name, phone and e-mail: only for an accepted request."""
    if request is None or request.status != RequestStatus.ACCEPTED:
        return None
    candidate = request.resume.candidate
    return {
        "name": candidate.name,
        "phone": crypto.decrypt(candidate.phone_cipher),
        "email": request.resume.email or candidate.email,
    }


def unit_requests(unit):
    return (
        ContactRequest.objects.filter(unit=unit)
        .select_related("resume__candidate", "opening")
        .order_by("-requested_at", "-id")
    )


def requests_to(candidate):
    return (
        ContactRequest.objects.filter(resume__candidate=candidate)
        .select_related("unit", "opening")
        .order_by("-requested_at", "-id")
    )


# Mobile party members


def organisations_led_by(user):
    if not user.is_authenticated:
        return PartyOrganisation.objects.none()
    return PartyOrganisation.objects.filter(secretary=user)


def organisation_for(user, pk) -> PartyOrganisation:
    organisation = organisations_led_by(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def unreported_members(organisation, period):
    reported = organisation.members.filter(checkins__period=period).values("pk")
    return (
        organisation.members.filter(status=MemberStatus.ACTIVE)
        .exclude(pk__in=reported)
        .annotate(reminded=Count("reminders", filter=Q(reminders__period=period)))
        .order_by("name", "id")
    )


def report_counts(organisation, period) -> dict:
    active = organisation.members.filter(status=MemberStatus.ACTIVE).count()
    unreported = unreported_members(organisation, period).count()
    pending = organisation.members.filter(status=MemberStatus.PENDING).count()
    return {
        "active": active,
        "reported": active - unreported,
        "unreported": unreported,
        "pending": pending,
    }


def member_of(user) -> MobileMember | None:
    if not user.is_authenticated:
        return None
    return MobileMember.objects.select_related("organisation").filter(user=user).first()
