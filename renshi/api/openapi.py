"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json."""

from renshi.api.http import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from renshi.personnel.infoset import ESTABLISHMENT_B02, PERSON_A01, UNIT_B01
from renshi.personnel.models import (
    Affiliation,
    EstablishmentCategory,
    FundingForm,
    PersonStatus,
    UnitLevel,
    UnitType,
)
from renshi.personnel.selectors import AGE_BANDS

PREFIX = "/api/v1"


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _choices(choices, description: str) -> dict:
    labels = "；".join(f"{value}={label}" for value, label in choices.choices)
    return {
        "type": "string",
        "enum": list(choices.values),
        "description": f"{description}（{labels}）",
    }


def _props(infoset: dict[str, str], fields: dict[str, dict]) -> dict:
    """Properties, each marked with its information-set item code where it has one."""
    code_of = {field: code for code, field in infoset.items()}
    out = {}
    for name, schema in fields.items():
        schema = dict(schema)
        if name in code_of:
            schema["x-infoset-code"] = code_of[name]
        out[name] = schema
    return out


STR = {"type": "string"}
INT = {"type": "integer"}
DATE = {"type": ["string", "null"], "format": "date"}


def _code(table: str, description: str) -> dict:
    return {"type": "string", "description": f"{description}，代码表 {table}"}


COUNTERS = _props(
    ESTABLISHMENT_B02,
    {
        "approved": {**INT, "description": "核定编制数"},
        "occupied": {**INT, "description": "实有人数"},
        "reserved": {**INT, "description": "预留（审批中）"},
        "vacant": {**INT, "description": "空编数"},
        "over": {**INT, "description": "超编数"},
        "vacant_or_over": {**INT, "description": "空编（正）或超编（负）数"},
    },
)

UNIT = _props(
    UNIT_B01,
    {
        "id": INT,
        "name": {**STR, "description": "单位名称"},
        "short_name": STR,
        "credit_code": {**STR, "description": "统一社会信用代码"},
        "division": _code("GB/T 2260", "行政区划"),
        "affiliation": _choices(Affiliation, "隶属关系 GB/T 12404"),
        "level": _choices(UnitLevel, "单位级别"),
        "unit_type": _choices(UnitType, "单位类型"),
        "funding_form": _choices(FundingForm, "经费形式"),
        "parent_id": {"type": ["integer", "null"]},
        "parent_name": {**STR, "description": "上级单位名称"},
        "depth": INT,
        "is_active": {"type": "boolean"},
        "totals": ref("schemas", "Counters"),
    },
)

PERSON = _props(
    PERSON_A01,
    {
        "id": INT,
        "name": {**STR, "description": "姓名"},
        "name_pinyin": STR,
        "name_initials": STR,
        "sex": _code("sex (GB/T 2261.1)", "性别"),
        "birth_date": {**DATE, "description": "出生日期"},
        "ethnicity": _code("ethnicity (GB/T 3304)", "民族"),
        "native_place": STR,
        "birthplace": STR,
        "political_status": _code("political (GB/T 4762)", "政治面貌"),
        "party_join_date": DATE,
        "work_start_date": DATE,
        "health": _code("health (GB/T 2261.3)", "健康状况"),
        "marital_status": _code("marital (GB/T 2261.2)", "婚姻状况"),
        "identity": STR,
        "status": _choices(PersonStatus, "人员状态"),
        "status_date": DATE,
        "unit_id": INT,
        "unit_name": {**STR, "description": "人事关系所在单位"},
        "unit_credit_code": STR,
        "category": {
            **_choices(EstablishmentCategory, "编制类别"),
            "enum": [*EstablishmentCategory.values, ""],
        },
        "current_post": STR,
        "current_post_level": _code("post_level (GB/T 12407)", "职务层次"),
        "current_rank": _code("cs_rank / institution_grade", "现职级"),
        "current_title": _code("title (GB/T 8561)", "专业技术职务"),
        "title_level": STR,
        "education": _code("education (GB/T 4658)", "最高学历"),
        "degree": _code("degree (GB/T 6864)", "最高学位"),
        "id_number": {
            **STR,
            "description": "公民身份号码；默认脱敏，reveal=1且角色允许时为完整号码",
        },
        "phone": {**STR, "description": "手机号码；默认脱敏，reveal=1且角色允许时为完整号码"},
    },
)

