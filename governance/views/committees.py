"""Committees (slide 6): who appointed them, for which organisation, and who sits on them."""

from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import gettext_lazy as _

from governance import selectors, services
from governance.enums import CommitteeKind, CommitteePosition
from governance.forms.committees import (
    CommitteeCreateForm,
    CommitteeForm,
    CommitteeMemberAddForm,
    CommitteeMemberEditForm,
)
from governance.models import Committee, CommitteeMember
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView

_MANAGE = "governance.manage_committee"
# Committees are listed in the order the deck appoints them, not by the alphabet of their keys.
_KIND_ORDER = {kind: index for index, kind in enumerate(CommitteeKind.values)}


@dataclass(frozen=True)
class CommitteeRow:
    committee: Committee
    chair: CommitteeMember | None
    member_count: int


def _row(committee: Committee) -> CommitteeRow:
    # Members are prefetched: counting and finding the chair in Python costs no query.
    members = list(committee.members.all())
    chair = next((m for m in members if m.position == CommitteePosition.CHAIR), None)
    return CommitteeRow(committee=committee, chair=chair, member_count=len(members))


class CommitteeList(ScopedTemplateView):
    """Visible committees grouped by organisation, then by kind; the same queries whatever the count."""

    template_name = "governance/committee_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committees = sorted(
            selectors.committees_with_members(selectors.committees_visible_to(self.request.user)),
            key=lambda c: (c.organisation.path, _KIND_ORDER.get(c.kind, 99), c.name_th, c.pk),
        )
        groups = []
        for organisation, in_organisation in groupby(committees, key=lambda c: c.organisation):
            kinds = [
                (CommitteeKind(kind).label, [_row(c) for c in of_kind])
                for kind, of_kind in groupby(in_organisation, key=lambda c: c.kind)
            ]
            groups.append((organisation, kinds))
        context["groups"] = groups
        context["can_create"] = self.request.user.has_perm(_MANAGE)
        return context


class CommitteeDetail(ScopedTemplateView):
    template_name = "governance/committee_detail.html"

    def get_scoped_queryset(self):
        return selectors.committees_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committee = self.object
        user = self.request.user
        context.update(
            members=list(selectors.committee_members(committee)),
            appointed_committees=list(
                selectors.committees_visible_to(user).filter(appointing_committee=committee)
            ),
            can_manage=user.has_perm(_MANAGE, committee),
        )
        return context


class CommitteeCreate(ServiceFormView):
    """Appoint a committee for an organisation the user administers (`?organisation=` preselects)."""

    template_name = "governance/committee_form.html"
    form_class = CommitteeCreateForm
    permission_required = _MANAGE
    success_message = _("The committee has been added.")

    def get_initial(self):
        return {"organisation": self.request.GET.get("organisation")}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["organisations"] = selectors.organisations_in_scope(user, roles=["admin"]).order_by(
            "path"
        )
        kwargs["committees"] = selectors.committees_visible_to(user)
        return kwargs

    def perform(self, form):
        return services.committee_create(actor=self.request.user, **form.cleaned_data)


class CommitteeEdit(ServiceFormView):
    template_name = "governance/committee_form.html"
    form_class = CommitteeForm
    permission_required = _MANAGE
    success_message = _("The committee has been saved.")

    def get_scoped_queryset(self):
        return selectors.committees_visible_to(self.request.user)

    def get_initial(self):
        return CommitteeForm.initial_from(self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["committees"] = selectors.committees_visible_to(self.request.user).exclude(
            pk=self.object.pk
        )
        return kwargs

    def perform(self, form):
        return services.committee_update(
            actor=self.request.user, committee=self.object, **form.cleaned_data
        )


class CommitteeMemberAdd(ServiceFormView):
    template_name = "governance/committee_member_form.html"
    form_class = CommitteeMemberAddForm
    permission_required = _MANAGE
    success_message = _("The member has been added.")

    def get_scoped_queryset(self):
        return selectors.committees_visible_to(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = selectors.people_visible_to(self.request.user).order_by(
            "name_th", "username"
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(committee=self.object, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.committee_member_add(
            actor=self.request.user,
            committee=self.object,
            person=data["user"],
            position=data["position"],
            capacity_th=data["capacity_th"],
            capacity_en=data["capacity_en"],
            order=data["order"],
        )

    def get_success_url_for(self, result):
        return self.object.get_absolute_url()


def _members_visible_to(user):
    return CommitteeMember.objects.filter(
        committee__in=selectors.committees_visible_to(user)
    ).select_related("committee__organisation", "user")


class CommitteeMemberEdit(ServiceFormView):
    template_name = "governance/committee_member_form.html"
    form_class = CommitteeMemberEditForm
    permission_required = _MANAGE
    success_message = _("The member has been saved.")

    def get_scoped_queryset(self):
        return _members_visible_to(self.request.user)

    def get_initial(self):
        return CommitteeMemberEditForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            committee=self.object.committee, member=self.object, **kwargs
        )

    def perform(self, form):
        return services.committee_member_update(
            actor=self.request.user, member=self.object, **form.cleaned_data
        )

    def get_success_url_for(self, result):
        return result.committee.get_absolute_url()


class CommitteeMemberRemove(ServiceActionView):
    permission_required = _MANAGE
    success_message = _("The member has been removed from the committee.")

    def get_scoped_queryset(self):
        return _members_visible_to(self.request.user)

    def perform(self):
        services.committee_member_remove(actor=self.request.user, member=self.object)

    def get_redirect_url(self):
        return self.object.committee.get_absolute_url()
