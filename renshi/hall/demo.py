"""Demo and benchmark cases (办件): a deterministic history of the last months, written in bulk.

`CasePlanner` lays out each case the way the engine (renshi.hall.cases) would have left it —
tasks step by step with their due dates, the public history, the printable notices, ratings —
for items without effects on the personnel database (those run through the engine itself in
`load_demo_cases`). Every state appears: waiting at the window, asked to supplement, refused,
in progress (some overdue, some claimed), suspended, concluded, delivered, withdrawn, rated (some
badly, some of those followed up). `write` stores a batch with COPY on PostgreSQL (the 100,000
cases of the benchmark take seconds) and plain INSERTs elsewhere.

Working days come from the calendar; beyond its last year (2027 while it is not entered) the
planner counts Monday–Friday so demo data can be generated at any date.
"""

import bisect
import dataclasses
import datetime
import json
import random
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from renshi.core import workdays
from renshi.hall.cases import case_number
from renshi.hall.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNotice,
    CaseSequence,
    CaseStatus,
    CaseTask,
    Channel,
    Decision,
    NoticeKind,
    Outcome,
    Rating,
    TaskStatus,
)

OPEN_MIX = [  # (status, weight) of the open cases
    (CaseStatus.RECEIVED, 15),
    (CaseStatus.SUPPLEMENT, 7),
    (CaseStatus.IN_PROGRESS, 68),
    (CaseStatus.SUSPENDED, 10),
]
CLOSED_MIX = [
    (CaseStatus.DELIVERED, 62),
    (CaseStatus.CONCLUDED, 20),
    (CaseStatus.REFUSED, 9),
    (CaseStatus.WITHDRAWN, 9),
]
RATING_WEIGHTS = [(5, 55), (4, 22), (3, 9), (2, 9), (1, 5)]
DELIVERY = ["窗口领取", "邮寄送达", "电子送达"]
APPLICANTS = [
    "王丽",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴昊",
    "徐慧",
    "孙悦",
    "马超",
    "朱琳",
    "胡军",
    "郭佳",
    "何平",
    "林涛",
]
BAD_COMMENTS = ["等待时间过长，多次催办才办结", "材料要求前后不一致，跑了两趟", "电话无人接听"]
SUSPEND_REASONS = ["需组织专家评审", "需向上级部门请示", "需现场核查"]
REFUSE_REASONS = ["补正后材料仍不齐全", "不属于本机关职权范围", "申请事项依法不需要取得许可"]
WINDOW_DAYS = 90


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class WorkingDays:
    """Working-day arithmetic over a fixed span by list index (the planner calls it a lot)."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.days = []
        day = first
        while day <= last:
            try:
                working = workdays.is_workday(day)
            except workdays.CalendarUnknown:
                working = day.weekday() < 5
            if working:
                self.days.append(day)
            day += datetime.timedelta(days=1)

    def add(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (as renshi.core.workdays.add_workdays)."""
        if n == 0:
            return day
        return self.days[bisect.bisect_right(self.days, day) + n - 1]

    def between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days after `a` up to and including `b`."""
        return max(bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a), 0)

    def back(self, day: datetime.date, n: int) -> datetime.date:
        """The working day n working days before `day` (on or before it for n=0)."""
        return self.days[max(bisect.bisect_right(self.days, day) - 1 - n, 0)]


@dataclasses.dataclass
class Batch:
    cases: list[dict] = dataclasses.field(default_factory=list)
    tasks: list[dict] = dataclasses.field(default_factory=list)
    events: list[dict] = dataclasses.field(default_factory=list)
    notices: list[dict] = dataclasses.field(default_factory=list)
    materials: list[dict] = dataclasses.field(default_factory=list)
    ratings: list[dict] = dataclasses.field(default_factory=list)
    sequence: Counter = dataclasses.field(default_factory=Counter)


class CasePlanner:
    """Plans cases of `versions` filed by `units` (clerk or window) over the last 90 days."""

    def __init__(self, *, versions, units, clerks, staff, seed=2026, today=None, now=None):
        self.rng = random.Random(seed)
        self.versions = list(versions)
        self.units = list(units)  # [(unit_id, unit_name)]
        self.clerks = clerks  # {unit_id: user_id} of the unit's clerk (filing online)
        self.staff = staff  # {role: [user_id, ...]}
        self.now = now or timezone.now()
        self.today = today or timezone.localdate(self.now)
        first = self.today - datetime.timedelta(days=WINDOW_DAYS + 40)
        self.cal = WorkingDays(first, self.today + datetime.timedelta(days=200))
        self.next_id = {model: _next_id(model) for model in WRITE_ORDER}
        self.seq = _sequence_start()
        self.batch = Batch()
        self.names = _user_names([*clerks.values(), *(u for ids in staff.values() for u in ids)])

    # --- ids, times, rows ---

    def _id(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] += 1
        return pk

    def at(self, day: datetime.date, hour=None) -> datetime.datetime:
        hour = hour if hour is not None else self.rng.randint(9, 16)
        local = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return min(timezone.make_aware(local), self.now)

    def event(self, case, at, action, title, actor=None, public=True, note=""):
        self.batch.events.append(
            {
                "id": self._id(CaseEvent),
                "case_id": case["id"],
                "at": at,
                "actor_id": actor,
                "actor_name": self.names.get(actor, "系统") if actor else "系统",
                "action": action,
                "title": title,
                "note": note,
                "public": public,
                "payload": {},
            }
        )

    def notice(self, case, kind, code, at, actor, text, items=()):
        self.batch.notices.append(
            {
                "id": self._id(CaseNotice),
                "case_id": case["id"],
                "kind": kind,
                "number": f"{case['number']}-{code}",
                "issued_at": at,
                "issued_by_id": actor,
                "items": list(items),
                "text": text,
            }
        )

    def task(self, case, index, step, opened, due, **values) -> dict:
        row = {
            "id": self._id(CaseTask),
            "case_id": case["id"],
            "step_index": index,
            "step_code": step["code"],
            "step_name": step["name"],
            "role": step["role"],
            "assignee_id": None,
            "delegated_from_id": None,
            "sign_mode": step.get("sign_mode", "any"),
            "status": TaskStatus.OPEN,
            "opened_at": opened,
            "due_date": due,
            "done_at": None,
            "done_by_id": None,
            "decision": "",
            "opinion": "",
            "warned_at": None,
            "overdue_at": None,
            **values,
        }
        self.batch.tasks.append(row)
        return row

    def members(self, role) -> list:
        return self.staff.get(role) or [None]

    # --- one case ---

    def plan(self, count: int, open_share: float = 0.3) -> Batch:
        for _ in range(count):
            is_open = self.rng.random() < open_share
            self.plan_case(_pick(self.rng, OPEN_MIX if is_open else CLOSED_MIX))
        return self.batch

    def plan_case(self, status):
        rng, cal = self.rng, self.cal
        version = rng.choice(self.versions)
        steps = version.steps
        unit_id, unit_name = rng.choice(self.units)
        clerk = self.clerks.get(unit_id)
        window = self.members("hall_window")[0]
        running_days = sum(s["limit_days"] for s in steps[1:])
        promised = version.promised_limit_days
        if status == CaseStatus.RECEIVED:
            received = cal.back(self.today, rng.choice([0, 0, 0, 1]))
        elif status == CaseStatus.SUPPLEMENT:
            received = cal.back(self.today, rng.randint(0, 6))
        elif status in (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED):
            # Most running cases are within their time limit; about one in ten runs late.
            late = rng.random() < 0.1
            back = rng.randint(promised, promised + 8) if late else rng.randint(1, promised - 1)
            received = cal.back(self.today, back)
        else:
            oldest = cal.between(self.today - datetime.timedelta(days=WINDOW_DAYS), self.today)
            received = cal.back(self.today, rng.randint(min(running_days + 2, oldest), oldest))
        day = received
        self.seq[day] += 1
        case = {
            "id": self._id(Case),
            "number": case_number(day, self.seq[day]),
            "check_code": f"{rng.randrange(10**6):06d}",
            "item_id": version.item_id,
            "version_id": version.pk,
            "unit_id": unit_id,
            "applicant_name": rng.choice(APPLICANTS),
            "applicant_phone": f"139{rng.randrange(10**8):08d}",
            "subject": f"{unit_name}{version.item.name}",
            "channel": Channel.ONLINE if clerk else Channel.WINDOW,
            "filed_by_id": clerk or window,
            "form": {},
            "status": status,
            "step_index": 0,
            "outcome": Outcome.NONE,
            "outcome_note": "",
            "received_at": self.at(received),
            "supplement_requested": False,
            "accepted_on": None,
            "due_date": None,
            "legal_due_date": None,
            "paused_days": 0,
            "extended_days": 0,
            "suspended_on": None,
            "concluded_at": None,
            "concluded_workdays": None,
            "delivered_at": None,
            "delivery_method": "",
            "reservation_id": None,
            "warned_at": None,
            "overdue_at": None,
        }
        self.batch.cases.append(case)
        self.batch.sequence[received] = max(self.batch.sequence[received], self.seq[received])
        filer = case["filed_by_id"]
        self.event(case, case["received_at"], "file", "网上申报" if clerk else "窗口收件", filer)
        for material in version.materials:
            if not material["optional"] and not (
                status == CaseStatus.SUPPLEMENT and material is version.materials[-1]
            ):
                self.batch.materials.append(
                    {
                        "id": self._id(CaseMaterial),
                        "case_id": case["id"],
                        "name": material["name"],
                        "file": "",
                        "uploaded_by_id": filer,
                        "uploaded_at": case["received_at"],
                        "note": "",
                    }
                )
        intake_due = cal.add(received, steps[0]["limit_days"])
        if status == CaseStatus.RECEIVED:
            self.task(case, 0, steps[0], case["received_at"], intake_due)
            return
        intake_day = min(cal.add(received, rng.choice([0, 0, 1])), self.today)
        intake_at = max(self.at(intake_day), case["received_at"])
        done = {"status": TaskStatus.DONE, "done_at": intake_at, "done_by_id": window}
        if status == CaseStatus.SUPPLEMENT:
            self.supplement(case, version, steps, intake_due, intake_at, window, done)
            return
        if status == CaseStatus.REFUSED:
            reason = rng.choice(REFUSE_REASONS)
            self.task(
                case,
                0,
                steps[0],
                case["received_at"],
                intake_due,
                **done,
                decision=Decision.DENY,
                opinion=reason,
            )
            case.update(outcome_note=reason, concluded_at=intake_at)
            self.notice(
                case,
                NoticeKind.REFUSE,
                "BSL",
                intake_at,
                window,
                f"{unit_name}：\n你单位申请的「{version.item.name}」，经审查，本机关决定"
                f"不予受理。\n理由：{reason}",
                [{"reason": reason}],
            )
            self.event(case, intake_at, "refuse", "不予受理", window, note=reason)
            return
        self.task(
            case,
            0,
            steps[0],
            case["received_at"],
            intake_due,
            **done,
            decision=Decision.APPROVE,
            opinion="受理",
        )
        accepted = intake_day
        case.update(accepted_on=accepted, status=CaseStatus.IN_PROGRESS, step_index=1)
        case["due_date"] = cal.add(accepted, version.promised_limit_days)
        case["legal_due_date"] = cal.add(accepted, version.legal_limit_days)
        self.notice(
            case,
            NoticeKind.ACCEPT,
            "SL",
            intake_at,
            window,
            f"{unit_name}：\n你单位申请的「{version.item.name}」，申请材料齐全、符合法定"
            f"形式，本机关决定受理。承诺于{case['due_date']:%Y年%m月%d日}前办结。\n"
            f"办件编号：{case['number']}  查询码：{case['check_code']}",
        )
        self.event(
            case, intake_at, "accept", "受理", window, note=f"承诺办结日期 {case['due_date']}"
        )
        self.walk(case, version, status, accepted, intake_at)

    def supplement(self, case, version, steps, intake_due, at, window, done):
        missing = version.materials[-1]["name"]
        self.task(
            case,
            0,
            steps[0],
            case["received_at"],
            intake_due,
            **done,
            decision=Decision.RETURN,
            opinion="一次性告知补正",
        )
        case["supplement_requested"] = True
        items = [{"name": missing, "reason": "未提交"}]
        self.notice(
            case,
            NoticeKind.SUPPLEMENT,
            "BZ",
            at,
            window,
            f"你单位提交的「{version.item.name}」申请材料不齐全。根据《中华人民共和国"
            f"行政许可法》第三十二条，现一次性告知需要补正的全部内容如下：\n1. {missing}："
            "未提交\n请补正后再次提交，补正期间不计入办理时限。",
            items,
        )
        self.event(case, at, "supplement_request", "一次性告知补正", window, note=f"1. {missing}")

    def walk(self, case, version, status, accepted, at):
        """Steps after intake: each takes a few working days (some late) until today."""
        rng, cal = self.rng, self.cal
        stay_open = status in (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
        withdraw_at = rng.randint(1, len(version.steps) - 1) if status == "withdrawn" else None
        # An open case waits at any of its steps, not mostly at the last one.
        target = rng.randint(1, len(version.steps) - 1) if stay_open else None
        day, opened = accepted, at
        for index, step in enumerate(version.steps[1:], start=1):
            due = cal.add(day, step["limit_days"])
            late = rng.random() < 0.12
            took = (
                step["limit_days"] + rng.randint(1, 3)
                if late
                else rng.randint(1, step["limit_days"])
            )
            end = cal.add(day, took)
            last = index == len(version.steps) - 1
            if (stay_open and (end >= self.today or index == target)) or index == withdraw_at:
                if due < self.today and not late and index != withdraw_at:
                    # Earlier steps took longer: this one arrived lately and is within its limit.
                    arrived = cal.back(self.today, rng.randint(0, step["limit_days"] - 1))
                    opened = max(opened, self.at(arrived))
                    due = cal.add(timezone.localdate(opened), step["limit_days"])
                for member in (
                    self.members(step["role"]) if step.get("sign_mode") == "all" else [None]
                ):
                    claimed = member or (
                        rng.choice(self.members(step["role"])) if rng.random() < 0.3 else None
                    )
                    self.task(case, index, step, opened, due, assignee_id=claimed)
                case["step_index"] = index
                if index == withdraw_at:
                    self.withdraw(case, opened)
                elif status == CaseStatus.SUSPENDED:
                    self.suspend(case, opened)
                return
            end_at = max(self.at(min(end, self.today)), opened)
            deny = last and rng.random() < 0.08
            for member in self.members(step["role"]) if step.get("sign_mode") == "all" else [None]:
                actor = member or rng.choice(self.members(step["role"]))
                self.task(
                    case,
                    index,
                    step,
                    opened,
                    due,
                    assignee_id=member,
                    status=TaskStatus.DONE,
                    done_at=end_at,
                    done_by_id=actor,
                    decision=Decision.DENY if deny else Decision.APPROVE,
                    opinion="材料不符合条件" if deny else "同意",
                )
            self.event(case, end_at, "step_done", f"{step['name']}完成")
            day, opened = min(end, self.today), end_at
            case["step_index"] = index
        self.conclude(case, version, status, accepted, opened, deny)

    def suspend(self, case, opened):
        case["status"] = CaseStatus.SUSPENDED
        case["suspended_on"] = timezone.localdate(opened)
        reason = self.rng.choice(SUSPEND_REASONS)
        chief = self.members("section_chief")[0]
        self.event(
            case, opened, "suspend", "办理中止（所需时间不计入办理时限）", chief, note=reason
        )

    def withdraw(self, case, opened):
        for task in self.batch.tasks[-3:]:
            if task["case_id"] == case["id"] and task["status"] == TaskStatus.OPEN:
                task.update(status=TaskStatus.CANCELLED, done_at=opened)
        case.update(
            status=CaseStatus.WITHDRAWN, concluded_at=opened, outcome_note="单位决定暂缓办理"
        )
        self.event(
            case, opened, "withdraw", "申请人撤回申请", case["filed_by_id"], note="单位决定暂缓办理"
        )

    def conclude(self, case, version, status, accepted, at, denied):
        rng = self.rng
        day = timezone.localdate(at)
        outcome = Outcome.DENIED if denied else Outcome.APPROVED
        result = "不予" if denied else "准予"
        case.update(
            status=CaseStatus.CONCLUDED,
            outcome=outcome,
            concluded_at=at,
            concluded_workdays=self.cal.between(accepted, day),
        )
        self.notice(
            case,
            NoticeKind.DECISION,
            "JD",
            at,
            None,
            f"你单位申请的「{version.item.name}」（办件编号{case['number']}），经审查，"
            f"本机关决定{result}办理。",
        )
        self.event(case, at, "conclude", f"办结（{result}）")
        rated_on = day
        if status == CaseStatus.DELIVERED:
            delivered = min(self.at(self.cal.add(day, rng.choice([0, 0, 1, 2]))), self.now)
            method = rng.choice(DELIVERY)
            case.update(
                status=CaseStatus.DELIVERED, delivered_at=max(delivered, at), delivery_method=method
            )
            window = self.members("hall_window")[0]
            self.event(case, case["delivered_at"], "deliver", f"已送达（{method}）", window)
            rated_on = timezone.localdate(case["delivered_at"])
        if case["channel"] == Channel.ONLINE and rng.random() < 0.6:
            self.rate(case, rated_on, case["filed_by_id"])

    def rate(self, case, day, clerk):
        rng = self.rng
        level = _pick(rng, RATING_WEIGHTS)
        rated_at = min(self.at(day, 17), self.now)
        row = {
            "id": self._id(Rating),
            "case_id": case["id"],
            "level": level,
            "comment": "",
            "rated_by_id": clerk,
            "rated_at": rated_at,
            "follow_up_due": None,
            "follow_up_note": "",
            "followed_up_by_id": None,
            "followed_up_at": None,
        }
        if level <= 2:
            row["comment"] = rng.choice(BAD_COMMENTS)
            row["follow_up_due"] = self.cal.add(day, 15)
            if self.cal.between(day, self.today) > 10 and rng.random() < 0.5:
                row.update(
                    follow_up_note="已约谈经办人员并整改，电话回访单位表示认可",
                    followed_up_by_id=self.members("section_chief")[0],
                    followed_up_at=min(self.at(self.cal.add(day, 4)), self.now),
                )
        elif level >= 4 and rng.random() < 0.4:
            row["comment"] = "办理及时，服务热情"
        self.batch.ratings.append(row)
        self.event(
            case, rated_at, "rate", f"评价：{level}星", clerk, public=False, note=row["comment"]
        )


# --- Writing -----------------------------------------------------------------------------------

WRITE_ORDER = [Case, CaseTask, CaseEvent, CaseNotice, CaseMaterial, Rating]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _user_names(ids) -> dict:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=set(ids))
    return {u.pk: str(u) for u in users}


def _sequence_start() -> Counter:
    return Counter(dict(CaseSequence.objects.values_list("day", "last")))


def _copy(cursor, model, rows):
    """COPY rows (dicts by attname) into the model's table: PostgreSQL's fastest way in."""
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    jsons = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(row[f.attname], ensure_ascii=False)
                    if f.attname in jsons
                    else row[f.attname]
                    for f in fields
                ]
            )


def write(batch: Batch) -> dict:
    """Store a planned batch (call inside a transaction) and move the case-number sequences."""
    tables = {
        Case: batch.cases,
        CaseTask: batch.tasks,
        CaseEvent: batch.events,
        CaseNotice: batch.notices,
        CaseMaterial: batch.materials,
        Rating: batch.ratings,
    }
    with connection.cursor() as cursor:
        for model, rows in tables.items():
            if connection.vendor == "postgresql":
                _copy(cursor, model, rows)
            else:
                model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
    for day, last in batch.sequence.items():
        CaseSequence.objects.update_or_create(day=day, defaults={"last": last})
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
                cursor.execute(sql)
    return {model._meta.model_name: len(rows) for model, rows in tables.items()}


def clerk_units() -> dict:
    """{unit_id: clerk user id}: every unit in a clerk's subtree files online through them."""
    from renshi.personnel.models import Unit, UserScope

    result = {}
    for scope in UserScope.objects.select_related("unit"):
        for pk in Unit.objects.filter(path__startswith=scope.unit.path).values_list(
            "id", flat=True
        ):
            result.setdefault(pk, scope.user_id)
    return result


