"""The demo city's unit tree: which units, in what order, with their codes and levels."""

from dataclasses import dataclass, field

from stdnum.cn import uscc

from renshi.personnel import models as m
from renshi.personnel.demo.catalogue import (
    CITY,
    DISTRICT_BUREAUS,
    DISTRICTS,
    HEAD_TITLES,
    PRIMARY_NAMES,
)

T = m.UnitType
L = m.UnitLevel


def _district_tree(name, streets):
    seat = {"海城市": "市", "台安县": "县", "岫岩满族自治县": "县"}.get(name, "区")
    schools = [(f"{name}第{n}中学", "school", []) for n in "一二三四五六"]
    schools += [(f"{name}{n}小学", "primary", []) for n in PRIMARY_NAMES.split()[:8]]
    health = [
        (f"{name}人民医院", "hospital", []),
        (f"{name}中医院", "hospital", []),
        (f"{name}疾病预防控制中心", "health", []),
        (f"{name}妇幼保健院", "health", []),
        (f"{name}卫生健康服务中心", "center", []),
    ]
    streets = [
        (
            f"{name}{s}{'' if s.endswith(('镇', '街道')) else '街道'}"
            f"{'人民政府' if s.endswith('镇') else '办事处'}",
            "street",
            [],
        )
        for s in streets
    ]
    children = [
        (f"{name}教育局", "agency", [*schools, (f"{name}教师进修学校", "research", [])]),
        (f"{name}卫生健康局", "agency", health),
        *[
            (f"{name}{b}", "agency", [(f"{name}{b[:-1]}事务服务中心", "center", [])])
            for b in DISTRICT_BUREAUS
        ],
        *streets,
    ]
    return (f"{name}人民政府", "district", children), seat


@dataclass
class UnitPlan:
    name: str
    kind: str
    parent: "UnitPlan | None"
    division: str
    doc_prefix: str
    order: int
    children: list = field(default_factory=list)
    obj: m.Unit | None = None

    @property
    def depth(self):
        return 0 if self.parent is None else self.parent.depth + 1


def plan_units(count: int) -> list[UnitPlan]:
    """The whole tree in DFS order, then the first `count` by priority (parents always kept)."""
    everything = []

    def walk(spec, parent, division, prefix):
        name, kind, children = spec
        plan = UnitPlan(name, kind, parent, division, prefix, len(everything))
        everything.append(plan)
        if parent:
            parent.children.append(plan)
        for child in children:
            walk(child, plan, division, prefix)

    for spec in CITY:
        walk(spec, None, "210300", "鞍编发")
    extra = iter(range(2, 100))
    for name, code, short, streets in DISTRICTS:
        tree, _ = _district_tree(name, streets)
        walk(tree, None, code, f"{short}编发")
    districts = [p for p in everything if p.kind == "district"]
    while len(everything) < count:  # more primary schools, spread over the districts
        n = next(extra)
        for district in districts:
            bureau = district.children[0]
            walk(
                (f"{district.name[:-4]}第{n}小学", "primary", []),
                bureau,
                district.division,
                district.doc_prefix,
            )
    # Priority: the units the demo accounts and tests rely on, with sub-units, then breadth-first.
    head = {
        "鞍山市财政局",
        "鞍山市国库集中支付中心",
        "鞍山市财政事务服务中心",
        "鞍山市教育局",
        "鞍山市第一中学",
        "鞍山市教育事业发展服务中心",
        "鞍山市中小学生社会实践基地",
        "鞍山市人力资源和社会保障局",
        "鞍山市人事考试中心",
        "鞍山市卫生健康委员会",
        "鞍山市中心医院",
        "铁东区人民政府",
        "铁东区教育局",
        "铁东区第一中学",
    }
    ranked = sorted(everything, key=lambda p: (p.name not in head, p.depth, p.order))
    chosen = set()
    for plan in ranked:
        if len(chosen) >= count:
            break
        if plan.parent is None or id(plan.parent) in chosen:
            chosen.add(id(plan))
    return sorted((p for p in everything if id(p) in chosen), key=lambda p: p.order)


def unit_level(plan: UnitPlan) -> str:
    if plan.depth == 0:
        return L.DIVISION
    if plan.division != "210300":
        return L.SECTION if plan.depth == 1 else L.DEPUTY_SECTION
    if plan.kind in ("hospital", "college", "police"):
        return L.DEPUTY_DIVISION
    return L.SECTION if plan.depth == 1 else L.DEPUTY_SECTION


def _org_code(rng) -> str:
    """A GB 11714 organisation code: eight digits and its check character."""
    body = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return "".join(map(str, body)) + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng, unit_type: str, division: str) -> str:
    """Unified social credit code: 1 (机构编制), 1 机关 / 2 事业单位, division, org code, check."""
    kind = "1" if unit_type in (T.PARTY, T.AGENCY) else "2"
    body = f"1{kind}{division}{_org_code(rng)}"
    return body + uscc.calc_check_digit(body)


def head_title(unit_name: str) -> str:
    for ending, title in HEAD_TITLES:
        if unit_name.endswith(ending):
            if title == "长":  # 铁东区人民政府 → 区长, 台安县人民政府 → 县长
                return unit_name[-5] + "长" if unit_name.endswith("人民政府") else "主任"
            return title
    return "主任"
