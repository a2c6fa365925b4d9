"""The JSON Schema of the whole configuration, for editors (yaml-language-server)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from frontdesk_core.config.models import Config
from frontdesk_core.config.types import ServiceLevel, TimeRange, format_duration, format_time


class FrontdeskJsonSchema(GenerateJsonSchema):
    """Writes defaults the way a consultant writes them (``"10 min"``, not ``"PT10M"``)."""

    def encode_default(self, dft: Any) -> Any:
        """Encode a default value for the schema."""
        if isinstance(dft, timedelta):
            return format_duration(dft)
        if isinstance(dft, time):
            return format_time(dft)
        if isinstance(dft, (ServiceLevel, TimeRange)):
            return str(dft)
        if isinstance(dft, list):
            return [self.encode_default(item) for item in dft]
        return super().encode_default(dft)


def config_schema(sections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The schema of a configuration file: every section optional, so split files check too.

    ``sections`` are the plugins' own sections (name -> type), added as properties.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = Config.model_json_schema(mode="validation", schema_generator=FrontdeskJsonSchema)
        schema.pop("required", None)
        properties = schema.setdefault("properties", {})
        properties.pop("sections", None)
        properties["include"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": "Files (glob patterns) to include; only in frontdesk.yaml.",
        }
        defs = schema.setdefault("$defs", {})
        for name, annotation in (sections or {}).items():
            sub = TypeAdapter(annotation).json_schema(
                ref_template="#/$defs/{model}", schema_generator=FrontdeskJsonSchema
            )
            defs.update(sub.pop("$defs", {}))
            properties[name] = sub
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "frontdesk configuration"
    schema["additionalProperties"] = False
    return schema
