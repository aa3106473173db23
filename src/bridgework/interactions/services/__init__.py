"""Writes of the interactions app, one module per topic:

=================  ===============================================================
module             holds
=================  ===============================================================
``interactions``   interactions people log by hand, and rewriting their events
``imports``        import runs: start, execute, mark interrupted; their options
``import_files``   the files an import reads: safe names, upload limits, archives
                   inspected and unpacked in the worker, cleanup
``introductions``  warm introductions: ask, answer, withdraw, record the outcome
=================  ===============================================================

Import the public names from here (``from bridgework.interactions.services
import interaction_log``); the modules import each other directly.
"""

from bridgework.interactions.services.import_files import safe_file_name, upload_limit
from bridgework.interactions.services.imports import (
    import_run_execute,
    import_runs_mark_interrupted,
    import_start,
    parse_column_mapping,
)
from bridgework.interactions.services.interactions import (
    events_sync_from_app,
    interaction_delete,
    interaction_log,
    interaction_update,
)
from bridgework.interactions.services.introductions import (
    introduction_record_outcome,
    introduction_request,
    introduction_respond,
    introduction_withdraw,
)

__all__ = [
    "interaction_log",
    "interaction_update",
    "interaction_delete",
    "events_sync_from_app",
    "import_start",
    "import_run_execute",
    "import_runs_mark_interrupted",
    "parse_column_mapping",
    "safe_file_name",
    "upload_limit",
    "introduction_request",
    "introduction_respond",
    "introduction_withdraw",
    "introduction_record_outcome",
]
