"""Each partnership reviews a shared return on its own.

A partner serving several partnerships submits one return; each partnership then queries,
approves and publishes it separately (``Review`` rows, one per partnership). The return's
own ``status`` is what the partner works from: queried while any partnership has a query
open (so the partner can edit), otherwise the least advanced of the reviews. A partner
serving one partnership has no Review rows, and its return's status is the review's, as
before partnerships were several.

A shared return with no Review rows yet (stored before its partner served a second
partnership, or loaded from files) has its own status in the installation's own (first)
partnership; any other partnership has not approved it, so sees it submitted at most.

What a partnership approved or published is the frozen version it approved or published:
its report builds and public site read that version, so another partnership's query, and
the partner's edits in answer, never change them without its own approval.
"""

from __future__ import annotations

from collections.abc import Collection

from masa.web.memo import per_request

AGREED = ("approved", "published")
ORDER = ["draft", "queried", "submitted", "resubmitted", "approved", "published"]


def serving(row) -> list[str]:
    """Codes of the stored partnerships whose partners include the return's partner."""
    return _serving(row.partner_id)


@per_request
def _serving(partner_id: int) -> list[str]:
    from masa.web.core.models import Partnership
    from masa.web.store import stored_partnerships

    stored = set(stored_partnerships())
    return sorted(c for c in Partnership.objects.filter(partners=partner_id).values_list("code", flat=True)
                  if c in stored)


def shared(row) -> bool:
    return len(serving(row)) > 1


def ensure(row) -> list:
    """The Review rows of a shared return, created (from its current status) when missing."""
    from masa.web.workflow.models import Review

    codes = serving(row)
    if len(codes) <= 1:
        return []
    have = {r.partnership: r for r in Review.objects.filter(ret=row)}
    latest = row.versions.order_by("-number").first()
    home = _home()
    for code in codes:
        if code not in have:
            agreed = row.status in AGREED and code == home
            have[code] = Review.objects.create(ret=row, partnership=code, status=_unreviewed(row.status, code, home),
                                               approved=latest if agreed else None,
                                               published=latest if agreed and row.status == "published" else None)
    return [have[c] for c in codes]


def _home() -> str:
    from masa.web.site.common import default_partnership_code

    return default_partnership_code()


def _unreviewed(status: str, partnership: str, home: str) -> str:
    """A shared return's status for a partnership that has no Review of it yet."""
    return "submitted" if status in AGREED and partnership != home else status


def _sole_partners():
    """Ids of the partners serving one stored partnership (their returns are never shared)."""
    from django.db.models import Count, Q

    from masa.web.core.models import Partner
    from masa.web.store import stored_partnerships

    return (Partner.objects.annotate(n=Count("partnerships", filter=Q(partnerships__code__in=stored_partnerships())))
            .filter(n__lte=1).values("pk"))


def summary(reviews) -> str:
    """The return's own status: queried while any review has a query open, else the least advanced."""
    return min((r.status for r in reviews), key=ORDER.index)


def status_in(row, partnership: str) -> str:
    """The return's status as one partnership's review sees it."""
    from masa.web.workflow.models import Review

    review = Review.objects.filter(ret=row, partnership=partnership).only("status").first()
    if review is not None:
        return review.status
    home = _home()
    if partnership == home or row.status not in AGREED or not shared(row):
        return row.status
    return _unreviewed(row.status, partnership, home)


def statuses_in(rows, partnership: str) -> dict[int, str]:
    """``status_in`` of many returns at once (row id -> status), in three queries however
    many rows: their reviews here, and which stored partnerships their partners serve."""
    from masa.web.core.models import Partnership
    from masa.web.store import stored_partnerships
    from masa.web.workflow.models import Review

    rows = list(rows)
    reviewed = dict(Review.objects.filter(partnership=partnership, ret_id__in=[r.pk for r in rows])
                    .order_by("ret_id", "id").values_list("ret_id", "status"))
    home, stored = _home(), set(stored_partnerships())
    serves: dict[int, set[str]] = {}
    for partner_id, code in (Partnership.partners.through.objects
                             .filter(partner_id__in={r.partner_id for r in rows})
                             .values_list("partner_id", "partnership__code")):
        if code in stored:
            serves.setdefault(partner_id, set()).add(code)
    out = {}
    for r in rows:
        if r.pk in reviewed:
            out[r.pk] = reviewed[r.pk]
        elif partnership == home or r.status not in AGREED or len(serves.get(r.partner_id, ())) <= 1:
            out[r.pk] = r.status
        else:
            out[r.pk] = _unreviewed(r.status, partnership, home)
    return out


