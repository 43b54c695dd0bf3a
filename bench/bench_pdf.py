"""Signed PDFs: one 20-KPI agreement, rendered from its frozen snapshot.

The ceremony of 300 agreements on 2 Celery workers is measured for real by bench_ceremony.
"""

from datetime import UTC, datetime
from decimal import Decimal

from bench.run import Figure, timed

DIMENSIONS = (
    (1, "มิติด้านประสิทธิผล", "Effectiveness", Decimal(45), 9),
    (2, "มิติด้านคุณภาพการให้บริการ", "Service quality", Decimal(15), 3),
    (3, "มิติด้านประสิทธิภาพ", "Efficiency", Decimal(20), 4),
    (4, "มิติด้านการพัฒนาองค์กร", "Organisational development", Decimal(20), 4),
)
STEPS = (
    "แต่งตั้งคณะทำงานและกำหนดขอบเขตการดำเนินงาน",
    "จัดทำแผนปฏิบัติการและเสนอผู้บริหารให้ความเห็นชอบ",
    "ดำเนินการตามแผนได้ครบถ้วนทุกกิจกรรม",
    "ติดตามและประเมินผลการดำเนินงานตามแผน",
    "สรุปบทเรียนและจัดทำข้อเสนอเพื่อการปรับปรุง",
)


def sample_content(agreement_id: int = 1, *, kpi_count: int = 20) -> dict:
    """A frozen snapshot shaped like snapshot.build_snapshot's, with all three kinds of criteria."""
    kpis = []
    per_dimension = {number: count for number, *_, count in DIMENSIONS}
    scale = Decimal(kpi_count) / sum(per_dimension.values())
    index = 0
    for number, name_th, name_en, weight, count in DIMENSIONS:
        count = max(1, round(count * scale))
        for position in range(1, count + 1):
            index += 1
            kind = ("outcome", "milestone", "hybrid")[index % 3]
            kpis.append(
                {
                    "code": f"{number}.{position}",
                    "name_th": f"ร้อยละความสำเร็จของการดำเนินงานตามยุทธศาสตร์ที่ได้รับมอบหมาย ข้อ {index}",
                    "name_en": f"Percentage of the assigned strategic work completed, item {index}",
                    "unit_th": "ร้อยละ",
                    "unit_en": "percent",
                    "dimension": number,
                    "dimension_name_th": name_th,
                    "dimension_name_en": name_en,
                    "dimension_weight": str(weight),
                    "weight": str((weight / count).quantize(Decimal("0.01")).normalize()),
                    "composite": "",
                    "criteria_type": kind,
                    "higher_is_better": True,
                    "step_count": {"outcome": 0, "milestone": 5, "hybrid": 2}[kind],
                    "target": "65" if kind != "milestone" else None,
                    "thresholds": (
                        ["55", "60", "65", "70", "75"]
                        if kind == "outcome"
                        else [None, None, "60", "65", "70"]
                        if kind == "hybrid"
                        else [None] * 5
                    ),
                    "steps": list(STEPS) if kind != "outcome" else [""] * 5,
                }
            )
    return {
        "format": 1,
        "agreement": agreement_id,
        "version": 1,
        "kind": "original",
        "organisation": {"code": "DOH", "name_th": "กรมอนามัย", "name_en": "Department of Health"},
        "fiscal_year": 2552,
        "maker": {
            "name_th": "นายแพทย์สมชาย ใจดี",
            "name_en": "Dr Somchai Jaidee",
            "position_th": "อธิบดีกรมอนามัย",
            "position_en": "Director-General, Department of Health",
        },
        "receiver": {
            "name_th": "นายแพทย์ประเสริฐ มั่นคง",
            "name_en": "Dr Prasert Mankong",
            "position_th": "ปลัดกระทรวงสาธารณสุข",
            "position_en": "Permanent Secretary, Ministry of Public Health",
        },
        "clauses_th": _clauses("th"),
        "clauses_en": _clauses("en"),
        "resolution": "มติคณะกรรมการเจรจาข้อตกลง ครั้งที่ 3/2551",
        "resolution_date": "2008-12-10",
        "kpis": kpis,
    }


def _clauses(lang: str) -> str:
    from agreements.clauses import Parties, standard_clauses

    if lang == "th":
        parties = Parties(
            "กรมอนามัย",
            "นายแพทย์สมชาย ใจดี",
            "อธิบดีกรมอนามัย",
            "นายแพทย์ประเสริฐ มั่นคง",
            "ปลัดกระทรวงสาธารณสุข",
        )
    else:
        parties = Parties(
            "the Department of Health",
            "Dr Somchai Jaidee",
            "Director-General, Department of Health",
            "Dr Prasert Mankong",
            "Permanent Secretary, Ministry of Public Health",
        )
    return standard_clauses(lang=lang, year=2552, parties=parties)


def sample_signatures() -> list:
    from agreements.pdf import SignatureLine

    return [
        SignatureLine("receiver", "นายแพทย์ประเสริฐ มั่นคง", "ปลัดกระทรวงสาธารณสุข", _at(9)),
        SignatureLine("maker", "นายแพทย์สมชาย ใจดี", "อธิบดีกรมอนามัย", _at(10)),
    ]


def _at(hour: int) -> datetime:
    return datetime(2008, 12, 15, hour, 0, tzinfo=UTC)


def _render(agreement_id: int) -> bytes:
    from agreements.pdf import render_snapshot_pdf

    return render_snapshot_pdf(
        sample_content(agreement_id), signatures=sample_signatures(), language="th"
    )


def run() -> list[Figure]:
    single = timed(lambda: _render(1), repeat=5)
    size = len(_render(1))

    figures = [
        Figure("pdf", "20-KPI agreement, Thai", single, "s", "best of 5; target < 1 s"),
        Figure("pdf", "20-KPI agreement size", size / 1024, "KiB"),
    ]
    return figures