def staff_by_role() -> dict:
    from django.contrib.auth import get_user_model

    from renshi.core.roles import BUREAU_ROLES

    staff = defaultdict(list)
    users = get_user_model().objects.filter(role__in=BUREAU_ROLES, is_active=True).order_by("pk")
    for pk, role in users.values_list("pk", "role"):
        staff[role].append(pk)
    return dict(staff)


# --- The demo (load_demo_cases) -------------------------------------------------------------


def load(*, count: int = 190, seed: int = 2026, log=print) -> dict | None:
    """The demo's cases: `count` planned over the last three months plus a few through the
    engine today (transfer-in, supplement, retirement, slot use); then the tick. None when the
    database already has cases (the command is idempotent)."""
    from django.db import transaction

    from renshi.core.audit import audit_record
    from renshi.hall.models import ItemVersion, VersionStatus
    from renshi.hall.tick import tick
    from renshi.personnel.models import Unit

    if Case.objects.exists():
        return None
    versions = list(
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, item__active=True, item__effect=""
        ).select_related("item")
    )
    clerks = clerk_units()
    rng = random.Random(seed)
    names = dict(Unit.objects.values_list("id", "name"))
    by_clerk = defaultdict(list)
    for unit_id, clerk in sorted(clerks.items()):
        by_clerk[clerk].append((unit_id, names[unit_id]))
    others = [(pk, name) for pk, name in sorted(names.items()) if pk not in clerks]
    # Each demo clerk's units file about as many cases as 15 other units together.
    units = [u for group in by_clerk.values() for u in rng.choices(group, k=15)]
    units += rng.sample(others, min(60, len(others)))
    with transaction.atomic():
        planner = CasePlanner(
            versions=versions, units=units, clerks=clerks, staff=staff_by_role(), seed=seed
        )
        counts = write(planner.plan(count, open_share=0.35))
        counts["engine"] = engine_cases(log=log)
        audit_record(
            actor="演示数据",
            action="hall.demo.load",
            object_type="hall.case",
            object_id=str(seed),
            label=f"办事大厅演示办件 {count} 件",
            after=counts,
        )
    counts["tick"] = tick()
    return counts


