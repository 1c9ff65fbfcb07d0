"""Shared pieces of the candidate-account tests: clean cache, media in a temp dir, real photos."""

import io
import random
import re

import pytest
from django.core.cache import cache
from PIL import Image, ImageDraw

from renshi.core import notify
from renshi.personnel.tests.factories import id_number

PASSWORD = "Kaosheng-2026!"


@pytest.fixture(autouse=True)
def candidate_state(settings, tmp_path):
    """Counters, codes and captchas live in the cache; photos and proofs under a temp dir."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path
    yield
    cache.clear()


def portrait(
    width=295, height=413, *, fmt="JPEG", mode="RGB", quality=85, subsampling=2, noise=True
) -> bytes:
    """A photo-like picture (background, face, shoulders, grain) encoded for real by Pillow."""
    rnd = random.Random(width * height)
    image = Image.new("RGB", (width, height), (70, 130, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.25, height * 0.15, width * 0.75, height * 0.6), fill=(230, 190, 160))
    draw.rectangle((width * 0.15, height * 0.62, width * 0.85, height), fill=(40, 40, 50))
    if noise:
        pixels = image.load()
        for _ in range(width * height // 3):
            x, y = rnd.randrange(width), rnd.randrange(height)
            shift = rnd.randint(-25, 25)
            pixels[x, y] = tuple(max(0, min(255, c + shift)) for c in pixels[x, y])
    if mode != "RGB":
        image = image.convert(mode)
    out = io.BytesIO()
    jpeg = {"quality": quality, "subsampling": subsampling}
    image.save(out, fmt, **(jpeg if fmt == "JPEG" else {}))
    return out.getvalue()


def last_code(phone: str) -> str:
    sms = [m for m in notify.outbox if m.phone == phone]
    return re.search(r"验证码为(\d{6})", sms[-1].text).group(1)


def signup_data(**fields) -> dict:
    data = {
        "name": "王考生",
        "id_number": id_number(),
        "phone": "13912345678",
        "password": PASSWORD,
        "password2": PASSWORD,
        "email": "",
        "action": "register",
    }
    data.update(fields)
    return data


def send_code(client, url, phone, **extra):
    return client.post(url, {"phone": phone, "action": "send_code", **extra})
