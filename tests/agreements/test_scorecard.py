"""The e-SAR card's arithmetic (agreements.scorecard): pure, no database.

The worked examples are the framework of tests/agreements/conftest.py: 1.1 outcome 55-75 (25%),
1.2 five milestones (20%), 2.1 lower is better 30-10 (15%), 3.1 outcome (20%) and 4.1 two steps
then thresholds 80/85/90 (20%). Every expected number is worked out by hand in the comments.
"""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.scorecard import Card, Entry, Row, Subtotal, compute, fingerprint
from kpis import scoring
from kpis.criteria import Criteria
from kpis.enums import CriteriaType

D = Decimal
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

OUTCOME = Criteria(CriteriaType.OUTCOME, True, 0, (D(55), D(60), D(65), D(70), D(75)))
LOWER_IS_BETTER = Criteria(CriteriaType.OUTCOME, False, 0, (D(30), D(25), D(20), D(15), D(10)))
MILESTONE = Criteria(CriteriaType.MILESTONE, True, 0, (None,) * 5)
HYBRID = Criteria(CriteriaType.HYBRID, True, 2, (None, None, D(80), D(85), D(90)))
COMPOSITE = Criteria(CriteriaType.COMPOSITE, True, 0, (None,) * 5)


def row(key, code, dimension, weight, criteria, value=None, steps=(), **kwargs) -> Row:
    """A reported row whose entry is `value`/`steps` (pass entered=None for nothing entered)."""
    kwargs.setdefault("entered", Entry(None if value is None else D(value), tuple(steps)))
    return Row(
        key=key, code=code, dimension=dimension, weight=D(weight), criteria=criteria, **kwargs
    )


def framework_rows() -> list[Row]:
    return [
        row(1, "1.1", 1, 25, OUTCOME, "67"),  # 3 + 2/5 = 3.4000
        row(2, "1.2", 1, 20, MILESTONE, steps=(True, True, False, True, False)),  # 2.0000
        row(3, "2.1", 2, 15, LOWER_IS_BETTER, "17.5"),  # 3 + 2.5/5 = 3.5000
        row(4, "3.1", 3, 20, OUTCOME, "63.3"),  # 2 + 3.3/5 = 2.6600
        row(5, "4.1", 4, 20, HYBRID, "82.5", steps=(True, True)),  # 3 + 2.5/5 = 3.5000
    ]


def verified(rows: list[Row], **values) -> list[Row]:
    """Every row verified as entered, except the keys given ("k1": Entry(...))."""
    return [replace(r, verified=values.get(f"k{r.key}", r.entered)) for r in rows]


def composite_rows(**reported: bool) -> list[Row]:
    """1.1 (80%) and the composite 14 (20%) of 14.1/14.2/14.3 weighted 12/4/4."""
    flags = {code: reported.get(code.replace(".", "_"), True) for code in ("14.1", "14.2", "14.3")}
    return [
        row(1, "1.1", 1, 80, OUTCOME, "67"),  # 3.4000
        row(10, "14", 4, 20, COMPOSITE, entered=None),
        row(11, "14.1", 4, 12, OUTCOME, "67", composite_code="14", reported=flags["14.1"]),
        row(
            12,
            "14.2",
            4,
            4,
            MILESTONE,
            steps=(True,) * 5,
            composite_code="14",
            reported=flags["14.2"],
        ),
        # Short of level 1: the floor, 1.0000.
        row(13, "14.3", 4, 4, OUTCOME, "50", composite_code="14", reported=flags["14.3"]),
    ]


# --- One line per criteria type -------------------------------------------------------------------


def test_each_criteria_type_scores_its_line_as_the_engine_does():
    card = compute(framework_rows())

    assert {key: line.self_score for key, line in card.lines.items()} == {
        1: D("3.4000"),
        2: D("2.0000"),
        3: D("3.5000"),
        4: D("2.6600"),
        5: D("3.5000"),
    }


def test_weighted_column_is_score_times_weight_over_100():
    card = compute(framework_rows())

    # 3.4×25/100, 2×20/100, 3.5×15/100, 2.66×20/100, 3.5×20/100.
    assert {key: line.self_weighted for key, line in card.lines.items()} == {
        1: D("0.8500"),
        2: D("0.4000"),
        3: D("0.5250"),
        4: D("0.5320"),
        5: D("0.7000"),
    }


