"""Validating, comparing and (de)serialising item definitions (the content of an ItemVersion)."""

import yaml

from renshi.core.roles import Role
from renshi.hall.errors import HallError
from renshi.hall.models import CONTENT_FIELDS, ItemVersion, Section

SIGN_MODES = {"all": "会签", "any": "或签"}
LABELS = {f: str(ItemVersion._meta.get_field(f).verbose_name) for f in CONTENT_FIELDS}


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def section_key(raw) -> str | None:
    """A section given as its key (personnel) or its Chinese name (人事科)."""
    for key, label in Section.choices:
        if raw in (key, label):
            return key
    return None


def normalise(data: dict, *, where=lambda *path: "") -> tuple[dict, list[str]]:
    """The content fields of a definition, cleaned, and every problem found (in Chinese).

    `where(*path)` tells where a value sits (e.g. "第12行") so an import can point at the line."""
    errors = []

    def err(path, message):
        errors.append(f"{where(*path)}{message}")

    content = {
        "legal_basis": _text(data.get("legal_basis")),
        "conditions": _text(data.get("conditions")),
        "fee": _text(data.get("fee")) or "不收费",
        "legal_limit_days": data.get("legal_limit_days"),
        "promised_limit_days": data.get("promised_limit_days"),
    }
    for field in ("legal_limit_days", "promised_limit_days"):
        if not _positive_int(content[field]):
            err((field,), f"{LABELS[field]}应为正整数(工作日)")
    if (
        _positive_int(content["legal_limit_days"])
        and _positive_int(content["promised_limit_days"])
        and content["promised_limit_days"] > content["legal_limit_days"]
    ):
        err(("promised_limit_days",), "承诺时限不能超过法定时限")

    materials = []
    raw_materials = data.get("materials") or []
    if not isinstance(raw_materials, list):
        err(("materials",), "申请材料应为列表")
        raw_materials = []
    names = set()
    for i, m in enumerate(raw_materials):
        if not isinstance(m, dict) or not _text(m.get("name")):
            err(("materials", i), f"第{i + 1}项申请材料缺少名称")
            continue
        name = _text(m["name"])
        if name in names:
            err(("materials", i, "name"), f"申请材料「{name}」重复")
        names.add(name)
        count = m.get("count", 1)
        if not _positive_int(count):
            err(("materials", i, "count"), f"申请材料「{name}」的份数应为正整数")
        materials.append(
            {
                "name": name,
                "original": bool(m.get("original", False)),
                "count": count,
                "optional": bool(m.get("optional", False)),
                "note": _text(m.get("note")),
            }
        )
    content["materials"] = materials

    steps = []
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list) or not raw_steps:
        err(("steps",), "办理环节不能为空")
        raw_steps = [] if not isinstance(raw_steps, list) else raw_steps
    codes = set()
    for i, s in enumerate(raw_steps):
        if not isinstance(s, dict) or not _text(s.get("code")):
            err(("steps", i), f"第{i + 1}个办理环节缺少编码(code)")
            continue
        code = _text(s["code"])
        if code in codes:
            err(("steps", i, "code"), f"办理环节编码「{code}」重复")
        codes.add(code)
        if not _text(s.get("name")):
            err(("steps", i, "name"), f"办理环节「{code}」缺少名称")
        role = s.get("role")
        if role not in Role.values:
            err(("steps", i, "role"), f"办理环节「{code}」的角色「{role}」无效")
        elif i == 0 and role != Role.HALL_WINDOW:
            # The first step is the intake (受理/补正/不予受理), which the law gives the window.
            err(("steps", i, "role"), "第1个办理环节应为窗口受理(角色 hall_window)")
        elif i > 0 and role == Role.HALL_WINDOW:
            err(("steps", i, "role"), f"办理环节「{code}」：窗口只办理第1个环节(受理)")
        if not _positive_int(s.get("limit_days")):
            err(("steps", i, "limit_days"), f"办理环节「{code}」的时限应为正整数(工作日)")
        sign_mode = s.get("sign_mode", "any")
        if sign_mode not in SIGN_MODES:
            err(
                ("steps", i, "sign_mode"),
                f"办理环节「{code}」的签批方式应为 all(会签) 或 any(或签)",
            )
        steps.append(
            {
                "code": code,
                "name": _text(s.get("name")),
                "role": role,
                "limit_days": s.get("limit_days"),
                "sign_mode": sign_mode,
            }
        )
    content["steps"] = steps

    docs = data.get("result_documents") or []
    if not isinstance(docs, list):
        err(("result_documents",), "办理结果应为列表")
        docs = []
    content["result_documents"] = [_text(d) for d in docs if _text(d)]
    return content, errors


