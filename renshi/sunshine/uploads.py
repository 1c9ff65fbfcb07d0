"""Attachment checks for objections and reports: type by extension and by content, size, count."""

from pathlib import PurePath

from renshi.sunshine.errors import SunshineError

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
# Extension → the bytes such a file starts with (a renamed .exe is refused).
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def check_file(upload, field="attachments"):
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise SunshineError(f"附件“{name}”的类型不受支持，只接受 PDF、JPG、PNG", field=field)
    if upload.size > MAX_BYTES:
        raise SunshineError(f"附件“{name}”超过 5 MB", field=field)
    if upload.size == 0:
        raise SunshineError(f"附件“{name}”是空文件", field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        raise SunshineError(f"附件“{name}”的内容与扩展名不符", field=field)


def check_files(uploads, field="attachments"):
    if len(uploads) > MAX_FILES:
        raise SunshineError(f"附件最多{MAX_FILES}个", field=field)
    for upload in uploads:
        check_file(upload, field)
