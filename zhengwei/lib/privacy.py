"""Citizens' personal data in what people see: one masking rule, pseudonyms, coarse locations.

The delegated model rests on one promise: the contractor never sees citizens' personal data
(PIPL; see docs/guide and reference/security.md). What a citizen writes is stored as written and
masked when it is shown or exported, never by changing the record:

- ``mask_text(text, names=...)`` masks mainland mobile and landline numbers, 身份证 numbers, bank
  cards, licence plates, e-mail addresses and the names the citizen gave in structured fields.
- ``pseudonym(openid, account_id=...)`` is a short name, stable per account, that lets a contractor
  operator follow a conversation without the openid (an identifier of the person, PIPL art. 4).
- ``coarse(lat, lng)`` rounds a location to about a kilometre (行踪轨迹 is sensitive, art. 28).
- ``Lens`` is what one viewer may see: built once per request by ``zhengwei.access.privacy.lens_for``
  (the policy decides), then asked by views, exports and the ``|masked`` template filter.

Masking is the default even for those with ``personal_data.view``: they see the full text only
after an audited reveal (like the report's phone field), so a screen over a shoulder or a
forwarded export carries no more than it must.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

MASK = "*"

# 身份证: 6-digit region, birth date 18xx/19xx/20xx, 3-digit sequence, check digit.
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[0-9Xx](?![0-9A-Za-z])"
)
# Mainland mobile, optionally +86/0086 and spaced or hyphenated 3-4-4.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# Bank cards: 16 to 19 digits, optionally in groups of four.
_BANK_CARD = re.compile(r"(?<!\d)(?:\d{4}[\s-]?){3}\d{4}(?:[\s-]?\d{1,3})?(?!\d)")
# Landlines with their area code: 0591-87654321, (0591)8765432, 0591 87654321.
_LANDLINE = re.compile(r"(?<!\d)[(（]?(0\d{2,3})[)）]?[\s-]?(\d{7,8})(?!\d)")
# Licence plates: province, letter, optional separator, 5 (or 6 for new-energy) characters.
_PLATE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-HJ-NP-Z])"
    r"[·•\s-]?([A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警]?)(?![A-Za-z0-9])"
)
# A name the citizen introduces themselves with: 我叫王建国, 姓名：王建国, 联系人 王建国.
_SELF_NAMED = re.compile(
    r"(我叫|我的名字[是叫]?|姓名[是为]?|联系人[是为]?|报告人[是为]?)([:：\s]*)([\u4e00-\u9fff])([\u4e00-\u9fff]{1,3})"
)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def _stars(n: int) -> str:
    return MASK * max(n, 1)


def _mask_mobile(m: re.Match) -> str:
    return f"{m.group(1)}****{m.group(3)}"


def _mask_id(m: re.Match) -> str:
    s = m.group(0)
    return s[:1] + _stars(len(s) - 2) + s[-1:]


def _mask_card(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return _stars(len(digits) - 4) + digits[-4:]


def _mask_landline(m: re.Match) -> str:
    number = m.group(2)
    return f"{m.group(1)}-{_stars(len(number) - 2)}{number[-2:]}"


def _mask_plate(m: re.Match) -> str:
    return f"{m.group(1)}{m.group(2)}·{_stars(len(m.group(3)))}"


def _mask_self_named(m: re.Match) -> str:
    return f"{m.group(1)}{m.group(2)}{m.group(3)}{_stars(len(m.group(4)))}"


def _mask_email(m: re.Match) -> str:
    return f"{m.group(1)}***@{m.group(2)}"


def mask_name(name: str) -> str:
    """王建国 → 王**; a single character becomes *."""
    name = (name or "").strip()
    if len(name) <= 1:
        return _stars(len(name)) if name else ""
    return name[0] + _stars(len(name) - 1)


def mask_text(text: str | None, *, names: Iterable[str] = ()) -> str:
    """``text`` with every piece of personal data masked (the one rule; see the module doc).

    ``names`` are the names the citizen gave in structured fields (a report's reporter name);
    a name the writer introduces (我叫…, 姓名：…, 联系人…) is masked too. Other free-standing
    names cannot be found reliably in Chinese text and are not guessed at.
    """
    if not text:
        return "" if text is None else text
    out = str(text)
    out = _EMAIL.sub(_mask_email, out)
    out = _ID_CARD.sub(_mask_id, out)
    out = _MOBILE.sub(_mask_mobile, out)
    out = _BANK_CARD.sub(_mask_card, out)
    out = _LANDLINE.sub(_mask_landline, out)
    out = _PLATE.sub(_mask_plate, out)
    out = _SELF_NAMED.sub(_mask_self_named, out)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out


def pseudonym(openid: str | None, *, account_id: int | None) -> str:
    """A short name for a citizen, the same on every page of one account and different on
    another account's (so pseudonyms cannot be joined across offices): 粉丝 + 6 characters."""
    if not openid:
        return ""
    key = hashlib.sha256(f"zhengwei-pseudonym:{settings.SECRET_KEY}".encode()).digest()
    mac = hmac.new(key, f"{account_id or 0}:{openid}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(mac[:5]).decode().rstrip("=")[:6]
    return f"粉丝{code}"


COARSE_DIGITS = 2  # about 1.1 km of latitude


def coarse(lat: float | None, lng: float | None) -> tuple[float, float] | None:
    """The location rounded to about a kilometre: enough to count reports by area, not to find
    a house. None when either coordinate is missing."""
    if lat is None or lng is None:
        return None
    return (round(float(lat), COARSE_DIGITS), round(float(lng), COARSE_DIGITS))


@dataclass(frozen=True)
class Lens:
    """What one viewer sees of citizens' personal data on one account.

    ``personal``: the policy lets the viewer see personal data (``personal_data.view``): exact
    locations, and a reveal on request. ``revealed``: the viewer asked to see it in full and the
    reveal was audited. Without ``revealed`` free text is masked and openids are pseudonyms, for
    everyone.
    """

    account_id: int | None = None
    personal: bool = False
    revealed: bool = False
    names: tuple[str, ...] = field(default=())

    def with_names(self, *names: str) -> Lens:
        extra = tuple(n for n in names if n)
        return Lens(self.account_id, self.personal, self.revealed, self.names + extra)

    def text(self, text: str | None, *, names: Iterable[str] = ()) -> str:
        if self.revealed:
            return text or ""
        return mask_text(text, names=(*self.names, *names))

    def name(self, name: str | None) -> str:
        if self.revealed:
            return name or ""
        return mask_name(name or "")

    def openid(self, openid: str | None, *, account_id: int | None = None) -> str:
        if self.revealed:
            return openid or ""
        return pseudonym(openid, account_id=account_id or self.account_id)

    def point(self, lat: float | None, lng: float | None) -> tuple[float, float] | None:
        if lat is None or lng is None:
            return None
        if self.personal:
            return (lat, lng)
        return coarse(lat, lng)


# The lens of someone who may not see personal data (exports to the contractor, public APIs).
MASKED = Lens()
