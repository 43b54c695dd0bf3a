"""The agreement tests' world: the Department of Health's published framework for FY 2552 with
approved KPI templates, its negotiation committee (a chair and a member), the two signing parties,
and an agreement drafted from the framework by the planning staff.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from agreements import services
from agreements.enums import AgreementState
from agreements.models import Agreement, AgreementKPI, AgreementVersion
from governance.enums import CommitteePosition, Role
from governance.models import Committee, User
from kpis.enums import CriteriaType, FrameworkState, TemplateState
from kpis.models import KPI, Framework
from tests.conftest import PASSWORD, make_person
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    FiscalYearFactory,
    FrameworkFactory,
    KPIFactory,
    KPITemplateFactory,
    UserFactory,
)

D = Decimal
RESOLUTION = "ที่ประชุมคณะกรรมการเจรจาฯ ครั้งที่ 1/2552 มีมติเห็นชอบคำรับรองการปฏิบัติราชการ"
RESOLUTION_DATE = date(2008, 11, 20)

# (code, dimension, weight, criteria) of the framework: the weights reconcile to 45/15/20/20.
OUTCOME = {"criteria_type": CriteriaType.OUTCOME, "thresholds": (55, 60, 65, 70, 75)}
KPIS = (
    ("1.1", 1, "25", "ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย", OUTCOME),
    (
        "1.2",
        1,
        "20",
        "ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังโภชนาการ",
        {
            "criteria_type": CriteriaType.MILESTONE,
            "thresholds": (None,) * 5,
            "steps": (
                "จัดทำแผนการพัฒนาระบบ",
                "อบรมเจ้าหน้าที่",
                "ทดลองใช้ระบบในพื้นที่นำร่อง",
                "ขยายผลทั่วประเทศ",
                "ประเมินผลและรายงาน",
            ),
        },
    ),
    (
        "2.1",
        2,
        "15",
        "ระยะเวลาเฉลี่ยในการให้บริการ (นาที)",
        {
            "criteria_type": CriteriaType.OUTCOME,
            "higher_is_better": False,
            "thresholds": (30, 25, 20, 15, 10),
        },
    ),
    ("3.1", 3, "20", "ร้อยละของการเบิกจ่ายงบประมาณ", OUTCOME),
    (
        "4.1",
        4,
        "20",
        "ระดับความสำเร็จของการพัฒนาบุคลากร",
        {
            "criteria_type": CriteriaType.HYBRID,
            "step_count": 2,
            "thresholds": (None, None, 80, 85, 90),
            "steps": ("จัดทำแผนพัฒนาบุคลากร", "ดำเนินการตามแผน", "", "", ""),
        },
    ),
)


@dataclass
class Cast:
    planner: User  # planning staff of the Department of Health (and units below)
    colleague: User  # another planner, who hears of what the first one did
    admin: User
    chair: User
    member: User
    maker: User
    receiver: User
    other_chair: User  # chair of another organisation's negotiation committee
    outsider: User  # administrator of the Ministry of Finance


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2552)


def add_kpi(framework: Framework, code: str, number: int, weight: str, name_th: str, criteria):
    kpi = KPIFactory(
        framework=framework,
        code=code,
        name_th=name_th,
        name_en=f"KPI {code}",
        dimension=framework.dimensions.get(number=number),
        weight=D(weight),
        template=False,
    )
    thresholds = criteria.get("thresholds", (None,) * 5)
    steps = criteria.get("steps", ("",) * 5)
    KPITemplateFactory(
        kpi=kpi,
        revision=1,
        state=TemplateState.APPROVED,
        criteria_type=criteria["criteria_type"],
        higher_is_better=criteria.get("higher_is_better", True),
        step_count=criteria.get("step_count", 0),
        target=thresholds[2],
        **{f"threshold_{n}": value for n, value in enumerate(thresholds, start=1)},
        **{f"step_{n}": text for n, text in enumerate(steps, start=1)},
    )
    return kpi


@pytest.fixture
def framework(tree, year) -> Framework:
    framework = FrameworkFactory(
        fiscal_year=year,
        organisation=tree.department,
        name_th="กรอบการประเมินผล กรมอนามัย 2552",
        name_en="DoH framework 2552",
        state=FrameworkState.PUBLISHED,
    )
    for code, number, weight, name_th, criteria in KPIS:
        add_kpi(framework, code, number, weight, name_th, criteria)
    return framework


@pytest.fixture
def committee(tree) -> Committee:
    return CommitteeFactory(
        organisation=tree.department,
        name_th="คณะกรรมการเจรจาข้อตกลงและประเมินผล กรมอนามัย",
        name_en="DoH negotiation and evaluation committee",
    )


@pytest.fixture
def cast(tree, committee, planning_officer, department_admin, other_admin) -> Cast:
    chair = UserFactory(username="chair", name_th="ศาสตราจารย์ประธาน กรรมการ")
    member = UserFactory(username="member", name_th="นางสาวกรรมการ เจรจา")
    CommitteeMemberFactory(committee=committee, user=chair, position=CommitteePosition.CHAIR)
    CommitteeMemberFactory(committee=committee, user=member, position=CommitteePosition.MEMBER)
    other_chair = UserFactory(username="other_chair")
    CommitteeMemberFactory(
        committee=CommitteeFactory(organisation=tree.other_department),
        user=other_chair,
        position=CommitteePosition.CHAIR,
    )
    maker = UserFactory(
        username="maker",
        name_th="นายแพทย์ผู้ทำ คำรับรอง",
        name_en="Dr Maker",
        position_th="อธิบดีกรมอนามัย",
        position_en="Director-General, Department of Health",
    )
    receiver = UserFactory(
        username="receiver",
        name_th="นายแพทย์ผู้รับ คำรับรอง",
        name_en="Dr Receiver",
        position_th="ปลัดกระทรวงสาธารณสุข",
        position_en="Permanent Secretary, Ministry of Public Health",
    )
    colleague = make_person(tree.department, Role.PLANNING, username="doh_planner_2")
    return Cast(
        planner=planning_officer,
        colleague=colleague,
        admin=department_admin,
        chair=chair,
        member=member,
        maker=maker,
        receiver=receiver,
        other_chair=other_chair,
        outsider=other_admin,
    )


@pytest.fixture
def agreement(framework, committee, cast) -> Agreement:
    return services.agreement_create(
        actor=cast.planner,
        framework=framework,
        maker=cast.maker,
        receiver=cast.receiver,
        negotiation_committee=committee,
    )


# --- Moving an agreement along -------------------------------------------------------------------


def set_state(agreement: Agreement, state: str) -> Agreement:
    """Put a row in `state` directly (arranging a test, not a transition)."""
    Agreement.objects.filter(pk=agreement.pk).update(state=state)
    agreement.refresh_from_db()
    return agreement


def latest(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.order_by("-number").first()


def row(version: AgreementVersion, code: str) -> AgreementKPI:
    return version.kpis.get(code=code)


def act(agreement: Agreement, actor: User, action: str, **kwargs) -> Agreement:
    """Take an action and bring the caller's copy up to date, as the next request would."""
    services.agreement_act(actor=actor, agreement=agreement, action=action, **kwargs)
    agreement.refresh_from_db()
    return agreement


def approve(agreement: Agreement, cast: Cast) -> Agreement:
    return act(
        agreement,
        cast.chair,
        "approve",
        resolution=RESOLUTION,
        resolution_date=RESOLUTION_DATE,
    )


def to_approved(agreement: Agreement, cast: Cast) -> Agreement:
    """Draft → proposed → negotiation → agreed → approved, each by the person who does it."""
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    return approve(agreement, cast)


def sign(agreement: Agreement, person: User, password: str = PASSWORD):
    return services.agreement_sign(
        actor=person,
        agreement=agreement,
        password=password,
        ip_address="10.0.0.7",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    )


def to_signed(agreement: Agreement, cast: Cast) -> Agreement:
    to_approved(agreement, cast)
    sign(agreement, cast.maker)
    sign(agreement, cast.receiver)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    return agreement


def kpi_of(framework: Framework, code: str) -> KPI:
    return framework.kpis.get(code=code)
