"""The standard clauses of a performance agreement (DOMAIN.md §5), in Thai and English.

This is data, not logic: the text Thai agencies use, with the parties, the organisation and the
fiscal year filled in. A new agreement starts from it; planners may then edit the clauses of their
draft. Dates follow the language: Buddhist era in Thai, Christian era in English.
"""

from dataclasses import dataclass

from governance.buddhist_era import format_date
from governance.fiscal import fiscal_year_bounds

CLAUSES_TH = """\
คำรับรองการปฏิบัติราชการของ{organisation} ประจำปีงบประมาณ พ.ศ. {year}

1. คำรับรองระหว่าง
{receiver_name} ตำแหน่ง {receiver_position} ผู้รับคำรับรอง
และ {maker_name} ตำแหน่ง {maker_position} ผู้ทำคำรับรอง

2. คำรับรองนี้เป็นคำรับรองฝ่ายเดียว มิใช่สัญญา และใช้สำหรับระยะเวลา 1 ปี \
เริ่มตั้งแต่วันที่ {starts_on} ถึงวันที่ {ends_on}

3. รายละเอียดของคำรับรอง ได้แก่ กรอบการประเมินผล ตัวชี้วัดผลการปฏิบัติราชการ น้ำหนัก เป้าหมาย \
เกณฑ์การให้คะแนน และรายละเอียดอื่น ๆ ตามที่ปรากฏอยู่ในเอกสารประกอบท้ายคำรับรองนี้

4. ข้าพเจ้า {receiver_name} ตำแหน่ง {receiver_position} ได้พิจารณาและเห็นชอบกับแนวทางการประเมินผล\
การปฏิบัติราชการ ตัวชี้วัด น้ำหนัก และเป้าหมาย ตามที่กำหนดในเอกสารประกอบท้ายคำรับรองนี้ \
และข้าพเจ้ายินดีจะให้คำแนะนำ กำกับ และตรวจสอบผลการปฏิบัติราชการของ{organisation} \
ให้เป็นไปตามคำรับรองที่จัดทำขึ้นนี้

5. ข้าพเจ้า {maker_name} ตำแหน่ง {maker_position} ได้ทำความเข้าใจคำรับรองตามข้อ 3 แล้ว \
ขอให้คำรับรองกับ{receiver_position}ว่าจะมุ่งมั่นปฏิบัติราชการให้เกิดผลงานที่ดีตามเป้าหมาย\
ของตัวชี้วัดแต่ละตัวในระดับสูงสุด เพื่อให้เกิดประโยชน์สุขแก่ประชาชนตามที่ให้คำรับรองไว้

6. ผู้รับคำรับรองและผู้ทำคำรับรองได้เข้าใจคำรับรองการปฏิบัติราชการและเห็นพ้องกันแล้ว \
จึงได้ลงลายมือชื่อไว้เป็นสำคัญ พร้อมวันที่ที่ลงนาม
"""

CLAUSES_EN = """\
Performance agreement of {organisation} for fiscal year {year} (B.E.)

1. This agreement is made between
{receiver_name}, {receiver_position}, the receiver of the agreement,
and {maker_name}, {maker_position}, the maker of the agreement.

2. This agreement is a one-sided commitment, not a contract. It is valid for one year, \
from {starts_on} to {ends_on}.

3. The details of the agreement (the evaluation framework, the performance indicators, their \
weights, targets and scoring criteria, and other details) are set out in the annex to this \
agreement.

4. I, {receiver_name}, {receiver_position}, have considered and endorse the evaluation approach, \
the indicators, weights and targets set out in the annex, and will guide, oversee and monitor the \
performance of {organisation} so that it follows this agreement.

5. I, {maker_name}, {maker_position}, have understood the agreement under clause 3 and commit to \
{receiver_position} to strive for the best results against the target of every indicator, for the \
benefit and well-being of the people, as committed herein.

6. The receiver and the maker of the agreement have understood this performance agreement and \
agree with it, and have therefore signed it below, with the date of signing.
"""

TEMPLATES = {"th": CLAUSES_TH, "en": CLAUSES_EN}


@dataclass(frozen=True)
class Parties:
    """What the clauses name, in one language."""

    organisation: str
    maker_name: str
    maker_position: str
    receiver_name: str
    receiver_position: str


def standard_clauses(*, lang: str, year: int, parties: Parties) -> str:
    """The standard clauses in `lang` ("th" or "en") for the Buddhist-era fiscal `year`."""
    starts_on, ends_on = fiscal_year_bounds(year)
    return TEMPLATES[lang].format(
        organisation=parties.organisation,
        year=year,
        starts_on=format_date(starts_on, "long", lang),
        ends_on=format_date(ends_on, "long", lang),
        maker_name=parties.maker_name,
        maker_position=parties.maker_position,
        receiver_name=parties.receiver_name,
        receiver_position=parties.receiver_position,
    )


def clauses_for(agreement) -> tuple[str, str]:
    """The standard clauses (Thai, English) for an agreement's current parties.

    English falls back to the Thai names where no English is recorded, so the English text is
    complete even for an organisation or person known only by a Thai name.
    """
    organisation = agreement.organisation
    thai = Parties(
        organisation=organisation.name_th,
        maker_name=agreement.maker_name_th,
        maker_position=agreement.maker_position_th,
        receiver_name=agreement.receiver_name_th,
        receiver_position=agreement.receiver_position_th,
    )
    english = Parties(
        organisation=organisation.name_en or organisation.name_th,
        maker_name=agreement.maker_name_en or agreement.maker_name_th,
        maker_position=agreement.maker_position_en or agreement.maker_position_th,
        receiver_name=agreement.receiver_name_en or agreement.receiver_name_th,
        receiver_position=agreement.receiver_position_en or agreement.receiver_position_th,
    )
    year = agreement.fiscal_year.year
    return (
        standard_clauses(lang="th", year=year, parties=thai),
        standard_clauses(lang="en", year=year, parties=english),
    )
