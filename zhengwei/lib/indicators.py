"""THE one catalogue of performance indicators (绩效指标).

Contract service levels (``zhengwei.procurement``: each ``ServiceLevel`` row names an indicator
``code``) and the monthly/annual scorecards (``zhengwei.performance``) both read this module, so an
indicator is defined once: its code, its Chinese label, its unit, which direction is better, and the
rule or benchmark it comes from. The table follows govrules.md §(a); the numbers there marked
"cfg" are contract parameters (``default_target`` is the cited benchmark, not a rule).

Values are compared as ``Decimal`` (``met``): never floats, so a target of 95.00 % means the same in
the contract, the scorecard and the payment deduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Direction(StrEnum):
    HIGHER = "higher"  # more is better: the value must be at least the target
    LOWER = "lower"  # less is better: the value must be at most the target
    PASS = "pass"  # yes/no: 1 is met, 0 is not (the target is 1)


class Scope(StrEnum):
    ACCOUNT = "account"  # computed per WeChat account
    CONTRACT = "contract"  # computed per contract or contractor


class Group(StrEnum):
    """The 财预〔2020〕10号 framework the 100-point score is built on (indicator 21)."""

    DECISION = "决策"
    PROCESS = "过程"
    OUTPUT = "产出"
    EFFECT = "效益"
    SATISFACTION = "满意度"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # Chinese, shown to people
    unit: str  # Chinese unit shown after a value ("天", "%", "条", "" for yes/no)
    direction: Direction
    source: str  # the rule or benchmark, as cited in govrules.md
    scope: Scope = Scope.ACCOUNT
    group: Group = Group.OUTPUT
    veto: bool = False  # 单项否决: failing it fails the month whatever the score
    default_target: Decimal | None = None  # the cited benchmark, offered when a contract is drafted
    description: str = ""

    def met(self, value: Decimal | int | bool | None, target: Decimal | int | None = None) -> bool:
        """Whether ``value`` meets ``target`` (the default target when none is given)."""
        return met(self, value, target)

    def format(self, value: Decimal | int | bool | None) -> str:
        if value is None:
            return "—"
        if self.direction == Direction.PASS:
            return "是" if Decimal(value) >= 1 else "否"
        return f"{value}{self.unit}" if self.unit not in ("", "是/否") else str(value)


P = Direction
S = Scope
G = Group

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "days_since_last_post",
        "距上次更新天数",
        "天",
        P.LOWER,
        "国办秘函〔2019〕19号 单项否决「监测时间点前2周内无更新」",
        veto=True,
        default_target=Decimal("13"),
        description="统计时点与最近一次发布之间的天数；满14天为单项否决。",
    ),
    Indicator(
        "interaction_channel_ok",
        "互动功能有效",
        "",
        P.PASS,
        "国办秘函〔2019〕19号 单项否决「未提供有效互动功能」",
        veto=True,
        default_target=Decimal("1"),
        description="账号具备留言权限，或已配置并正常响应的留言/私信/自动回复渠道。",
    ),
    Indicator(
        "serious_error_events",
        "严重表述错误",
        "次",
        P.LOWER,
        "国办秘函〔2019〕19号 安全、泄密事故等严重问题",
        veto=True,
        default_target=Decimal("0"),
        description="领导人姓名职务排序、国名地图、机构全称等严重错误，经审核人员确认。",
    ),
    Indicator(
        "secret_or_pii_leaks",
        "泄密或个人信息泄露",
        "次",
        P.LOWER,
        "国办秘函〔2019〕19号 泄露国家秘密；个人信息保护法",
        veto=True,
        default_target=Decimal("0"),
        description="已发布内容中出现身份证号、手机号、银行卡号或密级标识。",
    ),
    Indicator(
        "prohibited_content_or_links",
        "违规内容或非法外链",
        "次",
        P.LOWER,
        "国办秘函〔2019〕19号 发布或链接反动暴力色情等内容",
        veto=True,
        default_target=Decimal("0"),
        description="敏感词命中，或链接指向白名单以外的商业广告等外部地址。",
    ),
    Indicator(
        "broken_function_rate",
        "功能不可用比例",
        "%",
        P.LOWER,
        "国办秘函〔2019〕19号 服务不实用",
        veto=True,
        default_target=Decimal("0"),
        description="菜单、小程序和链接每日探测中持续失败的比例。",
    ),
    Indicator(
        "typo_rate",
        "错别字率",
        "处/万字",
        P.LOWER,
        "图书质量管理规定 差错率合格线（借用）；各地通报将错敏字计入扣分",
        default_target=Decimal("1"),
        description="经审核人员确认的错别字数，每万字。",
    ),
    Indicator(
        "review_chain_complete",
        "三审完成率",
        "%",
        P.HIGHER,
        "国办发〔2018〕123号「分级分类审核、先审后发」",
        group=G.PROCESS,
        default_target=Decimal("100"),
        description="初审、复审、终审（委托方）均早于发布时间的稿件比例。",
    ),
    Indicator(
        "original_ratio",
        "原创率",
        "%",
        P.HIGHER,
        "采购需求实例：深圳前海法院 100/150，六安每次推送至少1篇原创",
        default_target=Decimal("66.7"),
        description="统计期内原创稿件占全部稿件的比例。",
    ),
    Indicator(
        "reprint_latency",
        "重要信息转载时长",
        "小时",
        P.LOWER,
        "福建省政府网站重要政策信息8小时转载规定（借用）",
        default_target=Decimal("8"),
        description="上级指定稿件发布至本账号转载的时长。",
    ),
    Indicator(
        "emergency_latency",
        "应急响应发布时长",
        "分钟",
        P.LOWER,
        "防汛账号职能（无全国统一标准，合同约定）",
        default_target=Decimal("60"),
        description="省防指启动应急响应或发布预警至账号首条相关发布的时长。",
    ),
    Indicator(
        "msg_first_response_time",
        "留言首次响应时长",
        "小时",
        P.LOWER,
        "乐清等地留言办理规定：受理不超过1个工作日",
        group=G.EFFECT,
        default_target=Decimal("8"),
        description="留言到达至首次公开或私信回复的中位时长。",
    ),
    Indicator(
        "msg_resolved_in_sla",
        "留言按时办结率",
        "%",
        P.HIGHER,
        "各地留言办理时限（咨询2–5个工作日，投诉建议5–7个工作日）",
        group=G.EFFECT,
        default_target=Decimal("95"),
        description="在分类时限内办结的留言比例。",
    ),
    Indicator(
        "msg_overdue_90d",
        "超3个月未回复留言",
        "条",
        P.LOWER,
        "政府网站「互动回应差」超过3个月未回复",
        group=G.EFFECT,
        default_target=Decimal("0"),
        description="超过3个月仍未回复的留言条数。",
    ),
    Indicator(
        "office_escalation_latency",
        "转交委托方时长",
        "小时",
        P.LOWER,
        "设计目标（P2）；地方规定24小时内转办",
        scope=S.CONTRACT,
        group=G.EFFECT,
        default_target=Decimal("2"),
        description="咨询、投诉、舆情类留言到达至委托方收到通知的时长。",
    ),
    Indicator(
        "wci",
        "微信传播指数WCI",
        "",
        P.HIGHER,
        "清博 WCI V14.2 公式（仅作趋势与同类比较）",
        group=G.EFFECT,
        description="按清博公式由阅读、在看、点赞、转发数计算。",
    ),
    Indicator(
        "follower_net_growth",
        "粉丝净增长",
        "人",
        P.HIGHER,
        "六安采购需求：每个合同期新增有效粉丝不少于2000人",
        group=G.EFFECT,
        default_target=Decimal("2000"),
        description="统计期末关注人数减去期初关注人数。",
    ),
    Indicator(
        "volume_vs_plan",
        "发布量完成率",
        "%",
        P.HIGHER,
        "采购需求实例：每周3次推送、每次不少于2条",
        default_target=Decimal("100"),
        description="实际推送次数占合同计划推送次数的比例。",
    ),
    Indicator(
        "contract_term_ok",
        "合同期限合规",
        "",
        P.PASS,
        "财政部令第102号：合同履行期限一般不超过1年",
        scope=S.CONTRACT,
        group=G.DECISION,
        default_target=Decimal("1"),
        description="合同期限不超过1年（满足条件并记录时不超过3年）。",
    ),
    Indicator(
        "supplemental_value_ratio",
        "补充合同金额占比",
        "%",
        P.LOWER,
        "政府采购法 第四十九条：补充合同金额不超过原合同的10%",
        scope=S.CONTRACT,
        group=G.DECISION,
        default_target=Decimal("10"),
        description="全部补充合同金额之和占原合同金额的比例。",
    ),
    Indicator(
        "kpi_composite_score",
        "绩效综合得分",
        "分",
        P.HIGHER,
        "财预〔2020〕10号：百分制，优≥90、良80–89、中60–79、差<60",
        scope=S.CONTRACT,
        group=G.EFFECT,
        default_target=Decimal("80"),
        description="预算执行10＋产出50＋效益30＋满意度10；出现单项否决当月评为差。",
    ),
    Indicator(
        "payment_adjustment",
        "服务费扣减比例",
        "%",
        P.LOWER,
        "广西体育局代运维合同：排名每低于前三分之一一位扣年度费用2%",
        scope=S.CONTRACT,
        group=G.PROCESS,
        default_target=Decimal("0"),
        description="按合同服务水平条款对服务费的扣减比例。",
    ),
    Indicator(
        "account_registry_ok",
        "账号备案合规",
        "",
        P.PASS,
        "国办发〔2018〕123号；全国政务新媒体信息报送系统备案",
        group=G.DECISION,
        default_target=Decimal("1"),
        description="已备案、名称主体一致、同一平台每单位不超过1个账号。",
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def get(code: str) -> Indicator:
    """The indicator with this code; KeyError names the unknown code."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(
            f"unknown indicator {code!r}: add it to zhengwei/lib/indicators.py"
        ) from None


