"""Writing the demo city: units, people with their records, establishment — in bulk."""

import datetime
import random
import time
import unicodedata

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Max
from django.db.models.sql import InsertQuery
from django.utils import timezone

from renshi.personnel import models as m
from renshi.personnel.demo.catalogue import ENTRY_NAMES, KINDS, LEADER_LEVELS
from renshi.personnel.demo.people import PeopleMixin, PersonPlan, category_for
from renshi.personnel.demo.units import UnitPlan, credit_code, plan_units, unit_level

CHUNK = 4000  # people per write: memory stays flat, progress shows


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


class TableWriter:
    """INSERT through the DB-API cursor: bulk_create's per-field preparation would double the load.

    Values are plain Python values; dates and datetimes go through the backend's adapters.
    """

    def __init__(self, model):
        fields = [f for f in model._meta.concrete_fields if f.attname != "id" or model is m.Person]
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields if f.attname != "id"}
        ops = connection.ops
        self.adapters = [
            (i, ops.adapt_datetimefield_value)
            if isinstance(f, DateTimeField)
            else (i, ops.adapt_datefield_value)
            for i, f in enumerate(fields)
            if isinstance(f, DateField)
        ]
        query = InsertQuery(model)  # Django writes the one-row statement; we run it many times
        query.insert_values(fields, [model()], raw=True)
        [(self.sql, _)] = query.get_compiler(connection=connection).as_sql()
        self.model = model
        self.rows = []

    def add(self, values: dict, **more) -> None:
        merged = {**self.defaults, **values, **more}
        row = [merged[name] for name in self.names]
        for i, adapt in self.adapters:
            if row[i] is not None:
                row[i] = adapt(row[i])
        self.rows.append(row)

    def write(self) -> int:
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), 5000):
                cursor.executemany(self.sql, self.rows[start : start + 5000])
        if self.model is m.Person and self.rows:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [m.Person]):
                    cursor.execute(sql)
        return len(self.rows)


EVENTS = [m.EntryRecord, m.ExitRecord, m.SlotOccupancy]


SUB_MODELS = {
    "edu": m.EducationRecord,
    "deg": m.DegreeRecord,
    "post": m.PostRecord,
    "rank": m.RankRecord,
    "title": m.TitleRecord,
    "appr": m.Appraisal,
    "fam": m.FamilyMember,
}


@transaction.atomic
def load_city(*, units: int = 520, people: int = 40000, seed: int = 2026, log=print) -> dict:
    """Write the demo city in one transaction; one audit row records the load."""
    from renshi.core.audit import audit_record

    builder = CityBuilder(units=units, people=people, seed=seed, log=log)
    counts = builder.build()
    counts["seconds"] = round(time.monotonic() - builder.started, 1)
    audit_record(
        actor="演示数据",
        action="demo.load",
        object_type="personnel.demo",
        object_id=str(seed),
        label=f"鞍山市演示数据：{counts['units']}个单位，{people}人",
        after={"units": units, "people": people, "seed": seed, **counts},
    )
    return counts


