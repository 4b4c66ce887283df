"""Arithmetic written in sentences: a total and its parts, a share of a total, rates per 1,000
or 10,000 against each other and a population, and a count in prose against the list or table
under it. Every finding shows the sum redone."""

from __future__ import annotations

import itertools
import re

from masa.textlayer.numbers import NUMBER_WORDS

from .arithmetic import fmt, sentences
from .registry import Ctx, check

_EXHAUSTIVE = re.compile(r"\b(?:(comprising|comprised(?: of)?|comprises|made up of|consist(?:ing|ed|s) of|"
                         r"split (?:between|into|as)|broken down (?:as|into)|divided (?:between|into))|of (?:which|whom|these|those)(?! \w+ (?:were|was) also))\b[:\s]*",
                         re.IGNORECASE)
# "of which 120 were girls and 80 were under five" may list overlapping or some parts only; it is
# judged only when the parts come within this share of the total (an arithmetic slip, not a partial list)
NEAR = 0.10
_TOTAL_BEFORE = re.compile(r"\b(?:a total of|in total|total(?:ling|ing)?|altogether|overall total of)\s*(?:of\s*)?$",
                           re.IGNORECASE)
# "84 and 112 staff, making 206 in total": not "bringing the total to", which is often a running total
_TOTAL_AFTER = re.compile(r"^[^,.;:\d]{0,25}?(?:,\s*|\s+)(?:(?:making|giving)\s+(?:a\s+(?:combined\s+)?total\s+of\s+)?"
                          r"|a total of\s+|totalling\s+|totaling\s+)(?=\d[\d,]*\s*(?:in total\b|altogether\b|[\w\s]{0,30}"
                          r"(?:in total|altogether)|[.;,)]|$))", re.IGNORECASE)
_OF_THE = re.compile(r"^\s*Of (?:the |all |our |these )?(\d[\d,]*)\b[^\d.;]{2,80}?,\s*", re.IGNORECASE)
_JOIN = re.compile(r"^[^\d.;:()]{0,60}$")


def _counts(figs):
    return [f for f in figs if f.kind == "count"]


def _parts_after(clean: str, s_start: int, figs, total, tail_start: int):
    """Counts written as a list after 'comprising' (up to the end of the sentence or bracket)."""
    stop = len(clean)
    m = re.search(r"[;)]|\.\s", clean[tail_start - s_start:])
    if m:
        stop = tail_start - s_start + m.start()
    parts = [f for f in _counts(figs) if tail_start <= f.start < s_start + stop and f is not total]
    if len(parts) < 2:
        return []
    # the parts are a list: nothing but words and 'and' / commas between them, no percentages
    for a, b in itertools.pairwise(parts):
        between = clean[a.end - s_start:b.start - s_start]
        if not _JOIN.match(between) or not re.search(r",|\band\b|\bwith\b|\bplus\b", between):
            return []
    if any(f.kind == "percent" for f in figs if parts[0].start <= f.start <= parts[-1].end):
        return []
    return parts


@check("sum.parts-total", "A total and its parts in a sentence do not add up", "error", "figure",
       "'A total of 1,200 contacts, comprising 800 referrals and 350 requests for advice' states a sum; "
       "when it does not add up, one of the three figures is wrong.",
       fails=("The MASH received a total of 1,210 contacts, comprising 806 referrals and 395 requests for advice.",
              "The 1,210 contacts comprised 806 referrals and 395 requests for advice.",
              "Of the 1,210 contacts, 806 were referrals and 395 were requests for advice.",
              "The MASH received 1,210 contacts (806 referrals and 395 requests for advice).",
              "We trained 84 and 112 staff in the two terms, making 206 in total."),
       passes=("The MASH received a total of 1,210 contacts, comprising 806 referrals and 404 requests for advice.",
               "There were 41 rapid reviews, of which 6 led to a local review.",
               "Of the 1,210 contacts, 406 came from the police and 295 from schools.",
               "The MASH received 1,210 contacts (406 from the police and 295 from schools).",
               "We trained 84 and 112 staff in the two terms, making 196 in total."))
