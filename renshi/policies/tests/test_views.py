"""Public pages and the staff pages: who may do what, bad input changes nothing, every change
audited."""

import datetime

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.policies import services
from renshi.policies.models import LinkKind, Policy, Status, StudyArticle, StudyKind, Validity
from renshi.policies.tests.helpers import editor, policy

pytestmark = pytest.mark.django_db

FORM = {
    "title": "鞍山市事业单位工作人员考核实施办法",
    "doc_number": "",
    "issuer": "鞍山市人事局",
    "level": "bureau",
    "published_on": "2024-05-01",
    "effective_on": "2024-06-01",
    "body": "第一条 为了做好事业单位工作人员考核工作，制定本办法。",
    "is_sample": "on",
}


def test_it_lists_and_searches_for_anyone(client):
    policy(title="公务员考核规定", body="考核")
    response = client.get(reverse("policies:index"), {"q": "公务员 考核"})
    assert response.status_code == 200
    assert "<mark>公务员</mark><mark>考核</mark>规定" in response.content.decode()
    assert "找到 1 份文件" in response.content.decode()


def test_it_reports_bad_filters_and_still_lists(client):
    policy(title="甲")
    response = client.get(reverse("policies:index"), {"year": "二〇二四", "level": "x"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "年份应为四位数字" in body and "效力级别无效" in body and "甲" in body


def test_the_document_page_shows_validity_and_links(client):
    old = policy(title="考核暂行规定", published_on=datetime.date(2007, 1, 4))
    new = policy(title="考核规定", published_on=datetime.date(2020, 12, 28))
    services.link_add(actor=None, source=new, target=old, kind=LinkKind.REPLACES)
    body = client.get(reverse("policies:detail", args=[old.pk])).content.decode()
    assert "已废止" in body and "2020年12月28日 废止" in body
    assert f'href="{new.get_absolute_url()}"' in body and "替代" in body
    body = client.get(reverse("policies:detail", args=[new.pk])).content.decode()
    assert "现行有效" in body and f'href="{old.get_absolute_url()}"' in body


def test_a_draft_is_404_to_the_public(client):
    draft = policy(title="草稿", publish=False)
    assert client.get(reverse("policies:detail", args=[draft.pk])).status_code == 404


def test_staff_pages_are_404_to_outsiders(client, django_user_model):
    doc = policy()
    outsider = django_user_model.objects.create_user(
        username="clerk", password="x", role=Role.UNIT_CLERK
    )
    client.force_login(outsider)
    for name, args in [("manage_list", []), ("manage_new", []), ("manage_detail", [doc.pk])]:
        assert client.get(reverse(f"policies:{name}", args=args)).status_code == 404
    response = client.post(
        reverse("policies:manage_repeal", args=[doc.pk]), {"repealed_on": "2025-01-01"}
    )
    assert response.status_code == 404
    doc.refresh_from_db()
    assert doc.validity == Validity.IN_FORCE


def test_an_editor_creates_publishes_and_the_text_is_searchable(client):
    client.force_login(editor())
    response = client.post(reverse("policies:manage_new"), FORM)
    doc = Policy.objects.get()
    assert response.status_code == 302
    assert doc.status == Status.DRAFT and doc.is_sample
    client.post(reverse("policies:manage_publish", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED
    assert "<mark>考核</mark>" in client.get("/policies/?q=考核").content.decode()
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions == ["policies.create", "policies.publish"]


def test_bad_input_gets_a_chinese_message_and_changes_nothing(client):
    client.force_login(editor(role=Role.SECTION_CHIEF))
    response = client.post(reverse("policies:manage_new"), {**FORM, "title": "", "level": "x"})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Policy.objects.exists()
    doc = policy()
    response = client.post(
        reverse("policies:manage_repeal", args=[doc.pk]), {"repealed_on": "2020-01-01"}, follow=True
    )
    assert "失效日期不能早于发布日期" in response.content.decode()
    response = client.post(
        reverse("policies:manage_link", args=[doc.pk]),
        {"kind": "repeals", "target": "999999"},
        follow=True,
    )
    assert "没有 ID 为 999999 的文件" in response.content.decode()
    response = client.post(
        reverse("policies:manage_link", args=[doc.pk]),
        {"kind": "repeals", "target": doc.pk},
        follow=True,
    )
    assert "不能修订或废止自身" in response.content.decode()
    doc.refresh_from_db()
    assert doc.validity == Validity.IN_FORCE
    assert not AuditEvent.objects.filter(action__in=["policies.link", "policies.validity"]).exists()


def test_an_editor_repeals_and_links_with_audit(client):
    client.force_login(editor())
    old = policy(title="旧办法", published_on=datetime.date(2015, 1, 1))
    new = policy(title="新办法", published_on=datetime.date(2024, 1, 1))
    client.post(
        reverse("policies:manage_link", args=[new.pk]), {"kind": "amends", "target": old.pk}
    )
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED
    client.post(reverse("policies:manage_repeal", args=[old.pk]), {"repealed_on": "2025-01-01"})
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and old.repealed_on == datetime.date(2025, 1, 1)
    response = client.post(
        reverse("policies:manage_link", args=[old.pk]),
        {"kind": "amends", "target": new.pk},
        follow=True,
    )
    assert "晚于" in response.content.decode()
    validity = AuditEvent.objects.filter(action="policies.validity").order_by("id")
    assert [e.after["validity"] for e in validity] == ["amended", "repealed"]


def test_an_edit_is_audited_with_only_what_changed(client):
    client.force_login(editor())
    doc = policy(title="甲", body="旧正文")
    client.post(
        reverse("policies:manage_edit", args=[doc.pk]), {**FORM, "title": "乙", "body": "新正文"}
    )
    event = AuditEvent.objects.filter(action="policies.update").get()
    assert event.before["title"] == "甲" and event.after["title"] == "乙"
    assert "正文已修改" in event.note


def test_study_articles_are_written_by_staff_and_read_by_anyone(client):
    doc = policy(title="公务员考核规定")
    client.force_login(editor())
    client.post(
        reverse("policies:manage_study_new"),
        {
            "title": "年度考核不称职怎么办",
            "kind": StudyKind.QA,
            "question": "问",
            "answer": "答",
            "policies": [doc.pk],
        },
    )
    article = StudyArticle.objects.get()
    client.logout()
    assert client.get(reverse("policies:study_detail", args=[article.pk])).status_code == 404
    client.force_login(editor("chief", Role.SECTION_CHIEF))
    client.post(reverse("policies:manage_study_publish", args=[article.pk]), {"publish": "1"})
    client.logout()
    assert "年度考核不称职怎么办" in client.get(reverse("policies:study_list")).content.decode()
    body = client.get(reverse("policies:study_detail", args=[article.pk])).content.decode()
    assert "公务员考核规定" in body
    body = client.get(reverse("policies:detail", args=[doc.pk])).content.decode()
    assert "年度考核不称职怎么办" in body


def test_the_search_page_uses_few_queries(client, django_assert_max_num_queries):
    for i in range(30):
        policy(title=f"文件{i}", body="公务员考核")
    # ranked ids (with SET/RESET enable_seqscan on PostgreSQL), the page's rows, the issuers
    with django_assert_max_num_queries(6):
        client.get("/policies/?q=公务员+考核&level=bureau")


def test_staff_pages_render_for_editors(client):
    doc = policy(title="甲")
    client.force_login(editor())
    pages = [
        reverse("policies:manage_list"),
        reverse("policies:manage_new"),
        reverse("policies:manage_detail", args=[doc.pk]),
        reverse("policies:manage_edit", args=[doc.pk]),
        reverse("policies:manage_study_list"),
        reverse("policies:manage_study_new"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_a_single_character_query_says_the_scan_is_bounded(client):
    policy(title="甲", body="施行")
    body = client.get("/policies/", {"q": "施"}).content.decode()
    assert "单个汉字无法使用全文索引" in body and "最多列出 300 份" in body


def test_attachments_are_documents_only(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = policy(title="甲")
    client.force_login(editor())
    url = reverse("policies:manage_attach", args=[doc.pk])
    bad = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html")
    response = client.post(url, {"name": "附件", "file": bad}, follow=True)
    assert "附件只能是" in response.content.decode()
    assert not doc.attachments.exists()
    good = SimpleUploadedFile("通知.pdf", b"%PDF-1.4", "application/pdf")
    client.post(url, {"name": "", "file": good})
    assert list(doc.attachments.values_list("name", flat=True)) == ["通知.pdf"]
    assert AuditEvent.objects.filter(action="policies.attach").count() == 1
    body = client.get(reverse("policies:detail", args=[doc.pk])).content.decode()
    assert "通知.pdf" in body