def validate(data: dict) -> dict:
    content, errors = normalise(data)
    if errors:
        raise HallError("；".join(errors), errors=errors)
    return content


def _keyed(rows, key):
    return {r.get(key): r for r in rows if isinstance(r, dict)}


def diff(old: dict, new: dict) -> list[dict]:
    """Field-level changes from `old` to `new` (two version contents).

    Each change: {field, label, kind: changed|added|removed, key, before, after}; materials are
    matched by name, steps by code, result documents by text."""
    changes = []
    for field in CONTENT_FIELDS:
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        label = LABELS[field]
        if field in ("materials", "steps"):
            key = "name" if field == "materials" else "code"
            ka, kb = _keyed(a or [], key), _keyed(b or [], key)
            for k in ka.keys() - kb.keys():
                changes.append(
                    {
                        "field": field,
                        "label": label,
                        "kind": "removed",
                        "key": k,
                        "before": ka[k],
                        "after": None,
                    }
                )
            for k in kb.keys() - ka.keys():
                changes.append(
                    {
                        "field": field,
                        "label": label,
                        "kind": "added",
                        "key": k,
                        "before": None,
                        "after": kb[k],
                    }
                )
            for k in ka.keys() & kb.keys():
                if ka[k] != kb[k]:
                    changes.append(
                        {
                            "field": field,
                            "label": label,
                            "kind": "changed",
                            "key": k,
                            "before": ka[k],
                            "after": kb[k],
                        }
                    )
            if [r.get(key) for r in a or []] != [
                r.get(key) for r in b or []
            ] and ka.keys() == kb.keys():
                changes.append(
                    {
                        "field": field,
                        "label": label,
                        "kind": "changed",
                        "key": "顺序",
                        "before": list(ka),
                        "after": list(kb),
                    }
                )
        elif field == "result_documents":
            for d in a or []:
                if d not in (b or []):
                    changes.append(
                        {
                            "field": field,
                            "label": label,
                            "kind": "removed",
                            "key": d,
                            "before": d,
                            "after": None,
                        }
                    )
            for d in b or []:
                if d not in (a or []):
                    changes.append(
                        {
                            "field": field,
                            "label": label,
                            "kind": "added",
                            "key": d,
                            "before": None,
                            "after": d,
                        }
                    )
        else:
            changes.append(
                {
                    "field": field,
                    "label": label,
                    "kind": "changed",
                    "key": "",
                    "before": a,
                    "after": b,
                }
            )
    return sorted(changes, key=lambda c: (CONTENT_FIELDS.index(c["field"]), str(c["key"])))


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def item_document(item, version) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "section": item.section,
        "active": item.active,
        **({"effect": item.effect} if item.effect else {}),
        **version.content(),
    }


# --- Parsing with line numbers -----------------------------------------------------------------


def _construct(node, path, lines, loader):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return {k.value: _construct(v, (*path, k.value), lines, loader) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), lines, loader) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse(text: str) -> tuple[list, dict]:
    """The item documents in a YAML text and, for each path inside it, its line number."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行：" if mark else ""
        raise HallError(f"{where}YAML 格式错误（{getattr(exc, 'problem', '') or exc}）") from None
    if root is None:
        raise HallError("文件为空")
    lines = {}
    data = _construct(root, (), lines, yaml.SafeLoader(""))
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
        lines = {p[1:]: n for p, n in lines.items() if p[:1] == ("items",)}
    if isinstance(data, dict):
        data = [data]
        lines = {(0, *p): n for p, n in lines.items()}
    if not isinstance(data, list):
        raise HallError("第1行：文件应为事项列表")
    return data, lines


def line_of(lines: dict, path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)