PAGE = {
    "count": {**INT, "description": "符合条件的总条数"},
    "page": INT,
    "page_size": INT,
    "num_pages": INT,
    "next": {"type": ["string", "null"], "format": "uri"},
    "previous": {"type": ["string", "null"], "format": "uri"},
}

RECORD_SETS_DOC = (
    "posts(A02) ranks(A05) titles(A06) educations(A08) degrees(A09) rewards(A14) "
    "appraisals(A15) entries(A29) exits(A30) family(A36) occupancies；keys=codes时以信息集代码为键"
)

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": [
                            "unauthorized",
                            "not_found",
                            "bad_request",
                            "method_not_allowed",
                            "server_error",
                        ],
                    },
                    "message": {**STR, "description": "中文说明"},
                },
            }
        },
    },
    "Counters": {"type": "object", "properties": COUNTERS},
    "EstablishmentLine": {
        "type": "object",
        "properties": {
            "category": _choices(EstablishmentCategory, "编制类别"),
            **COUNTERS,
            "document_number": {**STR, "description": "核定文号"},
            "document_date": DATE,
        },
    },
    "Unit": {"type": "object", "properties": UNIT},
    "UnitDetail": {
        "allOf": [
            ref("schemas", "Unit"),
            {
                "type": "object",
                "properties": {
                    "establishment": {"type": "array", "items": ref("schemas", "EstablishmentLine")}
                },
            },
        ]
    },
    "Person": {"type": "object", "properties": PERSON},
    "PersonDetail": {
        "allOf": [
            ref("schemas", "Person"),
            {
                "type": "object",
                "properties": {
                    "revealed": {"type": "boolean"},
                    "records": {
                        "type": "object",
                        "description": f"子集记录：{RECORD_SETS_DOC}",
                        "additionalProperties": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        ]
    },
    "UnitPage": {
        "type": "object",
        "properties": {**PAGE, "results": {"type": "array", "items": ref("schemas", "Unit")}},
    },
    "PersonPage": {
        "type": "object",
        "properties": {
            **PAGE,
            "revealed": {"type": "boolean", "description": "本页是否含完整号码"},
            "results": {"type": "array", "items": ref("schemas", "Person")},
        },
    },
    "EstablishmentRow": {
        "allOf": [
            {
                "type": "object",
                "properties": {
                    "unit_id": INT,
                    "unit_name": {**STR, "x-infoset-code": "B01001"},
                },
            },
            ref("schemas", "EstablishmentLine"),
        ]
    },
    "EstablishmentPage": {
        "type": "object",
        "properties": {
            **PAGE,
            "totals": {
                "type": "object",
                "description": "令牌可见范围内（局机关角色为全市）的合计，空编、超编逐条累加",
                "properties": {
                    "all": ref("schemas", "Counters"),
                    "by_category": {
                        "type": "object",
                        "additionalProperties": ref("schemas", "Counters"),
                    },
                },
            },
            "results": {"type": "array", "items": ref("schemas", "EstablishmentRow")},
        },
    },
}


def _query(name: str, description: str, schema=None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STR,
    }


PARAMETERS = {
    "pk": {"name": "pk", "in": "path", "required": True, "schema": INT},
    "page": _query("page", "页码，从1开始", {**INT, "minimum": 1, "default": 1}),
    "page_size": _query(
        "page_size",
        f"每页条数，最多{MAX_PAGE_SIZE}",
        {**INT, "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
    "keys": _query(
        "keys",
        "codes：有信息集代码（A01001、B01001、B02024…）的字段以代码为键，其余字段保留英文名",
        {"type": "string", "enum": ["fields", "codes"], "default": "fields"},
    ),
    "reveal": _query(
        "reveal",
        "1：令牌角色允许时返回完整身份证号码和手机号码；每次请求记一条审计（person.api_reveal）",
        {"type": "string", "enum": ["0", "1"]},
    ),
}

RESPONSES = {
    name: {
        "description": description,
        "content": {"application/json": {"schema": ref("schemas", "Error")}},
    }
    for name, description in {
        "BadRequest": "参数错误（页码、每页条数、过滤条件）",
        "Unauthorized": "缺少、无效、已吊销的令牌，或令牌用户已停用",
        "NotFound": "不存在，或不在令牌用户的可见范围内（与界面一致）",
        "MethodNotAllowed": "只支持GET",
    }.items()
}


def _get(summary, schema, params=(), *, secured=True, description=""):
    responses = {
        "200": {
            "description": "成功",
            "content": {"application/json": {"schema": ref("schemas", schema)}},
        },
        "405": ref("responses", "MethodNotAllowed"),
    }
    if secured:
        responses |= {
            "400": ref("responses", "BadRequest"),
            "401": ref("responses", "Unauthorized"),
            "404": ref("responses", "NotFound"),
        }
    parameters = [ref("parameters", p) if isinstance(p, str) else p for p in params]
    op = {"summary": summary, "parameters": parameters, "responses": responses}
    if description:
        op["description"] = description
    if not secured:
        op["security"] = []
    return {"get": op}


LIST = ("page", "page_size", "keys")

PATHS = {
    f"{PREFIX}/units/": _get(
        "单位列表（含编制合计）",
        "UnitPage",
        (
            *LIST,
            _query("parent", "只列该上级单位的直属下级", INT),
            _query("q", "单位名称包含"),
            _query("type", "单位类型", _choices(UnitType, "单位类型")),
        ),
    ),
    f"{PREFIX}/units/{{pk}}/": _get("单位详情（B01）及各类编制使用", "UnitDetail", ("pk", "keys")),
    f"{PREFIX}/people/": _get(
        "人员查询（与界面检索相同）",
        "PersonPage",
        (
            *LIST,
            "reveal",
            _query("q", "姓名、拼音、首字母，或完整身份证号码"),
            _query("unit", "单位编号（含下级单位，subunits=0时不含）", INT),
            _query("subunits", "是否含下级单位", {"type": "string", "enum": ["0", "1"]}),
            _query("status", "人员状态", _choices(PersonStatus, "人员状态")),
            _query("education", "学历代码；以0结尾的代码含其下各级"),
            _query("title_level", "职称等级"),
            _query("category", "编制类别", _choices(EstablishmentCategory, "编制类别")),
            _query("age", "年龄段", {"type": "string", "enum": list(AGE_BANDS)}),
        ),
        description="身份证号码、手机号码默认脱敏。",
    ),
    f"{PREFIX}/people/{{pk}}/": _get(
        "人员详情（A01、现任信息及子集记录）", "PersonDetail", ("pk", "keys", "reveal")
    ),
    f"{PREFIX}/establishment/": _get(
        "编制使用情况（按单位和编制类别）及合计",
        "EstablishmentPage",
        (
            *LIST,
            _query("unit", "单位编号（含下级单位）", INT),
            _query("category", "编制类别", _choices(EstablishmentCategory, "编制类别")),
        ),
    ),
    f"{PREFIX}/openapi.json": {
        "get": {
            "summary": "本接口说明（OpenAPI 3.1）",
            "security": [],
            "responses": {
                "200": {"description": "OpenAPI文档", "content": {"application/json": {}}},
                "405": ref("responses", "MethodNotAllowed"),
            },
        }
    },
}

SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": "Renshi 人事 数据接口",
        "version": "1.0.0",
        "description": (
            "供其他政务系统读取单位、人员和编制数据。令牌代表其用户：角色和可见范围与界面一致。"
            '错误统一为 {"error": {"code", "message"}}。令牌用 manage.py create_api_token 签发。'
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "Authorization: Bearer rsk_<前缀>_<密钥>",
            }
        },
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "schemas": SCHEMAS,
    },
}
