"""A faithful in-memory stand-in for Evolution API 2.3.6: REST, socket.io and webhook delivery.

It behaves as /work/shared/contract records the real server (README "Evolution API 2.3.6" and the
evolution-*.jsonl captures). Each module names the file of EvolutionAPI/evolution-api (tag 2.3.6) it
follows; where the captures and the source disagree, the captures win. `app` builds and serves it.
"""
