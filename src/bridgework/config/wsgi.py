"""WSGI entry point (``bridgework serve`` runs it under Waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridgework.config.settings")
application = get_wsgi_application()
