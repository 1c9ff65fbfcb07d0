"""Reads of the policy library: the public list with filters and search, one document, study."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404

from renshi.policies import search, textindex
from renshi.policies.models import (
    Level,
    Policy,
    PolicyLink,
    Status,
    StudyArticle,
    Validity,
)

PAGE_SIZE = 20
LIST_FIELDS = (
    "id",
    "title",
    "doc_number",
    "issuer",
    "level",
    "published_on",
    "effective_on",
    "validity",
    "is_sample",
)


@dataclass
class Filters:
    level: str = ""
    issuer: str = ""
    validity: str = ""
    year: int | None = None
    errors: list[str] = field(default_factory=list)


def parse_filters(params) -> Filters:
    """Unknown values are reported and ignored (the list still shows)."""
    f = Filters()
    level = params.get("level", "")
    if level in Level.values:
        f.level = level
    elif level:
        f.errors.append("效力级别无效，已忽略")
    validity = params.get("validity", "")
    if validity in Validity.values:
        f.validity = validity
    elif validity:
        f.errors.append("时效性无效，已忽略")
    f.issuer = params.get("issuer", "").strip()[:100]
    year = params.get("year", "").strip()
    if year:
        if year.isdigit() and 1949 <= int(year) <= 2100:
            f.year = int(year)
        else:
            f.errors.append("年份应为四位数字，已忽略")
    return f


def public_policies():
    return Policy.objects.filter(status=Status.PUBLISHED)


def _filtered(queryset, f: Filters):
    if f.level:
        queryset = queryset.filter(level=f.level)
    if f.validity:
        queryset = queryset.filter(validity=f.validity)
    if f.issuer:
        queryset = queryset.filter(issuer=f.issuer)
    if f.year:
        queryset = queryset.filter(published_on__year=f.year)
    return queryset


@dataclass
class Results:
    page: object
    query: textindex.Query
    bounded: bool = False
    hits: list = field(default_factory=list)  # (policy, title_html, snippet_html) for the page


def policy_search(*, q: str, filters: Filters, page_number) -> Results:
    """The public list: filters, and when q is given the ranked full-text matches with snippets."""
    query = textindex.parse_query(q)
    queryset = _filtered(public_policies(), filters).only(*LIST_FIELDS)
    bounded = False
    if query:
        queryset, bounded = search.matching(queryset, query)
        if bounded:
            # One-character terms scan newest first and stop after the limit.
            ids = list(
                _filtered(public_policies(), filters)
                .filter(search._contains_all(query.single_chars))
                .order_by("-published_on", "-id")
                .values_list("id", flat=True)[: search.SINGLE_CHAR_SCAN_LIMIT]
            )
            queryset = queryset.filter(pk__in=ids)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    results = Results(page=page, query=query, bounded=bounded)
    if query:
        _add_snippets(results)
    return results


def _add_snippets(results: Results) -> None:
    # The body is read only for the page shown, not for every match.
    policies = list(results.page.object_list)
    bodies = dict(Policy.objects.filter(pk__in=[p.pk for p in policies]).values_list("id", "body"))
    terms = results.query.terms
    for policy in policies:
        results.hits.append(
            (
                policy,
                textindex.highlight(policy.title, terms),
                textindex.snippet(bodies.get(policy.pk, ""), terms),
            )
        )


def issuers() -> list[str]:
    return list(
        public_policies().order_by("issuer").values_list("issuer", flat=True).distinct()[:200]
    )


def policy_detail(pk) -> Policy:
    """A published document with its links both ways; drafts are 404 to the public."""
    links = PolicyLink.objects.select_related("source", "target").filter(
        source__status=Status.PUBLISHED, target__status=Status.PUBLISHED
    )
    try:
        return (
            public_policies()
            .prefetch_related(
                Prefetch("links_out", queryset=links),
                Prefetch("links_in", queryset=links),
                "attachments",
                Prefetch(
                    "study_articles",
                    queryset=StudyArticle.objects.filter(status=Status.PUBLISHED),
                ),
            )
            .get(pk=pk)
        )
    except Policy.DoesNotExist:
        raise Http404 from None


def public_study():
    return StudyArticle.objects.filter(status=Status.PUBLISHED)


def study_detail(pk) -> StudyArticle:
    try:
        return (
            public_study()
            .prefetch_related(Prefetch("policies", queryset=public_policies().only(*LIST_FIELDS)))
            .get(pk=pk)
        )
    except StudyArticle.DoesNotExist:
        raise Http404 from None
