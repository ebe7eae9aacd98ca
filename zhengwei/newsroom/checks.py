"""The checks before review (pure: text and word lists in, findings out).

Word lists are matched with one Aho–Corasick automaton per list (pyahocorasick): the cost is
the length of the text plus the matches, whatever the number of terms, where a loop over the
terms costs text × terms (``bench/run newsroom-checks`` prints the ratio). Automata are derived
from the database lists and cached in the process under the lists' version (count and last
change), so an edit anywhere is seen by every process on its next check.

Candidate typos are then checked at word level (``segmented_hits``): jieba segments the text
once, so a listed wrong form that only appears across two real words (``部暑`` in 全部暑期) is
dropped, two stray characters that become a common word when one is swapped for its confusable
twin (``按装`` → 安装, ``因该`` → 应该) are proposed, and 的/地/得 are checked by the parts of
speech around them (``积极的做好`` → 地, ``涨的很快`` → 得, ``坚定地信念`` → 的).

Positions are offsets into ``document(title, digest, body_text)``, the text reviewers see.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import ahocorasick

# A small offline confusion set (常见错别字): wrong form → right form. Accounts add their own
# entries to the typo list; reviewers confirm or dismiss each candidate.
CONFUSIONS = {
    "按装": "安装",
    "既使": "即使",
    "再接再励": "再接再厉",
    "一股作气": "一鼓作气",
    "迫不急待": "迫不及待",
    "防汛抗早": "防汛抗旱",
    "暴雨预螫": "暴雨预警",
    "转移安制": "转移安置",
    "山洪暴法": "山洪暴发",
    "泄洪道": "泄洪道",
    "震憾": "震撼",
    "竭泽而鱼": "竭泽而渔",
    "渡过难关": "度过难关",
    "坐阵指挥": "坐镇指挥",
    "部暑": "部署",
    "布暑": "部署",
    "一愁莫展": "一筹莫展",
    "不径而走": "不胫而走",
    "谈笑风声": "谈笑风生",
    "急流勇进": "急流勇退",
    "穿流不息": "川流不息",
    "走头无路": "走投无路",
    "甘败下风": "甘拜下风",
    "防患于未燃": "防患于未然",
    "未雨筹缪": "未雨绸缪",
    "严阵以对": "严阵以待",
    "众志诚城": "众志成城",
    "抢险救济": "抢险救灾",
    "汛情严竣": "汛情严峻",
    "形式严峻": "形势严峻",
}
CONFUSIONS = {k: v for k, v in CONFUSIONS.items() if k != v}

# Characters often typed for one another (同音 / 形近), each way. Two single characters that jieba
# could not join into a word, and that become a common word when one is swapped for its twin,
# are a candidate typo.
CONFUSABLE_PAIRS = (
    "安按 部布 署暑 即既 再在 以已 厉励 象像 账帐 决绝 须需 置制 型形 势式 汛讯 旱早 "
    "险验 溃馈 堤提 坝贝 报抱 援缓 抢枪 疏梳 撤彻 挡档 排徘 淹掩 涝劳 候侯 戒诫 辖瞎 "
    "应因 做作 震振 防妨 备背 峻竣 急及 坐座 渡度 辨辩 练炼 截载"
).split()
CONFUSABLE: dict[str, set[str]] = {}
for _a, _b in CONFUSABLE_PAIRS:
    if _a != _b:
        CONFUSABLE.setdefault(_a, set()).add(_b)
        CONFUSABLE.setdefault(_b, set()).add(_a)
# A swapped pair is proposed when it is at least this common, and at least this share of the
# rarer of its two characters (请按 → 请安 is common enough, but rare next to 按 itself).
MIN_WORD_FREQ = 20
MIN_WORD_SHARE = 0.1
PROPER_NOUNS = ("nr", "ns", "nt", "nz")
# 的 → 得 when a verb is followed by one of these (涨的很快 → 涨得很快).
DEGREE_WORDS = (
    "很",
    "非常",
    "十分",
    "特别",
    "更加",
    "格外",
    "相当",
    "越来越",
    "极其",
    "比较",
    "太",
)

_ID = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])"
)
_MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]·?[A-HJ-NP-Z0-9]{5,6}"
)
_HREF = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']""", re.I)
_SENTENCE = re.compile(r"[。！？\n；]")


