"""The major catalogue (专业目录) and the matching rules used in eligibility review.

Codes: 2 digits = 学科门类, 4 = 专业类, 6 = 专业 (published codes may carry a letter prefix such as
Guangdong's "B020301" or a T/K suffix such as "030101K"; both are ignored for matching). A position
set at a code accepts every catalogue code that starts with it.

Names are compared after the normalisation reviewers use (reference §2.3): a bracketed 专业方向 is
ignored, 和/与/及/及其 are interchangeable (but a connector is never added or removed), a trailing
"学" (and a trailing "专业") is optional, full-width and spaces do not matter.
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).with_name("data") / "majors.json"

_BRACKETS = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_CODE = re.compile(r"^[A-Z]?(\d{2}(?:\d{2}){0,2})[A-Z]{0,2}$")


def normalize_code(code) -> str:
    """'030101K' → '030101', 'B020301' → '020301', '03' → '03'; '' if it is not a catalogue-style
    code (2, 4 or 6 digits)."""
    text = unicodedata.normalize("NFKC", str(code or "")).strip().upper().replace(" ", "")
    match = _CODE.match(text)
    return match.group(1) if match else ""


def normalize_name(name) -> str:
    text = unicodedata.normalize("NFKC", str(name or ""))
    text = _BRACKETS.sub("", re.sub(r"\s+", "", text))
    text = text.replace("及其", "及").replace("和", "及").replace("与", "及")
    if text.endswith("专业") and len(text) > 2:
        text = text[:-2]
    if text.endswith("学") and len(text) > 1:
        text = text[:-1]
    return text


@functools.cache
def catalogue() -> dict[str, str]:
    """Normalised code → published name, for every catalogue entry."""
    items = json.loads(DATA.read_text(encoding="utf-8"))["items"]
    return {normalize_code(code): name for code, name in items}


@functools.cache
def _by_name() -> dict[str, str]:
    """Normalised name → code. The most specific entry wins ("法学" is the 专业 030101, not the
    学科门类 03), as reviewers read a bare name as the 专业 of that name."""
    index: dict[str, str] = {}
    for code, name in sorted(catalogue().items(), key=lambda item: -len(item[0])):
        index.setdefault(normalize_name(name), code)
    return index


def code_for_name(name) -> str | None:
    return _by_name().get(normalize_name(name))


def name_of(code) -> str:
    return catalogue().get(normalize_code(code), "")


def in_catalogue(code) -> bool:
    return normalize_code(code) in catalogue()


def describe(code) -> str:
    """'030101 法学' or the bare code when the catalogue does not know it."""
    norm = normalize_code(code)
    name = catalogue().get(norm)
    return f"{norm} {name}" if name else str(code)


def same_name(a, b) -> bool:
    return bool(normalize_name(a)) and normalize_name(a) == normalize_name(b)


_SPLIT = re.compile(r"[、，,；;／/\n]+")
_CODE_IN_PARENS = re.compile(r"[（(]\s*([A-Za-z]?\d{2,6}[A-Za-z]{0,2})\s*[）)]")
_BARE_CODE = re.compile(r"^[A-Za-z]?\d{2,6}[A-Za-z]{0,2}$")


def parse_requirement(text) -> tuple[list[str], list[str]]:
    """A 职位表 专业 cell → (codes, names).

    "法学类（0301）、会计学(120203K)、汉语言文学" → (["0301", "120203"], ["汉语言文学"]);
    a name with a code in brackets keeps only the code; "不限"/"无限制"/empty → ([], []).
    Names are kept as written."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    if text in ("", "不限", "无限制", "专业不限", "无", "-"):
        return [], []
    codes: list[str] = []
    names: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip().strip("。")
        if not part:
            continue
        found = _CODE_IN_PARENS.search(part)
        if found and normalize_code(found.group(1)):
            code = normalize_code(found.group(1))
            if code not in codes:
                codes.append(code)
            continue
        if _BARE_CODE.match(part) and normalize_code(part):
            code = normalize_code(part)
            if code not in codes:
                codes.append(code)
            continue
        if part not in names:
            names.append(part)
    return codes, names
