"""Single sign-on over OpenID Connect (docs/single-sign-on.md, ADR 0026): mozilla-django-oidc's
code flow, with the account found by the provider's issuer and subject (``SignOnIdentity``),
never by email address, and the person's roles on boards set from their groups at each
sign-in (``assessments.services.membership_sync_from_groups``).

Off unless ``IIA_OIDC_ISSUER``, ``IIA_OIDC_CLIENT_ID`` and ``IIA_OIDC_CLIENT_SECRET`` are all
set. The provider's endpoints come from its discovery document unless set one by one."""

import hashlib
import logging
import re
import threading
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from assessments.services import membership_sync_from_groups

from .models import SignOnIdentity

logger = logging.getLogger("iia.accounts")

# mozilla-django-oidc's endpoint settings and the discovery document's names for them
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600  # a provider's endpoints are read again after an hour
_discovery: dict[str, tuple[float, dict]] = {}
_discovery_lock = threading.Lock()

REFUSALS = {
    "no_roles": "Your organisation signed you in, but none of your groups there gives you a role on any board "
                "in this service, so you cannot use it. If you should, ask your organisation's IT service desk "
                "to add you to the right group, or ask the administrator of this service.",
    "inactive": "Your account in this service is switched off. Ask the administrator of this service.",
    "failed": "Signing in with your organisation did not work: its sign-in service refused, was cancelled or "
              "did not answer. Try again, or sign in with a password if you have one here.",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or is not the issuer's."""


def configured() -> bool:
    """Whether single sign-on is on: issuer, client id and client secret all set."""
    return bool(settings.IIA_OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET)


def sign_on_context(request) -> dict:
    """Whether pages offer "Sign in with your organisation" (a template context processor)."""
    return {"sign_on": configured()}


def discovery_document(issuer: str) -> dict:
    """The issuer's /.well-known/openid-configuration, read at most once an hour a process.
    Its ``issuer`` must be the one configured (OpenID Connect Discovery 1.0, section 4.3)."""
    with _discovery_lock:
        cached = _discovery.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT,
                                verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"the discovery document of {issuer} could not be read: {error}") from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailable(f"the discovery document at {issuer} names another issuer")
    with _discovery_lock:
        _discovery[issuer] = (time.monotonic(), document)
    return document


def provider_setting(attr, *default):
    """A mozilla-django-oidc setting; an endpoint left empty comes from discovery."""
    value = import_from_settings(attr, *default)
    if attr in DISCOVERED and not value:
        value = discovery_document(settings.IIA_OIDC_ISSUER).get(DISCOVERED[attr])
        if not value:
            raise ProviderUnavailable(f"the provider's discovery document gives no {DISCOVERED[attr]}")
    return value


USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


def username_for(claims: dict, issuer: str) -> str:
    """A user name for a new account: the provider's preferred user name (or the email
    address's local part), suffixed with a digest of issuer and subject when a local account
    already has it. Only a label: the account is found by its ``SignOnIdentity``."""
    wanted = claims.get("preferred_username") or (claims.get("email") or "").partition("@")[0] or "user"
    base = USERNAME_CHARACTERS.sub("", str(wanted))[:120] or "user"
    digest = hashlib.sha256(f"{issuer} {claims['sub']}".encode()).hexdigest()
    users = get_user_model().objects
    for candidate in (base, f"{base}-{digest[:6]}", f"{base}-{digest[:20]}"):
        if not users.filter(username=candidate).exists():
            return candidate
    raise SuspiciousOperation("no free user name for this person")


def _text(claims: dict, name: str, longest: int) -> str:
    value = claims.get(name)
    return value.strip()[:longest] if isinstance(value, str) else ""


