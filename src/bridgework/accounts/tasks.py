"""Background tasks of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=30)
def deliver_email(messages) -> int:
    """Send queued e-mail messages with the configured delivery backend."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages(messages) or 0
