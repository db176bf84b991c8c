"""Entry point for gunicorn's gevent worker: patch the standard library before anything imports it."""
from gevent import monkey

monkey.patch_all()

import gc  # noqa: E402

from gateway import create_app  # noqa: E402  (must follow the patching)
from gateway.open_files import raise_open_file_limit  # noqa: E402

raise_open_file_limit()  # before any socket opens: descriptors bound how many connections the worker holds
app = create_app()
if app.config["BACKGROUND_JOBS"]:
    app.extensions["gateway"].start(app)

# Each fan-out burst allocates many short-lived objects; with the default threshold the young
# collections promote them to the old generation, and the full collections that follow stall
# every socket at once. Collect the young generation less often, and keep boot-time objects
# (modules, the app) out of every collection.
gc.set_threshold(50_000, 20, 100)
gc.freeze()
