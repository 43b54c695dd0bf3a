"""Evidence files: content checks (each refusal with its exact message), the service's rules, the
upload/download/delete views, and what the templates offer.

Every test file is built here, small and real: PDF bytes, images drawn with Pillow, OOXML and ODF
archives written with zipfile, OLE2 compound files written by hand (a header, a FAT sector and a
directory sector), Thai text in UTF-8 and TIS-620.
"""

import hashlib
import io
import struct
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from agreements import uploads
from agreements.enums import ResultStatus, SARState
from agreements.forms.evidence import ACCEPT
from agreements.models import SAR, Evidence, KPIResult
from agreements.services.evidence import evidence_add, evidence_remove
from governance.enums import Role
from governance.errors import ActionForbidden, DomainError
from kpis.enums import CriteriaType
from tests.agreements.sar_world import set_deadlines
from tests.conftest import make_person
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FiscalYearFactory,
    FrameworkFactory,
    KPIResultFactory,
    SARFactory,
)

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
THAI_CSV = "ตัวชี้วัด,ผลการดำเนินงาน,หน่วย\nร้อยละของเด็กมีพัฒนาการสมวัย,62.5,ร้อยละ\n"
ACCEPTED = (
    ".pdf, .png, .jpg, .jpeg, .gif, .webp, .docx, .xlsx, .pptx, .doc, .xls, .ppt, .odt, .ods, "
    ".odp, .csv, .txt"
)


# --- Tiny real files ----------------------------------------------------------------------------


def image(format_: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (4, 4), (29, 63, 114)).save(buffer, format=format_)
    return buffer.getvalue()


