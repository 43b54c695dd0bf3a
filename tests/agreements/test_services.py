"""agreements.services: drafting, negotiation, the table actions, approval and signing."""

import importlib.util
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from agreements import services
from agreements.clauses import clauses_for
from agreements.diff import ChangeKind, annex_diff
from agreements.enums import AgreementState, Party, VersionKind
from agreements.models import (
    Agreement,
    AgreementKPI,
    AgreementTransition,
    AgreementVersion,
    KPIComment,
    Signature,
)
from agreements.snapshot import build_snapshot, canonical_json, content_hash
from agreements.workflows import AGREEMENT_WORKFLOW, BUTTON_ACTIONS
from governance.enums import CommitteeKind
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from kpis.enums import CriteriaType, FrameworkState, TemplateState
from tests.agreements.conftest import (
    RESOLUTION,
    RESOLUTION_DATE,
    act,
    approve,
    kpi_of,
    latest,
    row,
    set_state,
    sign,
    to_approved,
    to_signed,
)
from tests.factories import CommitteeFactory, KPITemplateFactory, UserFactory

D = Decimal
S = AgreementState


@pytest.fixture(autouse=True)
def _english():
    # Messages become strings when raised: read them in English, whatever the catalogues hold.
    with override("en"):
        yield


def annex_values(version: AgreementVersion, *fields: str) -> list[tuple]:
    return list(version.kpis.order_by("order").values_list("code", *fields))


# --- agreement_create -----------------------------------------------------------------------------


def test_agreement_create_drafts_version_1_with_the_frameworks_kpis_and_approved_criteria(
    agreement, framework, committee, cast, year, tree
):
    assert (agreement.state, agreement.organisation, agreement.fiscal_year) == (
        S.DRAFT,
        tree.department,
        year,
    )
    assert (agreement.framework, agreement.negotiation_committee) == (framework, committee)
    assert agreement.created_by == cast.planner
    version = agreement.versions.get()
    assert (version.number, version.kind, version.created_by) == (
        1,
        VersionKind.ORIGINAL,
        cast.planner,
    )
    assert not version.is_frozen
    assert annex_values(
        version, "dimension_number", "dimension_weight", "weight", "criteria_type", "kpi"
    ) == [
        ("1.1", 1, D(45), D(25), CriteriaType.OUTCOME, kpi_of(framework, "1.1").pk),
        ("1.2", 1, D(45), D(20), CriteriaType.MILESTONE, kpi_of(framework, "1.2").pk),
        ("2.1", 2, D(15), D(15), CriteriaType.OUTCOME, kpi_of(framework, "2.1").pk),
        ("3.1", 3, D(20), D(20), CriteriaType.OUTCOME, kpi_of(framework, "3.1").pk),
        ("4.1", 4, D(20), D(20), CriteriaType.HYBRID, kpi_of(framework, "4.1").pk),
    ]
    first = row(version, "1.1")
    assert (first.name_th, first.name_en, first.unit_th, first.unit_en) == (
        "ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย",
        "KPI 1.1",
        "ร้อยละ",
        "percent",
    )
    assert (first.dimension_name_th, first.dimension_name_en) == ("มิติด้านประสิทธิผล", "Effectiveness")
    assert first.thresholds == (D(55), D(60), D(65), D(70), D(75))
    assert first.target == D(65)
    service_time = row(version, "2.1")
    assert (service_time.higher_is_better, service_time.thresholds) == (
        False,
        (D(30), D(25), D(20), D(15), D(10)),
    )
    hybrid = row(version, "4.1")
    assert (hybrid.step_count, hybrid.step_1, hybrid.threshold_3) == (2, "จัดทำแผนพัฒนาบุคลากร", D(80))
    assert row(version, "1.2").step_5 == "ประเมินผลและรายงาน"


def test_agreement_create_takes_names_and_positions_from_the_parties_profiles(agreement, cast):
    assert (
        agreement.maker,
        agreement.maker_name_th,
        agreement.maker_name_en,
        agreement.maker_position_th,
        agreement.maker_position_en,
    ) == (
        cast.maker,
        "นายแพทย์ผู้ทำ คำรับรอง",
        "Dr Maker",
        "อธิบดีกรมอนามัย",
        "Director-General, Department of Health",
    )
    assert (agreement.receiver, agreement.receiver_name_th, agreement.receiver_position_th) == (
        cast.receiver,
        "นายแพทย์ผู้รับ คำรับรอง",
        "ปลัดกระทรวงสาธารณสุข",
    )


def test_agreement_create_keeps_names_and_positions_that_are_given(framework, cast):
    agreement = services.agreement_create(
        actor=cast.planner,
        framework=framework,
        maker=cast.maker,
        receiver=cast.receiver,
        maker_name_th="นายแพทย์สมศักดิ์ รักษาการ",
        maker_position_th="รักษาราชการแทนอธิบดีกรมอนามัย",
    )
    assert (agreement.maker_name_th, agreement.maker_position_th) == (
        "นายแพทย์สมศักดิ์ รักษาการ",
        "รักษาราชการแทนอธิบดีกรมอนามัย",
    )
    assert agreement.negotiation_committee is None


