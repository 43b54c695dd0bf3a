"""The signed agreement PDF: what it says, in which language, and what WeasyPrint may fetch.

The PDFs are rendered for real and read back with poppler's pdftotext and pdffonts (Debian's
poppler-utils) and pypdf, as a person or another program would read them.
"""

import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from agreements import pdf
from agreements.clauses import clauses_for
from agreements.enums import Party
from agreements.models import AgreementVersion, Signature
from agreements.pdf.fetcher import ResourceRefused, StaticOnlyFetcher
from agreements.pdf.fonts import fonts_url
from agreements.pdf.text import _with_actual_text, glyph_texts
from agreements.snapshot import build_snapshot, content_hash
from kpis.enums import CriteriaType
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FrameworkFactory,
    UserFactory,
)

RESOLUTION = "มติคณะกรรมการเจรจาข้อตกลง ครั้งที่ 3/2551"
SIGNED_AT = datetime(2008, 12, 15, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok, 15 ธันวาคม 2551
# Dimension of each of the 20 KPIs: 9/3/4/4, weight 5 each, so the dimensions total 45/15/20/20.
DIMENSIONS = [1] * 9 + [2] * 3 + [3] * 4 + [4] * 4
DIMENSION_NAMES = {
    1: ("มิติด้านประสิทธิผล", "Effectiveness", 45),
    2: ("มิติด้านคุณภาพการให้บริการ", "Service quality", 15),
    3: ("มิติด้านประสิทธิภาพ", "Efficiency", 20),
    4: ("มิติด้านการพัฒนาองค์กร", "Organisational development", 20),
}
STEPS = {
    f"step_{n}": text
    for n, text in enumerate(
        ("แต่งตั้งคณะทำงาน", "จัดทำแผน", "ดำเนินการตามแผน", "ติดตามผล", "สรุปบทเรียน"), start=1
    )
}


def kpi_name(index: int) -> str:
    return f"ร้อยละของเด็กที่มีพัฒนาการสมวัย ข้อ {index}"


def frozen_version(
    organisation, *, kpi_count: int = 20, names: dict[int, str] | None = None, signed: bool = True
) -> AgreementVersion:
    """A version frozen as approval freezes it (content and hash), signed by both parties."""
    names = names or {}
    framework = FrameworkFactory(organisation=organisation)
    agreement = AgreementFactory(
        framework=framework,
        maker_name_en="Dr Maker",
        maker_position_en="Director-General",
        receiver_name_en="Dr Receiver",
        receiver_position_en="Permanent Secretary",
    )
    clauses_th, clauses_en = clauses_for(agreement)
    version = AgreementVersionFactory(
        agreement=agreement,
        number=1,
        clauses_th=clauses_th,
        clauses_en=clauses_en,
        resolution=RESOLUTION,
        resolution_date=date(2008, 12, 10),
    )
    positions: dict[int, int] = {}
    for index in range(1, kpi_count + 1):
        dimension = DIMENSIONS[(index - 1) % len(DIMENSIONS)]
        positions[dimension] = positions.get(dimension, 0) + 1
        name_th, name_en, dimension_weight = DIMENSION_NAMES[dimension]
        criteria = {}
        if index % 5 == 2:
            criteria = {"criteria_type": CriteriaType.MILESTONE, **STEPS}
            criteria.update({f"threshold_{n}": None for n in range(1, 6)})
        AgreementKPIFactory(
            version=version,
            code=f"{dimension}.{positions[dimension]}",
            name_th=names.get(index, kpi_name(index)),
            name_en=f"Children developing on track, item {index}",
            dimension_number=dimension,
            dimension_name_th=name_th,
            dimension_name_en=name_en,
            dimension_weight=dimension_weight,
            weight=5,
            target=65,
            order=index,
            **criteria,
        )
    content = build_snapshot(version)
    version.content = content
    version.content_sha256 = content_hash(content)
    version.frozen_at = timezone.now()
    version.save()
    if signed:
        for party, name, position in (
            (Party.RECEIVER, agreement.receiver_name_th, agreement.receiver_position_th),
            (Party.MAKER, agreement.maker_name_th, agreement.maker_position_th),
        ):
            Signature.objects.create(
                version=version,
                party=party,
                user=UserFactory(),
                name=name,
                position=position,
                signed_at=SIGNED_AT,
                content_sha256=version.content_sha256,
            )
    return version


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeeze(text: str) -> str:
    """Text without white space: a long name may wrap inside its table cell."""
    return "".join(text.split())


@pytest.fixture
def version(tree) -> AgreementVersion:
    return frozen_version(tree.department)


@pytest.fixture
def thai_pdf(version) -> bytes:
    return pdf.render_agreement_pdf(version, language="th")


def test_thai_pdf_has_the_organisation_every_kpi_name_and_the_content_hash(
    version, thai_pdf, tmp_path
):
    text = pdf_text(thai_pdf, tmp_path)

    assert "คำรับรองการปฏิบัติราชการ" in text
    assert "ของ กรมอนามัย" in text
    assert "ปีงบประมาณ พ.ศ.\u00a02552" in text or "ปีงบประมาณ พ.ศ. 2552" in text
    flat = squeeze(text)
    for index in range(1, 21):
        assert squeeze(kpi_name(index)) in flat
    assert version.content_sha256 in text


def test_thai_pdf_prints_parties_signatures_with_buddhist_era_dates_and_the_resolution(
    thai_pdf, tmp_path
):
    text = pdf_text(thai_pdf, tmp_path)

    assert "ผู้ทำคำรับรอง" in text
    assert "ผู้รับคำรับรอง" in text
    assert "(นายแพทย์ผู้ทำ คำรับรอง)" in text
    assert "(นายแพทย์ผู้รับ คำรับรอง)" in text
    assert text.count("วันที่ 15 ธันวาคม 2551") == 2
    assert squeeze(RESOLUTION) in squeeze(text)
    assert "10 ธันวาคม 2551" in text


def test_annex_groups_kpis_by_dimension_with_weight_subtotals(thai_pdf, tmp_path):
    text = pdf_text(thai_pdf, tmp_path)

    assert "มิติที่ 1: มิติด้านประสิทธิผล" in text
    assert "มิติที่ 4: มิติด้านการพัฒนาองค์กร" in text
    assert "รวมมิติที่ 1" in text
    assert "รวมมิติที่ 2" in text
    assert "รวมน้ำหนักทั้งหมด" in text
    # A milestone KPI prints its step texts as its levels.
    assert "แต่งตั้งคณะทำงาน" in text


def test_thai_text_extracts_exactly_as_typed_with_sara_am_and_stacked_marks(tree, tmp_path):
    # SARA AM, a tone mark over a lower vowel, and a tone mark over an upper vowel: the cases
    # WeasyPrint's own text map got wrong ("กำร", "มุง่").
    tricky = "น้ำหนักที่มุ่งมั่นอยู่ในเกณฑ์สำเร็จ"
    version = frozen_version(tree.department, kpi_count=1, names={1: tricky})

    text = pdf_text(pdf.render_agreement_pdf(version, language="th"), tmp_path)

    assert tricky in text
    assert "คำรับรองการปฏิบัติราชการ" in text
    assert "ผู้ทำคำรับรอง" in text


def test_glyph_texts_read_each_glyph_as_the_character_it_depicts():
    from fontTools.ttLib import TTFont

    font = TTFont(Path(settings.BASE_DIR, "static", "fonts", "Sarabun-Regular.ttf"), lazy=True)
    glyph_id = font.getGlyphID
    texts = glyph_texts("Sarabun-Regular.ttf")

    assert texts[glyph_id(font.getBestCmap()[ord("า")])] == "า"
    assert texts[glyph_id("uni0E4D0E49")] == "\u0e49\u0e4d"  # ้ then ํ, as น้ำ is typed
    assert texts[glyph_id("uni0E48.small")] == "\u0e48"
    assert texts[glyph_id(font.getBestCmap()[0xFB01])] == "fi"


def test_actual_text_wraps_thai_runs_of_our_fonts_only():
    texts = {b"OURS": {1: "ก", 2: "\u0e4d", 3: "า"}}
    items = [b"BT", b"1 0 0 -1 0 0 Tm", b"/OURS 12 Tf", b"[<0001>0<0002>0<0003>] TJ", b"ET"]
    items += [b"BT", b"/SYSTEM 12 Tf", b"[<0001>] TJ", b"ET"]

    out = _with_actual_text(items, texts)

    actual = ("\ufeff" + "กำ").encode("utf-16-be").hex().encode()
    assert out == [
        b"BT",
        b"1 0 0 -1 0 0 Tm",
        b"/OURS 12 Tf",
        b"/Span <</ActualText <%s>>> BDC" % actual,
        b"[<0001>0<0002>0<0003>] TJ",
        b"EMC",
        b"ET",
        *items[5:],
    ]


def test_every_page_has_its_number_of_the_total_in_the_footer(thai_pdf, tmp_path):
    pages = pdf_text(thai_pdf, tmp_path).split("\f")[:-1]
    total = len(PdfReader(BytesIO(thai_pdf)).pages)

    assert total == len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"หน้า {number} / {total}" in page


def test_table_header_repeats_on_every_annex_page(thai_pdf, tmp_path):
    pages = pdf_text(thai_pdf, tmp_path).split("\f")[:-1]
    annex_pages = [page for page in pages if "ร้อยละของเด็กที่มีพัฒนาการสมวัย" in page]

    assert len(annex_pages) > 1
    assert all("ตัวชี้วัดผลการปฏิบัติราชการ" in page for page in annex_pages)


def test_pdf_embeds_the_bundled_sarabun_font(thai_pdf, tmp_path):
    path = tmp_path / "agreement.pdf"
    path.write_bytes(thai_pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout

    assert "Kham-Sarabun" in fonts
    assert "Kham-Sarabun-Bold" in fonts


def test_metadata_carries_the_title_and_the_agreement_version_and_content_hash(version, thai_pdf):
    metadata = PdfReader(BytesIO(thai_pdf)).metadata

    assert metadata.title == "คำรับรองการปฏิบัติราชการ ของ กรมอนามัย ปีงบประมาณ พ.ศ.\u00a02552"
    assert pdf.parse_keywords(metadata["/Keywords"]) == pdf.Claim(
        version.agreement_id, 1, version.content_sha256
    )


def test_english_rendering_has_english_headings_and_names(version, tmp_path):
    text = pdf_text(pdf.render_agreement_pdf(version, language="en"), tmp_path)

    assert "Performance agreement" in text
    assert "of Department of Health" in text
    assert "FY 2552" in text
    assert "Annex to the performance agreement" in text
    assert "Receiver of the agreement" in text
    assert "Dr Maker" in text
    assert "15 December 2008" in text
    assert squeeze("Children developing on track, item 20") in squeeze(text)
    assert "Page 1 / " in text
    assert "ร้อยละของเด็ก" not in text


def test_pdf_prints_the_frozen_content_not_the_live_rows(version, tmp_path):
    version.kpis.filter(code="1.1").update(name_th="ชื่อที่แก้ไขหลังลงนาม")

    text = pdf_text(pdf.render_agreement_pdf(version, language="th"), tmp_path)

    assert "ชื่อที่แก้ไขหลังลงนาม" not in text
    assert squeeze(kpi_name(1)) in squeeze(text)


def test_unsigned_party_gets_an_empty_signature_line(tree, tmp_path):
    version = frozen_version(tree.department, kpi_count=3, signed=False)

    text = pdf_text(pdf.render_agreement_pdf(version, language="th"), tmp_path)

    assert "(ลงชื่อ)" in text
    assert "ลงนามทางอิเล็กทรอนิกส์" not in text


def test_unfrozen_version_is_refused(tree):
    version = AgreementVersionFactory(agreement=AgreementFactory(framework=FrameworkFactory()))

    with pytest.raises(ValueError, match="not frozen"):
        pdf.render_agreement_pdf(version, language="th")


# --- Nothing but our own fonts is ever fetched ---------------------------------------------------

PASSWD_IMG = '<img src="file:///etc/passwd">'
REMOTE_URL = "https://example.com/x.png"


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for, whether served or refused."""
    urls: list[str] = []
    serve = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return serve(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return urls


def test_markup_and_urls_in_a_kpi_name_render_as_text_and_fetch_nothing(tree, fetched, tmp_path):
    version = frozen_version(
        tree.department,
        kpi_count=2,
        names={1: f"ตัวชี้วัด {PASSWD_IMG}", 2: f"ภาพ {REMOTE_URL}"},
    )

    html = pdf.agreement_html(version.content, language="th")
    text = pdf_text(pdf.render_agreement_pdf(version, language="th"), tmp_path)

    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "<img" not in html
    assert squeeze(PASSWD_IMG) in squeeze(text)
    assert REMOTE_URL in text
    # Only the bundled fonts were asked for: the escaped text never became a request.
    fonts = Path(settings.BASE_DIR, "static", "fonts").resolve().as_uri()
    assert fetched
    assert all(url.startswith(fonts) and url.endswith(".ttf") for url in fetched)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://attacker.example/etc/passwd",
        REMOTE_URL,
        "http://127.0.0.1:8000/admin/",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x",
        "{base}/manage.py",
        "{fonts}../../manage.py",
        "{fonts}%2e%2e/%2e%2e/config/settings/base.py",
        "{fonts}does-not-exist.ttf",
    ],
)
def test_fetcher_refuses_everything_but_static_fonts_and_css(url):
    url = url.format(fonts=fonts_url(), base=Path(settings.BASE_DIR).resolve().as_uri())

    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_bundled_font_and_stylesheet():
    fetcher = StaticOnlyFetcher()
    css = Path(settings.BASE_DIR, "static", "css", "fonts.css").resolve().as_uri()

    font = fetcher.fetch(fonts_url() + "Sarabun-Regular.ttf")
    stylesheet = fetcher.fetch(css)

    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert stylesheet.read().startswith(b"/* Sarabun")


def test_fetcher_refuses_a_symbolic_link_out_of_the_allowed_folder(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "passwd.ttf").symlink_to("/etc/passwd")

    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher(roots=[fonts]).fetch((fonts / "passwd.ttf").as_uri())


def test_weasyprint_renders_a_refused_image_as_nothing(fetched):
    # The second wall: were markup ever to reach WeasyPrint, the fetcher still reads nothing.
    html = f'<p>x</p>{PASSWD_IMG}<img src="{REMOTE_URL}">'

    document = HTML(string=html, base_url=fonts_url(), url_fetcher=StaticOnlyFetcher()).write_pdf()

    assert fetched == ["file:///etc/passwd", REMOTE_URL]
    assert [list(page.images) for page in PdfReader(BytesIO(document)).pages] == [[]]


def test_css_string_escapes_quotes_and_the_end_of_the_style_element():
    value = pdf.css_string('กรม "x" </style><img src=x> \\')

    quote, inner, end_quote = value[0], value[1:-1], value[-1]
    assert quote == end_quote == '"'
    assert not set(inner) & set('"<>')
    assert "กรม" in inner


def test_organisation_name_with_quotes_and_style_end_renders_in_the_header(tree, tmp_path):
    tree.department.name_th = 'กรม "ทดสอบ" </style>'
    tree.department.save()
    version = frozen_version(tree.department, kpi_count=2)

    text = pdf_text(pdf.render_agreement_pdf(version, language="th"), tmp_path)

    assert text.count('กรม "ทดสอบ" </style>') >= 2  # the title and the running header


def test_clause_paragraphs_take_their_numbers_into_a_column():
    paragraphs = pdf.clause_paragraphs("ชื่อเรื่อง\n\n1. ข้อแรก\nบรรทัดสอง\n\n๒. ข้อสอง")

    assert [(p.number, p.lines) for p in paragraphs] == [
        ("", ["ชื่อเรื่อง"]),
        ("1", ["ข้อแรก", "บรรทัดสอง"]),
        ("๒", ["ข้อสอง"]),
    ]


def test_annex_subtotals_leave_sub_kpis_out():
    kpis = [
        {
            "code": "1.1",
            "dimension": 1,
            "weight": "10",
            "composite": "",
            "criteria_type": "composite",
        },
        {
            "code": "1.1.1",
            "dimension": 1,
            "weight": "50",
            "composite": "1.1",
            "criteria_type": "outcome",
        },
        {
            "code": "1.2",
            "dimension": 1,
            "weight": "2.5",
            "composite": "",
            "criteria_type": "outcome",
        },
    ]

    (group,) = pdf.annex_groups(kpis, "th")

    assert group.subtotal == "12.5"
    assert [row.is_sub for row in group.rows] == [False, True, False]
    assert group.rows[0].levels == []


def test_signature_lines_come_from_the_signature_rows(version):
    lines = pdf.signature_lines(version)

    assert {line.party for line in lines} == {Party.MAKER, Party.RECEIVER}
    assert all(line.signed_at == SIGNED_AT for line in lines)
    assert Decimal(version.content["kpis"][0]["weight"]) == 5
