"""The worker's open-file limit, raised at start to the hard limit where the platform allows it.

Every provider server connection, live-stream client and database connection holds a descriptor;
many Linux hosts start processes with a soft limit of 1,024 although the hard limit is far higher.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def raise_open_file_limit() -> int | None:
    """Raise RLIMIT_NOFILE's soft limit to its hard limit; the limit now in force, None where unknown."""
    try:
        import resource
    except ImportError:  # not a POSIX platform
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft >= hard:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError) as error:
        log.warning("open-file limit left as it was", extra={"fields": {"soft": soft, "error": str(error)}})
        return soft
    return hard
