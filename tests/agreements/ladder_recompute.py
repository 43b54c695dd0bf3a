"""Permission ladder cases of the whole-year recompute (agreements.views.recompute).

Recomputing is for administrators (agreements.recompute). A fiscal year is government-wide, and so
is its recompute: an administrator of another ministry opens these pages too (200), while a unit
head of the department is refused (403).
"""

from agreements.models import RecomputeJob
from tests.ladder import Case, World


def job(w: World) -> dict:
    return {"pk": RecomputeJob.objects.create(fiscal_year=w.fiscal_year, started_by=w.admin).pk}


CASES = {
    "agreements:recompute_year": Case(
        kwargs=lambda w: {"pk": w.fiscal_year.pk}, outsider_status=200
    ),
    "agreements:recompute_progress": Case(kwargs=job, outsider_status=200),
}
