"""The full-text index on each database and the search over it.

PostgreSQL: `policies_policy.search_vector` (tsvector written as a literal, so PostgreSQL's own
parser never splits CJK) with a GIN index; a query is a tsquery literal. SQLite: the FTS5 table
`policies_policy_fts` (rowid = policy id) over the same tokens. Both are created by migration
0002 and written here, inside the transaction of the service that saved the text.
"""

import contextlib

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from renshi.policies import textindex
from renshi.policies.models import Policy

# A one-character query has no bigram: it scans, newest first, and stops after this many hits.
SINGLE_CHAR_SCAN_LIMIT = 300


def index_text(policy) -> str:
    return textindex.document_text(policy.title, policy.doc_number, policy.issuer, policy.body)


def reindex(policies) -> None:
    """Write the index rows of these saved policies (and their index_partial flags)."""
    rows = [(p.pk, index_text(p)) for p in policies]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            partial_ids, values = [], []
            for pk, text in rows:
                literal, partial = textindex.pg_tsvector(text)
                values.append((literal, pk))
                if partial:
                    partial_ids.append(pk)
            cursor.executemany(
                "UPDATE policies_policy SET search_vector = %s::tsvector WHERE id = %s", values
            )
        else:
            partial_ids = []
            cursor.executemany(
                "INSERT OR REPLACE INTO policies_policy_fts(rowid, text) VALUES (%s, %s)",
                [(pk, textindex.fts5_text(text)) for pk, text in rows],
            )
    ids = [pk for pk, _ in rows]
    Policy.objects.filter(pk__in=ids).exclude(pk__in=partial_ids).update(index_partial=False)
    if partial_ids:
        Policy.objects.filter(pk__in=partial_ids).update(index_partial=True)


def unindex(pk) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM policies_policy_fts WHERE rowid = %s", [pk])


def _contains_all(terms) -> Q:
    q = Q()
    for term in terms:
        q &= Q(title__icontains=term) | Q(doc_number__icontains=term) | Q(body__icontains=term)
    return q


def _tsquery(query, *, phrase):
    return RawSQL(
        "policies_policy.search_vector @@ %s::tsquery",
        [textindex.pg_tsquery(query, phrase=phrase)],
        output_field=BooleanField(),
    )


def _candidates(query: textindex.Query) -> Q | RawSQL:
    """Documents holding every token of every term. On SQLite the FTS5 phrases are exact. On
    PostgreSQL the tokens are ANDed without order: the GIN index answers that alone, where a
    phrase (<->) would make PostgreSQL re-read the tsvector of every candidate row."""
    if connection.vendor == "postgresql":
        return Q(_tsquery(query, phrase=False))
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM policies_policy_fts WHERE policies_policy_fts MATCH %s",
            [textindex.fts5_match(query)],
        )
    )


def needs_phrase_check(query: textindex.Query) -> bool:
    return connection.vendor == "postgresql" and any(len(t) > 1 for t in query.indexed)


def phrase_checked(ids, query: textindex.Query) -> list[int]:
    """The ids (order kept) whose text holds each term as written: the phrase on the tsvector, or
    LIKE where the tsvector could not keep every position (index_partial)."""
    exact = Q(_tsquery(query, phrase=True)) | (Q(index_partial=True) & _contains_all(query.terms))
    found = set(Policy.objects.filter(pk__in=ids).filter(exact).values_list("id", flat=True))
    return [pk for pk in ids if pk in found]


def title_hits(terms):
    """How many of the terms stand in the title (the first ranking key)."""
    total = Value(0, output_field=IntegerField())
    for term in terms:
        # UPPER() over every candidate's title costs more than the LIKE: only for letters.
        lookup = "title__icontains" if any(c.isalpha() and c.isascii() for c in term) else None
        condition = Q(**{lookup: term}) if lookup else Q(title__contains=term)
        total = total + Case(When(condition, then=1), default=0)
    return total


@contextlib.contextmanager
def _bitmap_scan():
    """PostgreSQL prices `@@` as cheap and picks a sequential scan for a common term, which then
    decompresses the tsvector of every row (~40 µs each); the GIN bitmap answers an unordered
    AND without reading any tsvector. Off for this one query only."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("RESET enable_seqscan")


def ranked_ids(queryset: QuerySet, query: textindex.Query) -> tuple[list[int], bool]:
    """Candidate ids ranked (terms in the title, then newest) and whether the scan was bounded
    (a query of single characters only: no index, newest first, stops at the limit)."""
    if query.indexed:
        matches = queryset.filter(_candidates(query))
        if query.single_chars:
            matches = matches.filter(_contains_all(query.single_chars))
        limit, bounded = None, False
    else:
        matches = queryset.filter(_contains_all(query.single_chars))
        limit, bounded = SINGLE_CHAR_SCAN_LIMIT, True
    if bounded:
        newest = matches.order_by("-published_on", "-id").values_list("id", flat=True)[:limit]
        matches = queryset.filter(pk__in=list(newest))
    ranked = (
        matches.annotate(title_hits=title_hits(query.terms))
        .order_by("-title_hits", "-published_on", "-id")
        .values_list("id", flat=True)
    )
    with _bitmap_scan():
        return list(ranked), bounded
