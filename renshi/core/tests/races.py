"""Races on real row locks (PostgreSQL): run callables at the same moment, each on its own
connection, and sort out who won and who was refused."""

import threading

from django.db import connections

Refused = type[Exception] | tuple[type[Exception], ...]


def race(jobs, refused: Refused, *, threads: int | None = None):
    """Run the callables at once; return (results, refusals) where refusals are the `refused`
    exceptions raised (one class or a tuple of them). Any other exception (a deadlock, an
    integrity error) fails the test.

    With `threads`, many jobs share that many threads that start together (so a test of 200
    clients does not open 200 connections): each thread runs its share one after another."""
    lanes = [jobs[i::threads] for i in range(threads)] if threads else [[job] for job in jobs]
    barrier = threading.Barrier(len(lanes))
    results, refusals, failures = [], [], []

    def run(lane):
        try:
            barrier.wait()
            for job in lane:
                try:
                    results.append(job())
                except refused as e:
                    refusals.append(e)
        except Exception as e:
            failures.append(e)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(lane,)) for lane in lanes]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert failures == [], failures
    return results, refusals
