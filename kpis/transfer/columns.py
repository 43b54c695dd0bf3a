"""The layout both directions share: the sheets, the columns and the words a cell may hold.

Headers are written in the user's language and recognised in Thai or English by their text, so an
exported file can be edited and brought back.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from kpis.enums import CriteriaType
from kpis.scoring import LEVEL_COUNT

KPI_SHEET, DIMENSION_SHEET = "KPIs", "Dimensions"
LEVELS = range(1, LEVEL_COUNT + 1)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy: the header in the user's language
    thai: str  # recognised whatever the Thai catalogue says, so Thai files import today
    width: int = 10
    required: bool = False
    wrap: bool = False


# A lazy "Level 3": the header is translated when written, not when this module is imported.
_level_label = lazy(lambda level: _("Level %(level)s") % {"level": level}, str)

KPI_COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"), "รหัส", 8, required=True),
    Column(
        "name_th", gettext_lazy("Name (Thai)"), "ชื่อตัวชี้วัด (ภาษาไทย)", 45, required=True, wrap=True
    ),
    Column("name_en", gettext_lazy("Name (English)"), "ชื่อตัวชี้วัด (ภาษาอังกฤษ)", 35, wrap=True),
    Column("unit_th", gettext_lazy("Unit (Thai)"), "หน่วยวัด (ภาษาไทย)", 12),
    Column("unit_en", gettext_lazy("Unit (English)"), "หน่วยวัด (ภาษาอังกฤษ)", 12),
    Column("dimension", gettext_lazy("Dimension (number)"), "มิติ (ลำดับ)", 9, required=True),
    Column("weight", gettext_lazy("Weight"), "น้ำหนัก", 9, required=True),
    Column(
        "composite_parent", gettext_lazy("Part of composite KPI (code)"), "เป็นตัวชี้วัดย่อยของ (รหัส)", 12
    ),
    Column("parent_kpi", gettext_lazy("Cascaded from KPI (code)"), "ถ่ายทอดจากตัวชี้วัด (รหัส)", 12),
    Column(
        "parent_organisation",
        gettext_lazy("Organisation of the cascaded-from KPI (code)"),
        "หน่วยงานของตัวชี้วัดที่ถ่ายทอด (รหัส)",
        14,
    ),
    Column("owner", gettext_lazy("Owner unit (code)"), "หน่วยงานเจ้าภาพ (รหัส)", 12, required=True),
    Column(
        "supporting_units",
        gettext_lazy("Supporting units (codes, comma separated)"),
        "หน่วยงานสนับสนุน (รหัส คั่นด้วยจุลภาค)",
        16,
    ),
    Column(
        "strategic_issue", gettext_lazy("Strategic issue (number)"), "ประเด็นยุทธศาสตร์ (ลำดับ)", 10
    ),
    Column("criteria_type", gettext_lazy("Criteria type"), "ประเภทเกณฑ์", 18),
    Column("direction", gettext_lazy("Direction"), "ทิศทาง", 14),
    Column("step_count", gettext_lazy("Number of steps"), "จำนวนขั้นตอน", 8),
    *(
        Column(
            f"threshold_{level}",
            _level_label(level),
            f"ระดับ {level}",
            8,
        )
        for level in LEVELS
    ),
)
DIMENSION_COLUMNS: tuple[Column, ...] = (
    Column("number", gettext_lazy("Number"), "ลำดับ", 8),
    Column("name_th", gettext_lazy("Name (Thai)"), "ชื่อมิติ (ภาษาไทย)", 35),
    Column("name_en", gettext_lazy("Name (English)"), "ชื่อมิติ (ภาษาอังกฤษ)", 30),
    Column("weight", gettext_lazy("Weight"), "น้ำหนัก", 9),
)

HIGHER, LOWER = gettext_lazy("Higher is better"), gettext_lazy("Lower is better")
CRITERIA_ALIASES = {
    CriteriaType.MILESTONE: ("ขั้นตอน", "เชิงขั้นตอน", "milestone", "steps"),
    CriteriaType.OUTCOME: ("ผลลัพธ์", "เชิงผลลัพธ์", "outcome"),
    CriteriaType.HYBRID: ("ขั้นตอน + ผลลัพธ์", "ขั้นตอนและผลลัพธ์", "hybrid", "steps + outcome"),
    CriteriaType.COMPOSITE: ("ตัวชี้วัดย่อย", "รวมตัวชี้วัดย่อย", "composite"),
}
DIRECTION_ALIASES = {True: ("ยิ่งมากยิ่งดี", "higher", "มาก"), False: ("ยิ่งน้อยยิ่งดี", "lower", "น้อย")}


def _both_languages(text) -> set[str]:
    found = set()
    for language in ("th", "en"):
        with override(language):
            found.add(str(text))
    return found


def header_key(text: str) -> str:
    """How headers are compared: case, spaces and a trailing * or : do not matter."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip("*:").strip().casefold()


def choice_key(text: str) -> str:
    """How criteria types and directions are compared: case and spaces do not matter."""
    return re.sub(r"\s+", "", str(text)).casefold()


def header_names() -> dict[str, str]:
    """Column keys by every text that names them: the key, the Thai header, both translations."""
    names = {}
    for column in KPI_COLUMNS:
        for text in {column.key, column.thai, *_both_languages(column.label)}:
            names[header_key(text)] = column.key
    return names


def choice_names() -> tuple[dict[str, str], dict[str, bool]]:
    """Criteria types and directions (higher is better) by every text that names them."""
    kinds = {}
    for kind in CriteriaType:
        for text in {kind.value, *CRITERIA_ALIASES[kind], *_both_languages(kind.label)}:
            kinds[choice_key(text)] = kind.value
    directions = {}
    for value, label in ((True, HIGHER), (False, LOWER)):
        for text in {*DIRECTION_ALIASES[value], *_both_languages(label)}:
            directions[choice_key(text)] = value
    return kinds, directions
