"""The demo year's KPI frameworks (FY 2552): the ministry, the mission group and the department.

ILLUSTRATIVE data. The KPIs, weights and criteria shorthands come from the Department of Health's
deck of 22 December 2551 (slides 8, 9, 15 and 35; DOMAIN.md §8 and §10). Everything the deck does
not give is invented and marked so here: the weights it leaves out, the thresholds behind
"ขั้นตอน + ผลลัพธ์", the template texts, the baselines and the people named in the templates.
Phone numbers use the unallocated Bangkok range 0 2000 xxxx, so they reach nobody.

`manage.py load_demo` calls `load()` after the governance loader (governance/demo.py created the
organisations, FY 2552, the strategic issues and the demo users). Rows are upserted by natural key
(framework by fiscal year and organisation, KPI by framework and code) through kpis.services, and
only what differs is written, so a second run writes nothing and adds no history rows. Template
texts and workflow states (template review, publication) are set when the row is first created:
afterwards they are the demo users' to change.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from governance.demo import DEMO_YEAR, DOH, HSSUP, MOPH, PHDEV, DemoReport, doh_unit
from governance.models import FiscalYear, Organisation, StrategicIssue, User
from kpis import scoring, services
from kpis.enums import DEFAULT_DIMENSIONS, CriteriaType, FrameworkState, TemplateState
from kpis.models import KPI, Framework, KPITemplate
from kpis.selectors import code_sort_key

D = Decimal
OUTCOME, MILESTONE = CriteriaType.OUTCOME, CriteriaType.MILESTONE
HYBRID, COMPOSITE = CriteriaType.HYBRID, CriteriaType.COMPOSITE
DEMO_COMMENT = "ข้อมูลสาธิต (ไม่ใช่ข้อมูลทางราชการ)"

# Organisations by their key in governance/demo.py.
OPS = (*MOPH, "OPS")
DDC = (*PHDEV, "DDC")
HSS = (*HSSUP, "HSS")
FDA = (*HSSUP, "FDA")
PLAN, PSDG, SEC = doh_unit("PLAN"), doh_unit("PSDG"), doh_unit("SEC")
PER, FIN, IAG = doh_unit("PER"), doh_unit("FIN"), doh_unit("IAG")
BHP, LAW = doh_unit("BHP"), doh_unit("LAW")

# Effectiveness, service quality, efficiency, development: the OPDC dimensions (kpis.enums).
EFFECTIVENESS, QUALITY, EFFICIENCY, DEVELOPMENT = 1, 2, 3, 4


# The people below are invented, except that the demo users "planner", "kpi_owner" and
# "doh_admin" (governance/demo.py) collect the data of their own units.
# fmt: off
CONTACTS: dict[tuple[str, ...], tuple[str, str, str, str, str, str]] = {
    OPS: ("นายแพทย์วิรัช สุขสมบูรณ์", "ผู้อำนวยการสำนักนโยบายและยุทธศาสตร์ สำนักงานปลัดกระทรวงสาธารณสุข",
          "0 2000 1101", "นางสาวเยาวลักษณ์ ใจดี", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "0 2000 1115"),
    HSS: ("นายแพทย์ชาญวิทย์ มาตรฐาน", "ผู้อำนวยการสำนักพัฒนาระบบบริการสุขภาพ", "0 2000 1201",
          "นางจิราพร ละเอียดดี", "นักวิชาการสาธารณสุขชำนาญการ", "0 2000 1214"),
    DDC: ("นายแพทย์ปกรณ์ ป้องภัย", "ผู้อำนวยการสำนักโรคไม่ติดต่อ กรมควบคุมโรค", "0 2000 1301",
          "นางสาวศศิธร เฝ้าระวัง", "นักวิชาการสาธารณสุขชำนาญการ", "0 2000 1317"),
    FDA: ("นางสาวอัญชลี ปลอดภัย", "ผู้อำนวยการสำนักอาหาร สำนักงานคณะกรรมการอาหารและยา",
          "0 2000 1401", "นายภาณุวัฒน์ สะอาดดี", "นักวิชาการอาหารและยาชำนาญการ", "0 2000 1412"),
    DOH: ("แพทย์หญิงกาญจนา ส่งเสริม", "รองอธิบดีกรมอนามัย", "0 2000 4001",
          "นายประสิทธิ์ มุ่งมั่น", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ กองแผนงาน", "0 2000 4215"),
    PLAN: ("นายสุรชัย วัฒนกิจ", "ผู้อำนวยการกองแผนงาน", "0 2000 4201",
           "นายประสิทธิ์ มุ่งมั่น", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", "0 2000 4215"),
    PSDG: ("นางสาวจินตนา พัฒนศักดิ์", "หัวหน้ากลุ่มพัฒนาระบบบริหาร", "0 2000 4301",
           "นางสาวสมใจ รักงาน", "นักวิชาการคอมพิวเตอร์ชำนาญการ", "0 2000 4308"),
    SEC: ("นางรัตนา ศรีสุข", "เลขานุการกรม", "0 2000 4401",
          "นางวันเพ็ญ ตั้งใจ", "นักจัดการงานทั่วไปชำนาญการ", "0 2000 4412"),
    PER: ("นายวิชัย สุจริตธรรม", "ผู้อำนวยการกองการเจ้าหน้าที่", "0 2000 4501",
          "นางสาวกมลวรรณ ชื่นใจ", "นิติกรชำนาญการ", "0 2000 4517"),
    FIN: ("นางสุภาพร มั่นคง", "ผู้อำนวยการกองคลัง", "0 2000 4601",
          "นางสาวอรุณี ถี่ถ้วน", "นักวิชาการเงินและบัญชีชำนาญการ", "0 2000 4619"),
    IAG: ("นางเพ็ญศรี ถูกต้อง", "หัวหน้ากลุ่มตรวจสอบภายใน", "0 2000 4701",
          "นายณัฐพล รอบคอบ", "นักวิชาการตรวจสอบภายในชำนาญการ", "0 2000 4706"),
    LAW: ("นายกฤษดา ธรรมนิติ", "ผู้อำนวยการศูนย์กฎหมาย", "0 2000 4801",
          "นางสาวปิยะนุช นิติธรรม", "นิติกรปฏิบัติการ", "0 2000 4809"),
    BHP: ("แพทย์หญิงศิริพร แม่และเด็ก", "ผู้อำนวยการสำนักส่งเสริมสุขภาพ", "0 2000 4901",
          "นางสาวนภาพร อบอุ่น", "นักวิชาการสาธารณสุขชำนาญการ", "0 2000 4923"),
}
# fmt: on


# --- How a template is written down ---------------------------------------------------------------


def outcome(target: str, step: str, *, higher_is_better: bool = True) -> dict[str, Any]:
    """Outcome criteria as the deck writes them, "target ± step"; the service expands them."""
    return {
        "criteria_type": OUTCOME,
        "higher_is_better": higher_is_better,
        "target": D(target),
        "target_step": D(step),
    }


def milestone(*steps: str) -> dict[str, Any]:
    assert len(steps) == scoring.LEVEL_COUNT, steps
    return {"criteria_type": MILESTONE, **_steps(steps)}


def hybrid(steps: tuple[str, ...], thresholds: tuple[str, ...]) -> dict[str, Any]:
    """k steps, then the thresholds of levels k+1..5 ("k ขั้นตอน + ผลลัพธ์")."""
    assert len(steps) + len(thresholds) == scoring.LEVEL_COUNT, (steps, thresholds)
    levels = range(len(steps) + 1, scoring.LEVEL_COUNT + 1)
    return {
        "criteria_type": HYBRID,
        "step_count": len(steps),
        **_steps(steps),
        **{f"threshold_{level}": D(value) for level, value in zip(levels, thresholds, strict=True)},
    }


def hybrid_around(steps: tuple[str, ...], target: str, step: str) -> dict[str, Any]:
    """Hybrid criteria whose outcome part is "target ± step" (slide 9: "1 ขั้นตอน + 178 ± 10")."""
    expanded = scoring.thresholds_from_target(D(target), D(step))
    criteria = hybrid(steps, tuple(str(value) for value in expanded[len(steps) :]))
    return {**criteria, "target": D(target), "target_step": D(step)}


COMPOSITE_CRITERIA = {"criteria_type": COMPOSITE}


def _steps(steps: tuple[str, ...]) -> dict[str, str]:
    return {f"step_{level}": text for level, text in enumerate(steps, start=1)}


# Every template field, so a template holds exactly what its spec says and nothing else.
BLANK_TEMPLATE: dict[str, Any] = {
    **{name: "" for name in services.TEMPLATE_FIELDS},
    **{f"threshold_{level}": None for level in range(1, 6)},
    "target": None,
    "target_step": None,
    "baseline_1": None,
    "baseline_2": None,
    "baseline_3": None,
    "criteria_type": OUTCOME,
    "higher_is_better": True,
    "step_count": 0,
    "reports_at_6": True,
    "reports_at_9": True,
    "reports_at_12": True,
}


def template(
    *,
    criteria: dict[str, Any],
    definition: str,
    conditions: str,
    baselines: tuple[str, str, str],
    data_source: str,
    collection_method: str,
    rounds: tuple[str | None, str | None, str | None],
    evidence: str,
    formula: str = "",
    numerator: str = "",
    denominator: str = "",
    contact: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """A template's fields; `rounds` gives the 6-, 9- and 12-month targets (None: not reported)."""
    fields = {
        **BLANK_TEMPLATE,
        **criteria,
        "definition": definition,
        "formula": formula,
        "numerator": numerator,
        "denominator": denominator,
        "conditions": conditions,
        "baseline_1": D(baselines[0]),
        "baseline_2": D(baselines[1]),
        "baseline_3": D(baselines[2]),
        "data_source": data_source,
        "collection_method": collection_method,
        "expected_evidence": evidence,
    }
    for months, target in zip((6, 9, 12), rounds, strict=True):
        fields[f"reports_at_{months}"] = target is not None
        fields[f"target_{months}"] = target or ""
    if contact is not None:
        fields.update(_contact_fields(contact))
    return fields


def _contact_fields(key: tuple[str, ...]) -> dict[str, str]:
    names = (
        "supervisor_name",
        "supervisor_position",
        "supervisor_phone",
        "collector_name",
        "collector_position",
        "collector_phone",
    )
    return dict(zip(names, CONTACTS[key], strict=True))