def engine_cases(*, log=print) -> int:
    """A few cases with effects on the personnel database, run through the engine today."""
    from django.contrib.auth import get_user_model

    from renshi.hall.errors import HallError

    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
    made = 0
    for step in (_filed_transfer, _supplement_transfer, _accepted_retirement, _accepted_slot_use):
        try:
            step(users)
            made += 1
        except (HallError, KeyError, LookupError) as e:
            log(f"跳过演示办件（{step.__doc__}）：{getattr(e, 'message', e)}")
    return made


DEMO_USERS = ["hall_window", "clerk_caizheng", "clerk_jiaoyu", "clerk_zhongxin", "clerk_tiedong"]


def _item(code):
    from renshi.hall.models import ServiceItem

    return ServiceItem.objects.get(code=code)


def _materials(item, *, leave_out=0):
    from renshi.hall.cases import published_version_of

    names = [m["name"] for m in published_version_of(item).materials if not m["optional"]]
    return names[: len(names) - leave_out]


def _free_category(unit):
    """A category in which the unit has a free slot (LookupError when none)."""
    for line in unit.establishment.order_by("category"):
        if line.available > 0:
            return line.category
    raise LookupError(f"{unit.name}没有空编")


def _someone_elsewhere(unit):
    from renshi.personnel.models import Person, PersonStatus

    person = (
        Person.objects.filter(status=PersonStatus.ACTIVE)
        .exclude(unit__path__startswith=unit.path)
        .order_by("id")
        .first()
    )
    if person is None:
        raise LookupError("没有可调入的人员")
    return person