def test_every_weight_reported_keeps_the_agreed_weights():
    card = compute(framework_rows())

    assert [line.weight for line in card.lines.values()] == [D(25), D(20), D(15), D(20), D(20)]
    assert all(line.reported for line in card.lines.values())


def test_subtotals_and_total_are_weighted_means_of_the_rounded_scores():
    card = compute(framework_rows())

    assert card.dimensions == {
        # (25×3.4 + 20×2) / 45 = 125/45 = 2.77777… → 2.7778
        1: Subtotal(number=1, weight=D(45), self_subtotal=D("2.7778")),
        2: Subtotal(number=2, weight=D(15), self_subtotal=D("3.5000")),
        3: Subtotal(number=3, weight=D(20), self_subtotal=D("2.6600")),
        4: Subtotal(number=4, weight=D(20), self_subtotal=D("3.5000")),
    }
    # (85 + 40 + 52.5 + 53.2 + 70) / 100 = 3.007
    assert card.self_total == D("3.0070")
    assert card.self_total == sum(line.self_weighted for line in card.lines.values())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", "5.0000"), ("8", "5.0000"), ("30", "1.0000"), ("35", "1.0000"), ("22", "2.6000")],
)
def test_lower_is_better_mirrors_the_thresholds(value, expected):
    card = compute([row(1, "2.1", 2, 15, LOWER_IS_BETTER, value)])

    assert card.lines[1].self_score == D(expected)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), "1.0000"),  # nothing done: the floor
        ((True,), "1.0000"),
        ((True, True, True, False, True), "3.0000"),  # a later step alone earns nothing
        ((True,) * 5, "5.0000"),
    ],
)
def test_milestone_line_is_the_highest_level_with_every_lower_step_done(steps, expected):
    card = compute([row(1, "1.2", 1, 20, MILESTONE, steps=steps)])

    assert card.lines[1].self_score == D(expected)


@pytest.mark.parametrize(
    ("value", "steps", "expected"),
    [
        (None, (True, False), "1.0000"),  # the steps score as milestones until both are done
        ("95", (False, True), "1.0000"),
        ("75", (True, True), "2.0000"),  # both steps, short of T3: level 2
        ("80", (True, True), "3.0000"),
        ("87", (True, True), "4.4000"),
        ("90", (True, True), "5.0000"),
    ],
)
def test_hybrid_line_counts_the_outcome_only_once_every_step_is_done(value, steps, expected):
    card = compute([row(1, "4.1", 4, 20, HYBRID, value, steps=steps)])

    assert card.lines[1].self_score == D(expected)


def test_line_level_follows_the_verified_score_else_the_self_assessed_one():
    rows = verified(framework_rows(), k1=Entry(D(70)))
    rows[1] = replace(rows[1], verified=None)

    card = compute(rows)

    assert card.lines[1].level == 4  # verified 4.0000, self-assessed 3.4000
    assert card.lines[2].level == 2  # not verified: the self-assessed 2.0000


def test_a_floor_of_zero_reaches_level_zero():
    zero_floor = replace(OUTCOME, floor=D(0))

    card = compute([row(1, "1.1", 1, 25, zero_floor, "40")])

    assert (card.lines[1].self_score, card.lines[1].level) == (D("0.0000"), 0)


# --- Composite KPIs ------------------------------------------------------------------------------


def test_composite_kpi_is_the_weighted_mean_of_its_sub_kpis():
    card = compute(composite_rows())

    composite = card.lines[10]
    # (12×3.4 + 4×5 + 4×1) / 20 = 64.8/20
    assert composite.self_score == D("3.2400")
    assert composite.weight == D(20)
    assert composite.self_weighted == D("0.6480")
    # (80×3.4 + 20×3.24) / 100 = 336.8/100
    assert card.self_total == D("3.3680")


def test_sub_kpi_lines_show_their_weight_within_the_composite_and_no_weighted_score():
    card = compute(composite_rows())

    assert [
        (card.lines[key].weight, card.lines[key].self_score, card.lines[key].self_weighted)
        for key in (11, 12, 13)
    ] == [(D(12), D("3.4000"), None), (D(4), D("5.0000"), None), (D(4), D("1.0000"), None)]


def test_composite_kpi_subtotal_counts_in_its_own_dimension_only():
    card = compute(composite_rows())

    assert sorted(card.dimensions) == [1, 4]
    assert card.dimensions[4] == Subtotal(number=4, weight=D(20), self_subtotal=D("3.2400"))


