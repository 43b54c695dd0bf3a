"""A ministry-scale reporting year for the benchmarks: `python -m bench.generate_year`.

Creates, in the database DATABASE_URL names (the SQLite file by default), one fiscal year with its
three reporting rounds and a ministry of `--departments` departments × `--units` units. Every unit
has a published framework with approved KPI templates and a signed agreement (version 1, frozen
by agreements.snapshot with its SHA-256, both signatures, the workflow's history rows, state
"reporting") whose annex holds `--kpis` rows of mixed criteria: outcome (higher and lower is
better), milestone, hybrid (1-4 steps), and in every third agreement a composite KPI of 3 sub-KPIs.
Each agreement has its 3 SARs with one result per annex row except composite parents (as
sars_open makes them), results entered and mostly verified and approved, some KPIs not reported in
a round (starting later, or cancelled), and SAR history rows.

Rows are written with bulk_create, but field by field as the services write them: SAR.version is
the signed version, KPIResult.entered_by/entered_at are set exactly when something was entered,
status and verified_* follow kpi_result_verify (accepted copies the entered value, adjusted keeps
its own value and a justification, returned has a comment), SAR.inputs_revision counts the input
changes. Not generated: evidence files, site visits, negotiation committees, the signed PDFs, and
the django-simple-history audit rows (the services' save() calls would add those).

Idempotent: a year generated before is left as it is. `--reset` drops it and generates it again,
`--drop` only drops it. Only a fiscal year whose notes carry MARKER is ever dropped, with its
ministry tree (root code BENCH<year>) and its `bench<year>_` users. Scores are computed at the end
by agreements.services.scoring.fiscal_year_recompute unless `--no-scores`.

The random choices come from `--seed`, so the same arguments give the same year.
"""

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

MARKER = "bench.generate_year"
TWO = Decimal("0.01")
# The share of the annex KPIs each dimension gets (OPDC's usual 9/3/4/4 out of 20).
DIMENSION_SHARES = (9, 3, 4, 4)
STEP_TEXTS = (
    "แต่งตั้งคณะทำงานและกำหนดขอบเขตการดำเนินงาน",
    "จัดทำแผนปฏิบัติการและเสนอผู้บริหารให้ความเห็นชอบ",
    "ดำเนินการตามแผนได้ครบถ้วนทุกกิจกรรม",
    "ติดตามและประเมินผลการดำเนินงานตามแผน",
    "สรุปบทเรียนและจัดทำข้อเสนอเพื่อการปรับปรุง",
)
# Per round: the share of SARs in each state (the rest are approved).
STATE_SHARES = {
    6: (("open", 0.03), ("returned", 0.03), ("submitted", 0.04), ("verified", 0.05)),
    9: (("open", 0.05), ("returned", 0.02), ("submitted", 0.06), ("verified", 0.07)),
    12: (("open", 0.07), ("returned", 0.03), ("submitted", 0.10), ("verified", 0.10)),
}
# How far results have come in each round: shifts outcome results and milestone steps.
PROGRESS = {6: -0.4, 9: 0.0, 12: 0.4}


@dataclass
class Spec:
    """One annex KPI of an agreement, before any row exists."""

    code: str
    dimension: int
    weight: Decimal
    criteria_type: str
    higher_is_better: bool = True
    step_count: int = 0
    target: Decimal | None = None
    step: Decimal | None = None
    thresholds: tuple = (None,) * 5
    composite_code: str = ""
    not_reported: dict[int, str] = field(default_factory=dict)  # months → participation


class _Person(NamedTuple):
    key: str
    name_th: str
    name_en: str
    organisation: object
    role: str
    below: bool = False


@dataclass
class Summary:
    fiscal_year_id: int
    year: int
    organisations: int
    agreements: int
    annex_rows: int
    sars: int
    results: int
    seconds: float
    created: bool = True


# --- The plan of one agreement's annex -----------------------------------------------------------


def _split(total: Decimal, count: int, rng: random.Random) -> list[Decimal]:
    """`count` positive weights with two decimals adding up to `total` exactly."""
    shares = [rng.randint(2, 6) for _ in range(count)]
    weights = [(total * share / sum(shares)).quantize(TWO) for share in shares[:-1]]
    return [*weights, total - sum(weights, Decimal(0))]


