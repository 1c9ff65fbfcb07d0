"""The session's user, loaded with the candidate profile in the same query.

Candidates are by far the most numerous users, and every candidate page needs the profile:
one join instead of a second query on each of their requests (the last-day surge), compiled
once per process (exams.hotreads)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from renshi.exams.hotreads import CompiledGet

user_with_candidate = CompiledGet(
    lambda: get_user_model()._default_manager.select_related("candidate")
)


class UserWithCandidateBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_candidate(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
