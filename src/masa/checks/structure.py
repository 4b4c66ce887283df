"""Numbering gaps: a contents list or the section headings skip a number ("3. Our priorities"
then "5. Learning from reviews").

Numbered heading lines are read in order per file; each numbering level (1, 2, 2.1, 2.2 ...)
is followed within its parent. A number that restarts at 1 starts a new list (the contents,
then the body), so only a forward jump is a gap. Long lines, sentences and list items that
end like sentences are not headings.
"""

from __future__ import annotations

import re

from .registry import Ctx, check

# "3. Our priorities 6", "2.1 The safeguarding partners", "Section 4: Training", "4) Learning"
_NUMBERED = re.compile(r"^[ \t#*]*(?:(?:section|part|chapter)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})(?:\.|\)|:)?[ \t]+"
                       r"(?P<title>[A-Z][^\n]{1,90}?)(?:[ \t.]*\d{1,3})?[ \t*]*$", re.IGNORECASE)
_NOT_TITLE = re.compile(r"[.;,:]\s*$|\b(?:and|or|the|to|of|in)\s*$")


# a contents list flattened onto one line by PDF extraction: "1 Introduction ....... 3 2 The role ..... 6"
_LEADER_ENTRY = re.compile(r"(?<![\d.])(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+[A-Z][^\n]{1,100}?\s*\.{4,}\s*\d{1,3}(?!\d)")


def numbered_headings(src) -> list[tuple[tuple[int, ...], int, int]]:
    """(number parts, start, end) of each numbered heading-like paragraph of a source."""
    out = []
    for p in src.paras:
        entries = list(_LEADER_ENTRY.finditer(p.clean))
        if len(entries) >= 3:
            out += [(tuple(int(x) for x in e.group("num").split(".")), p.start + e.start("num"), p.start + e.end("num"))
                    for e in entries]
            continue
        m = _NUMBERED.match(p.clean)
        if not m or _NOT_TITLE.search(m.group("title")) or len(m.group("title").split()) > 14:
            continue
        title = m.group("title")
        if re.match(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
                    title):
            continue  # "1 April 2023 ..." is a date
        if not title[0].isupper() or "\t" in title:
            continue  # a table row ("1<tab>Luton<tab>20<tab>3") is not a heading
        nums = tuple(int(x) for x in m.group("num").split("."))
        out.append((nums, p.start + m.start("num"), p.start + m.end("num")))
    return out


def _starts_between(text: str, a: int, b: int, parent: tuple[int, ...], n: int) -> bool:
    """The missing number does start a line between the two headings, on a line the heading reader
    passed over (a title ending in a full stop or a question mark): the numbering has no gap."""
    num = re.escape(".".join(map(str, parent + (n,))))
    return re.search(rf"(?m)^[ \t#*]*(?:(?:section|part|chapter)\s+)?{num}(?:\.|\)|:)?[ \t]+[A-Z]",
                     text[a:b], re.IGNORECASE) is not None


def gaps(src) -> list[tuple[int, int, str]]:
    last: dict[tuple[int, ...], int] = {}  # parent number -> last number seen under it
    where: dict[tuple[int, ...], int] = {}  # parent number -> end of the last heading seen under it
    seen: set[tuple[int, ...]] = set()
    out = []
    for nums, a, b in numbered_headings(src):
        parent, n = nums[:-1], nums[-1]
        if parent and parent not in seen:
            continue  # "2.1" with no "2" heading read: a list we cannot follow
        if not parent and n == 1:
            last.clear()  # a new list starts: the contents, then the body
            seen.clear()
        prev = last.get(parent)
        if prev is not None and prev + 1 < n <= prev + 3 and not _starts_between(src.clean, where[parent], a, parent, prev + 1):
            label = ".".join(map(str, parent + (prev,)))
            missing = [".".join(map(str, parent + (x,))) for x in range(prev + 1, n)]
            out.append((a, b, (f"'{'.'.join(map(str, nums))}' follows '{label}': "
                              f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing from the numbering")))
        last[parent] = n
        where[parent] = b
        seen.add(nums)
    return out


@check("structure.numbering-gap", "Numbering gap in contents or headings", "query", "report",
       "A contents list or section numbering that skips a number suggests a section was dropped or "
       "the numbering was not updated after an edit.",
       fails=("Contents\n1. Foreword 3\n2. Our arrangements 4\n3. Our priorities 6\n5. Learning from reviews 11\n",
              "2. Our arrangements\n\n2.1 The partners\n\nText.\n\n2.3 Independent scrutiny\n\nText.\n"),
       passes=(("Contents\n1. Foreword 3\n2. Our arrangements 4\n3. Our priorities 6\n\n1. Foreword\n\nText.\n\n"
               "2. Our arrangements\n\n2.1 The partners\n\n2.2 Scrutiny\n\n3. Our priorities\n"),
               "We met on:\n1 April 2024 and 3 June 2024.\n",
               "Section 1 Foreword 3\n\nSection 2 What is a partnership? and how does it work here.\n\n12\n\n"
               "Section 3 Our priorities 19\n"))
def numbering_gap(ctx: Ctx, chk):
    for src in ctx.sources:
        for a, b, msg in gaps(src):
            yield ctx.finding(chk, src, a, b, msg)
