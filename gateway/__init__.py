"""The gateway: per-number delivery control for Evolution API and WAHA WhatsApp gateways.

Importing the package imports nothing else, so a process can patch gevent first
(`python -m gateway.simulator`, wsgi.py) and only then load Flask and the rest.
"""


def create_app(config: dict | None = None):
    from .factory import create_app as build

    return build(config)
