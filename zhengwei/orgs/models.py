from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengwei.lib import secretbox


class OrgKind(models.TextChoices):
    OFFICE = "office", _("Office (principal)")
    CONTRACTOR = "contractor", _("Contractor (agent)")
    UNIT = "unit", _("County/township unit")


class OperationModel(models.TextChoices):
    INDEPENDENT = "independent", _("Independent operation")
    DELEGATED = "delegated", _("Delegated operation")
    COLLABORATIVE = "collaborative", _("Collaborative operation")


class Role(models.TextChoices):
    OFFICE_LEADER = "office_leader", _("Office leader (final review)")
    OFFICE_REVIEWER = "office_reviewer", _("Office reviewer (first/second review)")
    DUTY_LEADER = "duty_leader", _("Duty leader")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    AUDITOR = "auditor", _("Auditor (read-only)")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    EDITOR = "editor", _("Editor")
    WRITER = "writer", _("Writer/reporter")
    OPERATOR = "operator", _("Operator")
    UNIT_OFFICER = "unit_officer", _("Unit duty officer")
    # 三员分立 (GB/T 22239 §8.1.5): the third administrator beside the system administrator and
    # the auditor (审计管理员); last, so the permission matrix gained one column at its end.
    SECURITY_ADMIN = "security_admin", _("Security administrator")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    # Units hang under the office that dispatches work to them.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    region_code = models.CharField(
        _("region code"),
        max_length=12,
        blank=True,
        help_text=_("Administrative division code, e.g. 350100"),
    )
    region_name = models.CharField(_("region"), max_length=60, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrgKind.UNIT:
            if not self.parent_id:
                raise ValidationError({"parent": _("A unit belongs to an office.")})
            if self.parent and self.parent.kind != OrgKind.OFFICE:
                raise ValidationError({"parent": _("A unit's parent must be an office.")})
        elif self.parent_id:
            raise ValidationError({"parent": _("Only units have a parent office.")})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    # A code of settings.LANGUAGES; empty: the office's language (LANGUAGE_CODE).
    language = models.CharField(_("interface language"), max_length=10, blank=True)

    class Meta:
        ordering = ["organisation__name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def org_kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id else None


class MessageMode(models.TextChoices):
    PLAINTEXT = "plaintext", _("Plaintext")
    COMPATIBLE = "compatible", _("Compatible")
    SAFE = "safe", _("Safe (encrypted)")


class AccountType(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription account")
    SERVICE = "service", _("Service account")


_ORIGINAL_ID = re.compile(r"^gh_[0-9a-f]{12}$")
_APP_ID = re.compile(r"^wx[0-9a-f]{16}$")
_AES_KEY = re.compile(r"^[A-Za-z0-9]{43}$")
_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")


def validate_original_id(value: str) -> None:
    if not _ORIGINAL_ID.match(value):
        raise ValidationError(_("An original id looks like gh_ followed by 12 hex digits."))


def validate_app_id(value: str) -> None:
    if not _APP_ID.match(value):
        raise ValidationError(_("An AppID looks like wx followed by 16 hex digits."))


def validate_aes_key(value: str) -> None:
    if value and not _AES_KEY.match(value):
        raise ValidationError(_("The EncodingAESKey has exactly 43 letters and digits."))


def validate_token(value: str) -> None:
    if not _TOKEN.match(value):
        raise ValidationError(_("The token has 3 to 32 letters and digits."))


class WeChatAccount(models.Model):
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("owning office"),
        on_delete=models.PROTECT,
        related_name="accounts",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    contractor = models.ForeignKey(
        Organisation,
        verbose_name=_("contractor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_accounts",
        limit_choices_to={"kind": OrgKind.CONTRACTOR},
    )
    name = models.CharField(_("account name"), max_length=60)
    original_id = models.CharField(
        _("original id"), max_length=20, unique=True, validators=[validate_original_id]
    )
    app_id = models.CharField(_("AppID"), max_length=18, unique=True, validators=[validate_app_id])
    # Sealed by zhengwei.lib.secretbox: encrypted, or a reference (env:/file:).
    app_secret_sealed = models.TextField(_("AppSecret (sealed)"), blank=True)
    token = models.CharField(_("token"), max_length=32, validators=[validate_token])
    encoding_aes_key = models.CharField(
        _("EncodingAESKey"), max_length=43, blank=True, validators=[validate_aes_key]
    )
    message_mode = models.CharField(
        _("message mode"), max_length=12, choices=MessageMode.choices, default=MessageMode.SAFE
    )
    account_type = models.CharField(
        _("account type"),
        max_length=12,
        choices=AccountType.choices,
        default=AccountType.SUBSCRIPTION,
    )
    verified = models.BooleanField(_("verified"), default=False)
    operation_model = models.CharField(
        _("operation model"),
        max_length=16,
        choices=OperationModel.choices,
        default=OperationModel.DELEGATED,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("WeChat account")
        verbose_name_plural = _("WeChat accounts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.message_mode != MessageMode.PLAINTEXT and not self.encoding_aes_key:
            errors["encoding_aes_key"] = _("Compatible and safe modes need an EncodingAESKey.")
        if self.operation_model == OperationModel.INDEPENDENT and self.contractor_id:
            errors["contractor"] = _("An independently operated account has no contractor.")
        if self.operation_model != OperationModel.INDEPENDENT and not self.contractor_id:
            errors["contractor"] = _("Delegated and collaborative accounts need a contractor.")
        if errors:
            raise ValidationError(errors)

    @property
    def app_secret(self) -> str:
        return secretbox.unseal(self.app_secret_sealed, key=settings.FIELD_ENCRYPTION_KEY)

    def set_app_secret(self, value: str) -> None:
        self.app_secret_sealed = secretbox.seal(value, key=settings.FIELD_ENCRYPTION_KEY)

    @property
    def app_secret_display(self) -> str:
        return secretbox.describe(self.app_secret_sealed)

    @property
    def is_subscription(self) -> bool:
        return self.account_type == AccountType.SUBSCRIPTION

    def organisations(self) -> list[Organisation]:
        """The organisations that may hold roles on this account."""
        orgs = [self.office, *self.office.units.filter(is_active=True)]
        if self.contractor_id:
            orgs.append(self.contractor)
        return orgs


class RoleRule(models.Model):
    """Which kind of organisation may hold which role under an operation model.

    Seeded with the defaults of the three models; administrators may change them, because which
    side holds a role is an arrangement of the contract, not of the software.
    """

    operation_model = models.CharField(max_length=16, choices=OperationModel.choices)
    role = models.CharField(max_length=24, choices=Role.choices)
    org_kind = models.CharField(max_length=20, choices=OrgKind.choices)

    class Meta:
        unique_together = [("operation_model", "role", "org_kind")]
        ordering = ["operation_model", "role", "org_kind"]
        verbose_name = _("role rule")
        verbose_name_plural = _("role rules")

    def __str__(self) -> str:
        return f"{self.get_operation_model_display()}: {self.get_role_display()} ← {self.get_org_kind_display()}"


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("person")
    )
    account = models.ForeignKey(
        WeChatAccount, on_delete=models.CASCADE, related_name="grants", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("user", "account", "role")]
        ordering = ["account", "role", "user"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.account}"


class Post(models.TextChoices):
    A = "A", _("A post (lead)")
    B = "B", _("B post (backup)")


class DutyShift(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("person")
    )
    post = models.CharField(_("post"), max_length=1, choices=Post.choices, default=Post.A)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "post"]
        indexes = [models.Index(fields=["organisation", "starts_at", "ends_at"])]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")

    def __str__(self) -> str:
        return f"{self.organisation} {self.post} {self.user} {self.starts_at:%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A shift ends after it starts.")})
        if (
            self.user_id
            and self.organisation_id
            and self.user.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"user": _("Only members of the organisation can be on its roster.")}
            )