@dataclass(frozen=True)
class KPISpec:
    code: str
    name_th: str
    name_en: str
    weight: str
    owner: tuple[str, ...]
    template: dict[str, Any]
    unit_th: str = ""
    unit_en: str = ""
    dimension: int = EFFECTIVENESS
    composite: str | None = None  # the code of the composite KPI this is a part of
    cascaded_from: tuple[tuple[str, ...], str] | None = None  # (organisation, code) above
    supporting: tuple[tuple[str, ...], ...] = ()
    strategic_issue: int | None = None  # the department's issue number (slide 26)
    # The review state at first load: approved, or left for the demo user to try the workflow.
    review: str = TemplateState.APPROVED


@dataclass(frozen=True)
class FrameworkSpec:
    organisation: tuple[str, ...]
    name_th: str
    name_en: str
    publish: bool
    kpis: tuple[KPISpec, ...]
    reviewer: str = "admin"  # the demo user who approves the templates


PERCENT = {"unit_th": "ร้อยละ", "unit_en": "%"}
LEVEL = {"unit_th": "ระดับ", "unit_en": "level"}
SCORE = {"unit_th": "คะแนน", "unit_en": "score"}
COUNT_HOSPITALS = {"unit_th": "แห่ง", "unit_en": "hospitals"}
WEIGHTED = "ค่าคะแนนที่ได้ = Σ (น้ำหนักตัวชี้วัดย่อย × คะแนนตัวชี้วัดย่อย) / Σ น้ำหนักตัวชี้วัดย่อย"
ROUNDS_BY_PARTS = ("รายงานตามตัวชี้วัดย่อย",) * 3


# fmt: off
# --- Slide 8: the Ministry of Public Health (only the KPIs the deck shows) -----------------------

MINISTRY = FrameworkSpec(
    MOPH,
    "กรอบการประเมินผลการปฏิบัติราชการ กระทรวงสาธารณสุข ประจำปีงบประมาณ พ.ศ. 2552",
    "Ministry of Public Health performance evaluation framework, FY 2552",
    # The deck shows four of the ministry's KPIs: the weights cannot reconcile to 100, so the
    # framework stays a draft.
    publish=False,
    kpis=(
        KPISpec(
            "1.1.1", "ระดับความสำเร็จของการพัฒนาระบบสุขภาพที่ตอบสนองต่อปัญหาของจังหวัดชายแดนภาคใต้",
            "Level of success in developing a health system that responds to the problems of the "
            "southern border provinces", "3", OPS, **LEVEL, supporting=(DOH, DDC),
            template=template(
                # Slide 8: "2 ขั้นตอน + ผลลัพธ์"; the outcome measure and its thresholds are ours.
                criteria=hybrid(
                    ("จังหวัดชายแดนภาคใต้ (ปัตตานี ยะลา นราธิวาส สตูล และสงขลา) มีแผนพัฒนาระบบสุขภาพ"
                     "ที่ตอบสนองต่อปัญหาของพื้นที่ ผ่านความเห็นชอบของคณะกรรมการวางแผนและประเมินผล"
                     "ระดับจังหวัด",
                     "ดำเนินการตามแผน มีระบบติดตามผลรายไตรมาส และพัฒนาศักยภาพบุคลากรสาธารณสุขในพื้นที่"
                     "ตามแผนที่กำหนด"),
                    ("70", "80", "90"),
                ),
                definition=(
                    "ระบบสุขภาพที่ตอบสนองต่อปัญหาของจังหวัดชายแดนภาคใต้ หมายถึง การจัดบริการสุขภาพ "
                    "การส่งเสริมสุขภาพ และการป้องกันควบคุมโรค ที่สอดคล้องกับวิถีชีวิต ศาสนา และวัฒนธรรม"
                    "ของประชาชนในพื้นที่ ภายใต้สถานการณ์ความไม่สงบ ระดับ 3-5 วัดจากร้อยละของโครงการ"
                    "ตามแผนพัฒนาระบบสุขภาพที่บรรลุเป้าหมาย"
                ),
                formula="(จำนวนโครงการตามแผนที่บรรลุเป้าหมาย / จำนวนโครงการตามแผนทั้งหมด) × 100",
                numerator="จำนวนโครงการตามแผนพัฒนาระบบสุขภาพจังหวัดชายแดนภาคใต้ที่บรรลุเป้าหมาย",
                denominator="จำนวนโครงการตามแผนพัฒนาระบบสุขภาพจังหวัดชายแดนภาคใต้ทั้งหมด",
                conditions=(
                    "ต้องผ่านขั้นตอนที่ 1 และ 2 ครบถ้วนก่อน จึงจะนำผลลัพธ์มาคิดคะแนนระดับ 3-5 "
                    "เกณฑ์ผลลัพธ์เป็นค่าสมมติของปีสาธิต"
                ),
                baselines=("61.50", "66.00", "72.25"),
                data_source="รายงานผลการดำเนินงานของสำนักงานสาธารณสุขจังหวัดชายแดนภาคใต้ 5 จังหวัด",
                collection_method="จังหวัดรายงานผลรายไตรมาสผ่านระบบรายงานของสำนักงานปลัดกระทรวง",
                rounds=("ขั้นตอนที่ 2", "ร้อยละ 60", "ร้อยละ 80"),
                evidence="แผนพัฒนาระบบสุขภาพของแต่ละจังหวัด รายงานการประชุมคณะกรรมการ "
                         "รายงานผลการดำเนินงานรายไตรมาส",
                contact=OPS,
            ),
        ),
        KPISpec(
            "1.1.3", "ร้อยละสถานบริการที่มีคุณภาพตามมาตรฐานที่กำหนด",
            "Percentage of health facilities meeting the set quality standards", "1", HSS,
            **PERCENT, supporting=(OPS, DOH),
            template=template(
                criteria=outcome("65", "5"),  # slide 8: "ผลลัพธ์ (65 +/- 5)"
                definition=(
                    "สถานบริการ หมายถึง โรงพยาบาลศูนย์ โรงพยาบาลทั่วไป และโรงพยาบาลชุมชน สังกัด"
                    "กระทรวงสาธารณสุข มีคุณภาพตามมาตรฐานที่กำหนด หมายถึง ผ่านการรับรองคุณภาพ"
                    "สถานพยาบาลตามมาตรฐานที่กระทรวงกำหนด หรือผ่านเกณฑ์โรงพยาบาลส่งเสริมสุขภาพ"
                ),
                formula="(จำนวนสถานบริการที่ผ่านมาตรฐาน / จำนวนสถานบริการทั้งหมด) × 100",
                numerator="จำนวนสถานบริการที่ผ่านการรับรองคุณภาพตามมาตรฐานที่กำหนด ณ สิ้นปีงบประมาณ",
                denominator="จำนวนสถานบริการสังกัดกระทรวงสาธารณสุขทั้งหมด",
                conditions="นับเฉพาะการรับรองที่ยังไม่หมดอายุ ณ วันที่ 30 กันยายน 2552",
                baselines=("52.40", "58.15", "61.70"),
                data_source="ฐานข้อมูลการรับรองคุณภาพสถานพยาบาล และรายงานของกรมอนามัย (โรงพยาบาล"
                            "ส่งเสริมสุขภาพ)",
                collection_method="รวบรวมจากฐานข้อมูลรายไตรมาส ตรวจสอบกับรายชื่อสถานบริการของกระทรวง",
                rounds=("ร้อยละ 60", "ร้อยละ 62", "ร้อยละ 65"),
                evidence="รายชื่อสถานบริการที่ผ่านการรับรองพร้อมวันที่รับรอง และสรุปผลรายจังหวัด",
                contact=HSS,
            ),
        ),
        KPISpec(
            # The deck reads "อัตราป่วย/ตามด้วยโรค": "ตาม" is a slip for "ตาย".
            "1.1.5", "ระดับความสำเร็จในการลดอัตราป่วย/ตายด้วยโรคที่เป็นปัญหาสำคัญ (โรคหลอดเลือด "
                     "โรคหัวใจ โรคเนื้องอกร้าย โรคเบาหวาน โรคความดันโลหิตสูง)",
            "Level of success in reducing illness and death rates from the major diseases "
            "(vascular disease, heart disease, malignant tumours, diabetes, hypertension)", "4",
            DDC, **PERCENT, supporting=(DOH,),
            template=template(
                # Slide 8 says only "(เป็นร้อยละ)"; the ± 1 point per level is ours.
                criteria=outcome("3", "1"),
                definition=(
                    "ร้อยละที่ลดลงของอัตราป่วยรายใหม่ด้วยโรคหลอดเลือดสมอง โรคหัวใจขาดเลือด โรคมะเร็ง "
                    "โรคเบาหวาน และโรคความดันโลหิตสูง เทียบกับค่าเฉลี่ย 3 ปีย้อนหลัง"
                ),
                formula="((อัตราป่วยเฉลี่ย 3 ปีย้อนหลัง − อัตราป่วยปี 2552) / อัตราป่วยเฉลี่ย 3 ปีย้อนหลัง) × 100",
                numerator="ผลต่างของอัตราป่วยต่อแสนประชากร ระหว่างค่าเฉลี่ย 3 ปีย้อนหลังกับปี 2552",
                denominator="อัตราป่วยต่อแสนประชากร เฉลี่ย 3 ปีย้อนหลัง",
                conditions="คิดรวม 5 โรคโดยถ่วงน้ำหนักเท่ากัน ใช้ข้อมูลผู้ป่วยในจากสถานบริการของรัฐ",
                baselines=("1.20", "1.85", "2.40"),
                data_source="รายงานผู้ป่วยใน (รง.505) และรายงานการเฝ้าระวังโรคไม่ติดต่อ",
                collection_method="สำนักโรคไม่ติดต่อรวบรวมและวิเคราะห์ข้อมูลปีละครั้ง",
                rounds=(None, None, "ลดลงร้อยละ 3"),
                evidence="รายงานการวิเคราะห์อัตราป่วยรายโรค รายจังหวัด",
                contact=DDC,
            ),
        ),
        KPISpec(
            "1.1.6", "ระดับความสำเร็จของการดำเนินงานความปลอดภัยด้านอาหาร (สุ่มตรวจอาหารสด ตลาดสด "
                     "ร้านอาหาร แผงลอย ตามแนวทางของกระทรวงสาธารณสุข)",
            "Level of success in food-safety work (sampling fresh food, fresh markets, restaurants "
            "and stalls under the ministry's guidelines)", "2", FDA, **LEVEL,
            supporting=(DOH, OPS),
            template=template(
                criteria=milestone(  # slide 8: "5 ขั้นตอน (เชื่อมโยงกับจังหวัด)"
                    "ทุกจังหวัดมีแผนปฏิบัติการความปลอดภัยด้านอาหารที่บูรณาการหน่วยงานที่เกี่ยวข้อง "
                    "และแต่งตั้งคณะทำงานระดับจังหวัด",
                    "จังหวัดสุ่มตรวจสารปนเปื้อนในอาหารสด (บอแรกซ์ ฟอร์มาลิน สารฟอกขาว สารกันรา "
                    "ยาฆ่าแมลง) ในตลาดสด ร้านอาหาร และแผงลอย ครบตามจำนวนตัวอย่างที่กำหนด",
                    "ตลาดสดที่ตรวจผ่านเกณฑ์ตลาดสดน่าซื้อ และร้านอาหาร/แผงลอยผ่านเกณฑ์ Clean Food Good "
                    "Taste ไม่น้อยกว่าร้อยละ 80 ของที่ตรวจ",
                    "ตัวอย่างอาหารสดที่สุ่มตรวจพบสารปนเปื้อน 5 ชนิด ไม่เกินร้อยละ 5",
                    "จังหวัดสรุปผล วิเคราะห์ และรายงานกระทรวงพร้อมข้อเสนอเชิงนโยบาย และเผยแพร่ผลการตรวจ"
                    "ต่อประชาชน",
                ),
                definition=(
                    "การดำเนินงานความปลอดภัยด้านอาหารร่วมกับจังหวัด ตามแนวทางของกระทรวงสาธารณสุข "
                    "ครอบคลุมอาหารสด ตลาดสด ร้านอาหาร และแผงลอยจำหน่ายอาหาร"
                ),
                conditions="การนับขั้นตอนต้องดำเนินการครบทุกจังหวัด เว้นแต่ได้รับยกเว้นเป็นลายลักษณ์อักษร",
                baselines=("3", "4", "4"),
                data_source="รายงานผลการตรวจวิเคราะห์ของสำนักงานสาธารณสุขจังหวัด",
                collection_method="จังหวัดบันทึกผลการสุ่มตรวจรายเดือน สรุปรายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="แผนปฏิบัติการระดับจังหวัด ผลการตรวจวิเคราะห์ รายงานสรุปผลประจำปี",
                contact=FDA,
            ),
        ),
    ),
)

