"""The editable word lists: banned and sensitive words, typos, officials' names and titles."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.newsroom import policy as P
from zhengwei.newsroom.models import Term, TermKind
from zhengwei.newsroom.services.common import audit, refuse, require
from zhengwei.orgs.models import User, WeChatAccount


def terms_add(*, actor: User, account: WeChatAccount, kind: str, lines: str) -> list[Term]:
    """Add entries, one a line. Typos: ``wrong right``; officials: ``name title [rank]``."""
    require(actor, P.WORDS_MANAGE, account)
    if kind not in TermKind.values:
        raise refuse(_("Unknown word list."))
    rows = []
    for number, line in enumerate((lines or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        term, replacement, rank = parts[0], "", 0
        if kind == TermKind.TYPO:
            if len(parts) < 2:
                raise refuse(
                    _("Line %(n)d: a typo needs the wrong and the right form.") % {"n": number}
                )
            replacement = parts[1]
        elif kind == TermKind.LEADER:
            if len(parts) < 2:
                raise refuse(_("Line %(n)d: an official needs a name and a title.") % {"n": number})
            replacement = parts[1]
            if len(parts) > 2:
                if not parts[2].isdigit():
                    raise refuse(_("Line %(n)d: the rank is a number.") % {"n": number})
                rank = int(parts[2])
        if len(term) > 60 or len(replacement) > 60:
            raise refuse(_("Line %(n)d is too long.") % {"n": number})
        rows.append((term, replacement, rank))
    if not rows:
        raise refuse(_("Enter at least one entry."))
    saved = []
    with transaction.atomic():
        for term, replacement, rank in rows:
            obj, _created = Term.objects.update_or_create(
                account=account,
                kind=kind,
                term=term,
                defaults={"replacement": replacement, "rank": rank},
            )
            saved.append(obj)
        audit(actor, "newsroom.words.add", account, note=f"{kind}: {len(rows)}")
    return saved


def term_delete(*, actor: User, term: Term) -> None:
    require(actor, P.WORDS_MANAGE, term.account)
    with transaction.atomic():
        audit(actor, "newsroom.words.delete", term.account, note=f"{term.kind}: {term.term}")
        term.delete()
