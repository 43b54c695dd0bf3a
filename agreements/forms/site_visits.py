"""The site-visit form: the visit itself, then one finding and one follow-up per KPI result.

The form checks shape only; site_visit_record and site_visit_update check the rules (the round,
the date, who may be named as a member, which results a finding may be about).
"""

from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from agreements.models import KPIResult
from governance.fields import BuddhistDateField
from governance.forms.base import BaseForm
from governance.models import User

TEXT_LIMIT = 5000


def _text(label, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        # The position tells two people of the same name apart and is what the minutes print.
        return f"{obj.display_name} · {obj.position}" if obj.position else obj.display_name


class SiteVisitForm(BaseForm):
    submit_label = _("Save the visit")

    visited_on = BuddhistDateField(label=_("Date of the visit"))
    members = MemberChoiceField(
        label=_("Working-group members who took part"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Members of the working groups of this organisation or of one above it."),
    )
    other_members = _text(
        _("Other participants"), help_text=_("One per line, with their positions.")
    )
    summary = _text(_("Summary of findings"), rows=5)
    follow_ups = _text(_("Follow-ups"), rows=4)

    def __init__(self, *args, members: QuerySet[User], results: list[KPIResult], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.results = results
        kpi_blocks = []
        for result in results:
            finding, follow_up = f"finding_{result.pk}", f"follow_up_{result.pk}"
            self.fields[finding] = _text(_("Finding"), rows=2)
            self.fields[follow_up] = _text(_("Follow-up"), rows=2)
            kpi = result.annex_kpi
            kpi_blocks.append(
                Div(
                    HTML(
                        '<h3 class="h6 mt-3 mb-2"><span class="badge text-bg-secondary me-1">'
                        f"{escape(kpi.code)}</span> {escape(kpi.name)}</h3>"
                    ),
                    Row(
                        Column(finding, css_class="col-md-6"),
                        Column(follow_up, css_class="col-md-6"),
                    ),
                    css_class="site-visit-kpi border-bottom pb-2",
                    css_id=f"kpi-{result.pk}",
                )
            )
        self.helper.layout = Layout(
            Fieldset(_("The visit"), "visited_on", "members", "other_members"),
            Fieldset(_("Findings per KPI"), *kpi_blocks),
            Fieldset(_("Overall"), "summary", "follow_ups"),
        )

    def findings(self) -> dict[int, tuple[str, str]]:
        """Each result's (finding, follow-up), keyed by KPIResult id, as the services take them."""
        data = self.cleaned_data
        return {
            result.pk: (
                data.get(f"finding_{result.pk}", ""),
                data.get(f"follow_up_{result.pk}", ""),
            )
            for result in self.results
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "visited_on": data["visited_on"],
            "members": list(data["members"]),
            "other_members": data["other_members"],
            "summary": data["summary"],
            "follow_ups": data["follow_ups"],
            "findings": self.findings(),
        }
