"""The test OpenID provider (tests/oidc/provider.mjs, the npm package ``oidc-provider``):
started once a test session on a free loopback port, stopped at the end, and a sign-in
through it driven over HTTP for the tests that need no browser."""

import json
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "iia-test"
CLIENT_SECRET = "test-client-secret-of-thirty-two-characters"
PASSWORD = "provider-password-1"
SCOPES = "openid email profile groups"


@dataclass
class Provider:
    process: subprocess.Popen
    issuer: str

    def set_groups(self, username: str, groups: list[str]) -> None:
        """The provider now puts ``groups`` in ``username``'s groups claim (making them if new)."""
        requests.put(f"{self.issuer}/_test/people/{username}", data=json.dumps({"groups": groups}),
                     timeout=5).raise_for_status()

    def forget(self, username: str) -> None:
        """The provider no longer knows ``username``."""
        requests.delete(f"{self.issuer}/_test/people/{username}", timeout=5).raise_for_status()

    def settings(self) -> dict:
        """The settings that turn single sign-on on against this provider."""
        return {"IIA_OIDC_ISSUER": self.issuer, "OIDC_RP_CLIENT_ID": CLIENT_ID,
                "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET, "OIDC_RP_SCOPES": SCOPES}


def start() -> Provider:
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("the test OpenID provider is not installed: run `make oidc-provider`")
    process = subprocess.Popen(["node", str(HERE / "provider.mjs"), CLIENT_ID, CLIENT_SECRET], cwd=HERE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(30)
    if not ready or not ready[0].startswith("listening "):
        process.kill()
        raise RuntimeError(f"the test OpenID provider did not start: {process.stderr.read()[-2000:]}")
    # its warnings (in-memory store, Node's version) go to a pipe nobody reads: drain it
    threading.Thread(target=process.stderr.read, daemon=True).start()
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return Provider(process=process, issuer=f"http://127.0.0.1:{ready[0].split()[1]}")


def stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(10)
    except subprocess.TimeoutExpired:
        provider.process.kill()


def sign_in(client, username: str, password: str = PASSWORD, *, start_url: str = "/accounts/organisation/"):
    """A sign-in through the provider with Django's test client on the product's side and
    ``requests`` as the person's browser at the provider: returns the product's answer to the
    callback, or the provider's page when it did not send the person back."""
    response = client.get(start_url)
    assert response.status_code == 302, response.status_code
    browser = requests.Session()
    location = response["Location"]
    answer = None
    for _ in range(10):
        if location.startswith("http://testserver/"):
            return client.get(location.removeprefix("http://testserver"))
        answer = browser.get(location, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and "/login" in answer.text:
            uid = answer.url.rstrip("/").rsplit("/", 1)[1]
            answer = browser.post(urljoin(answer.url, f"/interaction/{uid}/login"),
                                  data={"username": username, "password": password},
                                  allow_redirects=False, timeout=10)
        if answer.status_code not in (302, 303):
            return answer
        location = urljoin(answer.url, answer.headers["Location"])
    raise AssertionError("the provider never sent the person back")
