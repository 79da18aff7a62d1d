"""JSON files a person supplies: caps checked before parsing, and problems told in sentences.

Python's JSON parser recurses once per nesting level; with a raised recursion limit (importing web3
sets 100,000) a deeply nested file crashes the interpreter instead of raising ``RecursionError``, so
the depth is counted first, without recursion. Numbers are read exactly (``Decimal``, so ``1e400`` stays
itself), and what JSON's parser would take that can be read two ways (``NaN``, ``Infinity``, a key
given twice) is refused.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

MAX_SHOWN = 50  # characters of a value quoted in a message


class Unusable(Exception):
    """The file as a whole cannot be used; the message completes "The file …" (``is empty``)."""


def nesting(text: str) -> int:
    """The deepest bracket nesting of a JSON text, counted without recursion (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read_document(path: Path, *, max_bytes: int, max_depth: int, needs: int) -> Any:
    """Read a JSON file a person gave, checking its size and depth before parsing it.

    Args:
        path: The file.
        max_bytes: Largest size accepted.
        max_depth: Deepest nesting accepted.
        needs: The nesting the format itself uses, for the message.

    Raises:
        Unusable: Missing, not a readable regular file, too large, not UTF-8, empty, too deep, not
            JSON, or JSON that can be read two ways; the message completes "The file …".
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            kind = "a folder" if path.is_dir() else "not a regular file"
            raise Unusable(f"is {kind}; give a JSON file")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise Unusable("does not exist") from None
    except OSError as exc:
        raise Unusable(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    except ValueError:  # a NUL in the name
        raise Unusable("is not a usable file name") from None
    if len(data) > max_bytes:
        raise Unusable(f"is larger than {max_bytes:,} bytes, far more than this format takes")
    try:
        text = data.decode("utf-8-sig")  # an editor's byte-order mark is harmless
    except UnicodeDecodeError as exc:
        raise Unusable(f"is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None
    if not text.strip():
        raise Unusable("is empty")
    if (depth := nesting(text)) > max_depth:
        raise Unusable(f"is nested {depth:,} levels deep, but this format needs only {needs}")
    try:
        return json.loads(
            text,
            parse_float=_number,
            parse_int=_number,
            parse_constant=_not_a_number,
            object_pairs_hook=_object,
        )
    except _TwoWays as exc:
        raise Unusable(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise Unusable(f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None


class _TwoWays(ValueError):
    """JSON the parser takes but that cannot be read one way only."""


def _number(text: str) -> int | Decimal:
    try:
        return int(text) if text.lstrip("-").isdigit() and len(text) <= 40 else Decimal(text)
    except InvalidOperation:
        raise _TwoWays(f"holds the number {text[:MAX_SHOWN]}, which is beyond any range a number can have") from None


def _not_a_number(text: str) -> None:
    raise _TwoWays(f"holds {text}, which is not a JSON number")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise _TwoWays(f"gives the key {shown(key)} twice in one object, so it can be read two ways")
        doc[key] = value
    return doc


def shown(value: object) -> str:
    """A JSON value as a message may quote it: strings escaped like JSON and cut, containers named."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        cut = value[:MAX_SHOWN]
        body = "".join(c if c.isprintable() and c not in '"\\' else json.dumps(c)[1:-1] for c in cut)
        return f'"{body}{"…" if len(value) > MAX_SHOWN else ""}"'
    text = json.dumps(value) if value is None or isinstance(value, bool) else str(value)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}…"


def place(path: Iterable[str | int]) -> str:
    """Where a value sits in a document: ``tokens[2].deployments[0].decimals``."""
    text = ""
    for part in path:
        name = part if isinstance(part, int) or part.isidentifier() else shown(part)
        text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{name}"
    return text or "the top level"


def schema_problems(doc: Any, validator: Validator, limit: int) -> list[str]:
    """One sentence per problem a JSON Schema finds, ``path: what is wrong.``, ordered by path.

    A value that does not fit gets "… is not <the schema's description>", so every schema node a
    value can fail on carries a ``description`` written as what is expected ("a whole number from 0 to 36").
    """
    sentences: dict[str, tuple[Any, ...]] = {}
    # Bounded: a file of thousands of bad rows is told in its first problems, not all of them.
    for error in islice(validator.iter_errors(doc), limit * 20):
        key = tuple((1, p) if isinstance(p, str) else (0, p) for p in error.absolute_path)
        sentences.setdefault(f"{place(error.absolute_path)}: {_what(error)}", key)
    return sorted(sentences, key=lambda s: sentences[s])[:limit]


def _what(error: ValidationError) -> str:
    # jsonschema types these as "or unset"; an error from iter_errors always has them.
    instance: Any = error.instance
    expected: Any = error.validator_value
    schema: dict[str, Any] = error.schema  # type: ignore[assignment]
    if error.validator == "required":
        missing = [name for name in expected if name not in instance]
        return f"the field{'s' if len(missing) > 1 else ''} {', '.join(map(shown, missing))} must be given."
    if error.validator == "additionalProperties":
        known = schema.get("properties", {})
        extra = [name for name in instance if name not in known]
        return (
            f"{', '.join(map(shown, extra))} {'are not fields' if len(extra) > 1 else 'is not a field'} of this "
            f"format (its fields: {', '.join(known)})."
        )
    if error.validator in ("minItems", "maxItems"):
        bound = "at least" if error.validator == "minItems" else "at most"
        return f"lists {len(instance)} item{'s' * (len(instance) != 1)}, but takes {bound} {expected}."
    if error.validator == "format" and isinstance(error.cause, BadInput):
        return str(error.cause)  # the address checks say precisely what is wrong
    return f"{shown(instance)} is not {schema.get('description', 'valid here')}."
