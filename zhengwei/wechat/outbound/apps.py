from django.apps import AppConfig


class WeChatOutboundConfig(AppConfig):
    name = "zhengwei.wechat.outbound"
    label = "wechat_outbound"
    verbose_name = "微信接口（出站）"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from zhengwei.console.nav import NavItem, register
        from zhengwei.lib.events import subscribe
        from zhengwei.wechat.outbound import limits, policy
        from zhengwei.wechat.outbound.handlers import on_message_received

        limits.limits()  # a malformed WECHAT_LIMITS stops start-up, not a send at 3 a.m.
        subscribe("wechat.message_received", on_message_received)
        for item in (
            NavItem(
                group=_("WeChat"),
                label=_("Custom menu"),
                url_name="wechat_outbound:menu",
                action=policy.MENU_MANAGE,
                description=_("The menu at the bottom of the account: edit, preview, publish"),
                icon="☰",
                order=22,
            ),
            NavItem(
                group=_("WeChat"),
                label=_("Account statistics"),
                url_name="wechat_outbound:stats",
                action=policy.STATS_VIEW,
                description=_("Followers and article reads per day"),
                icon="↗",
                order=23,
            ),
            NavItem(
                group=_("WeChat"),
                label=_("API call log"),
                url_name="wechat_outbound:api_log",
                action=policy.API_LOG_VIEW,
                description=_("Every call to the WeChat API, with errors and timings"),
                icon="⇄",
                order=24,
            ),
        ):
            register(item)
