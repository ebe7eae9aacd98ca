"""The binding message a person sends from their own WeChat to the account ("绑定 123456"), so
that phone previews reach them. Pure: the inbound handlers (``chat.py``) and the interactions
inbox (which must not file it as a citizen's message) both ask ``bind_code_in``."""

from __future__ import annotations

import re

CODE_DIGITS = 6
_BIND = re.compile(r"^\s*(?:预览)?绑定\s*[:：]?\s*(\d{6})\s*$")


def bind_code_in(text: str | None) -> str | None:
    """The code of a binding message, or None when the text is something else."""
    match = _BIND.match(text or "")
    return match.group(1) if match else None
