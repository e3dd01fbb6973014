"""``Authorization: Token <key>``, checked against the stored hashes (``iia.tokens``)."""

from rest_framework import authentication, exceptions

from iia.tokens import api_token_find


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token header, with tokens kept as hashes instead of in plain text."""

    def authenticate_credentials(self, key):
        token = api_token_find(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
