"""Relationship intelligence: tie strength, trends, nudges and expertise ranking."""
