"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from zhengwei.orgs.models import (
    AccountType,
    MessageMode,
    OperationModel,
    Organisation,
    OrgKind,
    RoleGrant,
    User,
    WeChatAccount,
)

PASSWORD = "Test@2026pass"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"组织{n}")
    kind = OrgKind.OFFICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WeChatAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeChatAccount

    office = factory.SubFactory(OrganisationFactory, kind=OrgKind.OFFICE)
    contractor = factory.SubFactory(OrganisationFactory, kind=OrgKind.CONTRACTOR)
    name = factory.Sequence(lambda n: f"测试公众号{n}")
    original_id = factory.Sequence(lambda n: f"gh_{n:012x}")
    app_id = factory.Sequence(lambda n: f"wx{n:016x}")
    token = "testtoken123"
    encoding_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    message_mode = MessageMode.SAFE
    account_type = AccountType.SUBSCRIPTION
    verified = True
    operation_model = OperationModel.DELEGATED
    app_secret_sealed = factory.LazyFunction(
        lambda: __import__("zhengwei.lib.secretbox", fromlist=["seal"]).seal(
            "test-secret",
            key=__import__("django.conf", fromlist=["settings"]).settings.FIELD_ENCRYPTION_KEY,
        )
    )


def grant(user: User, account: WeChatAccount, role: str) -> RoleGrant:
    return RoleGrant.objects.create(user=user, account=account, role=role)