def _dimension_counts(top: int) -> list[int]:
    raw = [top * share / sum(DIMENSION_SHARES) for share in DIMENSION_SHARES]
    counts = [max(1, int(value)) for value in raw]
    by_fraction = sorted(range(4), key=lambda i: int(raw[i]) - raw[i])
    while sum(counts) < top:
        counts[by_fraction[(top - sum(counts)) % 4]] += 1
    while sum(counts) > top:
        counts[counts.index(max(counts))] -= 1
    return counts


def _criteria(spec: Spec, rng: random.Random, *, sub_kpi: bool = False) -> None:
    from kpis.enums import CriteriaType

    draw = rng.random()
    if sub_kpi:
        kind = CriteriaType.OUTCOME if draw < 0.6 else CriteriaType.MILESTONE
    elif draw < 0.40:
        kind = CriteriaType.OUTCOME
    elif draw < 0.55:
        kind, spec.higher_is_better = CriteriaType.OUTCOME, False
    elif draw < 0.80:
        kind = CriteriaType.MILESTONE
    else:
        kind, spec.step_count = CriteriaType.HYBRID, rng.randint(1, 4)
    spec.criteria_type = kind
    if kind == CriteriaType.MILESTONE:
        return
    spec.step = Decimal(rng.choice(("1", "2", "2.5", "5", "10")))
    if spec.higher_is_better:
        spec.target = Decimal(rng.randint(50, 90))
    else:
        spec.target = 3 * spec.step + rng.randint(5, 40)  # thresholds stay positive
    sign = 1 if spec.higher_is_better else -1
    spec.thresholds = tuple(
        None if level <= spec.step_count else spec.target + sign * (level - 3) * spec.step
        for level in range(1, 6)
    )


def plan_annex(number: int, kpi_count: int, rng: random.Random) -> list[Spec]:
    """The annex of agreement `number`: weights per dimension as the framework's, mixed criteria."""
    from kpis.enums import DEFAULT_DIMENSIONS, CriteriaType

    with_composite = number % 3 == 0 and kpi_count >= 8
    counts = _dimension_counts(kpi_count - 3 if with_composite else kpi_count)
    specs: list[Spec] = []
    for (dimension, _th, _en, dimension_weight), count in zip(
        DEFAULT_DIMENSIONS, counts, strict=True
    ):
        for position, weight in enumerate(_split(dimension_weight, count, rng), start=1):
            spec = Spec(f"{dimension}.{position}", dimension, weight, CriteriaType.OUTCOME)
            if with_composite and dimension == 1 and position == count:
                spec.criteria_type = CriteriaType.COMPOSITE
                specs.append(spec)
                for part, sub_weight in enumerate(_split(Decimal(100), 3, rng), start=1):
                    sub = Spec(f"{spec.code}.{part}", dimension, sub_weight, CriteriaType.OUTCOME)
                    sub.composite_code = spec.code
                    _criteria(sub, rng, sub_kpi=True)
                    specs.append(sub)
                continue
            _criteria(spec, rng)
            specs.append(spec)
    # Some KPIs start in the 9-month round, some are cancelled from the 12-month one.
    reportable = [spec for spec in specs if spec.criteria_type != CriteriaType.COMPOSITE]
    if rng.random() < 0.15:
        rng.choice(reportable).not_reported[6] = "not_started"
    if rng.random() < 0.10:
        rng.choice(reportable).not_reported[12] = "cancelled"
    return specs


# --- Results as the services leave them ----------------------------------------------------------


def _at(day: date, rng: random.Random) -> datetime:
    from django.utils import timezone

    hour, minute = rng.randint(8, 16), rng.randint(0, 59)
    zone = timezone.get_default_timezone()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _entered_values(spec: Spec, months: int, rng: random.Random):
    """(result, steps_done) as a data collector enters them for this round."""
    from kpis.enums import CriteriaType

    progress = PROGRESS[months]
    if spec.criteria_type == CriteriaType.MILESTONE:
        done = max(0, min(5, round(rng.gauss(2.6 + 2 * progress, 1.1))))
        steps = [level < done for level in range(5)]
        if done < 4 and rng.random() < 0.1:
            steps[done + 1] = True  # a step done out of order: it earns nothing yet
        return None, steps
    steps = []
    if spec.criteria_type == CriteriaType.HYBRID:
        done = min(spec.step_count, max(0, round(rng.gauss(spec.step_count + progress, 0.8))))
        steps = [level < done for level in range(spec.step_count)]
        if done < spec.step_count and rng.random() < 0.8:
            return None, steps  # the outcome part does not count yet: no number entered
    sign = 1 if spec.higher_is_better else -1
    value = spec.target + sign * spec.step * Decimal(str(round(rng.gauss(progress, 1.3), 3)))
    return max(Decimal(0), value.quantize(TWO)), steps


