"""Every quota, size limit and delay the simulator enforces, in one dict.

The live platform keeps changing these (brief wechat.md §6.5), so tests and operators override
them instead of editing code: ``settings.SIMULATOR_LIMITS`` (environment variable
SIMULATOR_LIMITS, a JSON object, or a dict under ``override_settings``) is merged over DEFAULTS
key by key, e.g. ``SIMULATOR_LIMITS='{"publish": {"delay_seconds": 0}}'``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from zhengwei.lib.overrides import with_override

MB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    "token": {
        "expires_in": 7200,
        # Classic /cgi-bin/token: a new fetch leaves the previous token 5 more minutes.
        "classic_overlap_seconds": 300,
        "classic_daily_quota": 2000,
        # Stable token: the same token comes back until this long before it expires.
        "stable_renew_before_seconds": 300,
        "stable_daily_quota": 500000,
        "stable_force_daily_quota": 20,
        "stable_force_min_interval_seconds": 30,
        # force_refresh=true invalidates the previous stable token at once (brief §3.1).
        "stable_force_overlap_seconds": 0,
    },
    "menu": {
        "top_level_max": 3,
        "sub_button_max": 5,
        "top_name_bytes": 16,
        "sub_name_bytes": 60,
        "key_bytes": 128,
        "url_bytes": 1024,
        "daily_create": 1000,
    },
    "media": {
        "temporary_ttl_seconds": 3 * 86400,
        # The current page says both "图片2MB" and "图片 10M"; the larger is used here.
        "types": {
            "image": {"max_bytes": 10 * MB, "formats": ["jpg", "png", "gif", "bmp"]},
            "voice": {"max_bytes": 2 * MB, "formats": ["amr", "mp3", "speex"]},
            "video": {"max_bytes": 10 * MB, "formats": ["mp4"]},
            "thumb": {"max_bytes": 64 * 1024, "formats": ["jpg"]},
        },
        "uploadimg_max_bytes": 1 * MB,  # must stay below
        "uploadimg_formats": ["jpg", "png"],
        "daily_upload": 5000,
    },
    "draft": {
        "max_articles": 8,
        "title_chars": 32,
        "author_chars": 16,
        "digest_chars": 128,
        "digest_default_chars": 54,
        "content_chars": 20000,  # must stay below
        "content_bytes": 1 * MB,  # must stay below
        "source_url_bytes": 1024,
        "batch_count_max": 20,
    },
    "publish": {
        "delay_seconds": 3.0,
        # A draft whose title contains this fails review (publish_status 3), to test failures.
        "fail_marker": "[[sim:fail]]",
    },
    "mass": {
        "subscription_daily": 1,  # successful sendall calls per day, subscription accounts
        "service_monthly_per_user": 4,  # pushes a follower receives per month, service accounts
        "delay_seconds": 5.0,
        "clientmsgid_bytes": 64,
        "clientmsgid_window_seconds": 24 * 3600,
        "preview_daily": 100,
        # FromUserName of MASSSENDJOBFINISH; real samples show an openid-like value.
        "event_from": "oSimMassSendNotifier000000000",
        # A mass send whose article title (or text) contains this is accepted (errcode 0), then
        # finishes with ``fail_status`` instead of going out, as when WeChat's review stops it;
        # ``fail_all`` does that to every mass send (SIMULATOR_LIMITS='{"mass": {"fail_all":
        # true}}'); the simulator's page can fail the next one with a chosen status.
        "fail_marker": "[[sim:fail]]",
        "fail_status": "err(10001)",
        "fail_all": False,
        # Whether a send that failed after submission still spends the day's quota. WeChat's
        # documentation does not say; off, so that a corrected push can go out the same day.
        "failed_uses_quota": False,
    },
    "custom": {
        "message_quota": 5,
        "message_window_seconds": 48 * 3600,
        "interaction_quota": 3,  # after a menu click or following
        "interaction_window_seconds": 60,
        "news_max_articles": 1,
        "text_max_bytes": 2048,
    },
    "comments": {"list_count_max": 49, "elect_max": 100, "reply_max_chars": 1000},
    "datacube": {
        # Maximum span in days, counting both ends. The newer article endpoints' spans were not
        # re-verified against the live doc: kept narrow, so what works here works there.
        "spans": {
            "getusersummary": 7,
            "getusercumulate": 7,
            "getarticleread": 1,
            "getarticleshare": 1,
            "getbizsummary": 7,
            "getarticletotaldetail": 7,
        },
        "earliest": "2014-12-01",
        # Plausible synthetic figures on top of what happened in the simulator, so reports
        # built on a fresh demo are not all zeros. Deterministic per account and date.
        "synthetic": True,
        "synthetic_since": "2024-01-01",
        "baseline_followers": 52000,
    },
    "callback": {
        # WeChat waits 5 s, then retries; 3 deliveries in total (brief §2.7).
        "timeout_seconds": 5.0,
        "attempts": 3,
    },
    "deliveries": {"poll_seconds": 2.0},
    "phone": {
        # The phone page sends in a background thread so the page stays responsive.
        "async": True,
        "poll_ms": 2000,
        "thread_items": 200,
        "photo_max_bytes": 10 * MB,
    },
    "users": {"get_page": 10000},
    "callback_ips": ["127.0.0.1"],
    "clear_quota_monthly": 10,
}


def limits() -> dict[str, Any]:
    """DEFAULTS with settings.SIMULATOR_LIMITS (a dict or a JSON string) merged over them."""
    return with_override(DEFAULTS, settings.SIMULATOR_LIMITS, name="SIMULATOR_LIMITS")
