"""People's names as sources write them, turned into the one name Bridgework shows.

A source gives a name in one of two shapes:

* **parts** (vCard ``N``, a CSV's first and last name columns, LinkedIn's
  ``First Name`` and ``Last Name``): :meth:`NameParts.reading_order` writes
  them as ``Title Given Middle Family, Suffix``;
* **free text** (vCard ``FN``, a CSV's name column, an e-mail display name, an
  iCalendar ``CN``): :func:`display_name` keeps it as written, except that a
  name written family first ("Doe, Jane") is put in reading order.

Free text is read by these rules (``docs/ingest/README.md``, "Names"):

1. Text without a comma is kept as written, white space collapsed: it is
   already in the order its writer chose ("John Smith Jr.", "Yamada Taro").
2. Text with a comma is read with nameparser. It is put in reading order only
   when nameparser reads it as ``Family, Given`` and that reading is safe:
   before the first comma stands one family name (one word, with its
   particles: "van der Berg", and an optional suffix: "Smith Jr."), after it a
   given name, every word is kept, and there are no more commas than one name
   has ("Doe, Jane, PhD"). The result keeps titles and suffixes, a suffix
   after a comma: "Doe, Dr. Jane, PhD" becomes "Dr. Jane Doe, PhD".
3. Any other text with a comma is kept as written: a suffix already after
   the name ("Jane Doe, PhD", "John Smith, Jr."), two names in one
   ("Mr. John Richter, James Doe Sr."), a company ("Acme, Inc."), a family
   name of two words ("Garcia Marquez, Gabriel" reads as well as "Jane Doe,
   Acme" does), and names in Chinese, Japanese or Korean script.

With parts as well as text (a card with both ``FN`` and ``N``), the text is
the name shown, but a text holding the same words as the parts (no more, no
fewer), written with a comma, is the parts in reading order: ``FN:Garcia Marquez, Gabriel`` with
``N:Garcia Marquez;Gabriel`` gives "Gabriel Garcia Marquez".

Every rule gives back what it was given when applied again, so a name may
pass through it twice (a reader, then the directory) and stay the same.

>>> display_name("Doe, Jane")
'Jane Doe'
>>> display_name("Jane Doe, PhD")
'Jane Doe, PhD'
>>> display_name("Mr. John Richter, James Doe Sr.")
'Mr. John Richter, James Doe Sr.'
>>> parts = NameParts(family="Public", given="John", middle="Quinlan", prefix="Dr.", suffix="III")
>>> parts.reading_order()
'Dr. John Quinlan Public, III'
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from nameparser import AmbiguityKind, ParsedName, Role, parse

__all__ = ["NameParts", "display_name"]

#: Chinese, Japanese and Korean script: the family name comes first, with no space.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
#: A word of a name: letters (and digits), with periods, apostrophes and hyphens.
_NAME_WORD = re.compile(r"[\w.'’-]*[^\W\d_][\w.'’-]*")
_WORDS = re.compile(r"\w+")
#: How a name read family first is written back: the suffix after a comma;
#: what nameparser takes for a nickname or maiden name ("Doe, Jane (Sales)"),
#: in parentheses after the name. Empty fields vanish with their decoration.
_READING_ORDER = "{title} {given} {middle} {family} ({nickname}) ({maiden}), {suffix}"
#: Roles a word after the comma of "Family, Given" may take.
_AFTER_THE_COMMA = frozenset(
    {Role.TITLE, Role.GIVEN, Role.MIDDLE, Role.SUFFIX, Role.NICKNAME, Role.MAIDEN}
)
_CACHED_NAMES = 1 << 14


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name given in parts, as vCard ``N`` or a CSV's name columns give it.

    ``prefix`` is an honorific ("Dr."), ``middle`` additional names, ``suffix``
    one or more post-nominals ("Jr.", "PhD, MBA"). Any part may be empty.
    """

    family: str = ""
    given: str = ""
    middle: str = ""
    prefix: str = ""
    suffix: str = ""

    def reading_order(self) -> str:
        """``Prefix Given Middle Family, Suffix``; Chinese, Japanese and Korean names
        family name first with no space.

        >>> NameParts(family="Doe", given="Jane", suffix="PhD").reading_order()
        'Jane Doe, PhD'
        >>> NameParts(family="山田", given="太郎").reading_order()
        '山田太郎'
        """
        family, given = _collapse(self.family), _collapse(self.given)
        if _CJK.search(family + given):
            return family + given
        middle = _collapse(self.middle)
        name = " ".join(p for p in (_collapse(self.prefix), given, middle, family) if p)
        suffix = _collapse(self.suffix)
        if not suffix:
            return name
        if family and (given or middle):
            return f"{name}, {suffix}"
        # Without a whole name before it, "Doe, XYZ" would read back as family first.
        return f"{name} {suffix}".strip()


def display_name(written: str, *, parts: NameParts | None = None) -> str:
    """The name to show for ``written`` (free text), helped by ``parts`` when the
    source gives them too; see the module's rules.

    With no text, the parts in reading order.

    >>> display_name("Doe, Jane, PhD")
    'Jane Doe, PhD'
    >>> display_name("  John   Smith, Jr. ")
    'John Smith, Jr.'
    >>> display_name("Garcia Marquez, Gabriel")
    'Garcia Marquez, Gabriel'
    >>> display_name("Garcia Marquez, Gabriel", parts=NameParts("Garcia Marquez", "Gabriel"))
    'Gabriel Garcia Marquez'
    >>> display_name("", parts=NameParts(family="Doe", given="Jane"))
    'Jane Doe'
    """
    text = _collapse(written)
    built = parts.reading_order() if parts is not None else ""
    if not text:
        return built
    if built and "," in text and _word_counts(text) == _word_counts(built):
        return built  # the same words, written family first
    return _free_text(text)


def _collapse(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=_CACHED_NAMES)  # mail repeats the same names over and over
def _free_text(text: str) -> str:
    if "," not in text or _CJK.search(text):
        return text
    parsed = parse(text)
    if not _is_family_first(parsed, comma=text.index(",")):
        return text
    name = _collapse(parsed.render(_READING_ORDER))
    # Whatever nameparser read, a word it would leave out keeps the name as written.
    return name if _word_counts(name) == _word_counts(text) else text


def _is_family_first(parsed: ParsedName, *, comma: int) -> bool:
    """Whether nameparser read ``Family, Given ...`` and the reading is safe: one family
    name (with its particles and a suffix) before the first comma, a given name after,
    only words of a name, and no more commas than a name has."""
    if any(a.kind == AmbiguityKind.COMMA_STRUCTURE for a in parsed.ambiguities):
        return False
    family_words = 0
    given = False
    for token in parsed.tokens:
        if token.span is None or not _NAME_WORD.fullmatch(token.text):
            return False
        particle = "particle" in token.tags
        if token.span.start < comma:
            if token.role is Role.FAMILY:
                family_words += not particle
            elif token.role is not Role.SUFFIX:
                return False  # a title or a given name before the comma: not family first
        elif token.role is Role.GIVEN:
            given = True
        elif not (token.role in _AFTER_THE_COMMA or (token.role is Role.FAMILY and particle)):
            return False
    return family_words == 1 and given


def _word_counts(text: str) -> Counter[str]:
    return Counter(word.casefold() for word in _WORDS.findall(text))