def test_agreement_create_writes_the_standard_clauses_with_parties_and_buddhist_era_dates(
    agreement,
):
    version = latest(agreement)
    assert (version.clauses_th, version.clauses_en) == clauses_for(agreement)
    assert "คำรับรองการปฏิบัติราชการของกรมอนามัย ประจำปีงบประมาณ พ.ศ. 2552" in version.clauses_th
    assert "นายแพทย์ผู้รับ คำรับรอง ตำแหน่ง ปลัดกระทรวงสาธารณสุข ผู้รับคำรับรอง" in version.clauses_th
    assert "และ นายแพทย์ผู้ทำ คำรับรอง ตำแหน่ง อธิบดีกรมอนามัย ผู้ทำคำรับรอง" in version.clauses_th
    assert "มิใช่สัญญา" in version.clauses_th
    assert "เริ่มตั้งแต่วันที่ 1 ตุลาคม 2551 ถึงวันที่ 30 กันยายน 2552" in version.clauses_th
    assert "from 1 October 2008 to 30 September 2009" in version.clauses_en
    assert "Dr Maker, Director-General, Department of Health, the maker" in version.clauses_en


def test_agreement_create_uses_the_latest_approved_revision_not_a_newer_draft(framework, cast):
    kpi = kpi_of(framework, "1.1")
    KPITemplateFactory(
        kpi=kpi,
        revision=2,
        state=TemplateState.APPROVED,
        threshold_1=60,
        threshold_2=65,
        threshold_3=70,
        threshold_4=75,
        threshold_5=80,
    )
    KPITemplateFactory(kpi=kpi, revision=3, state=TemplateState.DRAFT, threshold_1=1)

    agreement = services.agreement_create(
        actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
    )

    assert row(latest(agreement), "1.1").thresholds == (D(60), D(65), D(70), D(75), D(80))


def test_agreement_create_refuses_a_kpi_without_an_approved_template_naming_the_codes(
    framework, cast
):
    for code in ("3.1", "1.2"):
        kpi_of(framework, code).templates.update(state=TemplateState.SUBMITTED)

    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
        )

    assert error.value.message == (
        "These KPIs have no approved template yet, so their criteria are not settled: 1.2, 3.1."
    )
    assert not Agreement.objects.exists()


def test_agreement_create_refuses_a_framework_that_is_not_published(framework, cast):
    type(framework).objects.filter(pk=framework.pk).update(state=FrameworkState.DRAFT)
    framework.refresh_from_db()

    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
        )

    assert (error.value.field, error.value.message) == (
        "framework",
        "The framework “DoH framework 2552” is not published yet; publish it first.",
    )
    assert not Agreement.objects.exists()


def test_agreement_create_refuses_a_second_agreement_for_the_same_organisation_and_year(
    agreement, framework, cast
):
    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
        )
    assert error.value.message == (
        "Department of Health (อน.) already has an agreement for FY 2552."
    )
    assert Agreement.objects.count() == 1
    assert AgreementVersion.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "maker", "outsider"])
def test_agreement_create_refuses_someone_who_is_no_planner_of_the_organisation(
    framework, cast, who
):
    with pytest.raises(ActionForbidden):
        services.agreement_create(
            actor=getattr(cast, who),
            framework=framework,
            maker=cast.maker,
            receiver=cast.receiver,
        )
    assert not Agreement.objects.exists()


def test_agreement_create_refuses_the_same_person_as_maker_and_receiver(framework, cast):
    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.maker
        )
    assert (error.value.field, error.value.message) == (
        "receiver",
        "The maker and the receiver of an agreement are two different people.",
    )


def test_agreement_create_needs_a_position_for_each_party(framework, cast):
    nobody = UserFactory(username="no_position", position_th="")
    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=cast.planner, framework=framework, maker=nobody, receiver=cast.receiver
        )
    assert (error.value.field, error.value.message) == (
        "maker_position_th",
        "Give the maker's position in Thai.",
    )


def test_agreement_create_refuses_a_committee_that_does_not_negotiate_for_the_organisation(
    framework, cast, tree
):
    audit = CommitteeFactory(organisation=tree.department, kind=CommitteeKind.AUDIT)
    elsewhere = CommitteeFactory(organisation=tree.other_department)
    for committee, message in (
        (audit, f"{audit} is not a negotiation committee."),
        (elsewhere, f"{elsewhere} does not serve Department of Health (อน.)."),
    ):
        with pytest.raises(DomainError) as error:
            services.agreement_create(
                actor=cast.planner,
                framework=framework,
                maker=cast.maker,
                receiver=cast.receiver,
                negotiation_committee=committee,
            )
        assert (error.value.field, error.value.message) == ("negotiation_committee", message)


def test_agreement_create_accepts_a_ministry_committee_serving_its_departments(
    framework, cast, tree
):
    ministry_committee = CommitteeFactory(organisation=tree.ministry)
    agreement = services.agreement_create(
        actor=cast.planner,
        framework=framework,
        maker=cast.maker,
        receiver=cast.receiver,
        negotiation_committee=ministry_committee,
    )
    assert agreement.negotiation_committee == ministry_committee


# --- agreement_update and clauses_update ------------------------------------------------------------


def test_agreement_update_changes_a_party_with_their_profile_and_the_untouched_clauses(
    agreement, cast
):
    acting = UserFactory(
        username="acting_dg", name_th="นายแพทย์รักษาการ แทน", position_th="รองอธิบดีกรมอนามัย"
    )

    services.agreement_update(actor=cast.planner, agreement=agreement, maker=acting)

    agreement.refresh_from_db()
    assert (agreement.maker, agreement.maker_name_th, agreement.maker_position_th) == (
        acting,
        "นายแพทย์รักษาการ แทน",
        "รองอธิบดีกรมอนามัย",
    )
    clauses_th = latest(agreement).clauses_th
    assert "และ นายแพทย์รักษาการ แทน ตำแหน่ง รองอธิบดีกรมอนามัย ผู้ทำคำรับรอง" in clauses_th
    assert "นายแพทย์ผู้ทำ" not in clauses_th


