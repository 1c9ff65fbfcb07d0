"""The proctor draw (监考人员抽签) as a pure function of its inputs and a seeded generator.

Per session, every room in use gets two proctors, never from the school hosting the site, never at
a site where a declared relative sits, nobody twice in the session and nobody in a room they
proctored in an earlier session (Anshan 2009: re-drawn between morning and afternoon). A repeated
partner is avoided where a swap allows it.

Each session is a bipartite matching between slots (room × 2) and proctors: a randomised greedy
pass (least-used proctors first, random order within) fills almost every slot, augmenting paths
(Kuhn) fill the rest, so a draw is refused only when no assignment exists — and then the failed
search names the rooms that cannot be staffed (Hall's condition) and why.
"""

from dataclasses import dataclass, field

SLOTS_PER_ROOM = 2
PARTNER_SWAP_TRIES = 60


@dataclass
class Shortage(Exception):
    """No assignment exists for these rooms of a session: `needed` slots, `available` proctors."""

    session: int
    rooms: list
    needed: int
    available: int
    excluded: dict = field(default_factory=dict)  # reason → number of proctors


def run(inputs, rng) -> dict:
    """{"sessions": [{"id", "rooms": [[room, first, second], …]}], "repeat_pairs": n}."""
    sites = {s["id"]: s["school"] for s in inputs["sites"]}
    rooms = [(r["id"], r["site"]) for r in inputs["rooms"]]
    pool = [(p["id"], p["school"], frozenset(p["avoid_sites"])) for p in inputs["proctors"]]
    # Who may ever sit in a site's rooms: the session-independent constraints, computed once.
    by_site = {
        site: [pid for pid, school, avoid in pool if school != sites[site] and site not in avoid]
        for site in sorted({site for _room, site in rooms})
    }
    load = dict.fromkeys((p[0] for p in pool), 0)
    rooms_done = {pid: set() for pid, _s, _a in pool}  # rooms each proctor has proctored
    pairs = set()
    sessions, repeats = [], 0
    for session in inputs["sessions"]:
        eligible = {
            room: [pid for pid in by_site[site] if room not in rooms_done[pid]]
            for room, site in rooms
        }
        _check_rooms(session, rooms, eligible, pool, sites, rooms_done)
        # Least-used first (rotation), random among equals.
        rank = {pid: (load[pid], rng.random()) for pid, _s, _a in pool}
        match = _match(session, rooms, eligible, rank, rng, pool, sites, rooms_done, pairs)
        repeats += _separate_partners(rooms, eligible, match, pairs, rng)
        rows = []
        for room, _site in rooms:
            first, second = match[(room, 0)], match[(room, 1)]
            rows.append([room, first, second])
            for pid in (first, second):
                load[pid] += 1
                rooms_done[pid].add(room)
            pairs.add((min(first, second), max(first, second)))
        sessions.append({"id": session, "rooms": rows})
    return {"sessions": sessions, "repeat_pairs": repeats}


def _check_rooms(session, rooms, eligible, pool, sites, rooms_done):
    """A room that cannot be staffed on its own gives the plainest message."""
    for room, site in rooms:
        if len(eligible[room]) < SLOTS_PER_ROOM:
            raise _shortage(session, [(room, site)], eligible, pool, sites, rooms_done)


def _match(session, rooms, eligible, rank, rng, pool, sites, rooms_done, pairs):
    order = [room for room, _site in rooms]
    rng.shuffle(order)
    ranked = {room: sorted(eligible[room], key=rank.__getitem__) for room in order}
    owner = {}  # proctor → slot
    match = {}  # slot → proctor
    for room in order:
        first = None
        for slot in ((room, 0), (room, 1)):
            pick = _first_free(ranked[room], owner, first, pairs)
            if pick is not None:
                owner[pick], match[slot] = slot, pick
                first = pick
    site_of = dict(rooms)
    for room in order:
        for slot in ((room, 0), (room, 1)):
            if slot not in match:
                reached = _augment(slot, ranked, owner, match)
                if reached is not None:
                    slots, _proctors = reached
                    hit = sorted({s[0] for s in slots})
                    raise _shortage(
                        session, [(r, site_of[r]) for r in hit], eligible, pool, sites, rooms_done,
                        needed=len(slots), available=len(_proctors),
                    )  # fmt: skip
    return match


def _first_free(candidates, owner, partner, pairs):
    fallback = None
    for pid in candidates:
        if pid in owner or pid == partner:
            continue
        if partner is None or (min(pid, partner), max(pid, partner)) not in pairs:
            return pid
        if fallback is None:
            fallback = pid
    return fallback


def _augment(start, ranked, owner, match):
    """Kuhn's augmenting path from an empty slot (iterative). None on success; else the slots and
    proctors the search reached — a set of slots with fewer eligible proctors than slots."""
    seen_proctors, seen_slots = set(), [start]
    stack = [(start, iter(ranked[start[0]]))]
    via = {}  # proctor → slot that reached it
    while stack:
        slot, options = stack[-1]
        advanced = False
        for pid in options:
            if pid in seen_proctors:
                continue
            seen_proctors.add(pid)
            via[pid] = slot
            holder = owner.get(pid)
            if holder is None:
                _flip(pid, via, owner, match)
                return None
            seen_slots.append(holder)
            stack.append((holder, iter(ranked[holder[0]])))
            advanced = True
            break
        if not advanced:
            stack.pop()
    return seen_slots, seen_proctors


def _flip(pid, via, owner, match):
    """Shift each proctor along the path found by `_augment`, ending with the empty slot filled."""
    while pid is not None:
        slot = via[pid]
        previous = match.get(slot)
        match[slot], owner[pid] = pid, slot
        pid = previous


def _separate_partners(rooms, eligible, match, pairs, rng):
    """Swap second proctors between rooms so that partners of an earlier session are split up
    where possible. Returns how many repeated pairs remain."""
    if not pairs:
        return 0
    allowed = {room: set(eligible[room]) for room, _site in rooms}
    order = [room for room, _site in rooms]

    def repeated(room, second):
        first = match[(room, 0)]
        return (min(first, second), max(first, second)) in pairs

    remaining = 0
    for room in order:
        if not repeated(room, match[(room, 1)]):
            continue
        others = rng.sample(order, min(len(order), PARTNER_SWAP_TRIES))
        for other in others:
            mine, theirs = match[(room, 1)], match[(other, 1)]
            if (
                other != room
                and theirs in allowed[room]
                and mine in allowed[other]
                and not repeated(room, theirs)
                and not repeated(other, mine)
            ):
                match[(room, 1)], match[(other, 1)] = theirs, mine
                break
        else:
            remaining += 1
    return remaining


def _shortage(session, rooms, eligible, pool, sites, rooms_done, *, needed=None, available=None):
    """Why proctors are missing for these rooms: count the pool by the first rule that keeps each
    proctor out of all of them."""
    room_ids = {room for room, _site in rooms}
    site_ids = {site for _room, site in rooms}
    schools = {sites[site] for site in site_ids}
    usable = set()
    for room in room_ids:
        usable.update(eligible[room])
    excluded = {"school": 0, "relative": 0, "same_room": 0}
    for pid, school, avoid in pool:
        if pid in usable:
            continue
        if school in schools:
            excluded["school"] += 1
        elif site_ids & avoid:
            excluded["relative"] += 1
        elif rooms_done[pid] & room_ids:
            excluded["same_room"] += 1
    return Shortage(
        session=session,
        rooms=sorted(room_ids),
        needed=needed if needed is not None else SLOTS_PER_ROOM * len(room_ids),
        available=available if available is not None else len(usable),
        excluded=excluded,
    )
