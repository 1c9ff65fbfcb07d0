import pytest
from django.core.management import call_command

from renshi.core.models import AuditEvent
from renshi.hall import definitions, services
from renshi.hall.errors import HallError
from renshi.hall.models import ItemVersion, ServiceItem, VersionStatus

pytestmark = pytest.mark.django_db
SYSTEM = "测试"

STEPS = [
    {
        "code": "accept",
        "name": "窗口受理",
        "role": "hall_window",
        "limit_days": 1,
        "sign_mode": "any",
    },
    {
        "code": "leader",
        "name": "局领导审批",
        "role": "bureau_leader",
        "limit_days": 2,
        "sign_mode": "any",
    },
]
MATERIALS = [{"name": "申请表", "original": True, "count": 2}]


def make_item(code="T-001", **fields):
    data = {
        "legal_limit_days": 10,
        "promised_limit_days": 5,
        "steps": STEPS,
        "materials": MATERIALS,
        "result_documents": ["批复"],
    }
    data.update(fields)
    return services.item_create(actor=SYSTEM, code=code, name="测试事项", section="人事科", **data)


def publish(version):
    version = services.version_submit(actor=SYSTEM, version=version)
    return services.version_publish(actor=SYSTEM, version=version)


def test_lifecycle_and_one_published():
    v1 = publish(make_item())
    assert v1.status == VersionStatus.PUBLISHED and v1.published_at
    v2 = services.version_draft_from(actor=SYSTEM, version=v1)
    assert v2.number == 2 and v2.content() == v1.content() and v2.status == VersionStatus.DRAFT
    v2 = services.version_update(actor=SYSTEM, version=v2, promised_limit_days=3)
    publish(v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    assert ItemVersion.objects.filter(item=v1.item, status="published").count() == 1
    assert AuditEvent.objects.filter(action="hall.version_publish").count() == 2


def test_published_version_never_changes():
    v1 = publish(make_item())
    v1.promised_limit_days = 1
    with pytest.raises(ValueError):
        v1.save()
    with pytest.raises(HallError, match="只有草稿"):
        services.version_update(actor=SYSTEM, version=v1, promised_limit_days=1)
    v1.refresh_from_db()
    assert v1.promised_limit_days == 5


def test_second_draft_refused_and_unique_published_index():
    v1 = publish(make_item())
    services.version_draft_from(actor=SYSTEM, version=v1)
    with pytest.raises(HallError, match="已有未发布"):
        services.version_draft_from(actor=SYSTEM, version=v1)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVersion.objects.create(item=v1.item, number=9, status="published", **v1.content())


def test_bad_content_changes_nothing():
    v = make_item()
    with pytest.raises(HallError, match="承诺时限不能超过法定时限"):
        services.version_update(actor=SYSTEM, version=v, promised_limit_days=20)
    with pytest.raises(HallError, match="办理环节不能为空"):
        services.version_update(actor=SYSTEM, version=v, steps=[])
    with pytest.raises(HallError, match="角色「boss」无效"):
        services.version_update(actor=SYSTEM, version=v, steps=[{**STEPS[0], "role": "boss"}])
    v.refresh_from_db()
    assert v.promised_limit_days == 5 and len(v.steps) == 2
    with pytest.raises(HallError, match="已存在"):
        make_item()
    assert ServiceItem.objects.count() == 1


def test_diff_materials_and_steps_by_key():
    old = make_item().content()
    new = {
        **old,
        "fee": "50元",
        "materials": [
            {**old["materials"][0], "count": 3},
            {"name": "身份证", "original": False, "count": 1, "optional": False, "note": ""},
        ],
        "steps": [old["steps"][0]],
    }
    changes = definitions.diff(old, new)
    kinds = {(c["field"], c["kind"], c["key"]) for c in changes}
    assert ("fee", "changed", "") in kinds
    assert ("materials", "changed", "申请表") in kinds
    assert ("materials", "added", "身份证") in kinds
    assert ("steps", "removed", "leader") in kinds
    assert definitions.diff(old, old) == []


def test_yaml_round_trip():
    v = publish(make_item(legal_basis="《条例》第三条"))
    text = services.yaml_export(v.item)
    assert "T-001" in text and "《条例》第三条" in text
    # Importing the export of a published item changes nothing.
    [same] = services.yaml_import(actor=SYSTEM, text=text)
    assert same.pk == v.pk and v.item.versions.count() == 1
    changed_text = text.replace("promised_limit_days: 5", "promised_limit_days: 4")
    [draft] = services.yaml_import(actor=SYSTEM, text=changed_text)
    assert (
        draft.status == VersionStatus.DRAFT and draft.number == 2 and draft.promised_limit_days == 4
    )


def test_yaml_import_errors_name_line_and_field():
    text = """items:
- code: X-1
  name: 坏事项
  section: 人事科
  legal_limit_days: 5
  promised_limit_days: 8
  steps:
  - code: a
    name: 受理
    role: nobody
    limit_days: 0
"""
    with pytest.raises(HallError) as exc:
        services.yaml_import(actor=SYSTEM, text=text)
    messages = exc.value.errors
    assert any(m.startswith("第6行") and "承诺时限不能超过法定时限" in m for m in messages)
    assert any(m.startswith("第10行") and "角色「nobody」无效" in m for m in messages)
    assert any(m.startswith("第11行") and "时限应为正整数" in m for m in messages)
    assert ServiceItem.objects.count() == 0
    with pytest.raises(HallError, match=r"第\d+行：YAML 格式错误"):
        services.yaml_import(actor=SYSTEM, text="items:\n - a: [\n")


def test_load_service_items_is_idempotent():
    call_command("load_service_items")
    assert ServiceItem.objects.count() >= 16
    assert ItemVersion.objects.filter(status="published").count() == ServiceItem.objects.count()
    for name in [
        "事业单位公开招聘备案",
        "人员调动(调入)",
        "退休审批",
        "年度考核结果备案",
        "军转干部安置",
    ]:
        assert ServiceItem.objects.filter(name=name).exists()
    assert ServiceItem.objects.filter(name__startswith="用编核准").exists()
    assert ServiceItem.objects.filter(name__startswith="职称评审").exists()
    count = ItemVersion.objects.count()
    call_command("load_service_items")
    assert ItemVersion.objects.count() == count


def test_publish_refused_unless_in_review_and_import_returns_review_to_draft():
    v = make_item()
    with pytest.raises(HallError, match="只有待审核的版本可以发布"):
        services.version_publish(actor=SYSTEM, version=v)
    services.version_submit(actor=SYSTEM, version=v)
    text = services.yaml_export(v.item).replace("promised_limit_days: 5", "promised_limit_days: 2")
    [again] = services.yaml_import(actor=SYSTEM, text=text)
    assert (
        again.pk == v.pk and again.status == VersionStatus.DRAFT and again.promised_limit_days == 2
    )
