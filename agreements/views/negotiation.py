"""Negotiation pages: start a round, read a round's diff, change one KPI, a KPI's comment thread."""

import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.generic import TemplateView

from agreements import selectors, services
from agreements.diff import annex_diff
from agreements.forms.negotiation import AnnexKPIForm, KPICommentForm, RoundStartForm
from agreements.models import AgreementKPI, KPIComment
from agreements.views.agreements import AgreementScopeMixin, can_change_content
from governance.errors import ActionForbidden, DomainError
from governance.views.base import (
    ScopedMixin,
    ScopedTemplateView,
    ServiceActionView,
    ServiceFormView,
)
from kpis.enums import CriteriaType
from kpis.services import expand_shorthand

_NEGOTIATE = "agreements.negotiate"
_COMMENT = "agreements.comment"


def wants_fragment(request) -> bool:
    """An htmx request for a part of the page (not a boosted link or a history restore)."""
    headers = request.headers
    return bool(
        headers.get("HX-Request")
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


class RoundStart(AgreementScopeMixin, ServiceActionView):
    """Open a negotiation round: a new version the committee changes, with a diff of its own."""

    permission_required = _NEGOTIATE

    def perform(self):
        form = RoundStartForm(self.request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        version = services.negotiation_round_start(
            actor=self.request.user, agreement=self.object, note=note
        )
        self.success_message = gettext(
            "Version %(number)s is open: the committee's changes of this round go into it."
        ) % {"number": version.number}


# --- The diff of a round -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseLine:
    kind: str  # "removed" or "added"
    text: str


@dataclass(frozen=True)
class ClauseChange:
    label: str
    lang: str
    lines: list[ClauseLine]


def clause_changes(old: str, new: str) -> list[ClauseLine]:
    """The changed lines of the clauses (each clause is a paragraph), removed before added."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[ClauseLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        lines.extend(ClauseLine("removed", text) for text in old_lines[a_start:a_end])
        lines.extend(ClauseLine("added", text) for text in new_lines[b_start:b_end])
    return lines


class VersionDiff(AgreementScopeMixin, ScopedTemplateView):
    """What version N changed against version N−1: per KPI, then the clauses."""

    template_name = "agreements/version_diff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement, number = self.object, self.kwargs["number"]
        pair = {
            version.number: version
            for version in agreement.versions.filter(number__in=[number - 1, number])
            .select_related("created_by")
            .prefetch_related("kpis")
        }
        if number not in pair or number - 1 not in pair:
            raise Http404("no earlier version to compare with")
        old, new = pair[number - 1], pair[number]
        clauses = [
            ClauseChange(str(label), lang, lines)
            for label, lang, field in (
                (gettext("Clauses (Thai)"), "th", "clauses_th"),
                (gettext("Clauses (English)"), "en", "clauses_en"),
            )
            if (lines := clause_changes(getattr(old, field), getattr(new, field)))
        ]
        context.update(
            agreement=agreement,
            old=old,
            new=new,
            changes=annex_diff(old.kpis.all(), new.kpis.all()),
            clauses=clauses,
            old_url=reverse("agreements:version_detail", args=[agreement.pk, old.number]),
            new_url=reverse("agreements:version_detail", args=[agreement.pk, new.number]),
        )
        return context


# --- One KPI of the annex --------------------------------------------------------------------------


class AnnexKPIEdit(ServiceFormView):
    """Change one KPI of the latest version: planners in a draft, the committee in a round."""

    template_name = "agreements/annex_kpi_form.html"
    form_class = AnnexKPIForm
    success_message = ""

    def get_scoped_queryset(self):
        return AgreementKPI.objects.filter(
            version__agreement__in=selectors.agreements_visible_to(self.request.user)
        ).select_related(
            "version__agreement__organisation",
            "version__agreement__fiscal_year",
            "version__agreement__framework",
        )

    @cached_property
    def agreement(self):
        return self.object.version.agreement

    def has_permission(self) -> bool:
        latest = selectors.latest_version(self.agreement)
        return can_change_content(self.request.user, self.agreement, self.object.version, latest)

    @property
    def is_composite(self) -> bool:
        return self.object.criteria_type == CriteriaType.COMPOSITE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "is_composite": self.is_composite}

    def get_initial(self):
        return AnnexKPIForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.agreement, row=self.object, version=self.object.version, **kwargs
        )

    def perform(self, form: AnnexKPIForm):
        fields = dict(form.cleaned_data)
        if not self.is_composite:
            fields = expand_shorthand(fields, target_level=self.agreement.framework.target_level)
        fields.pop("target_step", None)
        row = services.annex_kpi_update(actor=self.request.user, row=self.object, **fields)
        self.success_message = gettext("KPI %(code)s has been saved in version %(number)s.") % {
            "code": row.code,
            "number": self.object.version.number,
        }
        return row

    def get_success_url_for(self, result: AgreementKPI) -> str:
        return f"{self.agreement.get_absolute_url()}#annex-{result.code}"


# --- The comment thread of one KPI ----------------------------------------------------------------


class KPIThread(AgreementScopeMixin, ScopedMixin, TemplateView):
    """Comments on one KPI (by code) across versions; planners and negotiators add to it.

    With htmx the form replaces the thread in place; without JS it posts and comes back here.
    """

    template_name = "agreements/kpi_thread.html"
    fragment_template_name = "agreements/kpi_thread_panel.html"

    @cached_property
    def code(self) -> str:
        return self.kwargs["code"]

    @cached_property
    def rows(self) -> list[AgreementKPI]:
        """The KPI's row in each version that has it, the latest first."""
        return list(
            AgreementKPI.objects.filter(version__agreement=self.object, code=self.code)
            .select_related("version")
            .order_by("-version__number")
        )

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self.respond(KPICommentForm())

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(_COMMENT, self.object):
            raise PermissionDenied
        form = KPICommentForm(request.POST)
        if form.is_valid():
            try:
                services.kpi_comment_add(
                    actor=request.user,
                    agreement=self.object,
                    kpi_code=self.code,
                    text=form.cleaned_data["text"],
                )
            except ActionForbidden as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                form.add_error("text", error.message)
            else:
                if not wants_fragment(request):
                    messages.success(request, gettext("Your comment has been added."))
                    return redirect(self.thread_url)
                form = KPICommentForm()
        return self.respond(form)

    @property
    def thread_url(self) -> str:
        return reverse("agreements:kpi_thread", args=[self.object.pk, self.code])

    def respond(self, form: KPICommentForm) -> HttpResponse:
        if not self.rows:
            raise Http404("no KPI with this code in the agreement")
        context = self.get_context_data(form=form)
        template = (
            self.fragment_template_name if wants_fragment(self.request) else self.template_name
        )
        response = render(self.request, template, context)
        # The same URL answers with a page or a fragment: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context.update(
            agreement=agreement,
            code=self.code,
            row=self.rows[0],
            comments=list(
                KPIComment.objects.filter(agreement=agreement, kpi_code=self.code).select_related(
                    "author", "version"
                )
            ),
            can_comment=self.request.user.has_perm(_COMMENT, agreement),
            thread_url=self.thread_url,
        )
        return context
