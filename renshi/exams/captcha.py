"""Image captcha drawn with Pillow; the answer lives in the session and works once."""

import io
import secrets

from django.utils.crypto import constant_time_compare
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# No 0/O, 1/I/L, 2/Z, 5/S: phones render them alike.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
LENGTH = 4
SIZE = (132, 48)


def _key(purpose: str) -> str:
    return f"captcha:{purpose}"


def _draw(text: str) -> bytes:
    rng = secrets.SystemRandom()
    image = Image.new("RGB", SIZE, (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [(rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])) for _ in range(2)]
        draw.line(points, fill=(rng.randint(120, 200),) * 3, width=1)
    for i, char in enumerate(text):
        font = ImageFont.load_default(size=rng.randint(28, 34))
        glyph = Image.new("RGBA", (40, 44), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 2), char, font=font, fill=(20, 60, rng.randint(90, 160)))
        glyph = glyph.rotate(rng.randint(-25, 25), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (6 + i * 30, rng.randint(0, 6)), glyph)
    for _ in range(120):
        draw.point((rng.randrange(SIZE[0]), rng.randrange(SIZE[1])), fill=(100, 100, 100))
    out = io.BytesIO()
    image.filter(ImageFilter.SMOOTH).save(out, "PNG")
    return out.getvalue()


def new_challenge(session, purpose: str) -> bytes:
    """A fresh captcha for this purpose; the previous answer stops working."""
    text = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    session[_key(purpose)] = text
    return _draw(text)


def check(session, purpose: str, answer: str) -> bool:
    """True once for the right answer; any check uses the challenge up."""
    expected = session.pop(_key(purpose), None)
    given = (answer or "").strip().upper()
    return bool(expected) and constant_time_compare(expected, given)
