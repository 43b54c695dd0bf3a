"""kpis.services for frameworks, dimensions and KPIs: the rules the framework pages rely on."""

from decimal import Decimal

import pytest
from django.utils.translation import override

from governance.enums import Role
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from kpis import services
from kpis.enums import CriteriaType, FloorRule, FrameworkState, TemplateState
from kpis.models import KPI, Dimension, Framework, FrameworkTransition, KPITemplate
from tests.conftest import make_person
from tests.factories import FiscalYearFactory, FrameworkFactory, KPIFactory, KPITemplateFactory

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2552)


@pytest.fixture
def next_year(db):
    return FiscalYearFactory(year=2553)


@pytest.fixture
def framework(tree, year):
    return FrameworkFactory(
        fiscal_year=year, organisation=tree.department, name_th="กรอบ กรมอนามัย 2552"
    )


@pytest.fixture
def ministry_framework(tree, year):
    return FrameworkFactory(fiscal_year=year, organisation=tree.ministry)


def dim(framework: Framework, number: int) -> Dimension:
    return framework.dimensions.get(number=number)


def add_kpi(actor, framework, code, weight, number=1, **fields) -> KPI:
    fields.setdefault("owner", framework.organisation)
    return services.kpi_create(
        actor=actor,
        framework=framework,
        code=code,
        name_th=f"ตัวชี้วัด {code}",
        dimension=fields.pop("dimension", None) or dim(framework, number),
        weight=D(weight),
        **fields,
    )


def balance(actor, framework) -> None:
    """KPIs 1-4 weighing exactly their dimensions (45/15/20/20)."""
    for code, weight, number in (("1", "45", 1), ("2", "15", 2), ("3", "20", 3), ("4", "20", 4)):
        add_kpi(actor, framework, code, weight, number)


# --- framework_create / framework_update ---------------------------------------------------------


def test_framework_create_makes_the_four_dimensions_45_15_20_20(tree, year, planning_officer):
    framework = services.framework_create(
        actor=planning_officer,
        fiscal_year=year,
        organisation=tree.department,
        name_th="กรอบการประเมินผล กรมอนามัย",
        name_en="DoH framework",
        floor_rule=FloorRule.ZERO,
        target_level=4,
    )

    assert framework.state == FrameworkState.DRAFT
    assert (framework.floor_rule, framework.target_level) == (FloorRule.ZERO, 4)
    assert [(d.number, d.name_en, d.weight) for d in framework.dimensions.order_by("number")] == [
        (1, "Effectiveness", D("45")),
        (2, "Service quality", D("15")),
        (3, "Efficiency", D("20")),
        (4, "Organisational development", D("20")),
    ]


def test_framework_create_refuses_a_second_framework_for_the_same_year(
    tree, year, framework, planning_officer
):
    with pytest.raises(DomainError) as error:
        services.framework_create(
            actor=planning_officer, fiscal_year=year, organisation=tree.department, name_th="ซ้ำ"
        )

    assert error.value.field == "organisation"
    assert "already has a framework" in error.value.message
    assert Framework.objects.filter(organisation=tree.department).count() == 1


def test_framework_create_is_refused_to_a_unit_head(tree, year, unit_head):
    with pytest.raises(ActionForbidden):
        services.framework_create(
            actor=unit_head, fiscal_year=year, organisation=tree.department, name_th="x"
        )
    assert not Framework.objects.exists()


def test_framework_create_is_refused_outside_the_planners_scope(tree, year, other_admin):
    with pytest.raises(ActionForbidden):
        services.framework_create(
            actor=other_admin, fiscal_year=year, organisation=tree.department, name_th="x"
        )


def test_framework_update_changes_names_and_rules(framework, planning_officer):
    services.framework_update(
        actor=planning_officer, framework=framework, name_en="New name", target_level=4
    )

    framework.refresh_from_db()
    assert (framework.name_en, framework.target_level) == ("New name", 4)


