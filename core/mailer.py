"""Handing e-mails to the mail server so that each one is sent once.

An e-mail cannot be sent and stamped "sent" in one atomic step: the mail server and the
database are two systems. Whichever comes first, a crash between the two either loses the
e-mail or sends it twice. SMTP gives us a better place to put the stamp than "after the
server said OK": the server only accepts a message when it reads the final ``.`` line, and
discards it if the connection drops before that. So :class:`SmtpMailer` transmits the
whole message *except* the final dot, commits the stamp (``stamp()``), and only then sends
the dot. A sender killed before the stamp committed leaves a message the server throws
away (the row is re-sent later); one killed after has stamped a message the server gets.
What is left is the few microseconds between the commit returning and one ``send()`` call.

``stamp()`` is fenced by the sender's claim (see core.outbox): when it returns False the
row was taken over by another sender after this one's lease ran out, and the message is
abandoned without its dot, so the two senders never both deliver it.

Every message carries a Message-ID derived from its outbox row, so in the rare case a mail
server answers with an error after accepting the message (and the row is retried), mail
stores that de-duplicate by Message-ID show it once.
"""

from __future__ import annotations

import email.policy
import re
import smtplib
import socket
from collections.abc import Callable
from typing import Protocol, cast

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

CRLF = b"\r\n"


class ClaimLostError(Exception):
    """The row was claimed by another sender; this one must not deliver it."""


class Mailer(Protocol):
    def send(self, message: EmailMessage, stamp: Callable[[], bool]) -> None:
        """Deliver ``message``; call ``stamp()`` at the last moment the delivery can still
        be abandoned, and abandon it (raising ClaimLostError) when ``stamp()`` is False."""

    def close(self) -> None: ...


def open_mailer() -> Mailer:
    """The mailer for the configured backend, holding one connection for a whole sweep."""
    backend = mailers.default
    if isinstance(backend, SmtpBackend):
        return SmtpMailer(backend)
    return BackendMailer(backend)


def _dot_stuffed(raw: bytes) -> bytes:
    """The DATA payload without its final dot (as smtplib.SMTP.data builds it)."""
    data = re.sub(rb"(?m)^\.", b"..", raw)
    return data if data.endswith(CRLF) else data + CRLF


class SmtpMailer:
    """One SMTP connection (Django's backend opens it: TLS, login, timeout) for many messages;
    the stamp is committed just before the final dot."""

    def __init__(self, backend: SmtpBackend) -> None:
        self.backend = backend
        self._connection()  # a server that cannot be reached fails here, before any claim

    def _connection(self) -> smtplib.SMTP:
        if self.backend.connection is None:
            self.backend.open()
            connection = cast(smtplib.SMTP, self.backend.connection)
            # The final dot goes in a segment of its own, right after the message: without
            # this, Nagle's algorithm holds it until the server's delayed ACK (~40 ms each).
            if connection.sock is not None:
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cast(smtplib.SMTP, self.backend.connection)

    def send(self, message: EmailMessage, stamp: Callable[[], bool]) -> None:
        connection = self._connection()
        sender = self.backend.prep_address(message.from_email)
        recipients = [self.backend.prep_address(address) for address in message.recipients()]
        raw = message.message(policy=email.policy.SMTP).as_bytes()
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            self._reset(connection)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            self._reset(connection)
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = connection.docmd("data")
        if code != 354:
            self._reset(connection)
            raise smtplib.SMTPDataError(code, reply)
        connection.send(_dot_stuffed(raw))
        if not stamp():
            # Drop the connection without the final dot: the server discards the message.
            self.abandon()
            raise ClaimLostError
        connection.send(b"." + CRLF)
        code, reply = connection.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    @staticmethod
    def _reset(connection: smtplib.SMTP) -> None:
        try:
            connection.rset()
        except OSError:  # smtplib's errors included
            connection.close()

    def abandon(self) -> None:
        """Close the socket at once (no QUIT): whatever message is half sent is discarded."""
        if self.backend.connection is not None:
            self.backend.connection.close()
            self.backend.connection = None

    def close(self) -> None:
        try:
            self.backend.close()
        except OSError:  # smtplib's errors included
            self.abandon()


class BackendMailer:
    """Any other Django backend (files in the demo, memory in tests): stamp, then hand over;
    a failure to hand over is reported so the caller takes the stamp back."""

    def __init__(self, backend: BaseEmailBackend) -> None:
        self.backend = backend
        self.backend.open()

    def send(self, message: EmailMessage, stamp: Callable[[], bool]) -> None:
        if not stamp():
            raise ClaimLostError
        self.backend.send_messages([message])

    def close(self) -> None:
        self.backend.close()
