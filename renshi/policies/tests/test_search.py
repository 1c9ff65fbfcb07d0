"""Full-text search on both databases: terms anywhere in the text, AND, phrases, ranking,
filters, highlighting and hostile queries."""

import datetime

import pytest
from django.db import connection

from renshi.policies import selectors, services, textindex
from renshi.policies.models import Level, LinkKind, Validity
from renshi.policies.tests.helpers import policy

pytestmark = pytest.mark.django_db


def search(q, **params):
    filters = selectors.parse_filters(params)
    return selectors.policy_search(q=q, filters=filters, page_number=1)


def titles(results):
    return [p.title for p, _, _ in results.hits]


def test_it_finds_both_terms_deep_in_the_body_not_only_in_titles():
    filler = "各单位应当认真组织实施。" * 200
    policy(title="关于做好年度工作的通知", body=filler + "对公务员的考核，应当全面考核德能勤绩廉。")
    policy(title="公务员考核规定", body="第一条 为了规范公务员考核工作，制定本规定。")
    policy(title="事业单位招聘办法", body="公务员不得参加本次招聘。")  # 公务员 only
    results = search("公务员 考核")
    assert titles(results) == ["公务员考核规定", "关于做好年度工作的通知"]
    assert results.page.paginator.count == 2


def test_it_matches_a_term_only_where_its_characters_stand_together():
    policy(title="甲", body="公务。员工作，考核")  # 公务 and 务员 never adjacent
    policy(title="乙", body="公务员年度考核")
    assert titles(search("公务员")) == ["乙"]
    assert titles(search("公务员年度考核")) == ["乙"]


def test_it_ranks_title_hits_first_then_newest():
    policy(title="旧的正文", published_on=datetime.date(2020, 1, 1), body="考核办法")
    policy(title="新的正文", published_on=datetime.date(2024, 1, 1), body="考核办法")
    policy(title="考核规定", published_on=datetime.date(2010, 1, 1), body="本规定")
    assert titles(search("考核")) == ["考核规定", "新的正文", "旧的正文"]


def test_it_combines_the_query_with_filters():
    policy(title="法律", level=Level.LAW, body="考核", published_on=datetime.date(2019, 1, 1))
    policy(title="本局", level=Level.BUREAU, body="考核", published_on=datetime.date(2024, 1, 1))
    assert titles(search("考核", level="law")) == ["法律"]
    assert titles(search("考核", year="2024")) == ["本局"]
    assert titles(search("考核", level="law", year="2024")) == []


def test_it_marks_a_repealed_document_in_the_results():
    old = policy(title="考核暂行规定", published_on=datetime.date(2007, 1, 1))
    new = policy(title="考核规定", published_on=datetime.date(2020, 1, 1))
    services.link_add(actor=None, source=new, target=old, kind=LinkKind.REPLACES)
    results = search("考核")
    assert [p.validity for p, _, _ in results.hits] == [Validity.IN_FORCE, Validity.REPEALED]
    assert titles(search("考核", validity="repealed")) == ["考核暂行规定"]


def test_it_highlights_hits_and_escapes_the_text():
    policy(title="<b>考核</b>办法", body="对<script>alert(1)</script>人员进行考核。")
    (hit,) = search("考核").hits
    _, title_html, snippet_html = hit
    assert title_html == "&lt;b&gt;<mark>考核</mark>&lt;/b&gt;办法"
    assert "<script>" not in snippet_html
    assert "&lt;script&gt;" in snippet_html
    assert "<mark>考核</mark>" in snippet_html


@pytest.mark.parametrize(
    "hostile",
    [
        "考核' OR 1=1 --",
        '考核" OR "',
        "考核 & ! | <-> :* (",
        "考核); DROP TABLE policies_policy; --",
        "NEAR(考核 公务员)",
        "<mark>考核</mark>",
        "考核\\",
    ],
)
def test_it_treats_any_query_as_words_only(hostile):
    policy(title="考核规定", body="考核")
    policy(title="其他", body="其他")
    results = search(hostile)
    assert titles(results) == ["考核规定"] or results.page.paginator.count == 0
    for _, title_html, snippet_html in results.hits:
        assert "<script" not in title_html + snippet_html


def test_it_finds_ascii_words_and_document_numbers():
    policy(title="甲", doc_number="人社部令第18号", body="按照GB/T 2261标准")
    assert titles(search("gb")) == ["甲"]
    assert titles(search("人社部令")) == ["甲"]
    assert titles(search("2261")) == ["甲"]


def test_a_single_character_scans_with_a_bound_and_says_so():
    policy(title="甲", body="本办法自发布之日起施行。")
    policy(title="乙", body="没有那个字")
    results = search("施")
    assert titles(results) == ["甲"]
    assert results.bounded


def test_drafts_are_not_found():
    policy(title="草稿考核", publish=False)
    assert titles(search("考核")) == []


def test_an_edit_reindexes_the_document():
    doc = policy(title="甲", body="考核")
    services.policy_update(actor=None, policy=doc, body="奖励")
    assert titles(search("考核")) == []
    assert titles(search("奖励")) == ["甲"]


def test_it_pages_the_results():
    for i in range(25):
        policy(title=f"文件{i}", body="公务员考核", published_on=datetime.date(2000 + i, 1, 1))
    first = selectors.policy_search(q="公务员 考核", filters=selectors.Filters(), page_number=1)
    second = selectors.policy_search(q="公务员 考核", filters=selectors.Filters(), page_number=2)
    assert first.page.paginator.count == 25
    assert len(first.hits) == 20 and len(second.hits) == 5
    assert first.hits[0][0].title == "文件24"


def test_long_documents_past_the_position_limit_are_still_found(settings):
    body = "前言" * 9000 + "末尾提到公务员考核。"
    policy(title="长文件", body=body)
    doc_partial = textindex.pg_tsvector(body)[1]
    assert doc_partial
    assert titles(search("公务员考核")) == ["长文件"]


def test_tokens_leave_gaps_across_punctuation():
    assert textindex.tokens("公务员，考核 GB2312") == [
        ("公务", 1),
        ("务员", 2),
        ("考核", 4),
        ("gb2312", 6),
    ]
    assert textindex.parse_query("  公务员　考核 考核 ").terms == ("公务员", "考核")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="FTS5 phrases are exact already")
def test_past_the_exact_limit_only_the_page_is_phrase_checked(monkeypatch):
    monkeypatch.setattr(selectors.RankedMatches, "EXACT_UP_TO", 2)
    monkeypatch.setattr(selectors.RankedMatches, "CHUNK", 2)
    policy(title="甲", body="公务和务员", published_on=datetime.date(2024, 1, 1))  # apart
    for i in range(3):
        policy(title=f"乙{i}", body="公务员", published_on=datetime.date(2020, 1, 1 + i))
    results = search("公务员")
    assert results.approximate
    assert results.page.paginator.count == 4  # documents holding both bigrams
    assert titles(results) == ["乙2", "乙1", "乙0"]