def test_agreement_update_leaves_clauses_that_planners_have_edited(agreement, cast):
    services.clauses_update(
        actor=cast.planner, agreement=agreement, clauses_th="ข้อความที่แก้ไขแล้ว", clauses_en=""
    )
    services.agreement_update(
        actor=cast.planner, agreement=agreement, receiver_position_th="ปลัดกระทรวง"
    )
    assert latest(agreement).clauses_th == "ข้อความที่แก้ไขแล้ว"


def test_agreement_update_sets_the_negotiation_committee(framework, committee, cast):
    agreement = services.agreement_create(
        actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
    )
    services.agreement_update(
        actor=cast.planner, agreement=agreement, negotiation_committee=committee
    )
    agreement.refresh_from_db()
    assert agreement.negotiation_committee == committee


@pytest.mark.parametrize("state", sorted(set(S.values) - {S.DRAFT}))
def test_agreement_update_is_refused_once_the_draft_has_moved_on(agreement, cast, state):
    set_state(agreement, state)
    with pytest.raises(DomainError) as error:
        services.agreement_update(actor=cast.planner, agreement=agreement, maker_name_th="ใครก็ได้")
    assert error.value.message.startswith("The parties can only change while the agreement is")
    agreement.refresh_from_db()
    assert agreement.maker_name_th == "นายแพทย์ผู้ทำ คำรับรอง"


def test_agreement_update_refuses_a_committee_member(agreement, cast):
    with pytest.raises(ActionForbidden):
        services.agreement_update(actor=cast.member, agreement=agreement, maker_name_th="x")


def test_clauses_update_changes_the_latest_draft_version(agreement, cast):
    version = services.clauses_update(
        actor=cast.planner, agreement=agreement, clauses_th="ข้อ 1 ...", clauses_en="Clause 1 ..."
    )
    version.refresh_from_db()
    assert (version.number, version.clauses_th, version.clauses_en) == (
        1,
        "ข้อ 1 ...",
        "Clause 1 ...",
    )


def test_clauses_update_refuses_empty_thai_clauses(agreement, cast):
    with pytest.raises(DomainError) as error:
        services.clauses_update(
            actor=cast.planner, agreement=agreement, clauses_th=" ", clauses_en=""
        )
    assert error.value.field == "clauses_th"


@pytest.mark.parametrize("state", [S.PROPOSED, S.AGREED, S.APPROVED, S.REJECTED])
def test_clauses_update_is_refused_outside_drafting_and_negotiation(agreement, cast, state):
    set_state(agreement, state)
    with pytest.raises(DomainError) as error:
        services.clauses_update(
            actor=cast.planner, agreement=agreement, clauses_th="x", clauses_en=""
        )
    assert error.value.message == (
        f"The content cannot be changed while the agreement is “{S(state).label}”."
    )


def test_clauses_update_by_the_committee_in_a_negotiation_round(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    services.negotiation_round_start(actor=cast.member, agreement=agreement, note="รอบที่ 1")
    version = services.clauses_update(
        actor=cast.member, agreement=agreement, clauses_th="ข้อความใหม่", clauses_en=""
    )
    assert (version.number, version.kind) == (2, VersionKind.NEGOTIATION_ROUND)
    assert agreement.versions.get(number=1).clauses_th != "ข้อความใหม่"


# --- annex_kpi_update ---------------------------------------------------------------------------------


def test_annex_kpi_update_by_a_planner_in_a_draft(agreement, cast):
    target = row(latest(agreement), "1.1")

    services.annex_kpi_update(
        actor=cast.planner,
        row=target,
        weight=D("27.5"),
        target=D(66),
        threshold_3=D(66),
        name_th="ร้อยละของเด็กปฐมวัยมีพัฒนาการสมวัย",
    )

    target.refresh_from_db()
    assert (target.weight, target.target, target.threshold_3, target.name_th) == (
        D("27.5"),
        D(66),
        D(66),
        "ร้อยละของเด็กปฐมวัยมีพัฒนาการสมวัย",
    )


def test_annex_kpi_update_refuses_thresholds_the_engine_cannot_score(agreement, cast):
    target = row(latest(agreement), "1.1")
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(actor=cast.planner, row=target, threshold_4=D(60))
    assert (error.value.field, error.value.message) == (
        "threshold_4",
        "Thresholds must rise strictly when higher is better: level 3 (65) and level 4 (60).",
    )
    target.refresh_from_db()
    assert target.threshold_4 == D(70)


def test_annex_kpi_update_refuses_an_empty_threshold(agreement, cast):
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.planner, row=row(latest(agreement), "2.1"), threshold_5=None
        )
    assert error.value.field == "threshold_5"
    assert error.value.message == "Levels 1-5 need 5 thresholds; 4 are filled in."


def test_annex_kpi_update_refuses_an_undescribed_milestone_step(agreement, cast):
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(actor=cast.planner, row=row(latest(agreement), "1.2"), step_3=" ")
    assert (error.value.field, error.value.message) == ("step_3", "Describe the step of level 3.")


