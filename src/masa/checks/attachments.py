"""Broken or placeholder attachments: "embedded below" with nothing embedded, file names cut
short by a copy from Word ("Report.do"), and links that go nowhere ("](#)")."""

from __future__ import annotations

import re

from .registry import Ctx, check

EMBED = re.compile(r"\b(?:embedded|attached|enclosed|inserted|included)\s+(?:below|here|above)\b|\bsee (?:the )?attached\b", re.IGNORECASE)
TRUNCATED = re.compile(r"\b[\w&()' -]{0,60}\.(?:do|d|pd|xl|xls?x?|pp|ppt|doc)?(?=\s*$)", re.IGNORECASE)
FILE_EXT = re.compile(r"\.(?:docx?|pdf|xlsx?|pptx?|do|pd|xl|pp)\s*$", re.IGNORECASE)
PLACEHOLDER_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((#?|about:blank|https?://(?:example\.com)?/?)\)")


def _label_lines(src, start_para):
    """Short lines after an embed phrase, up to the next heading or prose paragraph."""
    out = []
    for p in src.paras[start_para + 1:start_para + 12]:
        if p.heading:
            break
        t = p.clean.strip()
        if len(t) > 70 or (t.endswith(".") and len(t.split()) > 8):
            break
        out.append(p)
    return out


def _is_broken(label: str) -> bool:
    t = label.strip()
    return bool(re.search(r"\.(?:do|d|pd|xl|pp)$", t, re.IGNORECASE) or re.search(r"\b(?:report|document|file|pdf)\.$", t, re.IGNORECASE))


@check("attachment.broken", "Broken or missing embedded attachment", "error", "narrative",
       "Readers are told a document is embedded, but only a truncated label survived the copy into the report.",
       fails=("Each quarterly report is embedded below.\n\nQ1 Safeguarding Report.do\n",),
       passes=("Each quarterly report is embedded below.\n\nQ1 Safeguarding Report.docx\n",))
def broken_attachment(ctx: Ctx, chk):
    with_files = {"/".join(r.key()) for r in ctx.dataset.returns if r.attachments} if ctx.dataset else set()
    for src in ctx.sources:
        if src.return_key in with_files:
            continue  # stored attachments are checked by attachment.status
        covered: set[int] = set()
        for p in src.paras:
            m = EMBED.search(p.clean)
            if not m:
                continue
            labels = _label_lines(src, p.index)
            # a label may span two lines ("Q2 Childrens &" / "Maternity Report.do")
            names, buf = [], []
            for lp in labels:
                buf.append(lp)
                if FILE_EXT.search(lp.clean) or lp.clean.rstrip().endswith("."):
                    names.append(buf)
                    buf = []
            if buf:
                names.append(buf)
            broken = [n for n in names if _is_broken(n[-1].clean)]
            for n in names:
                covered.update(x.index for x in n)
            if not names:
                yield ctx.finding(chk, src, p.start + m.start(), p.start + m.end(),
                                  f"'{m.group()}' but nothing follows: the attachment is missing.")
            elif broken:
                shown = "; ".join(" ".join(x.text.strip() for x in n) for n in broken)
                yield ctx.finding(
                    chk, src, p.start + m.start(), p.start + m.end(),
                    f"'{m.group()}' but only {len(names)} label{'s' if len(names) > 1 else ''} follow"
                    f"{'s' if len(names) == 1 else ''}, {len(broken)} with a cut-off file name ({shown}): "
                    f"the documents did not survive. Link or append them.",
                    related=[src.location(n[0].start, n[-1].end) for n in names])
        for p in src.paras:
            if p.index in covered or p.heading:
                continue
            t = p.clean.strip()
            if len(t) <= 70 and re.search(r"\S\.(?:do|pd|xl)$", t):
                yield ctx.finding(chk, src, p.start, p.end, f"'{t}' looks like a cut-off file name: the attachment is broken.")


@check("attachment.placeholder-link", "Link with no destination", "query", "narrative",
       "A link to '#' goes nowhere in the published report; readers cannot reach the resource.",
       fails=("See [our website](#) for more.",), passes=("See [our website](https://example.org/x) for more.",))
def placeholder_link(ctx: Ctx, chk):
    for src in ctx.sources:
        for m in PLACEHOLDER_LINK.finditer(src.text):
            yield ctx.finding(chk, src, m.start(), m.end(),
                              f"the link '{m.group(1)[:60]}' points to '{m.group(2) or '(nothing)'}': give its real address.")
