"""Postman input: the typed model of a collection and the stage that loads it.

``load_collection(path)`` reads a Postman collection (format v2.0 or v2.1), checks it
against Postman's schema and returns a normalised ``PmCollection``; errors are
``generator.errors.InputError`` with the file and the JSON path.
"""

from .load import (
    SUPPORTED_VERSIONS,
    collection_from_dict,
    environment_from_dict,
    load_collection,
    load_environment,
    read_json,
)
from .model import (
    PmAuth,
    PmBody,
    PmCollection,
    PmFormField,
    PmItem,
    PmKeyValue,
    PmRequest,
    PmResponse,
    PmScript,
    PmUrl,
)

__all__ = [
    "SUPPORTED_VERSIONS",
    "PmAuth",
    "PmBody",
    "PmCollection",
    "PmFormField",
    "PmItem",
    "PmKeyValue",
    "PmRequest",
    "PmResponse",
    "PmScript",
    "PmUrl",
    "collection_from_dict",
    "environment_from_dict",
    "load_collection",
    "load_environment",
    "read_json",
]