@pytest.mark.parametrize("weight", [D(-1), D("100.01"), None])
def test_annex_kpi_update_refuses_a_weight_outside_0_to_100(agreement, cast, weight):
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.planner, row=row(latest(agreement), "1.1"), weight=weight
        )
    assert (error.value.field, error.value.message) == (
        "weight",
        "A weight must lie between 0 and 100.",
    )


def test_annex_kpi_update_refuses_making_a_kpi_composite(agreement, cast):
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.planner,
            row=row(latest(agreement), "1.1"),
            criteria_type=CriteriaType.COMPOSITE,
        )
    assert error.value.field == "criteria_type"


def test_annex_kpi_update_refuses_unknown_fields(agreement, cast):
    with pytest.raises(TypeError):
        services.annex_kpi_update(actor=cast.planner, row=row(latest(agreement), "1.1"), code="9")


def test_annex_kpi_update_refuses_a_committee_member_in_a_draft(agreement, cast):
    with pytest.raises(ActionForbidden):
        services.annex_kpi_update(
            actor=cast.member, row=row(latest(agreement), "1.1"), weight=D(30)
        )


def test_annex_kpi_update_during_negotiation_needs_a_round(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.member, row=row(latest(agreement), "1.1"), weight=D(30)
        )
    assert error.value.message == (
        "Start a negotiation round first: each round of changes is a version of its own."
    )


def test_annex_kpi_update_refuses_a_planner_during_negotiation(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    version = services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    with pytest.raises(ActionForbidden):
        services.annex_kpi_update(actor=cast.planner, row=row(version, "1.1"), weight=D(30))


def test_annex_kpi_update_refuses_an_earlier_version(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.member, row=row(agreement.versions.get(number=1), "1.1"), weight=D(30)
        )
    assert error.value.message == "Version 1 is an earlier version; changes go into version 2."


@pytest.mark.parametrize("state", [S.PROPOSED, S.AGREED, S.REJECTED])
def test_annex_kpi_update_is_refused_outside_drafting_and_negotiation(agreement, cast, state):
    set_state(agreement, state)
    with pytest.raises(DomainError):
        services.annex_kpi_update(
            actor=cast.planner, row=row(latest(agreement), "1.1"), weight=D(30)
        )
    assert row(latest(agreement), "1.1").weight == D(25)


def test_annex_kpi_update_refuses_the_frozen_approved_version(agreement, cast):
    to_approved(agreement, cast)
    with pytest.raises(DomainError) as error:
        services.annex_kpi_update(
            actor=cast.planner, row=row(latest(agreement), "1.1"), weight=D(30)
        )
    assert error.value.message == (
        "Version 1 is approved and frozen; an amendment (a new version) is needed to change it."
    )


# --- Negotiation rounds, the diff and KPI threads ----------------------------------------------------


def test_negotiation_round_copies_the_latest_version_and_the_diff_shows_the_changes(
    agreement, cast
):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")

    round_1 = services.negotiation_round_start(
        actor=cast.member, agreement=agreement, note="ข้อเสนอของคณะกรรมการ รอบที่ 1"
    )

    original = agreement.versions.get(number=1)
    assert (round_1.number, round_1.kind, round_1.note, round_1.created_by) == (
        2,
        VersionKind.NEGOTIATION_ROUND,
        "ข้อเสนอของคณะกรรมการ รอบที่ 1",
        cast.member,
    )
    assert round_1.clauses_th == original.clauses_th
    copied = [f for f in annex_values(round_1, "weight", "threshold_1", "step_1", "kpi")]
    assert copied == annex_values(original, "weight", "threshold_1", "step_1", "kpi")
    assert annex_diff(original.kpis.all(), round_1.kpis.all()) == []

    services.annex_kpi_update(
        actor=cast.member, row=row(round_1, "1.1"), weight=D(30), threshold_3=D(67)
    )
    services.annex_kpi_update(actor=cast.chair, row=row(round_1, "1.2"), weight=D(15))

    changes = annex_diff(original.kpis.all(), round_1.kpis.all())
    assert [(c.code, c.kind) for c in changes] == [
        ("1.1", ChangeKind.CHANGED),
        ("1.2", ChangeKind.CHANGED),
    ]
    assert [str(f) for f in changes[0].fields] == ["weight: 25 → 30", "level 3: 65 → 67"]
    assert [str(f) for f in changes[1].fields] == ["weight: 20 → 15"]
    # The earlier version is untouched.
    assert row(original, "1.1").weight == D(25)


def test_each_negotiation_round_is_a_new_version(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    services.negotiation_round_start(actor=cast.chair, agreement=agreement, note="")
    assert list(agreement.versions.values_list("number", "kind")) == [
        (1, VersionKind.ORIGINAL),
        (2, VersionKind.NEGOTIATION_ROUND),
        (3, VersionKind.NEGOTIATION_ROUND),
    ]
    assert AgreementKPI.objects.filter(version__agreement=agreement).count() == 15


@pytest.mark.parametrize("state", sorted(set(S.values) - {S.NEGOTIATION}))
def test_negotiation_round_is_refused_outside_negotiation(agreement, cast, state):
    set_state(agreement, state)
    with pytest.raises(TransitionNotAllowed):
        services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    assert agreement.versions.count() == 1


@pytest.mark.parametrize("who", ["planner", "other_chair", "maker"])
def test_negotiation_round_is_refused_to_anyone_outside_the_committee(agreement, cast, who):
    set_state(agreement, S.NEGOTIATION)
    with pytest.raises(ActionForbidden):
        services.negotiation_round_start(actor=getattr(cast, who), agreement=agreement, note="")
    assert agreement.versions.count() == 1


def test_kpi_comment_add_attaches_the_comment_to_the_latest_version(agreement, cast):
    set_state(agreement, S.NEGOTIATION)
    round_1 = services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")

    services.kpi_comment_add(
        actor=cast.member, agreement=agreement, kpi_code="1.1", text="  ขอปรับเป้าหมายเป็น 67  "
    )
    services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="1.1", text="เห็นด้วย")

    assert list(
        KPIComment.objects.filter(agreement=agreement).values_list(
            "kpi_code", "version", "author", "text"
        )
    ) == [
        ("1.1", round_1.pk, cast.member.pk, "ขอปรับเป้าหมายเป็น 67"),
        ("1.1", round_1.pk, cast.planner.pk, "เห็นด้วย"),
    ]


def test_kpi_comment_add_refuses_an_unknown_kpi_and_an_empty_text(agreement, cast):
    with pytest.raises(DomainError) as error:
        services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="9.9", text="x")
    assert (error.value.field, error.value.message) == ("kpi_code", "Version 1 has no KPI 9.9.")
    with pytest.raises(DomainError) as error:
        services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="1.1", text=" ")
    assert error.value.field == "text"
    assert not KPIComment.objects.exists()


