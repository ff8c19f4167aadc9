"""The bundled demo meeting's generator: data files in, app/data/meeting out (docs/meeting.md).

    meeting.toml    the meeting: title, hashtag, dates, time zone, post count, seed, post files
    accounts.toml   the 51 accounts
    photos.toml     the photos: which drawing, its size and alt text
    posts/*.toml    the hand-written posts, one file per day, and the hostile ones

    data.py         reads and checks those files
    timeline.py     when posts happen
    wire.py         ids, handles, permalinks, markup -> content tokens, the wire shape
    assemble.py     threads, the meeting's tag, reposts, metrics
    svg.py, scenes_science.py, scenes_life.py, media.py    the pictures
    build.py        the command: writes meeting.jsonl, manifest.json and media/
"""
