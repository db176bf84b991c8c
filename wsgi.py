"""Entry point for gunicorn's gevent worker: patch the standard library before anything imports it."""
from gevent import monkey

monkey.patch_all()

from gateway import create_app  # noqa: E402  (must follow the patching)

app = create_app()
if app.config["BACKGROUND_JOBS"]:
    app.extensions["gateway"].start(app)
