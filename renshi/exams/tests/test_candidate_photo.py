"""Photo checks on real files made by Pillow, and who may see a candidate's photo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Application
from renshi.exams.photos import PhotoRejected, check_photo
from renshi.exams.tests.candidate_helpers import (  # noqa: F401 (fixture)
    candidate_state,
    portrait,
)
from renshi.exams.tests.factories import make_candidate, make_exam, make_position
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db


def reasons(data) -> list[str]:
    with pytest.raises(PhotoRejected) as caught:
        check_photo(data)
    return caught.value.reasons


def upload(client, data, name="photo.jpg"):
    return client.post(reverse("exams:photo"), {"photo": SimpleUploadedFile(name, data)})


def test_it_accepts_a_good_photo():
    data = portrait()
    assert 10 * 1024 <= len(data) <= 100 * 1024
    assert check_photo(data).size == (295, 413)


def test_it_allows_five_pixels_either_way():
    check_photo(portrait(300, 408))
    assert reasons(portrait(301, 413)) == [
        "照片尺寸为301×413像素，应为295×413像素（允许误差±5像素）"
    ]


def test_it_names_the_wrong_dimensions(settings):
    settings.EXAM_PHOTO_RULES = {"tolerance": 0}
    assert reasons(portrait(300, 400)) == ["照片尺寸为300×400像素，应为295×413像素"]


def test_it_refuses_a_png_even_named_jpg():
    assert reasons(portrait(fmt="PNG")) == ["照片应为JPG格式，当前文件为PNG格式"]


def test_it_refuses_something_that_is_no_picture():
    assert reasons(b"\xff\xd8\xff\xe0 not really a jpeg" * 500) == [
        "无法识别该文件为图片，请上传JPG格式的证件照"
    ]


def test_it_refuses_a_file_too_big_and_too_small():
    big = portrait(quality=100, subsampling=0)
    assert len(big) > 100 * 1024
    assert reasons(big)[0].startswith(f"照片文件大小为{len(big) / 1024:.1f} KB，应在10–100 KB之间")
    small = portrait(noise=False, quality=30)
    assert len(small) < 10 * 1024
    assert "应在10–100 KB之间" in reasons(small)[0]


def test_it_refuses_grey_and_cmyk_photos():
    assert "灰度" in reasons(portrait(mode="L"))[-1]
    assert "应为RGB彩色照片" in reasons(portrait(mode="CMYK"))[-1]


def test_it_refuses_a_blank_picture():
    blank = Image.new("RGB", (295, 413), (255, 255, 255))
    out = io.BytesIO()
    blank.save(out, "JPEG", quality=100, subsampling=0)
    assert any("近乎空白或纯色" in r for r in reasons(out.getvalue()))


def test_it_lists_every_broken_rule_at_once():
    found = reasons(portrait(600, 800, mode="L", quality=100))
    assert len(found) == 3  # size, dimensions, colour mode


def test_it_stores_a_good_upload_and_serves_it_to_its_owner(client):
    candidate = make_candidate(photo="")
    client.force_login(candidate.user)
    data = portrait()
    assert upload(client, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.photo and candidate.photo_checked_at
    assert AuditEvent.objects.filter(action="candidate.photo").count() == 1
    response = client.get(reverse("exams:candidate_photo", args=[candidate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == data


def test_it_refuses_a_bad_upload_with_reasons_and_keeps_the_old_photo(client):
    candidate = make_candidate(photo="")
    client.force_login(candidate.user)
    upload(client, portrait())
    candidate.refresh_from_db()
    kept = candidate.photo.name
    response = upload(client, portrait(300, 400, fmt="PNG"), name="photo.jpg")
    assert response.status_code == 400
    assert "照片应为JPG格式，当前文件为PNG格式" in response.content.decode()
    response = upload(client, portrait(320, 440))
    assert "照片尺寸为320×440像素，应为295×413像素" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.photo.name == kept


@pytest.fixture
def photographed(client):
    candidate = make_candidate(photo="")
    client.force_login(candidate.user)
    upload(client, portrait())
    client.logout()
    return candidate


def test_outsiders_get_404_on_a_photo(client, photographed):
    url = reverse("exams:candidate_photo", args=[photographed.pk])
    assert client.get(url).status_code == 404
    client.force_login(make_candidate(name="别人").user)
    assert client.get(url).status_code == 404
    client.force_login(make_clerk(make_unit("鞍山市无关局")))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.PERSONNEL))
    assert client.get(url).status_code == 404


def test_the_exam_office_and_the_hiring_units_reviewer_see_it(client, photographed):
    url = reverse("exams:candidate_photo", args=[photographed.pk])
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    assert client.get(url).status_code == 200
    unit = make_unit("鞍山市财政局")
    exam = make_exam()
    Application.objects.create(
        exam=exam, candidate=photographed, position=make_position(exam, unit=unit)
    )
    client.force_login(make_clerk(unit))
    assert client.get(url).status_code == 200
