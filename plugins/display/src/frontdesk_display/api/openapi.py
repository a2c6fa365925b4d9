"""A small typed router for the JSON API that also writes its OpenAPI description.

Each :class:`Operation` names its path, body model, response model, the roles
that may call it and every status it can answer; :func:`openapi` turns the list
into an OpenAPI 3.1 document, so the description cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from frontdesk_display.api.models import SITE_LANGUAGES, Problem

Role = Literal["employee", "manager"]
ID_SCHEMA = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$", "maxLength": 64}
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    400: "The request is not JSON",
    401: "Not signed in (send a bearer token)",
    403: "Not allowed",
    404: "Not found",
    409: "Does not fit the current state",
    415: "The body must be application/json",
    422: "Invalid input",
    429: "Too many tries; wait a little",
}


@dataclass(frozen=True)
class Param:
    """A path parameter: its schema (an id unless told otherwise)."""

    name: str
    schema: dict[str, Any] = field(default_factory=lambda: dict(ID_SCHEMA))
    description: str = ""


@dataclass(frozen=True)
class Operation:
    """One API operation."""

    method: str
    path: str
    operation_id: str
    summary: str
    handler: Callable[..., Awaitable[Any]]
    response: type[BaseModel] | None
    response_list: bool = False
    body: type[BaseModel] | None = None
    role: Role | None = None
    params: Sequence[Param] = ()
    errors: Sequence[int] = ()
    status: int = 200

    def statuses(self) -> list[int]:
        """Every status this operation may answer."""
        codes = {self.status, *self.errors}
        if self.params:
            codes.add(404)
        if self.body is not None:
            codes |= {400, 415, 422}
        if self.role is not None:
            codes |= {401, 403}
        return sorted(codes)


def _schemas(models: set[type[BaseModel]]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    for model in sorted(models, key=lambda m: m.__name__):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return components


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _site_languages(node: Any, languages: list[str]) -> Any:
    """``node`` with every language marked ``x-site-languages`` limited to ``languages``."""
    if isinstance(node, dict):
        if node.get(SITE_LANGUAGES):
            return {"type": "string", "enum": list(languages)}
        return {k: _site_languages(v, languages) for k, v in node.items()}
    if isinstance(node, list):
        return [_site_languages(v, languages) for v in node]
    return node


def openapi(
    operations: Sequence[Operation],
    *,
    title: str,
    version: str,
    prefix: str,
    languages: Sequence[str] = ("da", "en"),
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``operations`` (served under ``prefix``); a language
    is one of the site's ``languages``."""
    models: set[type[BaseModel]] = {Problem}
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        responses: dict[str, Any] = {}
        for code in op.statuses():
            if code == op.status:
                if op.response is None:
                    responses[str(code)] = {"description": STATUS_TEXT.get(code, "OK")}
                    continue
                models.add(op.response)
                schema: dict[str, Any] = _ref(op.response)
                if op.response_list:
                    schema = {"type": "array", "items": schema}
                content = {"application/json": {"schema": schema}}
                responses[str(code)] = {
                    "description": STATUS_TEXT.get(code, "OK"),
                    "content": content,
                }
            else:
                responses[str(code)] = {
                    "description": STATUS_TEXT.get(code, "Error"),
                    "content": {"application/json": {"schema": _ref(Problem)}},
                }
        entry: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "responses": responses,
        }
        if op.params:
            entry["parameters"] = [
                {
                    "name": p.name,
                    "in": "path",
                    "required": True,
                    "schema": p.schema,
                    **({"description": p.description} if p.description else {}),
                }
                for p in op.params
            ]
        if op.body is not None:
            models.add(op.body)
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(op.body)}},
            }
        if op.role is not None:
            entry["security"] = [{"bearer": []}]
            entry["description"] = f"Needs a signed-in {op.role} (a bearer token from /token)."
        paths.setdefault(prefix + op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": _site_languages(_schemas(models), list(languages)),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