class OrganisationBackend(OIDCAuthenticationBackend):
    """Signs in with the organisation's identity provider. A first sign-in makes the account
    (no usable password); each sign-in refreshes name and email and sets the person's single
    sign-on memberships from their groups; someone whose groups (and local memberships) give
    them no role on any board is refused, with the reason kept on the request for the page."""

    def __init__(self, *args, **kwargs):
        # built for every sign-in and for every request of a signed-in session: reads nothing
        # here (mozilla-django-oidc's own reads every endpoint, which means discovery)
        self.UserModel = get_user_model()

    get_settings = staticmethod(provider_setting)

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or not configured() or "nonce" not in kwargs:
            return None  # a password sign-in, or single sign-on is off
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ProviderUnavailable, SuspiciousOperation, jwt.PyJWTError,
                ValueError, KeyError, TypeError) as error:
            logger.warning("single sign-on failed: %s: %s", type(error).__name__, error)
            return None

    def verify_token(self, token, **kwargs):
        """The signature, expiry and nonce (mozilla-django-oidc), and what it leaves out: the
        token is from the configured issuer and for this client (OpenID Connect Core 3.1.3.7)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else audience or []
        if payload.get("iss") != settings.IIA_OIDC_ISSUER:
            raise SuspiciousOperation("the token is from another issuer")
        if self.OIDC_RP_CLIENT_ID not in audience:
            raise SuspiciousOperation("the token is for another client")
        if len(audience) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("the token was issued to another party")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims, which must be about the ID token's subject (Core 5.3.2), with
        the ID token's groups when the userinfo has none (some providers put them only there)."""
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("the userinfo is about someone else")
        claim = settings.IIA_OIDC_GROUPS_CLAIM
        if claim not in claims and claim in payload:
            claims = {**claims, claim: payload[claim]}
        return claims

    def verify_claims(self, claims):
        subject = claims.get("sub")
        return isinstance(subject, str) and 0 < len(subject) <= 255

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(sign_on_identity__issuer=settings.IIA_OIDC_ISSUER,
                                             sign_on_identity__subject=claims["sub"])

    def create_user(self, claims):
        issuer = settings.IIA_OIDC_ISSUER
        try:
            with transaction.atomic():
                user = self.UserModel(username=username_for(claims, issuer))
                user.set_unusable_password()  # signs in only through the provider
                self._refresh(user, claims)
                SignOnIdentity.objects.create(user=user, issuer=issuer, subject=claims["sub"])
        except IntegrityError:  # the same person's first sign-in in another tab won
            user = self.filter_users_by_claims(claims).first()
            if user is None:
                raise SuspiciousOperation("the account could not be made") from None
            return user
        logger.info("single sign-on made account %s for subject %s", user.pk, claims["sub"])
        return user

    def update_user(self, user, claims):
        self._refresh(user, claims)
        SignOnIdentity.objects.filter(user=user).update(last_sign_in=timezone.now())
        return user

    @staticmethod
    def _refresh(user, claims):
        user.first_name = _text(claims, "given_name", 150) or _text(claims, "name", 150)
        user.last_name = _text(claims, "family_name", 150)
        user.email = _text(claims, "email", 254) if claims.get("email_verified", True) is not False else ""
        user.save()

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("the provider gave no usable subject")
        user = self.filter_users_by_claims(claims).first()  # one at most: (issuer, subject) is unique
        if user is not None and not user.is_active:
            self.request.sign_on_refusal = "inactive"
            return None
        user = self.create_user(claims) if user is None else self.update_user(user, claims)
        changes = membership_sync_from_groups(user=user, groups=claims.get(settings.IIA_OIDC_GROUPS_CLAIM) or [])
        if changes.granted or changes.revoked:
            logger.info("single sign-on of user %s: granted %s, removed %s", user.pk, changes.granted, changes.revoked)
        if not changes.memberships and not user.is_superuser:
            logger.info("single sign-on refused user %s: no role on any board", user.pk)
            self.request.sign_on_refusal = "no_roles"
            return None
        return user


def _refused(request, reason: str):
    return render(request, "registration/sign_on_refused.html",
                  {"reason": REFUSALS.get(reason, REFUSALS["failed"])}, status=403)


class SignOnStart(OIDCAuthenticationRequestView):
    """"Sign in with your organisation": off to the provider's sign-in page, with state,
    nonce and a PKCE challenge kept in the session. A 404 when single sign-on is off."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)  # reads nothing yet

    def get(self, request):
        if not configured():
            raise Http404("Single sign-on is not set up here.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (ProviderUnavailable, ImproperlyConfigured) as error:
            logger.warning("single sign-on could not start: %s", error)
            return _refused(request, "failed")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignOnCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: the backend checks the code, tokens and
    claims; a refusal is a page saying why, never a bare redirect."""

    get_settings = staticmethod(provider_setting)

    def get(self, request):
        if not configured():
            raise Http404("Single sign-on is not set up here.")
        return super().get(request)

    def login_failure(self):
        return _refused(self.request, getattr(self.request, "sign_on_refusal", "failed"))
