"""Sign-in lock-out that a stranger cannot turn against a colleague (django-axes handler).

django-axes counts failures per (user name, address) here (``AXES_LOCKOUT_PARAMETERS``), so five
wrong passwords from one address lock that name *from that address* only: anyone who knows a
staff member's user name could otherwise lock them out for 15 minutes with five requests. A
guesser who spreads attempts over many addresses meets a second, higher ceiling per user name
across all addresses (``LOGIN_FAILURE_LIMIT_PER_NAME`` within the same cool-off window).

Unknown user names are counted exactly like real ones, so neither the answer nor the lock-out
tells whether a person exists.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        here = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username is None:
            return here
        everywhere = (
            AccessAttempt.objects.filter(
                username=username, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(n=Sum("failures_since_start"))["n"]
            or 0
        )
        if everywhere >= settings.LOGIN_FAILURE_LIMIT_PER_NAME:
            return max(here, get_failure_limit(request, credentials))
        return here
