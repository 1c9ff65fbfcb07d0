"""Shared set-up for the case tests: the seeded catalogue, two units, a person, the bureau."""

import datetime
from pathlib import Path

from renshi.core.crypto import decrypt
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.hall import cases, services
from renshi.hall.models import ServiceItem
from renshi.personnel.models import EstablishmentCategory
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

ITEMS_YAML = Path(__file__).resolve().parents[1] / "data" / "items.yaml"
INST = EstablishmentCategory.INSTITUTION


def load_items():
    services.yaml_import(actor="测试", text=ITEMS_YAML.read_text(encoding="utf-8"), publish=True)


def item(code):
    return ServiceItem.objects.get(code=code)


class Bureau:
    """One user per bureau role (the 会签 step of establishment gets one task per member)."""

    def __init__(self):
        self.window = UserFactory(role=Role.HALL_WINDOW, full_name="窗口")
        self.personnel = UserFactory(role=Role.PERSONNEL, full_name="人事科")
        self.establishment = UserFactory(role=Role.ESTABLISHMENT, full_name="编制科")
        self.chief = UserFactory(role=Role.SECTION_CHIEF, full_name="科长")
        self.leader = UserFactory(role=Role.BUREAU_LEADER, full_name="局领导")

    def by_role(self, role):
        return {
            Role.HALL_WINDOW: self.window,
            Role.PERSONNEL: self.personnel,
            Role.ESTABLISHMENT: self.establishment,
            Role.SECTION_CHIEF: self.chief,
            Role.BUREAU_LEADER: self.leader,
        }[role]


def transfer_setup(free_slots=1):
    """A person in unit A, and unit B (with its clerk) that has `free_slots` institution slots."""
    a, b = make_unit("甲单位"), make_unit("乙单位")
    person = make_person(a, name="李四", category=INST)
    establishment.establishment_approve(
        actor="测试", unit=b, category=INST, approved=free_slots, document_number="鞍编〔2026〕2号"
    )
    return a, b, person, make_clerk(b)


def file_transfer(clerk, unit, person, **kwargs):
    return cases.case_file(
        actor=clerk,
        item=item("RS-003"),
        unit=unit,
        applicant_name="王经办",
        applicant_phone="13904120002",
        form={"name": person.name, "id_number": decrypt(person.id_number_cipher), "category": INST},
        materials=kwargs.pop("materials", ["事业单位人员商调表", "空编使用通知书"]),
        **kwargs,
    )


def accepted_transfer(bureau=None):
    """A transfer-in filed by unit B's clerk and accepted at the window: (case, bureau, clerk)."""
    _a, b, person, clerk = transfer_setup()
    bureau = bureau or Bureau()
    case = cases.accept(actor=bureau.window, case=file_transfer(clerk, b, person))
    return case, bureau, clerk


def walk_through(case, bureau, decision="approve"):
    """Sign every open step of the case in turn until it is concluded."""
    from renshi.hall.models import CaseStatus, TaskStatus

    while True:
        case.refresh_from_db()
        if case.status != CaseStatus.IN_PROGRESS:
            return case
        for task in case.tasks.filter(status=TaskStatus.OPEN):
            user = task.assignee or bureau.by_role(task.role)
            cases.complete(actor=user, case=case, task=task, decision=decision, opinion="同意")


DAY = datetime.date(2026, 11, 25)
