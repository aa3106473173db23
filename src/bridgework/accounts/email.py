"""An e-mail backend that hands messages to the background worker.

Pages never wait on a mail server: messages are queued as a task and the
worker delivers them with ``EMAIL_DELIVERY_BACKEND`` (console in development).
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from bridgework.accounts.tasks import deliver_email


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        messages = list(email_messages or [])
        for message in messages:
            message.connection = None  # connections are not picklable
        if messages:
            deliver_email(messages)
        return len(messages)
