"""One factory per model, without surprises: each builds a valid row and nothing more."""

from datetime import date

import factory
from django.db.models import Max

from governance import fiscal
from governance.enums import CommitteeKind, CommitteePosition, OrganisationKind, Role
from governance.models import (
    Committee,
    CommitteeMember,
    FiscalYear,
    Membership,
    Milestone,
    Organisation,
    ReportingRound,
    StrategicIssue,
    User,
    path_segment,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Builds a node with a correct materialised path (as organisation_create does)."""

    class Meta:
        model = Organisation

    parent = None
    kind = OrganisationKind.MINISTRY
    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name_th = factory.Sequence(lambda n: f"หน่วยงานทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test organisation {n}")
    abbreviation_th = factory.Sequence(lambda n: f"ทด.{n}")
    abbreviation_en = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        next_id = (model_class.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        parent = kwargs.get("parent")
        kwargs["path"] = f"~tmp{next_id}-{kwargs['code']}"
        obj = super()._create(model_class, *args, **kwargs)
        obj.path = (parent.path if parent else "") + path_segment(obj.pk)
        obj.save(update_fields=["path"])
        return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.th")
    name_th = factory.Sequence(lambda n: f"นายทดสอบ ใจดี {n}")
    name_en = factory.Sequence(lambda n: f"Test Person {n}")
    language = "th"
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.UNIT_HEAD
    includes_descendants = False


class FiscalYearFactory(factory.django.DjangoModelFactory):
    """A fiscal year with its three rounds, as fiscal_year_create makes it."""

    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)
        skip_postgeneration_save = True

    year = 2552

    @factory.post_generation
    def rounds(obj, create, extracted, **kwargs):
        if not create or obj.rounds.exists():
            return
        for months in fiscal.REPORTING_ROUNDS:
            ReportingRound.objects.create(
                fiscal_year=obj,
                months=months,
                period_end=fiscal.round_period_end(obj.year, months),
                sar_deadline=fiscal.default_sar_deadline(obj.year, months),
                has_site_visit=months in (6, 12),
            )


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    organisation = factory.SubFactory(OrganisationFactory)
    kind = CommitteeKind.NEGOTIATION
    name_th = factory.Sequence(lambda n: f"คณะกรรมการเจรจา {n}")
    name_en = factory.Sequence(lambda n: f"Negotiation committee {n}")
    appointed_by_th = "รัฐมนตรีว่าการกระทรวงสาธารณสุข"
    appointed_on = date(2008, 10, 15)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(UserFactory)
    position = CommitteePosition.MEMBER
    order = factory.Sequence(lambda n: n * 10)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    name_th = factory.Sequence(lambda n: f"กิจกรรมตามปฏิทิน {n}")
    name_en = factory.Sequence(lambda n: f"Calendar milestone {n}")
    starts_on = date(2008, 12, 1)
    responsible = factory.SubFactory(OrganisationFactory)


class StrategicIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicIssue

    organisation = factory.SubFactory(OrganisationFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    number = factory.Sequence(lambda n: n + 1)
    name_th = factory.Sequence(lambda n: f"ประเด็นยุทธศาสตร์ {n}")


# --- KPIs -------------------------------------------------------------------------------------------

from kpis.enums import DEFAULT_DIMENSIONS, CriteriaType  # noqa: E402
from kpis.models import KPI, Dimension, Framework, KPITemplate  # noqa: E402


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A draft framework with the four default dimensions (45/15/20/20), as framework_create makes it."""

    class Meta:
        model = Framework
        skip_postgeneration_save = True

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.DEPARTMENT)
    name_th = factory.Sequence(lambda n: f"กรอบการประเมินผล {n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")

    @factory.post_generation
    def dimensions(obj, create, extracted, **kwargs):
        if create and not obj.dimensions.exists():
            Dimension.objects.bulk_create(
                Dimension(framework=obj, number=n, name_th=th, name_en=en, weight=w)
                for n, th, en, w in DEFAULT_DIMENSIONS
            )


