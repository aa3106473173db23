"""Mentoring: programs that teach strategic relationship behaviors, matching, sessions, assessments."""