@pytest.mark.parametrize("who", ["maker", "other_chair", "outsider"])
def test_kpi_comment_add_is_refused_to_people_outside_planning_and_the_committee(
    agreement, cast, who
):
    with pytest.raises(ActionForbidden):
        services.kpi_comment_add(
            actor=getattr(cast, who), agreement=agreement, kpi_code="1.1", text="x"
        )


# --- agreement_act: every action of the table ------------------------------------------------------

# Who takes each action on the happy path, and someone the table refuses it to.
ACTOR = {
    "propose": "planner",
    "open_negotiation": "member",
    "return_to_draft": "member",
    "agree": "chair",
    "approve": "chair",
    "reject": "chair",
    "revise": "planner",
    "start_reporting": "admin",
    "close": "admin",
    "amend": "planner",
}
DENIED = {
    "propose": "member",
    "open_negotiation": "planner",
    "return_to_draft": "maker",
    "agree": "planner",
    "approve": "member",
    "reject": "other_chair",
    "revise": "member",
    "start_reporting": "planner",
    "close": "planner",
    "amend": "member",
}
HAPPY_PATHS = [
    (action.name, source, action.target)
    for action in AGREEMENT_WORKFLOW.actions
    if action.name in BUTTON_ACTIONS
    for source in sorted(action.sources)
]
FORBIDDEN_SOURCES = [
    (action.name, state)
    for action in AGREEMENT_WORKFLOW.actions
    if action.name in BUTTON_ACTIONS
    for state in sorted(set(S.values) - action.sources)
]
COMMENT = "ขอให้ทบทวนน้ำหนักของตัวชี้วัด 1.1"


def arguments(action: str) -> dict:
    kwargs = {}
    if AGREEMENT_WORKFLOW.action(action).needs_comment:
        kwargs["comment"] = COMMENT
    if action == "approve":
        kwargs |= {"resolution": RESOLUTION, "resolution_date": RESOLUTION_DATE}
    return kwargs


def arrange(agreement: Agreement, cast, source: str) -> Agreement:
    """Bring the agreement into `source`; signed states go the real way, to have a signed version."""
    if source in (S.SIGNED, S.REPORTING):
        to_signed(agreement, cast)
    return set_state(agreement, source)


def test_the_table_covers_every_button_action():
    assert set(ACTOR) == set(DENIED) == BUTTON_ACTIONS


@pytest.mark.parametrize(("action", "source", "target"), HAPPY_PATHS)
def test_agreement_act_moves_the_state_and_records_one_history_row(
    agreement, cast, action, source, target
):
    arrange(agreement, cast, source)
    before = AgreementTransition.objects.count()
    actor = getattr(cast, ACTOR[action])
    kwargs = arguments(action)

    result = services.agreement_act(actor=actor, agreement=agreement, action=action, **kwargs)

    assert result.state == target
    agreement.refresh_from_db()
    assert agreement.state == target
    assert AgreementTransition.objects.count() == before + 1
    history = AgreementTransition.objects.filter(agreement=agreement).last()
    assert (
        history.action,
        history.from_state,
        history.to_state,
        history.actor,
        history.comment,
        history.version,
    ) == (action, source, target, actor, kwargs.get("comment", ""), latest(agreement))


@pytest.mark.parametrize(("action", "state"), FORBIDDEN_SOURCES)
def test_agreement_act_refuses_a_wrong_source_state_and_changes_nothing(
    agreement, cast, action, state
):
    set_state(agreement, state)

    with pytest.raises(TransitionNotAllowed):
        services.agreement_act(
            actor=getattr(cast, ACTOR[action]),
            agreement=agreement,
            action=action,
            **arguments(action),
        )

    agreement.refresh_from_db()
    assert agreement.state == state
    assert not AgreementTransition.objects.exists()
    assert agreement.versions.count() == 1
    assert not latest(agreement).is_frozen


