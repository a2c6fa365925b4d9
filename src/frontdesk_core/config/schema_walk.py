"""Follow a pydantic error ``loc`` through the model classes to the type it points at.

Used to name the keys a mapping accepts ("did you mean 'prefix'?") and to tell
a citizen-facing text from other mappings, so messages can be specific.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any, Literal, Union

from pydantic import BaseModel, Tag

from frontdesk_core.config.types import TEXT_MARKER


def _strip(tp: Any) -> tuple[Any, list[Any]]:
    """Remove ``Annotated`` layers, returning the bare type and the metadata."""
    meta: list[Any] = []
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        meta.extend(args[1:])
        tp = args[0]
    return tp, meta


def _members(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _field_type(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            if info.metadata:
                return typing.Annotated[(info.annotation, *info.metadata)]
            return info.annotation
    return None


def _tag_of(member: Any) -> str | None:
    bare, meta = _strip(member)
    for item in meta:
        if isinstance(item, Tag):
            return item.tag
    if isinstance(bare, type) and issubclass(bare, BaseModel) and "kind" in bare.model_fields:
        kind = bare.model_fields["kind"].annotation
        if typing.get_origin(kind) is Literal:
            return str(typing.get_args(kind)[0])
    return None


def type_at(root: Any, loc: Sequence[str | int]) -> Any:
    """The (possibly ``Annotated``) type at ``loc`` below ``root``, or ``None`` if lost."""
    return _resolve(root, loc)[0]


def without_tags(root: Any, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """``loc`` without the union tags pydantic puts in it (no YAML key has them).

    A tag can be spelt like a key of the node itself (a referral node of kind
    ``queue`` has a key ``queue``), so only the type tells which one a segment is.
    """
    tags = _resolve(root, loc)[1]
    return tuple(segment for i, segment in enumerate(loc) if i not in tags)


def _resolve(root: Any, loc: Sequence[str | int]) -> tuple[Any, set[int]]:
    """The type at ``loc`` (``None`` if lost) and which segments of it are union tags."""
    tp = root
    tags: set[int] = set()
    for index, segment in enumerate(loc):
        bare, _ = _strip(tp)
        candidates = _members(bare)
        if len(candidates) > 1:
            tagged = [m for m in candidates if _tag_of(m) == segment]
            if tagged:
                tp = tagged[0]
                tags.add(index)
                continue
            models = [m for m in candidates if _is_model(_strip(m)[0])]
            if len(models) == 1:
                bare = _strip(models[0])[0]
            else:
                non_none = [m for m in candidates if _strip(m)[0] is not type(None)]
                bare = _strip(non_none[0])[0] if non_none else bare
        elif candidates:
            bare = _strip(candidates[0])[0]
        origin = typing.get_origin(bare)
        if _is_model(bare) and isinstance(segment, str):
            tp = _field_type(bare, segment)
        elif origin in (list, tuple, set, frozenset) and isinstance(segment, int):
            tp = typing.get_args(bare)[0]
        elif origin is dict:
            tp = typing.get_args(bare)[1]
        else:
            return None, tags
        if tp is None:
            return None, tags
    return tp, tags


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def keys_at(root: Any, loc: Sequence[str | int]) -> list[str]:
    """The keys a mapping at ``loc`` accepts (empty when it is not a model)."""
    tp = type_at(root, loc)
    if tp is None:
        return []
    names: list[str] = []
    for member in _members(_strip(tp)[0]):
        bare = _strip(member)[0]
        if _is_model(bare):
            names += [info.alias or name for name, info in bare.model_fields.items()]
    return names


def is_text(root: Any, loc: Sequence[str | int]) -> bool:
    """Whether ``loc`` points at a citizen-facing text (a ``Text`` field)."""
    tp = type_at(root, loc)
    if tp is None:
        return False
    return any(TEXT_MARKER in _strip(member)[1] for member in [*_members(_strip(tp)[0]), tp])
