"""The agreement pages: the list, drafting, the agreement itself with its timeline, its versions.

Every row is loaded through agreements_visible_to (out of scope → 404); what a person may do is
asked of the rules and of the workflow table, the same ones the services check.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from agreements import selectors, services
from agreements.enums import (
    COMMITTEE_EDITABLE_STATES,
    PLANNER_EDITABLE_STATES,
    AgreementState,
    VersionKind,
)
from agreements.forms.agreements import (
    PARTIES,
    PARTY_TEXT_FIELDS,
    AgreementActForm,
    AgreementCreateForm,
    AgreementFilterForm,
    ClausesForm,
    PartiesForm,
)
from agreements.models import Agreement, AgreementVersion, KPIComment, Signature
from agreements.views.panels import annex_context, party_lines, timeline, version_lines
from agreements.workflows import AGREEMENT_WORKFLOW, BUTTON_ACTIONS
from governance.errors import ActionForbidden, DomainError
from governance.models import FiscalYear, User
from governance.views.base import ScopedMixin, ScopedTemplateView, ServiceFormView

_PREPARE = "agreements.prepare"
_NEGOTIATE = "agreements.negotiate"
_COMMENT = "agreements.comment"


# --- What a person may change ----------------------------------------------------------------------


def can_change_content(
    user: User, agreement: Agreement, version: AgreementVersion, latest: AgreementVersion
) -> bool:
    """Mirror of the services' rule (require_content_editable), for showing links and pages.

    Planners change the latest version of a draft; the committee changes it during negotiation,
    in a round of its own. Frozen and earlier versions never change.
    """
    if version.is_frozen or version.pk != latest.pk:
        return False
    if agreement.state in PLANNER_EDITABLE_STATES:
        return user.has_perm(_PREPARE, agreement)
    if agreement.state in COMMITTEE_EDITABLE_STATES:
        return version.kind == VersionKind.NEGOTIATION_ROUND and user.has_perm(
            _NEGOTIATE, agreement
        )
    return False


# --- The list ------------------------------------------------------------------------------------


class AgreementList(ScopedTemplateView):
    """Visible agreements by fiscal year: the same number of queries however many there are."""

    template_name = "agreements/agreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = selectors.agreements_visible_to(user)
        filter_form = AgreementFilterForm(
            self.request.GET or None,
            fiscal_years=FiscalYear.objects.filter(agreements__in=visible)
            .distinct()
            .order_by("-year"),
        )
        versions = AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number")
        agreements = (
            filter_form.filter(visible)
            .annotate(
                latest_number=Subquery(versions.values("number")[:1]),
                signed_number=Subquery(versions.exclude(pdf_sha256="").values("number")[:1]),
            )
            .order_by("-fiscal_year__year", "organisation__path")
        )
        context.update(
            years=[
                (fiscal_year, list(in_year))
                for fiscal_year, in_year in groupby(agreements, key=lambda a: a.fiscal_year)
            ],
            filter_form=filter_form,
            is_filtered=filter_form.is_bound,
            can_create=user.has_perm(_PREPARE),
        )
        return context


# --- Drafting ------------------------------------------------------------------------------------


class AgreementCreate(ServiceFormView):
    template_name = "agreements/agreement_create.html"
    form_class = AgreementCreateForm
    permission_required = _PREPARE
    success_message = _(
        "The agreement has been drafted: version 1 holds the standard clauses and the framework's KPIs."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            frameworks=selectors.draftable_frameworks(user),
            people=selectors.signatory_choices(user),
            committees=selectors.negotiation_committees(user),
        )
        return kwargs

    def perform(self, form):
        return services.agreement_create(actor=self.request.user, **form.cleaned_data)


# --- The agreement -------------------------------------------------------------------------------


class AgreementScopeMixin:
    def get_scoped_queryset(self):
        return selectors.agreements_visible_to(self.request.user)


class AgreementDetail(AgreementScopeMixin, ScopedTemplateView):
    """The agreement as it stands, what may be done with it now, and everything that happened.

    A fixed number of queries however many KPIs, versions and history rows it has.
    """

    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement, user = self.object, self.request.user
        versions = list(
            agreement.versions.select_related("created_by", "approved_by").prefetch_related(
                Prefetch("signatures", queryset=Signature.objects.select_related("user"))
            )
        )
        latest = versions[-1] if versions else None
        comment_counts = dict(
            KPIComment.objects.filter(agreement=agreement)
            .values_list("kpi_code")
            .annotate(count=Count("id"))
            .order_by()
        )
        if latest is not None:
            context.update(annex_context(latest, agreement, comment_counts))
            parties = party_lines(agreement, latest)
        else:
            parties = []
        may_sign = (
            agreement.state == AgreementState.APPROVED
            and latest is not None
            and latest.is_frozen
            and any(
                getattr(agreement, f"{line.party}_id") == user.pk and line.signature is None
                for line in parties
            )
        )
        can_edit_content = latest is not None and can_change_content(
            user, agreement, latest, latest
        )
        actions = [
            action
            for action in AGREEMENT_WORKFLOW.available(agreement, user)
            if action.name in BUTTON_ACTIONS
        ]
        context.update(
            agreement=agreement,
            latest=latest,
            versions=version_lines(agreement, versions),
            parties=parties,
            signatures_shown=latest is not None and latest.is_frozen,
            may_sign=may_sign,
            actions=actions,
            act_form=kwargs.get("act_form"),
            act_name=kwargs.get("act_name", ""),
            can_edit_annex=can_edit_content,
            # The edit page holds the parties (a draft's) and the clauses (whoever may change
            # the content now): the link shows only when one of them can change.
            can_edit=can_edit_content
            or (agreement.state == AgreementState.DRAFT and user.has_perm(_PREPARE, agreement)),
            can_start_round=agreement.state == AgreementState.NEGOTIATION
            and user.has_perm(_NEGOTIATE, agreement),
            can_comment=user.has_perm(_COMMENT, agreement),
            timeline=timeline(agreement),
        )
        return context


class AgreementEdit(AgreementScopeMixin, ScopedMixin, TemplateView):
    """The parties and committee of a draft, and the clauses of the latest version: two forms."""

    template_name = "agreements/agreement_edit.html"

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm(_PREPARE, self.object) or user.has_perm(_NEGOTIATE, self.object)

    @cached_property
    def latest(self) -> AgreementVersion | None:
        return selectors.latest_version(self.object)

    @property
    def parties_editable(self) -> bool:
        return self.object.state == AgreementState.DRAFT and self.request.user.has_perm(
            _PREPARE, self.object
        )

    @property
    def clauses_editable(self) -> bool:
        latest = self.latest
        return latest is not None and can_change_content(
            self.request.user, self.object, latest, latest
        )

    def parties_form(self, data=None) -> PartiesForm:
        agreement, user = self.object, self.request.user
        return PartiesForm(
            data,
            initial=PartiesForm.initial_from(agreement),
            people=selectors.signatory_choices(
                user, keep=(agreement.maker_id, agreement.receiver_id)
            ),
            committees=selectors.negotiation_committees(
                user, keep=agreement.negotiation_committee_id
            ),
        )

    def clauses_form(self, data=None) -> ClausesForm:
        latest = self.latest
        return ClausesForm(
            data, initial={"clauses_th": latest.clauses_th, "clauses_en": latest.clauses_en}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.parties_editable and "parties_form" not in kwargs:
            context["parties_form"] = self.parties_form()
        if self.clauses_editable and "clauses_form" not in kwargs:
            context["clauses_form"] = self.clauses_form()
        context.update(agreement=self.object, latest=self.latest)
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if "clauses_th" in request.POST:
            if not self.clauses_editable:
                raise PermissionDenied
            return self._save(self.clauses_form(request.POST), "clauses_form", self._save_clauses)
        if not self.parties_editable:
            raise PermissionDenied
        return self._save(self.parties_form(request.POST), "parties_form", self._save_parties)

    def _save(self, form, name: str, perform) -> HttpResponse:
        if form.is_valid():
            try:
                message = perform(form)
            except ActionForbidden as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(self.request, message)
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(**{name: form}))

    def _save_parties(self, form: PartiesForm) -> str:
        agreement = self.object
        fields = dict(form.cleaned_data)
        for party in PARTIES:
            person = fields[party]
            if person.pk != getattr(agreement, f"{party}_id"):
                # A new person: names still showing the previous person's profile are cleared,
                # so the service takes the new person's (what was typed over is kept).
                for name in PARTY_TEXT_FIELDS:
                    if name.startswith(party) and fields[name] == getattr(agreement, name):
                        fields[name] = ""
        services.agreement_update(actor=self.request.user, agreement=agreement, **fields)
        return gettext("The parties have been saved.")

    def _save_clauses(self, form: ClausesForm) -> str:
        version = services.clauses_update(
            actor=self.request.user, agreement=self.object, **form.cleaned_data
        )
        return gettext("The clauses of version %(number)s have been saved.") % {
            "number": version.number
        }


class AgreementAct(AgreementScopeMixin, ScopedMixin, View):
    """One button of the workflow (`action` in the URL), with its reason or resolution.

    A mistake in what was typed (no reason, a resolution date in the future) shows the agreement
    again with the button's form open and the input kept; any other refusal is a message.
    """

    http_method_names = ["post"]

    def has_permission(self) -> bool:
        name = self.kwargs["action"]
        if name not in BUTTON_ACTIONS:
            # post() says so in a message, like any refused action.
            return True
        action = AGREEMENT_WORKFLOW.action(name)
        return self.request.user.has_perm(action.permission, self.object)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        name = self.kwargs["action"]
        if name not in BUTTON_ACTIONS:
            messages.error(
                request,
                gettext("“%(action)s” is not an action you can take here.") % {"action": name},
            )
            return redirect(self.object)
        form = AgreementActForm(request.POST)
        if not form.is_valid():
            return self._show_again(form, name)
        try:
            agreement = services.agreement_act(
                actor=request.user, agreement=self.object, action=name, **form.service_fields()
            )
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
                return self._show_again(form, name)
            messages.error(request, error.message)
            return redirect(self.object)
        messages.success(
            request,
            gettext("“%(action)s” is done: the agreement is now “%(state)s”.")
            % {
                "action": AGREEMENT_WORKFLOW.action(name).label,
                "state": agreement.get_state_display(),
            },
        )
        return redirect(agreement)

    def _show_again(self, form: AgreementActForm, name: str) -> HttpResponse:
        detail = AgreementDetail()
        detail.setup(self.request, pk=self.object.pk)
        detail.object = self.object
        context = detail.get_context_data(act_form=form, act_name=name)
        return render(self.request, detail.template_name, context)


class VersionDetail(AgreementScopeMixin, ScopedTemplateView):
    """Any version, read-only; a frozen one says when it was frozen and its content hash."""

    template_name = "agreements/version_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        version = get_object_or_404(
            agreement.versions.select_related("created_by", "approved_by").prefetch_related(
                Prefetch("signatures", queryset=Signature.objects.select_related("user"))
            ),
            number=self.kwargs["number"],
        )
        latest_number = agreement.versions.order_by("-number").values_list("number", flat=True)[0]
        context.update(annex_context(version, agreement))
        context.update(
            agreement=agreement,
            version=version,
            is_latest=version.number == latest_number,
            latest_number=latest_number,
            signatures=list(version.signatures.all()),
            pdf_url=reverse("agreements:signed_pdf", args=[agreement.pk, version.number])
            if version.pdf_sha256
            else "",
            diff_url=reverse("agreements:version_diff", args=[agreement.pk, version.number])
            if version.number > 1
            else "",
        )
        return context
