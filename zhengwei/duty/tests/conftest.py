import pytest

from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}
    yield server
    server.stop()


@pytest.fixture
def new_report(world, django_capture_on_commit_callbacks):
    """receive(**kw): a citizen's chat report, with every event delivered."""
    from zhengwei.reports import services
    from zhengwei.reports.actors import Citizen
    from zhengwei.reports.models import Channel, Hazard

    def receive(openid="oDutyCitizen1", **kw):
        data = {
            "account": world.account,
            "channel": Channel.CHAT,
            "hazard": Hazard.WATERLOGGING,
            "description": "路口积水约40厘米",
            "lat": 26.0612,
            "lng": 119.1952,
        }
        data.update(kw)
        with django_capture_on_commit_callbacks(execute=True):
            return services.report_receive(actor=Citizen(openid=openid, proof="wechat"), **data)

    return receive