@pytest.mark.parametrize("action", sorted(BUTTON_ACTIONS))
def test_agreement_act_refuses_someone_without_the_permission(agreement, cast, action):
    source = sorted(AGREEMENT_WORKFLOW.action(action).sources)[0]
    arrange(agreement, cast, source)
    before = AgreementTransition.objects.count()

    with pytest.raises(ActionForbidden):
        services.agreement_act(
            actor=getattr(cast, DENIED[action]),
            agreement=agreement,
            action=action,
            **arguments(action),
        )

    agreement.refresh_from_db()
    assert agreement.state == source
    assert AgreementTransition.objects.count() == before


def test_a_chair_of_another_committee_cannot_approve(agreement, cast):
    set_state(agreement, S.AGREED)
    with pytest.raises(ActionForbidden) as error:
        act(
            agreement,
            cast.other_chair,
            "approve",
            resolution=RESOLUTION,
            resolution_date=RESOLUTION_DATE,
        )
    assert error.value.message == "You may not do “Approve (committee resolution)” here."
    assert not latest(agreement).is_frozen


def test_agreement_act_does_not_complete_the_signing_by_hand(agreement, cast):
    set_state(agreement, S.APPROVED)
    with pytest.raises(DomainError) as error:
        act(agreement, cast.maker, "complete_signing")
    assert error.value.message == "The signing completes itself when both parties have signed."
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED


@pytest.mark.parametrize("action", ["return_to_draft", "reject", "amend"])
def test_actions_that_need_a_reason_refuse_an_empty_comment(agreement, cast, action):
    source = sorted(AGREEMENT_WORKFLOW.action(action).sources)[0]
    arrange(agreement, cast, source)
    with pytest.raises(DomainError) as error:
        act(agreement, getattr(cast, ACTOR[action]), action, comment="  ")
    assert (error.value.field, error.value.message) == ("comment", "Please give a reason.")


def test_the_actions_that_need_a_reason_are_return_reject_and_amend():
    assert {a.name for a in AGREEMENT_WORKFLOW.actions if a.needs_comment} == {
        "return_to_draft",
        "reject",
        "amend",
    }


# --- propose / agree: weights and committee ------------------------------------------------------------


def test_propose_is_refused_when_the_weights_do_not_reconcile_naming_the_dimension(agreement, cast):
    services.annex_kpi_update(actor=cast.planner, row=row(latest(agreement), "1.1"), weight=D(30))

    with pytest.raises(DomainError) as error:
        act(agreement, cast.planner, "propose")

    assert error.value.message == (
        "The agreement cannot be proposed yet: Dimension 1 “Effectiveness” weighs 45 but its "
        "KPIs (1.1, 1.2) total 50."
    )
    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT
    assert not AgreementTransition.objects.exists()


def test_propose_is_refused_without_a_negotiation_committee(framework, cast):
    agreement = services.agreement_create(
        actor=cast.planner, framework=framework, maker=cast.maker, receiver=cast.receiver
    )
    with pytest.raises(DomainError) as error:
        act(agreement, cast.planner, "propose")
    assert (error.value.field, error.value.message) == (
        "negotiation_committee",
        "Choose the negotiation committee before proposing the agreement.",
    )


def test_agree_is_refused_when_negotiation_left_the_weights_unbalanced(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    round_1 = services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    services.annex_kpi_update(actor=cast.member, row=row(round_1, "2.1"), weight=D(10))

    with pytest.raises(DomainError) as error:
        act(agreement, cast.chair, "agree")

    assert error.value.message == (
        "The agreement cannot be recorded as agreed yet: Dimension 2 “Service quality” weighs 15 "
        "but its KPIs (2.1) total 10."
    )
    services.annex_kpi_update(actor=cast.member, row=row(round_1, "2.1"), weight=D(15))
    assert act(agreement, cast.chair, "agree").state == S.AGREED


def test_return_to_draft_lets_planners_edit_the_latest_round(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    round_1 = services.negotiation_round_start(actor=cast.member, agreement=agreement, note="")
    act(agreement, cast.member, "return_to_draft", comment=COMMENT)

    services.annex_kpi_update(actor=cast.planner, row=row(round_1, "1.1"), target=D(70))

    assert row(round_1, "1.1").target == D(70)


# --- approve: the resolution and the frozen content ------------------------------------------------------


def test_approve_freezes_the_latest_version_with_a_recomputable_hash(agreement, cast):
    before = timezone.now()
    to_approved(agreement, cast)

    version = latest(agreement)
    assert version.number == 1
    assert (version.resolution, version.resolution_date, version.approved_by) == (
        RESOLUTION,
        RESOLUTION_DATE,
        cast.chair,
    )
    assert before <= version.frozen_at <= timezone.now()
    assert version.content == build_snapshot(version)
    assert version.content_sha256 == content_hash(version.content)
    assert len(version.content_sha256) == 64
    assert [k["code"] for k in version.content["kpis"]] == ["1.1", "1.2", "2.1", "3.1", "4.1"]
    assert version.content["kpis"][0]["weight"] == "25"
    assert version.content["resolution_date"] == "2008-11-20"
    assert version.content["maker"]["name_th"] == "นายแพทย์ผู้ทำ คำรับรอง"


def test_the_frozen_hash_is_recomputable_from_the_stored_json_alone(agreement, cast):
    import hashlib
    import json

    to_approved(agreement, cast)
    version = AgreementVersion.objects.get(pk=latest(agreement).pk)

    stored = json.loads(json.dumps(version.content))
    assert hashlib.sha256(canonical_json(stored)).hexdigest() == version.content_sha256


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"resolution": " ", "resolution_date": RESOLUTION_DATE}, "resolution"),
        ({"resolution": RESOLUTION, "resolution_date": None}, "resolution_date"),
        (
            {"resolution": RESOLUTION, "resolution_date": timezone.localdate() + timedelta(days=2)},
            "resolution_date",
        ),
    ],
)
def test_approve_needs_the_resolution_and_its_date(agreement, cast, kwargs, field):
    set_state(agreement, S.AGREED)
    with pytest.raises(DomainError) as error:
        act(agreement, cast.chair, "approve", **kwargs)
    assert error.value.field == field
    agreement.refresh_from_db()
    assert agreement.state == S.AGREED
    assert not latest(agreement).is_frozen
    assert not AgreementTransition.objects.exists()


