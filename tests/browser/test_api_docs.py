"""The API's documentation pages render in a real browser, offline and under the
product's Content-Security-Policy (no request leaves the server, nothing is blocked)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_api_reference_renders_from_the_server_alone(live_server, page):
    base = live_server.url
    outside, refused = [], []
    # Redoc asks for its logo from its CDN; the policy's img-src refuses it and Redoc then
    # hides it, so no request completes outside the server.
    page.on("requestfinished", lambda request: None if request.url.startswith((base, "data:", "blob:"))
            else outside.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text else None)

    page.goto(f"{base}/api/docs/")
    page.get_by_text("Start a plan change").first.wait_for(state="attached")
    page.get_by_role("heading", name="iia API").first.wait_for()

    assert not outside, outside
    assert not refused, refused
