"""Where the tables of a network analysis run live (Parquet files in the data folder)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

__all__ = ["analysis_run_folder"]


def analysis_run_folder(run_id: int) -> Path:
    """Where the tables of run ``run_id`` live."""
    return Path(settings.DATA_DIR) / "analysis" / f"run-{run_id}"
