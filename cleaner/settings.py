"""Project configuration: ``[tool.cleaner]`` in pyproject.toml, or cleaner.toml.

The file is looked for from the working directory upwards; the first directory that has a
cleaner.toml, or a pyproject.toml with a [tool.cleaner] table, wins. Values override Config's
defaults; command-line flags override the file. Paths in the file are relative to it.

    [tool.cleaner]
    rules = ["corpus-rules"]      # extra rule folders
    select = ["ads", "read-also"]
    ignore = ["dedup.near"]
    languages = ["fr", "en"]
    guard_ratio = 0.9
    classifier = true
"""
from __future__ import annotations

import dataclasses
import pathlib

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from .config import Config

# Keys of the file and the Config field each sets.
KEYS = {
    "rules": "rules_dirs", "select": "select", "ignore": "ignore", "languages": "languages",
    "format": "format", "guard_ratio": "guard_ratio", "guard_min_words": "guard_min_words",
    "tail_max_words": "tail_max_words", "regex_timeout": "regex_timeout", "classifier": "classifier",
    "classifier_bias": "classifier_bias",
    "classifier_model": "classifier_model", "classifier_switch": "classifier_switch",
    "classifier_gap": "classifier_gap",
    "classifier_join": "classifier_join",
    "builtin_rules": "builtin_rules",
}


class SettingsError(Exception):
    """The configuration file is not valid; the message names the file."""


def find_file(start=None) -> tuple[pathlib.Path, dict] | None:
    """The configuration file that applies in ``start`` (default: the working directory) and its table."""
    here = pathlib.Path(start or pathlib.Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("cleaner.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"{path}: invalid TOML: {exc}") from None
            table = data if name == "cleaner.toml" else data.get("tool", {}).get("cleaner")
            if name == "cleaner.toml" and "tool" in data and "cleaner" in data["tool"]:
                table = data["tool"]["cleaner"]
            if table is not None:
                return path, table
    return None


def load(start=None, overrides=None) -> tuple[Config, dict]:
    """The effective Config and, for every field, where its value came from."""
    config = Config()
    origin = {f.name: "default" for f in dataclasses.fields(Config)}
    found = find_file(start)
    if found:
        path, table = found
        if not isinstance(table, dict):
            raise SettingsError(f"{path}: [tool.cleaner] must be a table")
        changes = {}
        for key, value in table.items():
            if key not in KEYS:
                raise SettingsError(f"{path}: unknown key {key!r} (known: {', '.join(sorted(KEYS))})")
            name = KEYS[key]
            if name == "rules_dirs":
                value = [str((path.parent / v).resolve()) for v in ([value] if isinstance(value, str) else value)]
            elif name == "classifier_model" and isinstance(value, str) and value:
                value = str((path.parent / value).resolve())
            changes[name] = value
            origin[name] = str(path)
        try:
            config = config.replace(**changes)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"{path}: {exc}") from None
    for name, value in (overrides or {}).items():
        if value is None or value == ():
            continue
        config = config.replace(**{name: value})
        origin[name] = "command line"
    return config, origin
