"""The framework's KPI list written as an XLSX file, in the layout the import reads."""

import io
import unicodedata
from typing import Any

from django.db.models import Prefetch, Q
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from governance.models import Organisation
from kpis.models import KPI, Framework, KPITemplate
from kpis.selectors import code_sort_key
from kpis.transfer.cells import OrganisationCodes, excel_number
from kpis.transfer.columns import (
    DIMENSION_COLUMNS,
    DIMENSION_SHEET,
    HIGHER,
    KPI_COLUMNS,
    KPI_SHEET,
    LOWER,
    Column,
)

WEIGHT_FORMAT = "0.0###"  # up to 4 decimals, without Excel's dangling "45." of "0.####"
TITLE_ROW, HEADER_ROW = 1, 2


def _kpis_for_export(framework: Framework) -> list[KPI]:
    kpis = list(
        framework.kpis.select_related(
            "dimension",
            "owner__parent",
            "composite_parent",
            "parent_kpi__framework__organisation",
            "strategic_issue",
        ).prefetch_related(
            Prefetch("supporting_units", queryset=Organisation.objects.select_related("parent")),
            Prefetch(
                "templates", queryset=KPITemplate.objects.order_by("-revision"), to_attr="revisions"
            ),
        )
    )
    return sorted(kpis, key=lambda k: code_sort_key(k.code))


def _display_width(text: str) -> float:
    # Thai vowels and tone marks above and below take no width; Thai letters are a little wider.
    width = 0.0
    for char in text:
        if unicodedata.category(char) == "Mn":
            continue
        width += 1.15 if "\u0e00" <= char <= "\u0e7f" else 1.0
    return width


def _put(ws, row: int, column: int, value: Any, number_format: str | None = None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        # A name starting with "=" stays text: Excel must never evaluate what a user typed.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _write_table(
    ws, columns: tuple[Column, ...], rows: list[list[Any]], *, header_row: int
) -> None:
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    widths = []
    for index, column in enumerate(columns, start=1):
        label = str(column.label)
        cell = _put(ws, header_row, index, label)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths.append(max(column.width, min(_display_width(label), 24)))
    for offset, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            number_format = None
            if column.key == "weight":
                number_format = WEIGHT_FORMAT
            elif column.key == "code":
                number_format = "@"  # typed codes stay text: 1.10 must not become 1.1
            cell = _put(ws, header_row + offset, index, value, number_format)
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, str):
                widths[index - 1] = max(widths[index - 1], min(_display_width(value) + 2, 60))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = round(width + 1, 1)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"


def _kpi_values(kpi: KPI, codes: OrganisationCodes) -> list[Any]:
    template = kpi.revisions[0] if kpi.revisions else None
    parent = kpi.parent_kpi
    values = [
        kpi.code,
        kpi.name_th,
        kpi.name_en,
        kpi.unit_th,
        kpi.unit_en,
        kpi.dimension.number,
        excel_number(kpi.weight),
        kpi.composite_parent.code if kpi.composite_parent_id else None,
        parent.code if parent else None,
        parent.framework.organisation.code if parent else None,
        codes.label(kpi.owner),
        ", ".join(sorted(codes.label(unit) for unit in kpi.supporting_units.all())) or None,
        kpi.strategic_issue.number if kpi.strategic_issue_id else None,
    ]
    if template is None:
        return values + [None] * (len(KPI_COLUMNS) - len(values))  # no criteria to show
    return [
        *values,
        template.get_criteria_type_display(),
        str(HIGHER if template.higher_is_better else LOWER),
        template.step_count,
        *(excel_number(value) for value in template.thresholds),
    ]


def export_framework(framework: Framework) -> bytes:
    """The framework's KPIs (sheet "KPIs") and dimensions (sheet "Dimensions") as an XLSX file."""
    kpis = _kpis_for_export(framework)
    home = framework.organisation
    referenced = {k.owner_id for k in kpis} | {u.pk for k in kpis for u in k.supporting_units.all()}
    codes = OrganisationCodes(
        Organisation.objects.filter(
            Q(path__startswith=home.path) | Q(path__in=home.ancestor_paths) | Q(pk__in=referenced)
        ).select_related("parent"),
        home=home,
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = KPI_SHEET
    title = " — ".join((framework.name, home.name, str(framework.fiscal_year)))
    _put(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    _write_table(sheet, KPI_COLUMNS, [_kpi_values(k, codes) for k in kpis], header_row=HEADER_ROW)

    dimensions = workbook.create_sheet(DIMENSION_SHEET)
    rows = [
        [d.number, d.name_th, d.name_en, excel_number(d.weight)]
        for d in framework.dimensions.order_by("number")
    ]
    _write_table(dimensions, DIMENSION_COLUMNS, rows, header_row=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
