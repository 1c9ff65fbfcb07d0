"""Chinese full-text indexing without a dictionary: CJK character bigrams plus ASCII words.

A text becomes tokens with positions: each run of CJK characters gives its overlapping bigrams at
consecutive positions (a one-character run gives the character itself), each run of letters and
digits one lower-cased word. Anything else (punctuation, spaces) leaves a gap of one position, so
a phrase never matches across "公务。员". A query term is the same tokens as a phrase (adjacent
positions), which makes a term of CJK characters match exactly where its characters stand
together in the text; terms are ANDed. Single-character CJK terms have no bigram and are matched
by a bounded LIKE scan instead (see `search.py`).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# CJK Unified Ideographs with extension A and the compatibility block; enough for policy texts.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEGMENT = re.compile(rf"([{_CJK}]+)|([0-9A-Za-z]+)")
PG_MAX_POSITION = 16383  # tsvector positions above this are clamped by PostgreSQL
PG_MAX_POSITIONS_PER_LEXEME = 256
GAP = "zzgap"  # FTS5 has no positions to skip: a filler token marks the gap there
MAX_TERMS = 6
MAX_TERM_CHARS = 30


def normalize(text: str) -> str:
    # NFKC folds full-width letters and digits (２０１９, ＡＢＣ) onto ASCII, as people type both.
    return unicodedata.normalize("NFKC", text or "")


# Full-width letters and digits onto ASCII, one character for one: highlighting folds a whole
# body this way (NFKC would cost ~0.5 ms a body and move positions).
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B)}


def fold(text: str) -> str:
    text = text or ""
    return text.translate(_FOLD) if _FULLWIDTH.search(text) else text


def tokens(text: str) -> list[tuple[str, int]]:
    """(token, position) pairs; positions start at 1 and skip one across every separator."""
    out = []
    pos = 0
    last_end = 0
    for match in _SEGMENT.finditer(normalize(text)):
        if match.start() > last_end:
            pos += 1  # a gap: something that is not a token stood between the two runs
        last_end = match.end()
        cjk, word = match.groups()
        if word:
            pos += 1
            out.append((word.lower(), pos))
        elif len(cjk) == 1:
            pos += 1
            out.append((cjk, pos))
        else:
            for i in range(len(cjk) - 1):
                pos += 1
                out.append((cjk[i : i + 2], pos))
    return out


def document_text(*parts: str) -> str:
    """The indexed text of a document: its parts separated so no phrase spans two of them."""
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # as typed (normalised), for highlighting and LIKE checks
    indexed: tuple[tuple[str, ...], ...]  # each indexable term's tokens (a phrase)
    single_chars: tuple[str, ...]  # one-CJK-character terms: no bigram, matched by LIKE
    dropped: tuple[str, ...] = ()  # terms past MAX_TERMS

    def __bool__(self):
        return bool(self.terms)


def parse_query(raw: str) -> Query:
    """Whitespace separates terms (AND). Characters that are not letters, digits or CJK split a
    term as well, so a query is only ever turned into tokens — nothing of it reaches SQL as
    syntax."""
    words = []
    for chunk in normalize(raw).split():
        for match in _SEGMENT.finditer(chunk):
            words.append(match.group(0)[:MAX_TERM_CHARS])
    seen = []
    for word in words:
        if word.lower() not in [w.lower() for w in seen]:
            seen.append(word)
    terms, dropped = seen[:MAX_TERMS], seen[MAX_TERMS:]
    indexed, single = [], []
    for term in terms:
        is_single_cjk = len(term) == 1 and not term.isascii()
        if is_single_cjk:
            single.append(term)
        else:
            indexed.append(tuple(t for t, _ in tokens(term)))
    return Query(tuple(terms), tuple(indexed), tuple(single), tuple(dropped))


def pg_tsvector(text: str) -> tuple[str, bool]:
    """A tsvector literal ('公务':1,7 '务员':2 ...) and whether it is partial (see models)."""
    positions: dict[str, list[int]] = {}
    partial = False
    for token, pos in tokens(text):
        found = positions.setdefault(token, [])
        if pos > PG_MAX_POSITION:
            # Past the limit a token is still indexed (for the unordered match), once.
            partial = True
            if not found:
                found.append(PG_MAX_POSITION)
        elif len(found) < PG_MAX_POSITIONS_PER_LEXEME:
            found.append(pos)
        else:
            partial = True
    literal = " ".join(
        f"'{_quote(token)}':{','.join(map(str, found))}" for token, found in positions.items()
    )
    return literal, partial


def pg_tsquery(query: Query, *, phrase: bool = True) -> str:
    """Every term's tokens adjacent (<->) and the terms ANDed; tokens are quoted literals."""
    joiner = " <-> " if phrase else " & "
    parts = []
    for term_tokens in query.indexed:
        inner = joiner.join(f"'{_quote(t)}'" for t in term_tokens)
        parts.append(f"({inner})")
    return " & ".join(parts)


def fts5_text(text: str) -> str:
    """The FTS5 document: tokens in order with the filler token where a gap stands."""
    out = []
    last = 0
    for token, pos in tokens(text):
        if pos > last + 1:
            out.append(GAP)
        out.append(token)
        last = pos
    return " ".join(out)


def fts5_match(query: Query) -> str:
    """Each term a quoted FTS5 phrase, ANDed; tokens hold only letters, digits and CJK."""
    return " AND ".join('"' + " ".join(t) + '"' for t in query.indexed)


def _quote(token: str) -> str:
    # Tokens hold only letters, digits and CJK (see _SEGMENT); escaping stays as a second guard.
    return token.replace("\\", "\\\\").replace("'", "''")


def _term_pattern(terms) -> re.Pattern | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)


def highlight(text: str, terms) -> str:
    """The whole text HTML-escaped with every hit in <mark>."""
    pattern = _term_pattern(terms)
    text = fold(text)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippet(text: str, terms, *, width: int = 60, limit: int = 2) -> str:
    """Up to `limit` windows around the first hits, escaped, hits in <mark>, joined by …"""
    text = fold(text)
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text[: width * 2]) + ("…" if len(text) > width * 2 else "")
    windows = []
    for match in pattern.finditer(text):
        start = max(0, match.start() - width // 2)
        end = min(len(text), match.end() + width)
        if windows and start <= windows[-1][1]:
            if end - windows[-1][0] > width * 3:
                break  # dense hits: the window is long enough
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            if len(windows) == limit:
                break
            windows.append((start, end))
    if not windows:
        return escape(text[: width * 2]) + ("…" if len(text) > width * 2 else "")
    pieces = []
    for start, end in windows:
        piece = highlight(text[start:end].replace("\n", " "), terms)
        pieces.append(("…" if start > 0 else "") + piece + ("…" if end < len(text) else ""))
    return mark_safe(" ".join(pieces))  # noqa: S308 - highlight() escapes