def _id_ok(number: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    text: str
    serious: bool = False
    suggestion: str = ""
    message: str = ""


@dataclass
class Lists:
    """The word lists of one account, compiled."""

    banned: ahocorasick.Automaton | None = None
    sensitive: ahocorasick.Automaton | None = None
    typos: ahocorasick.Automaton | None = None
    leaders: ahocorasick.Automaton | None = None
    leader_titles: dict[str, str] = field(default_factory=dict)
    leader_ranks: dict[str, int] = field(default_factory=dict)
    titles: ahocorasick.Automaton | None = None


def automaton(pairs: Iterable[tuple[str, object]]) -> ahocorasick.Automaton | None:
    machine = ahocorasick.Automaton()
    count = 0
    for key, value in pairs:
        if key:
            machine.add_word(key, (key, value))
            count += 1
    if not count:
        return None
    machine.make_automaton()
    return machine


def compile_lists(
    *,
    banned: Iterable[str] = (),
    sensitive: Iterable[str] = (),
    typos: dict[str, str] | None = None,
    leaders: Iterable[tuple[str, str, int]] = (),
) -> Lists:
    """leaders: (name, title, rank) — rank orders officials (smaller comes first)."""
    leaders = list(leaders)
    titles = {title for _, title, _ in leaders if title}
    return Lists(
        banned=automaton((t, None) for t in banned),
        sensitive=automaton((t, None) for t in sensitive),
        typos=automaton({**CONFUSIONS, **(typos or {})}.items()),
        leaders=automaton((name, None) for name, _, _ in leaders),
        leader_titles={name: title for name, title, _ in leaders},
        leader_ranks={name: rank for name, _, rank in leaders},
        titles=automaton((t, None) for t in titles),
    )


def document(title: str, digest: str, body_text: str) -> str:
    return f"{title}\n{digest}\n{body_text}"


def _longest(machine, text: str) -> list[tuple[int, int, str, object]]:
    """Matches as (start, end, key, value), overlapping ones reduced to the longest."""
    if machine is None:
        return []
    found = []
    for end, (key, value) in machine.iter(text):
        found.append((end - len(key) + 1, end + 1, key, value))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept, reach = [], -1
    for match in found:
        if match[0] >= reach:
            kept.append(match)
            reach = match[1]
    return kept


def word_hits(doc: str, lists: Lists) -> list[Hit]:
    hits: list[Hit] = []
    for start, end, key, _ in _longest(lists.banned, doc):
        hits.append(Hit("banned", start, end, key, True, "", "禁用词"))
    for start, end, key, _ in _longest(lists.sensitive, doc):
        hits.append(Hit("sensitive", start, end, key, False, "", "敏感词，请确认用法"))
    for start, end, key, right in _longest(lists.typos, doc):
        hits.append(Hit("typo", start, end, key, False, str(right), f"疑似错别字，应为“{right}”"))
    hits.extend(leader_hits(doc, lists))
    return hits


def _segment(doc: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, part of speech) for every token of ``doc``. Without HMM: jieba's HMM
    invents words out of unknown characters, which would swallow the very typos we look for.
    jieba is imported here because it is heavy (about a second and 100 MB on first use): only
    the processes that check articles pay for it."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    tokens, at = [], 0
    for pair in jieba.posseg.cut(doc, HMM=False):
        tokens.append((at, at + len(pair.word), pair.word, pair.flag))
        at += len(pair.word)
    return tokens


def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies and parts of speech (heavy; see _segment)."""
    import jieba
    import jieba.posseg

    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def segmented_hits(doc: str, hits: list[Hit]) -> list[Hit]:
    """The typo candidates of ``hits`` checked at word level, plus the candidates only a
    segmentation finds (confusable characters, 的/地/得). Other findings pass unchanged."""
    if not doc.strip():
        return hits
    tokens = _segment(doc)
    inside_word = set()  # offsets strictly inside a token of two or more characters
    for start, end, word, _flag in tokens:
        if len(word) > 1:
            inside_word.update(range(start + 1, end))
    kept = [
        h for h in hits if h.kind != "typo" or not (h.start in inside_word and h.end in inside_word)
    ]
    taken = {i for h in kept if h.kind == "typo" for i in range(h.start, h.end)}
    for hit in _confusable_hits(tokens) + _particle_hits(tokens):
        if not taken.intersection(range(hit.start, hit.end)):
            kept.append(hit)
            taken.update(range(hit.start, hit.end))
    return kept


def _is_han(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _confusable_hits(tokens) -> list[Hit]:
    freqs, tags = _dictionary()
    hits = []
    for (start, _m, a, _fa), (_m2, end, b, _fb) in zip(tokens, tokens[1:], strict=False):
        if len(a) != 1 or len(b) != 1 or (a not in CONFUSABLE and b not in CONFUSABLE):
            continue
        if not _is_han(a + b) or freqs.get(a + b):
            continue
        options = [x + b for x in CONFUSABLE.get(a, ())] + [a + y for y in CONFUSABLE.get(b, ())]
        best = max(options, key=lambda w: freqs.get(w) or 0)
        freq = freqs.get(best) or 0
        if (
            freq >= MIN_WORD_FREQ
            and freq >= MIN_WORD_SHARE * min(freqs.get(a) or 1, freqs.get(b) or 1)
            and tags.get(best, "") not in PROPER_NOUNS
        ):
            hits.append(Hit("typo", start, end, a + b, False, best, f"疑似错别字，应为“{best}”"))
    return hits


def _particle_hits(tokens) -> list[Hit]:
    """的/地/得 by the parts of speech around them (jieba's tags: ad adverbial adjective,
    a adjective, v verb, n noun)."""
    hits = []
    after = [
        *tokens[3:],
        (0, 0, "", "x"),
    ]
    for (s0, _e0, w0, f0), (_s1, _e1, w1, _f1), (_s2, e2, w2, f2), (_s3, _e3, _w3, f3) in zip(
        tokens, tokens[1:], tokens[2:], after, strict=False
    ):
        right = ""
        # 明确的购买服务计划: the verb starts a noun phrase, 的 is right.
        if w1 == "的" and f0 == "ad" and f2 in ("v", "vd", "vi") and not f3.startswith(("n", "vn")):
            right = "地"
        elif w1 == "的" and f0 in ("v", "vi") and w2.startswith(DEGREE_WORDS):
            right = "得"
        elif w1 == "地" and f0 == "a" and f2 == "n":
            right = "的"
        if right:
            hits.append(
                Hit(
                    "typo",
                    s0,
                    e2,
                    w0 + w1 + w2,
                    False,
                    w0 + right + w2,
                    f"“{w1}”疑应为“{right}”",
                )
            )
    return hits


def leader_hits(doc: str, lists: Lists) -> list[Hit]:
    """Officials: a wrong title right before a name, and names out of rank order within a
    sentence (both serious: a wrong title or order for a leader is a serious error)."""
    hits: list[Hit] = []
    names = _longest(lists.leaders, doc)
    if not names:
        return hits
    titles = _longest(lists.titles, doc)
    title_ending_at = {end: key for _, end, key, _ in titles}
    for start, end, name, _ in names:
        written = title_ending_at.get(start)
        right = lists.leader_titles.get(name, "")
        if written and right and written != right:
            hits.append(
                Hit(
                    "leader_title",
                    start - len(written),
                    end,
                    written + name,
                    True,
                    right + name,
                    f"{name}的职务应为“{right}”",
                )
            )
    # Rank order, sentence by sentence.
    sentence_starts = [0] + [m.end() for m in _SENTENCE.finditer(doc)]
    by_sentence: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, name, _ in names:
        index = bisect.bisect_right(sentence_starts, start) - 1
        by_sentence.setdefault(index, []).append((start, end, name))
    for mentions in by_sentence.values():
        seen: list[str] = []
        for start, end, name in mentions:
            if name in seen:
                continue
            rank = lists.leader_ranks.get(name, 0)
            before = [n for n in seen if lists.leader_ranks.get(n, 0) > rank]
            if before:
                hits.append(
                    Hit(
                        "leader_order",
                        start,
                        end,
                        name,
                        True,
                        "",
                        f"{name}应排在{'、'.join(before)}之前",
                    )
                )
            seen.append(name)
    return hits


def personal_hits(doc: str) -> list[Hit]:
    hits = []
    for match in _ID.finditer(doc):
        if _id_ok(match.group(0)):
            hits.append(Hit("personal", *match.span(), match.group(0), True, "", "身份证号码"))
    for match in _MOBILE.finditer(doc):
        hits.append(Hit("personal", *match.span(), match.group(0), True, "", "手机号码"))
    for match in _PLATE.finditer(doc):
        hits.append(Hit("personal", *match.span(), match.group(0), True, "", "车牌号码"))
    return hits


def link_hits(body_html: str, allowed_hosts: Iterable[str]) -> list[Hit]:
    allowed = {h.lower() for h in allowed_hosts}
    hits = []
    for match in _HREF.finditer(body_html or ""):
        url = match.group(1)
        host = (urlsplit(url).hostname or "").lower()
        if host not in allowed and not any(host.endswith("." + h) for h in allowed):
            hits.append(
                Hit("link", 0, 0, url[:200], False, "", "链接不在允许范围内，微信可能不显示")
            )
    return hits


def image_hits(sources: Iterable[str], on_wechat: set[str]) -> list[Hit]:
    """Images whose src is not a WeChat URL this account uploaded: WeChat would not show them
    (pasted from the web, or offered images still on their way)."""
    return [
        Hit("limit", 0, 0, src[:200], True, "", "图片尚未上传到微信，发布后不会显示")
        for src in sources
        if src not in on_wechat
    ]


def limit_hits(
    *, title: str, author: str, digest: str, body_html: str, has_cover: bool, limits: dict
) -> list[Hit]:
    """WeChat's draft limits, read from the one table (``wechat.outbound.limits``)."""
    hits = []

    def over(label: str, value: str, most: int):
        if len(value) > most:
            hits.append(
                Hit(
                    "limit", 0, 0, value[:200], True, "", f"{label}超过{most}字（现{len(value)}字）"
                )
            )

    over("标题", title, limits["title_chars"])
    over("作者", author, limits["author_chars"])
    over("摘要", digest, limits["digest_chars"])
    if len(body_html) >= limits["content_chars"]:
        hits.append(Hit("limit", 0, 0, "", True, "", f"正文须少于{limits['content_chars']}字符"))
    if len(body_html.encode()) >= limits["content_bytes"]:
        hits.append(Hit("limit", 0, 0, "", True, "", "正文须小于1MB"))
    if not title.strip():
        hits.append(Hit("limit", 0, 0, "", True, "", "标题不能为空"))
    if not has_cover:
        hits.append(Hit("limit", 0, 0, "", True, "", "须设置封面图片"))
    return hits


def naive_word_hits(doc: str, terms: Iterable[str]) -> int:
    """The peer for the benchmark: one scan of the text per term."""
    count = 0
    for term in terms:
        start = doc.find(term)
        while start != -1:
            count += 1
            start = doc.find(term, start + 1)
    return count
