"""Single sign-on against a real OpenID provider (tests/oidc/provider.mjs): accounts found by
the provider's subject, roles from groups through the boards' mappings, removed at the next
sign-in when the groups no longer give them (docs/single-sign-on.md)."""

import pytest
from django.contrib.auth import get_user_model

from assessments.models import AuditEvent, Board, Membership, MembershipSource, Role, SignOnGroupRole
from iia.models import SignOnIdentity
from tests import factories as f
from tests.oidc.provider import sign_in

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def mappings(db):
    dundee, borders = Board.objects.get(slug="dundee"), Board.objects.get(slug="scottish-borders")
    SignOnGroupRole.objects.create(group="iia-dundee-officers", board=dundee, role=Role.OFFICER)
    SignOnGroupRole.objects.create(group="iia-dundee-clerks", board=dundee, role=Role.CLERK)
    SignOnGroupRole.objects.create(group="iia-angus-officers", board=borders, role=Role.OFFICER)
    return dundee, borders


def roles(user) -> set[tuple[str, str, str]]:
    return set(Membership.objects.filter(user=user).values_list("board__slug", "role", "source"))


def test_first_sign_in_makes_the_account_from_the_provider_and_gives_the_groups_roles(client, sign_on, mappings):
    response = sign_in(client, "officer")
    assert response.status_code == 302 and response["Location"] == "/"
    identity = SignOnIdentity.objects.get(issuer=sign_on.issuer, subject="a1f0c3d2-0001")
    person = identity.user
    assert (person.first_name, person.last_name, person.email) == ("Olive", "Officer", "officer@nhs.example")
    assert not person.has_usable_password() and not person.is_staff and not person.is_superuser
    assert roles(person) == {("dundee", Role.OFFICER, MembershipSource.SIGN_ON)}
    event = AuditEvent.objects.get(action="membership.sign_on_grant", actor=person)
    assert event.board.slug == "dundee" and "iia-dundee-officers" in event.message
    assert client.get("/").status_code == 200

    # the second sign-in finds the same account and changes nothing
    client.logout()
    assert sign_in(client, "officer").status_code == 302
    assert SignOnIdentity.objects.count() == 1 and User.objects.filter(email="officer@nhs.example").count() == 1
    assert AuditEvent.objects.filter(action__startswith="membership.").count() == 1


def test_the_page_asked_for_is_where_a_sign_in_ends_but_never_another_site(client, sign_on, mappings):
    assert sign_in(client, "officer", start_url="/accounts/organisation/?next=/inbox/")["Location"] == "/inbox/"
    client.logout()
    for elsewhere in ("https://evil.example/", "//evil.example/inbox/"):
        assert sign_in(client, "officer", start_url=f"/accounts/organisation/?next={elsewhere}")["Location"] == "/"
        client.logout()


def test_a_local_account_with_the_same_email_or_user_name_is_never_taken_over(client, sign_on, mappings):
    local = f.user(Role.SENIOR_OFFICER, username="clerk", email="clerk@nhs.example")
    response = sign_in(client, "clerk")
    assert response.status_code == 302
    person = SignOnIdentity.objects.get(subject="a1f0c3d2-0002").user
    assert person != local and person.username.startswith("clerk-")
    assert roles(person) == {("dundee", Role.CLERK, MembershipSource.SIGN_ON)}
    assert roles(local) == {("dundee", Role.SENIOR_OFFICER, MembershipSource.LOCAL)}
    assert int(client.session["_auth_user_id"]) == person.pk


def test_groups_that_no_longer_map_lose_their_roles_at_the_next_sign_in(client, sign_on, mappings):
    sign_on.set_groups("mover", ["iia-dundee-officers", "iia-dundee-clerks"])
    assert sign_in(client, "mover").status_code == 302
    person = SignOnIdentity.objects.get(subject="test-mover").user
    assert {r for _, r, _ in roles(person)} == {Role.OFFICER, Role.CLERK}
    client.logout()

    # the provider drops one group; a role granted here meanwhile stays
    sign_on.set_groups("mover", ["iia-dundee-officers"])
    f.add_role(person, Role.EQUALITY_LEAD)
    assert sign_in(client, "mover").status_code == 302
    assert roles(person) == {("dundee", Role.OFFICER, MembershipSource.SIGN_ON),
                             ("dundee", Role.EQUALITY_LEAD, MembershipSource.LOCAL)}
    revoked = AuditEvent.objects.get(action="membership.sign_on_revoke")
    assert revoked.actor == person and "IJB clerk removed" in revoked.message
    client.logout()

    # the mapping is taken away in the admin, and the local role too: no access at all
    SignOnGroupRole.objects.filter(group="iia-dundee-officers").delete()
    Membership.objects.filter(user=person, source=MembershipSource.LOCAL).delete()
    response = sign_in(client, "mover")
    assert response.status_code == 403
    assert "none of your groups there gives you a role" in response.content.decode()
    assert roles(person) == set() and "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # to the sign-in page


