"""An administrator follows a whole-year recompute on its page: the bar moves, then stops polling.

The job's row is moved along by direct data, as a worker would while the page polls every second.
"""

import re

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from agreements.enums import JobState
from agreements.models import SAR, RecomputeJob
from agreements.services import scoring
from governance.enums import Role
from tests.agreements.scoring_world import enter, signed_agreement
from tests.browser.test_kpi_journey import log_in
from tests.conftest import make_person
from tests.factories import FiscalYearFactory


def bar_width(page: Page) -> float:
    return page.locator("#recompute-progress .progress-bar").evaluate(
        "bar => bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width"
    )


def test_recompute_page_follows_a_running_job_until_it_is_done(
    live_server, page: Page, tree, screenshot_dir
):
    year = FiscalYearFactory(year=2552)
    make_person(tree.department, Role.ADMIN, below=True, username="doh_admin")
    department = signed_agreement(tree.department, year)
    signed_agreement(tree.planning_unit, year)
    enter(department.sars.get(round__months=6))
    scoring.fiscal_year_recompute(fiscal_year_id=year.pk)
    # One stale score for the table to show.
    SAR.objects.filter(agreement=department, round__months=6).update(
        inputs_revision=F("inputs_revision") + 1
    )
    job = RecomputeJob.objects.create(fiscal_year=year, state=JobState.RUNNING, total=4, done=1)

    log_in(page, live_server.url, "doh_admin")
    page.goto(live_server.url + reverse("agreements:recompute_year", args=[year.pk]))
    progress = page.locator("#recompute-progress")
    expect(progress).to_have_attribute("hx-trigger", "every 1s")
    expect(page.locator("#round-6")).to_contain_text("2")
    expect(page.locator("#round-total td").nth(2)).to_have_text("1")  # one stale
    # The width comes from the script (CSP allows no inline style): a quarter of the track.
    assert abs(bar_width(page) - 0.25) < 0.02
    page.screenshot(path=screenshot_dir / "recompute-running.png", full_page=True)

    RecomputeJob.objects.filter(pk=job.pk).update(done=3)
    expect(page.locator("#recompute-progress .progress-bar")).to_have_text("75%", timeout=5_000)
    RecomputeJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE, done=4, finished_at=timezone.now()
    )

    expect(page.locator("#recompute-progress .progress-bar")).to_have_text("100%", timeout=5_000)
    expect(progress).not_to_have_attribute("hx-trigger", re.compile(".*"))
    assert abs(bar_width(page) - 1) < 0.02
    page.screenshot(path=screenshot_dir / "recompute-done.png", full_page=True)
