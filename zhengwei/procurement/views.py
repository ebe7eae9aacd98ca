"""Thin pages: the purchase list, a purchase with its twelve steps (the current step's form), the
evaluator's scoring page, suppliers and their evidence, the threshold tables, documents, and
the public OCDS packages."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengwei.access.policy import account_chosen, accounts_for, may
from zhengwei.lib import indicators
from zhengwei.lib.errors import error_messages
from zhengwei.orgs.models import Organisation, OrgKind
from zhengwei.procurement import documents, forms, ocds, selectors, steps
from zhengwei.procurement import policy as P
from zhengwei.procurement.models import (
    Acceptance,
    Bid,
    CatalogueItem,
    ContractState,
    Method,
    Step,
    Supplier,
    SupplierEvidence,
    ThresholdRule,
)
from zhengwei.procurement.routing import SME_CEILING, Band
from zhengwei.procurement.services import (
    aftercare,
    contracts,
    evaluation,
    purchases,
    reminders,
    suppliers,
    thresholds,
)
from zhengwei.procurement.services.common import artefact


def _fail(form, exc: ValidationError) -> None:
    for message in error_messages(exc):
        form.add_error(None, message)


# --- the list and a new purchase ------------------------------------------------------------


@login_required
def purchase_list(request):
    accounts = accounts_for(request.user, P.PROCUREMENT_VIEW)
    if not accounts:
        raise PermissionDenied
    account = account_chosen(accounts, request.GET.get("account"))
    items = list(selectors.purchase_list(user=request.user, account=account))
    can_manage = may(request.user, P.PROCUREMENT_MANAGE, account)
    form = forms.PurchaseForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = forms.PurchaseForm(request.POST)
        if form.is_valid():
            try:
                purchase = purchases.purchase_create(
                    actor=request.user, account=account, **form.cleaned_data
                )
            except ValidationError as exc:
                _fail(form, exc)
            else:
                messages.success(request, _("Purchase %(ocid)s opened.") % {"ocid": purchase.ocid})
                return redirect("procurement:detail", pk=purchase.pk)
    ending = []
    if not P.is_contractor(request.user):
        ending = list(
            selectors.contracts_ending(
                before=timezone.localdate() + _notice(), after=timezone.localdate()
            ).filter(account=account)
        )
    return render(
        request,
        "procurement/list.html",
        {
            "account": account,
            "accounts": accounts,
            "purchases": items,
            "form": form if can_manage else None,
            "ending": ending,
        },
    )


def _notice():
    from datetime import timedelta

    from django.conf import settings

    return timedelta(days=settings.PROCUREMENT_RENEWAL_NOTICE_DAYS)


# --- one purchase -----------------------------------------------------------------------------


def _people(purchase, action=P.PROCUREMENT_SIGN):
    from zhengwei.orgs.models import User

    ids = [
        u.pk
        for u in User.objects.filter(grants__account=purchase.account, is_active=True).distinct()
        if not P.is_contractor(u) and may(u, action, purchase.account)
    ]
    return User.objects.filter(pk__in=ids).order_by("username")


def _levels_from_post(post) -> list[dict]:
    rows = []
    for i in range(40):
        code = post.get(f"sl-{i}-indicator", "").strip()
        if not code:
            continue
        rows.append(
            {
                "indicator": code,
                "target": post.get(f"sl-{i}-target", "").strip() or "0",
                "points": post.get(f"sl-{i}-points", "").strip() or "0",
                "deduction_percent": post.get(f"sl-{i}-deduction_percent", "").strip() or "0",
                "deduction_rule": post.get(f"sl-{i}-deduction_rule", "").strip(),
            }
        )
    return rows


def _level_rows(purchase) -> list[dict]:
    """The contract form's service-level table, pre-filled from the budget's performance targets."""
    budget = artefact(purchase, Step.BUDGET)
    rows = []
    for t in budget.data.get("targets", []) if budget else []:
        spec = indicators.get(t["indicator"])
        rows.append(
            {
                "indicator": spec.code,
                "target": t["target"],
                "points": "10",
                "deduction_percent": "10" if spec.veto else "2",
                "deduction_rule": "",
            }
        )
    blank = {
        "indicator": "",
        "target": "",
        "points": "",
        "deduction_percent": "",
        "deduction_rule": "",
    }
    return rows + [dict(blank) for _ in range(3)]


def _step_form(purchase, step: str, data=None, files=None):
    """The form of ``step`` for this purchase, pre-filled (from the purchase this one follows)."""
    initial = {"on": timezone.localdate()}
    before = aftercare.prefill(purchase, step)
    if step == Step.ELIGIBILITY:
        initial.update(
            {"category": before.get("category", "auxiliary"), "office_keeps_final_review": True}
        )
        return forms.EligibilityForm(data, initial=initial)
    if step == Step.BUDGET:
        initial.update(
            {
                "budget_line": before.get("budget_line", ""),
                "funding_source": before.get("funding_source", ""),
                "targets": [t["indicator"] for t in before.get("targets", [])]
                or [
                    "volume_vs_plan",
                    "original_ratio",
                    "days_since_last_post",
                    "msg_resolved_in_sla",
                ],
            }
        )
        return forms.BudgetForm(data, initial=initial)
    if step == Step.REQUIREMENTS:
        keys = (
            "estimated_total",
            "term_months",
            "deliverables",
            "pushes_per_week",
            "original_ratio",
            "response_minutes",
            "team",
            "licences",
            "confidentiality",
            "handover",
            "kpi_payment",
            "price_weight",
        )
        initial.update({k: before[k] for k in keys if k in before})
        catalogue = thresholds.catalogue_in_force(region=purchase.region, on=timezone.localdate())
        return forms.RequirementsForm(data, initial=initial, catalogue=catalogue)
    if step == Step.ROUTING:
        return forms.RoutingForm(data, initial=initial)
    if step == Step.QUALIFICATION:
        return forms.QualificationCompleteForm(data, initial=initial)
    if step == Step.EVALUATION:
        return forms.EvaluationCompleteForm(data, initial=initial)
    if step == Step.AWARD:
        return forms.AwardForm(
            data,
            initial=initial,
            bids=purchase.bids.filter(qualified=True).select_related("supplier"),
        )
    if step == Step.CONTRACT:
        award = artefact(purchase, Step.AWARD)
        initial.update(
            {"value": award.data["amount"] if award else "", "signed_on": timezone.localdate()}
        )
        return forms.ContractForm(data, initial=initial)
    if step == Step.RENEWAL:
        return forms.RenewalForm(data, initial=initial)
    return None


def _context(request, purchase, *, bound: dict | None = None) -> dict:
    user = request.user
    done = {a.step: a for a in purchase.artefacts.all()}
    can_manage = P.may_on_purchase(user, P.PROCUREMENT_MANAGE, purchase)
    step_rows = []
    for step in Step:
        state = (
            "done"
            if step in done
            else ("current" if step == purchase.step and purchase.state == "open" else "blocked")
        )
        step_rows.append(
            {
                "step": step,
                "label": step.label,
                "artefact": steps.ARTEFACT_NAMES[step],
                "done": done.get(step),
                "state": state,
            }
        )
    bound = bound or {}
    ctx = {
        "purchase": purchase,
        "steps": step_rows,
        "can_manage": can_manage,
        "can_sign": P.may_on_purchase(user, P.PROCUREMENT_SIGN, purchase),
        "is_contractor": P.is_contractor(user),
        "bound": bound,
        "reminders": [(r, reminders.kind_label(r.kind)) for r in purchase.reminders.all()],
        "today": timezone.localdate(),
    }
    if can_manage and purchase.state == "open" and purchase.step not in steps.RECURRING:
        ctx["step_form"] = bound.get("step") or _step_form(purchase, purchase.step)
    if purchase.step == Step.ROUTING and can_manage:
        try:
            ctx["route"] = purchases.purchase_route(purchase, on=timezone.localdate())
            ctx["band_label"] = {
                Band.CENTRAL: _("In the centralised catalogue"),
                Band.PUBLIC: _("At or above the public tender threshold"),
                Band.BETWEEN: _("Between the decentralised limit and the public tender threshold"),
                Band.BELOW: _("Below the decentralised limit"),
            }[ctx["route"].band]
            ctx["sme_ceiling"] = SME_CEILING
            ctx["allowed_labels"] = [Method(m).label for m in ctx["route"].allowed]
        except ValidationError as exc:
            ctx["route_error"] = error_messages(exc)
    bids = list(
        purchase.bids.select_related(
            "supplier", "qualification__first_signer", "qualification__second_signer"
        )
    )
    if P.is_contractor(user):
        bids = [b for b in bids if b.supplier.organisation_id == user.organisation_id]
    ctx["bids"] = bids
    if purchase.step == Step.QUALIFICATION and can_manage:
        ctx["bid_form"] = bound.get("bid") or forms.BidForm(
            initial={"submitted_on": timezone.localdate()},
            suppliers=Supplier.objects.all(),
            prefix="bid",
        )
    if purchase.step in (Step.QUALIFICATION, Step.EVALUATION) and can_manage:
        ctx["seat_form"] = bound.get("seat") or forms.SeatForm(
            people=_people(purchase, P.PROCUREMENT_EVALUATE), prefix="seat"
        )
    ctx["evaluators"] = (
        list(purchase.evaluators.select_related("user")) if not P.is_contractor(user) else []
    )
    if purchase.step == Step.EVALUATION and not P.is_contractor(user):
        ctx["ranking"] = evaluation.ranking(purchase)
    contract = getattr(purchase, "contract", None)
    ctx["contract"] = contract
    if purchase.step == Step.CONTRACT and can_manage:
        ctx["level_rows"] = bound.get("level_rows") or _level_rows(purchase)
        ctx["indicator_choices"] = indicators.INDICATORS
    if contract is not None:
        ctx["levels"] = selectors.service_levels(contract)
        ctx["card"] = aftercare.scorecard(contract)
        ctx["acceptances"] = list(contract.acceptances.prefetch_related("members"))
        ctx["payments"] = list(contract.payments.all())
        ctx["supplements"] = list(contract.supplements.all())
        ctx["followers"] = list(contract.followed_by.all())
        ctx["supplement_cap"] = contract.value / 10
        if can_manage:
            ctx["publish_form"] = bound.get("publish") or forms.DateForm(
                initial={"on": timezone.localdate()}, prefix="publish"
            )
            ctx["supplement_form"] = bound.get("supplement") or forms.SupplementForm(
                initial={"signed_on": timezone.localdate()}, prefix="supplement"
            )
            if steps.reached(purchase, Step.MONITORING):
                ctx["review_form"] = bound.get("review") or forms.ReviewForm(
                    initial={"period": timezone.localdate(), "reviewed_on": timezone.localdate()},
                    prefix="review",
                )
            if steps.reached(purchase, Step.ACCEPTANCE):
                ctx["acceptance_form"] = bound.get("acceptance") or forms.AcceptanceForm(
                    initial={"accepted_on": timezone.localdate()},
                    people=_people(purchase),
                    levels=ctx["levels"],
                    prefix="acceptance",
                )
            if steps.reached(purchase, Step.PAYMENT):
                ctx["payment_form"] = bound.get("payment") or forms.PaymentForm(
                    initial={"paid_on": timezone.localdate()},
                    acceptances=Acceptance.objects.filter(
                        contract=contract, passed=True, payment=None
                    ),
                    prefix="payment",
                )
        ends_soon = contract.end <= timezone.localdate() + _notice()
        successor = next(iter(ctx["followers"]), None)
        ctx["ends_soon"] = ends_soon and contract.state == ContractState.SIGNED
        ctx["budget_open"] = ends_soon and not (successor and artefact(successor, Step.BUDGET))
    ctx["documents"] = documents.available(purchase)
    return ctx


@login_required
def purchase_detail(request, pk: int):
    purchase = selectors.purchase_get(user=request.user, pk=pk)
    return render(request, "procurement/detail.html", _context(request, purchase))


def _date(form, name) -> date | None:
    return form.cleaned_data.get(name)


def _do_step(request, purchase):
    step = purchase.step
    form = _step_form(purchase, step, request.POST)
    if form is None or not form.is_valid():
        return {"step": form}
    c = form.cleaned_data
    u = request.user
    try:
        if step == Step.ELIGIBILITY:
            purchases.eligibility_record(
                actor=u,
                purchase=purchase,
                category=c["category"],
                negative_hits=c["negative_hits"],
                office_keeps_final_review=c["office_keeps_final_review"],
                on=c["on"],
                note=c["note"],
            )
        elif step == Step.BUDGET:
            purchases.budget_record(
                actor=u,
                purchase=purchase,
                budget_line=c["budget_line"],
                amount=c["amount"] or "0",
                approved_on=c["approved_on"],
                on=c["on"],
                funding_source=c["funding_source"],
                targets=[{"indicator": code} for code in c["targets"]],
            )
        elif step == Step.REQUIREMENTS:
            purchases.requirements_record(actor=u, purchase=purchase, **c)
        elif step == Step.ROUTING:
            purchases.routing_decide(actor=u, purchase=purchase, **c)
        elif step == Step.QUALIFICATION:
            suppliers.qualification_complete(actor=u, purchase=purchase, **c)
        elif step == Step.EVALUATION:
            evaluation.evaluation_complete(actor=u, purchase=purchase, **c)
        elif step == Step.AWARD:
            evaluation.award_record(actor=u, purchase=purchase, **c)
        elif step == Step.CONTRACT:
            contracts.contract_sign(
                actor=u, purchase=purchase, service_levels=_levels_from_post(request.POST), **c
            )
        elif step == Step.RENEWAL:
            successor = aftercare.renewal_decide(actor=u, purchase=purchase, **c)
            if successor:
                messages.success(
                    request,
                    _("Purchase %(ocid)s opened, pre-filled from this one.")
                    % {"ocid": successor.ocid},
                )
        else:
            raise Http404
    except ValidationError as exc:
        _fail(form, exc)
        bound = {"step": form}
        if step == Step.CONTRACT:
            bound["level_rows"] = _levels_from_post(request.POST)
        return bound
    messages.success(request, _("%(name)s recorded.") % {"name": steps.ARTEFACT_NAMES[step]})
    return None


def _do_bid(request, purchase):
    form = forms.BidForm(request.POST, suppliers=Supplier.objects.all(), prefix="bid")
    if not form.is_valid():
        return {"bid": form}
    try:
        suppliers.bid_record(actor=request.user, purchase=purchase, **form.cleaned_data)
    except ValidationError as exc:
        _fail(form, exc)
        return {"bid": form}
    messages.success(request, _("Bid recorded."))
    return None


def _do_seat(request, purchase):
    form = forms.SeatForm(
        request.POST, people=_people(purchase, P.PROCUREMENT_EVALUATE), prefix="seat"
    )
    if not form.is_valid():
        return {"seat": form}
    try:
        evaluation.evaluator_seat(
            actor=request.user, purchase=purchase, user=form.cleaned_data["user"]
        )
    except ValidationError as exc:
        _fail(form, exc)
        return {"seat": form}
    messages.success(request, _("Evaluator seated."))
    return None


def _do_sign(request, purchase):
    bid = get_object_or_404(Bid, pk=request.POST.get("bid"), purchase=purchase)
    try:
        check = suppliers.qualification_sign(actor=request.user, bid=bid, on=timezone.localdate())
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
        return None
    messages.success(
        request,
        _("Checklist of %(name)s signed (%(n)s of 2).")
        % {"name": bid.supplier.name, "n": 2 if check.signed else 1},
    )
    return None


def _dated(request, purchase, name, form_class, fn, **extra):
    form = form_class(request.POST, prefix=name, **extra)
    if not form.is_valid():
        return {name: form}
    try:
        fn(form)
    except ValidationError as exc:
        _fail(form, exc)
        return {name: form}
    return None


def _do_publish(request, purchase):
    which = request.POST.get("which")
    fn = {"publish": contracts.contract_publish, "file": contracts.contract_file}.get(which)
    if fn is None:
        raise Http404
    return _dated(
        request,
        purchase,
        "publish",
        forms.DateForm,
        lambda f: fn(actor=request.user, contract=purchase.contract, on=f.cleaned_data["on"]),
    )


def _do_supplement(request, purchase):
    return _dated(
        request,
        purchase,
        "supplement",
        forms.SupplementForm,
        lambda f: contracts.supplement_add(
            actor=request.user, contract=purchase.contract, **f.cleaned_data
        ),
    )


def _do_review(request, purchase):
    return _dated(
        request,
        purchase,
        "review",
        forms.ReviewForm,
        lambda f: aftercare.review_record(
            actor=request.user, contract=purchase.contract, **f.cleaned_data
        ),
    )


def _do_acceptance(request, purchase):
    levels = selectors.service_levels(purchase.contract)

    def save(f):
        c = f.cleaned_data
        aftercare.acceptance_record(
            actor=request.user,
            contract=purchase.contract,
            period_label=c["period_label"],
            accepted_on=c["accepted_on"],
            members=list(c["members"]),
            measured=f.measured(),
            period_fee=c["period_fee"],
            conclusion=c["conclusion"],
        )

    return _dated(
        request,
        purchase,
        "acceptance",
        forms.AcceptanceForm,
        save,
        people=_people(purchase),
        levels=levels,
    )


def _do_payment(request, purchase):
    acceptances = Acceptance.objects.filter(contract=purchase.contract, passed=True, payment=None)
    return _dated(
        request,
        purchase,
        "payment",
        forms.PaymentForm,
        lambda f: aftercare.payment_record(actor=request.user, **f.cleaned_data),
        acceptances=acceptances,
    )


ACTIONS = {
    "step": _do_step,
    "bid": _do_bid,
    "seat": _do_seat,
    "sign": _do_sign,
    "publish": _do_publish,
    "supplement": _do_supplement,
    "review": _do_review,
    "acceptance": _do_acceptance,
    "payment": _do_payment,
}


@login_required
@require_POST
def purchase_act(request, pk: int, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    needed = P.PROCUREMENT_SIGN if action == "sign" else P.PROCUREMENT_MANAGE
    purchase = selectors.purchase_get(user=request.user, pk=pk, action=needed)
    if action in ("publish", "supplement", "review", "acceptance", "payment") and not hasattr(
        purchase, "contract"
    ):
        raise Http404
    bound = handler(request, purchase)
    if bound is None:
        return redirect(f"{purchase_url(purchase)}#step-{purchase.step}")
    purchase.refresh_from_db()
    return render(
        request, "procurement/detail.html", _context(request, purchase, bound=bound), status=400
    )


def purchase_url(purchase) -> str:
    from django.urls import reverse

    return reverse("procurement:detail", args=[purchase.pk])


# --- the evaluator's page ------------------------------------------------------------------------


@login_required
def evaluations(request):
    if not accounts_for(request.user, P.PROCUREMENT_EVALUATE):
        raise PermissionDenied
    items = list(selectors.evaluations_for(user=request.user))
    return render(request, "procurement/evaluations.html", {"purchases": items})


@login_required
def score(request, pk: int):
    purchase = selectors.purchase_get(user=request.user, pk=pk, action=P.PROCUREMENT_EVALUATE)
    seat = purchase.evaluators.get(user=request.user)
    bids = list(purchase.bids.filter(qualified=True).select_related("supplier"))
    weight = evaluation.price_weight(purchase)
    declare_form = forms.DeclareForm(
        request.POST if request.POST.get("form") == "declare" else None
    )
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("form") == "declare":
                if declare_form.is_valid():
                    evaluation.evaluator_declare(
                        actor=request.user, purchase=purchase, **declare_form.cleaned_data
                    )
                    messages.success(request, _("Declaration recorded."))
                    return redirect("procurement:score", pk=pk)
            else:
                bid = get_object_or_404(Bid, pk=request.POST.get("bid"), purchase=purchase)
                form = forms.ScoreForm(request.POST)
                if form.is_valid():
                    try:
                        evaluation.score_submit(actor=request.user, bid=bid, **form.cleaned_data)
                    except ValidationError as exc:
                        errors[bid.pk] = error_messages(exc)
                    else:
                        messages.success(
                            request, _("Scores for %(name)s saved.") % {"name": bid.supplier.name}
                        )
                        return redirect("procurement:score", pk=pk)
                else:
                    errors[bid.pk] = [e for es in form.errors.values() for e in es]
        except ValidationError as exc:
            _fail(declare_form, exc)
    mine = {s.bid_id: s for s in seat.scores.all()}
    rows = [{"bid": b, "score": mine.get(b.pk), "errors": errors.get(b.pk, [])} for b in bids]
    return render(
        request,
        "procurement/score.html",
        {
            "purchase": purchase,
            "seat": seat,
            "rows": rows,
            "weight": weight,
            "quality_max": 100 - weight,
            "declare_form": declare_form,
            "open": purchase.step == Step.EVALUATION,
        },
        status=400 if errors or declare_form.errors else 200,
    )


# --- suppliers and evidence --------------------------------------------------------------------


def _require_buyer_side(request):
    if P.is_contractor(request.user) or not accounts_for(request.user, P.PROCUREMENT_RECORDS):
        raise PermissionDenied


@login_required
def supplier_list(request):
    _require_buyer_side(request)
    can_manage = bool(accounts_for(request.user, P.PROCUREMENT_MANAGE))
    orgs = Organisation.objects.filter(kind=OrgKind.CONTRACTOR)
    form = forms.SupplierForm(request.POST or None, organisations=orgs)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                supplier = suppliers.supplier_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _fail(form, exc)
            else:
                messages.success(request, _("Supplier %(name)s added.") % {"name": supplier.name})
                return redirect("procurement:supplier", pk=supplier.pk)
    items = Supplier.objects.prefetch_related("evidence").order_by("name")
    return render(
        request,
        "procurement/suppliers.html",
        {"suppliers": items, "form": form if can_manage else None, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@login_required
def supplier_detail(request, pk: int):
    _require_buyer_side(request)
    supplier = get_object_or_404(Supplier, pk=pk)
    can_manage = bool(accounts_for(request.user, P.PROCUREMENT_MANAGE))
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            c = form.cleaned_data
            try:
                suppliers.evidence_add(
                    actor=request.user,
                    supplier=supplier,
                    kind=c["kind"],
                    upload=c["file"],
                    number=c["number"],
                    valid_from=c["valid_from"],
                    valid_until=c["valid_until"],
                )
            except ValidationError as exc:
                _fail(form, exc)
            else:
                messages.success(request, _("Evidence kept with its SHA-256."))
                return redirect("procurement:supplier", pk=pk)
    evidence = [(e, suppliers.evidence_intact(e)) for e in supplier.evidence.all()]
    return render(
        request,
        "procurement/supplier.html",
        {
            "supplier": supplier,
            "evidence": evidence,
            "form": form if can_manage else None,
            "today": timezone.localdate(),
            "bids": supplier.bids.select_related("purchase"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(SupplierEvidence, pk=pk)
    try:
        content = suppliers.evidence_read(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        return HttpResponse(
            "\n".join(error_messages(exc)), status=409, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(evidence.file_name)}"
    response["X-Content-SHA256"] = evidence.sha256
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- thresholds and the catalogue ---------------------------------------------------------------


@login_required
def threshold_list(request):
    _require_buyer_side(request)
    can_edit = bool(accounts_for(request.user, P.PROCUREMENT_THRESHOLDS))
    form = forms.ThresholdForm(request.POST if request.POST.get("form") == "threshold" else None)
    item_form = forms.CatalogueItemForm(
        request.POST if request.POST.get("form") == "item" else None
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if request.POST.get("form") == "threshold" and form.is_valid():
                thresholds.threshold_add(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Threshold table added."))
                return redirect("procurement:thresholds")
            if request.POST.get("form") == "item" and item_form.is_valid():
                thresholds.catalogue_item_add(actor=request.user, **item_form.cleaned_data)
                messages.success(request, _("Catalogue item added."))
                return redirect("procurement:thresholds")
        except ValidationError as exc:
            _fail(form if request.POST.get("form") == "threshold" else item_form, exc)
    return render(
        request,
        "procurement/thresholds.html",
        {
            "rules": ThresholdRule.objects.all(),
            "items": CatalogueItem.objects.all(),
            "form": form if can_edit else None,
            "item_form": item_form if can_edit else None,
        },
        status=400 if form.errors or item_form.errors else 200,
    )


# --- documents ----------------------------------------------------------------------------------


@login_required
def document(request, pk: int, kind: str, fmt: str):
    purchase = selectors.purchase_get(user=request.user, pk=pk)
    if P.is_contractor(request.user) and kind not in documents.CONTRACTOR_KINDS:
        raise PermissionDenied
    try:
        doc = documents.build(purchase, kind, acceptance=request.GET.get("acceptance"))
    except documents.NotAvailable:
        raise Http404 from None
    if fmt == "pdf":
        content, ctype = documents.render_pdf(doc), "application/pdf"
    elif fmt == "docx":
        content = documents.render_docx(doc)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(doc.filename + '.' + fmt)}"
    )
    return response


# --- OCDS (public, no sign-in) ------------------------------------------------------------------


def _ocds_response(package: dict) -> HttpResponse:
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def ocds_releases(request):
    return _ocds_response(ocds.release_package(request=request))


def ocds_records(request):
    return _ocds_response(ocds.record_package(request=request))