def test_sub_kpi_not_reported_gives_its_weight_to_the_other_sub_kpis():
    card = compute(composite_rows(**{"14_2": False}))

    expected = scoring.renormalised_weights({11: D(12), 12: D(4), 13: D(4)}, [11, 13])
    assert expected == {11: D(15), 13: D(5)}
    assert (card.lines[11].weight, card.lines[13].weight) == (D(15), D(5))
    skipped = card.lines[12]
    assert (skipped.weight, skipped.reported, skipped.self_score) == (D(0), False, None)
    # (15×3.4 + 5×1) / 20 = 56/20
    assert card.lines[10].self_score == D("2.8000")
    # (80×3.4 + 20×2.8) / 100 = 328/100
    assert card.self_total == D("3.2800")


def test_composite_with_no_sub_kpi_reported_drops_out_and_its_weight_is_shared():
    card = compute(composite_rows(**{"14_1": False, "14_2": False, "14_3": False}))

    composite = card.lines[10]
    assert (composite.weight, composite.reported, composite.self_score) == (D(0), False, None)
    assert card.lines[1].weight == D(100)
    assert card.self_total == D("3.4000")


def test_composite_without_a_score_for_a_sub_kpi_has_no_score_and_no_total():
    rows = composite_rows()
    rows[3] = replace(rows[3], entered=None)  # 14.2: nothing entered yet

    card = compute(rows)

    assert card.lines[10].self_score is None
    assert card.lines[10].self_weighted is None
    assert card.dimensions[4].self_subtotal is None
    assert card.dimensions[1].self_subtotal == D("3.4000")
    assert card.self_total is None


# --- KPIs not reported in the round --------------------------------------------------------------


def test_kpi_not_reported_shares_its_weight_among_the_others():
    rows = framework_rows()
    rows[3] = replace(rows[3], reported=False)  # 3.1 is cancelled from this round

    card = compute(rows)

    weights = {r.key: r.weight for r in rows}
    shown = {key: line.weight for key, line in card.lines.items() if line.reported}
    assert shown == scoring.renormalised_weights(weights, [1, 2, 3, 5])
    # Each weight × 100/80.
    assert shown == {1: D("31.2500"), 2: D(25), 3: D("18.7500"), 5: D(25)}
    skipped = card.lines[4]
    assert (skipped.weight, skipped.reported, skipped.self_score, skipped.self_weighted) == (
        D(0),
        False,
        None,
        None,
    )
    # Σ w×s / Σ w over the rest: (25×3.4 + 20×2 + 15×3.5 + 20×3.5) / 80 = 247.5/80 = 3.09375.
    assert card.self_total == D("3.0938")
    assert card.self_total == scoring.weighted_score(
        [(weight, card.lines[key].self_score) for key, weight in shown.items()]
    )


def test_renormalised_weights_that_do_not_divide_evenly_are_shown_rounded():
    rows = framework_rows()
    rows[2] = replace(rows[2], reported=False)  # 2.1 (15%) starts in a later round

    card = compute(rows)

    # 25×100/85 = 29.41176…, 20×100/85 = 23.52941…
    assert [card.lines[key].weight for key in (1, 2, 4, 5)] == [
        D("29.4118"),
        D("23.5294"),
        D("23.5294"),
        D("23.5294"),
    ]
    expected = scoring.weighted_score(
        [(card.lines[key].weight, card.lines[key].self_score) for key in (1, 2, 4, 5)]
    )
    assert card.self_total == expected


def test_dimension_wholly_not_reported_has_no_subtotal_and_no_weight():
    rows = framework_rows()
    rows[3] = replace(rows[3], reported=False)  # 3.1 is dimension 3's only KPI

    card = compute(rows)

    assert card.dimensions[3] == Subtotal(number=3, weight=D(0))
    assert card.dimensions[1].weight == D("56.2500")
    assert card.self_total == D("3.0938")


def test_nothing_reported_gives_an_empty_card_without_totals():
    rows = [replace(r, reported=False) for r in framework_rows()]

    card = compute(rows)

    assert all(not line.reported and line.weight == 0 for line in card.lines.values())
    assert (card.self_total, card.verified_total) == (None, None)


def test_kpi_with_no_weight_counts_as_not_reported():
    rows = [*framework_rows(), row(6, "5.1", 4, 0, OUTCOME, "70")]

    card = compute(rows)

    assert (card.lines[6].weight, card.lines[6].reported) == (D(0), False)
    assert card.self_total == D("3.0070")


