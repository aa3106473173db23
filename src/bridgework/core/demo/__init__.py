"""A deterministic demo organization, as plain data.

:func:`generate_demo_org` builds "Northwind Labs": its teams, people of every
engagement type, skills, a year of interactions and the ties its demo users
declared. It is pure Python, so notebooks, benchmarks and tests can use it
without a database; ``bridgework.demo.demo_load`` writes it to the app DB.
"""

from bridgework.core.demo.generator import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    OUR_ORGANIZATION_NAME,
    DemoInteraction,
    DemoLogin,
    DemoOrg,
    DemoOrganization,
    DemoPerson,
    DemoPersonSkill,
    DemoRelationship,
    DemoSkill,
    DemoTeam,
    generate_demo_org,
)

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "OUR_ORGANIZATION_NAME",
    "DemoInteraction",
    "DemoLogin",
    "DemoOrg",
    "DemoOrganization",
    "DemoPerson",
    "DemoPersonSkill",
    "DemoRelationship",
    "DemoSkill",
    "DemoTeam",
    "generate_demo_org",
]
