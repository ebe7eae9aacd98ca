"""Who acts on a report when it is not a signed-in person.

Citizens never sign in: the intake view proves who they are (a signed H5 link carrying the
openid, a phone number, the ticket's status-page token, or WeChat's signed callback) and passes a
``Citizen``. Open311 clients pass an ``ApiClient`` after their key was checked. Automatic steps
(overdue escalation) pass ``SYSTEM``.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengwei.reports.models import ApiKey


@dataclass(frozen=True)
class Citizen:
    openid: str = ""
    phone_hash: str = ""
    ip: str | None = None
    # How the identity was established: "wechat", "h5_link", "phone", "status_token".
    proof: str = ""
    # The ticket whose status-page token was presented (proof="status_token").
    ticket: str = ""

    is_authenticated = False

    @property
    def label(self) -> str:
        return "市民"

    def owns(self, report) -> bool:
        if self.proof == "status_token":
            return bool(self.ticket) and self.ticket == report.ticket
        if self.openid and report.reporter_openid:
            return self.openid == report.reporter_openid
        if self.phone_hash and report.reporter_phone_hash:
            return self.phone_hash == report.reporter_phone_hash
        return False


@dataclass(frozen=True)
class ApiClient:
    key: ApiKey
    ip: str | None = None

    is_authenticated = False

    @property
    def label(self) -> str:
        return f"Open311 · {self.key.name}"[:80]


class _System:
    is_authenticated = False
    label = "系统"
    ip = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()
