"""Before the office switches an account's operation model, the console shows what changes —
which roles each side gains or loses, with their pages and personal-data rights, which people's
grants stop or start counting, how contractor drafts get approved — and saves only when that
preview is confirmed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.console.tests.test_account_management import _edit_form
from zhengwei.orgs import services
from zhengwei.orgs.models import OperationModel

pytestmark = pytest.mark.django_db


def _independent(world, **extra):
    return _edit_form(
        world,
        world.account,
        operation_model=OperationModel.INDEPENDENT,
        contractor="",
        **extra,
    )


def test_switching_to_independent_operation_shows_the_rights_it_takes_away_first(world, client_for):
    url = reverse("console:account_edit", args=[world.account.pk])
    response = client_for(world["system_admin"]).post(url, _independent(world))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="model-preview"' in html
    world.account.refresh_from_db()
    assert world.account.operation_model == OperationModel.DELEGATED  # nothing changed yet
    preview = html.split('data-testid="model-preview"', 1)[1].split('data-testid="confirm-model"')[
        0
    ]
    # The contractor loses the operator role, and with it the menu and the automatic replies.
    operator_row = next(
        row
        for row in preview.split('data-testid="preview-role"')[1:]
        if row.startswith("><td>运营</td>") and "被委托方" in row
    )
    assert "被委托方" in operator_row and "失去" in operator_row
    assert "自定义菜单" in operator_row and "自动回复" in operator_row
    # … the office may now hold it, personal-data rights listed.
    assert "可以担任" in preview
    # The operator's own grant is named, as suspended.
    grants = preview.split('data-testid="preview-grants"', 1)[1]
    assert str(world["operator"]) in grants and "暂停" in grants
    # The approval path of what the contractor drafts: reviewer → leader, then none.
    approval = preview.split('data-testid="preview-approval"', 1)[1].split("</p>", 1)[0]
    assert "审核员" in approval and "办公室领导" in approval
    assert not AuditEntry.objects.filter(action="role.suspend").exists()


def test_the_change_is_saved_when_confirmed_with_the_preview(world, client_for):
    url = reverse("console:account_edit", args=[world.account.pk])
    data = _independent(world, confirm_model=OperationModel.INDEPENDENT)
    response = client_for(world["system_admin"]).post(url, data)
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.operation_model == OperationModel.INDEPENDENT
    assert AuditEntry.objects.filter(
        action="role.suspend", object_id=str(world["operator"].pk)
    ).exists()


def test_the_service_refuses_a_change_of_model_nobody_confirmed(world):
    with pytest.raises(ValidationError):
        services.account_update(
            actor=world["system_admin"],
            account=world.account,
            operation_model=OperationModel.COLLABORATIVE,
        )
    world.account.refresh_from_db()
    assert world.account.operation_model == OperationModel.DELEGATED
    services.account_update(
        actor=world["system_admin"],
        account=world.account,
        operation_model=OperationModel.COLLABORATIVE,
        confirm_model=OperationModel.COLLABORATIVE,
    )
    world.account.refresh_from_db()
    assert world.account.operation_model == OperationModel.COLLABORATIVE


def test_other_edits_need_no_confirmation(world, client_for):
    url = reverse("console:account_edit", args=[world.account.pk])
    data = _edit_form(world, world.account, name="福建防汛（新）")
    assert client_for(world["system_admin"]).post(url, data).status_code == 302
    world.account.refresh_from_db()
    assert world.account.name == "福建防汛（新）"
