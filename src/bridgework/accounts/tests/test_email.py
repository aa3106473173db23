"""The queued e-mail backend: messages go through the task worker, once."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.test import override_settings

from bridgework.accounts.email import QueuedEmailBackend

QUEUED = "bridgework.accounts.email.QueuedEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DUMMY = "django.core.mail.backends.dummy.EmailBackend"


@override_settings(EMAIL_BACKEND=QUEUED, EMAIL_DELIVERY_BACKEND=LOCMEM)
def test_send_mail_is_delivered_once_through_the_worker():
    sent = send_mail("Hello", "Body text", "from@example.org", ["to@example.org"])
    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Hello"
    assert message.body == "Body text"
    assert message.to == ["to@example.org"]


@override_settings(EMAIL_BACKEND=QUEUED, EMAIL_DELIVERY_BACKEND=DUMMY)
def test_delivery_uses_the_delivery_backend_not_the_default_one():
    # With a delivery backend that drops messages, nothing reaches the locmem outbox:
    # proof that the queued backend hands messages to EMAIL_DELIVERY_BACKEND.
    assert send_mail("Hello", "Body", "from@example.org", ["to@example.org"]) == 1
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=QUEUED, EMAIL_DELIVERY_BACKEND=LOCMEM)
def test_several_messages_each_delivered_once():
    messages = [
        EmailMessage(f"Subject {n}", "Body", "from@example.org", [f"to{n}@example.org"])
        for n in range(3)
    ]
    assert QueuedEmailBackend().send_messages(messages) == 3
    assert sorted(m.subject for m in mail.outbox) == ["Subject 0", "Subject 1", "Subject 2"]


@override_settings(EMAIL_DELIVERY_BACKEND=LOCMEM)
def test_nothing_to_send():
    assert QueuedEmailBackend().send_messages([]) == 0
    assert QueuedEmailBackend().send_messages(None) == 0
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=QUEUED, EMAIL_DELIVERY_BACKEND=LOCMEM)
def test_works_inside_a_database_test_too():
    send_mail("Hi", "Body", "from@example.org", ["a@example.org", "b@example.org"])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]
