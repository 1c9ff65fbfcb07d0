"""Who may see a candidate's photo (candidate pages use views.apply.candidate_required)."""

from renshi.core import roles
from renshi.exams.models import Application
from renshi.personnel.selectors import visible_units


def photo_visible_to(user, candidate) -> bool:
    """The owner, the exam office, and reviewers of units the candidate applied to."""
    if not user.is_authenticated:
        return False
    if candidate.user_id == user.pk:
        return True
    if roles.has_role(user, roles.RUN_EXAMS):
        return True
    if roles.has_role(user, roles.REVIEW_APPLICATIONS):
        return Application.objects.filter(
            candidate=candidate, position__unit__in=visible_units(user)
        ).exists()
    return False
