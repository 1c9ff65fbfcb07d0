import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from stdnum.cn import uscc

from renshi.core import crypto, idnumbers
from renshi.core.models import AuditEvent, User
from renshi.personnel import demo, selectors
from renshi.personnel.models import (
    EstablishmentLine,
    ExitRecord,
    LeaderPostLine,
    LedgerEntry,
    Person,
    PersonStatus,
    PostRecord,
    SlotOccupancy,
    Unit,
)
from renshi.personnel.services.people import person_refresh_current, pinyin_of

pytestmark = pytest.mark.django_db
CACHED = [
    "current_post",
    "current_post_level",
    "current_rank",
    "current_title",
    "title_level",
    "education",
    "degree",
]


def load(seed=7):
    counts = demo.load_city(units=30, people=400, seed=seed, log=lambda text: None)
    demo.create_accounts(log=lambda text: None)
    return counts


def fingerprint():
    return list(Person.objects.order_by("id").values_list("name", "id_number_hash", "birth_date"))


def test_it_gives_every_person_a_valid_unique_id_number_matching_sex_and_birth():
    load()
    people = list(Person.objects.all())
    assert len(people) == 400
    assert len({p.id_number_hash for p in people}) == 400
    for p in people:
        number = idnumbers.validate_id_number(crypto.decrypt(p.id_number_cipher))
        assert idnumbers.check_consistent(number, p.birth_date, p.sex) == []
        assert p.id_number_hash == crypto.blind_index(number)
        assert p.id_number_masked == idnumbers.mask_id(number)
        assert (p.name_pinyin, p.name_initials) == pinyin_of(p.name)


def test_it_keeps_establishment_counters_equal_to_open_occupancies():
    load()
    open_slots = SlotOccupancy.objects.filter(end_date__isnull=True)
    lines = list(EstablishmentLine.objects.all())
    for line in lines:
        held = open_slots.filter(unit_id=line.unit_id, category=line.category).count()
        assert line.occupied == held, line
        assert LedgerEntry.objects.filter(
            unit_id=line.unit_id, category=line.category, approved_after=line.approved
        ).exists()
        assert line.document_number.startswith(
            ("鞍编发〔", *(f"{d[2]}编发〔" for d in demo.DISTRICTS))
        )
    assert open_slots.count() == Person.objects.filter(status=PersonStatus.ACTIVE).count()
    assert any(line.over for line in lines) and any(line.vacant for line in lines)
    assert LeaderPostLine.objects.exists()


def test_it_retires_people_with_an_exit_record_and_no_open_slot():
    load()
    retired = Person.objects.filter(status=PersonStatus.RETIRED)
    assert 40 <= retired.count() <= 120
    assert not SlotOccupancy.objects.filter(person__in=retired, end_date__isnull=True).exists()
    with_exit = retired.filter(exits__exit_type="21").distinct().count()
    assert with_exit == retired.count() == ExitRecord.objects.count()
    assert not PostRecord.objects.filter(person__in=retired, end_date__isnull=True).exists()


def test_it_caches_current_fields_that_match_the_records():
    load()
    for person in list(Person.objects.order_by("id"))[::2]:
        cached = [getattr(person, f) for f in CACHED]
        person_refresh_current(person)
        assert [getattr(person, f) for f in CACHED] == cached, person.name


def test_it_keeps_dates_in_order():
    load()
    for p in Person.objects.prefetch_related("posts", "ranks", "entries"):
        adult = p.birth_date.replace(year=p.birth_date.year + 18)
        assert p.work_start_date >= adult - datetime.timedelta(days=1), p.name
        for record in [*p.posts.all(), *p.ranks.all(), *p.entries.all()]:
            assert record.start_date >= p.work_start_date, (p.name, record)
            assert record.end_date is None or record.end_date >= record.start_date


def test_it_mixes_leaders_titles_and_appraisals():
    load()
    assert PostRecord.objects.filter(is_leader=True, end_date__isnull=True).count() >= 10
    people = Person.objects.filter(status=PersonStatus.ACTIVE)
    assert people.exclude(current_title="").count() > 20
    assert people.filter(appraisals__isnull=False).distinct().count() > 200
    schools = people.filter(unit__unit_type__startswith="public")
    assert schools.filter(current_rank__regex=r"^[MPW]").count() == schools.count()


def test_it_gives_units_valid_credit_codes_and_a_tree():
    load()
    units = list(Unit.objects.all())
    assert len(units) == 30
    for unit in units:
        assert uscc.is_valid(unit.credit_code), unit.name
        prefix = Unit.objects.get(pk=unit.parent_id).path if unit.parent_id else ""
        assert unit.path == f"{prefix}{unit.pk:06d}/"
    education = Unit.objects.get(name="鞍山市教育局")
    assert Unit.objects.filter(path__startswith=education.path, depth=2).exists()


def test_it_scopes_clerks_to_their_unit_subtree():
    load()
    clerk = User.objects.get(username="clerk_jiaoyu")
    education = Unit.objects.get(name="鞍山市教育局")
    seen = selectors.visible_people(clerk)
    assert seen.count() == Person.objects.filter(unit__path__startswith=education.path).count()
    assert seen.exclude(unit=education).exists()
    assert not seen.filter(unit__name="鞍山市财政局").exists()
    finance_clerk = User.objects.get(username="clerk_caizheng")
    found = selectors.search_people(finance_clerk, {"q": "zsf"})
    assert found.filter(name="张三丰", status=PersonStatus.ACTIVE).exists()
    assert finance_clerk.check_password(demo.PASSWORD)


def test_it_is_deterministic_for_a_seed():
    load(seed=11)
    first = fingerprint()
    codes = sorted(Unit.objects.values_list("credit_code", flat=True))
    demo.reset_city()
    load(seed=11)
    assert fingerprint() == first
    assert sorted(Unit.objects.values_list("credit_code", flat=True)) == codes
    demo.reset_city()
    load(seed=12)
    assert fingerprint() != first


def test_it_writes_one_audit_event_for_the_load():
    before = AuditEvent.objects.count()
    load()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="demo.load")
    assert event.after["people"] == 400


def test_it_skips_a_second_load_and_reloads_with_reset():
    out = io.StringIO()
    args = {"units": 30, "people": 400, "quiet": True, "stdout": out}
    call_command("load_demo_city", **args)
    call_command("load_demo_city", **args)
    assert "演示数据已存在" in out.getvalue() and "clerk_jiaoyu" in out.getvalue()
    assert Person.objects.count() == 400
    call_command("load_demo_city", reset=True, **args)
    assert Person.objects.count() == 400
    assert Person.objects.aggregate(n=Count("id", filter=Q(name="张三丰")))["n"] == 1
