"""A faithful in-memory stand-in for Evolution API 2.3.6: REST, socket.io and webhook delivery.

`gateway.simulator.app` builds and serves it; the package itself imports nothing, so that
`python -m gateway.simulator` patches gevent before anything else is loaded.
"""
