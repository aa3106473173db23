"""The steps of loading the demo organization, in order, for progress reports."""

__all__ = ["DEMO_PHASES"]

#: What ``bridgework.demo.demo_load`` does, step by step; its ``progress``
#: callback names each step as it starts.
DEMO_PHASES = (
    "people, teams and skills",
    "interactions into the event store",
    "the member's calendar and LinkedIn imports",
    "introductions",
    "ties and nudges",
    "network analysis (a first run also compiles its fast kernels)",
    "mentoring program",
    "objectives and return on impact",
    "network analysis after mentoring",
)
