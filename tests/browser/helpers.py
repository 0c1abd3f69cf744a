"""Helpers for browser tests: the live server handle, an axe-core audit, a fake camera video."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

T = TypeVar("T")


@dataclass(frozen=True)
class LiveServer:
    """The app served over HTTP on 127.0.0.1 for one test module."""

    url: str
    app: Flask

    def seed(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` in an app context and commit, e.g. to create data through services.

        Return plain values (ids, codes, URLs) from ``fn``: ORM objects are detached and
        expired once the context ends.
        """
        from checkin.extensions import db

        with self.app.app_context():
            result = fn(*args, **kwargs)
            db.session.commit()
        return result


# Only what the failure message needs crosses back from the page; axe's full result is large.
_RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}"""


def _inject_axe(page: Page) -> None:
    if page.evaluate("() => typeof window.axe !== 'undefined'"):
        return
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make install-test`")
    try:
        page.add_script_tag(path=AXE_JS)
    except PlaywrightError as error:
        if "Content Security Policy" not in error.message:
            raise
        # Our CSP forbids inline scripts, and the injected <script> is one; evaluating through
        # the DevTools protocol is not subject to the page's CSP.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def assert_accessible(page: Page, *, tags: Sequence[str] = WCAG_TAGS, max_targets: int = 3) -> None:
    """Audit the page as it is now with axe-core (WCAG 2.1 A and AA) and fail on any violation."""
    _inject_axe(page)
    violations = page.evaluate(_RUN_AXE, list(tags))
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for v in violations:
        targets = v["targets"]
        shown = ", ".join(targets[:max_targets])
        more = f" (+{len(targets) - max_targets} more)" if len(targets) > max_targets else ""
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}")
        lines.append(f"    at {shown}{more}")
        lines.append(f"    see {v['helpUrl']}")
    raise AssertionError("\n".join(lines))


def fake_camera_args(video: Path) -> list[str]:
    """Chromium flags that make getUserMedia play ``video`` (.y4m or .mjpeg) as the camera."""
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


def camera_video(image: Path, out: Path, *, seconds: float = 2, fps: int = 10) -> Path:
    """Make a fake camera video showing ``image`` centred on a white 640x480 frame.

    ``out`` must end in .y4m or .mjpeg; MJPEG is much smaller. Chromium plays the file in real
    time and loops it.
    """
    frame = (
        "scale=w='min(iw,600)':h='min(ih,440)':force_original_aspect_ratio=decrease:flags=neighbor,"
        "pad=640:480:(ow-iw)/2:(oh-ih)/2:color=white"
    )
    if out.suffix == ".y4m":
        encode = ["-pix_fmt", "yuv420p"]
    elif out.suffix == ".mjpeg":
        encode = ["-q:v", "3", "-pix_fmt", "yuvj420p"]
    else:
        raise ValueError(f"fake camera video must be .y4m or .mjpeg, not {out.name}")
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-i", str(image)]
    command += ["-vf", frame, "-t", str(seconds), "-r", str(fps), *encode, str(out)]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise AssertionError("ffmpeg is missing: run `make install-test`") from error
    except subprocess.CalledProcessError as error:
        raise AssertionError(f"ffmpeg failed: {error.stderr.strip()}") from error
    return out
