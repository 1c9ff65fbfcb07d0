"""A candidate's education rows copied onto the candidate row (`Candidate.educations_copy`).

The session's user is loaded with the candidate (exams.auth), so with the copy the submission's
eligibility check needs no query of its own. The copy is rewritten from the rows in every
transaction that changes them, under the candidate's row lock (services.candidates), so it is
never older than the rows; a NULL copy means "read the rows"."""

import datetime

from django.db.models import DateField, prefetch_related_objects

from renshi.exams.models import Candidate, Education

# Every column but the candidate's (the copy sits on the candidate row).
FIELDS = tuple(f.attname for f in Education._meta.concrete_fields if f.attname != "candidate_id")
DATES = tuple(f.attname for f in Education._meta.concrete_fields if isinstance(f, DateField))


def as_copy(rows) -> list[dict]:
    return [
        {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name in FIELDS
            for value in [getattr(row, name)]
        }
        for row in rows
    ]


def refresh(candidate_id) -> None:
    """Rewrite the copy from the rows; call with the candidate row locked."""
    rows = Education.objects.filter(candidate_id=candidate_id)  # in Education.Meta order
    Candidate.objects.filter(pk=candidate_id).update(educations_copy=as_copy(rows))


def fill(candidate_ids) -> None:
    """Write the copies of many candidates at once (loaders that bulk-create rows)."""
    rows = {}
    for row in Education.objects.filter(candidate_id__in=candidate_ids):
        rows.setdefault(row.candidate_id, []).append(row)
    Candidate.objects.bulk_update(
        [Candidate(pk=pk, educations_copy=as_copy(rows.get(pk, []))) for pk in candidate_ids],
        ["educations_copy"],
        batch_size=1000,
    )


def _rows(candidate) -> list[Education]:
    names = [f.attname for f in Education._meta.concrete_fields]
    made = []
    for item in candidate.educations_copy:
        values = {**item, "candidate_id": candidate.pk}
        for name in DATES:
            values[name] = values[name] and datetime.date.fromisoformat(values[name])
        row = Education.from_db(candidate._state.db, names, [values[n] for n in names])
        row._state.fields_cache["candidate"] = candidate
        made.append(row)
    return made


def prefetch(candidate, *, works: bool = False) -> None:
    """Make `candidate.educations.all()` (and `.works.all()` if asked) serve without a query
    each time it is read: from the copy when there is one, else one prefetch query."""
    wanted = ["works"] if works else []
    if candidate.educations_copy is None:
        wanted.append("educations")
    else:
        queryset = candidate.educations.all()
        queryset._result_cache, queryset._prefetch_done = _rows(candidate), True
        cache = candidate.__dict__.setdefault("_prefetched_objects_cache", {})
        cache["educations"] = queryset
    if wanted:
        prefetch_related_objects([candidate], *wanted)
