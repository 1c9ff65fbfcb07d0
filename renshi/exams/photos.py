"""Registration photo checks (照片审核), done by decoding the file, never by its name.

The rules follow the common 2-inch registration photo (35×45 mm) as processed by the official
photo tools: JPG, 295×413 pixels, colour, 10–100 KB (exam guides: "≤100 KB", "5–50 KB", "≤20 KB";
EXAM_PHOTO_RULES in settings overrides them per deployment). Phones' crop tools round the
frame by a pixel or two, so each side may be off by `tolerance` pixels (5 by default, which keeps
the 35:45 ratio within 1%); set it to 0 to demand the exact size.
"""

import io
from dataclasses import dataclass, replace

from django.conf import settings
from PIL import Image, ImageStat, UnidentifiedImageError

MODE_NAMES = {"L": "灰度", "1": "黑白", "P": "调色板", "CMYK": "CMYK", "RGBA": "RGBA", "LA": "灰度"}
ORIENTATION_TAG = 0x0112
READ_LIMIT = 2 * 1024 * 1024  # never decode more than this, whatever the limits say


@dataclass(frozen=True)
class PhotoRules:
    width: int = 295
    height: int = 413
    tolerance: int = 5
    min_bytes: int = 10 * 1024
    max_bytes: int = 100 * 1024
    # Standard deviation of brightness below this means a blank or one-colour picture.
    min_contrast: float = 8.0
    min_brightness: float = 40.0
    max_brightness: float = 235.0


def rules() -> PhotoRules:
    return replace(PhotoRules(), **getattr(settings, "EXAM_PHOTO_RULES", {}))


class PhotoRejected(Exception):
    """The photo fails one or more rules; `reasons` lists every one, in Chinese."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def _decode(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise PhotoRejected(["无法识别该文件为图片，请上传JPG格式的证件照"]) from None
    if image.format != "JPEG":
        raise PhotoRejected([f"照片应为JPG格式，当前文件为{image.format}格式"])
    return image


def _content_problems(image: Image.Image, r: PhotoRules) -> list[str]:
    problems = []
    if image.mode != "RGB":
        shown = MODE_NAMES.get(image.mode, image.mode)
        problems.append(f"照片颜色模式为{shown}（{image.mode}），应为RGB彩色照片")
        image = image.convert("RGB")
    grey = ImageStat.Stat(image.convert("L"))
    if grey.stddev[0] < r.min_contrast:
        problems.append("照片近乎空白或纯色，请上传本人近期免冠正面证件照")
    elif grey.mean[0] < r.min_brightness:
        problems.append("照片过暗，请在光线充足处重新拍摄")
    elif grey.mean[0] > r.max_brightness:
        problems.append("照片过亮（曝光过度），请重新拍摄")
    if image.getexif().get(ORIENTATION_TAG, 1) != 1:
        problems.append("照片带有旋转标记（可能倒置或横置），请旋转为正向后重新保存")
    return problems


def check_photo(data: bytes) -> Image.Image:
    """Return the decoded image, or raise PhotoRejected naming every broken rule."""
    r = rules()
    if len(data) > READ_LIMIT:
        raise PhotoRejected([f"照片文件大小为{_kb(len(data))}，不能超过{_kb(r.max_bytes)}"])
    image = _decode(data)
    problems = []
    if not r.min_bytes <= len(data) <= r.max_bytes:
        low, high = r.min_bytes // 1024, r.max_bytes // 1024
        problems.append(f"照片文件大小为{_kb(len(data))}，应在{low}–{high} KB之间")
    width, height = image.size
    if abs(width - r.width) > r.tolerance or abs(height - r.height) > r.tolerance:
        allowed = f"（允许误差±{r.tolerance}像素）" if r.tolerance else ""
        problems.append(f"照片尺寸为{width}×{height}像素，应为{r.width}×{r.height}像素{allowed}")
    problems += _content_problems(image, r)
    if problems:
        raise PhotoRejected(problems)
    return image
