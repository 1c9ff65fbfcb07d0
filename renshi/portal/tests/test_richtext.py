"""The editors' HTML is cleaned on the server: scripts, event handlers, styles and javascript:
URLs never reach the page."""

from renshi.portal import richtext


def test_it_removes_scripts_entirely():
    assert richtext.clean("<p>通知</p><script>alert(1)</script>") == "<p>通知</p>"
    assert "alert" not in richtext.clean("<svg><script>alert(1)</script></svg>")


def test_it_removes_event_handlers():
    cleaned = richtext.clean(
        '<p onclick="steal()" onmouseover="x()">正文</p><img src="/a.png" onerror="x()">'
    )
    assert "onclick" not in cleaned and "onmouseover" not in cleaned and "onerror" not in cleaned
    assert "<p>正文</p>" in cleaned


def test_it_removes_javascript_urls():
    for href in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
    ):
        assert "href" not in richtext.clean(f'<a href="{href}">链接</a>'), href


def test_it_removes_styles():
    cleaned = richtext.clean(
        '<p style="position:fixed;top:0">a</p><style>body{display:none}</style>'
    )
    assert "style" not in cleaned and "display" not in cleaned
    assert cleaned == "<p>a</p>"


def test_it_keeps_what_an_article_needs():
    html = (
        "<h3>一、要求</h3><p><strong>加粗</strong><em>斜体</em></p><ol><li>一</li></ol>"
        '<table><tr><td colspan="2">表</td></tr></table><a href="https://www.gov.cn/">国务院</a>'
    )
    cleaned = richtext.clean(html)
    for part in (
        "<h3>",
        "<strong>",
        "<em>",
        "<ol>",
        "<li>",
        'colspan="2"',
        'href="https://www.gov.cn/"',
    ):
        assert part in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_pictures_from_other_hosts_are_dropped():
    cleaned = richtext.clean(
        '<img src="https://tracker.example/p.gif"><img src="/media/portal/a.png">'
    )
    assert "tracker" not in cleaned and 'src="/media/portal/a.png"' in cleaned


def test_plain_text_reads_the_words():
    assert richtext.plain_text("<p>a &amp; b</p><p>c</p>") == "a & b c"
    assert richtext.plain_text("<p> </p><br>") == ""
