"""Exports of the intermediate spec to other formats (OpenAPI 3.1)."""

from .openapi import dump_openapi, to_openapi, write_text_atomic

__all__ = ["dump_openapi", "to_openapi", "write_text_atomic"]
