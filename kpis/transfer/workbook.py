"""The upload as a workbook: the checks that refuse a file before its rows are read (size, zip
bomb, not an XLSX), shared by the upload form and the import."""

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from governance.errors import DomainError
from kpis.transfer.columns import KPI_SHEET

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB zip can inflate a thousandfold; refuse before openpyxl expands it in memory.
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10


def _read_upload(upload: Any) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def open_workbook(upload: Any):
    """The upload as an openpyxl workbook (read-only); DomainError when it is not a usable XLSX."""
    data = _read_upload(upload)
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field="file",
        )
    not_xlsx = DomainError(
        _(
            "This is not an Excel workbook (.xlsx). In Excel, save it as “Excel Workbook (*.xlsx)” and try again."
        ),
        field="file",
    )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise not_xlsx
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise not_xlsx from error
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        raise not_xlsx
    if unzipped > MAX_UNZIPPED_BYTES:
        raise DomainError(_("The workbook is too large to read once unpacked."), field="file")
    buffer.seek(0)
    try:
        return load_workbook(buffer, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl fails in many ways on a broken or foreign file; to the user all mean "not an xlsx".
        raise not_xlsx from error


def sheet_rows(workbook) -> list[tuple]:
    sheet = workbook[KPI_SHEET] if KPI_SHEET in workbook.sheetnames else workbook.worksheets[0]
    sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
    rows = []
    for values in sheet.iter_rows(min_row=1, values_only=True):
        rows.append(tuple(values))
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            break
    workbook.close()
    return rows
