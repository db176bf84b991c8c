"""The yardstick for bench/ingest.py: a bare Flask route under the same gunicorn gevent worker."""
from gevent import monkey

monkey.patch_all()

from flask import Flask, jsonify, request  # noqa: E402

app = Flask(__name__)


@app.post("/bare")
def bare():
    """Read the body and answer, nothing else: the stack's own cost per request."""
    request.get_data()
    return jsonify(status="ok")