def parts_total(ctx: Ctx, chk):
    for s in sentences(ctx):
        counts = _counts(s.figs)
        if len(counts) < 3:
            continue
        clean = s.clean
        for m in _EXHAUSTIVE.finditer(clean):
            before = [f for f in counts if f.end <= s.start + m.start()]
            if not before:
                continue
            total = before[-1]
            if s.start + m.start() - total.end > 140:
                continue
            parts = _parts_after(clean, s.start, s.figs, total, s.start + m.end())
            yield from _judge(ctx, chk, s, total, parts, exhaustive=bool(m.group(1)))
        for total in counts:
            # "a total of 1,210: 806 referrals and 404 requests" / "(806 referrals and 404 advice)";
            # without "total", "1,210 contacts (806 referrals and 404 advice)" is judged only when
            # nearly adding up (a bracket may list some parts only)
            stated = _TOTAL_BEFORE.search(clean[:total.start - s.start]) is not None
            rest = clean[total.end - s.start:]
            m = re.match(r"^[^\d.;()]{0,40}?(?:\(|:\s*)", rest)
            if m and not _EXHAUSTIVE.search(rest[:m.end()]) and not re.search(r"\bincluding\b", rest[:m.end() + 12]):
                parts = _parts_after(clean, s.start, s.figs, total, total.end + m.end())
                yield from _judge(ctx, chk, s, total, parts, exhaustive=stated)
        m = _OF_THE.match(clean)  # "Of the 1,210 contacts, 806 were referrals and 395 ..."
        if m:
            total = next((t for t in counts if t.start == s.start + m.start(1)), None)
            if total is not None:
                parts = _parts_after(clean, s.start, s.figs, total, s.start + m.end())
                yield from _judge(ctx, chk, s, total, parts, exhaustive=False)
        for i, f in enumerate(counts):  # "84 and 112 staff, making 206 in total"
            m = _TOTAL_AFTER.match(clean[f.end - s.start:])
            if not m or i < 1:
                continue
            total = next((t for t in counts if t.start == f.end + m.end()), None)
            if total is None:
                continue
            parts = [f]
            for g in reversed(counts[:i]):
                between = clean[g.end - s.start:parts[0].start - s.start]
                if not _JOIN.match(between) or not re.search(r",|\band\b|\bplus\b", between):
                    break
                parts.insert(0, g)
            if len(parts) >= 2:
                yield from _judge(ctx, chk, s, total, parts)


def _judge(ctx, chk, s, total, parts, exhaustive: bool = True):
    if len(parts) < 2 or any(p.value > total.value for p in parts):
        return
    got = sum(p.value for p in parts)
    if not exhaustive and abs(got - total.value) > NEAR * total.value:
        return
    if abs(got - total.value) > 1e-6:
        yield ctx.finding(chk, s.source, total.start, total.end,
                          f"the total is {fmt(total.value, 'count')} but its parts "
                          f"({' + '.join(fmt(p.value, 'count') for p in parts)}) add up to {fmt(got, 'count')}",
                          expected=" + ".join(fmt(p.value, "count") for p in parts), expected_value=got)


_N = r"(\d{1,3}(?:,\d{3})+|\d+)"
_P = r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent)"
SHARE_PATTERNS = [
    re.compile(_N + r"\s+(?:\w+\s+){0,4}?(?:out of|of)\s+(?:the\s+|all\s+|a total of\s+)?" + _N
               + r"\b[^.;%\d]{0,50}?\(\s*" + _P + r"\s*\)", re.IGNORECASE),
    re.compile(_N + r"\s*/\s*" + _N + r"(?:\s+[a-z]+){0,3}\s*\(\s*" + _P + r"\s*\)", re.IGNORECASE),
    re.compile(_N + r"\s+(?:\w+\s+){0,4}?out of\s+(?:the\s+|a total of\s+)?" + _N
               + r"\b[^.;%\d()]{0,40}?(?:,\s*|\s+)(?:or|which is|representing|equating to|equal to|that is)\s+" + _P,
               re.IGNORECASE),
]
# "Of the 412 staff who ..., 371 (86%) said ..."
SHARE_OF_THE = re.compile(r"\bOf (?:the |all |those |these )?" + _N + r"\b[^.;%\d]{3,140}?,\s*" + _N
                          + r"(?:\s+[a-z]+){0,3}\s*\(\s*" + _P + r"\s*\)", re.IGNORECASE)
# "(339 trained out of 381) the attendance rate was higher (83% ...": the next figure, a rate
SHARE_NEXT = re.compile(_N + r"\s+(?:\w+\s+){0,3}?out of\s+(?:the\s+)?" + _N + r"\b\)?"
                        r"(?=[^.;%\d]{0,60}?\b(?:rate|proportion|share|percentage)\b)[^.;%\d()]{0,80}?\(" + _P,
                        re.IGNORECASE)
SHARE_FIRST = re.compile(_P + r"\s*\(\s*" + _N + r"(?:\s+(?:\w+\s+){0,3}?(?:out of|of)\s+(?:the\s+)?|\s*/\s*)" + _N + r"\b",
                         re.IGNORECASE)


