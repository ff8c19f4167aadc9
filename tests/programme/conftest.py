"""Programme fixtures: the web tests' server settings and the store tests' databases."""

from tests.store.conftest import db_url, store
from tests.web.conftest import make_settings

__all__ = ["db_url", "make_settings", "store"]
