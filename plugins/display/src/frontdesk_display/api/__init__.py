"""The JSON API for integrators' own front ends: its routes, bodies and OpenAPI description."""
