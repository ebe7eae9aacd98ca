from freezegun import freeze_time

from zhengwei.wechat.inbound.models import CallbackRejection

V1_QUERY = (
    "signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a&timestamp=1409735669&nonce=1320562132"
)


@freeze_time("2014-09-03 09:14:40")  # 1409735680: within the window of the sample's timestamp
def test_the_official_vector_gets_its_echostr_back_byte_for_byte(client, v1_account):
    response = client.get(f"/wechat/callback/gh_10f6c3c3ac5a/?{V1_QUERY}&echostr=shr5ch")
    assert response.status_code == 200
    assert response.content == b"shr5ch"
    assert response["Content-Type"].startswith("text/plain")


@freeze_time("2014-09-03 09:14:40")
def test_an_echostr_with_odd_bytes_is_returned_unchanged(client, v1_account):
    response = client.get(
        f"/wechat/callback/gh_10f6c3c3ac5a/?{V1_QUERY}&echostr=a%2Bb%20c%E4%BD%A0"
    )
    assert response.content == "a+b c你".encode()


@freeze_time("2014-09-03 09:14:40")
def test_a_wrong_signature_is_refused_and_recorded(client, v1_account):
    bad = V1_QUERY.replace("16120ec1", "26120ec1")
    response = client.get(
        f"/wechat/callback/gh_10f6c3c3ac5a/?{bad}&echostr=shr5ch", REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 403
    assert b"shr5ch" not in response.content
    rejection = CallbackRejection.objects.get()
    assert (rejection.reason, rejection.ip, rejection.account_id) == (
        "bad_signature",
        "203.0.113.9",
        v1_account.pk,
    )
