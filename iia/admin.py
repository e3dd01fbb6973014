"""API tokens are not shown in the admin: a token acts as its person, and an administrator
could otherwise issue one and act as anyone through the API. People get theirs with
``python manage.py api_token`` (docs/api.md); only its hash is stored."""
