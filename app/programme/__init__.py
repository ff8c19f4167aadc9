"""A meeting's programme (docs/programme.md): sessions in rooms, read from the files meetings
publish, and the rule deciding which posts belong to which session.

    model.py     Speaker, Session, Programme: what a programme is, whatever file it came from
    handles.py   speakers' handles per network, and the accounts a post names
    formats.py   frab/pretalx `schedule.json`, iCalendar and CSV files -> Programme
    tables.py    the CSV reader (title,room,start,end,speakers,hashtags)
    entries.py   one entry of any format -> a checked, cleaned Session
    times.py     times with their offset or the programme's time zone; frab durations
    belongs.py   the rule: which sessions a post belongs to (pure, table-tested)

Pure: no I/O, no clock. Beside app.moderation and app.sources in the import-linter layers
(pyproject.toml): the store, the report and the web routes use it; it uses only the leaves.
"""

from app.programme.belongs import (
    Match,
    PostKeys,
    belongs,
    common_words,
    compile_session,
    post_keys,
    sessions_of,
    speaker_key,
)
from app.programme.formats import MAX_FILE_BYTES, parse_programme
from app.programme.model import Programme, ProgrammeError, Session, Speaker

__all__ = ["MAX_FILE_BYTES", "Match", "PostKeys", "Programme", "ProgrammeError", "Session",
           "Speaker", "belongs", "common_words", "compile_session", "parse_programme", "post_keys",
           "sessions_of", "speaker_key"]
