"""Recognise and validate what a user pastes: EVM addresses, Solana keys, ISINs."""

from __future__ import annotations

import re
from typing import Literal

from .errors import BadInput

QueryKind = Literal["evm_address", "solana_address", "isin", "text"]

_EVM_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")
_HEXISH_RE = re.compile(r"^0x[0-9a-zA-Z]*$")
_ISIN_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$")
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}


def keccak256(data: bytes) -> bytes:
    """Return the Keccak-256 digest (Ethereum's hash)."""
    from eth_hash.auto import keccak  # noqa: PLC0415 - only needed for checksums

    return bytes(keccak(data))


def evm_checksum(address: str) -> str:
    """Return the EIP-55 checksummed form of a 20-byte hex address."""
    lower = address.lower().removeprefix("0x")
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c for i, c in enumerate(lower))


def normalize_evm(address: str) -> str:
    """Validate an EVM address and return its checksummed form.

    All-lowercase and all-uppercase hex are accepted; mixed case must be a valid
    EIP-55 checksum, because a wrong one usually means a mistyped character.

    Raises:
        BadInput: Not 0x + 40 hex digits, or a mixed-case address with a bad checksum.
    """
    text = address.strip()
    if not _EVM_RE.match(text):
        raise BadInput(f"{text!r} is not an EVM address: it must be 0x followed by 40 hexadecimal digits.")
    body = text[2:]
    checksummed = evm_checksum(text)
    if body != body.lower() and body != body.upper() and text != checksummed:
        raise BadInput(
            f"{text} has an invalid EIP-55 checksum (mixed upper/lower case that does not match). "
            f"Check for a mistyped character; the checksummed form of these digits is {checksummed}."
        )
    return checksummed


def b58decode(text: str) -> bytes:
    """Decode base58 (Bitcoin/Solana alphabet).

    Raises:
        BadInput: A character outside the base58 alphabet.
    """
    number = 0
    for position, char in enumerate(text):
        digit = _B58_INDEX.get(char)
        if digit is None:
            raise BadInput(
                f"{text!r} is not a Solana address: character {char!r} at position {position + 1} "
                "is not base58 (0, O, I and l never appear)."
            )
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading_zeros + body


def normalize_solana(address: str) -> str:
    """Validate a Solana public key (32 bytes in base58) and return it stripped.

    Raises:
        BadInput: Not base58, or not 32 bytes long.
    """
    text = address.strip()
    if len(b58decode(text)) != 32:
        raise BadInput(f"{text!r} is not a Solana address: it does not decode to 32 bytes.")
    return text


def same_address(a: str, b: str) -> bool:
    """Whether two addresses are the same: hex ignores case, base58 does not."""
    return a.lower() == b.lower() if a.startswith("0x") else a == b


def classify(query: str) -> QueryKind:
    """Tell what kind of thing a search query is, without validating it fully."""
    text = query.strip()
    if _HEXISH_RE.match(text) and len(text) > 10:
        return "evm_address"
    if _ISIN_RE.match(text):
        return "isin"
    if 32 <= len(text) <= 44 and all(c.isalnum() for c in text) and not text.isupper():
        return "solana_address"
    return "text"
