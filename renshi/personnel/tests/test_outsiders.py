"""Every personnel view answers 404 to someone outside the record's scope, for GET and POST."""

import pytest
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel import urls
from renshi.personnel.models import EducationRecord
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import SYSTEM, make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db

# Views about one unit's or one person's records; the outsider must not learn they exist.
OBJECT_VIEWS = {
    "person_detail": {},
    "person_edit": {},
    "person_reveal": {"field": "id_number"},
    "appointment_form": {},
    "record_add": {"kind": "education"},
    "record_edit": {"kind": "education", "record_id": "record"},
    "record_delete": {"kind": "education", "record_id": "record"},
    "person_event": {"event": "retire"},
    "unit_hire": {},
    "establishment_approve": {},
    "leader_posts": {},
    "reservation_create": {},
    "reservation_release": {"reservation_id": "reservation"},
    "unit_edit": {},
    "unit_detail": {},
    "unit_ledger": {},
}
# Views that list or act on what the user may see; they are checked for content elsewhere.
SCOPED_LIST_VIEWS = {
    "person_list", "person_export", "unit_list", "unit_create", "stats", "stats_export_all",
    "stats_export", "import", "import_template", "import_confirm", "import_errors",
    "import_job", "import_job_status", "clerk_scope",
}  # fmt: skip


@pytest.fixture
def world():
    unit = make_unit("鞍山市财政局")
    person = make_person(unit, name="张三丰")
    record = EducationRecord.objects.create(person=person, education="21", school="辽宁大学")
    establishment.establishment_approve(
        actor=SYSTEM, unit=unit, category="admin", approved=5, document_number="鞍编发〔2026〕1号"
    )
    reservation = establishment.slot_reserve(
        actor=SYSTEM, unit=unit, category="admin", reason="调入"
    )
    return {"unit": unit, "person": person, "record": record, "reservation": reservation}


def url_for(name, world):
    kwargs = {}
    for key, value in OBJECT_VIEWS[name].items():
        kwargs[key] = world[value].pk if value in world else value
    target = (
        world["unit"]
        if name.startswith(("unit", "establishment", "leader", "reserv"))
        else (world["person"])
    )
    kwargs["pk"] = target.pk
    return reverse(f"personnel:{name}", kwargs=kwargs)


# POST-only: a GET is 405 for every id alike, so it tells nothing about the record.
POST_ONLY = {"person_reveal", "record_delete", "reservation_release"}


def test_every_view_is_listed_here():
    names = {p.name for p in urls.urlpatterns}
    assert names <= set(OBJECT_VIEWS) | SCOPED_LIST_VIEWS, names - set(OBJECT_VIEWS)


@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_another_units_clerk_gets_404(client, world, name):
    client.force_login(make_clerk(make_unit("鞍山市教育局")))
    url = url_for(name, world)
    assert client.get(url).status_code == (405 if name in POST_ONLY else 404)
    assert client.post(url, {"date": "2026-11-01", "document_number": "x"}).status_code == 404


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN, Role.EXAM_OFFICE])
@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_roles_without_personnel_access_get_404(client, world, name, role):
    client.force_login(UserFactory(role=role))
    assert client.post(url_for(name, world)).status_code == 404


@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_anonymous_users_are_sent_to_login(client, world, name):
    response = client.post(url_for(name, world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nothing_changed_after_the_outsiders(client, world):
    from renshi.core.models import AuditEvent

    before = AuditEvent.objects.count()
    client.force_login(make_clerk(make_unit("鞍山市教育局")))
    for name in OBJECT_VIEWS:
        client.post(url_for(name, world), {"date": "2026-11-01", "document_number": "x"})
    # Only the outsider's own unit creation (by the factory) was audited.
    assert AuditEvent.objects.count() == before + 1
    world["person"].refresh_from_db()
    assert world["person"].status == "active"
