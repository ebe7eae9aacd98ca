"""Buying the operation service: a purchase (one OCDS ``ocid``) through its twelve steps, the
suppliers and their evidence, the evaluation, the contract with its service-level table, and what
follows the contract (monitoring, acceptance, payment, renewal).

State changes go through ``services/``; reads through ``selectors.py``. Money is ``Decimal`` yuan
with two places (``MONEY``), never float. The step order and its artefacts live in ``steps.py``;
the method routing in ``routing.py``.
"""

from __future__ import annotations

import os
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib import indicators
from zhengwei.orgs.models import Organisation, User, WeChatAccount


def MONEY(verbose_name, **kw) -> models.DecimalField:  # noqa: N802  (a field factory)
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kw)


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private: never served by the web server, only through permission-checked views."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    @cached_property
    def base_url(self):
        return None


_PRIVATE = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _PRIVATE


class Level(models.TextChoices):
    """行政级别 of the buying unit: thresholds differ by level."""

    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal or county")


class Method(models.TextChoices):
    CENTRALISED = "centralised", _("Centralised procurement (集中采购)")
    OPEN_TENDER = "open_tender", _("Open tender (公开招标)")
    INVITED_TENDER = "invited_tender", _("Invited tender (邀请招标)")
    CONSULTATION = "consultation", _("Competitive consultation (竞争性磋商)")
    NEGOTIATION = "negotiation", _("Competitive negotiation (竞争性谈判)")
    FRAMEWORK = "framework", _("Framework agreement (框架协议采购)")
    INQUIRY = "inquiry", _("Request for quotation (询价)")
    SINGLE_SOURCE = "single_source", _("Single source (单一来源)")
    BELOW_LIMIT = "below_limit", _("Below the limit: the unit's internal procedure")


class Step(models.TextChoices):
    """The twelve steps in order (govrules.md §(b)); each ends with a named artefact."""

    ELIGIBILITY = "eligibility", _("Eligibility")
    BUDGET = "budget", _("Budget and performance targets")
    REQUIREMENTS = "requirements", _("Procurement requirements")
    ROUTING = "routing", _("Method routing")
    QUALIFICATION = "qualification", _("Qualification review")
    EVALUATION = "evaluation", _("Solicitation and evaluation")
    AWARD = "award", _("Award")
    CONTRACT = "contract", _("Contract")
    MONITORING = "monitoring", _("Performance monitoring")
    ACCEPTANCE = "acceptance", _("Acceptance")
    PAYMENT = "payment", _("Payment")
    RENEWAL = "renewal", _("Renewal or re-procurement")


STEP_ORDER: list[str] = [s.value for s in Step]


class PurchaseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("procurement", "In progress")
    CLOSED = "closed", pgettext_lazy("purchase state", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ThresholdRule(models.Model):
    """One dated row of the threshold configuration (分散采购限额标准 and 公开招标数额标准) for a
    region and level. Routing reads the latest row in force on the purchase's date."""

    region = models.CharField(_("region"), max_length=40, default="福建省")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    effective_from = models.DateField(_("in force from"))
    decentralised_limit = MONEY(_("decentralised procurement limit (yuan)"))
    public_tender_threshold = MONEY(_("public tender threshold (yuan)"))
    source = models.CharField(pgettext_lazy("legal basis", "source"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "effective_from"], name="threshold_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_level_display()} {self.effective_from}"


class CatalogueItem(models.Model):
    """An item of the 集中采购目录 (dated like the thresholds): purchases of it go to the
    集中采购机构, at or above its own amount when it has one."""

    region = models.CharField(_("region"), max_length=40, default="福建省")
    effective_from = models.DateField(_("in force from"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    amount_threshold = MONEY(_("amount from which it applies (yuan)"), null=True, blank=True)
    source = models.CharField(pgettext_lazy("legal basis", "source"), max_length=200)

    class Meta:
        ordering = ["region", "-effective_from", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from", "code"], name="catalogue_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    # The contractor organisation in the platform, when the supplier is one: its people see their
    # own bids and contracts.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_records",
    )
    is_sme = models.BooleanField(_("small or medium enterprise (中小企业)"), default=False)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence (营业执照)")
    NEWS_LICENCE = "news_licence", _("Internet news information service licence")
    CREDIT_CHECK = "credit_check", _("Credit record check (信用中国 / 中国政府采购网)")
    TAX_SOCIAL = "tax_social", _("Tax and social insurance record")
    TEAM = "team", _("Team credentials (记者证 etc.)")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality capability")
    OTHER = "other", _("Other")


def _evidence_path(instance, filename: str) -> str:
    return f"procurement/evidence/{instance.supplier_id}/{filename}"


class SupplierEvidence(models.Model):
    """A licence or other evidence with its file, kept in private storage with its SHA-256."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=_evidence_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["supplier", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.get_kind_display()}"

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Purchase(models.Model):
    account = models.ForeignKey(
        WeChatAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="purchases"
    )
    ocid = models.CharField(_("OCID"), max_length=80, unique=True)
    title = models.CharField(pgettext_lazy("purchase", "title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = models.CharField(_("region"), max_length=40, default="福建省")
    step = models.CharField(
        _("current step"), max_length=16, choices=Step.choices, default=Step.ELIGIBILITY
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PurchaseState.choices, default=PurchaseState.OPEN
    )
    # From the requirements (采购需求): the value over the whole term decides the method.
    estimated_total = MONEY(_("estimated total over the term (yuan)"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices, blank=True)
    # A renewal or re-procurement names the contract it follows.
    follows = models.ForeignKey(
        "Contract",
        verbose_name=_("follows contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.ocid})"

    @property
    def step_index(self) -> int:
        return STEP_ORDER.index(self.step)


class Artefact(models.Model):
    """The named artefact a step produces (购买服务事项确认单, 预算批复, 采购需求, …); the next step
    is blocked until it exists. ``data`` holds what the step recorded; documents render from it."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="artefacts")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    name = models.CharField(_("artefact"), max_length=60)
    data = models.JSONField(default=dict)
    completed_on = models.DateField(_("date"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purchase", "completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "step"], name="one_artefact_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.purchase.ocid} · {self.name}"


class Bid(models.Model):
    """A supplier's response (投标/响应文件/书面报价) to a purchase."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="bids")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="bids")
    amount = MONEY(_("quoted amount (yuan)"))
    submitted_on = models.DateField(_("submitted on"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    # Set by the qualification review: only qualified bids are scored.
    qualified = models.BooleanField(_("qualified"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purchase", "amount"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "supplier"], name="one_bid_per_supplier")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.amount}"


class QualificationCheck(models.Model):
    """The qualification checklist of one bid, signed off by two different office people."""

    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="qualification")
    items = models.JSONField(default=dict)  # evidence kind -> {"ok": bool, "evidence": id, "note"}
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    first_signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    first_signed_at = models.DateTimeField()
    second_signer = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    second_signed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.bid} · {'✓' if self.passed else '✗'}"

    @property
    def signed(self) -> bool:
        return self.second_signer_id is not None


class Evaluator(models.Model):
    """A member of the evaluation panel, with the conflict-of-interest declaration (回避声明)."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evaluations")
    declared_at = models.DateTimeField(_("declared at"), null=True)
    no_conflict = models.BooleanField(_("declares no conflict of interest"), default=False)
    declaration = models.CharField(_("declaration"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purchase", "user"], name="one_seat_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.purchase.ocid} · {self.user}"


class Score(models.Model):
    """One evaluator's scores for one bid: service quality and price (quality weighted above)."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    quality = models.DecimalField(_("quality points"), max_digits=5, decimal_places=2)
    price = models.DecimalField(_("price points"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "bid"], name="one_score_per_bid")
        ]

    def __str__(self) -> str:
        return f"{self.evaluator.user} → {self.bid}: {self.quality}+{self.price}"

    @property
    def total(self) -> Decimal:
        return self.quality + self.price


class ContractState(models.TextChoices):
    SIGNED = "signed", _("Signed")
    ENDED = "ended", pgettext_lazy("contract state", "Ended")
    TERMINATED = "terminated", _("Terminated")


class Contract(models.Model):
    """The service contract of an awarded purchase, with its service-level table (``ServiceLevel``,
    the indicators the performance scorecard computes) and its supplementary agreements."""

    purchase = models.OneToOneField(Purchase, on_delete=models.PROTECT, related_name="contract")
    account = models.ForeignKey(
        WeChatAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="contracts"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40)
    value = MONEY(_("contract value (yuan)"))
    signed_on = models.DateField(_("signed on"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end (inclusive)"))
    # A term over one year needs the 102号令 conditions recorded here.
    long_term_conditions = models.TextField(_("conditions for a term over one year"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    filed_on = models.DateField(_("filed with the finance department on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ContractState.choices, default=ContractState.SIGNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.number} {self.supplier}"

    @property
    def supplements_total(self) -> Decimal:
        return sum((s.amount for s in self.supplements.all()), Decimal("0.00"))


class ServiceLevel(models.Model):
    """One row of the contract's service-level table: an indicator of the one catalogue
    (``zhengwei.lib.indicators``), its target, its points in the score, and what failing it
    deducts from the payment."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="service_levels")
    # A code of the catalogue; no ``choices`` here, so a new indicator in the catalogue needs no
    # migration (services check the code with ``indicators.get``).
    indicator = models.CharField(_("indicator"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, default=0)
    deduction_rule = models.CharField(_("deduction rule"), max_length=200, blank=True)
    # Share of the period's fee deducted when the target is missed (0–100).
    deduction_percent = models.DecimalField(
        _("deduction (percent of the period's fee)"), max_digits=5, decimal_places=2, default=0
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "indicator"], name="one_level_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spec.label} {self.target}"

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def spec(self) -> indicators.Indicator:
        return indicators.get(self.indicator)

    def met(self, value) -> bool:
        return indicators.met(self.indicator, value, self.target)


class Supplement(models.Model):
    """A supplementary agreement (补充合同): all of them together at most 10 % of the value."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="supplements")
    amount = MONEY(_("amount (yuan)"))
    signed_on = models.DateField(_("signed on"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "signed_on"]

    def __str__(self) -> str:
        return f"{self.contract.number} · +{self.amount}"


class Review(models.Model):
    """A monthly performance-monitoring review (绩效运行监控): OCDS implementation milestone."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    period = models.DateField(_("month"))  # the first day of the month
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"))
    # Set when the month's signed performance scorecard (履约验收) wrote this review: its number
    # in the performance app (told by the ``scorecard.signed`` event; no import runs upward).
    scorecard_ref = models.PositiveBigIntegerField(_("signed scorecard"), null=True, blank=True)
    vetoed = models.BooleanField(_("veto event"), default=False)

    class Meta:
        ordering = ["contract", "period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="one_review_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.period:%Y-%m}"


class Acceptance(models.Model):
    """履约验收书: a panel of at least two checks each deliverable against what was measured."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="acceptances")
    period_label = models.CharField(pgettext_lazy("reporting period", "period"), max_length=40)
    accepted_on = models.DateField(_("accepted on"))
    members = models.ManyToManyField(User, related_name="+", verbose_name=_("panel"))
    items = models.JSONField(default=list)  # [{"indicator", "target", "measured", "met"}]
    passed = models.BooleanField(_("passed"))
    # The fee due for the period before deductions, and what the missed service levels deduct.
    period_fee = MONEY(_("fee for the period (yuan)"), default=Decimal("0.00"))
    deduction = MONEY(_("deduction (yuan)"), default=Decimal("0.00"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["contract", "accepted_on"]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.period_label}"


class Payment(models.Model):
    """A payment (OCDS transaction): only after an acceptance that passed."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    acceptance = models.OneToOneField(Acceptance, on_delete=models.PROTECT, related_name="payment")
    amount = MONEY(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["contract", "paid_on"]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.amount} · {self.paid_on}"


class Reminder(models.Model):
    """A tracked deadline (sign within 30 days, publish within 2 working days, file within 7,
    renewal notice): sent once by ``procurement_reminders``."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=30)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.purchase.ocid} · {self.kind} · {self.due_on}"
