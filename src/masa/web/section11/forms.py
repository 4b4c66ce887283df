"""The Section 11 forms read back: the partner's answers (rating, evidence, action items, files)
and the business unit's moderation, each bad field named with a message for the form. Nothing
is stored here; the views store only a form with no errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from masa.assurance import section11 as s11
from masa.spec.deadlines import read_uk_date

MAX_FILE_BYTES = 10 * 1024 * 1024
# extension -> the first bytes such a file starts with
FILE_KINDS = {"pdf": (b"%PDF",), "docx": (b"PK",), "xlsx": (b"PK",), "png": (b"\x89PNG",), "jpg": (b"\xff\xd8\xff",),
              "jpeg": (b"\xff\xd8\xff",)}
ALLOWED = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"
STATUS_CHOICES = [("open", "Open"), ("in-progress", "In progress"), ("done", "Done"), ("dropped", "Dropped")]


@dataclass
class Read:
    assessment: s11.Assessment
    files: list[tuple[str, object]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)


def action_rows(answer: s11.Answer) -> int:
    """How many action rows the form shows for a standard: the existing ones and one blank."""
    return len(answer.actions) + 1


def read_answers(post, files, current: s11.Assessment, st: s11.StandardSet, period_start: date) -> Read:
    """The posted form over ``current``: every standard's rating, evidence and actions."""
    out = Read(assessment=current)
    answers = []
    taken = {x.id for a in current.answers for x in a.actions}
    for std in st.standards:
        c = std.code
        old = current.answer(c) or s11.Answer(standard=c)
        rating = post.get(f"{c}-rating", "").strip() or None
        if rating is not None and s11.rating_problem(rating):
            out.errors.append((f"{c}-rating", f"{std.title}: {s11.rating_problem(rating)}"))
            rating = None
        actions = []
        existing = {x.id: x for x in old.actions}
        count = str(post.get(f"{c}-actions", "0"))
        for n in range(min(int(count), 100) if count.isdigit() else 0):
            p = f"{c}-a{n}"
            text, owner = post.get(f"{p}-text", "").strip(), post.get(f"{p}-owner", "").strip()
            due_raw, status = post.get(f"{p}-due", "").strip(), post.get(f"{p}-status", "open")
            key = post.get(f"{p}-id", "")
            was = existing.get(key)
            if not (text or owner or due_raw) and was is None:
                continue  # the blank row left blank
            label = f"{std.title}, action {n + 1}"
            bad = False
            if not text:
                out.errors.append((f"{p}-text", f"{label}: describe the action"))
                bad = True
            if not owner:
                out.errors.append((f"{p}-owner", f"{label}: enter an owner, the person or role who will do it"))
                bad = True
            due = None
            try:
                due = read_uk_date(due_raw)
            except ValueError as exc:
                out.errors.append((f"{p}-due", f"{label}: due date: {exc}"))
                bad = True
            if due and not (was and was.carried):
                problem = s11.due_problem(due, period_start)
                if problem:
                    out.errors.append((f"{p}-due", f"{label}: {problem}"))
                    bad = True
            if status not in s11.ACTION_STATUSES:
                out.errors.append((f"{p}-status", f"{label}: choose a status from the list"))
                bad = True
            if bad:
                continue
            if was is None:
                key = s11.next_action_id(current.partner, taken)
                taken.add(key)
            actions.append(s11.ActionItem(id=key, text=text, owner=owner, due=due, status=status,
                                          raised=was.raised if was else current.period,
                                          carried=was.carried if was else False))
        answers.append(old.model_copy(update={"rating": rating, "evidence": post.get(f"{c}-evidence", "").strip(),
                                              "actions": actions}))
        for f in files.getlist(f"{c}-file"):
            problem = file_problem(f.name, f.size, _head(f))
            if problem:
                out.errors.append((f"{c}-file", f"{std.title}: {problem}"))
            else:
                out.files.append((c, f))
    out.assessment = current.model_copy(update={"answers": answers})
    return out


def _head(f) -> bytes:
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    return head