# --- Slide 9: the Public Health Development mission group -----------------------------------------
# The deck numbers the group's KPIs 2.1, 1.2 and 1.3; the codes are kept as it writes them.

_HPH_STEP = (
    "มีแผนพัฒนาโรงพยาบาลเป้าหมายเข้าสู่กระบวนการโรงพยาบาลส่งเสริมสุขภาพ และทีมพี่เลี้ยงระดับเขต"
    "สนับสนุนครบทุกเขต",
)
_HPH_DEFINITION = (
    "โรงพยาบาลที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ หมายถึง โรงพยาบาลที่ดำเนินการพัฒนา"
    "ตามมาตรฐานโรงพยาบาลส่งเสริมสุขภาพของกรมอนามัย และผ่านการประเมินรับรองในปีงบประมาณ พ.ศ. 2552"
)

MISSION_GROUP = FrameworkSpec(
    PHDEV,
    "กรอบการประเมินผลการปฏิบัติราชการ กลุ่มภารกิจด้านพัฒนาการสาธารณสุข ประจำปีงบประมาณ พ.ศ. 2552",
    "Public Health Development Mission Group performance evaluation framework, FY 2552",
    publish=False,  # the deck shows three of the group's KPIs, not a whole framework
    kpis=(
        KPISpec(
            "2.1", "จำนวนโรงพยาบาลที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Number of hospitals with a health-promoting-hospital process", "3", DOH,
            **COUNT_HOSPITALS,
            template=template(
                criteria=COMPOSITE_CRITERIA,
                definition=_HPH_DEFINITION + " แยกเป็นโรงพยาบาลในสังกัดและนอกสังกัดกระทรวงสาธารณสุข",
                formula=WEIGHTED,
                conditions="ตัวชี้วัดย่อย 2.1.1 (น้ำหนัก 2) และ 2.1.2 (น้ำหนัก 1); การแบ่งน้ำหนักเป็นค่าสมมติ",
                baselines=("3.2500", "3.6000", "3.8750"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="รวมคะแนนจากตัวชี้วัดย่อย",
                rounds=ROUNDS_BY_PARTS,
                evidence="ผลการประเมินของตัวชี้วัดย่อย 2.1.1 และ 2.1.2",
                contact=DOH,
            ),
        ),
        # Slide 9 gives two targets, 178 ± 10 (own hospitals) and 15 ± 5 (others): two parts.
        KPISpec(
            "2.1.1", "จำนวนโรงพยาบาลในสังกัดกระทรวงสาธารณสุขที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Ministry hospitals with a health-promoting-hospital process", "2", DOH,
            **COUNT_HOSPITALS, composite="2.1", supporting=(OPS,),
            template=template(
                criteria=hybrid_around(_HPH_STEP, "178", "10"),
                definition=_HPH_DEFINITION + " เฉพาะโรงพยาบาลสังกัดสำนักงานปลัดกระทรวงสาธารณสุข",
                conditions="ต้องผ่านขั้นตอนที่ 1 ก่อน จึงนับจำนวนโรงพยาบาลเพื่อคิดคะแนนระดับ 2-5",
                baselines=("120", "146", "163"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="ศูนย์อนามัยเขตรายงานผลการประเมินรับรองรายไตรมาส",
                rounds=("ขั้นตอนที่ 1", "150 แห่ง", "178 แห่ง"),
                evidence="รายชื่อโรงพยาบาลที่ผ่านการประเมิน พร้อมวันที่ประเมินและผู้ประเมิน",
                contact=DOH,
            ),
        ),
        KPISpec(
            "2.1.2", "จำนวนโรงพยาบาลนอกสังกัดกระทรวงสาธารณสุขที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Other hospitals with a health-promoting-hospital process", "1", DOH,
            **COUNT_HOSPITALS, composite="2.1",
            template=template(
                criteria=hybrid_around(_HPH_STEP, "15", "5"),
                definition=_HPH_DEFINITION + " เฉพาะโรงพยาบาลนอกสังกัด เช่น โรงพยาบาลมหาวิทยาลัย "
                                             "โรงพยาบาลสังกัดกระทรวงอื่น และโรงพยาบาลเอกชน",
                conditions="ต้องผ่านขั้นตอนที่ 1 ก่อน จึงนับจำนวนโรงพยาบาลเพื่อคิดคะแนนระดับ 2-5",
                baselines=("4", "8", "11"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="ศูนย์อนามัยเขตรายงานผลการประเมินรับรองรายไตรมาส",
                rounds=("ขั้นตอนที่ 1", "8 แห่ง", "15 แห่ง"),
                evidence="รายชื่อโรงพยาบาลที่ผ่านการประเมิน พร้อมหนังสือยืนยันการเข้าร่วม",
                contact=DOH,
            ),
        ),
        KPISpec(
            "1.2", "ร้อยละของหน่วยงานสาธารณสุขที่สามารถปฏิบัติการส่งเสริมสุขภาพ เฝ้าระวัง ป้องกัน"
                   "ควบคุมโรคและภัยสุขภาพตามมาตรฐานที่กำหนด",
            "Percentage of health agencies able to carry out health promotion, surveillance and "
            "disease and health-hazard control to the set standards",
            # Slide 9 gives "40 %" as the target but no weight: 3 is illustrative.
            "3", DDC, **PERCENT, supporting=(DOH,),
            template=template(
                criteria=outcome("40", "5"),
                definition=(
                    "หน่วยงานสาธารณสุข หมายถึง สำนักงานสาธารณสุขอำเภอและสถานีอนามัย ที่ผ่านการประเมิน"
                    "มาตรฐานการส่งเสริมสุขภาพ การเฝ้าระวัง และการป้องกันควบคุมโรคและภัยสุขภาพ "
                    "ของกรมอนามัยและกรมควบคุมโรค"
                ),
                formula="(จำนวนหน่วยงานที่ผ่านมาตรฐาน / จำนวนหน่วยงานที่ประเมินทั้งหมด) × 100",
                numerator="จำนวนหน่วยงานสาธารณสุขที่ผ่านเกณฑ์มาตรฐานทั้ง 3 ด้าน",
                denominator="จำนวนหน่วยงานสาธารณสุขที่ได้รับการประเมินทั้งหมด",
                conditions="ประเมินโดยทีมประเมินระดับเขตตามแบบประเมินมาตรฐานที่กำหนด",
                baselines=("22.50", "28.75", "34.10"),
                data_source="ผลการประเมินมาตรฐานของศูนย์อนามัยและสำนักงานป้องกันควบคุมโรคเขต",
                collection_method="รวบรวมผลการประเมินรายไตรมาสจากเขต",
                rounds=("ร้อยละ 20", "ร้อยละ 30", "ร้อยละ 40"),
                evidence="แบบประเมินมาตรฐานรายหน่วยงาน และสรุปผลรายเขต",
                contact=DDC,
            ),
        ),
        KPISpec(
            "1.3", "ระดับความสำเร็จในการจัดการผลงานวิชาการในการส่งเสริมสุขภาพ เฝ้าระวัง ป้องกัน"
                   "ควบคุมโรคและภัยสุขภาพ รวมทั้งอนามัยสิ่งแวดล้อม",
            "Level of success in managing academic work on health promotion, surveillance, "
            "disease and health-hazard control and environmental health", "4", DDC, **LEVEL,
            supporting=(DOH,),
            template=template(
                # Slide 9: "3 ขั้นตอน + ผลลัพธ์ (50% และ 1 เรื่อง)". One measure carries levels
                # 4-5 (50% at level 4); the "1 เรื่อง" becomes a condition of level 5.
                criteria=hybrid(
                    ("มีคณะกรรมการจัดการผลงานวิชาการของกลุ่มภารกิจ และกำหนดประเด็นวิจัยที่สำคัญร่วมกัน",
                     "จัดทำฐานข้อมูลผลงานวิชาการของกรมในกลุ่มภารกิจ เผยแพร่ทางเว็บไซต์",
                     "จัดเวทีแลกเปลี่ยนเรียนรู้และคัดเลือกผลงานวิชาการที่พร้อมนำไปใช้ประโยชน์"),
                    ("50", "60"),
                ),
                definition=(
                    "ผลงานวิชาการ หมายถึง งานวิจัย องค์ความรู้ และนวัตกรรมของกรมในกลุ่มภารกิจ "
                    "ระดับ 4-5 วัดจากร้อยละของผลงานวิชาการที่ถูกนำไปใช้ประโยชน์โดยเครือข่าย"
                ),
                formula="(จำนวนผลงานที่ถูกนำไปใช้ประโยชน์ / จำนวนผลงานที่แล้วเสร็จในปี) × 100",
                numerator="จำนวนผลงานวิชาการที่มีหลักฐานการนำไปใช้ประโยชน์",
                denominator="จำนวนผลงานวิชาการที่แล้วเสร็จในปีงบประมาณ พ.ศ. 2552",
                conditions=(
                    "ระดับ 5 ต้องมีผลงานที่ได้รับการตีพิมพ์ในวารสารวิชาการระดับนานาชาติอย่างน้อย "
                    "1 เรื่องด้วย หากไม่มีให้ได้คะแนนไม่เกินระดับ 4"
                ),
                baselines=("2", "3", "3"),
                data_source="ฐานข้อมูลผลงานวิชาการของกรมในกลุ่มภารกิจ",
                collection_method="กองแผนงานของแต่ละกรมรวบรวมหลักฐานการนำไปใช้รายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ร้อยละ 50"),
                evidence="คำสั่งแต่งตั้งคณะกรรมการ ฐานข้อมูลผลงาน หลักฐานการนำไปใช้ประโยชน์",
                contact=DDC,
            ),
        ),
    ),
)

# --- Slide 35: the Department of Health ------------------------------------------------------------
# Weights the deck does not give are split evenly (DOMAIN.md §10): 15 / 4 in service quality,
# 20 / 5 in efficiency. There is no KPI 12 in the deck (it jumps from 11 to 13).

_ILLEGIBLE = (
    "ตัวชี้วัดที่ 5 อ่านไม่ออกในเอกสารต้นฉบับ (สไลด์ 35) ชื่อ เกณฑ์ และรายละเอียดในแม่แบบนี้"
    "เป็นค่าสมมติเพื่อการสาธิตเท่านั้น"
)

DEPARTMENT = FrameworkSpec(
    DOH,
    "กรอบการประเมินผลการปฏิบัติราชการตามคำรับรองการปฏิบัติราชการ กรมอนามัย "
    "ประจำปีงบประมาณ พ.ศ. 2552",
    "Department of Health performance agreement framework, FY 2552",
    publish=True,
    reviewer="planner",
    kpis=(
        # Effectiveness 45 = 20 + 10 + 15.
        KPISpec(
            "1", "การบรรลุเป้าหมายระดับกระทรวง", "Achievement of the ministry-level goals", "20",
            PLAN, **SCORE,
            template=template(
                criteria=COMPOSITE_CRITERIA,
                definition=(
                    "ผลการบรรลุเป้าหมายตามคำรับรองระดับกระทรวงที่กรมอนามัยรับผิดชอบ ประกอบด้วย "
                    "การบรรลุเป้าหมายยุทธศาสตร์ (13) เป้าหมายร่วมระหว่างกระทรวง (5) และความสำเร็จ"
                    "ของศูนย์บริการร่วม (2)"
                ),
                formula=WEIGHTED,
                conditions="คะแนนของตัวชี้วัดนี้คำนวณจากตัวชี้วัดย่อย 1.1-1.3 ตามน้ำหนัก 13 : 5 : 2",
                baselines=("3.6540", "3.8125", "4.0250"),
                data_source="ผลการประเมินตัวชี้วัดย่อย 1.1-1.3",
                collection_method="กองแผนงานรวบรวมผลจากหน่วยงานเจ้าภาพตัวชี้วัดย่อย",
                rounds=ROUNDS_BY_PARTS,
                evidence="ผลการประเมินและหลักฐานของตัวชี้วัดย่อยทุกตัว",
                contact=PLAN,
            ),
        ),
        KPISpec(
            # One cascade link per KPI: 1.1 covers four ministry KPIs (its definition lists
            # them); it points at 1.1.3, the one the department's own services carry.
            "1.1", "ร้อยละเฉลี่ยถ่วงน้ำหนักของการบรรลุเป้าหมายตัวชี้วัดยุทธศาสตร์ระดับกระทรวงที่กรมอนามัย"
                   "รับผิดชอบ",
            "Weighted average achievement of the ministry's strategic KPIs the department is "
            "responsible for", "13", PLAN, **PERCENT, composite="1",
            cascaded_from=(MOPH, "1.1.3"), supporting=(BHP, doh_unit("BEH")),
            template=template(
                criteria=outcome("80", "5"),
                definition=(
                    "ตัวชี้วัดยุทธศาสตร์ระดับกระทรวงที่กรมอนามัยมีส่วนรับผิดชอบ ได้แก่ 1.1.1 (น้ำหนัก 3) "
                    "1.1.3 (น้ำหนัก 1) 1.1.5 (น้ำหนัก 4) และ 1.1.6 (น้ำหนัก 2) การบรรลุเป้าหมาย"
                    "ของแต่ละตัวคิดเป็นร้อยละของผลงานเทียบกับค่าเป้าหมาย (ไม่เกินร้อยละ 100)"
                ),
                formula="Σ (น้ำหนักตัวชี้วัดระดับกระทรวง × ร้อยละการบรรลุเป้าหมาย) / Σ น้ำหนัก",
                numerator="ผลรวมของน้ำหนัก × ร้อยละการบรรลุเป้าหมายของตัวชี้วัดระดับกระทรวงทั้ง 4 ตัว",
                denominator="ผลรวมน้ำหนักของตัวชี้วัดระดับกระทรวงทั้ง 4 ตัว (10)",
                conditions="ใช้ผลงานส่วนที่กรมอนามัยรับผิดชอบตามที่ตกลงกับเจ้าภาพระดับกระทรวง",
                baselines=("71.20", "76.45", "78.90"),
                data_source="รายงานผลการดำเนินงานตามคำรับรองระดับกระทรวง",
                collection_method="กองแผนงานรวบรวมผลจากหน่วยงานเจ้าภาพภายในกรมรายไตรมาส",
                rounds=("ร้อยละ 40", "ร้อยละ 60", "ร้อยละ 80"),
                evidence="ตารางคำนวณร้อยละการบรรลุเป้าหมายรายตัวชี้วัด พร้อมหลักฐานผลงาน",
                contact=PLAN,
            ),
        ),
        KPISpec(
            # The southern border provinces are the cross-ministry goal that ministry KPI 1.1.1
            # serves; the department's part (child development centres) is maternal and child
            # health, strategic issue 1.
            "1.2", "ระดับความสำเร็จของการพัฒนาศูนย์พัฒนาเด็กเล็กน่าอยู่ในจังหวัดชายแดนภาคใต้ "
                   "(เป้าหมายร่วมระหว่างกระทรวง)",
            "Level of success in developing child development centres in the southern border "
            "provinces (cross-ministry joint goal)", "5", BHP, **LEVEL, composite="1",
            cascaded_from=(MOPH, "1.1.1"), strategic_issue=1, supporting=(PLAN, doh_unit("NUT")),
            template=template(
                criteria=hybrid(
                    ("จัดทำแผนพัฒนาศูนย์พัฒนาเด็กเล็กน่าอยู่ร่วมกับองค์กรปกครองส่วนท้องถิ่นและศูนย์อนามัย"
                     "ที่ 12 ยะลา",
                     "อบรมครูพี่เลี้ยงเด็กและสนับสนุนสื่อการส่งเสริมพัฒนาการเด็กครบทุกศูนย์เป้าหมาย"),
                    ("60", "70", "80"),
                ),
                definition=(
                    "ศูนย์พัฒนาเด็กเล็กน่าอยู่ หมายถึง ศูนย์พัฒนาเด็กเล็กในจังหวัดปัตตานี ยะลา นราธิวาส "
                    "และ 4 อำเภอของจังหวัดสงขลา ที่ผ่านเกณฑ์ประเมินศูนย์เด็กเล็กน่าอยู่ของกรมอนามัย "
                    "ระดับ 3-5 วัดจากร้อยละของศูนย์เป้าหมายที่ผ่านเกณฑ์"
                ),
                formula="(จำนวนศูนย์ที่ผ่านเกณฑ์ / จำนวนศูนย์เป้าหมาย) × 100",
                numerator="จำนวนศูนย์พัฒนาเด็กเล็กเป้าหมายที่ผ่านเกณฑ์ศูนย์เด็กเล็กน่าอยู่",
                denominator="จำนวนศูนย์พัฒนาเด็กเล็กเป้าหมายทั้งหมด",
                conditions="ต้องผ่านขั้นตอนที่ 1 และ 2 ก่อน จึงนำร้อยละที่ผ่านเกณฑ์มาคิดคะแนนระดับ 3-5",
                baselines=("45.00", "52.50", "58.30"),
                data_source="ผลการประเมินศูนย์เด็กเล็กน่าอยู่ ศูนย์อนามัยที่ 12 ยะลา",
                collection_method="ทีมประเมินระดับจังหวัดประเมินและรายงานสำนักส่งเสริมสุขภาพรายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ร้อยละ 60", "ร้อยละ 70"),
                evidence="แผนพัฒนา รายชื่อผู้เข้ารับการอบรม แบบประเมินรายศูนย์",
                contact=BHP,
            ),
        ),
        KPISpec(
            "1.3", "ระดับความสำเร็จของการดำเนินงานศูนย์บริการร่วม", "Level of success of the "
            "shared service centre", "2", SEC, **LEVEL, composite="1", supporting=(PSDG,),
            template=template(
                criteria=milestone(
                    "แต่งตั้งคณะทำงานและกำหนดงานบริการที่จะให้บริการ ณ ศูนย์บริการร่วม",
                    "จัดตั้งศูนย์บริการร่วมพร้อมคู่มือการให้บริการและประกาศระยะเวลาแล้วเสร็จของแต่ละงาน",
                    "เปิดให้บริการและบันทึกสถิติการให้บริการครบทุกงานบริการ",
                    "ให้บริการแล้วเสร็จภายในระยะเวลาที่ประกาศไม่น้อยกว่าร้อยละ 80 ของคำขอ",
                    "สำรวจความพึงพอใจของผู้รับบริการและนำผลไปปรับปรุงการให้บริการ",
                ),
                definition=(
                    "ศูนย์บริการร่วม หมายถึง จุดให้บริการแบบเบ็ดเสร็จ (One Stop Service) ของกรมอนามัย "
                    "สำหรับการขอรับบริการข้อมูล เอกสารวิชาการ และการยื่นคำขอต่าง ๆ"
                ),
                conditions="ขั้นตอนที่ 4 ใช้ข้อมูลคำขอตั้งแต่วันเปิดให้บริการถึง 31 สิงหาคม 2552",
                baselines=("1", "2", "3"),
                data_source="ทะเบียนคำขอและสถิติการให้บริการของศูนย์บริการร่วม",
                collection_method="เจ้าหน้าที่ศูนย์บันทึกคำขอทุกรายการ สรุปรายเดือน",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="คำสั่งแต่งตั้ง คู่มือการให้บริการ สถิติการให้บริการ ผลสำรวจความพึงพอใจ",
                contact=SEC,
            ),
        ),
        KPISpec(
            "2", "การบรรลุเป้าหมายระดับกลุ่มภารกิจ", "Achievement of the mission-group goals", "10",
            PLAN, **SCORE, cascaded_from=(PHDEV, "2.1"), supporting=(BHP,),
            template=template(
                # The department's score is the weighted score of the group's KPIs it carries.
                criteria=outcome("3", "1"),
                definition=(
                    "ค่าคะแนนเฉลี่ยถ่วงน้ำหนักของตัวชี้วัดระดับกลุ่มภารกิจด้านพัฒนาการสาธารณสุขที่กรมอนามัย"
                    "รับผิดชอบ ได้แก่ 2.1 จำนวนโรงพยาบาลที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ (น้ำหนัก 3) "
                    "1.2 (น้ำหนัก 3) และ 1.3 (น้ำหนัก 4)"
                ),
                formula="Σ (น้ำหนักตัวชี้วัดระดับกลุ่มภารกิจ × คะแนน) / Σ น้ำหนัก",
                numerator="ผลรวมของน้ำหนัก × คะแนนของตัวชี้วัดระดับกลุ่มภารกิจ",
                denominator="ผลรวมน้ำหนักของตัวชี้วัดระดับกลุ่มภารกิจที่กรมรับผิดชอบ",
                conditions="ใช้คะแนนตามผลการประเมินของคณะทำงานระดับกลุ่มภารกิจ",
                baselines=("3.4000", "3.7500", "3.9200"),
                data_source="ผลการประเมินตามคำรับรองระดับกลุ่มภารกิจ",
                collection_method="กองแผนงานรวบรวมคะแนนจากรายงานของกลุ่มภารกิจรอบ 6, 9 และ 12 เดือน",
                rounds=("คะแนน 2.5", "คะแนน 3", "คะแนน 3"),
                evidence="รายงานผลการประเมินระดับกลุ่มภารกิจ และตารางคำนวณคะแนนถ่วงน้ำหนัก",
                contact=PLAN,
            ),
        ),
        KPISpec(
            "3", "การบรรลุเป้าหมายระดับกรม", "Achievement of the department's goals", "15", PLAN,
            **SCORE,
            template=template(
                criteria=COMPOSITE_CRITERIA,
                definition="ผลการบรรลุเป้าหมายยุทธศาสตร์ของกรม (10) และผลผลิตตามเอกสารงบประมาณ (5)",
                formula=WEIGHTED,
                conditions="คะแนนของตัวชี้วัดนี้คำนวณจากตัวชี้วัดย่อย 3.1 และ 3.2 ตามน้ำหนัก 10 : 5",
                baselines=("3.5500", "3.9000", "4.1000"),
                data_source="ผลการประเมินตัวชี้วัดย่อย 3.1 และ 3.2",
                collection_method="กองแผนงานรวบรวมผลจากตัวชี้วัดย่อย",
                rounds=ROUNDS_BY_PARTS,
                evidence="ผลการประเมินและหลักฐานของตัวชี้วัดย่อยทุกตัว",
                contact=PLAN,
            ),
        ),
        KPISpec(
            "3.1", "ร้อยละของตัวชี้วัดตามประเด็นยุทธศาสตร์ของกรมอนามัยที่บรรลุค่าเป้าหมาย",
            "Percentage of the department's strategic-issue KPIs that reach their targets", "10",
            PLAN, **PERCENT, composite="3",
            template=template(
                criteria=outcome("70", "5"),
                definition=(
                    "ตัวชี้วัดระดับผลลัพธ์ตามแผนที่ยุทธศาสตร์ (SM/SLM) ของ 6 ประเด็นยุทธศาสตร์ของกรมอนามัย "
                    "ปี 2552: อนามัยแม่และเด็ก เด็กวัยเรียนและวัยรุ่น โรคอ้วน ผู้สูงอายุ ชุมชนน่าอยู่ "
                    "เมืองน่าอยู่ และการประเมินผลกระทบต่อสุขภาพ"
                ),
                formula="(จำนวนตัวชี้วัดที่บรรลุค่าเป้าหมาย / จำนวนตัวชี้วัดทั้งหมด) × 100",
                numerator="จำนวนตัวชี้วัดระดับผลลัพธ์ตามประเด็นยุทธศาสตร์ที่บรรลุค่าเป้าหมาย",
                denominator="จำนวนตัวชี้วัดระดับผลลัพธ์ตามประเด็นยุทธศาสตร์ทั้งหมด",
                conditions="ใช้ค่าเป้าหมายตามแผนที่ยุทธศาสตร์ที่ผ่านความเห็นชอบของที่ประชุมกรม",
                baselines=("58.30", "63.60", "66.70"),
                data_source="รายงานผลการดำเนินงานของหน่วยงานเจ้าภาพประเด็นยุทธศาสตร์",
                collection_method="เจ้าภาพประเด็นยุทธศาสตร์รายงานกองแผนงานรายไตรมาส",
                rounds=(None, "ร้อยละ 50", "ร้อยละ 70"),
                evidence="รายงานผลตามแผนที่ยุทธศาสตร์ 6 ประเด็น พร้อมตารางสรุปการบรรลุค่าเป้าหมาย",
                contact=PLAN,
            ),
        ),
        KPISpec(
            "3.2", "ร้อยละของผลผลิตตามเอกสารงบประมาณที่บรรลุค่าเป้าหมาย",
            "Percentage of the budget document's outputs that reach their targets", "5", PLAN,
            **PERCENT, composite="3", supporting=(FIN,),
            template=template(
                criteria=outcome("90", "5"),
                definition=(
                    "ผลผลิต หมายถึง ผลผลิตและตัวชี้วัดเชิงปริมาณตามเอกสารงบประมาณรายจ่ายประจำปี"
                    "งบประมาณ พ.ศ. 2552 ของกรมอนามัย"
                ),
                formula="(จำนวนตัวชี้วัดผลผลิตที่บรรลุค่าเป้าหมาย / จำนวนตัวชี้วัดผลผลิตทั้งหมด) × 100",
                numerator="จำนวนตัวชี้วัดผลผลิตที่บรรลุค่าเป้าหมาย",
                denominator="จำนวนตัวชี้วัดผลผลิตตามเอกสารงบประมาณทั้งหมด",
                conditions="ใช้ผลจากระบบติดตามผลการดำเนินงานของสำนักงบประมาณ ณ 30 กันยายน 2552",
                baselines=("84.60", "88.20", "91.70"),
                data_source="ระบบรายงานผลการปฏิบัติงานและการใช้จ่ายงบประมาณ (แบบ สงป.)",
                collection_method="หน่วยงานบันทึกผลรายเดือน กองแผนงานตรวจสอบรายไตรมาส",
                rounds=("ร้อยละ 45", "ร้อยละ 70", "ร้อยละ 90"),
                evidence="รายงานแบบ สงป. และตารางสรุปผลผลิตรายตัวชี้วัด",
                contact=PLAN,
            ),
        ),
        # Service quality 15: four KPIs, the weights split evenly.
        KPISpec(
            "4", "ร้อยละของระดับความพึงพอใจของผู้รับบริการ", "Service users' satisfaction (%)",
            "3.75", SEC, **PERCENT, dimension=QUALITY, supporting=(PSDG,),
            template=template(
                criteria=outcome("80", "5"),
                definition=(
                    "ระดับความพึงพอใจของผู้รับบริการต่อกระบวนการ เจ้าหน้าที่ สิ่งอำนวยความสะดวก "
                    "และคุณภาพการให้บริการของงานบริการที่กรมเลือก สำรวจโดยผู้ประเมินอิสระ"
                ),
                formula="(ผลรวมคะแนนความพึงพอใจ / (จำนวนผู้ตอบ × คะแนนเต็ม)) × 100",
                numerator="ผลรวมคะแนนความพึงพอใจของผู้ตอบแบบสำรวจทุกราย",
                denominator="จำนวนผู้ตอบแบบสำรวจ × คะแนนเต็มของแบบสำรวจ",
                conditions="ผลสำรวจของผู้ประเมินอิสระที่สำนักงาน ก.พ.ร. กำหนดเท่านั้นที่ใช้คิดคะแนน",
                baselines=("76.40", "78.20", "79.50"),
                data_source="รายงานผลการสำรวจความพึงพอใจของผู้ประเมินอิสระ",
                collection_method="ผู้ประเมินอิสระสำรวจด้วยแบบสอบถามและการสัมภาษณ์ผู้รับบริการ",
                rounds=(None, None, "ร้อยละ 80"),
                evidence="รายงานผลการสำรวจฉบับสมบูรณ์ และแผนปรับปรุงการให้บริการ",
                contact=SEC,
            ),
        ),
        KPISpec(
            "5", "(อ่านไม่ออกในเอกสารต้นฉบับ) ตัวชี้วัดที่ 5", "KPI 5 (not legible in the source deck)",
            "3.75", PSDG, **LEVEL, dimension=QUALITY,
            # Left as a draft: the deck does not say what this KPI is.
            review=TemplateState.DRAFT,
            template=template(
                criteria=milestone(
                    "แต่งตั้งผู้รับผิดชอบและจัดทำแผนดำเนินงาน",
                    "ดำเนินการตามแผนได้ไม่น้อยกว่าร้อยละ 50",
                    "ดำเนินการตามแผนได้ครบถ้วน",
                    "ติดตามและประเมินผลการดำเนินงาน",
                    "สรุปผลและนำข้อเสนอแนะไปปรับปรุงการดำเนินงาน",
                ),
                definition=_ILLEGIBLE,
                conditions=_ILLEGIBLE + " ต้องยืนยันชื่อตัวชี้วัดกับกลุ่มพัฒนาระบบบริหารก่อนเสนออนุมัติ",
                baselines=("0", "0", "0"),
                data_source="ยังไม่กำหนด (รอยืนยันตัวชี้วัด)",
                collection_method="ยังไม่กำหนด (รอยืนยันตัวชี้วัด)",
                rounds=("ขั้นตอนที่ 1", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="ยังไม่กำหนด (รอยืนยันตัวชี้วัด)",
                contact=PSDG,
            ),
        ),
        KPISpec(
            "6", "ระดับความสำเร็จของการดำเนินการตามมาตรการป้องกันและปราบปรามการทุจริต",
            "Level of success in carrying out the anti-corruption measures", "3.75", PER, **LEVEL,
            dimension=QUALITY,
            template=template(
                criteria=milestone(
                    "แต่งตั้งคณะทำงานและวิเคราะห์ความเสี่ยงต่อการทุจริตในกระบวนงานของกรม",
                    "จัดทำแผนปฏิบัติการป้องกันและปราบปรามการทุจริต ประจำปี พ.ศ. 2552 ที่อธิบดีให้ความเห็นชอบ",
                    "ดำเนินการตามแผนครบทุกโครงการ/กิจกรรม และเผยแพร่ช่องทางการร้องเรียนต่อสาธารณะ",
                    "ติดตามประเมินผลและรายงานผลการดำเนินการต่อผู้บริหารภายในเวลาที่กำหนด",
                    "นำผลการประเมินไปปรับปรุงแผนปี 2553 และจัดการเรื่องร้องเรียนแล้วเสร็จครบทุกเรื่อง",
                ),
                definition=(
                    "มาตรการป้องกันและปราบปรามการทุจริต หมายถึง มาตรการตามยุทธศาสตร์ชาติว่าด้วยการป้องกัน"
                    "และปราบปรามการทุจริตภาครัฐ ที่กรมนำมาจัดทำเป็นแผนปฏิบัติการประจำปี"
                ),
                conditions="เรื่องร้องเรียนนับเฉพาะที่รับเข้าระหว่าง 1 ตุลาคม 2551 ถึง 31 สิงหาคม 2552",
                baselines=("3", "4", "4"),
                data_source="ทะเบียนเรื่องร้องเรียนและรายงานผลการดำเนินการตามแผน กองการเจ้าหน้าที่",
                collection_method="กองการเจ้าหน้าที่รวบรวมผลจากหน่วยงานรายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="คำสั่งแต่งตั้ง ผลการวิเคราะห์ความเสี่ยง แผนปฏิบัติการ รายงานผล ทะเบียนเรื่องร้องเรียน",
                contact=PER,
            ),
        ),
        KPISpec(
            "7", "ระดับความสำเร็จของการเปิดเผยข้อมูลข่าวสารของราชการ",
            "Level of success in disclosing official information", "3.75", SEC, **LEVEL,
            dimension=QUALITY,
            # Left submitted by the KPI owner, so the planner can try returning or approving it.
            review=TemplateState.SUBMITTED,
            template=template(
                criteria=milestone(
                    "แต่งตั้งผู้รับผิดชอบและจัดตั้งศูนย์ข้อมูลข่าวสารตามพระราชบัญญัติข้อมูลข่าวสาร"
                    "ของราชการ พ.ศ. 2540",
                    "จัดให้มีข้อมูลข่าวสารตามมาตรา 7 และมาตรา 9 ครบถ้วน ณ ศูนย์ข้อมูลข่าวสารและบนเว็บไซต์"
                    "ของกรม",
                    "เผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือน (แบบ สขร.1) ครบทุกเดือน",
                    "ประชาสัมพันธ์ช่องทางการเข้าถึงข้อมูลข่าวสาร และให้บริการตามคำขอภายในเวลาที่กำหนด",
                    "สำรวจความพึงพอใจของผู้ใช้บริการศูนย์ข้อมูลข่าวสารและนำผลไปปรับปรุงการให้บริการ",
                ),
                definition=(
                    "การเปิดเผยข้อมูลข่าวสารของราชการตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 "
                    "เพื่อให้ประชาชนเข้าถึงข้อมูลของกรมอนามัยได้สะดวกและโปร่งใส"
                ),
                conditions="ขั้นตอนที่ 3 นับตั้งแต่เดือนตุลาคม 2551 ถึงเดือนสิงหาคม 2552",
                baselines=("3", "3", "4"),
                data_source="ทะเบียนศูนย์ข้อมูลข่าวสาร และเว็บไซต์กรมอนามัย",
                collection_method="สำนักงานเลขานุการกรมบันทึกคำขอและการเผยแพร่ สรุปรายเดือน",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 4", "ขั้นตอนที่ 5"),
                evidence="คำสั่งแต่งตั้ง ภาพศูนย์ข้อมูลข่าวสาร หน้าเว็บไซต์ แบบ สขร.1 ผลสำรวจความพึงพอใจ",
                contact=SEC,
            ),
        ),
        # Efficiency 20: five KPIs, the weights split evenly.
        KPISpec(
            "8", "ร้อยละของการเบิกจ่ายเงินงบประมาณรายจ่ายลงทุน",
            "Percentage of the investment budget disbursed", "4", FIN, **PERCENT,
            dimension=EFFICIENCY,
            template=template(
                criteria=outcome("72", "2"),
                definition="การเบิกจ่ายเงินงบประมาณรายจ่ายลงทุนของกรมอนามัยที่ได้รับจัดสรรในปี 2552",
                formula="(เงินงบลงทุนที่เบิกจ่าย / เงินงบลงทุนที่ได้รับจัดสรร) × 100",
                numerator="จำนวนเงินงบประมาณรายจ่ายลงทุนที่เบิกจ่ายในระบบ GFMIS ณ 30 กันยายน 2552",
                denominator="จำนวนเงินงบประมาณรายจ่ายลงทุนที่ได้รับจัดสรรหลังโอนเปลี่ยนแปลง",
                conditions="ไม่นับเงินกันไว้เบิกเหลื่อมปี",
                baselines=("65.30", "68.90", "70.40"),
                data_source="ระบบบริหารการเงินการคลังภาครัฐแบบอิเล็กทรอนิกส์ (GFMIS)",
                collection_method="กองคลังดึงรายงานจากระบบ GFMIS รายเดือน",
                rounds=("ร้อยละ 36", "ร้อยละ 54", "ร้อยละ 72"),
                evidence="รายงานผลการเบิกจ่ายจากระบบ GFMIS",
                contact=FIN,
            ),
        ),
        KPISpec(
            "9", "ระดับความสำเร็จของการพัฒนาระบบการตรวจสอบภายใน",
            "Level of success in developing internal audit", "4", IAG, **LEVEL,
            dimension=EFFICIENCY,
            template=template(
                criteria=milestone(
                    "ทบทวนกฎบัตรการตรวจสอบภายในและเสนออธิบดีอนุมัติ",
                    "ประเมินความเสี่ยงและจัดทำแผนการตรวจสอบภายในประจำปีแบบมุ่งเน้นความเสี่ยง",
                    "ปฏิบัติงานตรวจสอบตามแผนได้ครบถ้วน",
                    "รายงานผลการตรวจสอบและติดตามการแก้ไขตามข้อเสนอแนะ",
                    "ประเมินคุณภาพงานตรวจสอบภายในและจัดทำแผนพัฒนาระบบการตรวจสอบภายใน",
                ),
                definition=(
                    "การพัฒนาระบบการตรวจสอบภายในให้เป็นไปตามมาตรฐานการตรวจสอบภายในภาครัฐ "
                    "ของกระทรวงการคลัง และสนับสนุนระบบควบคุมภายในของกรม"
                ),
                conditions="แผนการตรวจสอบต้องครอบคลุมหน่วยงานที่มีความเสี่ยงสูงทุกหน่วย",
                baselines=("3", "4", "4"),
                data_source="แผนและรายงานผลการตรวจสอบของกลุ่มตรวจสอบภายใน",
                collection_method="กลุ่มตรวจสอบภายในสรุปผลการปฏิบัติงานรายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="กฎบัตร แผนการตรวจสอบ รายงานผลการตรวจสอบ รายงานการประเมินคุณภาพ",
                contact=IAG,
            ),
        ),
        KPISpec(
            "10", "ระดับความสำเร็จของการจัดทำต้นทุนต่อหน่วยผลผลิต",
            "Level of success in costing the unit cost of outputs", "4", FIN, **LEVEL,
            dimension=EFFICIENCY,
            template=template(
                criteria=milestone(
                    "แต่งตั้งคณะทำงานและจัดทำแผนการคำนวณต้นทุนต่อหน่วยผลผลิต",
                    "รวบรวมข้อมูลค่าใช้จ่ายจากระบบ GFMIS และปันส่วนต้นทุนทางตรงและทางอ้อมให้ผลผลิต",
                    "คำนวณต้นทุนต่อหน่วยผลผลิตปี 2552 และเปรียบเทียบกับปี 2551",
                    "วิเคราะห์สาเหตุการเปลี่ยนแปลงของต้นทุนและจัดทำแผนเพิ่มประสิทธิภาพ",
                    "รายงานผลต่อผู้บริหารและนำแผนเพิ่มประสิทธิภาพไปปฏิบัติ",
                ),
                definition=(
                    "ต้นทุนต่อหน่วยผลผลิต หมายถึง ค่าใช้จ่ายทั้งหมดที่ใช้ในการผลิตผลผลิตหนึ่งหน่วย "
                    "ตามหลักเกณฑ์ของกรมบัญชีกลาง"
                ),
                conditions="ใช้ข้อมูลค่าใช้จ่ายตามเกณฑ์คงค้างจากระบบ GFMIS",
                baselines=("3", "4", "5"),
                data_source="ระบบ GFMIS และรายงานต้นทุนของกองคลัง",
                collection_method="กองคลังคำนวณต้นทุนปีละครั้งหลังปิดบัญชี",
                rounds=("ขั้นตอนที่ 1", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="คำสั่งแต่งตั้ง ตารางคำนวณต้นทุน รายงานการวิเคราะห์ แผนเพิ่มประสิทธิภาพ",
                contact=FIN,
            ),
        ),
        KPISpec(
            "11", "ระดับความสำเร็จของการดำเนินการตามมาตรการประหยัดพลังงาน",
            "Level of success in carrying out the energy-saving measures", "4", SEC, **LEVEL,
            dimension=EFFICIENCY,
            template=template(
                criteria=hybrid(
                    ("แต่งตั้งคณะทำงานลดใช้พลังงานและจัดทำมาตรการประหยัดพลังงานของกรม",
                     "ประชาสัมพันธ์มาตรการและบันทึกปริมาณการใช้ไฟฟ้าและน้ำมันเชื้อเพลิงรายเดือน"),
                    ("5", "7.5", "10"),
                ),
                definition=(
                    "ระดับ 3-5 วัดจากร้อยละของปริมาณการใช้ไฟฟ้าที่ลดลงเมื่อเทียบกับค่าเฉลี่ยปีฐาน "
                    "(ปี 2549-2551) ของอาคารกรมอนามัย"
                ),
                formula="((ปริมาณการใช้ไฟฟ้าปีฐาน − ปริมาณการใช้ไฟฟ้าปี 2552) / ปริมาณปีฐาน) × 100",
                numerator="ปริมาณการใช้ไฟฟ้าที่ลดลง (กิโลวัตต์-ชั่วโมง)",
                denominator="ปริมาณการใช้ไฟฟ้าเฉลี่ยของปีฐาน (กิโลวัตต์-ชั่วโมง)",
                conditions="ต้องผ่านขั้นตอนที่ 1 และ 2 ก่อน จึงนำร้อยละที่ลดลงมาคิดคะแนนระดับ 3-5",
                baselines=("2.10", "3.40", "4.60"),
                data_source="ใบแจ้งหนี้ค่าไฟฟ้าและบันทึกการใช้น้ำมันเชื้อเพลิง",
                collection_method="สำนักงานเลขานุการกรมบันทึกข้อมูลรายเดือนในระบบ e-report ของกระทรวงพลังงาน",
                rounds=("ขั้นตอนที่ 2", "ลดลงร้อยละ 3", "ลดลงร้อยละ 5"),
                evidence="คำสั่งแต่งตั้ง มาตรการประหยัดพลังงาน ใบแจ้งหนี้ค่าไฟฟ้า รายงานสรุปผล",
                contact=SEC,
            ),
        ),
        KPISpec(
            # Slide 26 names ศกม. among the supporters of health impact assessment (issue 6).
            "13", "ระดับความสำเร็จของการดำเนินการตามแผนพัฒนากฎหมายของกรมอนามัย",
            "Level of success in carrying out the department's law-development plan", "4", LAW,
            **LEVEL, dimension=EFFICIENCY, strategic_issue=6, supporting=(doh_unit("CSHIA"),),
            template=template(
                criteria=milestone(
                    "ทบทวนกฎหมายในความรับผิดชอบของกรมและจัดทำแผนพัฒนากฎหมาย ปี 2552",
                    "ยกร่างกฎหมายลำดับรองตามแผน เช่น ประกาศกระทรวงภายใต้พระราชบัญญัติการสาธารณสุข "
                    "พ.ศ. 2535 และหลักเกณฑ์การประเมินผลกระทบต่อสุขภาพ",
                    "รับฟังความคิดเห็นจากผู้มีส่วนได้ส่วนเสียต่อร่างกฎหมาย",
                    "เสนอร่างกฎหมายต่อคณะกรรมการสาธารณสุขหรือผู้มีอำนาจพิจารณา",
                    "ร่างกฎหมายได้รับความเห็นชอบหรือประกาศใช้อย่างน้อย 1 ฉบับ และเผยแพร่ต่อเครือข่าย",
                ),
                definition=(
                    "แผนพัฒนากฎหมาย หมายถึง แผนการปรับปรุงและจัดทำกฎหมายที่กรมอนามัยรับผิดชอบ "
                    "ให้ทันสมัยและสอดคล้องกับรัฐธรรมนูญแห่งราชอาณาจักรไทย พ.ศ. 2550"
                ),
                conditions="นับเฉพาะร่างกฎหมายที่อยู่ในแผนพัฒนากฎหมายที่อธิบดีให้ความเห็นชอบ",
                baselines=("2", "3", "4"),
                data_source="ทะเบียนร่างกฎหมายและรายงานการประชุมของศูนย์กฎหมาย",
                collection_method="ศูนย์กฎหมายติดตามสถานะร่างกฎหมายรายเดือน",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="แผนพัฒนากฎหมาย ร่างกฎหมาย รายงานการรับฟังความคิดเห็น หนังสือเสนอ/ประกาศ",
                contact=LAW,
            ),
        ),
        # Development 20: PMQA (slide 15, DOMAIN.md §8).
        KPISpec(
            "14", "ความสำเร็จในการพัฒนาคุณภาพการบริหารจัดการภาครัฐ (PMQA)",
            "Success in developing public-sector management quality (PMQA)", "20", PSDG, **SCORE,
            dimension=DEVELOPMENT,
            template=template(
                criteria=COMPOSITE_CRITERIA,
                definition=(
                    "การพัฒนาองค์กรตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐระดับพื้นฐาน (Fundamental Level) "
                    "7 หมวด 52 ประเด็น ตามแนวทางของสำนักงาน ก.พ.ร."
                ),
                formula="ค่าคะแนนที่ได้ = (12 × คะแนน 14.1 + 4 × คะแนน 14.2 + 4 × คะแนน 14.3) / 20",
                conditions="คะแนนของตัวชี้วัดนี้คำนวณจากตัวชี้วัดย่อย 14.1-14.3 รวมน้ำหนักร้อยละ 20",
                baselines=("3.2500", "3.6800", "3.9500"),
                data_source="ผลการประเมินตัวชี้วัดย่อย 14.1-14.3",
                collection_method="กลุ่มพัฒนาระบบบริหารรวบรวมผลจากหน่วยงานเจ้าภาพหมวด",
                rounds=ROUNDS_BY_PARTS,
                evidence="ผลการประเมินและหลักฐานของตัวชี้วัดย่อยทุกตัว",
                contact=PSDG,
            ),
        ),
        KPISpec(
            "14.1", "ระดับความสำเร็จของการดำเนินการตามแผนพัฒนาองค์กร 2 หมวด",
            "Level of success in carrying out the organisational development plan for two "
            "categories", "12", PSDG, **PERCENT, composite="14",
            supporting=(PLAN, doh_unit("PER")),
            template=template(
                criteria=outcome("80", "5"),
                definition=(
                    "ประกอบด้วย (1) ร้อยละของจำนวนข้อที่ผ่านเกณฑ์คุณภาพ PMQA ขั้นพื้นฐานของหมวดที่เลือก "
                    "หมวดละ 4 คะแนน และ (2) ร้อยละเฉลี่ยถ่วงน้ำหนักของการบรรลุเป้าหมายผลลัพธ์ตามแผน"
                    "พัฒนาองค์กร 2 แผนงาน แผนละ 2 คะแนน รวม 12 คะแนน"
                ),
                formula="(4 × A1 + 4 × A2 + 2 × B1 + 2 × B2) / 12",
                numerator="ผลรวมถ่วงน้ำหนักของร้อยละข้อที่ผ่านเกณฑ์ (A1, A2) และร้อยละการบรรลุเป้าหมาย"
                          "ของแผน (B1, B2)",
                denominator="ผลรวมน้ำหนัก 12",
                conditions="หมวดที่เลือกต้องเป็นไปตามแผนพัฒนาองค์กรที่ส่งสำนักงาน ก.พ.ร. ภายในเดือนมกราคม 2552",
                baselines=("62.50", "70.80", "75.00"),
                data_source="รายงานการประเมินตนเองรายหมวด และรายงานผลตามแผนพัฒนาองค์กร",
                collection_method="เจ้าภาพหมวดรายงานผลต่อคณะกรรมการสนับสนุน PMQA รอบ 6, 9 และ 12 เดือน",
                rounds=("ร้อยละ 40", "ร้อยละ 60", "ร้อยละ 80"),
                evidence="แผนพัฒนาองค์กร รายงานผลตามแผน แบบประเมินตนเองรายหมวด",
                contact=PSDG,
            ),
        ),
        KPISpec(
            "14.2", "ระดับความสำเร็จของร้อยละเฉลี่ยถ่วงน้ำหนักในการบรรลุเป้าหมายความสำเร็จของผลลัพธ์"
                    "ตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐระดับพื้นฐาน (หมวด 7)",
            "Weighted average achievement of the category-7 results of the Fundamental Level",
            "4", PSDG, **PERCENT, composite="14",
            template=template(
                criteria=outcome("80", "10"),
                definition="ตัวชี้วัดผลลัพธ์การดำเนินการตามหมวด 7 (RM 1-RM 6) ของเกณฑ์ระดับพื้นฐาน",
                formula="Σ (น้ำหนักตัวชี้วัดหมวด 7 × ร้อยละการบรรลุเป้าหมาย) / Σ น้ำหนัก",
                numerator="ผลรวมของน้ำหนัก × ร้อยละการบรรลุเป้าหมายของตัวชี้วัดหมวด 7",
                denominator="ผลรวมน้ำหนักของตัวชี้วัดหมวด 7",
                conditions="ตัวชี้วัดหมวด 7 และค่าเป้าหมายกำหนดโดยคณะกรรมการอำนวยการ PMQA",
                baselines=("55.00", "63.40", "71.20"),
                data_source="รายงานผลลัพธ์หมวด 7 ของเจ้าภาพตัวชี้วัด",
                collection_method="กลุ่มพัฒนาระบบบริหารรวบรวมผลรายไตรมาส",
                rounds=(None, "ร้อยละ 60", "ร้อยละ 80"),
                evidence="ตารางผลลัพธ์หมวด 7 พร้อมหลักฐานของตัวชี้วัดแต่ละตัว",
                contact=PSDG,
            ),
        ),
        KPISpec(
            "14.3", "ระดับความสำเร็จเฉลี่ยถ่วงน้ำหนักของความครบถ้วนของการประเมินองค์กรด้วยตนเอง "
                    "(หมวด P และ 52 ประเด็น) และการจัดทำแผนพัฒนาองค์กร ปี 2553",
            "Completeness of the self-assessment (profile and 52 items) and of the 2553 "
            "improvement plans", "4", PSDG, **LEVEL, composite="14",
            template=template(
                criteria=milestone(
                    "จัดทำลักษณะสำคัญขององค์กร (หมวด P) ครบถ้วน",
                    "ประเมินองค์กรด้วยตนเองครบ 52 ประเด็นตามแนวทาง ADLI",
                    "ระบุโอกาสในการปรับปรุง (OFI) รายหมวดและจัดลำดับความสำคัญ",
                    "จัดทำแผนพัฒนาองค์กร ปี 2553 อีก 2 หมวด พร้อมตัวชี้วัดผลลัพธ์",
                    "ส่งรายงานการประเมินตนเองและแผนพัฒนาองค์กรแก่สำนักงาน ก.พ.ร. ภายในเวลาที่กำหนด",
                ),
                definition=(
                    "ความครบถ้วนของการประเมินองค์กรด้วยตนเองตามเกณฑ์ระดับพื้นฐาน และการจัดทำแผนพัฒนา"
                    "องค์กรปีถัดไปอีก 2 หมวด ตามแผนที่นำทาง (Roadmap) ปี 2552-2554"
                ),
                conditions="ใช้แบบฟอร์มการประเมินตนเองและแผนพัฒนาองค์กรของสำนักงาน ก.พ.ร.",
                baselines=("3", "4", "5"),
                data_source="รายงานการประเมินองค์กรด้วยตนเองและแผนพัฒนาองค์กร",
                collection_method="คณะกรรมการสนับสนุน PMQA รวบรวมจากเจ้าภาพหมวด",
                rounds=(None, "ขั้นตอนที่ 3", "ขั้นตอนที่ 5"),
                evidence="ลักษณะสำคัญขององค์กร รายงานการประเมินตนเอง 52 ประเด็น แผนพัฒนาองค์กร ปี 2553",
                contact=PSDG,
            ),
        ),
    ),
)
# fmt: on

FRAMEWORKS: tuple[FrameworkSpec, ...] = (MINISTRY, MISSION_GROUP, DEPARTMENT)


# --- Loading ---------------------------------------------------------------------------------------


@dataclass
class _Context:
    report: DemoReport
    fiscal_year: FiscalYear
    admin: User
    people: dict[str, User]
    organisations: dict[tuple[str, ...], Organisation] = field(default_factory=dict)
    kpis: dict[tuple[tuple[str, ...], str], KPI] = field(default_factory=dict)

    def organisation(self, key: tuple[str, ...]) -> Organisation:
        """The organisation governance/demo.py created under this key (codes from the root down)."""
        if key not in self.organisations:
            node = None
            for code in key:
                node = Organisation.objects.get(parent=node, code=code)
            self.organisations[key] = node
        return self.organisations[key]


@dataclass
class _DraftGuard:
    """Reopens a published framework once, before the first change, so the demo can be updated."""

    framework: Framework
    actor: User
    reopened: bool = False

    def ensure_draft(self) -> None:
        if self.framework.state == FrameworkState.PUBLISHED:
            self.framework = services.framework_act(
                actor=self.actor,
                framework=self.framework,
                action="reopen",
                comment=f"ปรับข้อมูลสาธิตให้ตรงกับรุ่นล่าสุด ({DEMO_COMMENT})",
            )
            self.reopened = True


def load(*, report: DemoReport) -> list[str]:
    """Create or bring up to date the FY 2552 KPI frameworks; returns notes for the command."""
    people = {
        u.username: u for u in User.objects.filter(username__in=["admin", "planner", "kpi_owner"])
    }
    context = _Context(
        report=report,
        fiscal_year=FiscalYear.objects.get(year=DEMO_YEAR),
        admin=people["admin"],
        people=people,
    )
    with transaction.atomic():
        frameworks = [_load_framework(context, spec) for spec in FRAMEWORKS]
    return _notes(frameworks)


def _load_framework(context: _Context, spec: FrameworkSpec) -> Framework:
    organisation = context.organisation(spec.organisation)
    framework = Framework.objects.filter(
        fiscal_year=context.fiscal_year, organisation=organisation
    ).first()
    created = framework is None
    if created:
        framework = services.framework_create(
            actor=context.admin,
            fiscal_year=context.fiscal_year,
            organisation=organisation,
            name_th=spec.name_th,
            name_en=spec.name_en,
        )
    else:
        services.framework_update(
            actor=context.admin, framework=framework, name_th=spec.name_th, name_en=spec.name_en
        )
    context.report.count("KPI frameworks", created)
    guard = _DraftGuard(framework, context.admin)
    # The OPDC default dimensions (45/15/20/20) are the deck's; restore them if changed by hand.
    _ensure_default_dimensions(guard)
    new_templates = []
    for order, kpi_spec in enumerate(spec.kpis, start=1):
        kpi, kpi_created = _ensure_kpi(context, guard, spec, kpi_spec, order * 10)
        template = _ensure_template(context, kpi_spec, kpi, kpi_created)
        if template is not None:
            new_templates.append((kpi_spec, template))
    # Reviewed once every KPI exists: a composite's template needs its sub-KPIs.
    for kpi_spec, template in new_templates:
        _review(context, spec, kpi_spec, template)
    if spec.publish and (created or guard.reopened):
        guard.framework = services.framework_act(
            actor=context.admin, framework=guard.framework, action="publish", comment=DEMO_COMMENT
        )
    return guard.framework


def _ensure_default_dimensions(guard: _DraftGuard) -> None:
    current = {d.number: d for d in guard.framework.dimensions.all()}
    rows = {
        number: {"name_th": th, "name_en": en, "weight": weight}
        for number, th, en, weight in DEFAULT_DIMENSIONS
        if (current[number].name_th, current[number].name_en, current[number].weight)
        != (th, en, weight)
    }
    if rows:
        guard.ensure_draft()
        services.dimensions_update(actor=guard.actor, framework=guard.framework, rows=rows)


def _kpi_values(
    context: _Context, framework: Framework, spec: FrameworkSpec, kpi_spec: KPISpec, order: int
) -> dict[str, Any]:
    composite = (
        context.kpis[(spec.organisation, kpi_spec.composite)] if kpi_spec.composite else None
    )
    issue = None
    if kpi_spec.strategic_issue is not None:
        issue = StrategicIssue.objects.get(
            organisation=context.organisation(spec.organisation),
            fiscal_year=context.fiscal_year,
            number=kpi_spec.strategic_issue,
        )
    return {
        "name_th": kpi_spec.name_th,
        "name_en": kpi_spec.name_en,
        "unit_th": kpi_spec.unit_th,
        "unit_en": kpi_spec.unit_en,
        # A sub-KPI sits in its composite's dimension.
        "dimension": (
            composite.dimension
            if composite
            else framework.dimensions.get(number=kpi_spec.dimension)
        ),
        "weight": D(kpi_spec.weight),
        "composite_parent": composite,
        "parent_kpi": context.kpis[kpi_spec.cascaded_from] if kpi_spec.cascaded_from else None,
        "owner": context.organisation(kpi_spec.owner),
        "strategic_issue": issue,
        "order": order,
    }


def _differs(row: KPI, name: str, value: Any) -> bool:
    field_ = KPI._meta.get_field(name)
    if field_.is_relation:
        return getattr(row, field_.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def _ensure_kpi(
    context: _Context, guard: _DraftGuard, spec: FrameworkSpec, kpi_spec: KPISpec, order: int
) -> tuple[KPI, bool]:
    values = _kpi_values(context, guard.framework, spec, kpi_spec, order)
    supporting = [context.organisation(key) for key in kpi_spec.supporting]
    kpi = guard.framework.kpis.filter(code=kpi_spec.code).first()
    created = kpi is None
    if created:
        guard.ensure_draft()
        kpi = services.kpi_create(
            actor=context.admin,
            framework=guard.framework,
            code=kpi_spec.code,
            supporting_units=supporting,
            **values,
        )
    else:
        changed = {name: value for name, value in values.items() if _differs(kpi, name, value)}
        units_changed = set(kpi.supporting_units.values_list("pk", flat=True)) != {
            unit.pk for unit in supporting
        }
        if changed or units_changed:
            guard.ensure_draft()
            kpi = services.kpi_update(
                actor=context.admin,
                kpi=KPI.objects.get(pk=kpi.pk),
                supporting_units=supporting if units_changed else None,
                **changed,
            )
    context.report.count("KPIs", created)
    context.kpis[(spec.organisation, kpi_spec.code)] = kpi
    return kpi, created


def _ensure_template(
    context: _Context, kpi_spec: KPISpec, kpi: KPI, kpi_created: bool
) -> KPITemplate | None:
    """Fill the first revision of a KPI the loader has just created; None for an existing KPI.

    Afterwards a template is its KPI owner's work: `make run` loads the demo at every start, and
    must not overwrite what a demo user typed or undo a review they made.
    """
    context.report.count("KPI templates", kpi_created)
    if not kpi_created:
        return None
    return services.template_save(
        actor=context.admin, template=kpi.templates.get(revision=1), **kpi_spec.template
    )


def _review(
    context: _Context, spec: FrameworkSpec, kpi_spec: KPISpec, template: KPITemplate
) -> None:
    """Take a new revision as far as the spec says: submitted by its owner, approved by the reviewer."""
    if kpi_spec.review == TemplateState.DRAFT:
        return
    # The demo KPI owner sits in the Office of the Secretary; other units' templates are sent by
    # the administrator on their behalf.
    owner = context.people["kpi_owner"]
    submitter = owner if owner.has_perm("kpis.edit_template", template) else context.admin
    template = services.template_act(
        actor=submitter,
        template=template,
        action="submit",
        comment=f"ส่งรายละเอียดตัวชี้วัดให้พิจารณา ({DEMO_COMMENT})",
    )
    if kpi_spec.review == TemplateState.APPROVED:
        services.template_act(
            actor=context.people[spec.reviewer],
            template=template,
            action="approve",
            comment=f"เห็นชอบรายละเอียดตัวชี้วัด ({DEMO_COMMENT})",
        )


def _notes(frameworks: list[Framework]) -> list[str]:
    notes = [
        "KPI frameworks FY 2552 are ILLUSTRATIVE: KPIs and weights from slides 8, 9, 15 and 35 of "
        "the deck; missing weights, thresholds, template texts, baselines and contacts are invented.",
    ]
    for framework in frameworks:
        reconciliation = services.framework_reconciliation(framework)
        weights = "/".join(_plain(b.weight) for b in reconciliation.dimensions)
        balance = "weights reconcile" if reconciliation.ok else "weights do not reconcile"
        notes.append(
            f"{framework.organisation.name_en}: {framework.state}, dimensions "
            f"{weights}, {framework.kpis.count()} KPIs, {balance}."
        )
    department = frameworks[-1]
    pending = [
        f"{kpi.code} ({template.state})"
        for kpi in sorted(department.kpis.all(), key=lambda k: code_sort_key(k.code))
        if (template := kpi.templates.order_by("-revision").first()).state != TemplateState.APPROVED
    ]
    if pending:
        notes.append(
            "Department of Health templates left for the review workflow: "
            + ", ".join(pending)
            + " (log in as planner to complete or review them)."
        )
    notes.append(
        "The ministry and mission-group frameworks are loaded as drafts: the deck shows only "
        "some of their KPIs, so their weights cannot total 100."
    )
    return notes


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