def _transfer_form(unit):
    from renshi.core.crypto import decrypt

    person = _someone_elsewhere(unit)
    category = _free_category(unit)
    return {
        "name": person.name,
        "id_number": decrypt(person.id_number_cipher),
        "category": category,
    }


def _file(clerk, code, form, *, leave_out=0):
    from renshi.hall import cases
    from renshi.personnel.selectors import scope_unit

    item = _item(code)
    return cases.case_file(
        actor=clerk,
        item=item,
        unit=scope_unit(clerk),
        applicant_name=str(clerk),
        applicant_phone="13904120002",
        form=form,
        materials=_materials(item, leave_out=leave_out),
    )


def _filed_transfer(users):
    """调入，待窗口受理"""
    from renshi.personnel.selectors import scope_unit

    clerk = users["clerk_caizheng"]
    _file(clerk, "RS-003", _transfer_form(scope_unit(clerk)))


def _supplement_transfer(users):
    """调入，待补正"""
    from renshi.hall import cases
    from renshi.personnel.selectors import scope_unit

    clerk = users["clerk_jiaoyu"]
    case = _file(clerk, "RS-003", _transfer_form(scope_unit(clerk)), leave_out=1)
    items = [{"name": n, "reason": "未提交"} for n in cases.missing_materials(case)]
    cases.request_supplement(actor=users["hall_window"], case=case, items=items)