def test_approving_twice_is_refused(agreement, cast):
    to_approved(agreement, cast)
    frozen = latest(agreement)
    with pytest.raises(TransitionNotAllowed):
        approve(agreement, cast)
    assert AgreementVersion.objects.get(pk=frozen.pk).frozen_at == frozen.frozen_at


def test_reject_then_revise_starts_a_new_original_version(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.chair, "reject", comment="ตัวชี้วัดไม่สอดคล้องกับแผนยุทธศาสตร์")

    act(agreement, cast.planner, "revise", comment="ปรับตามข้อสังเกต")

    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT
    assert list(agreement.versions.values_list("number", "kind", "note")) == [
        (1, VersionKind.ORIGINAL, ""),
        (2, VersionKind.ORIGINAL, "ปรับตามข้อสังเกต"),
    ]
    assert annex_values(latest(agreement), "weight") == annex_values(
        agreement.versions.get(number=1), "weight"
    )


# --- Signing -----------------------------------------------------------------------------------------------


def test_the_first_signature_records_who_where_and_the_frozen_hash(agreement, cast):
    to_approved(agreement, cast)
    version = latest(agreement)

    signature = sign(agreement, cast.maker)

    signature.refresh_from_db()
    assert (
        signature.version,
        signature.party,
        signature.user,
        signature.name,
        signature.position,
        signature.ip_address,
        signature.user_agent,
        signature.content_sha256,
    ) == (
        version,
        Party.MAKER,
        cast.maker,
        "นายแพทย์ผู้ทำ คำรับรอง",
        "อธิบดีกรมอนามัย",
        "10.0.0.7",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        version.content_sha256,
    )
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED


def test_both_signatures_complete_the_signing(agreement, cast):
    to_approved(agreement, cast)
    version = latest(agreement)
    sign(agreement, cast.receiver)

    sign(agreement, cast.maker)

    agreement.refresh_from_db()
    assert agreement.state == S.SIGNED
    assert sorted(version.signatures.values_list("party", flat=True)) == ["maker", "receiver"]
    history = AgreementTransition.objects.filter(agreement=agreement).last()
    assert (
        history.action,
        history.from_state,
        history.to_state,
        history.actor,
        history.version,
    ) == (
        "complete_signing",
        S.APPROVED,
        S.SIGNED,
        cast.maker,
        version,
    )


def test_signing_with_a_wrong_password_is_refused(agreement, cast):
    to_approved(agreement, cast)
    with pytest.raises(DomainError) as error:
        sign(agreement, cast.maker, password="wrong password")
    assert (error.value.field, error.value.message) == ("password", "The password is not correct.")
    assert not Signature.objects.exists()


@pytest.mark.parametrize("who", ["chair", "planner", "admin"])
def test_only_the_maker_and_the_receiver_sign(agreement, cast, who):
    to_approved(agreement, cast)
    with pytest.raises(ActionForbidden):
        sign(agreement, getattr(cast, who))
    assert not Signature.objects.exists()


def test_signing_twice_records_one_signature(agreement, cast):
    to_approved(agreement, cast)
    sign(agreement, cast.maker)

    with pytest.raises(DomainError) as error:
        sign(agreement, cast.maker)

    assert error.value.code == "already_signed"
    assert error.value.message == (
        "The Maker of the agreement (ผู้ทำคำรับรอง) has already signed this agreement."
    )
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("state", sorted(set(S.values) - {S.APPROVED}))
def test_signing_is_refused_unless_the_agreement_is_approved(agreement, cast, state):
    set_state(agreement, state)
    with pytest.raises(TransitionNotAllowed):
        sign(agreement, cast.maker)
    assert not Signature.objects.exists()


def test_the_second_signature_enqueues_the_signed_pdf_after_the_commit(
    agreement, cast, monkeypatch, django_capture_on_commit_callbacks
):
    to_approved(agreement, cast)
    version = latest(agreement)
    sign(agreement, cast.maker)
    calls = []
    if importlib.util.find_spec("agreements.tasks") is not None:
        from agreements import tasks

        monkeypatch.setattr(tasks.render_signed_pdf, "delay", lambda **kwargs: calls.append(kwargs))
    else:
        # The task module is not written yet: check the callback that would enqueue it.
        monkeypatch.setattr(
            "agreements.services.signing._enqueue_signed_pdf",
            lambda version_id: calls.append({"version_id": version_id}),
        )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign(agreement, cast.receiver)
    assert calls == []  # nothing before the commit
    for callback in callbacks:
        callback()

    # One callback mails the planners, the other enqueues the PDF, once.
    assert len(callbacks) == 2
    assert calls == [{"version_id": version.pk}]


def test_the_first_signature_enqueues_nothing(agreement, cast, django_capture_on_commit_callbacks):
    to_approved(agreement, cast)
    with django_capture_on_commit_callbacks() as callbacks:
        sign(agreement, cast.maker)
    assert callbacks == []


