from django.apps import AppConfig


class WeChatOutboundConfig(AppConfig):
    name = "zhengwei.wechat.outbound"
    label = "wechat_outbound"
    verbose_name = "微信接口（出站）"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.lib.events import subscribe
        from zhengwei.wechat.outbound import limits, tasks
        from zhengwei.wechat.outbound.handlers import (
            on_content_change_approved,
            on_message_received,
        )

        limits.limits()  # a malformed WECHAT_LIMITS stops start-up, not a send at 3 a.m.
        subscribe("wechat.message_received", on_message_received)
        subscribe("content_change.approved", on_content_change_approved)
        subscribe("outbound_message.queued", tasks.on_messages_queued)
