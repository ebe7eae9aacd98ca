from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengwei.reports import geo
from zhengwei.reports.models import Datum, Hazard, Priority, State


def county_choices(blank_label=_("All counties")) -> list[tuple[str, str]]:
    return [("", blank_label)] + [(c.code, f"{c.city}{c.name}") for c in geo.counties()]


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("done", _("Finished"))]
        + list(State.choices),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All"))] + list(Priority.choices)
    )
    hazard = forms.ChoiceField(
        label=_("Hazard"), required=False, choices=[("", _("All"))] + list(Hazard.choices)
    )
    county = forms.ChoiceField(label=_("County"), required=False, choices=county_choices)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Ticket"), required=False, max_length=24)


class PhoneInForm(forms.Form):
    hazard = forms.ChoiceField(label=_("What happened"), choices=Hazard.choices)
    lives_in_danger = forms.BooleanField(label=_("Lives in danger"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=30)
    name = forms.CharField(label=_("Caller's name"), required=False, max_length=40)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lng = forms.FloatField(label=_("Longitude"), required=False)
    datum = forms.ChoiceField(
        label=_("Coordinate system"), choices=Datum.choices, initial=Datum.WGS84
    )
    submitted_at = forms.DateTimeField(
        label=_("Time of the call"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    priority = forms.ChoiceField(
        label=_("Priority (triage now)"),
        required=False,
        choices=[("", _("Decide later"))] + list(Priority.choices),
    )

    def clean_submitted_at(self):
        value = self.cleaned_data.get("submitted_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("The call cannot be in the future."))
        return value


class RoutingRuleForm(forms.Form):
    county_code = forms.ChoiceField(label=_("County"), choices=[])
    hazard = forms.ChoiceField(
        label=_("Hazard"), required=False, choices=[("", _("Any hazard"))] + list(Hazard.choices)
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_code"].choices = county_choices(_("Choose a county"))[1:]
        self.fields["unit"].queryset = units


class PeriodForm(forms.Form):
    start = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label=_("To"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
