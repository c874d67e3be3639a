"""Article Markdown is sanitised once, at save; checked with an HTML5 parser, not a regex."""

import html5lib
import pytest

from newsportal.markup import ARTICLE_ATTRIBUTES, ARTICLE_TAGS, render_article

ALLOWED_ATTRS = {tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()}
ALLOWED_ATTRS["a"] = ALLOWED_ATTRS["a"] | {"rel"}
ALLOWED_ATTRS["img"] = ALLOWED_ATTRS["img"] | {"loading"}


def elements(html: str) -> list:
    tree = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return [el for el in tree.iter() if isinstance(el.tag, str) and el is not tree]


def assert_inert(html: str) -> None:
    for el in elements(html):
        assert el.tag in ARTICLE_TAGS, el.tag
        for name, value in el.attrib.items():
            assert name in ALLOWED_ATTRS.get(el.tag, set()), (el.tag, name)
            if name in {"href", "src"}:
                scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
                assert scheme in {"", "http", "https", "mailto"}, value


ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "<a href='java&#x09;script:alert(1)'>x</a>",
    "<img src=x onerror=alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">raw</div>',
    '<p onmouseover="alert(1)">hover</p>',
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<style>body{display:none}</style>",
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><input name=a></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href=https://evil.example/>",
    # attr_list syntax must not become attributes: the extension is not enabled.
    'Paragraph\n{: onclick="alert(1)" style="color:red" }',
    "## Heading {: #x onmouseover=alert(1) }",
    "[link](https://ok.example){: onclick=alert(1) }",
    "<!-- <script>alert(1)</script> -->",
    '<a href="https://ok.example" target=_blank onclick=alert(1)>x</a>',
    '<img src="https://ok.example/a.jpg" srcset="javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_attacks_come_out_inert(source: str) -> None:
    html = render_article(source)
    assert_inert(html)
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize(
    "source", ["<script>alert(1)</script>", "<style>p{color:red}</style>", "<svg><g/></svg>"]
)
def test_script_like_contents_are_dropped_not_left_as_text(source: str) -> None:
    html = render_article(f"Trước {source} sau")
    assert "alert" not in html
    assert "color:red" not in html
    assert "Trước" in html
    assert "sau" in html


def test_news_markup_survives() -> None:
    source = (
        "## Tiêu đề phụ\n\nĐoạn **đậm** và *nghiêng*.\n\n- một\n- hai\n\n1. ba\n\n"
        "> Trích dẫn\n\n| Huyện | Sản lượng |\n|:--|--:|\n| Tháp Mười | 1.250 tấn |\n\n"
        '![Đầm sen](/static/img/dong-sen.svg "Sen") ![Ảnh](https://img.example/a.jpg)\n\n'
        '<figure><img src="https://img.example/b.jpg" alt="b"><figcaption>Chú thích</figcaption>'
        "</figure>\n\n[nội bộ](/pages/khieu-nai-to-cao) [ngoài](https://example.org/x)"
    )
    html = render_article(source)
    assert_inert(html)
    tags = {el.tag for el in elements(html)}
    assert {
        "h2",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "th",
        "td",
        "img",
        "figure",
        "figcaption",
        "a",
    } <= tags
    cells = [el for el in elements(html) if el.tag == "td"]
    assert cells[1].get("align") == "right"
    links = {el.get("href"): el.get("rel") for el in elements(html) if el.tag == "a"}
    assert links["/pages/khieu-nai-to-cao"] == "noopener"
    assert "nofollow" in links["https://example.org/x"].split()
    assert "noopener" in links["https://example.org/x"].split()
    images = [el for el in elements(html) if el.tag == "img"]
    assert {img.get("src") for img in images} >= {
        "/static/img/dong-sen.svg",
        "https://img.example/a.jpg",
    }


@pytest.mark.parametrize("href", ["/\\evil.example/", "\\\\evil.example/", "//evil.example/"])
def test_backslash_and_protocol_relative_links_count_as_external(href: str) -> None:
    html = render_article(f'<a href="{href}">x</a>')
    (link,) = [el for el in elements(html) if el.tag == "a"]
    assert "nofollow" in link.get("rel", "").split(), href


def test_h1_in_the_body_becomes_h2() -> None:
    html = render_article("# Lớn\n\ntext")
    assert [el.tag for el in elements(html)][0] == "h2"


def test_text_and_entities_are_escaped_not_interpreted() -> None:
    html = render_article("A & B < C > D &amp; Đồng")
    assert "A &amp; B &lt; C &gt; D &amp; Đồng" in html


def test_empty_body_renders_empty() -> None:
    assert render_article("   \n ") == ""
