"""The session's user, loaded with the candidate profile in the same query.

Candidates are by far the most numerous users, and every candidate page needs the profile:
one join instead of a second query on each of their requests (the last-day surge)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithCandidateBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("candidate").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