def _accepted_retirement(users):
    """退休审批，办理中"""
    from renshi.core.crypto import decrypt
    from renshi.hall import cases
    from renshi.personnel.models import Person, PersonStatus
    from renshi.personnel.selectors import scope_unit

    clerk = users["clerk_zhongxin"]
    unit = scope_unit(clerk)
    person = (
        Person.objects.filter(status=PersonStatus.ACTIVE, unit__path__startswith=unit.path)
        .order_by("birth_date", "id")
        .first()
    )
    if person is None:
        raise LookupError("没有在职人员")
    form = {"name": person.name, "id_number": decrypt(person.id_number_cipher)}
    case = _file(clerk, "RS-005", form)
    cases.accept(actor=users["hall_window"], case=case)


def _accepted_slot_use(users):
    """用编核准，办理中（已预留编制）"""
    from renshi.core import idnumbers
    from renshi.hall import cases
    from renshi.personnel.selectors import scope_unit

    clerk = users["clerk_tiedong"]
    unit = scope_unit(clerk)
    number = idnumbers.make_id_number("210302", datetime.date(1998, 5, 17), 218)
    form = {"name": "林新编", "id_number": number, "category": _free_category(unit)}
    case = _file(clerk, "BZ-001", form)
    cases.accept(actor=users["hall_window"], case=case)
