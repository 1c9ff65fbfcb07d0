"""Reads of the policy library: the public list with filters and search, one document, study."""

from dataclasses import dataclass, field

from django.core.cache import cache
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
ISSUERS_CACHE_SECONDS = 60
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


class RankedMatches:
    """Ranked candidate ids as a sequence for Paginator, phrase-checked as they are read.

    Up to EXACT_UP_TO candidates are checked at once, so the count is exact; past that only the
    slice shown is checked (walking the ranking in chunks) and the count — that of documents
    holding every bigram — is shown as approximate ("约")."""

    EXACT_UP_TO = 200
    CHUNK = 50

    def __init__(self, ids, query, *, check):
        if check and len(ids) <= self.EXACT_UP_TO:
            ids, check = search.phrase_checked(ids, query), False
        self.ids, self.query, self.approximate = ids, query, check
        self.checked: list[int] = []
        self.read = 0

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, part: slice):
        if not self.approximate:
            return self.ids[part]
        while len(self.checked) < part.stop and self.read < len(self.ids):
            chunk = self.ids[self.read : self.read + self.CHUNK]
            self.checked += search.phrase_checked(chunk, self.query)
            self.read += len(chunk)
        return self.checked[part]


@dataclass
class Results:
    page: object
    query: textindex.Query
    bounded: bool = False
    approximate: bool = False
    hits: list = field(default_factory=list)  # (policy, title_html, snippet_html) for the page


def policy_search(*, q: str, filters: Filters, page_number) -> Results:
    """The public list: filters, and when q is given the ranked full-text matches with snippets."""
    query = textindex.parse_query(q)
    queryset = _filtered(public_policies(), filters)
    if not query:
        page = Paginator(queryset.only(*LIST_FIELDS), PAGE_SIZE).get_page(page_number)
        return Results(page=page, query=query)
    ids, bounded = search.ranked_ids(queryset, query)
    matches = RankedMatches(ids, query, check=search.needs_phrase_check(query))
    page = Paginator(matches, PAGE_SIZE).get_page(page_number)
    results = Results(page=page, query=query, bounded=bounded, approximate=matches.approximate)
    _add_hits(results, list(page.object_list))
    return results


def _add_hits(results: Results, ids) -> None:
    # Full rows (with the body for the snippet) only for the page shown.
    by_id = Policy.objects.in_bulk(ids)
    terms = results.query.terms
    for pk in ids:
        policy = by_id[pk]
        title = textindex.highlight(policy.title, terms)
        results.hits.append((policy, title, textindex.snippet(policy.body, terms)))


def issuers() -> list[str]:
    """The issuers in the filter (cached briefly: a DISTINCT over the library on every search)."""
    return cache.get_or_set("policies:issuers", _issuers, ISSUERS_CACHE_SECONDS)


def _issuers():
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