def test_framework_update_keeps_the_rules_of_a_published_framework(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")
    framework.refresh_from_db()

    services.framework_update(actor=planning_officer, framework=framework, name_en="Renamed")
    with pytest.raises(DomainError):
        services.framework_update(
            actor=planning_officer, framework=framework, floor_rule=FloorRule.ZERO
        )

    framework.refresh_from_db()
    assert (framework.name_en, framework.floor_rule) == ("Renamed", FloorRule.ONE)


# --- dimensions_update ---------------------------------------------------------------------------


def test_dimensions_update_renames_and_reweighs(framework, planning_officer):
    services.dimensions_update(
        actor=planning_officer,
        framework=framework,
        rows={
            1: {"name_th": "ประสิทธิผล", "name_en": "Effect", "weight": D("50")},
            2: {"name_th": "คุณภาพ", "name_en": "", "weight": D("10")},
        },
    )

    assert [(d.number, d.name_th, d.weight) for d in framework.dimensions.order_by("number")] == [
        (1, "ประสิทธิผล", D("50")),
        (2, "คุณภาพ", D("10")),
        (3, "มิติด้านประสิทธิภาพ", D("20")),
        (4, "มิติด้านการพัฒนาองค์กร", D("20")),
    ]


def test_dimensions_update_allows_a_total_other_than_100_while_drafting(
    framework, planning_officer
):
    services.dimensions_update(
        actor=planning_officer, framework=framework, rows={1: {"weight": D("40")}}
    )

    assert services.framework_reconciliation(framework).problems[0] == (
        "The dimension weights total 95, not 100."
    )


@pytest.mark.parametrize("weight", [D("-1"), D("100.0001")])
def test_dimensions_update_refuses_a_weight_out_of_range(framework, planning_officer, weight):
    with pytest.raises(DomainError) as error:
        services.dimensions_update(
            actor=planning_officer, framework=framework, rows={2: {"weight": weight}}
        )

    assert error.value.field == "weight_2"
    assert dim(framework, 2).weight == D("15")


def test_dimensions_update_refuses_an_unknown_dimension(framework, planning_officer):
    with pytest.raises(DomainError, match="Unknown dimension 5"):
        services.dimensions_update(
            actor=planning_officer, framework=framework, rows={5: {"weight": D("1")}}
        )


def test_dimensions_update_is_refused_on_a_published_framework(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")
    framework.refresh_from_db()

    with pytest.raises(DomainError, match="reopen it"):
        services.dimensions_update(
            actor=planning_officer, framework=framework, rows={1: {"weight": D("40")}}
        )


def test_dimensions_update_is_refused_to_a_kpi_owner(tree, framework):
    owner = make_person(tree.planning_unit, Role.KPI_OWNER)

    with pytest.raises(ActionForbidden):
        services.dimensions_update(actor=owner, framework=framework, rows={1: {"weight": D("40")}})


# --- kpi_create / kpi_update / kpi_delete --------------------------------------------------------


def test_kpi_create_adds_the_kpi_with_an_empty_draft_template(tree, framework, planning_officer):
    kpi = services.kpi_create(
        actor=planning_officer,
        framework=framework,
        code="1.1",
        name_th="ร้อยละ",
        name_en="Percent",
        unit_th="ร้อยละ",
        dimension=dim(framework, 1),
        weight=D("2.5"),
        owner=tree.planning_unit,
        supporting_units=[tree.secretary_office],
    )

    assert (kpi.code, kpi.weight, kpi.owner, kpi.order) == ("1.1", D("2.5"), tree.planning_unit, 10)
    assert list(kpi.supporting_units.all()) == [tree.secretary_office]
    template = kpi.templates.get()
    assert (template.revision, template.state, template.created_by) == (
        1,
        TemplateState.DRAFT,
        planning_officer,
    )
    assert add_kpi(planning_officer, framework, "1.2", "1").order == 20


def test_kpi_create_refuses_a_duplicate_code(framework, planning_officer):
    add_kpi(planning_officer, framework, "1", "5")

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "1", "5")

    assert (error.value.field, error.value.message) == (
        "code",
        "The code 1 is already used in this framework.",
    )
    assert framework.kpis.count() == 1


@pytest.mark.parametrize("weight", ["-0.5", "100.5"])
def test_kpi_create_refuses_a_weight_out_of_range(framework, planning_officer, weight):
    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "1", weight)

    assert (error.value.field, error.value.message) == (
        "weight",
        "A weight must lie between 0 and 100.",
    )
    assert not framework.kpis.exists()