# A share tied to its whole by "of these", "of which", "of them", "of those", "of whom": "9,812 contacts,
# of which 2,940 (32%) became referrals"; "... 9,812 contacts. Of these, 2,940 (32%) ..."; "2,940 (32%)
# of them"; "2,940 of these (32%)"; "32% of these (2,940)". The whole is a count before the anaphor in
# the sentence, or in the sentence before when the sentence has none.
_ANAPHOR = re.compile(r"\bof\s+(?:which|these|them|those|whom)(?:\s+(?:contacts|cases|children|referrals|staff|"
                      r"people|families|reviews|notifications|assessments|episodes|calls|visits|audits))?\b",
                      re.IGNORECASE)
_PAIR_NP = re.compile(_N + r"(?:\s+of\s+(?:which|these|them|those|whom))?\s*\(\s*" + _P + r"\s*\)")
_PAIR_PN = re.compile(_P + r"(?:\s+of\s+(?:which|these|them|those|whom))?\s*\(\s*" + _N + r"\s*\)")
_COUNT_IN = re.compile(r"(?<![\d.,£$/])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]*\s*(?:%|per ?cent))(?![.,/]?\d)")


def _counts_in(text: str) -> list[float]:
    out = []
    for c in _COUNT_IN.finditer(text):
        v = _num(c.group(1))
        if 1990 <= v <= 2100 and re.search(r"(?:January|February|March|April|May|June|July|August|September|October|"
                                            r"November|December|in|of|year|since|from|to|by)\s*$", text[:c.start()]):
            continue  # a year
        out.append(v)
    return out


def _anaphor_shares(clean: str):
    """(part text, whole, percent text, match, percent group) for each share tied to its whole by an anaphor,
    when no count it could refer to gives the percentage written."""
    spans = [(a, b) for a, b in _sentence_spans(clean)]
    for i, (a, b) in enumerate(spans):
        sent = clean[a:b]
        for ana in _ANAPHOR.finditer(sent):
            pairs = [(m, 1, 2) for m in _PAIR_NP.finditer(sent) if m.start() <= ana.end() + 40 and m.end() >= ana.start() - 40]
            pairs += [(m, 2, 1) for m in _PAIR_PN.finditer(sent) if m.start() <= ana.end() + 40 and m.end() >= ana.start() - 40]
            for m, ng, pg in pairs:
                if m.start() < ana.start() and ana.start() - m.end() > 3 and " of " not in m.group(0):
                    continue  # the pair comes before the anaphor only as "2,940 (32%) of these"
                part = _num(m.group(ng))
                first = min(m.start(), ana.start())
                wholes = [w for w in _counts_in(sent[:first]) if w >= part]
                if not wholes and i > 0:
                    wholes = [w for w in _counts_in(clean[spans[i - 1][0]:spans[i - 1][1]]) if w >= part]
                if not wholes:
                    continue
                if all(_share_wrong(part, w, m.group(pg)) is not None for w in wholes):
                    yield m.group(ng), max(wholes), m.group(pg), (a + m.start(pg), a + m.end(pg))


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z\d(])|;\s", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _num(t: str) -> float:
    return float(t.replace(",", ""))


def _share_wrong(part: float, whole: float, stated: str) -> float | None:
    if whole <= 0 or part > whole:
        return None
    exact = part / whole * 100
    dec = len(stated.split(".")[1]) if "." in stated else 0
    p = float(stated)
    tol = 0.5 * 10 ** -dec + 0.05
    if abs(exact - p) <= tol or (dec == 0 and int(exact) == p):  # rounded, or cut to a whole number
        return None
    return exact


@check("sum.share", "A share of a total does not match its two figures", "error", "figure",
       "'76 of 90 staff (80%)' states a division; 76 ÷ 90 is 84%, so one of the three figures is wrong.",
       fails=("Of the staff due, 76 out of 90 (80%) completed level 3 training.",
              "Of the 90 staff who were due, 76 (80%) completed level 3 training.",
              "Of the 90 staff who were due, 76 completed it (80%).",
              "Contact type\tNumber\tShare\nReferral\t806\t60%\nAdvice\t404\t33%\nTotal\t1,210\t100%\n",
              "Fewer came than last year (76 booked out of 90), so the attendance rate was lower (80% then).",
              "Compliance was 88% (76 of 90 staff).", "Audits returned: 45/60 (70%).",
              ("The MASH received 9,812 contacts: 6,104 from the police and 3,708 from others. Of these, "
               "2,940 (32%) became referrals."),
              "9,812 contacts were received, of which 2,940 (32%) became referrals.",
              "The MASH received 9,812 contacts; 32% of these (2,940) became referrals."),
       passes=("Of the staff due, 76 out of 90 (84%) completed level 3 training.",
               "Compliance was 84% (76 of 90 staff). Audits returned: 45/60 (75%).",
               "3 of the 12 priorities (one in four) were met; 25% of children said so.",
               "Of the 90 staff who were due, 76 (84%) completed level 3 training.",
               "Contact type\tNumber\tShare\nReferral\t806\t67%\nAdvice\t404\t33%\nTotal\t1,210\t100%\n",
               "Agency\tReferrals\tRate\nPolice\t806\t12%\nSchools\t404\t9%\nTotal\t1,210\t10%\n",
               "Fewer came than last year (76 booked out of 90), so the attendance rate was lower (84% then).",
               ("The MASH received 9,812 contacts: 6,104 from the police and 3,708 from others. Of these, "
                "2,940 (30%) became referrals."),
               ("The MASH received 9,812 contacts: 6,104 from the police and 3,708 from others. Of these, "
                "2,940 (48%) became referrals."),
               "Of the 60 audits, 45 were graded good. Of these, 30 (67%) showed strong practice.",
               "There were 1,200 contacts in 2023-24, and 340 (28%) of referrals were repeats."))