def _adjusted(spec: Spec, result, steps):
    """The KPI owner's adjustment: a somewhat lower result, or one step fewer."""
    if result is not None:
        sign = 1 if spec.higher_is_better else -1
        return max(Decimal(0), result - sign * spec.step * Decimal("0.6")).quantize(TWO), steps
    done = [index for index, step in enumerate(steps) if step]
    adjusted = list(steps)
    if done:
        adjusted[done[-1]] = False
    return None, adjusted


def _sar_state(months: int, rng: random.Random) -> str:
    draw, threshold = rng.random(), 0.0
    for state, share in STATE_SHARES[months]:
        threshold += share
        if draw < threshold:
            return state
    return "approved"


# --- The year ------------------------------------------------------------------------------------


def generate(
    *,
    year: int = 2566,
    departments: int = 20,
    units: int = 15,
    kpis: int = 20,
    seed: int = 2566,
    scores: bool = True,
) -> Summary:
    """Create the year (if it is not there yet) and return what it holds."""
    from django.db import transaction

    from agreements.models import SAR, AgreementKPI, KPIResult
    from governance.models import FiscalYear

    if not 4 <= kpis <= 200:
        raise ValueError("--kpis must lie between 4 and 200")
    existing = FiscalYear.objects.filter(year=year).first()
    if existing is not None:
        if existing.notes != MARKER:
            raise SystemExit(
                f"FY {year} exists and was not generated by {MARKER}; choose another --year"
            )
        agreements = existing.agreements.count()
        return Summary(
            fiscal_year_id=existing.pk,
            year=year,
            organisations=_tree(year).count(),
            agreements=agreements,
            annex_rows=AgreementKPI.objects.filter(
                version__agreement__fiscal_year=existing
            ).count(),
            sars=SAR.objects.filter(agreement__fiscal_year=existing).count(),
            results=KPIResult.objects.filter(sar__agreement__fiscal_year=existing).count(),
            seconds=0.0,
            created=False,
        )
    started = time.perf_counter()
    with transaction.atomic():
        summary = _Builder(year, departments, units, kpis, seed).build()
    _analyze()
    if scores:
        from agreements.services.scoring import fiscal_year_recompute

        fiscal_year_recompute(fiscal_year_id=summary.fiscal_year_id)
    summary.seconds = time.perf_counter() - started
    return summary


def _analyze() -> None:
    """Planner statistics for the bulk-loaded tables, as autovacuum would gather them soon after.

    Without them PostgreSQL plans for near-empty tables (a seq scan of 6,000 annex rows to
    delete nothing), and the benchmarks would time the wrong plans.
    """
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for app in ("governance", "kpis", "agreements"):
            for model in apps.get_app_config(app).get_models():
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _tree(year: int):
    from governance.models import Organisation

    root = Organisation.objects.filter(parent=None, code=f"BENCH{year}").first()
    if root is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=root.path)


def drop(*, year: int) -> bool:
    """Delete a generated year with its tree and people; False when there is none."""
    from django.db import transaction
    from django.test.utils import override_settings

    from agreements.models import SAR, Agreement, Signature
    from governance.models import FiscalYear, Organisation, User
    from kpis.models import KPI, Framework

    fiscal_year = FiscalYear.objects.filter(year=year, notes=MARKER).first()
    if fiscal_year is None:
        return False
    # The audit history would otherwise record every deleted row, one INSERT at a time.
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        SAR.objects.filter(agreement__fiscal_year=fiscal_year).delete()
        Signature.objects.filter(version__agreement__fiscal_year=fiscal_year).delete()
        Agreement.objects.filter(fiscal_year=fiscal_year).delete()
        # KPIs first: a dimension is protected while KPIs refer to it.
        KPI.objects.filter(framework__fiscal_year=fiscal_year).delete()
        Framework.objects.filter(fiscal_year=fiscal_year).delete()
        fiscal_year.delete()
        User.objects.filter(username__startswith=f"bench{year}_").delete()
        nodes = list(_tree(year).values_list("pk", "path"))
        # Deepest first: a node's parent is protected while it has children.
        for depth in sorted({len(path) for _, path in nodes}, reverse=True):
            ids = [pk for pk, path in nodes if len(path) == depth]
            Organisation.objects.filter(pk__in=ids).delete()
    return True