def test_a_sub_kpi_takes_its_composites_dimension(framework, planning_officer):
    composite = add_kpi(planning_officer, framework, "14", "20", 4)

    part = services.kpi_create(
        actor=planning_officer,
        framework=framework,
        code="14.1",
        name_th="ส่วน",
        weight=D("3"),
        owner=framework.organisation,
        composite_parent=composite,
    )

    assert (part.dimension, part.composite_parent, part.is_sub_kpi) == (
        dim(framework, 4),
        composite,
        True,
    )


def test_kpi_create_refuses_a_sub_kpi_of_a_sub_kpi(framework, planning_officer):
    composite = add_kpi(planning_officer, framework, "14", "20", 4)
    part = add_kpi(planning_officer, framework, "14.1", "3", 4, composite_parent=composite)

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "14.1.1", "1", 4, composite_parent=part)

    assert (error.value.field, error.value.message) == (
        "composite_parent",
        "14.1 is itself a sub-KPI; sub-KPIs cannot have parts.",
    )


def test_kpi_update_refuses_a_kpi_as_its_own_part(framework, planning_officer):
    kpi = add_kpi(planning_officer, framework, "14", "20", 4)

    with pytest.raises(DomainError) as error:
        services.kpi_update(actor=planning_officer, kpi=kpi, composite_parent=kpi)

    assert error.value.field == "composite_parent"


def test_kpi_update_refuses_to_make_a_composite_with_parts_a_sub_kpi(framework, planning_officer):
    composite = add_kpi(planning_officer, framework, "14", "20", 4)
    add_kpi(planning_officer, framework, "14.1", "3", 4, composite_parent=composite)
    other = add_kpi(planning_officer, framework, "13", "5", 4)

    with pytest.raises(DomainError) as error:
        services.kpi_update(actor=planning_officer, kpi=composite, composite_parent=other)

    assert error.value.field == "composite_parent"
    composite.refresh_from_db()
    assert composite.composite_parent is None


def test_kpi_create_refuses_a_sub_kpi_in_another_dimension(framework, planning_officer):
    composite = add_kpi(planning_officer, framework, "14", "20", 4)

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "14.1", "3", 1, composite_parent=composite)

    assert (error.value.field, error.value.message) == (
        "dimension",
        "A sub-KPI sits in the dimension of its composite KPI.",
    )


def test_kpi_create_refuses_a_dimension_of_another_framework(
    tree, year, framework, planning_officer
):
    unit_framework = FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit)

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "1", "5", dimension=dim(unit_framework, 1))

    assert error.value.field == "dimension"


def test_kpi_create_links_a_kpi_of_the_level_above(framework, ministry_framework, planning_officer):
    above = KPIFactory(framework=ministry_framework, code="1.1")

    kpi = add_kpi(planning_officer, framework, "1", "5", parent_kpi=above)

    assert kpi.parent_kpi == above
    assert list(above.cascaded_kpis.all()) == [kpi]


def test_kpi_create_links_a_kpi_two_levels_above(tree, year, framework, planning_officer):
    opdc_framework = FrameworkFactory(fiscal_year=year, organisation=tree.opdc)
    above = KPIFactory(framework=opdc_framework, code="1")

    assert add_kpi(planning_officer, framework, "1", "5", parent_kpi=above).parent_kpi == above


@pytest.mark.parametrize("where", ["same organisation", "level below", "other ministry"])
def test_kpi_create_refuses_a_cascaded_from_kpi_of_the_wrong_level(
    tree, year, framework, planning_officer, where
):
    organisation = {
        "same organisation": tree.department,
        "level below": tree.planning_unit,
        "other ministry": tree.other_ministry,
    }[where]
    source = (
        framework
        if where == "same organisation"
        else FrameworkFactory(fiscal_year=year, organisation=organisation)
    )
    wrong = KPIFactory(framework=source, code="9")

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "1", "5", parent_kpi=wrong)

    assert (error.value.field, error.value.message) == (
        "parent_kpi",
        "The cascaded-from KPI must belong to a framework of a level above this organisation.",
    )


