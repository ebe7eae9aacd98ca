import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.procurement.models import Step
from zhengwei.procurement.services import evaluation
from zhengwei.procurement.tests.flow import day, run_to


def test_an_evaluator_declares_before_scoring_and_a_conflict_stops_scoring(world):
    case = run_to(world, Step.EVALUATION)
    ev1, ev2 = case.evaluators[:2]
    with pytest.raises(ValidationError, match="回避"):
        evaluation.score_submit(actor=ev1, bid=case.bids[0], quality="70", price="18")
    evaluation.evaluator_declare(
        actor=ev2, purchase=case.purchase, no_conflict=False, declaration="曾在第2家任职"
    )
    with pytest.raises(ValidationError, match="回避"):
        evaluation.score_submit(actor=ev2, bid=case.bids[0], quality="70", price="18")


def test_only_seated_evaluators_score(world):
    case = run_to(world, Step.EVALUATION)
    with pytest.raises(PermissionDenied):
        evaluation.score_submit(
            actor=world["office_leader"], bid=case.bids[0], quality="70", price="18"
        )
    with pytest.raises(PermissionDenied):
        evaluation.score_submit(
            actor=world["project_manager"], bid=case.bids[0], quality="70", price="18"
        )


def test_price_is_weighted_below_quality(world):
    case = run_to(world, Step.EVALUATION)
    ev = case.evaluators[0]
    evaluation.evaluator_declare(actor=ev, purchase=case.purchase, no_conflict=True)
    with pytest.raises(ValidationError, match="10%–30%"):
        evaluation.score_submit(actor=ev, bid=case.bids[0], quality="50", price="21")
    with pytest.raises(ValidationError, match="10%–30%"):
        evaluation.score_submit(actor=ev, bid=case.bids[0], quality="81", price="10")


def test_the_ranking_orders_by_total_then_by_the_lower_amount(world):
    case = run_to(world, Step.AWARD)
    table = case.purchase.artefacts.get(step=Step.EVALUATION).data["ranking"]
    assert [r["supplier"] for r in table] == [b.supplier.name for b in case.bids]
    assert table[0]["total"] == "93.00" and len(table[0]["scores"]) == 3


def test_a_consultation_needs_ten_days_between_documents_and_deadline(world):
    from zhengwei.procurement.models import Method

    with pytest.raises(ValidationError, match="不少于10日"):
        evaluation._period_ok(Method.CONSULTATION, day(0), day(9))
    evaluation._period_ok(Method.CONSULTATION, day(0), day(10))


def test_the_award_goes_to_the_first_ranked_bid_unless_a_reason_is_recorded(world):
    case = run_to(world, Step.AWARD)
    with pytest.raises(ValidationError):
        evaluation.award_record(
            actor=case.buyer,
            purchase=case.purchase,
            bid=case.bids[1],
            on=day(11),
            notice_published_on=day(11),
        )
    art = evaluation.award_record(
        actor=case.buyer,
        purchase=case.purchase,
        bid=case.bids[0],
        on=day(11),
        notice_published_on=day(12),
    )
    assert art.data["notice_late"] is False
    assert case.purchase.reminders.get(kind="sign_contract").due_on == day(41)