def file_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an evidence file is refused, naming it, or None."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_KINDS:
        return f"{name} is not a file type masa keeps as evidence: upload a {ALLOWED} file"
    if size == 0:
        return f"{name} is empty"
    if size > MAX_FILE_BYTES:
        return f"{name} is {size / 1024 / 1024:.1f} MB; the largest evidence file is 10 MB"
    if not head.startswith(FILE_KINDS[ext]):
        return f"{name} is not really a .{ext} file (its content does not match): upload a {ALLOWED} file"
    return None


def read_moderation(post, a: s11.Assessment, st: s11.StandardSet, partnership: str, who: str
                    ) -> tuple[dict[str, s11.Moderation], list[tuple[str, str]]]:
    """The business unit's verdicts: a standard left without a verdict is skipped; a verdict
    needs a reason."""
    out, errors = {}, []
    for std in st.standards:
        c = std.code
        ans = a.answer(c)
        verdict = post.get(f"{c}-verdict", "").strip()
        reason = post.get(f"{c}-reason", "").strip()
        if not verdict:
            if reason:
                errors.append((f"{c}-verdict", f"{std.title}: choose agree or challenge for the reason you gave"))
            continue
        if verdict not in s11.VERDICTS:
            errors.append((f"{c}-verdict", f"{std.title}: choose agree or challenge"))
            continue
        if ans is None or not ans.rating:
            errors.append((f"{c}-verdict", f"{std.title}: the partner gave no rating to moderate"))
            continue
        try:
            out[c] = s11.Moderation(partnership=partnership, verdict=verdict, reason=reason, by=who)
        except ValidationError:
            errors.append((f"{c}-reason", f"{std.title}: give a reason for agreeing or challenging the rating"))
    return out, errors


RESPONSE_CHOICES = [("revised", "Revise the answer"), ("kept", "Keep the rating and explain why")]


def read_responses(post, a: s11.Assessment, st: s11.StandardSet, period_start: date, who: str
                   ) -> tuple[dict[str, s11.Response], dict[str, s11.Answer], list[tuple[str, str]]]:
    """The partner's answer to each open challenge: "revised" with the new rating, evidence and
    an optional new action, or "kept" with a reason (required). Every challenged standard needs
    one; errors name the field."""
    responses, revised, errors = {}, {}, []
    taken = {x.id for ans in a.answers for x in ans.actions}
    for code in a.challenged():
        ans = a.answer(code)
        title = st.standard(code).title if code in {s.code for s in st.standards} else code
        kind = post.get(f"{code}-response", "").strip()
        reason = post.get(f"{code}-response-reason", "").strip()
        if kind not in ("revised", "kept"):
            errors.append((f"{code}-response", f"{title}: choose whether you revise the answer or keep the rating"))
            continue
        try:
            responses[code] = s11.Response(kind=kind, reason=reason, by=who)
        except ValidationError:
            errors.append((f"{code}-response-reason", f"{title}: give your reason for keeping the rating"))
            continue
        if kind == "kept":
            continue
        rating = post.get(f"{code}-new-rating", "").strip()
        if s11.rating_problem(rating):
            errors.append((f"{code}-new-rating", f"{title}: {s11.rating_problem(rating)}"))
            continue
        actions = list(ans.actions)
        text = post.get(f"{code}-new-action-text", "").strip()
        owner = post.get(f"{code}-new-action-owner", "").strip()
        due_raw = post.get(f"{code}-new-action-due", "").strip()
        if text or owner or due_raw:
            label = f"{title}, new action"
            due, bad = None, False
            if not text:
                errors.append((f"{code}-new-action-text", f"{label}: describe the action"))
                bad = True
            if not owner:
                errors.append((f"{code}-new-action-owner", f"{label}: enter an owner, the person or role who will do it"))
                bad = True
            try:
                due = read_uk_date(due_raw)
            except ValueError as exc:
                errors.append((f"{code}-new-action-due", f"{label}: due date: {exc}"))
                bad = True
            if due and s11.due_problem(due, period_start):
                errors.append((f"{code}-new-action-due", f"{label}: {s11.due_problem(due, period_start)}"))
                bad = True
            if bad:
                continue
            key = s11.next_action_id(a.partner, taken)
            taken.add(key)
            actions.append(s11.ActionItem(id=key, text=text, owner=owner, due=due, raised=a.period))
        revised[code] = ans.model_copy(update={"rating": rating, "actions": actions,
                                               "evidence": post.get(f"{code}-new-evidence", ans.evidence).strip()})
    return responses, revised, errors
