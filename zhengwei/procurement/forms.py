"""One form per step (and for suppliers, evidence, thresholds). Amounts are text fields: the
services parse them (``money.parse_money``) so a bad amount is refused with the rule named."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib import indicators
from zhengwei.procurement.models import EvidenceKind, Level, Method
from zhengwei.procurement.services.aftercare import Decision
from zhengwei.procurement.services.purchases import CATEGORIES, NEGATIVE_LIST


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%d", **kw)


def date_field(label, required=True, **kw):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kw)


def money_field(label, required=True, **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kw,
    )


class Styled(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(w, forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(w, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()


def today():
    return timezone.localdate()


class PurchaseForm(Styled):
    title = forms.CharField(
        label=pgettext_lazy("purchase", "Title"),
        max_length=120,
        initial="「福建防汛」政务微信运营服务",
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level of the buying unit"), choices=Level.choices)


class EligibilityForm(Styled):
    category = forms.ChoiceField(label=_("Service category"), choices=list(CATEGORIES.items()))
    negative_hits = forms.MultipleChoiceField(
        label=_("Negative-list items that apply (tick none for an eligible service)"),
        choices=list(NEGATIVE_LIST.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    office_keeps_final_review = forms.BooleanField(
        label=_("The final review and the decision to publish stay with the office"), required=False
    )
    on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BudgetForm(Styled):
    budget_line = forms.CharField(label=_("Budget line"), max_length=120, required=False)
    amount = money_field(_("Approved amount (yuan)"), required=False)
    approved_on = date_field(_("Approved on"), required=False)
    funding_source = forms.CharField(label=_("Funding source"), max_length=120, required=False)
    targets = forms.MultipleChoiceField(
        label=_("Performance targets (indicators)"),
        choices=indicators.choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    on = date_field(_("Date"))


class RequirementsForm(Styled):
    estimated_total = money_field(_("Estimated total over the whole term (yuan)"))
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=36, initial=12
    )
    long_term_conditions = forms.CharField(
        label=_("Conditions for a term over one year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deliverables = forms.CharField(
        label=_("Deliverables and volumes"), widget=forms.Textarea(attrs={"rows": 3})
    )
    pushes_per_week = forms.IntegerField(label=_("Pushes per week"), min_value=0, initial=3)
    original_ratio = forms.DecimalField(
        label=_("Original share (%)"), min_value=0, max_value=100, initial=60
    )
    response_minutes = forms.IntegerField(
        label=_("Emergency response (minutes)"), min_value=1, initial=60
    )
    team = forms.CharField(
        label=_("Team and qualifications"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    licences = forms.MultipleChoiceField(
        label=_("Licences required of suppliers"),
        choices=[
            (k, v)
            for k, v in EvidenceKind.choices
            if k in ("news_licence", "tax_social", "team", "confidentiality")
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidentiality = forms.CharField(label=_("Confidentiality (保密)"), required=False)
    handover = forms.CharField(label=_("Data and account hand-over"), required=False)
    kpi_payment = forms.CharField(label=_("KPI table linked to payment"), required=False)
    price_weight = forms.IntegerField(label=_("Price weight (10–30 points)"), initial=20)
    catalogue_item = forms.ModelChoiceField(
        label=_("Centralised catalogue item"), queryset=None, required=False
    )
    on = date_field(_("Date"))

    def __init__(self, *args, catalogue=(), **kwargs):
        super().__init__(*args, **kwargs)
        from zhengwei.procurement.models import CatalogueItem

        self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(
            pk__in=[c.pk for c in catalogue]
        )
        self.fields["catalogue_item"].empty_label = _("Not in the catalogue")


class RoutingForm(Styled):
    method = forms.ChoiceField(label=pgettext_lazy("procurement", "Method"), choices=Method.choices)
    approval_ref = forms.CharField(
        label=_("Finance department approval (reference)"), required=False
    )
    single_source_ground = forms.CharField(
        label=_("Statutory ground for single source"), required=False
    )
    notice_from = date_field(_("Single-source notice from"), required=False)
    notice_to = date_field(_("Single-source notice to"), required=False)
    intention_published_on = date_field(_("Procurement intention published on"), required=False)
    sme_reserved = forms.BooleanField(
        label=_("Reserved for small and medium enterprises"), required=False
    )
    sme_justification = forms.CharField(label=_("Why not reserved for SMEs"), required=False)
    on = date_field(_("Date"))


class BidForm(Styled):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None)
    amount = money_field(_("Quoted amount (yuan)"))
    submitted_on = date_field(_("Received on"))
    summary = forms.CharField(label=_("Summary"), required=False, max_length=300)

    def __init__(self, *args, suppliers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers


class SeatForm(Styled):
    user = forms.ModelChoiceField(label=_("Evaluator"), queryset=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class QualificationCompleteForm(Styled):
    comparison_note = forms.CharField(
        label=_("Documented comparison (when fewer than three suppliers qualify below the limit)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on = date_field(_("Date"))


class EvaluationCompleteForm(Styled):
    issued_on = date_field(_("Documents issued on"))
    deadline = date_field(_("Response deadline"))
    minutes = forms.CharField(
        label=_("Minutes of the collective decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = date_field(_("Date"))


class DeclareForm(Styled):
    no_conflict = forms.BooleanField(
        label=_("I have no conflict of interest with any supplier"), required=False
    )
    declaration = forms.CharField(label=_("Declaration"), required=False, max_length=300)


class ScoreForm(Styled):
    quality = money_field(_("Quality points"))
    price = money_field(_("Price points"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)


class AwardForm(Styled):
    bid = forms.ModelChoiceField(label=_("Awarded bid"), queryset=None)
    notice_published_on = date_field(_("Award notice published on"))
    reason = forms.CharField(label=_("Reason (when not the first-ranked bid)"), required=False)
    on = date_field(_("Date"))

    def __init__(self, *args, bids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = bids


class ContractForm(Styled):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    value = money_field(_("Contract value (yuan)"))
    signed_on = date_field(_("Signed on"))
    start = date_field(_("Start"))
    end = date_field(_("End (inclusive)"))
    long_term_conditions = forms.CharField(
        label=_("Conditions for a term over one year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DateForm(Styled):
    on = date_field(_("Date"))


class SupplementForm(Styled):
    amount = money_field(_("Amount (yuan)"))
    signed_on = date_field(_("Signed on"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReviewForm(Styled):
    period = date_field(_("Month (any day of it)"))
    score = money_field(_("Score (out of 100)"), required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reviewed_on = date_field(_("Reviewed on"))


class AcceptanceForm(Styled):
    period_label = forms.CharField(label=pgettext_lazy("reporting period", "Period"), max_length=40)
    period_fee = money_field(_("Fee for the period (yuan)"))
    members = forms.ModelMultipleChoiceField(label=_("Acceptance panel"), queryset=None)
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accepted_on = date_field(_("Accepted on"))

    def __init__(self, *args, people=None, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people
        self.levels = list(levels)
        for level in self.levels:
            self.fields[f"m_{level.indicator}"] = forms.DecimalField(
                label=f"{level.spec.label}（{_('target')} {level.target}{level.spec.unit}）",
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def measured(self) -> dict:
        return {lv.indicator: self.cleaned_data.get(f"m_{lv.indicator}") for lv in self.levels}


class PaymentForm(Styled):
    acceptance = forms.ModelChoiceField(label=_("Acceptance"), queryset=None)
    amount = money_field(_("Amount (yuan)"))
    paid_on = date_field(_("Paid on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, acceptances=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acceptance"].queryset = acceptances


class RenewalForm(Styled):
    decision = forms.ChoiceField(label=_("Decision"), choices=list(Decision.LABELS.items()))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    on = date_field(_("Date"))


class SupplierForm(Styled):
    name = forms.CharField(label=_("Name"), max_length=120)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    organisation = forms.ModelChoiceField(
        label=_("Contractor organisation in the platform"), queryset=None, required=False
    )
    is_sme = forms.BooleanField(label=_("Small or medium enterprise"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=60, required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class EvidenceForm(Styled):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    valid_from = date_field(_("Valid from"), required=False)
    valid_until = date_field(_("Valid until"), required=False)
    file = forms.FileField(label=_("File"))


class ThresholdForm(Styled):
    region = forms.CharField(label=_("Region"), max_length=40, initial="福建省")
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    effective_from = date_field(_("In force from"))
    decentralised_limit = money_field(_("Decentralised procurement limit (yuan)"))
    public_tender_threshold = money_field(_("Public tender threshold (yuan)"))
    source = forms.CharField(label=pgettext_lazy("legal basis", "Source"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CatalogueItemForm(Styled):
    region = forms.CharField(label=_("Region"), max_length=40, initial="福建省")
    effective_from = date_field(_("In force from"))
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=80)
    amount_threshold = money_field(_("Applies from (yuan, empty = any amount)"), required=False)
    source = forms.CharField(label=pgettext_lazy("legal basis", "Source"), max_length=200)
