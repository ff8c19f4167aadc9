"""The X source (recent search or the filtered stream, deletion re-checks, a daily read budget).

Importing this package imports tweepy and aiohttp; `app.sources` alone imports neither.
"""

from app.sources.x.source import XSource

__all__ = ["XSource"]
