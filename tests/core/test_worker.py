"""Jobs go through a real Celery worker process on Redis and change the database."""

from __future__ import annotations

import pytest

from core.models import Notification
from core.services import notification_send
from tests.factories import UserFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_notification_is_emailed_by_the_worker(celery_worker_process) -> None:
    user = UserFactory(username="worker-test", email="worker-test@example.com")
    notification = notification_send(
        recipient=user, key="test:worker-roundtrip", subject="QBR with Voltaris tomorrow"
    )
    assert notification is not None
    assert notification.emailed_at is None

    # The worker, a separate process, marks it e-mailed in the shared database.
    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)


def test_sending_twice_with_one_key_notifies_once(celery_worker_process) -> None:
    user = UserFactory(username="worker-test-2", email="w2@example.com")
    first = notification_send(recipient=user, key="test:once", subject="Overdue action")
    second = notification_send(recipient=user, key="test:once", subject="Overdue action")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=user).count() == 1
