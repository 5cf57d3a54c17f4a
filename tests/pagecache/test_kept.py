"""Values kept in a process under the content generation: never read under another one."""

from heatwiki.pagecache import kept
from heatwiki.pagecache.kept import KeptPerGeneration


def test_a_value_is_read_under_its_generation_alone():
    values = KeptPerGeneration(10)
    values.put(1, "page", "rendered under 1")
    assert values.get(1, "page") == "rendered under 1"
    assert values.get(2, "page") is None
    values.put(2, "other", "rendered under 2")
    assert values.get(1, "page") is None  # the new generation forgot the old one's


def test_the_oldest_make_way_and_time_runs_out(monkeypatch):
    values = KeptPerGeneration(2, seconds=60)
    now = 1000.0
    monkeypatch.setattr(kept.time, "monotonic", lambda: now)
    for n in range(3):
        values.put(1, n, n)
    assert [values.get(1, n) for n in range(3)] == [None, 1, 2]
    now += 61
    assert values.get(1, 2) is None


def test_the_tests_fresh_start_forgets_every_kept_value():
    values = KeptPerGeneration(2)
    values.put(1, "a", "b")
    kept.forget_everything()
    assert values.get(1, "a") is None
