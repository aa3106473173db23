"""Template filters of the impact pages: numbers, units and lookups."""

from __future__ import annotations

from django import template

from bridgework.web.charts import number

register = template.Library()

UNIT_WORDS = {"money": "money", "hours": "hours saved", "rating": "rating points"}
PER_HOUR_WORDS = {
    "money": "per hour",
    "hours": "hours saved per hour",
    "rating": "rating points per hour",
}


@register.filter
def num(value, digits: int = 2) -> str:
    """A number as pages show it: ``1,500``, ``12.5``, ``0.75``, ``—`` for none."""
    if value is None or value == "":
        return "—"
    try:
        return number(float(value), digits=int(digits))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def amount(value, unit: str) -> str:
    """A value with its unit in words: ``1,500 money``, ``12 hours saved``, ``4 rating points``."""
    if value is None:
        return "—"
    return f"{num(value)} {UNIT_WORDS.get(unit, unit)}"


@register.filter
def unit_word(unit: str) -> str:
    return UNIT_WORDS.get(unit, unit)


@register.filter
def per_hour_word(unit: str) -> str:
    return PER_HOUR_WORDS.get(unit, "per hour")


@register.filter
def get(mapping, key):
    """``mapping[key]`` or None (a dict lookup with a variable key)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(value) -> str:
    """0.42 → ``42%``."""
    if value is None:
        return "—"
    return f"{round(100 * float(value))}%"
