"""Two sign-ups with the same ID number at the same moment: one account, a clear refusal."""

import pytest
from django.db import connection

from renshi.core.models import User
from renshi.core.roles import Role
from renshi.core.tests.races import race
from renshi.exams.models import Candidate
from renshi.exams.services.candidates import (
    CandidateError,
    candidate_register,
    candidate_send_code,
)
from renshi.exams.tests.candidate_helpers import (  # noqa: F401 (fixture)
    PASSWORD,
    candidate_state,
    last_code,
)
from renshi.personnel.tests.factories import id_number

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_it_gives_one_id_number_one_account_when_sign_ups_race():
    number = id_number()
    phones = [f"1380000{n:04d}" for n in range(8)]
    for phone in phones:
        candidate_send_code(phone=phone, purpose="signup", ip=phone)
    codes = {phone: last_code(phone) for phone in phones}

    def sign_up(phone):
        return lambda: candidate_register(
            name="并发考生", id_number=number, phone=phone, code=codes[phone], password=PASSWORD
        )

    results, refused = race([sign_up(phone) for phone in phones], CandidateError)
    made = [o for o in results if isinstance(o, Candidate)]
    assert (len(made), len(refused)) == (1, 7)
    assert all("已被注册" in e.message and "找回" in e.message for e in refused)
    assert Candidate.objects.count() == 1
    assert User.objects.filter(role=Role.CANDIDATE).count() == 1
