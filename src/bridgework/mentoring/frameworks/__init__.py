"""Behavior frameworks as YAML: strict parsing with errors that name the line and field.

A framework is a short list of relationship behaviors, each with a
description, a 1-5 rubric (what an observer sees at each level) and practice
exercises. Programs store a framework's content as frozen JSON in a
:class:`~bridgework.mentoring.models.FrameworkVersion`; this module turns YAML
into that content and back, and never touches the database.

The YAML format (``default.yaml`` in this folder is the default framework)::

    name: Strategic relationship behaviors
    slug: strategic-relationships        # optional
    description: What the framework is for.   # optional
    behaviors:
      - key: giving_value_first          # lower case, digits, underscores
        name: Giving value first
        description: Offer help before you need anything.
        rubric:                          # exactly the levels 1 to 5
          1: Gets in touch mostly when they need something.
          2: ...
          5: ...
        exercises:                       # at least one
          - Send three people something useful to them.

:func:`parse_framework` checks everything and raises :class:`FrameworkError`
with every problem found, each prefixed by its line and field, e.g.
``line 14, behaviors[2].rubric: levels 1 to 5 are required; missing 4``.

>>> content = parse_framework('''
... name: Tiny
... behaviors:
...   - key: listening
...     name: Listening
...     description: Hear people out.
...     rubric: {1: a, 2: b, 3: c, 4: d, 5: e}
...     exercises: [Ask three questions.]
... ''')
>>> content["slug"], [b["key"] for b in content["behaviors"]], content["behaviors"][0]["rubric"][4]
('tiny', ['listening'], {'level': 5, 'description': 'e'})
>>> parse_framework("name: Tiny\\nbehaviors: []\\n")
Traceback (most recent call last):
...
bridgework.mentoring.frameworks.FrameworkError: line 2, behaviors: list at least one behavior
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "DEFAULT_FRAMEWORK_PATH",
    "LEVELS",
    "MAX_BEHAVIORS",
    "MAX_YAML_BYTES",
    "FrameworkError",
    "parse_framework",
    "dump_framework",
    "default_framework",
    "slugify_key",
]

#: The default framework shipped with Bridgework (package data).
DEFAULT_FRAMEWORK_PATH = Path(__file__).with_name("default.yaml")
#: The rubric's levels.
LEVELS = (1, 2, 3, 4, 5)
#: Most behaviors a framework may hold (a framework is a focus, not a catalogue).
MAX_BEHAVIORS = 20
#: Largest YAML file accepted.
MAX_YAML_BYTES = 200_000
_MAX_TEXT = 2000
_MAX_NAME = 200

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_FIELDS = {"name", "slug", "description", "behaviors"}
_BEHAVIOR_FIELDS = {"key", "name", "description", "rubric", "exercises"}


class FrameworkError(ValueError):
    """The YAML is not a valid framework; ``errors`` lists every problem, one a line."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def slugify_key(text: str) -> str:
    """A slug from a name: ``"Strategic Behaviors 2"`` → ``"strategic-behaviors-2"``.

    >>> slugify_key("  Strategic Behaviors (v2)! ")
    'strategic-behaviors-v2'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


class _Checker:
    """Walks the YAML node tree (which knows its lines) and collects problems."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, node: Node, where: str, message: str) -> None:
        self.errors.append(f"line {node.start_mark.line + 1}, {where}: {message}")

    def mapping(self, node: Node, where: str, allowed: set[str]) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.error(node, where or "the file", "expected a mapping of fields (name: value)")
            return {}
        fields: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, where, "field names must be plain words")
                continue
            if key in fields:
                self.error(key_node, f"{where}.{key}", "given twice")
                continue
            if key not in allowed:
                self.error(
                    key_node,
                    f"{where}.{key}" if where else key,
                    f"unknown field; expected {', '.join(sorted(allowed))}",
                )
                continue
            fields[key] = (key_node, value_node)
        return fields

    def text(self, node: Node, where: str, *, limit: int = _MAX_TEXT) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.error(node, where, "expected text")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, where, "must not be empty")
            return None
        if len(value) > limit:
            self.error(node, where, f"at most {limit} characters ({len(value)} given)")
            return None
        return value

    def required(
        self, fields: dict[str, tuple[Node, Node]], name: str, parent: Node, where: str
    ) -> Node | None:
        if name not in fields:
            self.error(parent, f"{where}.{name}" if where else name, "this field is required")
            return None
        return fields[name][1]


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: not valid YAML ({problem})"
    return f"not valid YAML ({problem})"


def _level(node: Node) -> int | None:
    if isinstance(node, ScalarNode) and str(node.value).strip().isdigit():
        return int(str(node.value).strip())
    return None


