from renshi.exams import draws


def test_the_same_seed_gives_the_same_sequence_and_salts_separate_them():
    a = [draws.rng_for("000123456789").random() for _ in range(3)]
    b = [draws.rng_for("000123456789").random() for _ in range(3)]
    assert a == b != [draws.rng_for("000123456789", "am").random() for _ in range(3)]
    assert draws.rng_for("1").sample(range(100), 10) == draws.rng_for("1").sample(range(100), 10)
    assert len(draws.new_seed()) == 12


def test_digest_is_canonical():
    assert draws.digest({"b": [1, 2], "a": "考"}) == draws.digest({"a": "考", "b": [1, 2]})
    assert draws.digest([1, 2]) != draws.digest([2, 1])
