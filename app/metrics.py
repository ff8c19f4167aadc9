"""Prometheus metrics read from the hub and the sources at scrape time (no per-event cost)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.cluster import Relay
from app.hub import Hub
from app.ingest import Ingest

__all__ = ["build_registry"]


class _WallCollector(Collector):
    def __init__(self, hub: Hub, ingest: Ingest, relay: Relay | None = None) -> None:
        self.hub, self.ingest, self.relay = hub, ingest, relay

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
        yield from self._cluster()

    def _cluster(self) -> Iterator[Metric]:
        """This process's share of a deployment of several (docs/scale.md)."""
        yield GaugeMetricFamily("tweetwall_process_viewers",
                                "Live subscribers connected to this process, all walls",
                                value=self.hub.subscriber_count())
        leader = GaugeMetricFamily("tweetwall_ingest_leader",
                                   "1 when this process runs the wall's sources", labels=["wall"])
        for slug, role in self.ingest.roles().items():
            leader.add_metric([slug], 1 if role == "leader" else 0)
        yield leader
        yield CounterMetricFamily("tweetwall_ingest_leader_changes",
                                  "Ingest leads this process gained or lost",
                                  value=self.ingest.leadership.changes)
        relay = self.relay
        if relay is None:
            return
        bus = relay.bus
        yield GaugeMetricFamily("tweetwall_redis_connected", "1 while the Redis subscription is up",
                                value=int(bus is not None and bus.connected))
        if bus is not None:
            yield GaugeMetricFamily(
                "tweetwall_redis_lag_seconds",
                "Commit on another process to arrival here, largest since the last scrape",
                value=bus.take_lag_max())
            yield CounterMetricFamily("tweetwall_redis_reconnects", "Redis subscriptions resumed",
                                      value=bus.reconnects)
        yield CounterMetricFamily("tweetwall_gap_events_filled",
                                  "Events read from the log to fill a gap in what Redis brought",
                                  value=relay.sequencer.gaps_filled)
        yield CounterMetricFamily("tweetwall_walls_reloaded",
                                  "Walls reloaded because the log no longer held a gap",
                                  value=relay.sequencer.reloads)


def build_registry(hub: Hub, ingest: Ingest, relay: Relay | None = None) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_WallCollector(hub, ingest, relay))
    return registry
