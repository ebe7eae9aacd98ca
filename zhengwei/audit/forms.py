from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
OUTCOMES = {"ok": _("Succeeded"), "denied": _("Denied"), "error": _("Failed")}


def outcome_label(value: str) -> str:
    return str(OUTCOMES.get(value, value))


class AuditFilterForm(forms.Form):
    """The audit log's search: every field optional, all given ones must match."""

    start = forms.DateTimeField(
        label=_("From"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    end = forms.DateTimeField(
        label=_("To"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Operation"),
        required=False,
        max_length=64,
        help_text=_("Beginning of the action, e.g. role. or auth.sign_in"),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    q = forms.CharField(label=pgettext_lazy("search field", "Text"), required=False, max_length=200)

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        values = list(OUTCOMES) + [o for o in outcomes if o and o not in OUTCOMES]
        self.fields["outcome"].choices = [("", _("Any"))] + [(v, outcome_label(v)) for v in values]
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if name == "outcome"
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
        self.fields["action"].widget.attrs["list"] = "audit-actions"
        self.fields["object_type"].widget.attrs["list"] = "audit-object-types"
        self.fields["q"].widget.attrs["placeholder"] = _("object, note, IP, before/after …")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise ValidationError(_("The end of the time range is before its start."))
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned

    def filters(self) -> dict:
        """The non-empty filters (valid form), for the selector and the export's note."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
