"""WeChat accounts: created and edited through the service, secrets sealed and never shown."""

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import OperationModel, WeChatAccount
from zhengwei.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SECRET = "0123456789abcdef0123456789abcdef"
AES_KEY = "Abcdefghijklmnopqrstuvwxyz0123456789ABCDxyz"


def _form(world, **overrides):
    data = {
        "name": "福建防汛服务号",
        "original_id": "gh_00000000abcd",
        "app_id": "wx00000000000000ab",
        "account_type": "service",
        "verified": "on",
        "office": world.office.pk,
        "operation_model": OperationModel.DELEGATED,
        "contractor": world.contractor.pk,
        "app_secret": SECRET,
        "token": "Token2026",
        "message_mode": "safe",
        "encoding_aes_key": AES_KEY,
    }
    data.update(overrides)
    return data


def _edit_form(world, account, **overrides):
    data = _form(
        world,
        name=account.name,
        original_id=account.original_id,
        app_id=account.app_id,
        account_type=account.account_type,
        app_secret="",
        token=account.token,
        encoding_aes_key="",
        is_active="on",
    )
    data.update(overrides)
    return data


def test_creating_an_account_is_audited_without_its_secret(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:account_create"), _form(world)
    )
    account = WeChatAccount.objects.get(original_id="gh_00000000abcd")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:account_detail", args=[account.pk])
    entry = AuditEntry.objects.get(action="account.create", object_id=str(account.pk))
    assert entry.before is None
    assert entry.after["app_id"] == "wx00000000000000ab"
    assert SECRET not in str(entry.after)
    assert not any("secret" in key for key in entry.after)


def test_the_app_secret_is_stored_sealed_not_in_plaintext(world, client_for):
    client_for(world["system_admin"]).post(reverse("console:account_create"), _form(world))
    account = WeChatAccount.objects.get(original_id="gh_00000000abcd")
    assert account.app_secret_sealed.startswith("fernet:")
    assert SECRET not in account.app_secret_sealed
    assert account.app_secret == SECRET


def test_the_app_secret_is_never_rendered(world, client_for):
    client = client_for(world["system_admin"])
    client.post(reverse("console:account_create"), _form(world))
    account = WeChatAccount.objects.get(original_id="gh_00000000abcd")
    for url in [
        reverse("console:account_detail", args=[account.pk]),
        reverse("console:account_edit", args=[account.pk]),
        reverse("console:account_list"),
    ]:
        html = client.get(url).content.decode()
        assert SECRET not in html
        assert account.app_secret_sealed not in html
    detail = client.get(reverse("console:account_detail", args=[account.pk])).content.decode()
    assert "已加密保存" in detail


def test_a_blank_secret_on_edit_keeps_the_current_one(world, client_for):
    account = world.account
    sealed, old_name = account.app_secret_sealed, account.name
    response = client_for(world["system_admin"]).post(
        reverse("console:account_edit", args=[account.pk]),
        _edit_form(world, account, name="改过的名字"),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "改过的名字"
    assert account.app_secret_sealed == sealed
    assert account.encoding_aes_key == "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    entry = AuditEntry.objects.get(action="account.update", object_id=str(account.pk))
    assert entry.before == {"name": old_name}
    assert entry.after == {"name": "改过的名字"}


def test_a_new_secret_replaces_the_old_one_and_the_audit_says_so(world, client_for):
    account = world.account
    client_for(world["system_admin"]).post(
        reverse("console:account_edit", args=[account.pk]),
        _edit_form(world, account, app_secret="fedcba9876543210fedcba9876543210"),
    )
    account.refresh_from_db()
    assert account.app_secret == "fedcba9876543210fedcba9876543210"
    entry = AuditEntry.objects.get(action="account.update", object_id=str(account.pk))
    assert "fedcba98" not in str(entry.after) + str(entry.before) + entry.note
    assert entry.note


@pytest.mark.parametrize("reference", ["env:WX_FJFX_SECRET", "file:/run/secrets/fjfx"])
def test_a_secret_may_be_given_as_a_reference(world, client_for, reference):
    client_for(world["system_admin"]).post(
        reverse("console:account_edit", args=[world.account.pk]),
        _edit_form(world, world.account, app_secret=reference),
    )
    world.account.refresh_from_db()
    assert world.account.app_secret_sealed == reference
    html = client_for(world["system_admin"]).get(
        reverse("console:account_detail", args=[world.account.pk])
    )
    assert reference in html.content.decode()


@pytest.mark.parametrize(
    ("secret", "message"),
    [("env:1BAD", "env:NAME"), ("file:relative/path", "file:/path"), ("short", "16")],
)
def test_a_malformed_secret_is_refused(world, client_for, secret, message):
    response = client_for(world["system_admin"]).post(
        reverse("console:account_create"), _form(world, app_secret=secret)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WeChatAccount.objects.filter(original_id="gh_00000000abcd").exists()


def test_the_model_rules_are_shown_on_the_form(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:account_create"),
        _form(world, original_id="gh_bad", contractor="", operation_model="delegated"),
    )
    html = response.content.decode()
    assert "原始ID形如 gh_ 加 12 位十六进制数字" in html
    assert "需要指定被委托方" in html
    assert not WeChatAccount.objects.filter(name="福建防汛服务号").exists()


def test_the_detail_shows_the_server_settings_with_the_key_masked(world, client_for):
    html = (
        client_for(world["system_admin"])
        .get(reverse("console:account_detail", args=[world.account.pk]))
        .content.decode()
    )
    key = world.account.encoding_aes_key
    assert key not in html
    assert key[-4:] in html
    assert f"/wechat/callback/{world.account.original_id}/" in html
    assert world.account.token in html
    assert world.account.app_id in html


def test_the_detail_shows_who_holds_which_role(world, client_for):
    html = (
        client_for(world["system_admin"])
        .get(reverse("console:account_detail", args=[world.account.pk]))
        .content.decode()
    )
    assert "值班员" in html
    assert world["duty_officer"].display_name in html
    assert world["editor"].display_name in html


def test_the_edit_form_never_prefills_the_encoding_aes_key(world, client_for):
    html = (
        client_for(world["system_admin"])
        .get(reverse("console:account_edit", args=[world.account.pk]))
        .content.decode()
    )
    assert world.account.encoding_aes_key not in html


def test_an_account_cannot_be_placed_under_an_office_out_of_reach(world, client_for):
    foreign = OrganisationFactory(name="别处的机关")
    response = client_for(world["system_admin"]).post(
        reverse("console:account_create"), _form(world, office=foreign.pk)
    )
    assert response.status_code == 200
    assert not WeChatAccount.objects.filter(original_id="gh_00000000abcd").exists()


def test_the_administrator_who_registers_an_account_administers_it(world, client_for):
    client = client_for(world["system_admin"])
    response = client.post(reverse("console:account_create"), _form(world), follow=True)
    assert response.status_code == 200
    account = WeChatAccount.objects.get(original_id="gh_00000000abcd")
    assert account.grants.filter(user=world["system_admin"], role="system_admin").exists()
    assert AuditEntry.objects.filter(action="role.grant", note__contains="公众号").exists()