class _Builder:
    """Builds the rows in dependency order, each kind with one bulk_create."""

    def __init__(self, year: int, departments: int, units: int, kpis: int, seed: int) -> None:
        self.year, self.department_count, self.unit_count = year, departments, units
        self.kpi_count, self.rng = kpis, random.Random(seed)
        self.prefix = f"bench{year}_"

    def build(self) -> Summary:
        self._calendar()
        self._organisations()
        self._people()
        self._frameworks()
        self._agreements()
        self._sars()
        return Summary(
            fiscal_year_id=self.fiscal_year.pk,
            year=self.year,
            organisations=1 + len(self.departments) + len(self.units),
            agreements=len(self.agreements),
            annex_rows=self.annex_count,
            sars=self.sar_count,
            results=self.result_count,
            seconds=0.0,
        )

    # The calendar, the tree and its people.

    def _calendar(self) -> None:
        from governance import fiscal
        from governance.models import FiscalYear, ReportingRound

        self.fiscal_year = FiscalYear.objects.create(year=self.year, notes=MARKER)
        self.rounds = ReportingRound.objects.bulk_create(
            ReportingRound(
                fiscal_year=self.fiscal_year,
                months=months,
                period_end=fiscal.round_period_end(self.year, months),
                sar_deadline=fiscal.default_sar_deadline(self.year, months),
                has_site_visit=months in (6, 12),
            )
            for months in fiscal.REPORTING_ROUNDS
        )
        self.starts_on = fiscal.fiscal_year_bounds(self.year)[0]

    def _organisations(self) -> None:
        from governance.enums import OrganisationKind
        from governance.models import Organisation, path_segment

        def node(parent, code, kind, name_th, name_en):
            # A unique placeholder path until the id is known (as organisation_create does).
            return Organisation(
                parent=parent,
                code=code,
                kind=kind,
                name_th=name_th,
                name_en=name_en,
                path=f"~{self.prefix}{parent.pk if parent else 0}-{code}",
            )

        self.ministry = Organisation.objects.bulk_create(
            [
                node(
                    None,
                    f"BENCH{self.year}",
                    OrganisationKind.MINISTRY,
                    f"กระทรวงทดสอบสมรรถนะ {self.year}",
                    f"Benchmark ministry {self.year}",
                )
            ]
        )[0]
        self.departments = Organisation.objects.bulk_create(
            node(
                self.ministry,
                f"D{d:02d}",
                OrganisationKind.DEPARTMENT,
                f"กรมทดสอบที่ {d}",
                f"Department {d}",
            )
            for d in range(1, self.department_count + 1)
        )
        self.ministry.path = path_segment(self.ministry.pk)
        for department in self.departments:
            department.path = self.ministry.path + path_segment(department.pk)
        self.units = Organisation.objects.bulk_create(
            node(
                department,
                f"U{u:02d}",
                OrganisationKind.UNIT,
                f"สำนักทดสอบที่ {u} {department.name_th}",
                f"Bureau {u}, {department.name_en}",
            )
            for department in self.departments
            for u in range(1, self.unit_count + 1)
        )
        for unit in self.units:
            unit.path = unit.parent.path + path_segment(unit.pk)
        Organisation.objects.bulk_update(
            [self.ministry, *self.departments, *self.units], ["path"], batch_size=500
        )

    def _people(self) -> None:
        from django.contrib.auth.hashers import make_password

        from governance.enums import Role
        from governance.models import Membership, User

        # (key, Thai name, English name, organisation, role, includes the units below)
        people = [
            _Person("planner", "นักวิเคราะห์นโยบายและแผน กพร.", "Planning officer", self.ministry,
                    Role.PLANNING, below=True),
            _Person("secretary", "ปลัดกระทรวงทดสอบ", "Permanent Secretary", self.ministry,
                    Role.ADMIN, below=True),
        ]  # fmt: skip
        for department in self.departments:
            th, code = department.name_th, department.code
            people += [
                _Person(f"{code}_head", f"อธิบดี{th}", "Director-General", department,
                        Role.UNIT_HEAD),
                _Person(f"{code}_owner", f"เจ้าภาพตัวชี้วัด {th}", "KPI owner", department,
                        Role.KPI_OWNER, below=True),
            ]  # fmt: skip
        for unit in self.units:
            tag = f"{unit.parent.code}{unit.code}"
            people += [
                _Person(f"{tag}_head", f"ผู้อำนวยการ{unit.name_th}", "Director", unit,
                        Role.UNIT_HEAD),
                _Person(f"{tag}_collector", f"ผู้จัดเก็บข้อมูล {unit.name_th}", "Data collector",
                        unit, Role.DATA_COLLECTOR),
            ]  # fmt: skip
        users = User.objects.bulk_create(
            User(
                username=f"{self.prefix}{key}",
                email=f"{self.prefix}{key}@example.go.th",
                name_th=name_th,
                name_en=name_en,
                position_th=name_th,
                position_en=name_en,
                password=make_password(None),  # nobody logs in as a generated person
            )
            for key, name_th, name_en, *_ in people
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=person.organisation,
                role=person.role,
                includes_descendants=person.below,
            )
            for user, person in zip(users, people, strict=True)
        )
        self.user = {person.key: user for user, person in zip(users, people, strict=True)}

    # Frameworks, KPIs and their approved templates.

    def _frameworks(self) -> None:
        from kpis.enums import DEFAULT_DIMENSIONS, FloorRule, FrameworkState, TemplateState
        from kpis.models import KPI, Dimension, Framework, KPITemplate

        self.frameworks = Framework.objects.bulk_create(
            Framework(
                fiscal_year=self.fiscal_year,
                organisation=unit,
                name_th=f"กรอบการประเมินผล {unit.name_th} {self.year}",
                name_en=f"Framework of {unit.name_en} {self.year}",
                state=FrameworkState.PUBLISHED,
                # One framework in ten scores 0 below level 1 (DOMAIN.md §4).
                floor_rule=FloorRule.ZERO if index % 10 == 7 else FloorRule.ONE,
            )
            for index, unit in enumerate(self.units)
        )
        dimensions = Dimension.objects.bulk_create(
            Dimension(framework=framework, number=n, name_th=th, name_en=en, weight=w)
            for framework in self.frameworks
            for n, th, en, w in DEFAULT_DIMENSIONS
        )
        dimension_of = {(d.framework_id, d.number): d for d in dimensions}
        self.plans = [plan_annex(i, self.kpi_count, self.rng) for i in range(len(self.units))]

        def kpi(framework, spec, order, parent=None):
            return KPI(
                framework=framework,
                code=spec.code,
                name_th=f"ร้อยละความสำเร็จของการดำเนินงานตามแผน ตัวชี้วัดที่ {spec.code}",
                name_en=f"Achievement of the plan, KPI {spec.code}",
                unit_th="ร้อยละ" if spec.criteria_type == "outcome" else "ระดับ",
                unit_en="percent" if spec.criteria_type == "outcome" else "level",
                dimension=dimension_of[(framework.pk, spec.dimension)],
                weight=spec.weight,
                composite_parent=parent,
                owner=framework.organisation.parent,  # the department's KPI owner verifies
                order=order,
            )

        # Parents first: a sub-KPI needs its composite KPI's id.
        tops = KPI.objects.bulk_create(
            kpi(framework, spec, order * 10)
            for framework, plan in zip(self.frameworks, self.plans, strict=True)
            for order, spec in enumerate(plan, start=1)
            if not spec.composite_code
        )
        by_code = {(k.framework_id, k.code): k for k in tops}
        subs = KPI.objects.bulk_create(
            kpi(framework, spec, order * 10, by_code[(framework.pk, spec.composite_code)])
            for framework, plan in zip(self.frameworks, self.plans, strict=True)
            for order, spec in enumerate(plan, start=1)
            if spec.composite_code
        )
        self.kpis = {(k.framework_id, k.code): k for k in (*tops, *subs)}
        KPITemplate.objects.bulk_create(
            KPITemplate(
                kpi=self.kpis[(framework.pk, spec.code)],
                revision=1,
                state=TemplateState.APPROVED,
                definition=f"ผลการดำเนินงานตามตัวชี้วัดที่ {spec.code}",
                target_step=spec.step,
                reports_at_6=6 not in spec.not_reported,
                reports_at_12=12 not in spec.not_reported,
                **self._criteria_fields(spec),
            )
            for framework, plan in zip(self.frameworks, self.plans, strict=True)
            for spec in plan
        )

    @staticmethod
    def _criteria_fields(spec: Spec) -> dict:
        steps = {"milestone": 5, "hybrid": spec.step_count}.get(spec.criteria_type, 0)
        return {
            "criteria_type": spec.criteria_type,
            "higher_is_better": spec.higher_is_better,
            "step_count": spec.step_count,
            "target": spec.thresholds[2] if spec.thresholds[2] is not None else spec.target,
            **{f"threshold_{n}": t for n, t in enumerate(spec.thresholds, start=1)},
            **{f"step_{n}": STEP_TEXTS[n - 1] if n <= steps else "" for n in range(1, 6)},
        }

    # Agreements: version 1 frozen and signed, as agreement_sign leaves it.

    def _agreements(self) -> None:
        from agreements.clauses import clauses_for
        from agreements.enums import AgreementState, Party, VersionKind
        from agreements.models import (
            Agreement,
            AgreementKPI,
            AgreementTransition,
            AgreementVersion,
            Signature,
        )
        from agreements.snapshot import build_snapshot, content_hash
        from kpis.enums import DEFAULT_DIMENSIONS

        drafted = _at(self.starts_on + timedelta(days=14), self.rng)
        approved_on = self.starts_on + timedelta(days=70)
        signed = _at(self.starts_on + timedelta(days=75), self.rng)
        planner, secretary = self.user["planner"], self.user["secretary"]
        agreements = []
        for unit, framework in zip(self.units, self.frameworks, strict=True):
            maker = self.user[f"{unit.parent.code}{unit.code}_head"]
            receiver = self.user[f"{unit.parent.code}_head"]
            agreements.append(
                Agreement(
                    organisation=unit,
                    fiscal_year=self.fiscal_year,
                    framework=framework,
                    state=AgreementState.REPORTING,
                    maker=maker,
                    maker_name_th=maker.name_th,
                    maker_name_en=maker.name_en,
                    maker_position_th=maker.position_th,
                    maker_position_en=maker.position_en,
                    receiver=receiver,
                    receiver_name_th=receiver.name_th,
                    receiver_name_en=receiver.name_en,
                    receiver_position_th=receiver.position_th,
                    receiver_position_en=receiver.position_en,
                    created_by=planner,
                    created_at=drafted,
                )
            )
        self.agreements = Agreement.objects.bulk_create(agreements)
        versions = []
        for agreement in self.agreements:
            clauses_th, clauses_en = clauses_for(agreement)
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    number=1,
                    kind=VersionKind.ORIGINAL,
                    clauses_th=clauses_th,
                    clauses_en=clauses_en,
                    created_by=planner,
                    created_at=drafted,
                    resolution=f"มติคณะกรรมการเจรจาข้อตกลง ครั้งที่ 1/{self.year}",
                    resolution_date=approved_on,
                    approved_by=secretary,
                )
            )
        self.versions = AgreementVersion.objects.bulk_create(versions)
        dimensions = {n: (th, en, w) for n, th, en, w in DEFAULT_DIMENSIONS}
        rows = []
        for version, framework, plan in zip(
            self.versions, self.frameworks, self.plans, strict=True
        ):
            # The annex is copied from the framework as _annex_from_framework copies it.
            for position, spec in enumerate(plan, start=1):
                kpi = self.kpis[(framework.pk, spec.code)]
                th, en, weight = dimensions[spec.dimension]
                rows.append(
                    AgreementKPI(
                        version=version,
                        kpi=kpi,
                        code=spec.code,
                        name_th=kpi.name_th,
                        name_en=kpi.name_en,
                        unit_th=kpi.unit_th,
                        unit_en=kpi.unit_en,
                        dimension_number=spec.dimension,
                        dimension_name_th=th,
                        dimension_name_en=en,
                        dimension_weight=weight,
                        weight=spec.weight,
                        composite_code=spec.composite_code,
                        order=position * 10,
                        **self._criteria_fields(spec),
                    )
                )
        self.annex = AgreementKPI.objects.bulk_create(rows, batch_size=2000)
        self.annex_count = len(self.annex)
        # Approval freezes the version: the snapshot is built by the real code, from the rows.
        frozen = {
            version.pk: build_snapshot(version)
            for version in AgreementVersion.objects.filter(pk__in=[v.pk for v in self.versions])
            .select_related("agreement__organisation", "agreement__fiscal_year")
            .prefetch_related("kpis")
        }
        for version in self.versions:
            version.content = frozen[version.pk]
            version.content_sha256 = content_hash(version.content)
            version.frozen_at = _at(approved_on, self.rng)
        AgreementVersion.objects.bulk_update(
            self.versions, ["content", "content_sha256", "frozen_at"], batch_size=100
        )
        Signature.objects.bulk_create(
            Signature(
                version=version,
                party=party,
                user=getattr(version.agreement, party),
                name=getattr(version.agreement, f"{party}_name_th"),
                position=getattr(version.agreement, f"{party}_position_th"),
                signed_at=signed + timedelta(minutes=minutes),
                content_sha256=version.content_sha256,
            )
            for version in self.versions
            for party, minutes in ((Party.RECEIVER, 0), (Party.MAKER, 5))
        )
        steps = (
            ("propose", "draft", "proposed", planner, 20),
            ("open_negotiation", "proposed", "negotiation", secretary, 40),
            ("agree", "negotiation", "agreed", secretary, 60),
            ("approve", "agreed", "approved", secretary, 70),
            ("complete_signing", "approved", "signed", None, 75),
            ("start_reporting", "signed", "reporting", secretary, 76),
        )
        AgreementTransition.objects.bulk_create(
            AgreementTransition(
                agreement=version.agreement,
                version=version,
                action=action,
                from_state=source,
                to_state=target,
                actor=actor or version.agreement.maker,
                created_at=_at(self.starts_on + timedelta(days=days), self.rng),
            )
            for version in self.versions
            for action, source, target, actor, days in steps
        )

    # SARs and results: one SAR per round, one result per annex row but composite parents.

    def _sars(self) -> None:
        from agreements.enums import ResultStatus, SARState
        from agreements.models import SAR, KPIResult, SARTransition
        from kpis.enums import CriteriaType

        rng = self.rng
        planner = self.user["planner"]
        annex_of: dict[int, list] = {}
        for row in self.annex:
            annex_of.setdefault(row.version_id, []).append(row)
        sars, plans = [], []
        for version, plan, unit in zip(self.versions, self.plans, self.units, strict=True):
            spec_of = {spec.code: spec for spec in plan}
            for reporting_round in self.rounds:
                sars.append(
                    SAR(
                        agreement=version.agreement,
                        version=version,
                        round=reporting_round,
                        state=_sar_state(reporting_round.months, rng),
                        created_at=_at(self.starts_on + timedelta(days=75), rng),
                    )
                )
                plans.append((annex_of[version.pk], spec_of, unit))
        results, transitions = [], []
        for sar, (annex, spec_of, unit) in zip(sars, plans, strict=True):
            months = sar.round.months
            tag = f"{unit.parent.code}{unit.code}"
            collector, head = self.user[f"{tag}_collector"], self.user[f"{tag}_head"]
            owner = self.user[f"{unit.parent.code}_owner"]
            deadline = sar.round.sar_deadline
            submitted_at = _at(deadline - timedelta(days=rng.randint(0, 5)), rng)
            verified_day = deadline + timedelta(days=rng.randint(3, 20))
            revision = 0
            rows = []
            for row in annex:
                if row.criteria_type == CriteriaType.COMPOSITE:
                    continue
                spec = spec_of[row.code]
                result = KPIResult(sar=sar, annex_kpi=row)
                rows.append(result)
                participation = spec.not_reported.get(months)
                if participation:
                    result.participation = participation
                    result.participation_note = "ตัวชี้วัดนี้ไม่รายงานในรอบนี้ตามมติคณะกรรมการ"
                    revision += 1
                    continue
                if sar.state == SARState.OPEN and rng.random() < 0.3:
                    continue  # not entered yet
                result.result, result.steps_done = _entered_values(spec, months, rng)
                result.narrative_results = f"ผลการดำเนินงานรอบ {months} เดือน ตัวชี้วัด {row.code}"
                result.entered_by = collector
                result.entered_at = _at(sar.round.period_end + timedelta(rng.randint(1, 12)), rng)
                revision += 1
            reported = [r for r in rows if r.entered_at is not None]
            if sar.state in (
                SARState.SUBMITTED,
                SARState.RETURNED,
                SARState.VERIFIED,
                SARState.APPROVED,
            ):
                if sar.state == SARState.SUBMITTED:
                    decided = [r for r in reported if rng.random() < 0.4]
                else:
                    decided = reported
                returned = set()
                if sar.state == SARState.RETURNED and reported:
                    returned = {id(r) for r in rng.sample(reported, min(2, len(reported)))}
                for result in decided:
                    result.verified_by = owner
                    result.verified_at = _at(verified_day - timedelta(rng.randint(0, 2)), rng)
                    revision += 1
                    if id(result) in returned:
                        result.status = ResultStatus.RETURNED
                        result.verification_comment = "ขอหลักฐานเพิ่มเติมประกอบผลการดำเนินงาน"
                    elif rng.random() < 0.1:
                        result.status = ResultStatus.ADJUSTED
                        result.verified_result, result.verified_steps = _adjusted(
                            spec_of[result.annex_kpi.code], result.result, result.steps_done
                        )
                        result.verification_comment = "ปรับผลตามหลักฐานที่ตรวจสอบ"
                    else:
                        result.status = ResultStatus.ACCEPTED
                        result.verified_result = result.result
                        result.verified_steps = list(result.steps_done)
                sar.submitted_at, sar.submitted_by = submitted_at, head
                transitions.append((sar, "submit", "open", "submitted", head, submitted_at))
                verified_at = _at(verified_day, rng)
                if sar.state == SARState.RETURNED:
                    transitions.append(
                        (sar, "return_to_unit", "submitted", "returned", owner, verified_at)
                    )
                elif sar.state in (SARState.VERIFIED, SARState.APPROVED):
                    transitions.append(
                        (sar, "complete_verification", "submitted", "verified", owner, verified_at)
                    )
                if sar.state == SARState.APPROVED:
                    sar.approved_at = _at(verified_day + timedelta(days=rng.randint(2, 10)), rng)
                    sar.approved_by = planner
                    transitions.append(
                        (sar, "approve", "verified", "approved", planner, sar.approved_at)
                    )
            sar.inputs_revision = revision
            results.extend(rows)
        SAR.objects.bulk_create(sars)
        for result in results:
            result.sar_id = result.sar.pk
        KPIResult.objects.bulk_create(results, batch_size=2000)
        SARTransition.objects.bulk_create(
            SARTransition(
                sar=sar,
                action=action,
                from_state=source,
                to_state=target,
                actor=actor,
                comment="ขอหลักฐานเพิ่มเติม" if action == "return_to_unit" else "",
                created_at=at,
            )
            for sar, action, source, target, actor, at in transitions
        )
        self.sar_count, self.result_count = len(sars), len(results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2566, help="Buddhist-era fiscal year")
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--units", type=int, default=15, help="units per department")
    parser.add_argument("--kpis", type=int, default=20, help="annex rows per agreement")
    parser.add_argument("--seed", type=int, default=2566)
    parser.add_argument("--no-scores", action="store_true", help="skip the final recompute")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reset", action="store_true", help="drop the year, then generate it")
    group.add_argument("--drop", action="store_true", help="drop the year only")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    if args.reset or args.drop:
        started = time.perf_counter()
        dropped = drop(year=args.year)
        took = time.perf_counter() - started
        print(f"FY {args.year}: {'dropped' if dropped else 'nothing to drop'} ({took:.1f} s)")
        if args.drop:
            return
    summary = generate(
        year=args.year,
        departments=args.departments,
        units=args.units,
        kpis=args.kpis,
        seed=args.seed,
        scores=not args.no_scores,
    )
    what = "generated" if summary.created else "already generated (use --reset to redo it)"
    print(
        f"FY {summary.year} (id {summary.fiscal_year_id}) {what} on {connection.vendor}: "
        f"{summary.organisations} organisations, {summary.agreements} agreements, "
        f"{summary.annex_rows} annex rows, {summary.sars} SARs, {summary.results} results"
        + (f" in {summary.seconds:.1f} s" if summary.created else "")
    )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
