"""Compiled built-in templates kept between runs: Jinja2's own bytecode cache.

Compiling the built-in templates (parsing, our sandbox's rewrites, Python's compile) costs a
cold build about a tenth of a second; loading their compiled code costs a few milliseconds.
The cache is Jinja's ``FileSystemBytecodeCache`` in its default folder: one per user in the
system temp folder, made mode 0700 and refused unless it is that user's own, so no other
user can plant code there. On top of it:

* **Keyed on content.** Jinja checks each entry against the template's source; our checksum
  is SHA-256 of that source plus a fingerprint of everything else the compiled code depends
  on: the Jinja and Python versions, our sandbox module (its parse rewrites and code
  generator), the environment's options and the names of its filters, tests and globals.
  Change any of them and the entry is simply recompiled.
* **Built-in templates only.** A ``--templates`` folder is compiled each time (it may be
  anyone's, and anywhere); the built-in ones it does not replace still come from the cache.
* **Never in the way.** A folder that cannot be made, is unsafe, read-only or full means no
  cache: the template is compiled as before and the build goes on.
"""

from __future__ import annotations

import hashlib
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

# Our own file names in Jinja's per-user folder, apart from any other Jinja program's.
PATTERN = "__explainer_%s.cache"


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache for templates read from ``roots`` only, keyed on
    each template's source and ``fingerprint``, and silent when the folder refuses a write."""

    def __init__(self, directory: str | None, roots: list[Path], fingerprint: str) -> None:
        super().__init__(directory, PATTERN)
        self.roots = tuple(str(root) + "/" for root in roots)
        self.fingerprint = fingerprint

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{source}".encode()).hexdigest()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        bucket = _Bucket(environment, self.get_cache_key(name, filename),
                         self.get_source_checksum(source))
        bucket.cached = filename is not None and filename.startswith(self.roots)
        if bucket.cached:
            self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # an unreadable folder, a damaged entry: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not getattr(bucket, "cached", False):
            return
        # A read-only, full or vanished folder: the next run compiles again.
        with suppress(OSError):
            super().dump_bytecode(bucket)


class _Bucket(Bucket):
    cached = False  # the template is one of the cached roots' (else never read or written)


def fingerprint(env: jinja2.Environment) -> str:
    """What compiled template code depends on besides the template's own source."""
    from . import sandbox

    parts: list[Any] = [
        jinja2.__version__, sys.version, sys.implementation.cache_tag,
        hashlib.sha256(Path(sandbox.__file__).read_bytes()).hexdigest(),
        type(env).__qualname__, env.code_generator_class.__qualname__,
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.autoescape if isinstance(env.autoescape, bool) else "callable",
        sorted(env.filters), sorted(env.tests), sorted(env.globals), sorted(env.extensions),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def template_cache(env: jinja2.Environment, roots: list[Path],
                   directory: str | None = None) -> TemplateCache | None:
    """A cache for ``env``'s templates under ``roots`` in ``directory`` (default: Jinja's
    per-user folder; one given is made if missing), or None when no safe folder can be had."""
    try:
        if directory is not None:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        return TemplateCache(directory, roots, fingerprint(env))
    except (OSError, RuntimeError):  # RuntimeError: Jinja found the folder unsafe
        return None
