from renshi.core import crypto


def test_it_round_trips_and_hides_the_value():
    token = crypto.encrypt("210302198503121234")
    assert "210302" not in token
    assert crypto.decrypt(token) == "210302198503121234"


def test_it_uses_a_fresh_nonce_each_time():
    assert crypto.encrypt("13812345678") != crypto.encrypt("13812345678")


def test_it_gives_a_stable_blind_index():
    assert crypto.blind_index("x") == crypto.blind_index("x")
    assert crypto.blind_index("x") != crypto.blind_index("y")
    assert len(crypto.blind_index("x")) == 64
