"""Forms of the console's management pages.

Forms only validate and collect input; the views hand ``cleaned_data`` to the services in
``zhengwei.orgs.services``, which check the policy, save and audit. Edit forms work on a copy of
the object, so the service still sees the unchanged original and audits a true before/after.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from zhengwei.orgs.models import (
    Organisation,
    OrgKind,
    Post,
    Role,
    User,
    WeChatAccount,
)
from zhengwei.orgs.services import ACCOUNT_FIELDS, ORG_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
CHOOSE = _("— choose —")


class BootstrapMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def detached(obj):
    """A copy for a ModelForm to write into, leaving ``obj`` as it was for the service."""
    return copy.deepcopy(obj)


def model_data(form: forms.ModelForm, fields: list[str]) -> dict:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


# --- Organisations ------------------------------------------------------------------------

_REGION_CODE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORG_FIELDS

    def __init__(self, *args, parent_choices=None, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in parent_choices or []]
        )
        self.fields["parent"].empty_label = _("— none —")
        self.fields["kind"].choices = [("", CHOOSE), *OrgKind.choices]
        self.fields["parent"].help_text = _("Only county/township units have a parent office.")
        self.fields["region_code"].widget.attrs["inputmode"] = "numeric"
        if creating:
            del self.fields["is_active"]
        else:
            self.fields["is_active"].label = _("Active")

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if code and not _REGION_CODE.match(code):
            raise ValidationError(_("A region code has 6, 9 or 12 digits, e.g. 350121."))
        return code

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        if code and not _CREDIT_CODE.match(code):
            raise ValidationError(
                _("A unified social credit code has 18 characters (digits and capital letters).")
            )
        return code


# --- WeChat accounts ----------------------------------------------------------------------

_ENV_REF = re.compile(r"^env:[A-Za-z_][A-Za-z0-9_]*$")
_SECRET = re.compile(r"^\S{16,128}$")


class AccountForm(BootstrapMixin, forms.ModelForm):
    app_secret = forms.CharField(
        label=_("AppSecret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Write-only: leave blank to keep the current one. Instead of the secret itself you "
            "may give a reference: env:NAME (an environment variable) or file:/path (a mounted "
            "secret file)."
        ),
    )
    encoding_aes_key = forms.CharField(
        label=_("EncodingAESKey"),
        required=False,
        strip=True,
        max_length=43,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("43 letters and digits, from the WeChat platform's server settings."),
    )

    class Meta:
        model = WeChatAccount
        fields = ACCOUNT_FIELDS

    def __init__(self, *args, office_choices=None, contractor_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        self.fields["office"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in office_choices or []]
        )
        self.fields["office"].empty_label = CHOOSE
        self.fields["contractor"].queryset = contractor_choices or Organisation.objects.none()
        self.fields["contractor"].empty_label = _("— none (independent operation) —")
        self.fields["original_id"].widget.attrs["placeholder"] = "gh_0123456789ab"
        self.fields["original_id"].widget.attrs["data-code"] = ""  # an example id, to copy
        self.fields["app_id"].widget.attrs["placeholder"] = "wx0123456789abcdef"
        if self.editing:
            if self.instance.encoding_aes_key:
                self.fields["encoding_aes_key"].help_text = _(
                    "Write-only: leave blank to keep the current key (ending in %(tail)s)."
                ) % {"tail": self.instance.encoding_aes_key[-4:]}
            self.fields["is_active"].label = _("Active")
        else:
            del self.fields["is_active"]

    def clean_app_secret(self):
        value = self.cleaned_data["app_secret"]
        if not value:
            return ""
        if value.startswith("env:"):
            if not _ENV_REF.match(value):
                raise ValidationError(
                    _("An environment reference looks like env:NAME (letters, digits, _).")
                )
        elif value.startswith("file:"):
            if not value[5:].startswith("/"):
                raise ValidationError(_("A file reference needs an absolute path: file:/path."))
        elif not _SECRET.match(value):
            raise ValidationError(
                _("The AppSecret has 16 to 128 characters without spaces (usually 32).")
            )
        return value

    def clean_encoding_aes_key(self):
        value = self.cleaned_data["encoding_aes_key"]
        if not value:
            # Blank keeps the current key.
            return self.instance.encoding_aes_key if self.editing else ""
        if not re.fullmatch(r"[A-Za-z0-9]{43}", value):
            raise ValidationError(_("The EncodingAESKey has exactly 43 letters and digits."))
        return value

    def service_data(self) -> dict:
        return model_data(self, ACCOUNT_FIELDS)


# --- People -------------------------------------------------------------------------------

PERSON_FIELDS = ["username", "display_name", "organisation", "title", "phone", "email"]
_PHONE = re.compile(r"^[0-9+\- ]{5,20}$")


class PersonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = PERSON_FIELDS

    def __init__(self, *args, organisation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisation_choices or []]
        )
        self.fields["organisation"].required = True
        self.fields["organisation"].empty_label = CHOOSE
        self.fields["display_name"].required = True
        self.fields["display_name"].label = _("Full name")
        self.fields["username"].help_text = _(
            "Used to sign in: letters, digits and @ . + - _ only."
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(_("Enter a phone number of digits (and + or -)."))
        return phone


# Django 5.2 reworded MinimumLengthValidator's message and its zh_Hans catalogue has not caught
# up; naming the new msgid here puts it in this app's catalogue, which translates it everywhere.
_PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


class PersonCreateForm(PersonForm):
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so it is in the language of the request.
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(
                username=cleaned.get("username") or "",
                display_name=cleaned.get("display_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class GrantForm(BootstrapMixin, forms.Form):
    account = forms.ModelChoiceField(
        label=_("WeChat account"), queryset=WeChatAccount.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = WeChatAccount.objects.filter(
            pk__in=[a.pk for a in accounts or []]
        )
        self.fields["account"].empty_label = None


# --- Duty roster --------------------------------------------------------------------------


def _local_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class ShiftForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    user = forms.ModelChoiceField(label=_("Person on duty"), queryset=User.objects.none())
    post = forms.ChoiceField(label=_("Post"), choices=Post.choices, initial=Post.A)
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], widget=_local_input()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], widget=_local_input()
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    MAX_HOURS = 72

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = list(organisations or [])
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in orgs]
        )
        org_id = self.data.get("organisation") or self.initial.get("organisation")
        if hasattr(org_id, "pk"):
            org_id = org_id.pk
        members = User.objects.filter(is_active=True, organisation__in=[o.pk for o in orgs])
        if org_id and str(org_id).isdigit():
            members = members.filter(organisation_id=int(org_id))
        self.fields["user"].queryset = members.order_by("display_name", "username")
        self.fields["organisation"].empty_label = CHOOSE
        self.fields["user"].empty_label = CHOOSE
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.display_name or u.username}（{u.username}）"
        )

    @classmethod
    def initial_for(cls, day, organisation=None) -> dict:
        """A 24-hour shift from 08:00 of ``day``, the office's usual hand-over time."""
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(day, time(8)), tz)
        initial = {"starts_at": start, "ends_at": start + timedelta(days=1), "post": Post.A}
        if organisation is not None:
            initial["organisation"] = organisation
        return initial

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", _("A shift ends after it starts."))
            elif end - start > timedelta(hours=self.MAX_HOURS):
                self.add_error(
                    "ends_at",
                    _("A shift lasts at most %(hours)d hours.") % {"hours": self.MAX_HOURS},
                )
        org, user = cleaned.get("organisation"), cleaned.get("user")
        if org and user and user.organisation_id != org.pk:
            self.add_error("user", _("Only members of the organisation can be on its roster."))
        return cleaned