# --- Totals absent --------------------------------------------------------------------------------


def test_no_total_while_a_reported_kpi_has_nothing_entered():
    rows = framework_rows()
    rows[1] = replace(rows[1], entered=None)  # 1.2: nothing entered

    card = compute(rows)

    assert card.lines[2].self_score is None
    assert card.dimensions[1].self_subtotal is None
    assert card.dimensions[2].self_subtotal == D("3.5000")
    assert card.self_total is None


def test_no_total_while_an_outcome_kpi_has_no_number():
    rows = framework_rows()
    rows[0] = replace(rows[0], entered=Entry(None))

    card = compute(rows)

    assert card.lines[1].self_score is None
    assert card.self_total is None


def test_kpi_not_reported_needs_no_entry_for_the_total():
    rows = framework_rows()
    rows[3] = replace(rows[3], reported=False, entered=None)

    assert compute(rows).self_total == D("3.0938")


def test_criteria_that_cannot_be_scored_give_no_score_instead_of_failing():
    broken = Criteria(CriteriaType.OUTCOME, True, 0, (D(55), D(60), D(60), D(70), D(75)))

    card = compute([row(1, "1.1", 1, 25, broken, "67"), row(2, "3.1", 3, 20, OUTCOME, "70")])

    assert card.lines[1].self_score is None
    assert card.self_total is None


# --- The verified column --------------------------------------------------------------------------


def test_verified_column_scores_the_verified_entries():
    rows = verified(framework_rows(), k1=Entry(D(70)))  # 1.1 adjusted from 67 to 70

    card = compute(rows)

    assert card.lines[1].self_score == D("3.4000")
    assert card.lines[1].verified_score == D("4.0000")
    assert card.lines[1].verified_weighted == D("1.0000")
    # (25×4 + 40 + 52.5 + 53.2 + 70) / 100 = 315.7/100
    assert card.verified_total == D("3.1570")
    assert card.self_total == D("3.0070")
    assert card.dimensions[1] == Subtotal(
        number=1, weight=D(45), self_subtotal=D("2.7778"), verified_subtotal=D("3.1111")
    )


def test_verified_total_waits_for_every_reported_kpi_to_be_verified():
    rows = verified(framework_rows())
    rows[4] = replace(rows[4], verified=None)

    card = compute(rows)

    assert card.lines[5].verified_score is None
    assert card.dimensions[4].verified_subtotal is None
    assert card.verified_total is None
    assert card.self_total == D("3.0070")


def test_nothing_verified_leaves_the_verified_column_empty():
    card = compute(framework_rows())

    assert all(line.verified_score is None for line in card.lines.values())
    assert card.verified_total is None


def test_verified_composite_uses_the_verified_sub_kpis():
    rows = [replace(r, verified=r.entered) for r in composite_rows()]
    rows[4] = replace(rows[4], verified=Entry(D(75)))  # 14.3 adjusted from 50 to 75: 5.0000

    card = compute(rows)

    # (12×3.4 + 4×5 + 4×5) / 20 = 80.8/20
    assert card.lines[10].verified_score == D("4.0400")
    assert card.lines[10].self_score == D("3.2400")
    # (80×3.4 + 20×4.04) / 100 = 352.8/100
    assert card.verified_total == D("3.5280")


# --- The fingerprint ------------------------------------------------------------------------------


def test_fingerprint_is_the_same_for_the_same_inputs_in_any_order():
    rows = verified(framework_rows())

    assert fingerprint(rows) == fingerprint(verified(framework_rows()))
    assert fingerprint(rows) == fingerprint(list(reversed(rows)))
    assert len(fingerprint(rows)) == 64


