"""A framework's KPI list to and from Excel (XLSX), the way planning staff exchange it.

The export writes the layout the import reads. Headers are written in the user's language and
recognised in Thai or English by their text, so an exported file can be edited and brought back.
An import is all or nothing: every row is parsed and checked first, every problem is reported
with its Excel row number, and only a clean file is saved, in one transaction, through the KPI
services (which check the permissions and rules again).

- columns: the sheets, columns and choice words both directions share
- cells: numbers, text and organisation codes in a cell, written and read alike
- export: the XLSX file of a framework's KPIs and dimensions
- workbook: the checks on an upload before its rows are read (also used by the upload form)
- parser: every row parsed and checked, with its Excel row number
- importer: the all-or-nothing import service
"""

from kpis.transfer.columns import DIMENSION_COLUMNS, KPI_COLUMNS, Column
from kpis.transfer.export import WEIGHT_FORMAT, export_framework
from kpis.transfer.importer import ImportRefused, ImportResult, framework_import
from kpis.transfer.parser import parse_kpi_sheet
from kpis.transfer.rows import ImportMode, ParsedImport, ParsedRow, RowError
from kpis.transfer.workbook import (
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_UPLOAD_BYTES,
    XLSX_CONTENT_TYPE,
    open_workbook,
)

__all__ = [
    "DIMENSION_COLUMNS",
    "KPI_COLUMNS",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "MAX_UPLOAD_BYTES",
    "WEIGHT_FORMAT",
    "XLSX_CONTENT_TYPE",
    "Column",
    "ImportMode",
    "ImportRefused",
    "ImportResult",
    "ParsedImport",
    "ParsedRow",
    "RowError",
    "export_framework",
    "framework_import",
    "open_workbook",
    "parse_kpi_sheet",
]
