import pytest
from rest_framework.test import APIClient

from iia.tokens import api_token_issue


@pytest.fixture
def api():
    """``api(person)``: a client sending the person's token (none for ``None``)."""
    keys = {}  # one token a person for the test: a second would replace the first

    def client(person=None):
        c = APIClient(raise_request_exception=False)
        if person is not None:
            if person.pk not in keys:
                keys[person.pk] = api_token_issue(user=person)
            c.credentials(HTTP_AUTHORIZATION=f"Token {keys[person.pk]}")
        return c

    return client
