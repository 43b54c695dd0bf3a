"""agreements.diff: per-KPI changes between two versions' annex rows, without a database."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.translation import override

from agreements.diff import (
    EMPTY,
    ChangeKind,
    FieldChange,
    annex_diff,
    format_number,
    snapshot_rows,
)

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def kpi(code: str, **fields) -> dict:
    row = {
        "code": code,
        "name_th": f"ตัวชี้วัด {code}",
        "name_en": f"KPI {code}",
        "unit_th": "ร้อยละ",
        "unit_en": "percent",
        "dimension_number": 1,
        "dimension_weight": D("45.0000"),
        "weight": D("25.0000"),
        "composite_code": "",
        "criteria_type": "outcome",
        "higher_is_better": True,
        "step_count": 0,
        "target": D("65.0000"),
        "threshold_1": D("55.0000"),
        "threshold_2": D("60.0000"),
        "threshold_3": D("65.0000"),
        "threshold_4": D("70.0000"),
        "threshold_5": D("75.0000"),
        "step_1": "",
        "step_2": "",
        "step_3": "",
        "step_4": "",
        "step_5": "",
    }
    return row | fields


def test_identical_annexes_have_no_changes():
    assert annex_diff([kpi("1.1"), kpi("1.2")], [kpi("1.2"), kpi("1.1")]) == []


def test_a_changed_weight_and_threshold_are_listed_with_old_and_new_values():
    changes = annex_diff([kpi("1.1")], [kpi("1.1", weight=D(30), threshold_3=D("67.5"))])

    assert len(changes) == 1
    change = changes[0]
    assert (change.code, change.kind, change.name) == ("1.1", ChangeKind.CHANGED, "KPI 1.1")
    assert change.fields == (
        FieldChange("weight", change.fields[0].label, D(25), D(30)),
        FieldChange("threshold_3", change.fields[1].label, D(65), D("67.5")),
    )
    assert [str(f) for f in change.fields] == ["weight: 25 → 30", "level 3: 65 → 67.5"]
    assert change.field("weight").new_display == "30"
    assert change.field("target") is None


def test_added_and_removed_kpis_are_named():
    changes = annex_diff([kpi("1.1"), kpi("2.1")], [kpi("1.1"), kpi("3.1")])
    assert [(c.code, c.kind, str(c.kind_label), c.name_th) for c in changes] == [
        ("2.1", ChangeKind.REMOVED, "Removed", "ตัวชี้วัด 2.1"),
        ("3.1", ChangeKind.ADDED, "Added", "ตัวชี้วัด 3.1"),
    ]
    assert all(c.fields == () for c in changes)


def test_changes_come_in_the_order_people_read_kpi_codes():
    old = [kpi(code) for code in ("1.2", "1.10", "2")]
    new = [kpi(code, weight=D(1)) for code in ("2", "1.10", "1.2")]
    assert [c.code for c in annex_diff(old, new)] == ["1.2", "1.10", "2"]


def test_a_weight_stored_with_trailing_zeros_equals_the_same_weight_typed_without():
    assert annex_diff([kpi("1.1", weight=D("25.0000"))], [kpi("1.1", weight=D("25"))]) == []
    assert annex_diff([kpi("1.1", weight="25")], [kpi("1.1", weight=D("25.00"))]) == []


def test_whitespace_around_wording_is_not_a_change():
    assert annex_diff([kpi("1.1", step_1="ขั้นที่ 1")], [kpi("1.1", step_1="ขั้นที่ 1 ")]) == []


def test_values_are_shown_in_words_empty_yes_no_and_criteria_labels():
    changes = annex_diff(
        [kpi("1.1", target=None, higher_is_better=True, criteria_type="outcome", step_2="")],
        [kpi("1.1", target=D(70), higher_is_better=False, criteria_type="hybrid", step_2="อบรม")],
    )
    assert [str(f) for f in changes[0].fields] == [
        "criteria type: Outcome (thresholds) → Steps then outcome",
        "higher is better: yes → no",
        f"target: {EMPTY} → 70",
        f"step of level 2: {EMPTY} → อบรม",
    ]


def test_a_kpi_moved_to_another_dimension_shows_the_dimension():
    changes = annex_diff([kpi("1.1")], [kpi("1.1", dimension_number=2, dimension_weight=D(15))])
    assert [str(f) for f in changes[0].fields] == ["dimension: 1 → 2", "dimension weight: 45 → 15"]


def test_rows_may_be_objects_with_attributes():
    old = SimpleNamespace(**kpi("1.1"))
    new = SimpleNamespace(**kpi("1.1", name_th="ชื่อใหม่"))
    changes = annex_diff([old], [new])
    assert [str(f) for f in changes[0].fields] == ["name (Thai): ตัวชี้วัด 1.1 → ชื่อใหม่"]
    assert changes[0].name_th == "ชื่อใหม่"


def test_the_name_follows_the_language():
    change = annex_diff([kpi("1.1")], [kpi("1.1", weight=D(1))])[0]
    with override("th"):
        assert change.name == "ตัวชี้วัด 1.1"
    assert change.name == "KPI 1.1"


def test_snapshot_rows_compare_equal_to_the_rows_they_were_taken_from():
    content = {
        "kpis": [
            {
                "code": "1.1",
                "name_th": "ตัวชี้วัด 1.1",
                "name_en": "KPI 1.1",
                "unit_th": "ร้อยละ",
                "unit_en": "percent",
                "dimension": 1,
                "dimension_name_th": "มิติด้านประสิทธิผล",
                "dimension_name_en": "Effectiveness",
                "dimension_weight": "45",
                "weight": "25",
                "composite": "",
                "criteria_type": "outcome",
                "higher_is_better": True,
                "step_count": 0,
                "target": "65",
                "thresholds": ["55", "60", "65", "70", "75"],
                "steps": ["", "", "", "", ""],
            }
        ]
    }
    assert annex_diff(snapshot_rows(content), [kpi("1.1")]) == []
    assert [
        str(f) for f in annex_diff(snapshot_rows(content), [kpi("1.1", weight=D(20))])[0].fields
    ] == ["weight: 25 → 20"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("25.0000"), "25"),
        (D("62.50"), "62.5"),
        (D("100"), "100"),
        (D("1E+2"), "100"),
        (None, EMPTY),
    ],
)
def test_format_number_drops_trailing_zeros(value, text):
    assert format_number(value) == text
