"""Item codes of the national information structure (全国组织干部人事管理信息系统信息结构体系).

Exports and the API can key fields by these codes so provincial systems can map them.
"""

PERSON_A01 = {
    "A01001": "name",
    "A01002A": "name_pinyin",
    "A01002B": "name_initials",
    "A01004": "sex",
    "A01007": "birth_date",
    "A01011A": "native_place",
    "A01014A": "birthplace",
    "A01017": "ethnicity",
    "A01027": "health",
    "A01031": "marital_status",
    "A01034": "work_start_date",
    "A01051": "identity",
    "A01057A": "unit_name",
    "A01057B": "unit_credit_code",
    "A01063": "status",
    "A01085": "id_number",
    "A58001": "political_status",
    "A58004": "party_join_date",
    "A02016A": "current_post",
    "A05002B": "current_rank",
    "A06020": "current_title",
    "A08002B": "education",
    "A09001B": "degree",
}

UNIT_B01 = {
    "B01001": "name",
    "B01014": "credit_code",
    "B01017": "division",
    "B01025": "affiliation",
    "B01027": "level",
    "B01031": "unit_type",
    "B01260": "funding_form",
    "B01044": "parent_name",
}

ESTABLISHMENT_B02 = {
    "B02024": "approved",
    "B02110": "occupied",
    "B02115": "vacant_or_over",
}
