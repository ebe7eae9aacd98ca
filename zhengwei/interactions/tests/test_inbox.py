"""One inbox for messages and article comments: each citizen's run of messages and each comment
is a conversation with a suggested class that a person confirms; the contractor reads it masked
and never sees what is a disaster."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.interactions import classify, selectors, services
from zhengwei.interactions.models import (
    Category,
    Channel,
    Conversation,
    ConversationState,
)
from zhengwei.interactions.tests.helpers import Phone
from zhengwei.wechat.outbound import services as outbound

pytestmark = pytest.mark.django_db
MSG_DATA_ID = 2247503052


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


def test_messages_outside_a_report_become_one_conversation_per_citizen(phone):
    phone.text("请问明天福州会停课吗？")
    phone.voice("还有，地铁停运吗")
    conversation = Conversation.objects.get()
    assert conversation.channel == Channel.MESSAGE
    assert conversation.state == ConversationState.NEW
    assert conversation.suggested_category == Category.INQUIRY and conversation.category == ""
    assert [i.kind for i in conversation.items.all()] == ["text", "voice"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("小区地下车库进水了", Category.DISASTER),
        ("我要投诉排涝站没人管", Category.COMPLAINT),
        ("建议增加避灾点查询", Category.SUGGESTION),
        ("请问预警什么时候解除？", Category.INQUIRY),
        ("谢谢你们辛苦了", Category.OTHER),
    ],
)
def test_the_keyword_classifier_suggests_a_class(text, category):
    assert classify.suggest_category(text) == category


def test_a_person_confirms_the_class_and_the_deadlines_follow_it(world, phone, settings):
    settings.INTERACTION_DEADLINES = '{"complaint": {"first_response": 60, "resolution": 600}}'
    phone.text("谢谢")
    conversation = Conversation.objects.get()
    services.conversation_classify(
        actor=world["operator"], conversation=conversation, category=Category.COMPLAINT
    )
    conversation.refresh_from_db()
    assert conversation.category == Category.COMPLAINT
    assert conversation.state == ConversationState.OPEN
    assert (conversation.first_response_due - conversation.created_at).total_seconds() == 3600
    assert (conversation.resolution_due - conversation.created_at).total_seconds() == 36000
    step = conversation.steps.get(kind="classified")
    assert step.actor == world["operator"] and step.data == {"category": "complaint"}


def test_article_comments_polled_from_wechat_become_conversations(
    world, wechat, django_capture_on_commit_callbacks
):
    outbound.comment_thread_watch(
        actor=world["operator"], account=world.account, msg_data_id=MSG_DATA_ID, title="台风防御"
    )
    comments = [
        {
            "user_comment_id": 1,
            "openid": "oReader1",
            "create_time": 1790000000,
            "content": "建议多发布各县避灾点信息",
            "comment_type": 0,
        },
        {
            "user_comment_id": 2,
            "openid": "oReader2",
            "create_time": 1790000100,
            "content": "已经看到，谢谢",
            "comment_type": 0,
            "reply": {"content": "感谢关注", "create_time": 1790000200},
        },
    ]
    wechat.route("/cgi-bin/comment/list", {"errcode": 0, "total": 2, "comment": comments})
    with django_capture_on_commit_callbacks(execute=True):
        outbound.comments_poll(account=world.account)
    with django_capture_on_commit_callbacks(execute=True):
        outbound.comments_poll(account=world.account)  # polling again adds nothing
    rows = list(Conversation.objects.order_by("created_at"))
    assert [c.channel for c in rows] == [Channel.COMMENT, Channel.COMMENT]
    assert rows[0].suggested_category == Category.SUGGESTION
    assert rows[0].comment.user_comment_id == 1
    assert rows[1].first_response_at is not None  # answered already in WeChat


def test_the_contractor_sees_phone_numbers_masked_and_never_a_disaster(world, phone, client_for):
    phone.text("投诉：泵站电话13905910002一直打不通")
    Phone(phone.client, world.account, phone.capture, openid="oOther0000000000000000000002").text(
        "地下车库进水了，水还在涨"
    )
    operator = world["operator"]
    visible = list(selectors.conversation_list(user=operator, account=world.account))
    assert [c.suggested_category for c in visible] == [Category.COMPLAINT]
    disaster = Conversation.objects.get(suggested_category=Category.DISASTER)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.conversation_get(user=operator, pk=disaster.pk)
    page = client_for(operator).get(f"/inbox/{visible[0].pk}/")
    assert "139****0002" in page.content.decode()
    assert "13905910002" not in page.content.decode()
    # Masked for the office too until an audited reveal (test_privacy_reveal.py).
    duty_page = client_for(world["duty_officer"]).get(f"/inbox/{visible[0].pk}/")
    assert "139****0002" in duty_page.content.decode()


def test_assignment_goes_to_people_who_can_answer_and_the_contractor_assigns_its_own(world, phone):
    phone.text("请问避灾点在哪里？")
    conversation = Conversation.objects.get()
    services.conversation_assign(
        actor=world["duty_officer"], conversation=conversation, assignee=world["operator"]
    )
    assert Conversation.objects.get().assignee == world["operator"]
    with pytest.raises(ValidationError):
        services.conversation_assign(
            actor=world["duty_officer"], conversation=conversation, assignee=world["writer"]
        )
    with pytest.raises(ValidationError):
        services.conversation_assign(
            actor=world["project_manager"],
            conversation=conversation,
            assignee=world["duty_officer"],
        )
    with pytest.raises(PermissionDenied):
        services.conversation_assign(
            actor=world["writer"], conversation=conversation, assignee=world["operator"]
        )


def test_people_of_another_account_see_nothing(world, phone):
    phone.text("请问避灾点在哪里？")
    with pytest.raises(PermissionDenied):
        selectors.conversation_list(user=world.outsider, account=world.account)
    with pytest.raises(PermissionDenied):
        services.conversation_resolve(actor=world.outsider, conversation=Conversation.objects.get())
