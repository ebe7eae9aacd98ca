"""Demo newsroom: the July 2017 typhoon season of 福建防汛 (台风“纳沙”和“海棠”, 29–31 July).

Five weeks of history (3 July – 6 August 2017): columns with their cadence, word lists, topics,
articles written, checked and approved through the 三审 chain by the demo people (through the
newsroom services), pushes published (history: their WeChat outcome is written in bulk, as the
platform would have reported it), the Nesat emergency with its live page — and today's work in
progress: a topic to decide, an article waiting at 复审 with comments on its passages, a returned
one with the editor's comments, a planned push, and the hydro briefing offered as a draft. The
reviewers, the leader, the editor and the writer have their own WeChat bound for previews (the
simulator has their phones: ``sim_seed``).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from zhengwei.demo.constants import ORIGINAL_ID, PREVIEW_PHONES
from zhengwei.newsroom import services
from zhengwei.newsroom.checks import document
from zhengwei.newsroom.models import (
    Article,
    Column,
    Emergency,
    LiveEntry,
    LiveEvent,
    NewsImage,
    Push,
    Term,
)
from zhengwei.newsroom.sanitize import text_of
from zhengwei.orgs.models import User, WeChatAccount

TZ = ZoneInfo("Asia/Shanghai")
COLUMNS = [
    ("防汛动态", 2, "#1d4f91"),
    ("健康", 1, "#2e8b57"),
    ("提醒", 1, "#d9822b"),
    ("关注", 0, "#8e44ad"),
    ("实用", 0, "#16a085"),
    ("时节", 1, "#c0392b"),
    ("鲜闻", 0, "#7f8c8d"),
]
TERMS = {
    "banned": ["绝对安全", "万无一失", "零伤亡保证"],
    "sensitive": ["伤亡", "溃坝", "决堤", "失联"],
    "typo": ["暴雨预螫 暴雨预警", "转移安制 转移安置"],
    "leader": ["林建国 省长 1", "陈海峰 副省长 2", "王立平 厅长 3"],
}
# (week offset, weekday, column, title, original)
HISTORY = [
    (0, 0, "防汛动态", "全省防汛工作会议召开", True),
    (0, 2, "健康", "汛期饮水安全六提醒", True),
    (0, 4, "时节", "小暑：雷阵雨多发，出行看天", True),
    (1, 0, "防汛动态", "闽江流域迎来强降雨", True),
    (1, 3, "提醒", "山洪地质灾害防范指南", False),
    (2, 1, "防汛动态", "各地开展汛前隐患排查", True),
    (2, 3, "实用", "家庭应急包清单", True),
    (2, 5, "时节", "大暑：高温与台风并行", True),
    (3, 5, "防汛动态", "台风“纳沙”逼近 我省启动防台风Ⅲ级应急响应", True),
    (3, 6, "防汛动态", "“纳沙”“海棠”双台风影响我省 全省转移群众", True),
    (4, 0, "防汛动态", "双台风过境 各地有序恢复生产", True),
    (4, 1, "关注", "转移安置点里的一夜", True),
    (4, 3, "健康", "灾后防疫十问", False),
]
MONDAY = date(2017, 7, 3)


def _cover(account: WeChatAccount, operator: User) -> NewsImage:
    existing = NewsImage.objects.filter(account=account, media_id="DEMO_COVER").first()
    if existing:
        return existing
    out = io.BytesIO()
    Image.new("RGB", (900, 383), (29, 79, 145)).save(out, format="JPEG", quality=80)
    image = NewsImage(
        account=account,
        sha256="demo-cover",
        content_type="image/jpeg",
        size=len(out.getvalue()),
        media_id="DEMO_COVER",
        uploaded_by=operator,
    )
    image.file.save("demo-cover.jpg", ContentFile(out.getvalue()), save=False)
    image.wechat_url = image.file.url
    image.save()
    return image


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _write(people, account, column, title, *, original=True, body=None):
    article = services.article_create(
        actor=people["writer"],
        account=account,
        title=title,
        author="赵记者",
        column=column,
        is_original=original,
        source_url="" if original else "https://mp.weixin.qq.com/s/demo",
        body_html=body
        or f"<p>{title}。记者从省防汛办获悉，各地按照部署落实各项防御措施。</p>"
        "<p>请广大群众关注预警信息，远离危险区域。</p>",
    )
    services.article_save(actor=people["writer"], article=article, cover=people["cover"])
    return article


def _approve(people, article):
    services.article_submit(actor=people["writer"], article=article)
    for role in ("editor", "reviewer", "leader"):
        step = article.steps.get(state="pending")
        services.review_approve(actor=people[role], step=step, comment="同意")
    article.refresh_from_db()
    return article


def _history(people, account, columns) -> None:
    for week, weekday, column, title, original in HISTORY:
        day = MONDAY + timedelta(days=7 * week + weekday)
        article = _write(people, account, columns[column], title, original=original)
        if week == 1 and weekday == 3:  # one return in the history: 复审 asked for the source
            services.article_submit(actor=people["writer"], article=article)
            services.review_approve(actor=people["editor"], step=article.steps.get(state="pending"))
            services.review_return(
                actor=people["reviewer"],
                step=article.steps.get(state="pending"),
                reason="转载须注明来源并核对数据",
            )
            services.article_save(
                actor=people["writer"], article=article, digest="据省自然资源厅发布"
            )
        _approve(people, article)
        push = services.push_plan(
            actor=people["operator"], account=account, title=title, planned_for=day
        )
        services.push_set_articles(actor=people["operator"], push=push, articles=[article])
        written = _at(day, 9) - timedelta(hours=30 if week < 3 else 3)
        published = _at(day, 20 if week != 3 else 21, 30)
        # History: what the platform reported back then, written in bulk.
        Push.objects.filter(pk=push.pk).update(
            state="published",
            mode="mass_send",
            publish_at=published,
            published_at=published,
            submitted_at=published,
            msg_id=f"10000{push.pk:05d}",
            created_at=written,
        )
        Article.objects.filter(pk=article.pk).update(
            state="published",
            published_at=published,
            created_at=written,
            submitted_at=written + timedelta(hours=1),
            approved_at=published - timedelta(minutes=40),
            url=f"https://mp.weixin.qq.com/s/demo-{article.pk}",
        )
        article.steps.update(
            started_at=written + timedelta(hours=1), decided_at=published - timedelta(hours=1)
        )
        article.revisions.update(created_at=written)


def _emergency(people, account) -> None:
    if Emergency.objects.filter(account=account).exists():
        return
    emergency = services.emergency_declare(
        actor=people["leader"],
        account=account,
        kind="typhoon",
        name="台风“纳沙”",
        level="III",
        started_at=_at(date(2017, 7, 29), 20),
        per_week=7,
    )
    event = services.emergency_live_event(emergency)
    for hour, text in [
        (21, "省防指启动防台风Ⅲ级应急响应，记者在省防汛办指挥大厅。"),
        (22, "福州沿海风力明显加大，连江县已转移群众1.2万人。"),
        (23, "闽江口潮位上涨，各地值班人员在岗。"),
    ]:
        entry = services.live_entry_post(actor=people["writer"], event=event, body=text)
        services.live_entry_check(actor=people["reviewer"], entry=entry, approve=True)
        LiveEntry.objects.filter(pk=entry.pk).update(
            posted_at=_at(date(2017, 7, 29), hour, 15), checked_at=_at(date(2017, 7, 29), hour, 20)
        )
    services.emergency_end(actor=people["leader"], emergency=emergency)
    Emergency.objects.filter(pk=emergency.pk).update(ended_at=_at(date(2017, 8, 1), 12))
    LiveEvent.objects.filter(pk=event.pk).update(created_at=_at(date(2017, 7, 29), 20))


def _bindings(people, account) -> None:
    """Each demo person's own WeChat is bound for previews, as if they had sent 「绑定 <code>」
    from the simulator's phone of that name."""
    for username, (openid, _phone) in PREVIEW_PHONES.items():
        code = services.preview_code_issue(actor=people[username], account=account).code
        services.preview_bind(account=account, openid=openid, code=code)


