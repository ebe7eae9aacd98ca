from zhengwei.lib.netaddr import client_ip


def test_without_proxies_it_uses_the_socket_address():
    assert client_ip("6.6.6.6", "10.0.0.2", 0) == "10.0.0.2"


def test_behind_one_proxy_it_takes_the_hop_nginx_recorded():
    assert client_ip("6.6.6.6, 203.0.113.9", "127.0.0.1", 1) == "203.0.113.9"


def test_a_short_header_falls_back_to_the_socket_address():
    assert client_ip("", "127.0.0.1", 1) == "127.0.0.1"
    assert client_ip("", None, 0) is None
