"""Reproducible random draws (抽签): a seed drawn in front of supervisors, a digest of the inputs,
a digest of the result, all in the audit trail. `verify(draw)` rebuilds the inputs from the
database, checks their digest, re-runs the draw from the seed and compares the result digest.

Each kind of draw registers two functions with `register(kind, inputs=..., run=...)`:
- inputs(draw) -> a JSON-able value (lists sorted by id): what the draw was made from;
- run(inputs, rng, draw) -> a JSON-able result (what was decided), computed only from the
  inputs and `rng`, so the same seed and inputs always give the same result.
"""

import hashlib
import json
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from renshi.core.audit import audit_record


def new_seed() -> str:
    """Twelve decimal digits, easy to read out and write down in front of witnesses."""
    return f"{secrets.randbelow(10**12):012d}"


def rng_for(seed: str, *salt) -> random.Random:
    """A generator determined by the seed (and a salt such as a session code)."""
    material = "\x1f".join([str(seed), *map(str, salt)]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:16], "big"))


def digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    inputs: Callable
    run: Callable


_kinds: dict[str, Kind] = {}


def register(kind: str, *, inputs: Callable, run: Callable) -> None:
    _kinds[kind] = Kind(inputs=inputs, run=run)


def record(*, exam, kind, seed, inputs, result, actor, scope="", witnesses="", summary=None):
    """Write the Draw row and its audit row (inside the caller's transaction)."""
    from renshi.exams.models import Draw

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("draws.record must run inside the transaction that saves the result")
    draw = Draw.objects.create(
        exam=exam,
        kind=kind,
        scope=scope,
        seed=seed,
        witnesses=witnesses,
        input_digest=digest(inputs),
        result_digest=digest(result),
        summary=summary or {},
        drawn_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action=f"draw.{kind}",
        obj=draw,
        after={
            "seed": seed,
            "scope": scope,
            "witnesses": witnesses,
            "input_digest": draw.input_digest,
            "result_digest": draw.result_digest,
            **(summary or {}),
        },
    )
    return draw


@dataclass(frozen=True)
class Verification:
    inputs_match: bool
    result_match: bool

    @property
    def ok(self) -> bool:
        return self.inputs_match and self.result_match


def verify(draw) -> Verification:
    kind = _kinds[draw.kind]
    inputs = kind.inputs(draw)
    result = kind.run(inputs, rng_for(draw.seed), draw)
    return Verification(
        inputs_match=digest(inputs) == draw.input_digest,
        result_match=digest(result) == draw.result_digest,
    )
