"""gunicorn's own logs (access and error) with every secret masked, as the app's own lines are.

gunicorn writes the request line of every request to its access log and the URL of a request whose
handling failed (a gevent timeout that escaped Flask) to its error log; a webhook's URL holds the
instance's secret. Configured as `logger_class` in gunicorn.conf.py.
"""
from __future__ import annotations

import logging

from gunicorn.glogging import Logger

from .logs import redact


class RedactingFilter(logging.Filter):
    """Formats the record's message (and traceback) once, masked, before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class MaskingLogger(Logger):
    """gunicorn's Logger with the redacting filter on its error and access loggers."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, RedactingFilter) for existing in log.filters):
                log.addFilter(RedactingFilter())