def share(ctx: Ctx, chk):
    for p in ctx.paras():
        clean = p.clean
        if "%" not in clean and "per cent" not in clean and "percent" not in clean:
            continue
        seen = set()
        for pat in SHARE_PATTERNS:
            for m in pat.finditer(clean):
                if m.start() in seen:
                    continue
                seen.add(m.start())
                exact = _share_wrong(_num(m.group(1)), _num(m.group(2)), m.group(3))
                if exact is not None:
                    yield _share_finding(ctx, chk, p, m, 3, m.group(1), m.group(2), exact)
        for m in SHARE_OF_THE.finditer(clean):
            exact = _share_wrong(_num(m.group(2)), _num(m.group(1)), m.group(3))
            if exact is not None and m.start(2) not in seen:
                seen.add(m.start(2))
                yield _share_finding(ctx, chk, p, m, 3, m.group(2), m.group(1), exact)
        for m in SHARE_NEXT.finditer(clean):
            if m.start() in seen:
                continue
            exact = _share_wrong(_num(m.group(1)), _num(m.group(2)), m.group(3))
            if exact is not None:
                yield _share_finding(ctx, chk, p, m, 3, m.group(1), m.group(2), exact)
        for part, whole, pct, (a, b) in _anaphor_shares(clean):
            if a in seen:
                continue
            seen.add(a)
            exact = _share_wrong(_num(part), whole, pct)
            unit = re.match(r"\s?(?:%|per ?cent)", clean[b:])
            yield ctx.finding(chk, p.source, p.start + a, p.start + b + (unit.end() if unit else 0),
                              f"{part} of {fmt(whole, 'count')} is {exact:.1f}%, not {pct}%",
                              expected=f"{part} ÷ {fmt(whole, 'count')} × 100", expected_value=round(exact, 1))
        for m in SHARE_FIRST.finditer(clean):
            exact = _share_wrong(_num(m.group(2)), _num(m.group(3)), m.group(1))
            if exact is not None:
                yield _share_finding(ctx, chk, p, m, 1, m.group(2), m.group(3), exact)
    yield from _table_shares(ctx, chk)


def _table_shares(ctx: Ctx, chk):
    """A table with a count column, a percentage column and a total row whose percentage is 100%:
    each row's percentage is its count over the total."""
    from .tables import _number, tables

    for src in ctx.sources:
        if "%" not in src.clean:
            continue
        for rows in tables(src):
            texts = [[src.text[a:b] for a, b in r] for r in rows]
            total_i = next((i for i, r in enumerate(texts) if i and re.match(r"\s*(?:total|all)\b", r[0], re.IGNORECASE)), None)
            if total_i is None:
                continue
            trow = texts[total_i]
            for pc in range(2, len(trow)):
                if trow[pc].strip().rstrip("%").strip() not in ("100", "100.0") or "%" not in trow[pc]:
                    continue
                cc = pc - 1  # the count column is the one before the percentage
                total = _number(trow[cc])
                if not total or "%" in trow[cc]:
                    continue
                for ri in range(1, total_i):
                    r = texts[ri]
                    if pc >= len(r) or "%" not in r[pc]:
                        continue
                    count, pct = _number(r[cc]), r[pc].strip().rstrip("%").strip()
                    if count is None or not re.fullmatch(r"\d+(?:\.\d+)?", pct):
                        continue
                    exact = _share_wrong(count, total, pct)
                    if exact is not None:
                        a, b = rows[ri][pc]
                        yield ctx.finding(chk, src, a, b,
                                          f"{fmt(count, 'count')} of the total {fmt(total, 'count')} is {exact:.1f}%, "
                                          f"not {pct}%", expected=f"{fmt(count, 'count')} ÷ {fmt(total, 'count')} × 100",
                                          expected_value=round(exact, 1))


