"""The exams app's tables: registration (exams, positions, candidates, applications) and
administration (rooms and seats, proctors, scores, interviews, hiring)."""

from renshi.exams.models.administration import *  # noqa: F403
from renshi.exams.models.registration import *  # noqa: F403
from renshi.exams.models.registration import ACTIVE_STATUSES, EVENT_LABELS  # noqa: F401
