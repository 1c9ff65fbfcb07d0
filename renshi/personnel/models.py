"""The personnel base database: units (tree), establishment (编制) and people with their records.

Information-set item codes (A01001 …) of the national record structure are kept in `infoset.py`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renshi.core import codes
from renshi.core.idnumbers import mask_id


class UnitType(models.TextChoices):
    PARTY = "party", _("党群机关")
    AGENCY = "agency", _("行政机关")
    CANZHENG = "canzheng", _("参公事业单位")
    PUBLIC_ONE = "public1", _("公益一类事业单位")
    PUBLIC_TWO = "public2", _("公益二类事业单位")
    BUSINESS = "business", _("生产经营类事业单位")


class FundingForm(models.TextChoices):
    FULL = "full", _("全额拨款")
    PARTIAL = "partial", _("差额拨款")
    SELF = "self", _("自收自支")


class UnitLevel(models.TextChoices):
    BUREAU = "bureau", _("正局级")
    DEPUTY_BUREAU = "deputy_bureau", _("副局级")
    DIVISION = "division", _("正处级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    SECTION = "section", _("正科级")
    DEPUTY_SECTION = "deputy_section", _("副科级")
    NONE = "none", _("未定级")


class Affiliation(models.TextChoices):
    """GB/T 12404-1997 单位隶属关系 (the codes used here)."""

    PROVINCE = "20", _("省")
    CITY = "40", _("市、地区")
    DISTRICT = "50", _("县（区）")


class Unit(models.Model):
    """An agency or public institution (B01); `path` makes a subtree one prefix match."""

    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    division = models.CharField(_("行政区划"), max_length=6, default="210300")
    level = models.CharField(_("单位级别"), max_length=20, choices=UnitLevel.choices)
    affiliation = models.CharField(
        _("隶属关系"), max_length=2, choices=Affiliation.choices, default=Affiliation.CITY
    )
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices)
    funding_form = models.CharField(_("经费形式"), max_length=10, choices=FundingForm.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="unit_unique_credit_code",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_institution(self) -> bool:
        return self.unit_type not in (UnitType.PARTY, UnitType.AGENCY)


class EstablishmentCategory(models.TextChoices):
    ADMINISTRATIVE = "admin", _("行政编制")
    POLITICAL_LEGAL = "legal", _("政法专项编制")
    CANZHENG = "canzheng", _("参公事业编制")
    INSTITUTION = "inst", _("事业编制")
    WORKER = "worker", _("工勤编制")
    VETERAN_CADRE = "veteran", _("老干编制")


class EstablishmentLine(models.Model):
    """One unit's establishment in one category (B02). Counters are kept by the services."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="establishment")
    category = models.CharField(_("编制类别"), max_length=10, choices=EstablishmentCategory.choices)
    approved = models.PositiveIntegerField(_("核定编制数"), default=0)
    occupied = models.PositiveIntegerField(_("实有人数"), default=0)
    reserved = models.PositiveIntegerField(_("预留（审批中）"), default=0)
    document_number = models.CharField(_("核定文号"), max_length=60, blank=True)
    document_date = models.DateField(_("核定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("核定编制")
        verbose_name_plural = _("核定编制")
        ordering = ["unit_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="estab_unique_unit_category"),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_category_display()}"

    @property
    def vacant(self) -> int:
        return max(self.approved - self.occupied, 0)

    @property
    def over(self) -> int:
        return max(self.occupied - self.approved, 0)

    @property
    def available(self) -> int:
        return self.approved - self.occupied - self.reserved

    @property
    def usage_percent(self) -> int:
        return round(100 * self.occupied / self.approved) if self.approved else 0


class LeaderPostLine(models.Model):
    """Approved leadership posts (领导职数) per unit and level (GB/T 12407 code)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leader_posts")
    level = models.CharField(_("职务层次"), max_length=3)
    approved = models.PositiveIntegerField(_("核定职数"), default=0)
    occupied = models.PositiveIntegerField(_("实配"), default=0)
    document_number = models.CharField(_("核定文号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("领导职数")
        verbose_name_plural = _("领导职数")
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], name="leader_unique_unit_level"),
        ]

    def __str__(self):
        return f"{self.unit} {self.level_name}"

    @property
    def level_name(self) -> str:
        return codes.name("post_level", self.level)


class ReservationStatus(models.TextChoices):
    OPEN = "open", _("预留中")
    USED = "used", _("已入编")
    RELEASED = "released", _("已释放")


class SlotReservation(models.Model):
    """Slots held while an intake is in approval (用编核准 → 入编)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reservations")
    category = models.CharField(_("编制类别"), max_length=10, choices=EstablishmentCategory.choices)
    count = models.PositiveIntegerField(_("预留数"), default=1)
    used = models.PositiveIntegerField(_("已入编数"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.OPEN
    )
    reason = models.CharField(_("事由"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    reference = models.CharField(_("关联业务"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("编制预留")
        verbose_name_plural = _("编制预留")
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="reservation_count_positive"),
            models.CheckConstraint(
                condition=Q(used__lte=F("count")), name="reservation_used_le_count"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_category_display()} ×{self.count}"

    @property
    def remaining(self) -> int:
        return self.count - self.used


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在职")
    RETIRED = "retired", _("退休")
    LEFT = "left", _("调出/离职")
    DECEASED = "deceased", _("死亡")


class Person(models.Model):
    """A01 basic record. ID and phone numbers are encrypted, with a keyed hash for exact lookup."""

    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, db_index=True, editable=False)
    name_initials = models.CharField(_("拼音首字母"), max_length=20, db_index=True, editable=False)
    # The name without the surname, so 「三丰」 finds 张三丰 through an index (prefix range).
    given_name = models.CharField(_("名"), max_length=50, db_index=True, editable=False, default="")
    id_number_cipher = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=11, blank=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1)
    birth_date = models.DateField(_("出生日期"), db_index=True)
    ethnicity = models.CharField(_("民族"), max_length=2, default="01")
    native_place = models.CharField(_("籍贯"), max_length=40, blank=True)
    birthplace = models.CharField(_("出生地"), max_length=40, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=2, default="13")
    party_join_date = models.DateField(_("入党时间"), null=True, blank=True)
    work_start_date = models.DateField(_("参加工作时间"), null=True, blank=True)
    health = models.CharField(_("健康状况"), max_length=1, default="1")
    marital_status = models.CharField(_("婚姻状况"), max_length=2, blank=True)
    identity = models.CharField(_("个人身份"), max_length=2, blank=True)
    speciality = models.CharField(_("熟悉专业有何专长"), max_length=100, blank=True)
    status = models.CharField(
        _("人员状态"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_date = models.DateField(_("状态变更日期"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("人事关系所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    # "Current" values, recomputed from the records by the same transaction that changes them.
    category = models.CharField(
        _("编制类别"), max_length=10, choices=EstablishmentCategory.choices, blank=True
    )
    current_post = models.CharField(_("现任职务"), max_length=100, blank=True)
    current_post_level = models.CharField(_("职务层次"), max_length=3, blank=True)
    current_rank = models.CharField(_("现职级"), max_length=4, blank=True)
    current_title = models.CharField(_("专业技术职务"), max_length=3, blank=True)
    # No single-column index on title level or education: they match large shares of people, and
    # an index there makes the planner sort every match instead of reading (unit_id, id) in order.
    title_level = models.CharField(_("职称等级"), max_length=4, blank=True)
    education = models.CharField(_("最高学历"), max_length=2, blank=True)
    degree = models.CharField(_("最高学位"), max_length=1, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit_id", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="person_unit_status_idx"),
            models.Index(fields=["name"], name="person_name_idx"),
            # The list order: a page of 20 is read straight off this index, no sort.
            models.Index(fields=["unit", "id"], name="person_unit_id_order_idx"),
            # The same order within a title level or an education code: a rare filter combined
            # with a name search no longer walks every unit (340 ms → 3.5 ms at 1,000,000).
            models.Index(fields=["title_level", "unit", "id"], name="person_title_order_idx"),
            models.Index(fields=["education", "unit", "id"], name="person_education_order_idx"),
            models.Index(fields=["status", "birth_date"], name="person_status_birth_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def age(self) -> int:
        today = timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def masked_id(self) -> str:
        return self.id_number_masked or mask_id("")

    def code_name(self, table: str, field: str) -> str:
        return codes.name(table, getattr(self, field))

    sex_name = property(lambda self: codes.name("sex", self.sex))
    ethnicity_name = property(lambda self: codes.name("ethnicity", self.ethnicity))
    political_name = property(lambda self: codes.name("political", self.political_status))
    education_name = property(lambda self: codes.name("education", self.education))
    degree_name = property(lambda self: codes.name("degree", self.degree))
    title_name = property(lambda self: codes.name("title", self.current_title))
    post_level_name = property(lambda self: codes.name("post_level", self.current_post_level))
    health_name = property(lambda self: codes.name("health", self.health))

    @property
    def rank_name(self) -> str:
        table = "institution_grade" if self.current_rank[:1] in "MPW" else "cs_rank"
        return codes.name(table, self.current_rank)


class SlotOccupancy(models.Model):
    """Real-name occupancy (实名制): which person holds a slot of which unit and category."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupancies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="occupancies")
    category = models.CharField(_("编制类别"), max_length=10, choices=EstablishmentCategory.choices)
    start_date = models.DateField(_("入编日期"))
    end_date = models.DateField(_("出编日期"), null=True, blank=True)
    in_document = models.CharField(_("入编文号"), max_length=60, blank=True)
    out_document = models.CharField(_("出编文号"), max_length=60, blank=True)
    reason_in = models.CharField(_("入编事由"), max_length=60, blank=True)
    reason_out = models.CharField(_("出编事由"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("实名在编")
        verbose_name_plural = _("实名在编")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="occupancy_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="occupancy_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.unit} {self.get_category_display()}"


class LedgerKind(models.TextChoices):
    APPROVE = "approve", _("核定编制")
    RESERVE = "reserve", _("预留")
    UNRESERVE = "unreserve", _("释放预留")
    TAKE = "take", _("入编")
    RELEASE = "release", _("出编")


class LedgerEntry(models.Model):
    """The establishment ledger (台账): every change with the counters after it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger")
    category = models.CharField(_("编制类别"), max_length=10, choices=EstablishmentCategory.choices)
    kind = models.CharField(_("变动类型"), max_length=10, choices=LedgerKind.choices)
    delta = models.IntegerField(_("变动数"))
    approved_after = models.PositiveIntegerField(_("核定"))
    occupied_after = models.PositiveIntegerField(_("实有"))
    reserved_after = models.PositiveIntegerField(_("预留"))
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("编制台账")
        verbose_name_plural = _("编制台账")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.delta:+d}"


# --- Effective-dated sub-records --------------------------------------------------------------


class PersonRecord(models.Model):
    """Common shape of a sub-record: dates, approving unit and document number (文号)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    start_date = models.DateField(_("起始日期"), null=True, blank=True)
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    approver = models.CharField(_("批准单位"), max_length=100, blank=True)
    document_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["-start_date", "-id"]

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)


class PostRecord(PersonRecord):
    """A02 职务."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("任职机构"), on_delete=models.PROTECT, related_name="+"
    )
    post_name = models.CharField(_("职务名称"), max_length=100)
    post_level = models.CharField(_("职务层次"), max_length=3, blank=True)
    is_leader = models.BooleanField(_("领导职务"), default=False)

    class Meta(PersonRecord.Meta):
        verbose_name = _("职务（A02）")
        verbose_name_plural = _("职务（A02）")
        default_related_name = "posts"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="post_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.post_name}"


class RankRecord(PersonRecord):
    """A05 职级 (civil-servant rank after the 2019 reform, or an institution post grade)."""

    rank = models.CharField(_("职级"), max_length=4)

    class Meta(PersonRecord.Meta):
        verbose_name = _("职级（A05）")
        verbose_name_plural = _("职级（A05）")
        default_related_name = "ranks"

    def __str__(self):
        return self.rank_name

    @property
    def rank_name(self) -> str:
        table = "institution_grade" if self.rank[:1] in "MPW" else "cs_rank"
        return codes.name(table, self.rank)


class TitleSource(models.TextChoices):
    ASSESSED = "assessed", _("评审")
    EXAM = "exam", _("考试")
    RECOGNISED = "recognised", _("认定")


class TitleRecord(PersonRecord):
    """A06 专业技术职务 (GB/T 8561)."""

    title = models.CharField(_("专业技术职务"), max_length=3)
    source = models.CharField(
        _("取得途径"), max_length=12, choices=TitleSource.choices, default=TitleSource.ASSESSED
    )
    appointed = models.BooleanField(_("已聘任"), default=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("专业技术职务（A06）")
        verbose_name_plural = _("专业技术职务（A06）")
        default_related_name = "titles"

    def __str__(self):
        return self.title_name

    @property
    def title_name(self) -> str:
        return codes.name("title", self.title)


class StudyMode(models.TextChoices):
    FULL_TIME = "full", _("全日制")
    IN_SERVICE = "service", _("在职教育")


class EducationRecord(PersonRecord):
    """A08 学历 (GB/T 4658)."""

    education = models.CharField(_("学历"), max_length=2)
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    study_mode = models.CharField(
        _("学习方式"), max_length=8, choices=StudyMode.choices, default=StudyMode.FULL_TIME
    )

    class Meta(PersonRecord.Meta):
        verbose_name = _("学历（A08）")
        verbose_name_plural = _("学历（A08）")
        default_related_name = "educations"

    def __str__(self):
        return self.education_name

    @property
    def education_name(self) -> str:
        return codes.name("education", self.education)


class DegreeRecord(PersonRecord):
    """A09 学位 (GB/T 6864)."""

    degree = models.CharField(_("学位"), max_length=1)
    grantor = models.CharField(_("授予单位"), max_length=100, blank=True)
    major = models.CharField(_("学科专业"), max_length=100, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("学位（A09）")
        verbose_name_plural = _("学位（A09）")
        default_related_name = "degrees"

    def __str__(self):
        return self.degree_name

    @property
    def degree_name(self) -> str:
        return codes.name("degree", self.degree)


class RewardKind(models.TextChoices):
    REWARD = "reward", _("奖励")
    PUNISHMENT = "punishment", _("惩处")


class RewardPunishment(PersonRecord):
    """A14 奖惩."""

    kind = models.CharField(_("类别"), max_length=10, choices=RewardKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("奖惩（A14）")
        verbose_name_plural = _("奖惩（A14）")
        default_related_name = "rewards"

    def __str__(self):
        return self.name


class Appraisal(PersonRecord):
    """A15 年度考核."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    result = models.CharField(_("考核结论"), max_length=1)

    class Meta(PersonRecord.Meta):
        verbose_name = _("年度考核（A15）")
        verbose_name_plural = _("年度考核（A15）")
        default_related_name = "appraisals"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="appraisal_one_per_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.result_name}"

    @property
    def result_name(self) -> str:
        return codes.name("appraisal", self.result)


class EntryRecord(PersonRecord):
    """A29 进入."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("进入单位"), on_delete=models.PROTECT, related_name="+"
    )
    entry_type = models.CharField(_("进入方式"), max_length=2)
    from_unit_name = models.CharField(_("原单位"), max_length=100, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("进入（A29）")
        verbose_name_plural = _("进入（A29）")
        default_related_name = "entries"

    def __str__(self):
        return self.entry_type_name

    @property
    def entry_type_name(self) -> str:
        return codes.name("entry_type", self.entry_type)


class ExitRecord(PersonRecord):
    """A30 退出."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("退出单位"), on_delete=models.PROTECT, related_name="+"
    )
    exit_type = models.CharField(_("退出方式"), max_length=2)
    to_unit_name = models.CharField(_("去向单位"), max_length=100, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("退出（A30）")
        verbose_name_plural = _("退出（A30）")
        default_related_name = "exits"

    def __str__(self):
        return self.exit_type_name

    @property
    def exit_type_name(self) -> str:
        return codes.name("exit_type", self.exit_type)


class FamilyMember(models.Model):
    """A36 家庭成员及社会关系."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(_("称谓"), max_length=2)
    name = models.CharField(_("姓名"), max_length=50)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=2, blank=True)
    work_unit_post = models.CharField(_("工作单位及职务"), max_length=150, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("家庭成员（A36）")
        verbose_name_plural = _("家庭成员（A36）")
        ordering = ["sort", "id"]

    def __str__(self):
        return f"{self.get_relation_name()} {self.name}"

    def get_relation_name(self) -> str:
        return codes.name("family_relation", self.relation)

    @property
    def age(self):
        if not self.birth_date:
            return None
        today = timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class UserScope(models.Model):
    """A unit HR clerk's unit: they see and change only it and its sub-units."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope", primary_key=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clerks")

    class Meta:
        verbose_name = _("单位人事专员")
        verbose_name_plural = _("单位人事专员")

    def __str__(self):
        return f"{self.user} → {self.unit}"


class ImportMode(models.TextChoices):
    ALL = "all", _("全部导入")
    GOOD = "good", _("仅导入无误的行")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")


class ImportJob(models.Model):
    """One confirmed Excel import written by a background task; its counts are the progress bar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    token = models.CharField(_("文件标识"), max_length=40)
    filename = models.CharField(_("文件名"), max_length=120)
    mode = models.CharField(_("导入方式"), max_length=8, choices=ImportMode.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("待写入行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    skipped = models.PositiveIntegerField(_("跳过有错误的行"), default=0)
    failed = models.PositiveIntegerField(_("写入失败"), default=0)
    errors = models.JSONField(_("失败的行"), default=list, blank=True)  # [{"row": 3, "message": …}]
    problem = models.CharField(_("未完成原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=F("total")), name="importjob_processed_lte_total"
            ),
        ]

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportJobStatus.DONE:
            return 100
        return self.processed * 100 // self.total if self.total else 0


RECORD_MODELS = {
    "post": PostRecord,
    "rank": RankRecord,
    "title": TitleRecord,
    "education": EducationRecord,
    "degree": DegreeRecord,
    "reward": RewardPunishment,
    "appraisal": Appraisal,
    "entry": EntryRecord,
    "exit": ExitRecord,
    "family": FamilyMember,
}


def retirement_date(birth_date: datetime.date, sex: str) -> datetime.date:
    """First day of the month after the statutory retirement age is reached.

    The 2025 gradual raise (全国人大常委会关于实施渐进式延迟法定退休年龄的决定): men from 60 and
    women cadres from 55, one month later for every four months of birth from January 1965 (men)
    or January 1970 (women), up to three years.
    """
    base_age, reform_start = (55, 1970) if sex == "2" else (60, 1965)
    months_after = (birth_date.year - reform_start) * 12 + birth_date.month - 1
    delay = min(36, months_after // 4 + 1) if months_after >= 0 else 0
    total = (birth_date.year + base_age) * 12 + birth_date.month - 1 + delay + 1
    return datetime.date(total // 12, total % 12 + 1, 1)
