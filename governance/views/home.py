from django.utils import timezone

from governance import selectors
from governance.enums import MILESTONE_OPEN_STATES, Role
from governance.home_panels import panels_for
from governance.models import CommitteeMember, FiscalYear
from governance.views.base import ScopedTemplateView


class HomeView(ScopedTemplateView):
    """A home page made for the person's roles: each role adds the panel it needs."""

    template_name = "governance/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        memberships = selectors.memberships_of(user)
        roles = {m.role for m in memberships}
        fiscal_year = (
            FiscalYear.objects.filter(is_closed=False)
            .prefetch_related("rounds")
            .order_by("-year")
            .first()
        )
        milestones = []
        if fiscal_year is not None:
            milestones = list(
                selectors.milestones_visible_to(user)
                .filter(fiscal_year=fiscal_year, state__in=MILESTONE_OPEN_STATES)
                .order_by("starts_on")[:8]
            )
        context.update(
            today=today,
            memberships=memberships,
            roles=roles,
            Role=Role,
            fiscal_year=fiscal_year,
            rounds=list(fiscal_year.rounds.all()) if fiscal_year else [],
            milestones=milestones,
            seats=list(
                CommitteeMember.objects.filter(user=user).select_related("committee__organisation")
            ),
            is_admin=user.is_superuser or Role.ADMIN in roles,
            overdue_count=sum(1 for m in milestones if m.is_overdue(today)),
            # Panels of other apps (agreements' SAR deadlines…), registered in their ready().
            panels=panels_for(self.request),
        )
        return context
