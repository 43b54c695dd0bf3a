"""The KPI list as XLSX: the export's layout, and the all-or-nothing import."""

import io
import zipfile
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext, override
from openpyxl import Workbook, load_workbook

from governance.enums import OrganisationKind, Role
from governance.errors import ActionForbidden
from governance.fiscal import fiscal_year_label
from kpis import transfer
from kpis.enums import CriteriaType, FrameworkState, TemplateState
from kpis.models import KPI, KPITemplate
from kpis.transfer import KPI_COLUMNS, ImportMode, ImportRefused, RowError
from tests.conftest import make_person
from tests.factories import (
    FiscalYearFactory,
    FrameworkFactory,
    KPIFactory,
    OrganisationFactory,
    StrategicIssueFactory,
)

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2552)


@pytest.fixture
def framework(tree, year):
    return FrameworkFactory(
        fiscal_year=year,
        organisation=tree.department,
        name_th="กรอบการประเมินผล กรมอนามัย",
        name_en="Department of Health framework",
    )


@pytest.fixture
def ministry_framework(tree, year):
    return FrameworkFactory(fiscal_year=year, organisation=tree.ministry)


def criteria(kpi: KPI, **fields) -> KPITemplate:
    template = kpi.templates.get()
    for name, value in fields.items():
        setattr(template, name, value)
    template.save()
    return template


@pytest.fixture
def full_framework(tree, framework, ministry_framework):
    """Every kind of KPI: cascaded, supported, composite with parts, each criteria type."""
    issue = StrategicIssueFactory(
        organisation=tree.department, fiscal_year=framework.fiscal_year, number=2
    )
    ministry_kpi = KPIFactory(framework=ministry_framework, code="1.1", owner=tree.ministry)
    dimension = {d.number: d for d in framework.dimensions.all()}
    one = KPIFactory(
        framework=framework,
        code="1",
        weight=D("20"),
        owner=tree.planning_unit,
        parent_kpi=ministry_kpi,
        strategic_issue=issue,
        unit_th="ร้อยละ",
        unit_en="percent",
    )
    one.supporting_units.set([tree.secretary_office, tree.planning_unit])
    criteria(one, threshold_1=55, threshold_2=60, threshold_3=65, threshold_4=70, threshold_5=75)
    KPIFactory(framework=framework, code="1.10", weight=D("2.5"), owner=tree.secretary_office)
    KPIFactory(framework=framework, code="1.2", weight=D("0.1234"), owner=tree.department)
    two = KPIFactory(
        framework=framework,
        code="2",
        dimension=dimension[2],
        weight=D("15"),
        owner=tree.secretary_office,
        name_en="",
    )
    criteria(
        two,
        criteria_type=CriteriaType.HYBRID,
        step_count=2,
        higher_is_better=False,
        threshold_3=30,
        threshold_4=20,
        threshold_5=D("10.5"),
        step_1="ขั้นที่ 1",
        step_2="ขั้นที่ 2",
    )
    fourteen = KPIFactory(
        framework=framework,
        code="14",
        dimension=dimension[4],
        weight=D("20"),
        owner=tree.planning_unit,
    )
    criteria(fourteen, criteria_type=CriteriaType.COMPOSITE)
    part = KPIFactory(
        framework=framework,
        code="14.1",
        dimension=dimension[4],
        weight=D("60"),
        owner=tree.planning_unit,
        composite_parent=fourteen,
    )
    criteria(part, criteria_type=CriteriaType.MILESTONE)
    KPIFactory(
        framework=framework,
        code="14.2",
        dimension=dimension[4],
        weight=D("40"),
        owner=tree.planning_unit,
        composite_parent=fourteen,
    )
    return framework


def snapshot(framework) -> dict:
    kpis = (
        KPI.objects.filter(framework=framework)
        .select_related("dimension", "composite_parent", "parent_kpi")
        .prefetch_related("supporting_units", "templates")
    )
    result = {}
    for kpi in kpis:
        template = kpi.templates.order_by("-revision").first()
        result[kpi.code] = (
            kpi.name_th,
            kpi.name_en,
            kpi.unit_th,
            kpi.unit_en,
            kpi.dimension.number,
            kpi.weight,
            kpi.composite_parent.code if kpi.composite_parent else None,
            kpi.parent_kpi_id,
            kpi.owner_id,
            sorted(u.pk for u in kpi.supporting_units.all()),
            kpi.strategic_issue_id,
            template.criteria_type,
            template.higher_is_better,
            template.step_count,
            tuple(template.thresholds),
        )
    return result