def _comment(person, article, quote: str, body: str):
    """A comment on the passage ``quote`` of the article's current text (offset as the article
    page's selection gives it)."""
    revision = article.revision
    text = document(revision.title, revision.digest, text_of(revision.body_html))
    return services.comment_add(
        actor=person, article=article, body=body, quote=quote, offset=text.find(quote)
    )


def _today(people, account, columns) -> None:
    today = timezone.localdate()
    direction = services.direction_issue(
        actor=people["reviewer"],
        account=account,
        title="做好主汛期防御宣传",
        body="突出山洪地质灾害避险，每周至少一篇实用类稿件。",
        column=columns["实用"],
    )
    services.topic_propose(
        actor=people["writer"],
        account=account,
        title="山洪来临前的三个征兆",
        angle="图解，配县防办专家采访",
        column=columns["实用"],
        direction=direction,
        planned_for=today + timedelta(days=2),
        due_at=_at(today + timedelta(days=1), 18),
    )
    waiting = _write(
        people,
        account,
        columns["防汛动态"],
        "本周降雨趋势及防御提示",
        body="<p>据省气象台预报，本周我省将有两次明显降雨过程，闽北、闽西北局地有大暴雨。</p>"
        "<p>省防汛办提醒：山区群众遇强降雨要及时转移，切勿在河边、沟谷逗留。</p>",
    )
    services.article_submit(actor=people["writer"], article=waiting)
    _comment(
        people["editor"], waiting, "闽北、闽西北局地有大暴雨", "已与省气象台短期预报核对，一致。"
    )
    services.review_approve(actor=people["editor"], step=waiting.steps.get(state="pending"))
    _comment(
        people["reviewer"],
        waiting,
        "两次明显降雨过程",
        "请写明两次过程的起止时间（据气象台预报：周二至周三、周五至周六）。",
    )
    _comment(
        people["reviewer"],
        waiting,
        "及时转移",
        "建议补一句转移安置点的查询方式（拨打12345或当地防办电话）。",
    )
    returned = _write(
        people,
        account,
        columns["提醒"],
        "暴雨天出行提示",
        body="<p>发布暴雨预螫后，请按装好防水挡板，水库绝对安全的说法不可信。</p>",
    )
    services.article_submit(actor=people["writer"], article=returned)
    _comment(people["editor"], returned, "暴雨预螫", "错别字：应为“暴雨预警”。")
    _comment(people["editor"], returned, "水库绝对安全", "“绝对安全”是禁用说法，请改为如实表述。")
    services.review_return(
        actor=people["editor"],
        step=returned.steps.get(state="pending"),
        reason="有错别字和禁用说法，请修改",
    )
    ready = _approve(people, _write(people, account, columns["健康"], "高温天防中暑"))
    push = services.push_plan(
        actor=people["operator"], account=account, title="今日推送", planned_for=today
    )
    services.push_set_articles(actor=people["operator"], push=push, articles=[ready])
    services.article_offer(
        account=account,
        title=f"{today:%m月%d日}水情日报",
        body_html="<p>全省主要江河水位平稳，大中型水库运行正常。</p>",
        digest="全省水情",
        source="hydro.briefing",
    )


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    if Column.objects.filter(account=account).exists():
        out("demo: newsroom already seeded")
        return
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["writer", "editor", "reviewer", "leader", "operator", "admin"]
        )
    }
    columns = {}
    for order, (name, per_week, color) in enumerate(COLUMNS):
        columns[name] = services.column_save(
            actor=people["reviewer"], account=account, name=name, per_week=per_week, color=color
        )
        Column.objects.filter(pk=columns[name].pk).update(order=order)
    for kind, lines in TERMS.items():
        services.terms_add(
            actor=people["reviewer"], account=account, kind=kind, lines="\n".join(lines)
        )
    people["cover"] = _cover(account, people["operator"])
    _bindings(people, account)
    _history(people, account, columns)
    _emergency(people, account)
    _today(people, account, columns)
    out(
        f"demo: newsroom — {len(COLUMNS)} columns, {Term.objects.filter(account=account).count()} "
        f"word-list entries, {Article.objects.filter(account=account).count()} articles, "
        "the 2017 Nesat emergency with its live page, the demo people's WeChat bound for previews"
    )
