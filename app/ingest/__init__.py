"""Ingest: supervised source tasks, each event admitted through the policy into the store.

`Ingest` runs one supervised task per (wall, source); `Admission` stores one post or deletion
in one transaction with the policy's decision; `build_source` picks and builds the sources.
"""

from app.ingest.admission import Admission, RulesLookup, stored_rules
from app.ingest.factory import SourceFactory, build_source
from app.ingest.supervisor import Ingest

__all__ = ["Admission", "Ingest", "RulesLookup", "SourceFactory", "build_source", "stored_rules"]
