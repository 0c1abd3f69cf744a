"""The browser harness itself: live server, page fixtures, axe audit, fake camera."""

import base64
import io

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import Page
from pyzbar.pyzbar import decode

from tests.browser.helpers import LiveServer, assert_accessible, camera_video, fake_camera_args


def test_home_page_on_a_phone(live_server: LiveServer, phone_page: Page):
    response = phone_page.goto(live_server.url + "/")
    assert response is not None
    assert response.status == 200
    assert phone_page.get_attribute("html", "lang")
    assert_accessible(phone_page)


def test_axe_audit_reports_violations(phone_page: Page):
    phone_page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(phone_page)
    for rule in ("image-alt", "label", "html-has-lang", "document-title"):
        assert rule in str(failure.value)


GRAB_FRAME = """async () => {
    const stream = await navigator.mediaDevices.getUserMedia({video: true});
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    stream.getTracks().forEach((track) => track.stop());
    return canvas.toDataURL('image/png');
}"""


def test_fake_camera_shows_a_decodable_code(live_server: LiveServer, launch_chromium, tmp_path):
    image = tmp_path / "code.png"
    qrcode.make("NORDBY-HARNESS").save(image)
    browser = launch_chromium(*fake_camera_args(camera_video(image, tmp_path / "camera.mjpeg")))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")  # getUserMedia needs a secure context: 127.0.0.1 is one
        data_url = page.evaluate(GRAB_FRAME)
    finally:
        context.close()
    frame = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    assert frame.size == (640, 480)
    assert [symbol.data for symbol in decode(frame)] == [b"NORDBY-HARNESS"]
