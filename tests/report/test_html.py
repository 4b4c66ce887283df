"""The published HTML: outline, partner sections, tables, charts, disclosure, comparisons."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


class Outline(HTMLParser):
    """Collects headings (level, text), and the text of each <li>."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.items: list[str] = []
        self._h = None
        self._li = None
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self._in_svg += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._h = [int(tag[1]), ""]
        if tag == "li":
            self._li = ""

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1
        if self._h and tag == f"h{self._h[0]}":
            self.headings.append((self._h[0], " ".join(self._h[1].split())))
            self._h = None
        if tag == "li" and self._li is not None:
            self.items.append(" ".join(self._li.split()))
            self._li = None

    def handle_data(self, data):
        if self._in_svg:
            return
        if self._h:
            self._h[1] += data
        if self._li is not None:
            self._li += data


def outline(html: str) -> Outline:
    p = Outline()
    p.feed(html)
    return p


def _partner_headings(o: Outline, appendix_title: str) -> list[str]:
    """h3 headings between the appendix's h2 and the next h2."""
    out, inside = [], False
    for level, text in o.headings:
        if level == 2:
            inside = text == appendix_title
        elif level == 3 and inside:
            out.append(text)
    return out


def test_one_h1_titled_with_partnership_and_period(published_html):
    o = outline(published_html)
    h1 = [t for lvl, t in o.headings if lvl == 1]
    assert h1 == ["Luton Safeguarding Children Partnership Yearly Report 2024-25"]


def test_every_partner_has_a_section_in_both_appendices_in_spec_order(published_html, spec):
    o = outline(published_html)
    b = _partner_headings(o, "Appendix B: Partners Safeguarding Snapshot")
    c = _partner_headings(o, "Appendix C: Partners Voice of the Child Snapshot")
    assert b == [f"{p.name} – achievements and impact" for p in spec.partners]
    assert c == [p.name for p in spec.partners]
    assert len(spec.partners) == 10


def test_partner_without_a_return_says_so(published_html, dataset):
    with_c = {r.partner for r in dataset.returns_for("2024-25", "appendix-c")}
    assert "nspcc" not in with_c
    section = re.search(r'<h3 id="appendix-c-nspcc">(.*?)</section>', published_html, re.S)
    assert section and "No response was received for this period." in section.group(1)
    responded = re.search(r'<h3 id="appendix-c-elft">(.*?)</section>', published_html, re.S)
    assert "No response was received" not in responded.group(1)


def test_self_contained_with_no_external_loads(published_html):
    lowered = published_html.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered
    assert not re.search(r"\bsrc\s*=", lowered)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", lowered)
    assert '<html lang="en-GB">' in published_html
    for landmark in ("<header", "<main", "<nav", "<footer", 'class="skip-link" href="#main"'):
        assert landmark in published_html


def test_tables_have_captions_and_scoped_headers(published_html):
    tables = re.findall(r"<table.*?</table>", published_html, re.S)
    assert len(tables) >= 10
    for t in tables:
        assert "<caption>" in t
        assert '<th scope="col"' in t
        assert '<th scope="row"' in t


def test_every_chart_has_a_text_alternative(published_html):
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", published_html, re.S)
    assert 2 <= len(svgs) <= 30
    for s in svgs:
        head = s[: s.index(">") + 1]
        assert 'role="img"' in head and "aria-labelledby=" in head
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title><desc id=\"[^\"]+\">Bar chart of", s)
    ids = re.findall(r'\bid="([^"]+)"', published_html)
    assert len(ids) == len(set(ids)), "duplicate ids"


def _fire_table(html: str) -> str:
    m = re.search(r"<table[^>]*><caption>Child safeguarding referrals made.*?</table>", html, re.S)
    assert m, "Fire referrals table missing"
    return m.group(0)


def _row(table: str, label: str) -> list[str]:
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        if label in cells:
            return cells
    raise AssertionError(f"no row {label!r}")


def test_published_fire_table_suppresses_small_counts(published_html):
    t = _fire_table(published_html)
    assert _row(t, "Female")[-1] == "c"
    assert _row(t, "Male")[-1] == "c"
    assert _row(t, "All")[-2:] == ["13", "21"]
    assert "c: a count from 1 to 5 is not published" in published_html


def test_internal_build_shows_true_counts_and_is_marked_everywhere(internal_html, published_html, spec):
    t = _fire_table(internal_html)
    assert _row(t, "Female")[-1] == "3"
    assert _row(t, "Male")[-1] == "5"
    banner = "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures"
    for p in spec.partners:
        for app in ("b", "c"):
            sec = re.search(rf'<h3 id="appendix-{app}-{p.code}">[^<]*</h3>\s*<p class="internal">([^<]*)',
                            internal_html)
            assert sec and sec.group(1).startswith(banner), (app, p.code)
    assert "INTERNAL" in re.search(r"<title>(.*?)</title>", internal_html).group(1)
    assert "INTERNAL" not in published_html and "unsuppressed" not in published_html


def test_internal_build_lists_findings_in_a_quality_appendix(internal_html):
    o = outline(internal_html)
    assert (2, "Quality appendix: findings from the checks") in o.headings
    quality = internal_html[internal_html.index('id="quality"'):]
    assert "pp-as-percent" in quality and "a 6.7% increase" in quality and "appendix-b/elft.yaml:12" in quality
    assert "unknown word" in quality


def _generated(html: str) -> list[str]:
    """The comparison and target sentences masa wrote (the 'Comparisons and targets' lists)."""
    out = []
    for block in re.findall(r"<strong>Comparisons and targets</strong></p><ul>(.*?)</ul>", html, re.S):
        out += [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", block, re.S)]
    return out


def test_comparisons_use_points_for_percentages_and_the_right_direction(published_html):
    sentences = _generated(published_html)
    assert any("83% to 89%: up 6.0 percentage points on 2023-24" in s for s in sentences)
    assert any("420 to 348: down 72 (17.1%) on 2023-24" in s for s in sentences)
    assert any("13 to 21: up 8 (61.5%) on 2023-24" in s for s in sentences)
    assert not any("6.7%" in s for s in sentences)
    assert not any("62%" in s for s in sentences)
    for s in sentences:
        if "percentage points" in s:
            assert not re.search(r"\(\d+(\.\d)?%\)", s), s


def test_target_statements_for_indicators_with_targets(published_html):
    sentences = _generated(published_html)
    targets = [s for s in sentences if "against a target of at least 90%" in s]
    assert targets
    for s in targets:
        value = float(re.search(r"(\d+(?:\.\d+)?)% against", s).group(1))
        assert ("target met" in s) == (value >= 90), s
