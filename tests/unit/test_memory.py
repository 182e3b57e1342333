"""Releasing memory after a large load returns freed heap pages to the OS (glibc)."""

import gc

import pytest

from smartcities import memory

pytestmark = pytest.mark.unit


def _rss_mb() -> int:
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) // 1024


@pytest.mark.slow
def test_release_returns_fragmented_heap_pages():
    # Mid-sized buffers freed while a few survive: the survivors pin the heap, so without a
    # trim the freed pages stay resident (this is what a large load leaves behind).
    blocks = [bytes(8000) for _ in range(60_000)]
    survivors = blocks[::50]
    del blocks
    gc.collect()
    before = _rss_mb()
    memory.release()
    assert _rss_mb() < before - 200
    assert len(survivors) == 1200