def headers(language: str = "en") -> list[str]:
    with override(language):
        return [str(column.label) for column in KPI_COLUMNS]


def xlsx(header: list, rows: list[list], *, title: str | None = "กรอบการประเมินผล") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "KPIs"
    if title is not None:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BASIC = ["Code", "Name (Thai)", "Dimension (number)", "Weight", "Owner unit (code)"]


def basic_rows(*rows) -> bytes:
    return xlsx(BASIC, [list(row) for row in rows])


def errors_of(planner, framework, data, mode=ImportMode.UPDATE) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        transfer.framework_import(actor=planner, framework=framework, upload=data, mode=mode)
    return [str(error) for error in refused.value.errors]


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


# --- Export ----------------------------------------------------------------------------------------


def test_export_has_a_title_row_and_a_frozen_header(full_framework):
    sheet = opened(transfer.export_framework(full_framework))["KPIs"]

    assert sheet["A1"].value == "Department of Health framework — Department of Health — FY 2552"
    assert sheet.freeze_panes == "A3"
    assert [cell.value for cell in sheet[2]] == headers("en")


def test_export_in_thai_names_the_fiscal_year_in_buddhist_era(full_framework):
    with override("th"):
        sheet = opened(transfer.export_framework(full_framework))["KPIs"]

    assert (
        sheet["A1"].value
        == f"กรอบการประเมินผล กรมอนามัย — กรมอนามัย — {fiscal_year_label(2552, 'th')}"
    )
    assert "ปีงบประมาณ พ.ศ." in sheet["A1"].value


def test_export_sorts_codes_as_people_read_them(full_framework):
    sheet = opened(transfer.export_framework(full_framework))["KPIs"]

    codes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert codes == ["1", "1.2", "1.10", "2", "14", "14.1", "14.2"]


