"""The demo's reference data files load into the typed values the generator draws from."""

from __future__ import annotations

from importlib import resources

import pytest

from bridgework.core.demo import reference
from bridgework.core.demo.reference import LOGIN_OWNERS, Place, reference_data


def test_files_load_with_their_cross_references():
    data = reference_data()
    assert reference_data() is data  # read once per process
    teams = {team.key for team in data.teams}
    categories = {category.key for category in data.skill_categories}
    assert len(teams) == len(data.teams) == 10
    assert {d.key for d in data.divisions} == {team.division for team in data.teams}
    assert all(set(team.skills) <= categories for team in data.teams)
    assert all(o in data.offices for team in data.teams for o, _ in team.offices)
    for org in (*data.organizations, data.contractor_supplier):
        assert set(org.owner_teams) <= teams | set(LOGIN_OWNERS)
        assert isinstance(org.location, Place)
    # YAML 1.1 would read a bare "no", "on" or "1" as a bool or a number: every name is text.
    names = (*data.first_names, *data.last_names, *data.personal_domains)
    assert all(type(name) is str and name for name in names)
    assert "Zieliński" in data.last_names and "O'Brien" in data.last_names


def test_every_data_file_is_read():
    folder = resources.files("bridgework.core.demo").joinpath("data")
    on_disk = {entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml")}
    assert on_disk == {
        "company.yaml",
        "names.yaml",
        "organizations.yaml",
        "places.yaml",
        "relationship_notes.yaml",
        "skills.yaml",
    }


def _load_with(monkeypatch: pytest.MonkeyPatch, name: str, edit: tuple[str, str]) -> None:
    """Load the reference data with one replacement made in the text of ``data/<name>``."""
    real_read = reference._read

    def read(file: str) -> str:
        text = real_read(file)
        return text.replace(*edit) if file == name else text

    monkeypatch.setattr(reference, "_read", read)
    reference_data.cache_clear()
    try:
        reference_data()
    finally:
        monkeypatch.undo()
        reference_data.cache_clear()


def test_a_malformed_file_names_the_place(monkeypatch):
    with pytest.raises(
        ValueError, match=r"company\.yaml, teams\[0\]\.size: expected a whole number"
    ):
        _load_with(monkeypatch, "company.yaml", ("size: 36", "size: thirty-six"))


def test_an_undefined_reference_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="organization meridian-freight: owner team salse"):
        _load_with(
            monkeypatch, "organizations.yaml", ("owner_teams: [sales]", "owner_teams: [salse]")
        )


def test_yaml_booleans_are_not_names(monkeypatch):
    # An unquoted "No" in YAML is False, not the name "No": the loader says so.
    with pytest.raises(ValueError, match=r"names\.yaml, first_names: expected a list of text"):
        _load_with(monkeypatch, "names.yaml", ("[Aiko,", "[No,"))
