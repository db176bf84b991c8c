"""A faithful in-memory stand-in for WAHA Core (NOWEB): REST sessions, config.webhooks delivery and `/ws`.

It behaves like WAHA 2026.2.1 as /work/shared/contract records it (README "WAHA Core 2026.2.1",
waha-2026.2.1-rest.md and the captures), or like 2024.10.8 with `--waha-version 2024.10.8`.
Each module names the WAHA source file it follows (devlikeapro/waha; 2026.x from a fork that merged
the upstream commits). Where the captures and the source disagree, the captures win.
"""
