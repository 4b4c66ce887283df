"""Rebuild the static govuk-frontend copy without GOV.UK branding.

The GDS Transport font and the crown are GOV.UK's own and not for other services, so the
@font-face rules and the crest image are removed and the font stack replaced with system
fonts. Run ``python -m masa.web.site.assets`` after upgrading govuk-frontend; the result is
committed so a checkout needs no node build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
OUT = Path(__file__).resolve().parent / "static" / "masa"
FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'


def rebrand(css: str) -> str:
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", f"font-family:{FONTS}")
    css = css.replace("font-family:GDS Transport", f"font-family:{FONTS}")
    css = re.sub(r"url\(/assets/images/govuk-crest\.svg\)", "none", css)
    return re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "govuk-frontend.min.css").write_text(rebrand((DIST / "govuk-frontend.min.css").read_text()))
    js = (DIST / "govuk-frontend.min.js").read_text()
    (OUT / "govuk-frontend.min.js").write_text(re.sub(r"//# sourceMappingURL=\S+", "", js))
    lic = ROOT / "node_modules" / "govuk-frontend" / "LICENSE.txt"
    if lic.exists():
        shutil.copy(lic, OUT / "govuk-frontend-LICENSE.txt")


if __name__ == "__main__":
    build()
