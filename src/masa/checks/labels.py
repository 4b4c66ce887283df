"""A report or period label contradicted by the dates in its content.

A yearly report for 2023-24 covers April 2023 to March 2024 and is written in the months
after: dates up to six months past the end are normal. Events dated later than that, or
plans for a year more than one year after, mean the label (or the content) is wrong.
"""

from __future__ import annotations

import re
from datetime import date

from masa.spec import normalise_period, parse_period

from .claims import markers
from .registry import Ctx, check

GRACE_MONTHS = 6


def _sentence_of(src, pos: int) -> tuple[int, int]:
    for p in src.paras:
        if p.start <= pos < p.end:
            for a, b in p.sentences():
                if a <= pos < b:
                    return a, b
            return p.start, p.end
    return pos, pos


def _late_dates(ctx: Ctx, src, period: str):
    p = parse_period(period)
    end = p.end
    limit = date(end.year + (end.month + GRACE_MONTHS - 1) // 12, (end.month + GRACE_MONTHS - 1) % 12 + 1, 28)
    out = []
    for para in src.paras:
        if para.heading:
            continue
        for mk in markers(para.clean, para.start):
            if mk.kind == "month" and date(mk.year, mk.month, 1) > limit or mk.kind in ("fy", "quarter") and mk.fy and int(mk.fy[:4]) > int(p.year[:4]) + 1:
                out.append(mk)
    return out


_REPORT_TITLE = re.compile(r"\b(?:yearly|annual)\s+report\s+(?:for\s+)?(20\d{2}\s*[-/–]\s*(?:20)?\d{2})(?!\d)",
                           re.IGNORECASE)


def _other_titles(src, period: str):
    """Title lines after the label that name the report of another year ('Annual Report 2020-21')."""
    out = []
    for p in src.paras:
        if src.label_span and p.start <= src.label_span[0] < p.end:
            continue
        text = p.clean.strip()
        if len(text) > 90 or text.endswith((".", ",", ";")):
            continue
        m = _REPORT_TITLE.search(text)
        if m and normalise_period(m.group(1)) not in (None, period):
            out.append((p, normalise_period(m.group(1))))
    return out


_FY_IN = re.compile(r"(?<!\d)(20\d{2})\s*[-/–]\s*(?:20)?(\d{2})(?!\d)")


def _stale_headers(ctx: Ctx, chk, src, min_gap: int = 2):
    """A page header or footer (a short line repeated on several pages) naming a financial year
    at least two years before most of the dates in the body, when the document has no title label."""
    lines: dict[str, list] = {}
    for p in src.paras:
        text = p.clean.strip()
        if len(text) > 100 or not _FY_IN.search(text):
            continue
        lines.setdefault(re.sub(r"\d+\s*$", "", re.sub(r"\bpage\s+\d+", "", text, flags=re.IGNORECASE)).strip(), []).append(p)
    headers = [ps for ps in lines.values() if len(ps) >= 2]
    if not headers:
        return
    header_paras = {id(p) for ps in headers for p in ps}
    body = []
    for p in src.paras:
        if id(p) in header_paras:
            continue
        for mk in markers(p.clean, p.start):
            if mk.kind == "fy" and mk.fy:
                body.append(int(mk.fy[:4]))
            elif mk.kind == "month" and mk.year:
                body.append(mk.year if mk.month >= 4 else mk.year - 1)
    if len(body) < 3:
        return
    body.sort()
    typical = body[len(body) // 2]
    for ps in headers:
        m = _FY_IN.search(ps[0].clean)
        year = int(m.group(1))
        if typical - year >= min_gap:
            a, b = ps[0].start + m.start(), ps[0].start + m.end()
            yield ctx.finding(chk, src, a, b,
                              f"the header repeated on {len(ps)} pages names {m.group(0)}, but most dates in the "
                              f"body are in or after {typical}-{(typical + 1) % 100:02d}",
                              related=[src.location(p.start, p.end) for p in ps[1:10]])
            return


# "Annual Report 2013/14", "the Annual Report of the X Partnership for 2021/22", "annual_report_2014_2015"
_REPORT_OF = re.compile(r"(?:annual|yearly)[\s_-]+report(?:[\s_-]+(?:of\s+the\s+(?:[A-Z][\w'’()-]*\s+(?:and\s+|of\s+)?){1,8})?"
                        r"(?:\(\w+\)\s+)?(?:for\s+(?:the\s+(?:financial\s+|reporting\s+)?(?:year|period)\s+)?)?)"
                        r"(?<![\d])(20\d{2})\s*[-/–_]\s*(20\d{2}|\d{2})(?![\d])", re.IGNORECASE)
# the sentence presents the report it names: it is this document's report, not last year's
_PRESENTS = re.compile(r"\b(?:present(?:ed|ing|s)?|introduc(?:ed|ing|es)|submit(?:ted|ting)?|to\s+(?:receive|consider|note|"
                       r"approve|endorse)|be\s+noted|this|attached|appended|available\s+(?:electronically|online|at|from))\b",
                       re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def _years_of(m: re.Match) -> tuple[int, int]:
    a, b = int(m.group(1)), m.group(2)
    end = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
    return a, end if end >= a else end + 100


def _own_report_periods(src):
    """(start, end, (first year, last year), anchored) for each place the document names the period of
    the report it presents: its title, a link to it, or a sentence presenting it. Anchored mentions
    (the title, a link's file name) are the ones a prose slip is judged against."""
    out = []
    for i, p in enumerate(src.paras):
        text = p.clean
        urls = [(u.start(), u.end()) for u in _URL.finditer(text)]
        for m in _REPORT_OF.finditer(text):
            in_url = any(a <= m.start() < b for a, b in urls)
            title = (i == 0 or bool(src.label_span and p.start <= src.label_span[0] < p.end)) and (
                len(text) <= 120 and not text.rstrip().endswith((".", ";", ",")))
            if not (in_url or title):
                sent_start = max(text.rfind(". ", 0, m.start()) + 2, 0)
                sent_end = text.find(". ", m.end())
                sentence = text[sent_start:sent_end if sent_end >= 0 else len(text)]
                named = re.search(r"((?:[A-Z][\w'’&-]*\s+){1,8})$", text[max(0, m.start() - 100):m.start()])
                named_words = set(re.findall(r"[A-Z][\w'’&-]*", (named.group(1) if named else "") + m.group(0)))
                head = src.paras[0].clean if src.paras else ""
                if any(w not in head for w in named_words - {"Annual", "Yearly", "Report", "The", "This", "That"}):
                    continue  # another body's report ("the Buckinghamshire ... Annual Report 2022-23")
                if not _PRESENTS.search(sentence) or re.search(
                        r"\b(?:last|previous|prior|earlier|next|future|forthcoming|following|coming|upcoming|will|"
                        r"forward\s+to|receiving)\b", text[max(0, m.start() - 60):m.start()], re.IGNORECASE):
                    continue
            out.append((p.start + m.start(1), p.start + m.end(), _years_of(m), in_url or title, in_url))
    return out


def _own_report_slips(ctx: Ctx, chk, src):
    """A sentence presenting the report with a period that its title or link contradicts."""
    mentions = _own_report_periods(src)
    anchors = {m[2] for m in mentions if m[3]}
    if len(anchors) != 1:
        return
    anchor = anchors.pop()
    where = next(m for m in mentions if m[3])
    for a, b, y, anchored, _ in mentions:
        if not anchored and y != anchor:
            yield ctx.finding(chk, src, a, b,
                              f"the report presented here is {src.text[a:b]}, but its "
                              f"{'link' if where[4] else 'title'} says {src.text[where[0]:where[1]]} "
                              f"(line {src.line_col(where[0])[0]})",
                              related=[src.location(where[0], where[1])])
            return


# "This report covers the period 1 April 2022 to 31 March 2023", "the report covers the financial year 2022/23"
_COVERS = re.compile(r"\b(?:this|the|our)\s+(?:annual\s+|yearly\s+)?report\b[^.;]{0,40}?\b(?:covers|covering|sets\s+out|"
                     r"describes|reports\s+on|relates\s+to|is\s+for|summarises|looks\s+(?:back\s+)?at|reviews)\b"
                     r"|\b(?:this|our)\s+(?:annual\s+|yearly\s+)?report\s+for\b", re.IGNORECASE)


def _coverage_slip(ctx: Ctx, chk, src, period: str):
    """A sentence stating the period this report covers that is another year than its label."""
    from masa.textlayer.dates import fill_years, ranges

    label = parse_period(period)
    for p in src.paras[:40]:
        if src.label_span and p.start <= src.label_span[0] < p.end:
            continue
        for a, b in p.sentences():
            sent = src.clean[a:b]
            m = _COVERS.search(sent)
            if not m:
                continue
            rest = sent[m.end():]
            got = None
            rs = ranges(rest, a + m.end())
            fy = _FY_IN.search(rest)
            near = lambda i: (re.fullmatch(r"[\s,]*(?:[a-z']+\s+){0,6}?(?:from|between|for|in|during)?\s*",  # noqa: E731
                                           rest[:i], re.IGNORECASE)
                              and not re.search(r"\b(?:after|before|since|until|published|set|following|when|on|by)\b",
                                                rest[:i], re.IGNORECASE))
            if fy and not re.fullmatch(r"[\s,]*(?:the\s+)?(?:(?:financial|reporting)\s+)?(?:year|period)?\s*(?:of\s+|from\s+)?",
                                       rest[:fy.start()], re.IGNORECASE):
                fy = None  # "describes the arrangements set up in 2019-20": not the period it covers
            if rs and (not fy or rs[0].start - a - m.end() < fy.start()) and near(rs[0].start - a - m.end()):
                first, last = fill_years(rs[0])
                if first and last and 300 <= (last - first).days <= 400 and first.month == 4:
                    got, span = f"{first.year}-{(first.year + 1) % 100:02d}", (rs[0].start, rs[0].end)
            elif fy:
                got = normalise_period(fy.group(0))
                span = (a + m.end() + fy.start(), a + m.end() + fy.end())
            if got and got != label.code:
                yield ctx.finding(chk, src, *span,
                                  f"the text says the report covers {got} ('{src.text[span[0]:span[1]]}'), but it is "
                                  f"labelled {period}", related=[src.location(*src.label_span)] if src.label_span else [])
                return


@check("report.period-label", "Period label contradicted by the dates in the content", "error", "report",
       "A section labelled with the wrong year misdates the partners' work; readers and inspectors rely on "
       "the label.",
       fails=(("Appendix C: Luton Safeguarding Children Partnership Yearly Report 2022-23\n\n"
               "The youth council met in May 2025. A survey followed in June 2025.\n"),
              ("Appendix A: Northtown Safeguarding Children Partnership - Annual Report 2021/23\n\nThe Director "
               "presented the Annual Report of the Northtown Safeguarding Children Partnership for 2021/22.\n"),
              ("Appendix A: Northtown Safeguarding Children Partnership Annual Report 2023-24\n\nThis report covers "
               "the period 1 April 2022 to 31 March 2023.\n"),
              ("Appendix A: Northtown Safeguarding Children Partnership Yearly Report 2023/24\n\nThe report covers the "
               "financial year 2022/23.\n"),
              ("Appendix A: Annual Safeguarding Children Board Report\n\nTo receive the annual report, available from "
               "https://example.org/assets/annual_report_2014_2015.pdf.\n\nThe Chair introduced the Annual "
               "Report 2013/14.\n")),
       passes=(("Appendix C: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\n"
                "The youth council met in May 2025. A survey followed in June 2025.\n"),
               ("Appendix A: Northtown Safeguarding Children Partnership - Annual Report 2021/23\n\nThe Director "
                "presented the Annual Report of the Northtown Safeguarding Children Partnership for 2021/23. The "
                "previous annual report for 2020/21 was noted. The board looks forward to receiving the Annual "
                "Report for 2023/24, to be noted in May. The Southtown Safeguarding Children Partnership Annual "
                "Report 2022-23 was presented to the board for comparison.\n"),
               ("Appendix A: Northtown Safeguarding Children Partnership Yearly Report 2023/24\n\nThis report covers "
                "2023/24 and compares it with 2022/23. The report describes the arrangements set up in 2019-20. The "
                "report covers our work from April 2023 to March 2024.\n"),
               ("Appendix A: Northtown Safeguarding Children Partnership Annual Report 2022-23\n\nOur annual reports\n\n"
                "Annual Report 2022-23\n\nAnnual Report 2021-22\n\nAnnual Report 2020-21\n"),
               ("Appendix A: Northtown Safeguarding Children Partnership Annual Report 2012/13\n\nThe partners agreed "
                "that the Independent Chair would continue for the 2014/15 and 2015/16 financial years.\n")))
def period_label(ctx: Ctx, chk):
    for src in ctx.sources:
        slips = list(_own_report_slips(ctx, chk, src)) if ctx.mode == "documents" else []
        if slips:
            yield from slips
            continue
        period = src.period
        if not period and ctx.mode == "documents":
            yield from _stale_headers(ctx, chk, src)
        if not period or (src.label_span is None and ctx.mode != "dataset"):
            continue
        other = _other_titles(src, period) if src.label_span else []
        if len({y for _, y in other}) >= 2:
            other = []  # reports of several other years: a list of past reports, not this one mislabelled
        if other:
            shown = "; ".join(f"'{src.text[p.start:p.end].strip()}' (line {src.line_col(p.start)[0]})" for p, _ in other[:3])
            yield ctx.finding(chk, src, *src.label_span,
                              f"labelled {period}, but the document presents a report for {other[0][1]}: {shown}",
                              related=[src.location(p.start, p.end) for p, _ in other[:10]])
            continue
        if src.label_span and ctx.mode == "documents":
            cover = list(_coverage_slip(ctx, chk, src, period))
            if cover:
                yield from cover
                continue
        late = _late_dates(ctx, src, period)
        if len(late) < (2 if src.label_span else 1):
            continue
        if src.label_span and len({_sentence_of(src, m.start) for m in late}) < 2:
            continue  # one sentence's later years ("will chair for the 2014/15 and 2015/16 years") is a plan
        span = src.label_span or (late[0].start, late[0].end)
        shown = "; ".join(f"'{src.text[m.start:m.end]}' (line {src.line_col(m.start)[0]})" for m in late[:4])
        years = sorted({m.fy or f"{m.year}" for m in late})
        yield ctx.finding(chk, src, *span,
                          f"labelled {period}, but the content describes {len(late)} later events or plans: {shown}"
                          f"{' …' if len(late) > 4 else ''}. Check the label (content points to {years[-1]}).",
                          related=[src.location(m.start, m.end) for m in late[:10]])


@check("report.period-mismatch", "Documents of one report carry different period labels", "error", "report",
       "Appendices of one yearly report must cover the same year.",
       fails=(("Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n",
               "Appendix C: Luton Safeguarding Children Partnership Yearly Report 2023-24\n\nText.\n"),),
       passes=(("Appendix B: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n",
                "Appendix C: Luton Safeguarding Children Partnership Yearly Report 2024-25\n\nText.\n"),))
def period_mismatch(ctx: Ctx, chk):
    labelled = [s for s in ctx.sources if s.period and s.label_span]
    periods = {s.period for s in labelled}
    if len(periods) < 2:
        return
    majority = ctx.period
    for src in labelled:
        if src.period != majority:
            others = ", ".join(f"{s.name} says {s.period}" for s in labelled if s.period == majority)
            yield ctx.finding(chk, src, *src.label_span,
                              f"this document is labelled {src.period}; {others}",
                              related=[s.location(*s.label_span) for s in labelled if s.period == majority])