def _behavior(check: _Checker, node: Node, where: str, seen_keys: dict[str, int]) -> dict | None:
    fields = check.mapping(node, where, _BEHAVIOR_FIELDS)
    if not isinstance(node, MappingNode):
        return None
    values: dict[str, Any] = {}
    for name, limit in (("key", 50), ("name", _MAX_NAME), ("description", _MAX_TEXT)):
        value_node = check.required(fields, name, node, where)
        if value_node is not None:
            values[name] = check.text(value_node, f"{where}.{name}", limit=limit)
    key = values.get("key")
    if key is not None:
        key_node = fields["key"][1]
        if not _KEY.match(key):
            check.error(
                key_node,
                f"{where}.key",
                f"{key!r} is not a valid key: use lower-case letters, digits and underscores, "
                "starting with a letter (e.g. giving_value_first)",
            )
        elif key in seen_keys:
            check.error(
                key_node, f"{where}.key", f"{key!r} is used twice (first on line {seen_keys[key]})"
            )
        else:
            seen_keys[key] = key_node.start_mark.line + 1
    rubric: list[dict] = []
    rubric_node = check.required(fields, "rubric", node, where)
    if rubric_node is not None:
        rubric_where = f"{where}.rubric"
        if not isinstance(rubric_node, MappingNode):
            check.error(rubric_node, rubric_where, "expected the levels 1 to 5, each with its text")
        else:
            levels: dict[int, str | None] = {}
            for level_node, text_node in rubric_node.value:
                level = _level(level_node)
                if level not in LEVELS:
                    check.error(
                        level_node,
                        rubric_where,
                        f"{level_node.value!r} is not a level: use 1, 2, 3, 4 and 5",
                    )
                    continue
                if level in levels:
                    check.error(level_node, f"{rubric_where}[{level}]", "given twice")
                    continue
                levels[level] = check.text(text_node, f"{rubric_where}[{level}]")
            missing = [str(level) for level in LEVELS if level not in levels]
            if missing:
                check.error(
                    rubric_node,
                    rubric_where,
                    f"levels 1 to 5 are required; missing {', '.join(missing)}",
                )
            rubric = [
                {"level": level, "description": levels[level]}
                for level in LEVELS
                if levels.get(level)
            ]
    exercises: list[str] = []
    exercises_node = check.required(fields, "exercises", node, where)
    if exercises_node is not None:
        exercises_where = f"{where}.exercises"
        if not isinstance(exercises_node, SequenceNode):
            check.error(exercises_node, exercises_where, "expected a list of exercises")
        elif not exercises_node.value:
            check.error(exercises_node, exercises_where, "list at least one exercise")
        else:
            for i, item in enumerate(exercises_node.value):
                text = check.text(item, f"{exercises_where}[{i + 1}]")
                if text:
                    exercises.append(text)
    return {**values, "rubric": rubric, "exercises": exercises}


def parse_framework(text: str | bytes) -> dict:
    """The framework content of a YAML text, checked strictly.

    Returns ``{"name", "slug", "description", "behaviors": [{"key", "name",
    "description", "rubric": [{"level": 1..5, "description"}], "exercises":
    [...]}]}``. Raises :class:`FrameworkError` listing every problem (with its
    line and field) when the text is not valid YAML or not a valid framework:
    unknown or missing fields, empty texts, a rubric without exactly the
    levels 1-5, no exercises, a key used twice, no behaviors at all.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_YAML_BYTES:
            raise FrameworkError([f"the file is larger than {MAX_YAML_BYTES // 1000} kB"])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FrameworkError(
                [f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read)"]
            ) from None
    if len(text.encode()) > MAX_YAML_BYTES:
        raise FrameworkError([f"the file is larger than {MAX_YAML_BYTES // 1000} kB"])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise FrameworkError([_yaml_error(exc)]) from None
    if root is None:
        raise FrameworkError(["the file is empty: expected name and behaviors"])
    check = _Checker()
    fields = check.mapping(root, "", _TOP_FIELDS)
    if not isinstance(root, MappingNode):
        raise FrameworkError(check.errors)
    name_node = check.required(fields, "name", root, "")
    name = check.text(name_node, "name", limit=_MAX_NAME) if name_node is not None else None
    slug = slugify_key(name or "")
    if "slug" in fields:
        given = check.text(fields["slug"][1], "slug", limit=60)
        if given is not None and not _SLUG.match(given):
            check.error(
                fields["slug"][1],
                "slug",
                f"{given!r} is not a slug: use lower-case letters, digits and hyphens",
            )
        elif given:
            slug = given
    description = ""
    if "description" in fields and not (
        isinstance(fields["description"][1], ScalarNode)
        and fields["description"][1].tag == "tag:yaml.org,2002:null"
    ):
        description = check.text(fields["description"][1], "description") or ""
    behaviors: list[dict] = []
    behaviors_node = check.required(fields, "behaviors", root, "")
    if behaviors_node is not None:
        if not isinstance(behaviors_node, SequenceNode):
            check.error(behaviors_node, "behaviors", "expected a list of behaviors")
        elif not behaviors_node.value:
            check.error(behaviors_node, "behaviors", "list at least one behavior")
        elif len(behaviors_node.value) > MAX_BEHAVIORS:
            check.error(
                behaviors_node,
                "behaviors",
                f"at most {MAX_BEHAVIORS} behaviors ({len(behaviors_node.value)} given)",
            )
        else:
            seen: dict[str, int] = {}
            for i, node in enumerate(behaviors_node.value):
                behavior = _behavior(check, node, f"behaviors[{i + 1}]", seen)
                if behavior is not None:
                    behaviors.append(behavior)
    if check.errors or name_node is None:  # a missing name is among the errors
        raise FrameworkError(check.errors)
    if not slug:
        raise FrameworkError(
            [f"line {name_node.start_mark.line + 1}, name: needs letters or digits"]
        )
    return {"name": name, "slug": slug, "description": description, "behaviors": behaviors}


def dump_framework(content: dict) -> str:
    """The YAML text of framework content (what :func:`parse_framework` reads back).

    >>> content = parse_framework(dump_framework(default_framework()))
    >>> content == default_framework()
    True
    """
    document = {"name": content["name"], "slug": content["slug"]}
    if content.get("description"):
        document["description"] = content["description"]
    document["behaviors"] = [
        {
            "key": behavior["key"],
            "name": behavior["name"],
            "description": behavior["description"],
            "rubric": {row["level"]: row["description"] for row in behavior["rubric"]},
            "exercises": list(behavior["exercises"]),
        }
        for behavior in content["behaviors"]
    ]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def default_framework() -> dict:
    """The content of the default framework (``default.yaml``)."""
    return parse_framework(DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8"))
