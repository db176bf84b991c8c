"""A faithful in-memory stand-in for WAHA Core (NOWEB): REST sessions, config.webhooks delivery and `/ws`.

It behaves like WAHA 2026.2.1 as /work/shared/contract records it (README "WAHA Core 2026.2.1",
waha-2026.2.1-rest.md and the captures), or like 2024.10.8 with `--waha-version 2024.10.8`.
Each module names the WAHA source files it follows: devlikeapro/waha at tag 2024.10.8 for the older
server, and for 2026.x suspiciousRaccoon/waha, a fork that merged upstream's commits (its own
"multiple sessions" commit rewrote src/core/manager.core.ts: read that file at the fork's tag
2026.1.1 for Core's only-`default` rule). Where the captures and the source disagree, the captures win.
"""
