"""The full-text index on each database and the search over it.

PostgreSQL: `policies_policy.search_vector` (tsvector written as a literal, so PostgreSQL's own
parser never splits CJK) with a GIN index; a query is a tsquery literal. SQLite: the FTS5 table
`policies_policy_fts` (rowid = policy id) over the same tokens. Both are created by migration
0002 and written here, inside the transaction of the service that saved the text.
"""

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


def _index_filter(query: textindex.Query) -> Q | RawSQL:
    if connection.vendor == "postgresql":
        exact = RawSQL(
            "policies_policy.search_vector @@ %s::tsquery",
            [textindex.pg_tsquery(query)],
            output_field=BooleanField(),
        )
        # Past the tsvector's position limits a phrase may be missed: such documents are
        # matched by their bigrams (unordered) and confirmed by LIKE.
        loose = RawSQL(
            "policies_policy.search_vector @@ %s::tsquery",
            [textindex.pg_tsquery(query, phrase=False)],
            output_field=BooleanField(),
        )
        return Q(exact) | (Q(index_partial=True) & Q(loose) & _contains_all(query.terms))
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM policies_policy_fts WHERE policies_policy_fts MATCH %s",
            [textindex.fts5_match(query)],
        )
    )


def title_hits(terms):
    """How many of the terms stand in the title (the first ranking key)."""
    parts = [Case(When(title__icontains=t, then=1), default=0) for t in terms]
    total = Value(0, output_field=IntegerField())
    for part in parts:
        total = total + part
    return total


def matching(queryset: QuerySet, query: textindex.Query) -> tuple[QuerySet, bool]:
    """The matching documents ranked (title hits, then newest) and whether the scan was bounded
    (a query of single characters only)."""
    if query.indexed:
        matches = queryset.filter(_index_filter(query))
        if query.single_chars:
            matches = matches.filter(_contains_all(query.single_chars))
        bounded = False
    else:
        matches = queryset.filter(_contains_all(query.single_chars))
        bounded = True
    ranked = matches.annotate(title_hits=title_hits(query.terms)).order_by(
        "-title_hits", "-published_on", "-id"
    )
    return ranked, bounded
