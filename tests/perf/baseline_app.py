"""The bare Flask app the site is measured against: one route, a constant short page.

Served by gunicorn with exactly the site's settings, so the ratio of the two request rates
measures what the site itself costs, not the machine, gunicorn or the network.
"""

from __future__ import annotations

from flask import Flask

PAGE = (
    "<!doctype html><html lang=vi><meta charset=utf-8><title>Trang chủ</title>"
    "<h1>Cổng thông tin điện tử tỉnh</h1><p>Xin chào.</p></html>"
)

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return PAGE
