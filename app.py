"""Entry point for the `flask` command: `flask --app app run|db upgrade|admin ...`.

A command builds the same services as a web worker and runs them the same way, patched by gevent
as wsgi.py is (as early as the `flask` command allows: it has loaded Flask and click by then, and
started no thread). Their greenlets (the event writer a catch-up stores through, the bus relay that
carries its announcements) take turns only on cooperative I/O: unpatched, the relay's first wait
would block the command for good.
"""
from gevent import monkey

monkey.patch_all()

from gateway import create_app  # noqa: E402  (must follow the patching)

app = create_app()
