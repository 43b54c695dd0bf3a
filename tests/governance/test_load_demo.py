"""`manage.py load_demo`: the demo year FY 2552, loaded once and idempotent on a re-run."""

from io import StringIO

import pytest
from django.core.management import call_command

from governance import demo
from governance.enums import (
    CommitteeKind,
    CommitteePosition,
    MilestoneState,
    OrganisationKind,
    Role,
)
from governance.models import (
    PATH_STEP,
    Committee,
    CommitteeMember,
    CoreValue,
    FiscalYear,
    Membership,
    Milestone,
    MilestoneTransition,
    Mission,
    Organisation,
    ReportingRound,
    StrategicIssue,
    User,
)

USERNAMES = [
    "admin",
    "doh_admin",
    "planner",
    "kpi_owner",
    "unit_head",
    "collector",
    "committee",
    "auditor",
]


def run_load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Every table the demo writes, history tables included: a re-run must add to none of them."""
    return {
        "organisations": Organisation.objects.count(),
        "organisation history": Organisation.history.count(),
        "people": User.objects.count(),
        "people history": User.history.count(),
        "memberships": Membership.objects.count(),
        "fiscal years": FiscalYear.objects.count(),
        "rounds": ReportingRound.objects.count(),
        "committees": Committee.objects.count(),
        "committee history": Committee.history.count(),
        "committee members": CommitteeMember.objects.count(),
        "committee member history": CommitteeMember.history.count(),
        "milestones": Milestone.objects.count(),
        "milestone history": Milestone.history.count(),
        "milestone transitions": MilestoneTransition.objects.count(),
        "strategic issues": StrategicIssue.objects.count(),
        "strategic issue history": StrategicIssue.history.count(),
        "missions": Mission.objects.count(),
        "core values": CoreValue.objects.count(),
    }


@pytest.fixture
def loaded(db) -> str:
    return run_load_demo()


def org(*codes: str) -> Organisation:
    node = None
    for code in codes:
        node = Organisation.objects.get(parent=node, code=code)
    return node


def test_load_demo_builds_the_tree_from_opdc_down_to_the_department_of_health_units(loaded):
    opdc = Organisation.objects.get(parent=None)
    ministries = opdc.children.filter(kind=OrganisationKind.MINISTRY)
    doh = org("OPDC", "MOPH", "PHDEV", "DOH")

    assert (opdc.code, opdc.kind) == ("OPDC", OrganisationKind.GOVERNMENT)
    assert sorted(ministries.values_list("code", flat=True)) == ["MOEN", "MOF", "MOIND", "MOPH"]
    assert Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).count() == 9
    assert Organisation.objects.filter(kind=OrganisationKind.MISSION_GROUP).count() == 3
    assert doh.name_th == "กรมอนามัย"
    assert doh.children.filter(kind=OrganisationKind.UNIT).count() == 17
    assert Organisation.objects.count() == 34


def test_load_demo_gives_the_units_the_decks_abbreviations(loaded):
    doh = org("OPDC", "MOPH", "PHDEV", "DOH")
    abbreviations = dict(doh.children.values_list("abbreviation_th", "name_th"))

    assert abbreviations["กอง ภ."] == "กองโภชนาการ"
    assert abbreviations["กอง จ."] == "กองการเจ้าหน้าที่"
    assert abbreviations["กอง ค."] == "กองคลัง"
    assert abbreviations["กพร."] == "กลุ่มพัฒนาระบบบริหาร"
    assert abbreviations["กอง สช."] == "กองสุขาภิบาลชุมชนและประเมินผลกระทบต่อสุขภาพ"


def test_every_demo_organisation_has_a_thai_and_an_english_name(loaded):
    assert not Organisation.objects.filter(name_th="").exists()
    assert not Organisation.objects.filter(name_en="").exists()


def test_every_demo_path_extends_its_parents_path_by_one_step(loaded):
    for organisation in Organisation.objects.select_related("parent"):
        if organisation.parent is None:
            assert organisation.depth == 1
        else:
            assert organisation.path.startswith(organisation.parent.path)
            assert len(organisation.path) == len(organisation.parent.path) + PATH_STEP


def test_load_demo_gives_the_department_its_vision_four_missions_and_health_values(loaded):
    doh = org("OPDC", "MOPH", "PHDEV", "DOH")

    assert doh.vision_th.startswith("เป็นองค์กรหลักของประเทศในการส่งเสริมสุขภาพ")
    assert list(doh.missions.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert "".join(doh.core_values.values_list("letter", flat=True)) == "HEALTH"


def test_load_demo_creates_fiscal_year_2552_with_three_rounds(loaded):
    fiscal_year = FiscalYear.objects.get()

    assert fiscal_year.year == 2552
    assert list(fiscal_year.rounds.values_list("months", flat=True)) == [6, 9, 12]


def test_demo_calendar_falls_within_fy_2552_and_reads_52_in_november_as_2551(loaded):
    fiscal_year = FiscalYear.objects.get()
    milestones = list(fiscal_year.milestones.all())
    executives_meeting = fiscal_year.milestones.get(name_th__startswith="ประชุมผู้บริหารกรม")

    assert len(milestones) == len(demo.CALENDAR) == 17
    assert all(
        fiscal_year.starts_on <= m.starts_on <= m.due_on <= fiscal_year.ends_on for m in milestones
    )
    assert (executives_meeting.starts_on.isoformat(), executives_meeting.ends_on.isoformat()) == (
        "2008-11-06",
        "2008-11-07",
    )


def test_demo_calendar_follows_scenario_2_1_and_notes_scenario_2_2(loaded):
    signing = Milestone.objects.get(name_th="จัดพิธีลงนามคำรับรองระหว่างหน่วยงานกับกรม")

    assert signing.starts_on.isoformat() == "2009-02-10"
    assert "กรณี 2.2: 20 มี.ค. 2552" in signing.notes


def test_demo_calendar_names_the_responsible_bodies(loaded):
    negotiation = Milestone.objects.get(name_th="กระทรวงจัดการเจรจาคำรับรองกับกรมต่าง ๆ")
    opdc_round = Milestone.objects.get(name_th__startswith="สำนักงาน ก.พ.ร. จัดการเจรจา")

    assert negotiation.responsible.code == "MOPH"
    assert negotiation.responsible_committee.kind == CommitteeKind.NEGOTIATION
    assert opdc_round.responsible.code == "OPDC"


def test_demo_calendar_states_are_those_of_the_meeting_day(loaded):
    done = Milestone.objects.get(name_th="แต่งตั้งคณะกรรมการ (2 คณะ)")
    future = Milestone.objects.get(name_th="หน่วยงานย่อยจัดทำคำรับรองฯ ส่งกรม")

    assert done.state == MilestoneState.DONE
    assert done.transitions.get().actor.username == "admin"
    assert future.state == MilestoneState.PLANNED


def test_load_demo_creates_the_six_strategic_issues_with_their_owner_units(loaded):
    issues = StrategicIssue.objects.filter(fiscal_year__year=2552, organisation__code="DOH")

    assert list(issues.values_list("number", "owner__abbreviation_th")) == [
        (1, "สำนัก ส."),
        (2, "กอง อพ."),
        (3, "กอง ภ."),
        (4, "สำนัก ส."),
        (5, "สำนัก ว."),
        (6, "กอง สช."),
    ]


def test_load_demo_creates_the_four_ministry_committees_each_with_one_chair(loaded):
    committees = Committee.objects.filter(organisation__code="MOPH")
    oversight = committees.get(kind=CommitteeKind.OVERSIGHT)
    negotiation = committees.get(kind=CommitteeKind.NEGOTIATION)

    assert sorted(committees.values_list("kind", flat=True)) == sorted(CommitteeKind.values)
    for committee in committees:
        positions = list(committee.members.values_list("position", flat=True))
        assert positions.count(CommitteePosition.CHAIR) == 1
        assert positions.count(CommitteePosition.SECRETARY) == 1
    assert oversight.appointed_by_th == "รัฐมนตรีว่าการกระทรวงสาธารณสุข"
    assert negotiation.appointing_committee == oversight
    assert negotiation.members.filter(user__username="committee").exists()


def test_load_demo_creates_one_person_for_every_role(loaded):
    roles = set(Membership.objects.values_list("role", flat=True))

    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    assert Membership.objects.get(user__username="unit_head").organisation.name_th == "กองโภชนาการ"


def test_every_demo_account_logs_in_with_the_demo_password(loaded):
    people = User.objects.filter(username__in=USERNAMES)

    assert people.count() == len(USERNAMES)
    assert all(person.check_password("demo1234") for person in people)
    assert all(person.email.endswith("@anamai.example.go.th") for person in people)


def test_load_demo_prints_every_log_in_and_says_the_data_is_illustrative(loaded):
    lines = loaded.splitlines()

    assert "ILLUSTRATIVE" in loaded
    for username in USERNAMES:
        assert any(line.split()[:1] == [username] and "demo1234" in line for line in lines)


def test_running_load_demo_twice_writes_nothing_new(loaded):
    before = row_counts()

    output = run_load_demo()

    assert row_counts() == before
    assert "organisations: 34 (0 new)" in output


def test_a_second_run_keeps_a_changed_password(loaded):
    person = User.objects.get(username="planner")
    person.set_password("another secret phrase")
    person.save()

    output = run_load_demo()

    person.refresh_from_db()
    assert person.check_password("another secret phrase")
    assert "--reset-passwords" in output


def test_reset_passwords_sets_every_demo_password_back(loaded):
    for person in User.objects.all():
        person.set_password("another secret phrase")
        person.save()

    run_load_demo("--reset-passwords")

    assert all(person.check_password("demo1234") for person in User.objects.all())


def test_a_second_run_restores_demo_data_changed_by_hand(loaded):
    nutrition = org("OPDC", "MOPH", "PHDEV", "DOH", "NUT")
    Organisation.objects.filter(pk=nutrition.pk).update(name_en="Renamed")
    Membership.objects.filter(user__username="collector").delete()

    run_load_demo()

    nutrition.refresh_from_db()
    assert nutrition.name_en == "Bureau of Nutrition"
    assert Membership.objects.get(user__username="collector").role == Role.DATA_COLLECTOR
