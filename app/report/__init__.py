"""The numbers of a meeting (docs/report.md): archives in, the report and the transcript out.

    archive.py   a JSONL file of wire posts onto a wall, through the ingest (`tweetwall import`)
    figures.py   each figure as one SQL aggregate over the wall's logged posts
    build.py     the report as one JSON-ready dict, over a period in a time zone
    sentence.py  the society's sentence ("420 posts using #ASNR14 were logged ...")
    charts.py    the activity charts: pygal SVG made inert
    render.py    the report as JSON, CSV and a printable HTML page
    export.py    the transcript of the visible posts; CSV a spreadsheet opens safely
    progress.py  the import's progress bar or lines
    commands.py  the work behind `tweetwall import`, `report` and `export`

Above the ingest and the store, beside app.walls (the import-linter layers, pyproject.toml):
the web routes and the command line use it; it uses neither.
"""