def statuses(row) -> list[dict]:
    """One status per partnership the partner serves (for the partner's return page)."""
    from masa.web.partnerships import stored
    from masa.web.workflow.models import Review

    codes = serving(row)
    if len(codes) <= 1:
        return []
    names = stored()
    have = {r.partnership: r for r in Review.objects.filter(ret=row)}
    home = _home()
    return [{"code": c, "name": names.get(c, c),
             "status": have[c].status if c in have else _unreviewed(row.status, c, home),
             "published": bool(have[c].published_id) if c in have else (row.status == "published" and c == home)}
            for c in codes]


def filter_rows(rows, partnership: str, wanted: Collection[str]):
    """``rows`` (Returns) in one of the ``wanted`` statuses for ``partnership``: a shared return
    by its review there (one with a published version counts as published, one with an approved
    version as approved, whatever it is being asked since); any other by its own status."""
    from django.db.models import Q

    from masa.web.workflow.models import Review

    wanted = list(wanted)
    mine = Review.objects.filter(partnership=partnership)
    match = Q(status__in=wanted)
    if "published" in wanted:
        match |= Q(published__isnull=False)
    if "approved" in wanted:
        match |= Q(approved__isnull=False)
    if partnership == _home():
        unreviewed = Q(status__in=wanted)
    else:  # another partnership has not approved a shared return it has no Review of
        unreviewed = (Q(status__in=wanted, partner_id__in=_sole_partners())
                      | Q(status__in=[s for s in wanted if s not in AGREED]))
        if "submitted" in wanted:
            unreviewed |= Q(status__in=AGREED)
    return rows.filter(Q(pk__in=mine.filter(match).values("ret_id"))
                       | (unreviewed & ~Q(pk__in=mine.values("ret_id"))))


def as_seen_by(dataset, partnership: str, public: Collection[str] | None):
    """The dataset with each shared return as ``partnership`` sees it: its review's status and,
    for a public read (``public``: the statuses read, within approved and published), the
    content of a version it agreed to, never the partner's later edits: the version it
    published for a read of published returns only (the public site, its CSV and API), so
    approving a newer version changes nothing public until that one is published too; the
    newest it approved or published for a read that takes approved ones (a build).
    Figures of other periods attached by the store stay."""
    from masa.returns import Return as PlainReturn
    from masa.web.workflow.models import Review

    keys = {(r.partner, r.period, r.template) for r in dataset.returns}
    if not keys:
        return dataset
    reviews = {(v.ret.partner.code, v.ret.period.code, v.ret.template.code): v for v in
               Review.objects.filter(partnership=partnership, ret__period__code__in={k[1] for k in keys})
               .select_related("ret__partner", "ret__period", "ret__template", "approved", "published")}
    home, sole = _home(), None
    out = []
    for ret in dataset.returns:
        review = reviews.get((ret.partner, ret.period, ret.template))
        if review is None:
            if partnership != home and ret.status in AGREED:
                if sole is None:
                    from masa.web.core.models import Partner

                    sole = set(Partner.objects.filter(pk__in=_sole_partners()).values_list("code", flat=True))
                if ret.partner not in sole:
                    ret = ret.model_copy(update={"status": _unreviewed(ret.status, partnership, home)})
            out.append(ret)
            continue
        version, status = None, review.status
        if public:
            if "approved" in public and review.status == "approved" and review.approved is not None:
                version = review.approved
            elif review.published is not None:
                version, status = review.published, "published"
            elif "approved" in public and review.approved is not None:
                version, status = review.approved, "approved"
        out.append(_frozen(ret, version, status, PlainReturn))
    return dataset.model_copy(update={"returns": out})


def _frozen(ret, version, status: str, model):
    if version is None:
        return ret.model_copy(update={"status": status})
    frozen = model.model_validate(version.content).model_copy(update={"status": status})
    own = {(v.indicator, v.period, tuple(sorted(v.by.items()))) for v in frozen.values}
    history = [v for v in ret.values if (v.period or ret.period) != ret.period
               and (v.indicator, v.period, tuple(sorted(v.by.items()))) not in own]
    return frozen.model_copy(update={"values": [*frozen.values, *history]})


def published_ids(partnership: str, periods: Collection[str] | None = None) -> set[int]:
    """Ids of the returns the partnership has published (of those periods)."""
    from masa.web.accounts.access import in_partnership
    from masa.web.core.models import Return

    rows = in_partnership(Return.objects.all(), partnership)
    if periods is not None:
        rows = rows.filter(period__code__in=list(periods))
    return set(filter_rows(rows, partnership, {"published"}).values_list("pk", flat=True))
