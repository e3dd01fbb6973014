"""API tokens are not shown in the admin: a token is a password, and an administrator
could otherwise act as anyone through the API. People get theirs with
``python manage.py api_token`` (docs/api.md)."""

from django.contrib import admin
from rest_framework.authtoken.admin import TokenProxy

admin.site.unregister(TokenProxy)
