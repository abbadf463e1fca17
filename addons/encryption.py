"""Optional encryption of the stored events' text (Fernet: AES-128-CBC with HMAC-SHA256).

``TRACKER_ENCRYPTION_KEYS`` is a comma-separated list of Fernet keys (``python -c "from
cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``): the first
encrypts, every one decrypts, so a key is rotated by putting a new key first, running
``scripts/purge.sh --rotate-key`` (every row re-encrypted with the first key) and then
dropping the old key. Unset: nothing is encrypted (and encrypted rows cannot be read).

What is encrypted: the fields of an event that can hold a person's words (``ENCRYPTED_FIELDS``:
the text, the parsed message, a slot's value, metadata, a bot message's buttons), each as
``"fernet:<token>"`` inside the event's JSON. The event's type, name, time and channel stay
readable, for retention, channel keys and counting. Redaction (bot/redaction.py) runs first.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any, Dict, Optional, Text

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"
ENCRYPTED_FIELDS = ("text", "parse_data", "value", "metadata", "data")


class KeyMissing(RuntimeError):
    """A stored event is encrypted and no configured key decrypts it."""


def parse_keys(value: Optional[Text]) -> Optional[MultiFernet]:
    keys = [key.strip() for key in (value or "").split(",") if key.strip()]
    if not keys:
        return None
    return MultiFernet([Fernet(key.encode()) for key in keys])


@lru_cache(maxsize=4)
def _cipher_for(value: Text) -> Optional[MultiFernet]:
    return parse_keys(value)


def cipher() -> Optional[MultiFernet]:
    """The configured keys (read from the environment each time: cheap, and tests can change it)."""
    return _cipher_for(os.environ.get("TRACKER_ENCRYPTION_KEYS") or "")


def encrypt_event(data: Dict[Text, Any], keys: Optional[MultiFernet]) -> Dict[Text, Any]:
    if keys is None:
        return data
    out = dict(data)
    for field in ENCRYPTED_FIELDS:
        if field in out and out[field] is not None:
            out[field] = PREFIX + keys.encrypt(json.dumps(out[field]).encode()).decode()
    return out


def decrypt_event(data: Dict[Text, Any], keys: Optional[MultiFernet]) -> Dict[Text, Any]:
    encrypted = [f for f in ENCRYPTED_FIELDS if isinstance(data.get(f), str) and data[f].startswith(PREFIX)]
    if not encrypted:
        return data
    if keys is None:
        raise KeyMissing("Stored events are encrypted: set TRACKER_ENCRYPTION_KEYS.")
    out = dict(data)
    for field in encrypted:
        try:
            out[field] = json.loads(keys.decrypt(out[field][len(PREFIX) :].encode()))
        except InvalidToken as error:
            raise KeyMissing("No key in TRACKER_ENCRYPTION_KEYS decrypts a stored event.") from error
    return out


def stored_text(data: Dict[Text, Any]) -> Text:
    """The ``data`` column of an event: JSON, its personal fields encrypted when keys are set."""
    return json.dumps(encrypt_event(data, cipher()))


def read_text(text: Text) -> Dict[Text, Any]:
    return decrypt_event(json.loads(text), cipher())


def reencrypt(text: Text, keys: MultiFernet) -> Optional[Text]:
    """The row re-encrypted with the first key (plain rows encrypted); None if unchanged."""
    data = json.loads(text)
    plain = decrypt_event(data, keys)
    again = json.dumps(encrypt_event(plain, keys))
    return again if again != text else None
