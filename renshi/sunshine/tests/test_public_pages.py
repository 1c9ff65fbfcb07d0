import pytest
import time_machine
from django.urls import reverse

from renshi.sunshine import services
from renshi.sunshine.tests.helpers import D, make_notice

pytestmark = pytest.mark.django_db


@time_machine.travel("2025-10-09 10:00 +0800", tick=False)
def test_the_list_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(12):
        make_notice(title=f"公示{i}")
    with django_assert_max_num_queries(2):
        page = client.get(reverse("sunshine:notices"))
    assert page.content.decode().count("公示中") >= 12


@time_machine.travel("2025-10-09 10:00 +0800", tick=False)
def test_visitors_get_a_cached_page_until_an_objection_arrives(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    notice = make_notice()
    url = reverse("sunshine:notice", args=[notice.pk])
    assert "收到 0 件" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert "收到 0 件" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_submit(
            notice_id=notice.pk, name="钱", phone="13900001111", text="有异议", today=D(2025, 10, 9)
        )
    assert "收到 1 件，已答复 0 件" in client.get(url).content.decode()


def test_an_unknown_kind_shows_every_notice(client):
    make_notice(title="职称公示")
    page = client.get(reverse("sunshine:notices"), {"kind": "<script>"}).content.decode()
    assert "职称公示" in page and "<script>" not in page
    assert client.get(reverse("sunshine:notice", args=[999])).status_code == 404
