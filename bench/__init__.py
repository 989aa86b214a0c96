"""pmgen's benchmark: one command, ``python bench/run.py`` (see ``bench/README.md``).

Modules: ``common`` (paths, measured subprocesses, tables), ``stages`` (in-process
generation stage by stage), ``regen`` (the CLI cold, no-op and after one change),
``importing`` (import time of a generated package), ``calls`` and ``loopback``
(per-call overhead against raw httpx), ``peers`` (postman-to-openapi +
openapi-python-client) and ``targets`` (the issue's targets, pass or fail).
"""
