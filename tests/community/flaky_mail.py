"""A mail backend for the worker tests: the first message fails (as an SMTP server that is
away would), the next ones are written to EMAIL_FILE_PATH. Its state is a file there, so it
holds across the worker's jobs."""

from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class FailOnceBackend(EmailBackend):
    def send_messages(self, messages) -> int:
        marker = Path(settings.EMAIL_FILE_PATH) / "failed-once"
        if not marker.exists():
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("1")
            raise ConnectionRefusedError("The mail server is away (a test's first try).")
        return super().send_messages(messages)