def test_export_writes_numbers_as_numbers_with_a_weight_format(full_framework):
    sheet = opened(transfer.export_framework(full_framework))["KPIs"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    weight = [c.key for c in KPI_COLUMNS].index("weight")

    assert [rows[code][weight].value for code in ("1", "1.10", "1.2")] == [20, 2.5, 0.1234]
    assert rows["1"][weight].data_type == "n"
    assert rows["1"][weight].number_format == transfer.WEIGHT_FORMAT
    assert rows["1"][0].number_format == "@"


def test_export_row_carries_links_units_and_criteria(full_framework, tree):
    sheet = opened(transfer.export_framework(full_framework))["KPIs"]
    rows = {
        row[0]: dict(zip([c.key for c in KPI_COLUMNS], row, strict=True))
        for row in sheet.iter_rows(min_row=3, values_only=True)
    }

    assert rows["1"] | {"name_th": None} == {
        "code": "1",
        "name_th": None,
        "name_en": rows["1"]["name_en"],
        "unit_th": "ร้อยละ",
        "unit_en": "percent",
        "dimension": 1,
        "weight": 20,
        "composite_parent": None,
        "parent_kpi": "1.1",
        "parent_organisation": "MOPH",
        "owner": "PLAN",
        "supporting_units": "PLAN, SEC",
        "strategic_issue": 2,
        "criteria_type": "Outcome (thresholds)",
        "direction": "Higher is better",
        "step_count": 0,
        "threshold_1": 55,
        "threshold_2": 60,
        "threshold_3": 65,
        "threshold_4": 70,
        "threshold_5": 75,
    }
    assert (rows["2"]["criteria_type"], rows["2"]["direction"], rows["2"]["step_count"]) == (
        "Steps then outcome",
        "Lower is better",
        2,
    )
    assert [rows["2"][f"threshold_{n}"] for n in range(1, 6)] == [None, None, 30, 20, 10.5]
    assert rows["14.1"]["composite_parent"] == "14"


def test_export_has_a_dimensions_sheet(full_framework):
    sheet = opened(transfer.export_framework(full_framework))["Dimensions"]

    assert list(sheet.iter_rows(values_only=True)) == [
        ("Number", "Name (Thai)", "Name (English)", "Weight"),
        (1, "มิติด้านประสิทธิผล", "Effectiveness", 45),
        (2, "มิติด้านคุณภาพการให้บริการ", "Service quality", 15),
        (3, "มิติด้านประสิทธิภาพ", "Efficiency", 20),
        (4, "มิติด้านการพัฒนาองค์กร", "Organisational development", 20),
    ]


def test_export_columns_are_wide_enough_for_thai_names(full_framework):
    sheet = opened(transfer.export_framework(full_framework))["KPIs"]

    assert sheet.column_dimensions["B"].width >= 45
    assert sheet.column_dimensions["A"].width >= 8


def test_export_never_writes_a_formula(framework, tree):
    KPIFactory(
        framework=framework,
        code="1",
        name_th='=HYPERLINK("http://evil","x")',
        owner=tree.department,
    )

    data = transfer.export_framework(framework)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert opened(data)["KPIs"]["B3"].value == '=HYPERLINK("http://evil","x")'


def test_export_qualifies_a_code_shared_by_two_units(framework, tree):
    team = OrganisationFactory(parent=tree.planning_unit, kind=OrganisationKind.UNIT, code="T1")
    OrganisationFactory(parent=tree.secretary_office, kind=OrganisationKind.UNIT, code="T1")
    KPIFactory(framework=framework, code="1", owner=team)

    sheet = opened(transfer.export_framework(framework))["KPIs"]

    assert sheet.cell(row=3, column=11).value == "PLAN/T1"


# --- Export view -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["department_admin", "planning_officer", "unit_head", "kpi_owner"])
def test_everyone_who_sees_the_framework_downloads_the_list(
    client, request, full_framework, tree, who
):
    person = (
        make_person(tree.planning_unit, Role.KPI_OWNER)
        if who == "kpi_owner"
        else request.getfixturevalue(who)
    )
    client.force_login(person)

    response = client.get(reverse("kpis:framework_export", args=[full_framework.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == transfer.XLSX_CONTENT_TYPE
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["KPIs", "Dimensions"]


def test_export_response_names_the_file_in_ascii_and_utf8(client, full_framework, department_admin):
    client.force_login(department_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"

    response = client.get(reverse("kpis:framework_export", args=[full_framework.pk]))

    with override("th"):
        utf8 = quote(f"{gettext('KPIs')} อน. 2552.xlsx", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"kpis-doh-2552.xlsx\"; filename*=UTF-8''{utf8}"
    )


def test_another_ministry_cannot_download_the_list(client, full_framework, other_admin):
    client.force_login(other_admin)

    response = client.get(reverse("kpis:framework_export", args=[full_framework.pk]))

    assert response.status_code == 404


# --- Import: round trip and headers ----------------------------------------------------------------


def test_round_trip_into_an_empty_framework_reproduces_the_kpis(full_framework, planning_officer):
    before = snapshot(full_framework)
    data = transfer.export_framework(full_framework)
    KPI.objects.filter(framework=full_framework).delete()

    result = transfer.framework_import(
        actor=planning_officer, framework=full_framework, upload=data
    )

    assert result == transfer.ImportResult(created=7, updated=0, deleted=0)
    assert snapshot(full_framework) == before


def test_reimporting_the_exported_file_changes_nothing(full_framework, planning_officer):
    before = snapshot(full_framework)
    data = transfer.export_framework(full_framework)

    result = transfer.framework_import(
        actor=planning_officer, framework=full_framework, upload=data
    )

    assert result == transfer.ImportResult(created=0, updated=7, deleted=0)
    assert snapshot(full_framework) == before


def test_round_trip_of_a_thai_export(full_framework, planning_officer):
    before = snapshot(full_framework)
    with override("th"):
        data = transfer.export_framework(full_framework)
    KPI.objects.filter(framework=full_framework).delete()

    with override("th"):
        transfer.framework_import(actor=planning_officer, framework=full_framework, upload=data)

    assert snapshot(full_framework) == before


def test_thai_headers_are_recognised(framework, planning_officer, tree):
    thai = [column.thai for column in KPI_COLUMNS]
    row = [
        "3.1",
        "ร้อยละของการเบิกจ่าย",
        "Disbursement",
        "ร้อยละ",
        "percent",
        3,
        20,
        None,
        None,
        None,
        "PLAN",
        "SEC",
        None,
        "ผลลัพธ์",
        "ยิ่งมากยิ่งดี",
        None,
        80,
        85,
        90,
        95,
        100,
    ]

    transfer.framework_import(actor=planning_officer, framework=framework, upload=xlsx(thai, [row]))

    kpi = framework.kpis.get(code="3.1")
    assert (
        kpi.name_en,
        kpi.dimension.number,
        kpi.weight,
        kpi.owner,
        list(kpi.supporting_units.all()),
    ) == ("Disbursement", 3, D("20"), tree.planning_unit, [tree.secretary_office])
    assert kpi.templates.get().thresholds == (80, 85, 90, 95, 100)


def test_english_headers_are_recognised_in_a_thai_session(framework, planning_officer, tree):
    with override("th"):
        transfer.framework_import(
            actor=planning_officer,
            framework=framework,
            upload=xlsx(
                ["code", "Name (Thai)", "DIMENSION (NUMBER)", "weight ", "Owner unit (code)*"],
                [["4", "ตัวชี้วัด", 1, "12.5", "sec"]],
                title=None,
            ),
        )

    kpi = framework.kpis.get(code="4")
    assert (kpi.weight, kpi.owner) == (D("12.5"), tree.secretary_office)


def test_columns_left_out_are_not_changed(framework, planning_officer, tree):
    kpi = KPIFactory(framework=framework, code="1", name_en="Kept", owner=tree.planning_unit)
    kpi.supporting_units.set([tree.secretary_office])
    criteria(kpi, threshold_1=1, threshold_2=2, threshold_3=3, threshold_4=4, threshold_5=5)

    transfer.framework_import(
        actor=planning_officer, framework=framework, upload=basic_rows(["1", "ชื่อใหม่", 1, 7, "PLAN"])
    )

    kpi.refresh_from_db()
    assert (kpi.name_th, kpi.name_en, kpi.weight) == ("ชื่อใหม่", "Kept", D("7"))
    assert list(kpi.supporting_units.all()) == [tree.secretary_office]
    assert kpi.templates.get().thresholds == (1, 2, 3, 4, 5)


def test_a_sub_kpi_without_a_dimension_takes_its_composites(framework, planning_officer):
    transfer.framework_import(
        actor=planning_officer,
        framework=framework,
        upload=xlsx(
            [*BASIC, "Part of composite KPI (code)"],
            [["14.1", "ย่อย", None, 60, "PLAN", "14"], ["14", "หลัก", 4, 20, "PLAN", None]],
        ),
    )

    assert framework.kpis.get(code="14.1").dimension.number == 4
    assert framework.kpis.get(code="14.1").composite_parent == framework.kpis.get(code="14")


def test_a_composite_can_take_over_the_parts_of_another(framework, planning_officer, tree):
    old = KPIFactory(framework=framework, code="5", owner=tree.planning_unit)
    KPIFactory(framework=framework, code="5.1", owner=tree.planning_unit, composite_parent=old)
    header = [*BASIC, "Part of composite KPI (code)"]
    rows = [
        ["5", "เดิม", 1, 5, "PLAN", "6"],
        ["5.1", "ย่อย", 1, 5, "PLAN", "6"],
        ["6", "ใหม่", 1, 10, "PLAN", None],
    ]

    transfer.framework_import(
        actor=planning_officer, framework=framework, upload=xlsx(header, rows)
    )

    assert sorted(framework.kpis.get(code="6").sub_kpis.values_list("code", flat=True)) == [
        "5",
        "5.1",
    ]


# --- Import: every bad row reported, nothing saved -------------------------------------------------


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_saved(
    framework, ministry_framework, planning_officer, tree
):
    kept = KPIFactory(framework=framework, code="9", weight=D("5"), owner=tree.planning_unit)
    header = [
        *BASIC,
        "Part of composite KPI (code)",
        "Strategic issue (number)",
        "Cascaded from KPI (code)",
        "Criteria type",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
        "Level 5",
    ]
    good = ["1", "ดี", 1, 10, "PLAN"]
    rows = [
        good,  # row 3
        ["1.1", "น้ำหนักผิด", 1, "abc", "PLAN"],  # row 4
        ["1.2", "มิติผิด", 5, 10, "PLAN"],  # row 5
        ["1.3", "หน่วยผิด", 1, 10, "XYZ"],  # row 6
        ["1", "ซ้ำ", 1, 10, "PLAN"],  # row 7
        ["1.4", "ย่อย", 1, 10, "PLAN", "3"],  # row 8
        ["1.5", "เกณฑ์ผิด", 1, 10, "PLAN", None, None, None, "outcome", 40, 50, 60, 60, 70],  # row 9
        ["1.6", "<b>ตัวหนา</b>", 1, 10, "PLAN"],  # row 10
        ["1.a", "รหัสผิด", 1, 10, "PLAN"],  # row 11
        ["1.7", "ประเด็นผิด", 1, 10, "PLAN", None, 9],  # row 12
        ["1.8", "ถ่ายทอดผิด", 1, 10, "PLAN", None, None, "7.7"],  # row 13
        ["1.9", "ประเภทผิด", 1, 10, "PLAN", None, None, None, "magic"],  # row 14
        ["9", "น้ำหนักเกิน", 1, 101, "PLAN"],  # row 15
        [None, None, None, None, None],  # row 16: blank, skipped
        ["1.11", "", 1, 10, "PLAN"],  # row 17
    ]

    errors = errors_of(planning_officer, framework, xlsx(header, rows))

    assert errors == [
        "Row 4: The weight “abc” is not a number.",
        "Row 5: Dimension 5 does not exist.",
        "Row 6: Owner unit (code): the organisation code “XYZ” is unknown.",
        "Row 7: Code 1 appears twice (also row 3).",
        "Row 8: Composite parent 3 is not in the file or the framework.",
        "Row 9: Thresholds must rise strictly when higher is better: level 3 (60) and level 4 (60).",
        "Row 10: The column “Name (Thai)” contains HTML tags or entities; remove them.",
        "Row 11: The code “1.a” is not a code of numbers and dots such as 1.1.3.",
        "Row 12: Strategic issue 9 does not exist for Department of Health in FY 2552.",
        "Row 13: The cascaded-from KPI 7.7 is not in a framework of a level above for FY 2552.",
        "Row 14: The criteria type “magic” is unknown; use one of: Milestones (steps), "
        "Outcome (thresholds), Steps then outcome, Composite of sub-KPIs.",
        "Row 15: The weight 101 must lie between 0 and 100.",
        "Row 17: The column “Name (Thai)” is empty.",
    ]
    assert list(framework.kpis.values_list("code", "weight")) == [("9", D("5"))]
    kept.refresh_from_db()
    assert kept.name_th != "น้ำหนักเกิน"


def test_rows_with_several_problems_report_each(framework, planning_officer):
    errors = errors_of(planning_officer, framework, basic_rows(["2", "x", "one", "", "NOPE"]))

    assert errors == [
        "Row 3: The dimension “one” is not a number.",
        "Row 3: The weight is missing.",
        "Row 3: Owner unit (code): the organisation code “NOPE” is unknown.",
    ]


def test_a_sub_kpi_of_a_sub_kpi_is_refused(framework, planning_officer):
    header = [*BASIC, "Part of composite KPI (code)"]
    rows = [
        ["1", "ก", 1, 10, "PLAN", None],
        ["1.1", "ข", 1, 10, "PLAN", "1"],
        ["1.1.1", "ค", 1, 10, "PLAN", "1.1"],
    ]

    errors = errors_of(planning_officer, framework, xlsx(header, rows))

    assert errors == [
        "Row 4: KPI 1.1 has sub-KPIs (1.1.1); a KPI with sub-KPIs cannot become a sub-KPI.",
        "Row 5: 1.1 is itself a sub-KPI; sub-KPIs cannot have parts.",
    ]
    assert not framework.kpis.exists()


def test_a_sub_kpi_in_another_dimension_than_its_composite_is_refused(framework, planning_officer):
    header = [*BASIC, "Part of composite KPI (code)"]
    rows = [["14", "หลัก", 4, 20, "PLAN", None], ["14.1", "ย่อย", 1, 10, "PLAN", "14"]]

    assert errors_of(planning_officer, framework, xlsx(header, rows)) == [
        "Row 4: A sub-KPI sits in the dimension of its composite KPI 14 (dimension 4)."
    ]


def test_a_code_shared_by_two_units_must_be_qualified(framework, planning_officer, tree):
    team = OrganisationFactory(parent=tree.planning_unit, kind=OrganisationKind.UNIT, code="T1")
    OrganisationFactory(parent=tree.secretary_office, kind=OrganisationKind.UNIT, code="T1")

    errors = errors_of(planning_officer, framework, basic_rows(["1", "ก", 1, 10, "T1"]))
    transfer.framework_import(
        actor=planning_officer, framework=framework, upload=basic_rows(["1", "ก", 1, 10, "PLAN/T1"])
    )

    assert errors == [
        "Row 3: Owner unit (code): the code “T1” matches several organisations; write one of PLAN/T1, SEC/T1."
    ]
    assert framework.kpis.get().owner == team


def test_a_unit_outside_the_users_scope_is_unknown(framework, planning_officer, tree):
    errors = errors_of(planning_officer, framework, basic_rows(["1", "ก", 1, 10, "TRD"]))

    assert errors == ["Row 3: Owner unit (code): the organisation code “TRD” is unknown."]


def test_the_nearest_unit_with_a_code_wins(framework, planning_officer, tree):
    # The code "PLAN" twice under DoH: directly below it and one level deeper.
    deeper = OrganisationFactory(
        parent=tree.secretary_office, kind=OrganisationKind.UNIT, code="PLAN"
    )

    transfer.framework_import(
        actor=planning_officer, framework=framework, upload=basic_rows(["1", "ก", 1, 10, "PLAN"])
    )

    assert framework.kpis.get().owner == tree.planning_unit
    assert framework.kpis.get().owner != deeper


def test_missing_required_columns_are_named(framework, planning_officer):
    data = xlsx(["Code", "Name (Thai)", "Weight"], [["1", "ก", 10]])

    assert errors_of(planning_officer, framework, data) == [
        "The file is missing required columns: Dimension (number), Owner unit (code)."
    ]


def test_a_file_without_rows_is_refused(framework, planning_officer):
    assert errors_of(planning_officer, framework, xlsx(BASIC, [])) == [
        "The file has no KPI rows below the header row."
    ]


def test_a_column_given_twice_is_refused(framework, planning_officer):
    data = xlsx([*BASIC, "Weight"], [["1", "ก", 1, 10, "PLAN", 20]])

    assert errors_of(planning_officer, framework, data) == [
        "Row 2: The column “Weight” appears twice (columns D and F)."
    ]


def test_float_noise_from_excel_arithmetic_is_rounded_away(framework, planning_officer):
    transfer.framework_import(
        actor=planning_officer,
        framework=framework,
        upload=basic_rows(["1", "ก", 1, 0.1 + 0.2, "PLAN"]),
    )

    assert framework.kpis.get().weight == D("0.3")


def test_weights_with_more_than_four_decimals_are_refused(framework, planning_officer):
    assert errors_of(planning_officer, framework, basic_rows(["1", "ก", 1, "1.23456", "PLAN"])) == [
        "Row 3: The weight 1.23456 has more than 4 decimals."
    ]


# --- Import: templates ------------------------------------------------------------------------------


def test_criteria_of_an_approved_template_are_locked(framework, planning_officer, tree):
    kpi = KPIFactory(framework=framework, code="1", owner=tree.planning_unit)
    template = criteria(
        kpi, threshold_1=55, threshold_2=60, threshold_3=65, threshold_4=70, threshold_5=75
    )
    KPITemplate.objects.filter(pk=template.pk).update(state=TemplateState.APPROVED)
    header = [*BASIC, "Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]

    errors = errors_of(
        planning_officer, framework, xlsx(header, [["1", "ก", 1, 10, "PLAN", 1, 2, 3, 4, 5]])
    )
    transfer.framework_import(
        actor=planning_officer,
        framework=framework,
        upload=xlsx(header, [["1", "ก", 1, 10, "PLAN", 55, 60, 65, 70, 75]]),
    )

    assert errors == [
        "Row 3: The criteria of KPI 1 are locked in revision 1 (Approved); start a new revision of its "
        "template to change them."
    ]
    assert framework.kpis.get().weight == D("10")


def test_hybrid_criteria_need_one_to_four_steps(framework, planning_officer):
    header = [*BASIC, "Criteria type", "Number of steps"]

    errors = errors_of(
        planning_officer, framework, xlsx(header, [["1", "ก", 1, 10, "PLAN", "hybrid", 0]])
    )

    assert errors == ["Row 3: Steps-then-outcome criteria have 1 to 4 steps."]


# --- Import: replace mode --------------------------------------------------------------------------


def test_replace_deletes_the_kpis_not_in_the_file(framework, planning_officer, tree):
    for code in ("1", "2", "3"):
        KPIFactory(framework=framework, code=code, owner=tree.planning_unit)

    result = transfer.framework_import(
        actor=planning_officer,
        framework=framework,
        mode=ImportMode.REPLACE,
        upload=basic_rows(["1", "ก", 1, 10, "PLAN"], ["4", "ง", 1, 10, "PLAN"]),
    )

    assert result == transfer.ImportResult(created=1, updated=1, deleted=2)
    assert sorted(framework.kpis.values_list("code", flat=True)) == ["1", "4"]


def test_replace_refuses_to_delete_a_kpi_cascaded_below(framework, planning_officer, tree, year):
    three = KPIFactory(framework=framework, code="3", owner=tree.planning_unit)
    KPIFactory(framework=framework, code="1", owner=tree.planning_unit)
    below = FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit)
    KPIFactory(framework=below, code="3.1", owner=tree.planning_unit, parent_kpi=three)

    errors = errors_of(
        planning_officer, framework, basic_rows(["1", "ก", 1, 10, "PLAN"]), ImportMode.REPLACE
    )

    assert errors == [
        "KPI 3 is not in the file, but KPIs of the level below are cascaded from it (PLAN 3.1): "
        "keep it in the file or unlink them first."
    ]
    assert sorted(framework.kpis.values_list("code", flat=True)) == ["1", "3"]


def test_update_mode_keeps_the_kpis_not_in_the_file(framework, planning_officer, tree):
    KPIFactory(framework=framework, code="2", owner=tree.planning_unit)

    transfer.framework_import(
        actor=planning_officer, framework=framework, upload=basic_rows(["1", "ก", 1, 10, "PLAN"])
    )

    assert sorted(framework.kpis.values_list("code", flat=True)) == ["1", "2"]


# --- Import: files that are not a KPI list ---------------------------------------------------------


def test_parse_reports_a_file_that_is_not_an_xlsx(framework, planning_officer):
    parsed = transfer.parse_kpi_sheet(b"%PDF-1.7\n", framework, actor=planning_officer)

    assert parsed.errors == [
        RowError(
            None,
            "This is not an Excel workbook (.xlsx). In Excel, save it as “Excel Workbook (*.xlsx)” and try again.",
        )
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(framework, planning_officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    parsed = transfer.parse_kpi_sheet(buffer.getvalue(), framework, actor=planning_officer)

    assert [e.message for e in parsed.errors] == [
        "This is not an Excel workbook (.xlsx). In Excel, save it as “Excel Workbook (*.xlsx)” and try again."
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(framework, planning_officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (transfer.MAX_UNZIPPED_BYTES + 1))

    parsed = transfer.parse_kpi_sheet(buffer.getvalue(), framework, actor=planning_officer)

    assert [e.message for e in parsed.errors] == [
        "The workbook is too large to read once unpacked."
    ]


# --- Import view -----------------------------------------------------------------------------------


@pytest.fixture
def planner_client(client, planning_officer):
    client.force_login(planning_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(client, framework, name, content, mode="update"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(
        reverse("kpis:framework_import", args=[framework.pk]), {"file": upload, "mode": mode}
    )


def test_the_import_page_shows_the_form(planner_client, framework):
    response = planner_client.get(reverse("kpis:framework_import", args=[framework.pk]))

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b'accept=".xlsx,' in response.content


def test_a_good_file_is_imported_and_counted(planner_client, framework, tree):
    KPIFactory(framework=framework, code="1", owner=tree.planning_unit)

    response = post(
        planner_client,
        framework,
        "kpis.xlsx",
        basic_rows(["1", "ก", 1, 10, "PLAN"], ["2", "ข", 2, 15, "SEC"]),
    )

    assert response.status_code == 302
    assert response.url == framework.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The KPI list has been imported. KPIs created: 1; updated: 1; deleted: 0."
    ]
    assert sorted(framework.kpis.values_list("code", flat=True)) == ["1", "2"]


def test_a_bad_file_shows_every_problem_in_a_table(planner_client, framework):
    response = post(
        planner_client,
        framework,
        "kpis.xlsx",
        basic_rows(["1", "ก", 1, "abc", "PLAN"], ["2", "ข", 9, 10, "PLAN"]),
    )

    assert response.status_code == 200
    assert [(e.row, e.message) for e in response.context["import_errors"]] == [
        (3, "The weight “abc” is not a number."),
        (4, "Dimension 9 does not exist."),
    ]
    assert response.context["form"].errors["file"] == [
        "Nothing was imported: the file has 2 problems, listed below. Correct them and upload the file again."
    ]
    assert '<th scope="row" class="fw-normal">3</th>' in response.content.decode()
    assert not framework.kpis.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "This is not an Excel workbook (.xlsx). In Excel, save it as “Excel Workbook (*.xlsx)” and try again.",
        ),
        (
            "page.xlsx",
            b"<!doctype html><html><body><table><tr><td>1</td></tr></table></body></html>",
            "This is not an Excel workbook (.xlsx). In Excel, save it as “Excel Workbook (*.xlsx)” and try again.",
        ),
        ("kpis.xlsx", b"", "The file is empty."),
        (
            "kpis.csv",
            b"code,name\n1,x\n",
            "Only Excel workbooks (.xlsx) can be imported; “kpis.csv” is not one.",
        ),
        ("big.xlsx", b"PK" + b"\0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
    ],
)
def test_uploads_that_are_not_an_xlsx_are_refused(
    planner_client, framework, name, content, message
):
    response = post(planner_client, framework, name, content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not framework.kpis.exists()


def test_the_choice_of_mode_is_kept_after_an_error(planner_client, framework):
    response = post(planner_client, framework, "kpis.xlsx", b"nonsense", mode="replace")

    assert response.context["form"]["mode"].value() == "replace"


def test_a_unit_head_cannot_import(client, framework, unit_head):
    client.force_login(unit_head)

    response = post(client, framework, "kpis.xlsx", basic_rows(["1", "ก", 1, 10, "PLAN"]))

    assert response.status_code == 403
    assert not framework.kpis.exists()


def test_a_kpi_owner_cannot_import(client, framework, tree):
    client.force_login(make_person(tree.planning_unit, Role.KPI_OWNER))

    response = client.get(reverse("kpis:framework_import", args=[framework.pk]))

    assert response.status_code == 403


def test_a_published_framework_cannot_be_imported_into(planner_client, tree, year):
    framework = FrameworkFactory(
        fiscal_year=year, organisation=tree.department, state=FrameworkState.PUBLISHED
    )

    response = post(planner_client, framework, "kpis.xlsx", basic_rows(["1", "ก", 1, 10, "PLAN"]))

    assert response.status_code == 403
    assert not framework.kpis.exists()


def test_another_ministry_does_not_find_the_import_page(client, framework, other_admin):
    client.force_login(other_admin)

    response = client.get(reverse("kpis:framework_import", args=[framework.pk]))

    assert response.status_code == 404


def test_the_service_refuses_a_person_without_the_permission(framework, unit_head):
    with pytest.raises(ActionForbidden):
        transfer.framework_import(
            actor=unit_head, framework=framework, upload=basic_rows(["1", "ก", 1, 10, "PLAN"])
        )


def test_a_bad_composite_row_is_reported_once_not_again_at_its_parts(framework, planning_officer):
    header = [*BASIC, "Part of composite KPI (code)"]
    rows = [["14", "หลัก", 4, "x", "PLAN", None], ["14.1", "ย่อย", None, 60, "PLAN", "14"]]

    assert errors_of(planning_officer, framework, xlsx(header, rows)) == [
        "Row 3: The weight “x” is not a number."
    ]
