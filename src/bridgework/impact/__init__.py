"""Objectives, relationship plans, outcomes and return on impact."""
