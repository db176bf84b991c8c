"""The yardsticks for bench/ingest.py under the same gunicorn gevent worker: a bare Flask route, and a
raw WSGI app (the server alone, the limit no Python web app can pass)."""
from gevent import monkey

monkey.patch_all()

from flask import Flask, jsonify, request  # noqa: E402

app = Flask(__name__)


@app.post("/bare")
def bare():
    """Parse the JSON body and answer, nothing else: the least a webhook receiver does, on the stack alone."""
    request.get_json()
    return jsonify(status="ok")


def raw(environ, start_response):
    """The server's own limit: read the body and answer, with no framework at all."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    body = b'{"status":"ok"}\n'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
