"""The help page and the styled error pages, with Flask's test client: unknown pages get the site's own 404 page
(menu, a way back, the security headers), a failing page a styled 500, the API keeps its JSON errors."""
from __future__ import annotations

import pytest

from model import INDICATORS
from server import create_app


@pytest.fixture()
def app(tmp_path):
    return create_app({"DATA_DIR": tmp_path / "data", "TESTING": True})


def test_unknown_pages_get_a_styled_404(app):
    r = app.test_client().get("/no/such/page")
    assert r.status_code == 404 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert "Page not found" in html and "/no/such/page" in html and 'href="/"' in html and 'href="/help"' in html
    assert 'class="topbar"' in html and "default-src 'self'" in r.headers["Content-Security-Policy"]
    api = app.test_client().get("/api/nope")
    assert api.status_code == 404 and api.json["error"].startswith("no such endpoint")


def test_a_wrong_method_on_a_page_is_a_styled_405(app):
    r = app.test_client().delete("/help")
    assert r.status_code == 405 and "Not allowed here" in r.get_data(as_text=True)
    assert "GET" in r.headers["Allow"]


def test_a_failing_page_is_a_styled_500(app, monkeypatch):
    import server.pages

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(server.pages, "baseline_actions", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    r = app.test_client().get("/help")
    html = r.get_data(as_text=True)
    assert r.status_code == 500 and "Something went wrong" in html and "boom" not in html


def test_the_help_page_explains_the_game(app):
    r = app.test_client().get("/help")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for anchor in ("first-game", "score", "orders", "indicators", "screen", "keys"):
        assert f'id="{anchor}"' in html
    for key in INDICATORS:
        assert f'id="ind-{key}"' in html
    for kind in ("engage", "demand", "strike", "seize"):
        assert f'id="order-{kind}"' in html
    assert "Score = 100 x" in html and "month 0" in html
