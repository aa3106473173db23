"""Frameworks: the default of eight behaviors, strict YAML loading, and versions that
keep old assessments readable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bridgework.core.errors import NotFoundError
from bridgework.mentoring import services
from bridgework.mentoring.frameworks import (
    FrameworkError,
    default_framework,
    dump_framework,
    parse_framework,
)
from bridgework.mentoring.models import BehaviorFramework, FrameworkVersion

GOOD = """\
name: Client partnering
description: Behaviors for consultants.
behaviors:
  - key: listening
    name: Listening for what matters
    description: Hear what the client needs before proposing.
    rubric:
      1: Talks first.
      2: Listens when reminded.
      3: Asks open questions.
      4: Summarises what was said.
      5: Clients say they feel understood.
    exercises:
      - Ask three open questions before proposing anything.
"""


def test_the_default_framework_has_eight_complete_behaviors():
    content = default_framework()
    assert len(content["behaviors"]) == 8
    keys = [b["key"] for b in content["behaviors"]]
    assert "giving_value_first" in keys and "tracking_returns" in keys
    for behavior in content["behaviors"]:
        assert [row["level"] for row in behavior["rubric"]] == [1, 2, 3, 4, 5]
        assert all(row["description"] for row in behavior["rubric"])
        assert behavior["exercises"] and behavior["description"]
    assert parse_framework(dump_framework(content)) == content


@pytest.mark.django_db
def test_the_default_framework_is_loaded_by_the_migration():
    framework = BehaviorFramework.objects.get(is_default=True)
    assert framework.slug == "strategic-relationships"
    assert framework.latest_version.number == 1
    assert len(framework.latest_version.behaviors) == 8
    assert services.framework_default_ensure() == framework.latest_version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: [broken\n", "line 2, column 1: not valid YAML"),
        ("name: X\n", "line 1, behaviors: this field is required"),
        ("name: X\nbehaviors: []\n", "line 2, behaviors: list at least one behavior"),
        (
            GOOD.replace("      5: Clients say they feel understood.\n", ""),
            "behaviors[1].rubric: levels 1 to 5 are required; missing 5",
        ),
        (
            GOOD.replace("      3: Asks", "      7: Asks"),
            "line 10, behaviors[1].rubric: '7' is not a level",
        ),
        (
            GOOD.replace(
                "    exercises:\n      - Ask three open questions before proposing anything.\n",
                "    exercises: []\n",
            ),
            "behaviors[1].exercises: list at least one exercise",
        ),
        (
            GOOD.replace("key: listening", "key: Listening Well"),
            "behaviors[1].key: 'Listening Well' is not a valid key",
        ),
        (
            GOOD.replace("    description: Hear", "    colour: blue\n    description: Hear"),
            "line 6, behaviors[1].colour: unknown field",
        ),
        (
            GOOD + GOOD[GOOD.index("  - key") :],
            "behaviors[2].key: 'listening' is used twice (first on line 4)",
        ),
        (
            GOOD.replace("    name: Listening for what matters\n", ""),
            "line 4, behaviors[1].name: this field is required",
        ),
        ("- just a list\n", "line 1, the file: expected a mapping"),
        ("", "the file is empty"),
    ],
)
def test_bad_yaml_gets_a_clear_error_naming_line_and_field(text, expected):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text)
    assert any(expected in error for error in caught.value.errors), caught.value.errors


def test_a_custom_framework_needs_only_one_behavior():
    content = parse_framework(GOOD)
    assert content["slug"] == "client-partnering"
    assert [b["key"] for b in content["behaviors"]] == ["listening"]


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(FrameworkError, match="not UTF-8"):
        parse_framework(b"name: \xff\xfe")


@pytest.mark.django_db
def test_loading_a_bad_file_stores_nothing(org):
    before = (BehaviorFramework.objects.count(), FrameworkVersion.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.framework_version_create(actor=org.pat, text=GOOD.replace("3: Asks", "9: Asks"))
    assert "line 10" in str(caught.value.message_dict["content"])
    assert (BehaviorFramework.objects.count(), FrameworkVersion.objects.count()) == before


@pytest.mark.django_db
def test_only_program_managers_load_frameworks(org):
    with pytest.raises(NotFoundError):
        services.framework_version_create(actor=org.mia, text=GOOD)
    version = services.framework_version_create(actor=org.pat, text=GOOD, note="ours")
    assert version.number == 1 and version.framework.name == "Client partnering"
    with pytest.raises(ValidationError, match="exists already"):
        services.framework_version_create(actor=org.pat, text=GOOD)


@pytest.mark.django_db
def test_editing_adds_a_version_and_old_assessments_stay_readable(client, org, pair):
    version1 = pair.program.framework_version
    assessment = services.assessment_request(
        actor=org.mia, relationship=pair, kind="self", round="start"
    )
    services.assessment_submit(
        actor=org.mia, assessment=assessment, ratings={k: 2 for k in version1.behavior_keys}
    )
    edited = dump_framework(version1.content).replace(
        "Can name a few people an objective depends on when asked, mostly within their own team.",
        "Names a few stakeholders, mostly close colleagues.",
    )
    version2 = services.framework_version_create(
        actor=org.pat,
        text=edited,
        framework=version1.framework,
        note="Plainer level 1",
        program=pair.program,
    )
    pair.program.refresh_from_db()
    assert version2.number == 2 and pair.program.framework_version == version2
    version1.refresh_from_db()
    assert "Can name a few people an objective depends on" in str(version1.content)  # unchanged
    client.force_login(org.mia)
    page = client.get(f"/mentoring/assessments/{assessment.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "version 1" in body and "now version 2" in body
    assert "Can name a few people an objective depends on when asked" in body
    assert "Names a few stakeholders" not in body
    new = services.assessment_request(
        actor=org.mia, relationship=pair, kind="self", round="midpoint"
    )
    assert new.framework_version == version2
