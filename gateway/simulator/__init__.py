"""Faithful in-memory stand-ins for the providers, one package each as in gateway/providers/:
`evolution/` (Evolution API 2.3.6: REST, socket.io, webhooks) and `waha/` (WAHA Core 2026.2.1 and 2024.10.8).

This level holds only what both share: injected faults, QR codes, greenlets and the test launcher.
The package imports nothing, so that `python -m gateway.simulator` patches gevent before anything else loads.
"""
