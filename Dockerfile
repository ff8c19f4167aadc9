# One process, non-root, the database on a volume, a health check.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    TWEETWALL_HOST=0.0.0.0 TWEETWALL_PORT=8000 \
    TWEETWALL_DATABASE_URL=sqlite+aiosqlite:////data/tweetwall.db

WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY frontend ./frontend
RUN pip install --no-cache-dir ".[postgres]" && \
    useradd --system --uid 10001 --home /data tweetwall && \
    mkdir -p /data && chown tweetwall /data

USER tweetwall
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"

# `serve` reads walls from TWEETWALL_CONFIG (mount a TOML file) or the environment;
# override with `docker run ... tweetwall demo` for the bundled replay.
CMD ["tweetwall", "serve"]
