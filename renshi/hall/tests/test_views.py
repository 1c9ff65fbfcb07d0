import pytest
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.hall import services
from renshi.hall.models import ItemVersion, VersionStatus
from renshi.hall.tests.test_versions import make_item, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return publish(make_item(legal_basis="《测试条例》"))


def login(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    return user


def test_anonymous_reads_published_items(client, published):
    draft_only = make_item(code="T-002")
    page = client.get(reverse("hall:item_list")).content.decode()
    assert "测试事项" in page and "承诺 5 个工作日" in page
    assert reverse("hall:item_detail", args=["T-002"]) not in page
    detail = client.get(reverse("hall:item_detail", args=["T-001"])).content.decode()
    assert (
        "《测试条例》" in detail
        and "申请表" in detail
        and "原件" in detail
        and "局领导审批" in detail
    )
    assert client.get(reverse("hall:item_detail", args=[draft_only.item.code])).status_code == 404


def test_outsiders_get_404_on_staff_pages(client, published):
    urls = [
        reverse("hall:manage_list"),
        reverse("hall:item_versions", args=["T-001"]),
        reverse("hall:version_detail", args=[published.pk]),
        reverse("hall:version_edit", args=[published.pk]),
        reverse("hall:export_all"),
        reverse("hall:import_yaml"),
    ]
    assert client.get(urls[0]).status_code == 302  # anonymous → login
    for role in (Role.CANDIDATE, Role.UNIT_CLERK, Role.EXAM_OFFICE):
        login(client, role)
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
        assert (
            client.post(reverse("hall:version_new_draft", args=[published.pk])).status_code == 404
        )
    assert published.item.versions.count() == 1


def test_staff_edit_submit_publish_and_diff(client, published):
    login(client, Role.PERSONNEL)
    assert client.get(reverse("hall:manage_list")).status_code == 200
    client.post(reverse("hall:version_new_draft", args=[published.pk]))
    draft = ItemVersion.objects.get(item=published.item, status=VersionStatus.DRAFT)
    url = reverse("hall:version_edit", args=[draft.pk])
    assert "窗口受理" in client.get(url).content.decode()
    form = {
        "legal_basis": "《测试条例》第二条",
        "conditions": "",
        "fee": "不收费",
        "legal_limit_days": 10,
        "promised_limit_days": 4,
        "materials": "- name: 申请表\n  original: true\n  count: 2\n- name: 身份证\n",
        "steps": "- {code: accept, name: 窗口受理, role: hall_window, limit_days: 1}\n",
        "result_documents": "- 批复\n",
    }
    # Bad input: a Chinese message, nothing saved.
    bad = client.post(url, {**form, "promised_limit_days": 11}).content.decode()
    assert "承诺时限不能超过法定时限" in bad
    draft.refresh_from_db()
    assert draft.promised_limit_days == 5
    assert "YAML 格式错误" in client.post(url, {**form, "steps": "- [\n"}).content.decode()
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.promised_limit_days == 4 and len(draft.materials) == 2 and len(draft.steps) == 1
    diff = client.get(reverse("hall:version_diff", args=[draft.pk, published.pk])).content.decode()
    assert (
        "身份证" in diff and "新增" in diff and "删除" in diff
    )  # material added, step leader removed
    client.post(reverse("hall:version_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.REVIEW
    # Only a section chief publishes.
    assert client.post(reverse("hall:version_publish", args=[draft.pk])).status_code == 404
    login(client, Role.SECTION_CHIEF)
    client.post(reverse("hall:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and published.status == VersionStatus.RETIRED
    assert "承诺 4 个工作日" in client.get(reverse("hall:item_list")).content.decode()


def test_published_version_has_no_edit(client, published):
    login(client, Role.ESTABLISHMENT)
    response = client.post(
        reverse("hall:version_edit", args=[published.pk]), {"promised_limit_days": 1}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.promised_limit_days == 5


def test_export_and_import_pages(client, published):
    login(client, Role.SECTION_CHIEF)
    response = client.get(reverse("hall:export_item", args=["T-001"]))
    assert response["Content-Disposition"].endswith('T-001.yaml"')
    text = response.content.decode()
    bad = client.post(
        reverse("hall:import_yaml"), {"text": text.replace("limit_days: 1", "limit_days: -1")}
    )
    assert "时限应为正整数" in bad.content.decode() and "行" in bad.content.decode()
    assert (
        client.post(
            reverse("hall:import_yaml"),
            {"text": text.replace("promised_limit_days: 5", "promised_limit_days: 3")},
        ).status_code
        == 302
    )
    assert published.item.versions.get(status=VersionStatus.DRAFT).promised_limit_days == 3
    assert services.yaml_export().count("code: T-001") == 1


def test_public_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(5):
        publish(make_item(code=f"Q-{n}"))
    with django_assert_max_num_queries(3):
        assert client.get(reverse("hall:item_list")).status_code == 200


def test_staff_version_page_shows_actions(client, published):
    login(client, Role.SECTION_CHIEF)
    page = client.get(reverse("hall:version_detail", args=[published.pk])).content.decode()
    assert "复制为新草稿" in page and "局领导" in page
    response = client.post(reverse("hall:version_submit", args=[published.pk]), follow=True)
    assert "只有草稿可以提交审核" in response.content.decode()


def test_staff_create_item(client):
    login(client, Role.ESTABLISHMENT)
    url = reverse("hall:item_new")
    assert client.get(url).status_code == 200
    form = {
        "code": "N-1",
        "name": "新事项",
        "section": "establishment",
        "fee": "",
        "legal_limit_days": 5,
        "promised_limit_days": 3,
        "materials": "- name: 申请书\n",
        "steps": "",
        "result_documents": "",
    }
    assert "办理环节不能为空" in client.post(url, form).content.decode()
    assert not ItemVersion.objects.exists()
    form["steps"] = "- {code: a, name: 受理, role: hall_window, limit_days: 1}\n"
    assert client.post(url, form).status_code == 302
    version = ItemVersion.objects.get(item__code="N-1")
    assert version.status == VersionStatus.DRAFT and version.fee == "不收费"
    assert "已存在" in client.post(url, form).content.decode()
    login(client, Role.UNIT_CLERK)
    assert client.get(url).status_code == 404
