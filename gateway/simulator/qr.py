"""Pairing QR codes: a Baileys-like ref string and the PNG data URL Evolution renders from it."""
# Follows whatsapp.baileys.service.ts connectionUpdate (qrcode.toDataURL, margin 3, scale 4, level H).
from __future__ import annotations

import base64
import secrets

import segno

QR_COLOR = "#198754"  # QRCODE_COLOR default
# Baileys' requestPairingCode: 8 characters of this alphabet (no 0, O, I or U to misread).
PAIRING_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"


def new_code() -> str:
    """`<ref>,<noise key>,<identity key>,<adv secret>` like the string WhatsApp Web encodes."""
    ref = "2@" + base64.b64encode(secrets.token_bytes(60)).decode()
    keys = [base64.b64encode(secrets.token_bytes(32)).decode() for _ in range(3)]
    return ",".join([ref, *keys])


def new_pairing_code() -> str:
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))


def png_data_url(code: str) -> str:
    return segno.make_qr(code, error="h").png_data_uri(scale=4, border=3, dark=QR_COLOR, light="#ffffff")