# --- Amendment ---------------------------------------------------------------------------------------------


def test_amend_starts_a_new_version_and_the_signed_one_never_changes(agreement, cast):
    to_signed(agreement, cast)
    signed = latest(agreement)
    frozen_content, frozen_hash = signed.content, signed.content_sha256
    signed_rows = annex_values(signed, "weight", "threshold_3", "target")

    act(agreement, cast.planner, "amend", comment="ปรับเป้าหมายตามงบประมาณที่ได้รับจริง")
    amendment = latest(agreement)
    services.annex_kpi_update(actor=cast.planner, row=row(amendment, "1.1"), target=D(70))
    services.clauses_update(
        actor=cast.planner, agreement=agreement, clauses_th="ข้อความแก้ไข", clauses_en=""
    )

    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT
    assert (amendment.number, amendment.kind, amendment.note, amendment.is_frozen) == (
        2,
        VersionKind.AMENDMENT,
        "ปรับเป้าหมายตามงบประมาณที่ได้รับจริง",
        False,
    )
    signed = AgreementVersion.objects.get(pk=signed.pk)
    assert (signed.content, signed.content_sha256) == (frozen_content, frozen_hash)
    assert content_hash(build_snapshot(signed)) == frozen_hash
    assert annex_values(signed, "weight", "threshold_3", "target") == signed_rows
    assert signed.signatures.count() == 2
    assert row(amendment, "1.1").target == D(70)


def test_an_amendment_goes_through_approval_and_signing_again(agreement, cast):
    to_signed(agreement, cast)
    act(agreement, cast.admin, "start_reporting")
    act(agreement, cast.planner, "amend", comment="แก้ไขตัวชี้วัด 1.1")

    to_signed(agreement, cast)

    first, amendment = agreement.versions.order_by("number")
    assert amendment.kind == VersionKind.AMENDMENT
    assert first.content_sha256 != amendment.content_sha256
    assert first.signatures.count() == amendment.signatures.count() == 2
    assert amendment.content["version"] == 2


# --- E-mail after the commit ---------------------------------------------------------------------------------

# Who hears of each action: those who must act next, without the person who acted.
RECIPIENTS = {
    "propose": {"chair", "member"},
    "open_negotiation": {"chair", "planner", "colleague"},
    "agree": {"member", "planner", "colleague"},
    "approve": {"maker", "receiver"},
    "return_to_draft": {"planner", "colleague"},
    "reject": {"planner", "colleague"},
    "revise": {"colleague"},
    "amend": {"colleague"},
    "start_reporting": {"planner", "colleague"},
    "close": set(),
}


@pytest.mark.parametrize("action", sorted(BUTTON_ACTIONS))
def test_agreement_act_mails_the_people_who_must_act_next_after_the_commit(
    agreement, cast, action, mailoutbox, django_capture_on_commit_callbacks
):
    source = sorted(AGREEMENT_WORKFLOW.action(action).sources)[0]
    arrange(agreement, cast, source)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(agreement, getattr(cast, ACTOR[action]), action, **arguments(action))
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        getattr(cast, who).email for who in RECIPIENTS[action]
    )
    for message in mailoutbox:
        assert "กรมอนามัย" in message.subject
        assert message.alternatives[0][1] == "text/html"


def test_the_signing_mail_goes_to_the_planners(
    agreement, cast, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    to_approved(agreement, cast)
    sign(agreement, cast.maker)
    mailoutbox.clear()
    monkeypatch.setattr("agreements.services.signing._enqueue_signed_pdf", lambda version_id: None)

    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, cast.receiver)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.planner.email, cast.colleague.email])


def test_the_mail_carries_the_reason_unescaped_in_text_and_escaped_in_html(
    agreement, cast, mailoutbox, django_capture_on_commit_callbacks
):
    act(agreement, cast.planner, "propose")
    reason = "น้ำหนัก 1.1 <สูงเกินไป> & ต้องทบทวน"

    with django_capture_on_commit_callbacks(execute=True):
        act(agreement, cast.member, "return_to_draft", comment=reason)

    message = next(m for m in mailoutbox if m.to == [cast.planner.email])
    assert reason in message.body
    assert "น้ำหนัก 1.1 &lt;สูงเกินไป&gt; &amp; ต้องทบทวน" in message.alternatives[0][0]


def test_the_mail_is_written_in_the_recipients_language(
    agreement, cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.chair.language = "en"
    cast.chair.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        act(agreement, cast.planner, "propose")

    message = next(m for m in mailoutbox if m.to == [cast.chair.email])
    assert (
        message.subject
        == "Proposed for negotiation: Agreement of Department of Health (อน.), FY 2552"
    )
    assert "As a member of the committee, please review version 1" in message.body


def test_a_failing_mail_server_does_not_undo_the_transition(
    agreement, cast, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("agreements.services.notifications.send_templated_mail", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        act(agreement, cast.planner, "propose")

    agreement.refresh_from_db()
    assert agreement.state == S.PROPOSED


def test_approving_e_mails_the_two_parties_with_the_resolution_date(
    agreement, cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.maker.language = "en"
    cast.maker.save(update_fields=["language"])
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve(agreement, cast)

    message = next(m for m in mailoutbox if m.to == [cast.maker.email])
    assert "approved by the committee's resolution of 20 November 2008" in message.body
    assert "sign it with your password" in message.body