def _share_finding(ctx, chk, p, m, g, part, whole, exact):
    unit = re.match(r"\s?(?:%|per ?cent)", p.clean[m.end(g):])  # quote "86%", not "86"
    return ctx.finding(chk, p.source, p.start + m.start(g), p.start + m.end(g) + (unit.end() if unit else 0),
                       f"{part} of {whole} is {exact:.1f}%, not {m.group(g)}%",
                       expected=f"{part} ÷ {whole} × 100", expected_value=round(exact, 1))


_RATE = re.compile(r"(?:\brate\s+(?:of\s+|was\s+|is\s+)?)?(\d+(?:\.\d+)?)\s+(?:[a-z]+\s+){0,2}?per\s+(1,?000|10,?000|100,?000)\b"
                   r"(?:\s+(?:children|child|young people|population|under[- ]18s|0-17s?))?", re.IGNORECASE)
_POPULATION = re.compile(r"\b(?:child(?:ren's)?|0-17|under[- ]18s?'?|young)\s+(?:\w+\s+)?population\s+(?:of\s+|is\s+|was\s+|"
                         r"of around\s+|of approximately\s+|estimated at\s+)?(?:around\s+|approximately\s+|about\s+)?"
                         r"(\d{1,3}(?:,\d{3})+|\d{4,})"
                         # "around 56,000 children living in Salford", "64,000 children and young people aged 0-17"
                         r"|\b(?:around|about|approximately|some|over|nearly|almost|an estimated|estimated)\s+"
                         r"(\d{1,3}(?:,\d{3})+|\d{5,})\s+(?:children|young people|under[- ]18s)(?:\s+and\s+young\s+people)?"
                         r"\s+(?:living|live|who live|resident|aged\s+(?:0|under)|under\s+(?:the\s+age\s+of\s+)?18)\b"
                         r"|\b(\d{1,3}(?:,\d{3})+|\d{5,})\s+(?:children|young people)(?:\s+and\s+young\s+people)?"
                         r"\s+(?:live|living|are resident)\s+in\b", re.IGNORECASE)


_ELSEWHERE = re.compile(r"\b(?:national(?:ly)?|england|english|statistical neighbours?|regional(?:ly)?|region|"
                        r"average|comparators?|similar authorities|north|south|east|west)\b", re.IGNORECASE)
# a count and rate implying a population outside this range were not worked out on each other
# (a ten-times slip stays inside it: that is what the check is for)
PLAUSIBLE = (500, 30_000_000)


def _is_population(clean: str, f) -> bool:
    """Whether a count is the population itself ("56,000 children living in Salford")."""
    return any(m.start() <= f.start < m.end() for m in _POPULATION.finditer(clean, max(0, f.start - 30), f.end + 80))


def _rates(ctx: Ctx):
    """(sentence, rate span, implied population, count figure) for every local rate with one count
    beside it (the count nearest to it, when a sentence gives several rates)."""
    out = []
    for s in sentences(ctx):
        if "per" not in s.clean:
            continue
        found = list(_RATE.finditer(s.clean))
        spans = [(s.start + m.start(1), s.start + m.end()) for m in found]
        counts = [f for f in s.figs if f.kind == "count" and not any(a <= f.start < b for a, b in spans)
                  and f.value >= 5 and f.value == int(f.value)
                  and not re.match(r"\s*(?:per\b|population|residents)", s.source.clean[f.end:f.end + 12])
                  and not re.search(r"population\s+(?:of\s+)?(?:around\s+|about\s+)?$", s.source.clean[max(0, f.start - 25):f.start])
                  and not (1990 <= f.value <= 2100 and re.search(r"(?:January|February|March|April|May|June|July|August|"
                                                                r"September|October|November|December|year|in|of)\s*$",
                                                                s.source.clean[max(0, f.start - 12):f.start], re.IGNORECASE))
                  and not _is_population(s.source.clean, f)]
        for count in counts:
            # the rate nearest to the count is its rate; others in the sentence are someone else's
            m = min(found, key=lambda x: abs(s.start + x.start(1) - count.start), default=None)
            if m is None or abs(s.start + m.start(1) - count.start) > 110:
                continue
            rate, base = float(m.group(1)), _num(m.group(2))
            if rate <= 0 or count.value in (base, rate):
                continue
            around = s.source.clean[s.start + m.start():min(s.end, s.start + m.end() + 30)]
            if _ELSEWHERE.search(around):
                continue  # England's or the neighbours' rate, not one worked out on this population
            implied = count.value / rate * base
            if PLAUSIBLE[0] <= implied <= PLAUSIBLE[1]:
                out.append((s, s.start + m.start(1), s.start + m.end(), implied, count))
    return out


