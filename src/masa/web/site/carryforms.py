"""The return page's fields for carried items: a status and reason for each audit action
carried from last year, an answer and explanation for each of last year's priorities.

Django forms validate what is posted (one small form per item, prefixed ``ca-N`` and
``pr-N``); leaving an item unanswered is allowed in a draft, and is the ``carry.unanswered``
check's error, which blocks submission."""

from __future__ import annotations

from django import forms

from masa.returns import Return
from masa.returns.rollover import ANSWER_WORDS, STATUS_WORDS, unanswered

from .entries import fid

MAX_TEXT = 20000
STATUS_CHOICES = [("in-progress", "In progress"), ("done", "Done"), ("dropped", "Dropped")]
ANSWER_CHOICES = [("achieved", "Achieved"), ("partly", "Partly achieved"), ("not-achieved", "Not achieved")]


class CarriedActionForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, widget=forms.RadioSelect,
                               error_messages={"invalid_choice": "Choose in progress, done or dropped"})
    note = forms.CharField(required=False, max_length=MAX_TEXT, strip=True,
                           error_messages={"max_length": f"The reason is too long; the limit is {MAX_TEXT:,} characters"})


class PriorityReviewForm(forms.Form):
    answer = forms.ChoiceField(choices=ANSWER_CHOICES, required=False, widget=forms.RadioSelect,
                               error_messages={"invalid_choice": "Choose achieved, partly achieved or not achieved"})
    explanation = forms.CharField(required=False, max_length=MAX_TEXT, strip=True, error_messages={
        "max_length": f"The explanation is too long; the limit is {MAX_TEXT:,} characters"})


def _clean_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\x00", "")


def read(base: Return, post, add_error) -> dict:
    """The carried items of ``base`` with the posted answers applied (an item whose fields
    were not posted keeps its stored answer); ``add_error(name, message)`` for each problem."""
    return {"carried_actions": _answered(base.carried_actions, CarriedActionForm, "ca", "status", "note",
                                         post, add_error),
            "priority_reviews": _answered(base.priority_reviews, PriorityReviewForm, "pr", "answer", "explanation",
                                          post, add_error)}


def _answered(items: list, form_cls, prefix: str, choice: str, text: str, post, add_error) -> list:
    """Each item with its posted choice and text; invalid or unposted ones keep what was stored."""
    out = []
    for i, item in enumerate(items):
        form = form_cls(post, prefix=f"{prefix}-{i}")
        if f"{prefix}-{i}-{text}" not in post:
            out.append(item)
            continue
        if not form.is_valid():
            for field, msgs in form.errors.items():
                for m in msgs:
                    add_error(f"{prefix}-{i}-{field}", f"{item.text[:80]}: {m}")
            out.append(item)
            continue
        out.append(item.model_copy(update={choice: form.cleaned_data[choice] or None,
                                           text: _clean_text(form.cleaned_data[text])}))
    return out


def post_fields(ret: Return) -> dict:
    """The form fields that reproduce the stored answers (for uploads and merges)."""
    out = {}
    for i, a in enumerate(ret.carried_actions):
        out[f"ca-{i}-note"] = a.note
        if a.status:
            out[f"ca-{i}-status"] = a.status
    for i, p in enumerate(ret.priority_reviews):
        out[f"pr-{i}-explanation"] = p.explanation
        if p.answer:
            out[f"pr-{i}-answer"] = p.answer
    return out


def _value(data, name: str) -> str:
    if data is None:
        return ""
    v = data.get(name, "")
    return (v[-1] if v else "") if isinstance(v, list) else (v or "")


def entries(ret: Return, posted, errors: dict) -> dict:
    """What the template shows for each carried item: the item, its choices, the values as
    posted (after a refused save) or stored, errors, and what is still to answer."""
    data = posted if posted is not None else post_fields(ret)
    missing = {where: message for where, _, message in unanswered(ret)}

    def choices(name, options, current):
        # the first radio carries the field's own id, so the error summary's link lands on it
        return [{"value": v, "label": t, "id": fid(name) if n == 0 else fid(f"{name}-{v}"), "checked": current == v}
                for n, (v, t) in enumerate(options)]

    acts = []
    for i, a in enumerate(ret.carried_actions):
        p = f"ca-{i}"
        status = _value(data, f"{p}-status")
        acts.append({"item": a, "legend_id": fid(f"{p}-legend"), "status_name": f"{p}-status",
                     "status": choices(f"{p}-status", STATUS_CHOICES, status),
                     "status_errors": errors.get(f"{p}-status", []),
                     "note": {"name": f"{p}-note", "id": fid(f"{p}-note"), "value": _value(data, f"{p}-note"),
                              "errors": errors.get(f"{p}-note", [])},
                     "history": [(h.period, STATUS_WORDS[h.status], h.note) for h in a.history],
                     "status_word": STATUS_WORDS.get(a.status or "", "not answered"),
                     "missing": missing.get(f"carried_actions[{i}]", "")})
    revs = []
    for i, r in enumerate(ret.priority_reviews):
        p = f"pr-{i}"
        answer = _value(data, f"{p}-answer")
        revs.append({"item": r, "legend_id": fid(f"{p}-legend"), "answer_name": f"{p}-answer",
                     "answer": choices(f"{p}-answer", ANSWER_CHOICES, answer),
                     "answer_errors": errors.get(f"{p}-answer", []),
                     "explanation": {"name": f"{p}-explanation", "id": fid(f"{p}-explanation"),
                                     "value": _value(data, f"{p}-explanation"),
                                     "errors": errors.get(f"{p}-explanation", [])},
                     "answer_word": ANSWER_WORDS.get(r.answer or "", "not answered"),
                     "missing": missing.get(f"priority_reviews[{i}]", "")})
    return {"actions": acts, "reviews": revs}