def test_kpi_create_refuses_a_cascaded_from_kpi_of_another_year(
    tree, next_year, framework, planning_officer
):
    above_next_year = KPIFactory(
        framework=FrameworkFactory(fiscal_year=next_year, organisation=tree.ministry), code="1.1"
    )

    with pytest.raises(DomainError) as error:
        add_kpi(planning_officer, framework, "1", "5", parent_kpi=above_next_year)

    assert (error.value.field, error.value.message) == (
        "parent_kpi",
        "The cascaded-from KPI must belong to the same fiscal year.",
    )


def test_kpi_create_is_refused_to_a_kpi_owner(tree, framework):
    owner = make_person(tree.planning_unit, Role.KPI_OWNER)

    with pytest.raises(ActionForbidden):
        add_kpi(owner, framework, "1", "5")


def test_kpi_create_is_refused_on_a_published_framework(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")
    framework.refresh_from_db()

    # The predicate kpis.change_kpis already refuses a published framework.
    with pytest.raises(ActionForbidden):
        add_kpi(planning_officer, framework, "5", "1")


def test_kpi_update_moves_the_parts_with_their_composite(framework, planning_officer):
    composite = add_kpi(planning_officer, framework, "14", "20", 4)
    part = add_kpi(planning_officer, framework, "14.1", "3", 4, composite_parent=composite)

    services.kpi_update(actor=planning_officer, kpi=composite, dimension=dim(framework, 3))

    part.refresh_from_db()
    assert part.dimension == dim(framework, 3)


def test_kpi_update_keeps_its_own_code(framework, planning_officer):
    kpi = add_kpi(planning_officer, framework, "1", "5")
    other = add_kpi(planning_officer, framework, "2", "5")

    services.kpi_update(actor=planning_officer, kpi=kpi, code="1", weight=D("7"))
    with pytest.raises(DomainError) as error:
        services.kpi_update(actor=planning_officer, kpi=other, code="1")

    assert error.value.field == "code"
    kpi.refresh_from_db()
    assert kpi.weight == D("7")


def test_kpi_delete_refuses_a_kpi_with_cascaded_kpis(
    tree, year, ministry_framework, framework, department_admin
):
    above = KPIFactory(framework=ministry_framework, code="1.1")
    KPIFactory(framework=framework, code="1", parent_kpi=above)
    ministry_admin = make_person(tree.ministry, Role.ADMIN, below=True)

    with pytest.raises(DomainError, match="unlink them first"):
        services.kpi_delete(actor=ministry_admin, kpi=above)
    assert KPI.objects.filter(pk=above.pk).exists()


def test_kpi_delete_removes_the_kpi_and_its_template(framework, planning_officer):
    kpi = add_kpi(planning_officer, framework, "1", "5")

    services.kpi_delete(actor=planning_officer, kpi=kpi)

    assert not KPI.objects.exists()
    assert not KPITemplate.objects.exists()


# --- framework_act -------------------------------------------------------------------------------


def test_publish_is_refused_naming_the_rows_that_do_not_reconcile(framework, planning_officer):
    add_kpi(planning_officer, framework, "1", "40", 1)
    add_kpi(planning_officer, framework, "2", "15", 2)
    add_kpi(planning_officer, framework, "3", "20", 3)
    add_kpi(planning_officer, framework, "4", "20", 4)

    with pytest.raises(DomainError) as error:
        services.framework_act(actor=planning_officer, framework=framework, action="publish")

    assert error.value.message == (
        "The framework cannot be published yet: "
        "Dimension 1 “Effectiveness” weighs 45 but its KPIs (1) total 40."
    )
    framework.refresh_from_db()
    assert framework.state == FrameworkState.DRAFT
    assert not FrameworkTransition.objects.exists()


def test_publish_names_a_composite_without_parts_and_a_dimension_total(framework, planning_officer):
    balance(planning_officer, framework)
    services.dimensions_update(
        actor=planning_officer, framework=framework, rows={4: {"weight": D("25")}}
    )
    composite = framework.kpis.get(code="4")
    add_kpi(planning_officer, framework, "4.1", "0", 4, composite_parent=composite)

    with pytest.raises(DomainError) as error:
        services.framework_act(actor=planning_officer, framework=framework, action="publish")

    assert "The dimension weights total 105, not 100." in error.value.message
    assert (
        "Dimension 4 “Organisational development” weighs 25 but its KPIs (4) total 20."
        in error.value.message
    )
    assert "Sub-KPI 4.1 of 4 needs a positive weight." in error.value.message


def test_publish_succeeds_when_the_weights_reconcile_and_records_the_transition(
    framework, planning_officer
):
    balance(planning_officer, framework)

    published = services.framework_act(
        actor=planning_officer, framework=framework, action="publish", comment="ตามมติ"
    )

    assert published.state == FrameworkState.PUBLISHED
    framework.refresh_from_db()
    assert framework.state == FrameworkState.PUBLISHED
    transition = FrameworkTransition.objects.get()
    assert (
        transition.framework,
        transition.action,
        transition.from_state,
        transition.to_state,
        transition.actor,
        transition.comment,
    ) == (
        framework,
        "publish",
        FrameworkState.DRAFT,
        FrameworkState.PUBLISHED,
        planning_officer,
        "ตามมติ",
    )


def test_publish_twice_is_refused(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")

    with pytest.raises(TransitionNotAllowed):
        services.framework_act(actor=planning_officer, framework=framework, action="publish")
    assert FrameworkTransition.objects.count() == 1


def test_reopen_needs_a_comment(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")

    with pytest.raises(DomainError) as error:
        services.framework_act(
            actor=planning_officer, framework=framework, action="reopen", comment="  "
        )

    assert (error.value.field, error.value.message) == ("comment", "Please give a reason.")
    framework.refresh_from_db()
    assert framework.state == FrameworkState.PUBLISHED


def test_reopen_with_a_reason_returns_to_draft(framework, planning_officer):
    balance(planning_officer, framework)
    services.framework_act(actor=planning_officer, framework=framework, action="publish")

    services.framework_act(
        actor=planning_officer, framework=framework, action="reopen", comment="เพิ่มตัวชี้วัด"
    )

    framework.refresh_from_db()
    assert framework.state == FrameworkState.DRAFT
    assert list(FrameworkTransition.objects.values_list("action", "to_state", "comment")) == [
        ("publish", FrameworkState.PUBLISHED, ""),
        ("reopen", FrameworkState.DRAFT, "เพิ่มตัวชี้วัด"),
    ]


def test_reopen_a_draft_is_refused(framework, planning_officer):
    with pytest.raises(TransitionNotAllowed):
        services.framework_act(
            actor=planning_officer, framework=framework, action="reopen", comment="x"
        )


def test_publish_is_refused_to_a_unit_head(framework, planning_officer, unit_head):
    balance(planning_officer, framework)

    with pytest.raises(ActionForbidden):
        services.framework_act(actor=unit_head, framework=framework, action="publish")
    framework.refresh_from_db()
    assert framework.state == FrameworkState.DRAFT


def test_an_unknown_action_is_a_domain_error(framework, planning_officer):
    with pytest.raises(DomainError, match="Unknown action “destroy”"):
        services.framework_act(actor=planning_officer, framework=framework, action="destroy")


# --- framework_clone -----------------------------------------------------------------------------


@pytest.fixture
def cloned_source(tree, year, next_year, framework, ministry_framework, planning_officer):
    """A department framework with a composite, a cascade link and a filled template."""
    above = KPIFactory(framework=ministry_framework, code="1.1")
    kpi = add_kpi(
        planning_officer,
        framework,
        "1",
        "45",
        1,
        parent_kpi=above,
        owner=tree.planning_unit,
        supporting_units=[tree.secretary_office],
    )
    KPITemplate.objects.filter(kpi=kpi).delete()
    KPITemplateFactory(
        kpi=kpi, revision=1, baseline_1=D("50"), baseline_2=D("55"), baseline_3=D("60")
    )
    KPITemplateFactory(
        kpi=kpi,
        revision=2,
        baseline_1=D("51"),
        baseline_2=D("56"),
        baseline_3=D("61"),
        definition="ฉบับที่สอง",
    )
    composite = add_kpi(planning_officer, framework, "14", "20", 4)
    composite.templates.update(criteria_type=CriteriaType.COMPOSITE)
    add_kpi(planning_officer, framework, "14.1", "3", 4, composite_parent=composite)
    services.dimensions_update(
        actor=planning_officer,
        framework=framework,
        rows={2: {"name_en": "Quality", "weight": D("15")}},
    )
    return framework


def test_framework_clone_copies_dimensions_kpis_and_templates(
    tree, next_year, cloned_source, planning_officer
):
    clone = services.framework_clone(
        actor=planning_officer,
        framework=cloned_source,
        fiscal_year=next_year,
        results={"1": D("66")},
    )

    assert (clone.fiscal_year, clone.organisation, clone.cloned_from, clone.state) == (
        next_year,
        tree.department,
        cloned_source,
        FrameworkState.DRAFT,
    )
    assert [(d.number, d.name_en, d.weight) for d in clone.dimensions.order_by("number")] == [
        (1, "Effectiveness", D("45")),
        (2, "Quality", D("15")),
        (3, "Efficiency", D("20")),
        (4, "Organisational development", D("20")),
    ]
    kpis = {k.code: k for k in clone.kpis.select_related("dimension", "composite_parent")}
    assert sorted(kpis) == ["1", "14", "14.1"]
    assert kpis["14.1"].composite_parent == kpis["14"]
    assert kpis["14.1"].dimension.framework == clone
    assert list(kpis["1"].supporting_units.all()) == [tree.secretary_office]
    template = kpis["1"].templates.get()
    # The latest revision is the source; the baselines move back a year and take this year's result.
    assert (template.revision, template.state, template.definition) == (
        1,
        TemplateState.DRAFT,
        "ฉบับที่สอง",
    )
    assert (template.baseline_1, template.baseline_2, template.baseline_3) == (
        D("56"),
        D("61"),
        D("66"),
    )
    assert (template.threshold_1, template.threshold_5) == (D("55"), D("75"))
    assert kpis["14"].templates.get().criteria_type == CriteriaType.COMPOSITE
    # The source is untouched.
    assert cloned_source.kpis.count() == 3


def test_framework_clone_leaves_the_newest_baseline_empty_without_a_result(
    next_year, cloned_source, planning_officer
):
    clone = services.framework_clone(
        actor=planning_officer, framework=cloned_source, fiscal_year=next_year
    )

    template = clone.kpis.get(code="1").templates.get()
    assert (template.baseline_1, template.baseline_2, template.baseline_3) == (
        D("56"),
        D("61"),
        None,
    )


def test_framework_clone_relinks_the_cascade_by_code(
    tree, next_year, cloned_source, planning_officer
):
    next_ministry = FrameworkFactory(fiscal_year=next_year, organisation=tree.ministry)
    next_above = KPIFactory(framework=next_ministry, code="1.1")

    clone = services.framework_clone(
        actor=planning_officer, framework=cloned_source, fiscal_year=next_year
    )

    assert clone.kpis.get(code="1").parent_kpi == next_above


def test_framework_clone_drops_the_cascade_link_when_the_level_above_has_no_such_code(
    next_year, cloned_source, planning_officer
):
    clone = services.framework_clone(
        actor=planning_officer, framework=cloned_source, fiscal_year=next_year
    )

    assert clone.kpis.get(code="1").parent_kpi is None


def test_framework_clone_refuses_a_year_that_already_has_a_framework(
    tree, next_year, cloned_source, planning_officer
):
    FrameworkFactory(fiscal_year=next_year, organisation=tree.department)

    with pytest.raises(DomainError) as error:
        services.framework_clone(
            actor=planning_officer, framework=cloned_source, fiscal_year=next_year
        )

    assert error.value.field == "fiscal_year"
    assert Framework.objects.filter(fiscal_year=next_year).count() == 1


def test_framework_clone_refuses_the_same_year(year, cloned_source, planning_officer):
    with pytest.raises(DomainError, match="another fiscal year"):
        services.framework_clone(actor=planning_officer, framework=cloned_source, fiscal_year=year)


def test_framework_clone_is_refused_to_a_unit_head(next_year, cloned_source, unit_head):
    with pytest.raises(ActionForbidden):
        services.framework_clone(actor=unit_head, framework=cloned_source, fiscal_year=next_year)
    assert not Framework.objects.filter(fiscal_year=next_year).exists()