def test_someone_in_no_mapped_group_is_refused_and_holds_nothing(client, sign_on, mappings):
    response = sign_in(client, "nobody")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert roles(SignOnIdentity.objects.get(subject="a1f0c3d2-0003").user) == set()


def test_someone_the_provider_no_longer_knows_cannot_sign_in(client, sign_on, mappings):
    sign_on.set_groups("leaver", ["iia-dundee-officers"])
    assert sign_in(client, "leaver").status_code == 302
    client.logout()
    sign_on.forget("leaver")
    answer = sign_in(client, "leaver")
    assert answer.status_code == 401 and "not right" in answer.text  # the provider's own page
    assert "_auth_user_id" not in client.session


def test_another_boards_mapping_gives_a_role_on_that_board_only(client, sign_on, mappings):
    dundee, borders = mappings
    assert sign_in(client, "angus").status_code == 302
    person = SignOnIdentity.objects.get(subject="a1f0c3d2-0004").user
    assert roles(person) == {("scottish-borders", Role.OFFICER, MembershipSource.SIGN_ON)}
    # a Dundee group mapped on the Borders board gives a Borders role, never a Dundee one
    client.logout()
    SignOnGroupRole.objects.create(group="iia-dundee-clerks", board=borders, role=Role.CLERK)
    sign_on.set_groups("angus", ["iia-angus-officers", "iia-dundee-clerks"])
    try:
        assert sign_in(client, "angus").status_code == 302
    finally:
        sign_on.set_groups("angus", ["iia-angus-officers"])
    assert {(b, r) for b, r, _ in roles(person)} == {("scottish-borders", Role.OFFICER),
                                                     ("scottish-borders", Role.CLERK), ("dundee", Role.CLERK)}


def test_a_token_from_another_issuer_is_refused(client, sign_on, mappings, settings):
    # the same provider under another name: its tokens say 127.0.0.1, this says localhost
    port = sign_on.issuer.rsplit(":", 1)[1]
    settings.IIA_OIDC_ISSUER = f"http://localhost:{port}"
    for setting, path in (("OIDC_OP_AUTHORIZATION_ENDPOINT", "auth"), ("OIDC_OP_TOKEN_ENDPOINT", "token"),
                          ("OIDC_OP_USER_ENDPOINT", "me"), ("OIDC_OP_JWKS_ENDPOINT", "jwks")):
        setattr(settings, setting, f"{sign_on.issuer}/{path}")
    response = sign_in(client, "officer")
    assert response.status_code == 403 and "did not work" in response.content.decode()
    assert not SignOnIdentity.objects.exists()


def test_a_callback_the_product_did_not_start_is_refused(client, sign_on):
    response = client.get("/accounts/organisation/callback/", {"code": "stolen", "state": "guessed"})
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    response = client.get("/accounts/organisation/callback/", {"error": "access_denied", "state": "x"})
    assert response.status_code == 403


def test_off_unless_configured(client, settings):
    settings.IIA_OIDC_ISSUER = ""
    assert client.get("/accounts/organisation/").status_code == 404
    assert client.get("/accounts/organisation/callback/").status_code == 404
    assert "Sign in with your organisation" not in client.get("/accounts/login/").content.decode()


def test_the_login_page_offers_it_when_configured(client, sign_on):
    page = client.get("/accounts/login/?next=/inbox/").content.decode()
    assert 'href="/accounts/organisation/?next=/inbox/"' in page or "/accounts/organisation/?next=%2Finbox%2F" in page


def test_a_local_password_still_signs_in_with_single_sign_on_on(client, sign_on):
    local = f.user(Role.OFFICER, username="local-officer")
    response = client.post("/accounts/login/", {"username": "local-officer", "password": f.PASSWORD})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == local.pk


def test_an_account_switched_off_here_stays_off_whatever_the_provider_says(client, sign_on, mappings):
    assert sign_in(client, "officer").status_code == 302
    person = SignOnIdentity.objects.get(subject="a1f0c3d2-0001").user
    client.logout()
    person.is_active = False
    person.save()
    response = sign_in(client, "officer")
    assert response.status_code == 403 and "switched off" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active and "_auth_user_id" not in client.session