CHANGES = {
    "value": lambda r: replace(r, entered=Entry(D("67.0001"))),
    "steps": lambda r: replace(r, entered=Entry(r.entered.value, (True,))),
    "entered_none": lambda r: replace(r, entered=None),
    "verified_value": lambda r: replace(r, verified=Entry(D(68))),
    "verified_none": lambda r: replace(r, verified=None),
    "reported": lambda r: replace(r, reported=False),
    "weight": lambda r: replace(r, weight=D("25.0001")),
    "dimension": lambda r: replace(r, dimension=2),
    "code": lambda r: replace(r, code="1.9"),
    "key": lambda r: replace(r, key=99),
    "composite_code": lambda r: replace(r, composite_code="14"),
    "threshold": lambda r: replace(
        r, criteria=replace(OUTCOME, thresholds=(D(54), *OUTCOME.thresholds[1:]))
    ),
    "direction": lambda r: replace(r, criteria=replace(OUTCOME, higher_is_better=False)),
    "floor": lambda r: replace(r, criteria=replace(OUTCOME, floor=D(0))),
    "criteria_type": lambda r: replace(
        r, criteria=replace(OUTCOME, criteria_type=CriteriaType.HYBRID)
    ),
    "step_count": lambda r: replace(r, criteria=replace(OUTCOME, step_count=1)),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_fingerprint_changes_when_any_input_changes(change):
    rows = verified(framework_rows())
    changed = [CHANGES[change](rows[0]), *rows[1:]]

    assert fingerprint(changed) != fingerprint(rows)


def test_fingerprint_of_a_card_with_nothing_in_it():
    assert fingerprint([]) == fingerprint([])
    assert compute([]) == Card()


# --- Properties -----------------------------------------------------------------------------------

weights = st.decimals(min_value=D("0.01"), max_value=D(100), places=2)
values = st.decimals(min_value=D(40), max_value=D(90), places=4)
step_answers = st.lists(st.booleans(), min_size=5, max_size=5).map(tuple)


@st.composite
def random_rows(draw) -> list[Row]:
    count = draw(st.integers(min_value=1, max_value=10))
    rows = []
    for key in range(1, count + 1):
        kind = draw(st.sampled_from(["outcome", "lower", "milestone"]))
        criteria = {"outcome": OUTCOME, "lower": LOWER_IS_BETTER, "milestone": MILESTONE}[kind]
        entry = (
            Entry(None, draw(step_answers))
            if kind == "milestone"
            else Entry(draw(values) if kind == "outcome" else draw(values) - 50)
        )
        rows.append(
            Row(
                key=key,
                code=f"{key}.1",
                dimension=draw(st.integers(min_value=1, max_value=4)),
                weight=draw(weights),
                criteria=criteria,
                reported=draw(st.booleans()),
                entered=entry,
            )
        )
    if not any(r.reported for r in rows):
        rows[0] = replace(rows[0], reported=True)
    return rows


@PROPERTY_SETTINGS
@given(rows=random_rows())
def test_property_total_is_the_engines_weighted_score_of_the_reported_lines(rows):
    card = compute(rows)

    counted = [line for line in card.lines.values() if line.reported]
    assert {line.key for line in counted} == {r.key for r in rows if r.reported}
    expected = scoring.weighted_score([(line.weight, line.self_score) for line in counted])
    assert card.self_total == expected
    scores = [line.self_score for line in counted]
    assert min(scores) <= card.self_total <= max(scores)


@PROPERTY_SETTINGS
@given(rows=random_rows())
def test_property_shown_weights_are_the_renormalised_weights(rows):
    card = compute(rows)

    active = [r.key for r in rows if r.reported]
    agreed = {r.key: r.weight for r in rows}
    shown = {key: line.weight for key, line in card.lines.items() if line.reported}
    if len(active) == len(rows):
        assert shown == agreed
    else:
        assert shown == scoring.renormalised_weights(agreed, active)
    # Rounding each share to 4 places moves the sum by at most half a unit per KPI.
    assert abs(sum(shown.values()) - sum(agreed.values())) <= D("0.00005") * len(shown)


@PROPERTY_SETTINGS
@given(rows=random_rows())
def test_property_each_subtotal_lies_between_its_lines_and_the_total_is_their_weighted_mean(rows):
    card = compute(rows)

    for number, subtotal in card.dimensions.items():
        lines = [
            card.lines[r.key] for r in rows if r.dimension == number and card.lines[r.key].reported
        ]
        if not lines:
            assert subtotal == Subtotal(number=number, weight=D(0))
            continue
        scores = [line.self_score for line in lines]
        assert min(scores) <= subtotal.self_subtotal <= max(scores)
        assert subtotal.weight == sum(line.weight for line in lines)
    # The subtotals weighted by their dimensions' weights give the total, up to their rounding.
    parts = [(s.weight, s.self_subtotal) for s in card.dimensions.values() if s.weight]
    exact = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    assert abs(exact.quantize(D("0.0001"), rounding=ROUND_HALF_UP) - card.self_total) <= D("0.0001")