@check("sum.rate", "Rates per 1,000 or 10,000 imply different populations", "query", "figure",
       "A count and its rate per 10,000 imply the population they were worked out on; two rates in one "
       "report that imply child populations ten times apart (or one far from the population stated) mean "
       "a rate, a count or the base is wrong.",
       fails=(("There were 250 children on a plan, a rate of 41.7 per 10,000 children. "
              "We looked after 330 children, a rate of 5.5 per 10,000."),
              "Our child population is 60,000. There were 250 children on a plan, a rate of 4.2 per 10,000 children.",
              ("With around 60,000 children living in the borough, the 330 children in care are a rate of 5.5 per "
               "10,000 children."),
              ("With around 60,000 children living in the borough, the 250 children on a plan at the end of March "
               "2024 are a rate of 41.7 per 10,000. The 330 children in care are a rate of 5.5 per 10,000 children. "
               "Referrals numbered 2,000, or 33.3 per 1,000 children.")),
       passes=(("There were 250 children on a plan, a rate of 41.7 per 10,000 children. "
               "We looked after 330 children, a rate of 55 per 10,000."),
               ("We looked after 330 children, a rate of 55 per 10,000, against 71 per 10,000 in England. "
               "There were 250 children on a plan, a rate of 41.7 per 10,000 children."),
               "Our child population is 60,000. There were 250 children on a plan, a rate of 41.7 per 10,000 children.",
               ("With around 60,000 children living in the borough, the 250 children on a plan at the end of March "
                "2024 are a rate of 41.7 per 10,000. The 330 children in care are a rate of 55 per 10,000 children. "
                "Referrals numbered 2,000, or 33.3 per 1,000 children.")))
def rate(ctx: Ctx, chk):
    groups: dict[str | None, list] = {}
    for x in _rates(ctx):  # stored returns: each partner's return is worked out on its own population
        groups.setdefault(x[0].source.return_key, []).append(x)
    for key, found in groups.items():
        yield from _rate_group(ctx, chk, found, key)


