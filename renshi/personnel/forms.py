from django import forms

from renshi.core import codes
from renshi.personnel.models import EstablishmentCategory, PersonStatus
from renshi.personnel.selectors import AGE_BANDS


def code_choices(table, blank=True, blank_label="——"):
    return lambda: ([("", blank_label)] if blank else []) + codes.choices(table)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="姓名/拼音/身份证号", required=False)
    unit = forms.IntegerField(label="单位", required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PersonStatus.choices]
    )
    education = forms.ChoiceField(
        label="学历", required=False, choices=code_choices("education", blank_label="全部学历")
    )
    title_level = forms.ChoiceField(
        label="职称等级",
        required=False,
        choices=[
            ("", "全部职称"),
            ("正高", "正高"),
            ("副高", "副高"),
            ("中级", "中级"),
            ("初级", "初级"),
        ],
    )
    category = forms.ChoiceField(
        label="编制类别", required=False, choices=[("", "全部类别"), *EstablishmentCategory.choices]
    )
    age = forms.ChoiceField(
        label="年龄段",
        required=False,
        choices=[
            ("", "全部年龄"),
            *[(k, f"{k}岁".replace("u30岁", "30岁以下")) for k in AGE_BANDS],
        ],
    )


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    sex = forms.ChoiceField(label="性别", choices=code_choices("sex", blank=False))
    birth_date = forms.DateField(label="出生日期", widget=DateInput())
    ethnicity = forms.ChoiceField(label="民族", choices=code_choices("ethnicity", blank=False))
    native_place = forms.CharField(label="籍贯", max_length=40, required=False)
    birthplace = forms.CharField(label="出生地", max_length=40, required=False)
    political_status = forms.ChoiceField(
        label="政治面貌", choices=code_choices("political", blank=False)
    )
    party_join_date = forms.DateField(label="入党时间", required=False, widget=DateInput())
    work_start_date = forms.DateField(label="参加工作时间", required=False, widget=DateInput())
    health = forms.ChoiceField(label="健康状况", choices=code_choices("health", blank=False))
    marital_status = forms.ChoiceField(
        label="婚姻状况", choices=code_choices("marital"), required=False
    )
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    speciality = forms.CharField(label="熟悉专业有何专长", max_length=100, required=False)
    note = forms.CharField(label="修改说明", max_length=200, required=False)
