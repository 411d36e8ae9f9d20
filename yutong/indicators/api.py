"""Serializers and viewsets. ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both)."""

ROUTES: list = []
PATHS: list = []