def _rate_group(ctx: Ctx, chk, found, key):
    pops = []
    for p in ctx.paras():
        if p.source.return_key != key:
            continue
        for m in _POPULATION.finditer(p.clean):
            pops.append(_num(next(g for g in m.groups() if g)))
    stated = pops[0] if pops else None
    if stated:
        for s, a, b, implied, count in found:
            if not 0.5 <= implied / stated <= 2:
                yield ctx.finding(chk, s.source, a, b,
                                  f"{fmt(count.value, 'count')} at this rate implies a population of about "
                                  f"{implied:,.0f}, but the report gives {stated:,.0f}",
                                  expected=f"{fmt(count.value, 'count')} ÷ {stated:,.0f} × base")
        return
    if len(found) < 2:
        return
    ordered = sorted(x[3] for x in found)
    median = ordered[len(ordered) // 2]
    for s, a, b, implied, count in found:
        if not 1 / 3 <= implied / median <= 3:
            yield ctx.finding(chk, s.source, a, b,
                              f"{fmt(count.value, 'count')} at this rate implies a population of about {implied:,.0f}; "
                              f"the other rates in the report imply about {median:,.0f}")


_ITEMS = (r"sessions?|meetings?|audits?|reviews?|briefings?|events?|workshops?|courses?|conferences?|"
          r"webinars?|priorities|recommendations?|actions?|themes?|subgroups?|sub-groups?|groups?|"
          r"learning reviews?|rapid reviews?|cases?|areas?|objectives?|strands?|projects?|partners?|agencies")
_PROSE_COUNT = re.compile(r"(?<![\d,.£])(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                          r"(?:[\w-]+\s+){0,3}?(" + _ITEMS + r")\b", re.IGNORECASE)
_POINTS_ON = re.compile(r"(?::\s*$|\b(?:below|following|as follows|listed|table|these (?:were|are))\b)", re.IGNORECASE)
MAX_SLIP = 3
_WORDS_RE = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.IGNORECASE)


def _block_after(src, para, max_items: int = 40):
    """The list items or table rows right after a paragraph: (count, kind, last span) or None."""
    items, kind, indent = [], None, None
    for q in src.paras[para.index + 1:]:
        if q.heading and not items:
            return None
        this = "list" if q.is_list_item else "table" if ("\t" in q.text or q.text.count("|") >= 1) else None
        if this is None or (kind and this != kind):
            break
        kind = this
        lead = q.start - (src.text.rfind("\n", 0, q.start) + 1)  # the item's indentation
        if this == "list":
            if indent is None:
                indent = lead
            elif lead > indent:
                continue  # a sub-item belongs to the item above it
            elif lead < indent:
                break
        items.append(q)
        if len(items) > max_items:
            return None
    if kind == "table" and len(items) >= 3:
        first = items[0].text
        if not re.search(r"\d", first):  # a header row
            items = items[1:]
        items = [q for q in items if not re.match(r"\s*\|?\s*(?:total|overall)\b", q.text, re.IGNORECASE)
                 and not re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", q.text)]
    if len(items) < 2:
        return None
    return len(items), kind, items


@check("sum.prose-vs-table", "A count in the text disagrees with the list or table under it", "error", "figure",
       "'We ran 6 sessions:' over a list of seven tells the reader two different things; the count or the "
       "list is wrong.",
       fails=("The board held 3 development sessions:\n\n- Neglect\n- Exploitation\n- Online harm\n- Missing\n",
              ("We delivered 5 training sessions this quarter.\n\nTable 2: courses\n\nCourse | Dates and sessions | Places\n"
              "Neglect | 4 May, 2 sessions | 40\nCSE | 9 June | 20\nOnline harm | 3 sessions | 30\n"),
              "Four multi-agency audits were completed this year: neglect, exploitation and domestic abuse.",
              "Four multi-agency audits were completed this year (neglect, exploitation and domestic abuse).",
              "The four subgroups are: Learning and Development, Quality Assurance, and Child Exploitation.",
              "The board has four priorities: neglect; exploitation; and early help."),
       passes=("The board held 4 development sessions:\n\n- Neglect\n- Exploitation\n- Online harm\n- Missing\n",
               "Three of our partners spoke at these events:\n\n- Neglect\n- Exploitation\n- Online harm\n- Missing\n",
               "The board agreed 2 priorities:\n\n- Neglect\n  - early help\n  - housing\n- Exploitation\n",
               "We set 2 priorities:\n\n- Neglect\n- early help\n- housing\n- schools\n- health\n- Exploitation\n",
               ("We delivered 6 training sessions this quarter.\n\nTable 2: courses\n\nCourse | Dates and sessions | Places\n"
               "Neglect | 4 May, 2 sessions | 40\nCSE | 9 June | 20\nOnline harm | 3 sessions | 30\n"),
               "Three multi-agency audits were completed this year: neglect, exploitation and domestic abuse.",
               "Four audits were completed, on themes including: neglect, exploitation and online harm.",
               "We agreed four priorities: neglect, exploitation, domestic abuse and violence, and online harm.",
               "We ran 5 sessions (two on neglect and three on exploitation)."))
def prose_vs_table(ctx: Ctx, chk):
    for s in sentences(ctx):
        clean = s.clean
        if not s.figs and not _WORDS_RE.search(clean):
            continue
        if not _PROSE_COUNT.search(clean):
            continue
        counted = _counted_column(ctx, chk, s)
        if counted:
            yield counted
            continue
        inline = _inline_list(ctx, chk, s)
        if inline:
            yield inline
            continue
        if not _POINTS_ON.search(clean):
            continue
        last = s.para.sentences()[-1]
        if (s.start, s.end) != last:
            continue  # only the sentence that leads into the list
        matches = list(_PROSE_COUNT.finditer(clean))
        if len(matches) != 1:
            continue
        m = matches[0]
        if re.search(r"\b(?:of|than|per)\b", m.group(0)):
            continue  # "three of our partners": the count is of something else
        before = clean[:m.start()].rstrip().lower()
        if re.search(r"\b(?:of|of the|of our|one of|all|over|than|about|around|some|nearly|almost|additional|further|"
                     r"another|first|last|next|the)$", before):
            continue
        written = m.group(1).lower()
        n = NUMBER_WORDS.get(written) or int(written)
        block = _block_after(s.source, s.para)
        if block is None:
            continue
        count, kind, _ = block
        # a slip is off by one or two; a list far longer than its count is more often a list whose
        # sub-items lost their indentation (a PDF or Word copy) than a wrong count
        if count != n and abs(count - n) <= MAX_SLIP:
            yield ctx.finding(chk, s.source, s.start + m.start(), s.start + m.end(),
                              f"the text says {n} {m.group(2)}, but the {kind} below has {count} "
                              f"{'items' if kind == 'list' else 'rows'}",
                              expected=f"{count} {'items' if kind == 'list' else 'rows'}", expected_value=count)


_INLINE = re.compile(r"(?::\s*(?P<list>[^:.!?()\d]{3,300}?)|\(\s*(?P<plist>[^:.!?()\d]{3,300}?)\s*\))\s*(?:[.!?]\s*$|$)")


def _inline_list(ctx: Ctx, chk, s):
    """'Four audits were completed: neglect, exploitation and domestic abuse.' The items after
    the colon, split at commas and the last 'and', against the count. Only a list shorter than its
    count is reported: an item may hold an 'and' of its own ("domestic abuse and violence"), which
    makes a list look longer than it is, never shorter."""
    clean = s.clean
    matches = list(_PROSE_COUNT.finditer(clean))
    if len(matches) != 1:
        return None
    m = matches[0]
    if re.search(r"\b(?:of|than|per)\b", m.group(0)):
        return None
    tail = _INLINE.search(clean, m.end())
    if tail is None or tail.start() - m.end() > 80 or re.search(r"\d", clean[m.end():tail.start()]):
        return None
    before = clean[:m.start()].rstrip().lower()
    if re.search(r"\b(?:of|of the|of our|one of|all|over|than|about|around|some|nearly|almost|additional|further|"
                 r"another|first|last|next|including|include|includes)$", before):
        return None
    text = tail.group("list") or tail.group("plist")
    if re.search(r"\b(?:including|includes|such as|for example|e\.g|among|amongst)\b", clean[m.end():tail.start() + 1],
                 re.IGNORECASE):
        return None
    if re.search(r"\b(?:including|includes|such as|for example|e\.g|etc|among|amongst|other)\b", text, re.IGNORECASE):
        return None  # a list of examples, not all of them
    items = [x.strip() for x in re.split(r"[,;]\s*", text) if x.strip()]
    if len(items) < 2:
        return None
    last = re.split(r"\s+(?:and|&)\s+", items[-1])
    if len(last) != 2 or not re.search(r"\s+(?:and|&)\s+", items[-1]):
        if not re.match(r"(?:and|&)\s", items[-1]):
            return None  # a list ends "x and y" (or ", and y")
        last = [items[-1]]
    items = items[:-1] + last
    if any(len(x.split()) > 6 for x in items):
        return None  # clauses, not list items
    if any(_WORDS_RE.match(x) or re.match(r"\d", x) for x in items):
        return None  # "5 sessions (two on neglect and three on exploitation)": a breakdown, not a list of items
    written = m.group(1).lower()
    n = NUMBER_WORDS.get(written) or int(written)
    if len(items) < n and n - len(items) <= MAX_SLIP:
        return ctx.finding(chk, s.source, s.start + m.start(), s.start + m.end(),
                           f"the text says {n} {m.group(2)}, but the list {'in brackets' if tail.group('plist') else 'after the colon'} "
                           f"names {len(items)}: "
                           + "; ".join(items), expected=f"{len(items)} items", expected_value=len(items))
    return None


def _singular(noun: str) -> str:
    noun = noun.lower()
    return noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")


def _counted_column(ctx: Ctx, chk, s):
    """'6 sessions delivered' over a table with a column counting sessions row by row (a row
    that names no number counts as one): the column's sum against the prose count."""
    src = s.source
    rows = _rows_after(src, s.para)
    if len(rows) < 3:
        return None
    sep = "\t" if "\t" in rows[0] else "|"
    header = [c.strip().lower() for c in rows[0].split(sep)]
    for m in _PROSE_COUNT.finditer(s.clean):
        if re.search(r"\b(?:of|than|per)\b", m.group(0)):
            continue
        noun = _singular(m.group(2))
        col = next((i for i, h in enumerate(header) if re.search(r"\b" + re.escape(noun) + r"s?\b", h)), None)
        if col is None:
            continue
        total, used = 0, 0
        for r in rows[1:]:
            cells = r.split(sep)
            if col >= len(cells) or re.match(r"\s*(?:total|overall)\b", cells[0], re.IGNORECASE):
                continue
            cell = cells[col].strip()
            n = re.search(r"(\d+)\s+" + re.escape(noun) + r"s?\b", cell, re.IGNORECASE)
            if n:
                total += int(n.group(1))
                used += 1
            elif re.fullmatch(r"\d+", cell):
                total += int(cell)
                used += 1
            elif cell:
                total += 1
        written = m.group(1).lower()
        stated = NUMBER_WORDS.get(written) or int(written)
        if used and total != stated:
            return ctx.finding(chk, src, s.start + m.start(), s.start + m.end(),
                               f"the text says {stated} {m.group(2)}, but the table below counts {total} "
                               f"(a row with no number counted as one)", expected_value=total)
        return None
    return None


def _rows_after(src, para, paras: int = 7) -> list[str]:
    """The lines of the first table (tab- or bar-separated lines, no blank line between them)
    in the few paragraphs after ``para``; a wrapped paragraph may hold several rows."""
    rows: list[str] = []
    pos = para.end
    for q in src.paras[para.index + 1:para.index + 1 + paras]:
        if q.heading and not rows:
            return []
        for m in re.finditer(r"[^\n]+", src.clean[q.start:q.end]):
            line = m.group()
            start = q.start + m.start()
            is_row = "|" in line or "\t" in line
            if rows and (not is_row or src.text.count("\n", pos, start) > 1):
                return rows  # the table ended (a page footer with a bar after a blank line is not a row)
            if is_row:
                rows.append(line)
            pos = q.start + m.end()
    return rows