def ooxml(folder: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal OOXML package: [Content_Types].xml, the relationships and one part in `folder`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(f"{folder}main.xml", '<?xml version="1.0"?><document/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    """A minimal OpenDocument package: the mimetype entry first and stored, then the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, left=NO_STREAM, right=NO_STREAM, child=NO_STREAM):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    entry = encoded.ljust(64, b"\0")
    entry += struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", left, right, child)
    entry += b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # CLSID, state bits, times
    entry += struct.pack("<IQ", END_OF_CHAIN if kind else 0, 0)
    assert len(entry) == 128
    return entry


def ole(*streams: str) -> bytes:
    """An OLE2 compound file (512-byte sectors) whose root holds the named, empty streams: sector
    0 is the FAT, sector 1 the directory. The first stream is the root's child, the others hang
    off it as right siblings, as a red-black tree may."""
    header = bytearray(512)
    header[0:8] = uploads.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIII", header, 0x2C, 1, 1, 0, 4096, END_OF_CHAIN)
    struct.pack_into("<III", header, 0x40, 0, END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    fat = struct.pack("<128I", FAT_SECTOR, END_OF_CHAIN, *([FREE] * 126))
    entries = [_directory_entry("Root Entry", 5, child=1 if streams else NO_STREAM)]
    for index, name in enumerate(streams, start=1):
        right = index + 1 if index < len(streams) else NO_STREAM
        entries.append(_directory_entry(name, 2, right=right))
    while len(entries) % 4:
        entries.append(_directory_entry("", 0))
    directory = b"".join(entries)
    assert len(directory) == 512, "the test builder keeps the directory in one sector"
    return bytes(header) + fat + directory


GOOD_FILES = {
    "pdf": (PDF, "application/pdf"),
    "png": (image("PNG"), "image/png"),
    "jpg": (image("JPEG"), "image/jpeg"),
    "jpeg": (image("JPEG"), "image/jpeg"),
    "gif": (image("GIF", "P"), "image/gif"),
    "webp": (image("WEBP"), "image/webp"),
    "docx": (
        ooxml("word/"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (ooxml("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        ooxml("ppt/"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "doc": (ole("1Table", "WordDocument", "\x05SummaryInformation"), "application/msword"),
    "xls": (ole("Workbook", "\x05SummaryInformation"), "application/vnd.ms-excel"),
    "ppt": (ole("Current User", "PowerPoint Document"), "application/vnd.ms-powerpoint"),
    "odt": (
        odf("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    "ods": (
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "odp": (
        odf("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    "csv": (THAI_CSV.encode("utf-8"), "text/csv; charset=utf-8"),
    "txt": ("บันทึกข้อความ ผลการดำเนินงาน".encode("cp874"), "text/plain; charset=windows-874"),
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- The world ----------------------------------------------------------------------------------


@pytest.fixture
def collector(tree):
    return make_person(tree.planning_unit, Role.DATA_COLLECTOR, username="plan_collector")


@pytest.fixture
def sar(tree) -> SAR:
    """The planning unit's open 6-month SAR (entry window open for 30 more days)."""
    year = FiscalYearFactory(year=2552)
    framework = FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit)
    version = AgreementVersionFactory(agreement=AgreementFactory(framework=framework), number=1)
    sar = SARFactory(version=version)
    set_deadlines(sar.agreement, days_from_today=30)
    return SAR.objects.select_related("round", "agreement").get(pk=sar.pk)


@pytest.fixture
def result(sar) -> KPIResult:
    """A milestone KPI (five steps) of the SAR."""
    row = AgreementKPIFactory(
        version=sar.version,
        code="1.2",
        criteria_type=CriteriaType.MILESTONE,
        threshold_1=None,
        threshold_2=None,
        threshold_3=None,
        threshold_4=None,
        threshold_5=None,
        step_1="จัดทำแผน",
        step_2="อบรมเจ้าหน้าที่",
        step_3="ทดลองใช้",
        step_4="ขยายผล",
        step_5="ประเมินผล",
    )
    return KPIResultFactory(sar=sar, annex_kpi=row)


@pytest.fixture
def outcome_result(sar) -> KPIResult:
    """An outcome KPI of the same SAR: no steps."""
    return KPIResultFactory(sar=sar, annex_kpi=AgreementKPIFactory(version=sar.version, code="1.1"))


def stored_files(sar: SAR) -> set[str]:
    # The in-memory storage outlives each test's database rollback: compare before and after.
    folder = f"evidence/{sar.agreement_id}"
    return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()


def refusal(collector, result, name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        evidence_add(actor=collector, result=result, upload=upload(name, data), **kwargs)
    return caught.value.message


# --- Each bad upload, refused with its message --------------------------------------------------


@pytest.mark.usefixtures("english")
class TestRefusals:
    def test_png_named_pdf_is_refused(self, collector, result):
        assert refusal(collector, result, "report.pdf", image("PNG")) == (
            "The file’s content (PNG image) does not match its extension “.pdf”."
        )

    def test_pdf_named_docx_is_refused(self, collector, result):
        assert refusal(collector, result, "report.docx", PDF) == (
            "The file’s content (PDF document) does not match its extension “.docx”."
        )

    def test_docx_named_xlsx_is_refused(self, collector, result):
        assert refusal(collector, result, "report.xlsx", ooxml("word/")) == (
            "The file’s content (Word document (DOCX)) does not match its extension “.xlsx”."
        )

    def test_plain_zip_named_docx_is_refused(self, collector, result):
        assert refusal(collector, result, "report.docx", plain_zip()) == (
            "The file’s content (ZIP archive) does not match its extension “.docx”."
        )

    def test_excel_97_named_doc_is_refused(self, collector, result):
        assert refusal(collector, result, "report.doc", ole("Workbook")) == (
            "The file’s content (Excel 97–2003 workbook (XLS)) does not match its extension “.doc”."
        )

    def test_other_ole_file_named_doc_is_refused(self, collector, result):
        assert refusal(collector, result, "mail.doc", ole("__substg1.0_0037001F")) == (
            "The file’s content (another Office 97–2003 file) does not match its extension “.doc”."
        )

    def test_unrecognised_content_names_the_expected_kind(self, collector, result):
        assert refusal(collector, result, "scan.pdf", b"just some bytes\x00\x01") == (
            "The file’s content does not match its extension “.pdf” (a PDF document was expected)."
        )

    def test_png_named_txt_is_refused(self, collector, result):
        assert refusal(collector, result, "notes.txt", image("PNG")) == (
            "The file’s content (PNG image) does not match its extension “.txt”."
        )

    MARKUP = (
        "The file looks like a web page, SVG drawing or script (HTML, SVG or JavaScript), which "
        "is not accepted as evidence."
    )

    def test_html_named_txt_is_refused(self, collector, result):
        html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
        assert refusal(collector, result, "notes.txt", html) == self.MARKUP

    def test_svg_with_script_named_csv_is_refused(self, collector, result):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        assert refusal(collector, result, "table.csv", svg) == self.MARKUP

    def test_javascript_url_in_csv_is_refused(self, collector, result):
        data = "ลิงก์,javascript:alert(document.cookie)\n".encode()
        assert refusal(collector, result, "links.csv", data) == self.MARKUP

    def test_markup_split_across_chunks_is_found(self, collector, result):
        data = b"a" * (uploads.CHUNK_BYTES - 3) + b"<script>alert(1)</script>"
        assert refusal(collector, result, "long.txt", data) == self.MARKUP

    def test_html_named_pdf_is_refused_as_markup(self, collector, result):
        assert refusal(collector, result, "report.pdf", b"<html><script>x</script>") == (
            self.MARKUP
        )

    def test_text_with_nul_bytes_is_refused(self, collector, result):
        data = "ผลการดำเนินงาน".encode("utf-16-le")
        assert refusal(collector, result, "notes.txt", data) == (
            "The file is not plain text in UTF-8 or Thai Windows (TIS-620) encoding; save it "
            "as UTF-8 text and try again."
        )

    def test_text_in_neither_encoding_is_refused(self, collector, result):
        # 0xFC–0xFF are undefined in TIS-620/cp874 and invalid on their own in UTF-8.
        assert refusal(collector, result, "notes.csv", b"a,b\n\xfc\xfd\xfe\n") == (
            "The file is not plain text in UTF-8 or Thai Windows (TIS-620) encoding; save it "
            "as UTF-8 text and try again."
        )

    def test_empty_file_is_refused(self, collector, result):
        assert refusal(collector, result, "empty.pdf", b"") == "The file is empty."

    @override_settings(EVIDENCE_MAX_BYTES=1 * MB)
    def test_file_over_the_size_limit_is_refused(self, collector, result):
        data = PDF + b"0" * MB
        assert refusal(collector, result, "big.pdf", data) == (
            "The file is larger than 1 MB, the most one evidence file may be."
        )

    @override_settings(EVIDENCE_MAX_BYTES=MB // 2)
    def test_size_limit_is_said_in_megabytes(self, collector, result):
        assert refusal(collector, result, "big.pdf", PDF + b"0" * MB) == (
            "The file is larger than 0.5 MB, the most one evidence file may be."
        )

    @override_settings(EVIDENCE_MAX_BYTES=1 * MB, EVIDENCE_SAR_MAX_BYTES=int(1.5 * MB))
    def test_upload_passing_the_reports_total_is_refused(self, collector, result, outcome_result):
        # The total counts every result of the SAR, not only this one.
        evidence_add(
            actor=collector,
            result=outcome_result,
            upload=upload("a.pdf", PDF + b"0" * (MB - len(PDF))),
        )
        assert refusal(collector, result, "b.pdf", PDF + b"0" * (MB // 2)) == (
            "This file would bring the report’s evidence to 1.5 MB, more than the 1.5 MB one "
            "report may hold. Remove files that are no longer needed first."
        )
        assert Evidence.objects.filter(result__sar=result.sar).count() == 1

    PATH = "The file name must not contain folder parts (“/”, “\\” or “..”)."

    @pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "a/b.pdf"])
    def test_name_with_path_parts_is_refused(self, collector, result, name):
        # A ContentFile keeps its name as given (an import, a script): the service refuses it.
        with pytest.raises(DomainError) as caught:
            evidence_add(actor=collector, result=result, upload=ContentFile(PDF, name=name))
        assert caught.value.message == self.PATH

    @pytest.mark.parametrize("name", ["report\n.pdf", "report\x07.pdf", "report\u202efdp.exe"])
    def test_name_with_control_characters_is_refused(self, collector, result, name):
        with pytest.raises(DomainError) as caught:
            evidence_add(actor=collector, result=result, upload=ContentFile(PDF, name=name))
        assert caught.value.message == (
            "The file name contains control characters; rename the file and try again."
        )

    def test_very_long_thai_name_is_refused(self, collector, result):
        name = "รายงานผลการดำเนินงานตามคำรับรองการปฏิบัติราชการ" * 4 + ".pdf"
        assert len(name) == 4 * 47 + 4  # 192 characters, 560 bytes in UTF-8
        assert refusal(collector, result, name, PDF) == (
            "The file name is longer than 150 characters; shorten it and try again."
        )

    def test_thai_name_of_150_characters_is_accepted(self, collector, result):
        name = "ก" * 146 + ".pdf"
        evidence = evidence_add(actor=collector, result=result, upload=upload(name, PDF))
        assert evidence.original_name == name

    def test_name_over_255_characters_is_refused(self, collector, result):
        with pytest.raises(DomainError) as caught:
            evidence_add(
                actor=collector, result=result, upload=ContentFile(PDF, name="a" * 300 + ".pdf")
            )
        assert caught.value.message == (
            "The file name is longer than 150 characters; shorten it and try again."
        )

    def test_extension_not_on_the_list_is_refused(self, collector, result):
        assert refusal(collector, result, "setup.exe", b"MZ\x90\x00") == (
            f"Files ending in “.exe” are not accepted. Accepted files: {ACCEPTED}."
        )

    def test_svg_extension_is_refused(self, collector, result):
        assert refusal(collector, result, "chart.svg", b"<svg/>") == (
            f"Files ending in “.svg” are not accepted. Accepted files: {ACCEPTED}."
        )

    def test_name_without_extension_is_refused(self, collector, result):
        assert refusal(collector, result, "README", b"hello") == (
            f"The file name has no extension. Accepted files: {ACCEPTED}."
        )

    def test_archive_with_too_many_parts_is_refused(self, collector, result, monkeypatch):
        monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 3)
        data = ooxml("word/", {"word/a.xml": b"<a/>", "word/b.xml": b"<b/>"})
        assert refusal(collector, result, "bomb.docx", data) == (
            "The file unpacks to too much data or too many parts to be checked safely."
        )

    def test_archive_unpacking_to_too_much_is_refused(self, collector, result, monkeypatch):
        monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED", MB)
        data = ooxml("xl/", {"xl/zeros.xml": b"\0" * (2 * MB)})
        assert len(data) < 20_000  # deflated zeros: a bomb in miniature
        assert refusal(collector, result, "bomb.xlsx", data) == (
            "The file unpacks to too much data or too many parts to be checked safely."
        )

    def test_ole_file_with_a_looping_directory_chain_is_not_recognised(self, collector, result):
        data = bytearray(ole("WordDocument"))
        struct.pack_into("<I", data, 512 + 4, 1)  # the directory sector points at itself
        assert refusal(collector, result, "loop.doc", bytes(data)) == (
            "The file’s content does not match its extension “.doc” (a Word 97–2003 document "
            "(DOC) was expected)."
        )

    def test_step_the_kpi_does_not_have_is_refused(self, collector, result):
        assert refusal(collector, result, "a.pdf", PDF, step=6) == "Choose a step from 1 to 5."

    def test_step_on_an_outcome_kpi_is_refused(self, collector, outcome_result):
        assert refusal(collector, outcome_result, "a.pdf", PDF, step=1) == (
            "This KPI has no steps; attach the file to the result as a whole."
        )


# --- Good uploads -------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(GOOD_FILES))
def test_each_accepted_kind_is_stored_with_its_facts(collector, result, extension):
    data, content_type = GOOD_FILES[extension]
    name = f"หลักฐาน ขั้นที่ 2.{extension.upper()}"

    evidence = evidence_add(
        actor=collector, result=result, upload=upload(name, data), step=2, description=" ภาพถ่าย "
    )

    evidence.refresh_from_db()
    assert (
        evidence.original_name,
        evidence.extension,
        evidence.content_type,
        evidence.size,
        evidence.sha256,
        evidence.step,
        evidence.description,
        evidence.uploaded_by,
    ) == (
        name,
        extension,
        content_type,
        len(data),
        hashlib.sha256(data).hexdigest(),
        2,
        "ภาพถ่าย",
        collector,
    )
    with default_storage.open(evidence.file.name, "rb") as stored:
        assert stored.read() == data


def test_stored_name_never_comes_from_the_users_name(collector, result, sar):
    evidence = evidence_add(actor=collector, result=result, upload=upload("ผลงาน<script>.pdf", PDF))
    folder, stored = evidence.file.name.rsplit("/", 1)
    assert folder == f"evidence/{sar.agreement_id}"
    stem, extension = stored.split(".")
    assert (len(stem), set(stem) <= set("0123456789abcdef"), extension) == (32, True, "pdf")


def test_original_name_is_normalised_to_nfc(collector, result):
    decomposed = "Cafe\u0301 report.pdf"
    evidence = evidence_add(actor=collector, result=result, upload=upload(f"  {decomposed} ", PDF))
    assert evidence.original_name == "Caf\u00e9 report.pdf"


def test_csv_with_a_cell_starting_bm_is_text_not_a_bitmap(collector, result):
    # `filetype` would call any file starting with "BM" a bitmap; text is judged as text first.
    evidence = evidence_add(
        actor=collector, result=result, upload=upload("bmi.csv", b"BMI,weight\n22.5,60\n")
    )
    assert evidence.content_type == "text/csv; charset=utf-8"


def test_csv_with_a_utf8_bom_is_accepted(collector, result):
    data = "\ufeff" + THAI_CSV
    evidence = evidence_add(
        actor=collector, result=result, upload=upload("table.csv", data.encode("utf-8"))
    )
    assert evidence.content_type == "text/csv; charset=utf-8"


@override_settings(EVIDENCE_MAX_BYTES=1 * MB)
def test_file_of_exactly_the_limit_is_accepted(collector, result):
    data = PDF + b"0" * (MB - len(PDF))
    assert evidence_add(actor=collector, result=result, upload=upload("a.pdf", data)).size == MB


@override_settings(EVIDENCE_SAR_MAX_BYTES=2 * len(PDF))
def test_reports_total_may_be_reached_exactly(collector, result):
    evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    evidence_add(actor=collector, result=result, upload=upload("b.pdf", PDF))
    assert Evidence.objects.filter(result=result).count() == 2


def test_adding_evidence_changes_no_score_input(collector, result, sar):
    evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    assert SAR.objects.get(pk=sar.pk).inputs_revision == sar.inputs_revision


# --- The service's rules ------------------------------------------------------------------------


def test_a_person_without_enter_results_may_not_add(planning_officer, result):
    with pytest.raises(ActionForbidden):
        evidence_add(actor=planning_officer, result=result, upload=upload("a.pdf", PDF))
    assert Evidence.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_a_submitted_report_refuses_uploads(collector, result, sar):
    SAR.objects.filter(pk=sar.pk).update(state=SARState.SUBMITTED)
    stored_before = stored_files(sar)
    assert refusal(collector, result, "a.pdf", PDF) == (
        "This report has been submitted and is locked while it is verified; it can be changed "
        "again if it is returned or reopened."
    )
    assert Evidence.objects.count() == 0
    assert stored_files(sar) == stored_before


@pytest.mark.usefixtures("english")
def test_a_report_past_its_deadline_refuses_uploads(collector, result, sar):
    set_deadlines(sar.agreement, days_from_today=-1)
    message = refusal(collector, result, "a.pdf", PDF)
    assert message.startswith("The deadline for this report was ")
    assert message.endswith(
        ", so results can no longer be entered. An administrator can reopen the report."
    )


@pytest.mark.usefixtures("english")
def test_an_accepted_result_of_a_returned_report_refuses_uploads(collector, result, sar):
    SAR.objects.filter(pk=sar.pk).update(state=SARState.RETURNED)
    KPIResult.objects.filter(pk=result.pk).update(status=ResultStatus.ACCEPTED)
    assert refusal(collector, result, "a.pdf", PDF) == (
        "The result of KPI 1.2 has been verified by its owner and cannot be changed."
    )


def test_a_returned_result_of_a_returned_report_takes_uploads(collector, result, sar):
    SAR.objects.filter(pk=sar.pk).update(state=SARState.RETURNED)
    KPIResult.objects.filter(pk=result.pk).update(
        status=ResultStatus.RETURNED, verification_comment="แนบหลักฐานเพิ่ม"
    )
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    assert evidence.result_id == result.pk


def test_remove_deletes_the_row_now_and_the_file_after_commit(
    collector, result, django_capture_on_commit_callbacks
):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    name = evidence.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(actor=collector, evidence=evidence)
    assert (Evidence.objects.count(), default_storage.exists(name)) == (0, True)

    for callback in callbacks:
        callback()
    assert default_storage.exists(name) is False


@pytest.mark.usefixtures("english")
def test_remove_from_a_submitted_report_is_refused(collector, result, sar):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    SAR.objects.filter(pk=sar.pk).update(state=SARState.SUBMITTED)
    with pytest.raises(DomainError):
        evidence_remove(actor=collector, evidence=evidence)
    assert default_storage.exists(evidence.file.name)


def test_remove_by_a_person_without_enter_results_is_forbidden(collector, planning_officer, result):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    with pytest.raises(ActionForbidden):
        evidence_remove(actor=planning_officer, evidence=evidence)


# --- Views --------------------------------------------------------------------------------------


def upload_url(result) -> str:
    return reverse("agreements:evidence_upload", args=[result.pk])


@pytest.mark.usefixtures("english")
def test_upload_without_htmx_redirects_to_the_entry_page(client, collector, result):
    client.force_login(collector)
    response = client.post(
        upload_url(result),
        {"file": upload("รายงาน.pdf", PDF), "step": "3", "description": "ภาพการอบรม"},
    )
    assert (response.status_code, response.url) == (302, result.get_absolute_url())
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.step, evidence.description) == (
        "รายงาน.pdf",
        3,
        "ภาพการอบรม",
    )
    response = client.get(response.url)
    assert "“รายงาน.pdf” has been added." in [str(m) for m in response.context["messages"]]


@pytest.mark.usefixtures("english")
def test_refused_upload_without_htmx_redirects_with_the_message(client, collector, result):
    client.force_login(collector)
    response = client.post(upload_url(result), {"file": upload("a.pdf", image("PNG"))})
    assert response.status_code == 302
    response = client.get(response.url)
    assert [str(m) for m in response.context["messages"]] == [
        "The file’s content (PNG image) does not match its extension “.pdf”."
    ]


@pytest.mark.usefixtures("english")
def test_htmx_upload_answers_with_the_refreshed_list(client, collector, result):
    client.force_login(collector)
    response = client.post(
        upload_url(result), {"file": upload("ผลการอบรม.pdf", PDF)}, HTTP_HX_REQUEST="true"
    )
    evidence = Evidence.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert f'id="evidence-list-{result.pk}"' in html
    assert reverse("agreements:evidence_download", args=[evidence.pk]) in html
    assert "“ผลการอบรม.pdf” has been added." in html
    # A fresh form replaces the one on the page, out of band.
    assert f'id="evidence-form-{result.pk}"' in html
    assert 'hx-swap-oob="true"' in html


@pytest.mark.usefixtures("english")
def test_htmx_refused_upload_shows_the_error_and_keeps_the_description(client, collector, result):
    client.force_login(collector)
    response = client.post(
        upload_url(result),
        {"file": upload("notes.txt", b"<html><script>x</script>"), "description": "บันทึก"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The file looks like a web page, SVG drawing or script (HTML, SVG or JavaScript), which "
        "is not accepted as evidence." in html
    )
    assert 'value="บันทึก"' in html
    assert Evidence.objects.count() == 0


def test_upload_of_a_name_with_path_parts_keeps_only_the_last_part(client, collector, result):
    # Browsers never send folders, but a hand-made request can: Django's parser keeps the last
    # part (and drops unprintable characters) before any of our code sees the name.
    client.force_login(collector)
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../etc/รายงาน.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        upload_url(result), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "รายงาน.pdf"
    assert "/etc/" not in evidence.file.name


def test_upload_is_post_only(client, collector, result):
    client.force_login(collector)
    assert client.get(upload_url(result)).status_code == 405


def test_download_is_an_attachment_with_the_thai_name(client, collector, result, unit_head):
    evidence = evidence_add(
        actor=collector, result=result, upload=upload("รายงานผล รอบ 6 เดือน.pdf", PDF)
    )
    client.force_login(unit_head)

    response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-{evidence.pk}.pdf"; '
        f"filename*=UTF-8''{quote('รายงานผล รอบ 6 เดือน.pdf', safe='')}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"


def test_download_of_an_ascii_name_keeps_it_as_the_fallback(client, collector, result):
    evidence = evidence_add(
        actor=collector, result=result, upload=upload("table.csv", THAI_CSV.encode())
    )
    client.force_login(collector)
    response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"table.csv\"; filename*=UTF-8''table.csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_download_out_of_scope_is_404(client, collector, result, other_admin):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    client.force_login(other_admin)
    response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))
    assert response.status_code == 404


def test_download_of_a_file_missing_from_storage_is_404(client, collector, result):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    default_storage.delete(evidence.file.name)
    client.force_login(collector)
    response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))
    assert response.status_code == 404


def test_delete_is_post_only_and_htmx_gets_the_list(client, collector, result):
    evidence = evidence_add(actor=collector, result=result, upload=upload("ภาพ.png", image("PNG")))
    url = reverse("agreements:evidence_delete", args=[evidence.pk])
    client.force_login(collector)
    assert client.get(url).status_code == 405

    response = client.post(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert Evidence.objects.count() == 0
    assert f'id="evidence-list-{result.pk}"' in response.content.decode()


@pytest.mark.usefixtures("english")
def test_delete_from_a_submitted_report_redirects_with_the_message(client, collector, result, sar):
    evidence = evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    SAR.objects.filter(pk=sar.pk).update(state=SARState.SUBMITTED)
    client.force_login(collector)
    response = client.post(reverse("agreements:evidence_delete", args=[evidence.pk]))
    assert (response.status_code, response.url) == (302, result.get_absolute_url())
    assert Evidence.objects.count() == 1


def test_media_files_have_no_public_url():
    from django.conf import settings
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}evidence/1/0123456789abcdef0123456789abcdef.pdf")


# --- The templates ------------------------------------------------------------------------------


def test_the_forms_accept_list_is_the_checks_list():
    with open("templates/agreements/includes/evidence_form.html", encoding="utf-8") as template:
        assert f'accept="{ACCEPT}"' in template.read()


def test_the_form_offers_the_kpis_steps_and_outcome_kpis_none(
    rf, collector, result, outcome_result
):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = collector
    milestone = render_to_string(
        "agreements/includes/evidence_form.html", {"result": result}, request=request
    )
    outcome = render_to_string(
        "agreements/includes/evidence_form.html", {"result": outcome_result}, request=request
    )
    assert milestone.count("<option value=") == 6  # the result as a whole, then steps 1–5
    assert 'name="step"' not in outcome


def test_the_list_reads_nothing_beyond_the_prefetched_evidence(
    rf, collector, result, django_assert_num_queries
):
    from django.template.loader import render_to_string

    for name in ("a.pdf", "b.png"):
        data = PDF if name.endswith("pdf") else image("PNG")
        evidence_add(actor=collector, result=result, upload=upload(name, data), step=1)
    row = KPIResult.objects.prefetch_related("evidence").get(pk=result.pk)
    request = rf.get("/")
    request.user = collector

    with django_assert_num_queries(0):
        html = render_to_string(
            "agreements/includes/evidence_list.html",
            {"result": row, "can_upload": True},
            request=request,
        )
    assert html.count('id="evidence-') == 3  # the list, then its two files


def test_a_failure_after_storing_deletes_the_stored_file(collector, result, sar, monkeypatch):
    stored_before = stored_files(sar)

    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(RuntimeError):
        evidence_add(actor=collector, result=result, upload=upload("a.pdf", PDF))
    assert stored_files(sar) == stored_before
