from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeChatInboundConfig(AppConfig):
    name = "zhengwei.wechat.inbound"
    label = "wechat_inbound"
    verbose_name = "公众号消息接收"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from django.db.models.signals import post_delete, post_save

        from zhengwei.lib import retention
        from zhengwei.orgs.models import WeChatAccount
        from zhengwei.wechat.inbound import policy, replies, services  # noqa: F401  (registers)
        from zhengwei.wechat.inbound.keys import forget_account
        from zhengwei.wechat.inbound.retention import inbound_forget_texts, inbound_oldest_text

        retention.register(
            "message_texts",
            _("Contents of citizens' messages"),
            inbound_forget_texts,
            oldest=inbound_oldest_text,
        )
        # Key changes take effect at once in this process; other processes within the TTL.
        post_save.connect(forget_account, sender=WeChatAccount, dispatch_uid="wx_inbound_keys")
        post_delete.connect(forget_account, sender=WeChatAccount, dispatch_uid="wx_inbound_keys_d")
