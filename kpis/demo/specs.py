"""How the demo KPI frameworks are written down: organisation keys, contacts, criteria, templates.

Phone numbers use the unallocated Bangkok range 0 2000 xxxx, so they reach nobody.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from governance.demo import DOH, HSSUP, MOPH, PHDEV, doh_unit
from kpis import scoring, services
from kpis.enums import CriteriaType, TemplateState

D = Decimal
OUTCOME, MILESTONE = CriteriaType.OUTCOME, CriteriaType.MILESTONE
HYBRID, COMPOSITE = CriteriaType.HYBRID, CriteriaType.COMPOSITE

# Organisations by their key in governance.demo.
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
# "doh_admin" (governance.demo) collect the data of their own units.
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
