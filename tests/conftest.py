import pytest

from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (the catalogue's too): on SQLite a rolled-back test
    gives its ids to the next, so a key made of ids could find the previous test's entry."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def cast(db):
    return factories.Cast()


@pytest.fixture
def borders(db):
    return factories.Cast("scottish-borders")


@pytest.fixture(scope="session", autouse=True)
def evidence_root(tmp_path_factory):
    """Evidence files of the whole session under its own temporary directory (never a path
    shared between runs: the suite may run twice at once)."""
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("evidence")
    storages = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                  "OPTIONS": {"location": str(root), "base_url": None}}}
    with override_settings(STORAGES=storages):
        yield root


@pytest.fixture(scope="session", autouse=True)
def signing_certificates(django_db_setup, django_db_blocker):
    """Local self-signed certificates for both demo boards, in the test signing directory
    (a key of an older kind left there by an earlier run is replaced)."""
    from reports.pdf import signing

    for slug, name in (("dundee", "Dundee City Integration Joint Board"),
                       ("scottish-borders", "Scottish Borders Integration Joint Board")):
        outdated = signing.p12_path(slug).exists() and not signing.key_is_rsa(slug)
        signing.make_self_signed(slug, name, overwrite=outdated)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(fn, ...)`` calls fn, then runs what it deferred to after commit (the
    test transaction never commits; documents are produced after commit)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


@pytest.fixture
def reference_data(transactional_db):
    """What the data migrations load (roles, boards, templates, committees), again: a
    transactional test empties the database when it ends."""
    import importlib

    from django.apps import apps

    for module in ("assessments.migrations.0002_roles", "assessments.migrations.0003_reference_data",
                   "assessments.migrations.0013_screening_modules", "reports.migrations.0002_committees",
                   "assessments.migrations.0016_locality_consultation_and_decision_publication"):
        migration = importlib.import_module(module)
        loader = (getattr(migration, "create_roles", None) or getattr(migration, "load", None)
                  or getattr(migration, "add_modules", None) or getattr(migration, "load_planning_groups", None)
                  or migration.create)
        loader(apps, None)


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID provider (tests/oidc/provider.mjs), once a session, on a free port."""
    from tests.oidc import provider

    running = provider.start()
    yield running
    provider.stop(running)


@pytest.fixture
def sign_on(settings, oidc_provider):
    """Single sign-on on, against the test provider."""
    from iia import oidc

    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    oidc._discovery.clear()
    yield oidc_provider
    oidc._discovery.clear()
