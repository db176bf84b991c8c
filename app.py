"""Entry point for the `flask` command: `flask --app app run|db upgrade|admin ...`.

A command builds the same services as a web worker and runs them the same way, patched by gevent
first (as wsgi.py does): their greenlets (the event writer a catch-up stores through, the bus relay
that carries its announcements) take turns only on cooperative I/O, and would otherwise block the
command on the first wait of one of them.
"""
from gevent import monkey

monkey.patch_all()

from gateway import create_app  # noqa: E402  (must follow the patching)

app = create_app()
