import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """``api(person)``: a client sending the person's token (none for ``None``)."""

    def client(person=None):
        c = APIClient(raise_request_exception=False)
        if person is not None:
            token, _ = Token.objects.get_or_create(user=person)
            c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return client
