import pytest

from tests import factories


@pytest.fixture
def cast(db):
    return factories.Cast()


@pytest.fixture
def borders(db):
    return factories.Cast("scottish-borders")


@pytest.fixture(scope="session", autouse=True)
def signing_certificates(django_db_setup, django_db_blocker):
    """Local self-signed certificates for both demo boards, in the test signing directory."""
    from reports.pdf import signing

    signing.make_self_signed("dundee", "Dundee City Integration Joint Board")
    signing.make_self_signed("scottish-borders", "Scottish Borders Integration Joint Board")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code defers to after commit (documents are produced there)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
