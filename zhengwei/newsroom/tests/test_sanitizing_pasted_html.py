from zhengwei.newsroom.sanitize import clean, text_of


def test_pasted_word_html_keeps_text_and_inline_styles_only():
    pasted = (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body>"
        '<p class="MsoNormal" style="color:#c00;position:absolute;font-size:16px" '
        'onmouseover="steal()">台风<o:p></o:p><b>“纳沙”</b></p>'
        '<iframe src="https://evil.example/"></iframe><script>alert(1)</script>'
        '<img src="data:image/png;base64,AAAA"><a href="javascript:alert(1)">点我</a>'
        '<img src="https://mmbiz.qpic.cn/x.jpg" onerror="x()"></body></html>'
    )
    out = clean(pasted)
    assert "script" not in out and "iframe" not in out and "onmouse" not in out
    assert "data:" not in out and "javascript:" not in out and "class=" not in out
    assert "position" not in out and "MsoNormal" not in out
    assert 'style="color:#c00;font-size:16px"' in out
    assert '<img src="https://mmbiz.qpic.cn/x.jpg">' in out
    assert "点我" in out
    assert text_of(out).startswith("台风“纳沙”")
