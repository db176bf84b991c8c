"""Pairing QR strings and pairing codes as WhatsApp Web issues them to both providers' Baileys-based engines,
and the PNG each provider renders from them (its own look, given by the caller).

Evolution: src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts (connectionUpdate,
requestPairingCode); WAHA: src/core/QR.ts and src/core/engines/noweb/session.noweb.core.ts (requestCode).
"""
from __future__ import annotations

import base64
import io
import secrets

import segno

# Baileys' requestPairingCode: 8 characters of this alphabet (no 0, O, I or U to misread).
PAIRING_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"


def new_code() -> str:
    """`<ref>,<noise key>,<identity key>,<adv secret>` like the string WhatsApp Web encodes."""
    ref = "2@" + base64.b64encode(secrets.token_bytes(60)).decode()
    keys = [base64.b64encode(secrets.token_bytes(32)).decode() for _ in range(3)]
    return ",".join([ref, *keys])


def new_pairing_code() -> str:
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))


def png(code: str, *, error: str, border: int, dark: str, scale: int = 4) -> bytes:
    """The PNG of npm `qrcode` toDataURL with these options (error level, margin, dark colour, scale)."""
    out = io.BytesIO()
    segno.make_qr(code, error=error).save(out, kind="png", scale=scale, border=border, dark=dark, light="#ffffff")
    return out.getvalue()
