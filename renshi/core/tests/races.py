"""Races on real row locks (PostgreSQL): run callables at the same moment, each on its own
connection, and sort out who won and who was refused."""

import threading

from django.db import connections


def race(jobs, refused: type[Exception]):
    """Run the callables at once; return (results, refusals) where refusals are the `refused`
    exceptions raised. Any other exception (a deadlock, an integrity error) fails the test."""
    barrier = threading.Barrier(len(jobs))
    results, refusals, failures = [], [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except refused as e:
            refusals.append(e)
        except Exception as e:
            failures.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == [], failures
    return results, refusals