class CityBuilder(PeopleMixin):
    """Builds the demo city into the current database (call `build()` inside a transaction)."""

    def __init__(self, *, units: int, people: int, seed: int, log=print, today=None):
        self.rng = random.Random(seed)
        self.unit_count, self.people_count, self.seed = units, people, seed
        self.log = log
        self.today = today or timezone.localdate()
        self.started = time.monotonic()
        self.ids: set[str] = set()
        self.counts: dict[str, int] = {}
        self.doc_seq = 0

    def say(self, text: str) -> None:
        self.log(f"{pad(text, 48)} {time.monotonic() - self.started:6.1f} s")

    def create_units(self) -> list[UnitPlan]:
        plans = plan_units(self.unit_count)
        codes = set()
        for depth in range(max(p.depth for p in plans) + 1):
            batch = [p for p in plans if p.depth == depth]
            for p in batch:
                unit_type, funding, _ = KINDS[p.kind]
                code = credit_code(self.rng, unit_type, p.division)
                while code in codes:
                    code = credit_code(self.rng, unit_type, p.division)
                codes.add(code)
                p.obj = m.Unit(
                    name=p.name,
                    short_name=p.name.removeprefix("鞍山市")[:40],
                    credit_code=code,
                    division=p.division,
                    level=unit_level(p),
                    affiliation="40" if p.division == "210300" else "50",
                    unit_type=unit_type,
                    funding_form=funding,
                    parent=p.parent.obj if p.parent else None,
                    depth=depth,
                    sort=p.order,
                )
            m.Unit.objects.bulk_create([p.obj for p in batch])
            for p in batch:
                p.obj.path = (p.parent.obj.path if p.parent else "") + f"{p.obj.pk:06d}/"
            m.Unit.objects.bulk_update([p.obj for p in batch], ["path"])
        self.counts["units"] = len(plans)
        self.say(f"单位 {len(plans)} 个")
        return plans

    def staff_numbers(self, plans) -> list[int]:
        """People per unit, proportional to a jittered weight, summing to the requested total."""
        weights = [KINDS[p.kind][2] * self.rng.uniform(0.7, 1.3) for p in plans]
        total = sum(weights)
        floors = [int(self.people_count * w / total) for w in weights]
        rest = self.people_count - sum(floors)
        order = sorted(range(len(plans)), key=lambda i: -(self.people_count * weights[i] / total))
        for i in order[:rest]:
            floors[i] += 1
        return floors

    def create_people(self, plans: list[UnitPlan]) -> None:
        pending: list[PersonPlan] = []
        done = 0
        for unit, count in zip(plans, self.staff_numbers(plans), strict=True):
            staff = []
            if unit.name == "鞍山市财政局":
                staff.append(self.make_person(unit, name="张三丰"))  # the person the guide finds
            staff += [self.make_person(unit) for _ in range(count - len(staff))]
            self.assign_leaders(unit, staff)
            for plan in staff:
                self.records(plan)
            pending += staff
            if len(pending) >= CHUNK:
                done += self.flush(pending)
                pending = []
                self.say(f"人员 {done}/{self.people_count}")
        done += self.flush(pending)
        self.say(f"人员 {done} 人（在职 {self.counts['active']}，退休 {self.counts['retired']}）")

    def flush(self, plans: list[PersonPlan]) -> int:
        if not plans:
            return 0
        # Ids handed out here: we hold the write lock (SQLite IMMEDIATE; the PostgreSQL sequence
        # is moved past them afterwards), and sub-records need them before anything is written.
        next_id = (m.Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        tables = {model: TableWriter(model) for model in [m.Person, *SUB_MODELS.values(), *EVENTS]}
        for n, plan in enumerate(plans):
            person, unit = plan.person, plan.unit
            person.id = pid = next_id + n
            tables[m.Person].add(vars(person))
            for key, model in SUB_MODELS.items():
                for row in plan.rows[key]:
                    tables[model].add(row, person_id=pid)
            prefix = "鞍人社发" if unit.division == "210300" else unit.doc_prefix[:-2] + "人社发"
            document = self.document(prefix, plan.entry_date.year)
            entry_type = self.entry_type(plan)
            where = {"person_id": pid, "unit_id": unit.obj.pk, "approver": unit.name}
            tables[m.EntryRecord].add(
                where,
                entry_type=entry_type,
                start_date=plan.entry_date,
                document_number=document,
                from_unit_name="鞍山市某单位" if entry_type == "21" else "",
            )
            slot = {
                "person_id": pid,
                "unit_id": unit.obj.pk,
                "category": person.category,
                "start_date": plan.entry_date,
                "in_document": document,
                "reason_in": ENTRY_NAMES[entry_type],
            }
            if plan.retired:
                out = self.document(prefix, plan.end_date.year)
                slot.update(end_date=plan.end_date, out_document=out, reason_out="退休")
                tables[m.ExitRecord].add(
                    where, exit_type="21", start_date=plan.end_date, document_number=out
                )
                self.counts["retired"] = self.counts.get("retired", 0) + 1
            else:
                self.counts["active"] = self.counts.get("active", 0) + 1
                key = (unit.obj.pk, person.category)
                self.occupied[key] = self.occupied.get(key, 0) + 1
                if plan.leader:
                    key = (unit.obj.pk, plan.leader[1])
                    self.leaders[key] = self.leaders.get(key, 0) + 1
            tables[m.SlotOccupancy].add(slot)
        for model, table in tables.items():
            name = model._meta.model_name
            self.counts[name] = self.counts.get(name, 0) + table.write()
        return len(plans)

    def create_establishment(self, plans: list[UnitPlan]) -> None:
        """Approved numbers around the real occupancy: most units with vacancies, a few over."""
        rng = self.rng
        lines, ledger, leader_lines = [], [], []
        categories = {}
        for uid, category in self.occupied:
            categories.setdefault(uid, set()).add(category)
        for unit in plans:
            main = category_for(unit.kind)
            keys = categories.get(unit.obj.pk, set()) | {main}
            for category in sorted(keys):
                occupied = self.occupied.get((unit.obj.pk, category), 0)
                roll = rng.random()
                if occupied >= 3 and roll < 0.05:
                    approved = occupied - rng.randint(1, 2)
                elif roll < 0.7:
                    approved = occupied + rng.randint(1, max(1, occupied // 6))
                else:
                    approved = occupied
                year = rng.randint(2019, self.today.year - 1)
                date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                lines.append(
                    m.EstablishmentLine(
                        unit=unit.obj,
                        category=category,
                        approved=approved,
                        occupied=occupied,
                        document_number=self.document(unit.doc_prefix, year),
                        document_date=date,
                    )
                )
            if unit.kind in ("party", "agency", "police", "district", "street"):
                for level in filter(None, LEADER_LEVELS[unit.obj.level]):
                    held = self.leaders.get((unit.obj.pk, level), 0)
                    leader_lines.append(
                        m.LeaderPostLine(
                            unit=unit.obj,
                            level=level,
                            approved=held + rng.choice((0, 0, 1)),
                            occupied=held,
                            document_number=self.document(unit.doc_prefix, 2024),
                        )
                    )
        if not any(line.occupied > line.approved for line in lines):
            fullest = max(lines, key=lambda line: line.occupied)
            fullest.approved = max(fullest.occupied - 1, 0)
        for line in lines:
            at = timezone.make_aware(
                datetime.datetime.combine(line.document_date, datetime.time(9))
            )
            ledger.append(
                m.LedgerEntry(
                    unit=line.unit,
                    category=line.category,
                    kind=m.LedgerKind.APPROVE,
                    delta=line.approved,
                    approved_after=line.approved,
                    occupied_after=line.occupied,
                    reserved_after=0,
                    document_number=line.document_number,
                    note="核定编制（演示数据初始化）",
                    at=at,
                )
            )
        m.EstablishmentLine.objects.bulk_create(lines)
        m.LedgerEntry.objects.bulk_create(ledger)
        m.LeaderPostLine.objects.bulk_create(leader_lines)
        over = sum(line.occupied > line.approved for line in lines)
        vacant = sum(line.occupied < line.approved for line in lines)
        self.counts.update(
            lines=len(lines), over=over, vacant=vacant, leader_lines=len(leader_lines)
        )
        self.say(
            f"编制 {len(lines)} 条（超编 {over}，有空编 {vacant}），领导职数 {len(leader_lines)} 条"
        )

    def build(self) -> dict:
        self.occupied: dict = {}
        self.leaders: dict = {}
        plans = self.create_units()
        self.create_people(plans)
        self.create_establishment(plans)
        return self.counts