class KPIFactory(factory.django.DjangoModelFactory):
    """A KPI in its framework's first dimension, with an empty draft template (as kpi_create)."""

    class Meta:
        model = KPI
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    name_th = factory.Sequence(lambda n: f"ร้อยละของผลสำเร็จ {n}")
    name_en = factory.Sequence(lambda n: f"Percentage of achievement {n}")
    unit_th = "ร้อยละ"
    unit_en = "percent"
    dimension = factory.LazyAttribute(lambda o: o.framework.dimensions.get(number=1))
    weight = 5
    owner = factory.LazyAttribute(lambda o: o.framework.organisation)
    order = factory.Sequence(lambda n: (n + 1) * 10)

    @factory.post_generation
    def template(obj, create, extracted, **kwargs):
        if create and extracted is not False and not obj.templates.exists():
            KPITemplate.objects.create(kpi=obj, revision=1)


class KPITemplateFactory(factory.django.DjangoModelFactory):
    """An outcome template 55/60/65/70/75 (the deck's "65 ± 5"), higher is better."""

    class Meta:
        model = KPITemplate

    kpi = factory.SubFactory(KPIFactory, template=False)
    revision = 1
    definition = "ร้อยละของหน่วยงานที่ดำเนินการได้ตามเป้าหมาย"
    criteria_type = CriteriaType.OUTCOME
    higher_is_better = True
    threshold_1 = 55
    threshold_2 = 60
    threshold_3 = 65
    threshold_4 = 70
    threshold_5 = 75


# --- Agreements -------------------------------------------------------------------------------------

from agreements.models import Agreement, AgreementKPI, AgreementVersion  # noqa: E402

STANDARD_CLAUSES_TH = "คำรับรองการปฏิบัติราชการนี้เป็นคำรับรองฝ่ายเดียว มิใช่สัญญา"


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft agreement of its framework's organisation and year, without versions."""

    class Meta:
        model = Agreement

    framework = factory.SubFactory(FrameworkFactory)
    organisation = factory.LazyAttribute(lambda o: o.framework.organisation)
    fiscal_year = factory.LazyAttribute(lambda o: o.framework.fiscal_year)
    maker_name_th = "นายแพทย์ผู้ทำ คำรับรอง"
    maker_position_th = "อธิบดีกรมอนามัย"
    receiver_name_th = "นายแพทย์ผู้รับ คำรับรอง"
    receiver_position_th = "ปลัดกระทรวงสาธารณสุข"


class AgreementVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    clauses_th = STANDARD_CLAUSES_TH


class AgreementKPIFactory(factory.django.DjangoModelFactory):
    """An outcome row 55/60/65/70/75 in dimension 1 (weight 45)."""

    class Meta:
        model = AgreementKPI

    version = factory.SubFactory(AgreementVersionFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    name_th = factory.Sequence(lambda n: f"ร้อยละความสำเร็จของตัวชี้วัด {n}")
    name_en = factory.Sequence(lambda n: f"Achievement of KPI {n}")
    unit_th = "ร้อยละ"
    dimension_number = 1
    dimension_name_th = "มิติด้านประสิทธิผล"
    dimension_name_en = "Effectiveness"
    dimension_weight = 45
    weight = 5
    criteria_type = CriteriaType.OUTCOME
    threshold_1 = 55
    threshold_2 = 60
    threshold_3 = 65
    threshold_4 = 70
    threshold_5 = 75
    order = factory.Sequence(lambda n: n * 10)


from agreements.models import SAR, KPIResult  # noqa: E402


class SARFactory(factory.django.DjangoModelFactory):
    """An open SAR of the 6-month round, on its agreement's version 1 (no result rows)."""

    class Meta:
        model = SAR

    version = factory.SubFactory(AgreementVersionFactory, number=1)
    agreement = factory.LazyAttribute(lambda o: o.version.agreement)
    round = factory.LazyAttribute(lambda o: o.agreement.fiscal_year.rounds.get(months=6))


class KPIResultFactory(factory.django.DjangoModelFactory):
    """A reported result row, nothing entered yet."""

    class Meta:
        model = KPIResult

    sar = factory.SubFactory(SARFactory)
    annex_kpi = factory.SubFactory(
        AgreementKPIFactory, version=factory.SelfAttribute("..sar.version")
    )