def codes() -> list[str]:
    return [i.code for i in INDICATORS]


def choices() -> list[tuple[str, str]]:
    """(code, Chinese label) pairs for a model field or a form's select."""
    return [(i.code, i.label) for i in INDICATORS]


def vetoes() -> list[Indicator]:
    """The 单项否决 indicators: any failure fails the month."""
    return [i for i in INDICATORS if i.veto]


def met(
    indicator: Indicator | str,
    value: Decimal | int | bool | None,
    target: Decimal | int | None = None,
) -> bool:
    """Whether ``value`` meets ``target`` in the indicator's direction (None is never met)."""
    ind = get(indicator) if isinstance(indicator, str) else indicator
    if value is None:
        return False
    target = ind.default_target if target is None else target
    value = Decimal(int(value)) if isinstance(value, bool) else Decimal(value)
    if ind.direction == Direction.PASS:
        return value >= 1
    if target is None:
        return True  # a trend-only indicator (WCI) has no pass line
    target = Decimal(target)
    return value >= target if ind.direction == Direction.HIGHER else value <= target


# Grade bands of 财预〔2020〕10号 (优 ≥90, 良 80–89, 中 60–79, 差 <60).
GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("90"), "优"),
    (Decimal("80"), "良"),
    (Decimal("60"), "中"),
    (Decimal("0"), "差"),
)


def grade(score: Decimal | int | None, *, vetoed: bool = False) -> str:
    """The grade of a 100-point score; a 单项否决 event makes it 差 whatever the score."""
    if score is None:
        return "—"
    if vetoed:
        return "差"
    for floor, label in GRADES:
        if Decimal(score) >= floor:
            return label
    return "差"
