"""Prometheus metrics read from the hub and the sources at scrape time (no per-event cost)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.hub import Hub
from app.ingest import Ingest

__all__ = ["build_registry"]


class _WallCollector(Collector):
    def __init__(self, hub: Hub, ingest: Ingest) -> None:
        self.hub, self.ingest = hub, ingest

    def collect(self) -> Iterator[Metric]:
        viewers = GaugeMetricFamily("tweetwall_viewers", "Connected live subscribers",
                                    labels=["wall"])
        seq = GaugeMetricFamily("tweetwall_wall_seq", "Last event seq of the wall", labels=["wall"])
        posts = CounterMetricFamily("tweetwall_source_posts", "Posts from a source",
                                    labels=["wall", "source"])
        unresolved = CounterMetricFamily(
            "tweetwall_source_unresolved",
            "Media, tweets and authors a source's payloads referred to but did not include",
            labels=["wall", "source", "kind"])
        for slug in self.hub.walls():
            viewers.add_metric([slug], self.hub.subscriber_count(slug))
            seq.add_metric([slug], self.hub.state(slug)[1])
            for status in self.ingest.statuses(slug):
                posts.add_metric([slug, status.source], status.posts)
                counts = status.extra.get("unresolved")
                for kind, n in counts.items() if isinstance(counts, dict) else ():
                    unresolved.add_metric([slug, status.source, str(kind)], int(n))
        yield viewers
        yield seq
        yield posts
        yield unresolved
        yield CounterMetricFamily("tweetwall_frames_sent", "Frames queued to subscribers",
                                  value=self.hub.frames_sent)
        yield CounterMetricFamily("tweetwall_subscribers_dropped",
                                  "Subscribers dropped for falling behind", value=self.hub.dropped)


def build_registry(hub: Hub, ingest: Ingest) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_WallCollector(hub, ingest))
    return registry
