"""API endpoints. Payloads are validated by pydantic schemas and the spec; every problem is
returned as a specific message (422), never a 500."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from masa.returns import DataValue, Provenance
from masa.web import store
from masa.web.accounts import access
from masa.web.accounts.models import ApiToken, digest
from masa.web.core.models import Return
from masa.web.site import common, public, saving, scoped
from masa.web.site.returnform import read_form


class Token(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        row = ApiToken.objects.select_related("user").filter(digest=digest(token), user__is_active=True).first()
        if row is None:
            return None
        request.user = row.user
        return row.user


api = NinjaAPI(title="masa API", version="1", urls_namespace="api", docs_url=None)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    msgs = []
    for e in exc.errors:
        where = ".".join(str(x) for x in e.get("loc", []) if x not in ("body", "payload"))
        msgs.append(f"{where or 'body'}: {e.get('msg', 'invalid')}")
    return api.create_response(request, {"detail": msgs}, status=422)


class Figure(Schema):
    partner: str
    indicator: str
    unit: str
    period: str
    breakdown: dict[str, str]
    value: float | str | None  # "c" when suppressed, null when not recorded


class FigureIn(Schema):
    indicator: str = Field(min_length=1, max_length=64)
    breakdown: dict[str, str] = {}
    value: float | None = Field(allow_inf_nan=False, ge=-1e12, le=1e12)


class FiguresIn(Schema):
    lock_version: int
    figures: list[FigureIn] = Field(max_length=2000)


class SaveOut(Schema):
    lock_version: int
    figures: int


@api.get("/published/periods", response=list[str], tags=["published"])
def published_periods(request):
    """The request's partnership's years with published figures (a withdrawn one is not listed)."""
    return [p for p in public.published_periods() if public.withdrawal(p) is None]


@api.get("/published/{period}/figures", response=list[Figure], tags=["published"])
def published_figures(request, period: str):
    try:
        pub = public.published(period)
    except Http404:
        raise HttpError(404, f"nothing is published for period {period!r}") from None
    if pub.withheld:
        raise HttpError(503, pub.withheld)
    return [{"partner": f.partner, "indicator": f.indicator, "unit": f.unit, "period": f.period,
             "breakdown": f.by, "value": f.value} for f in pub.figures]


def _own(request, return_id: int):
    try:
        return access.return_for(request.auth, return_id)
    except Http404:
        raise HttpError(404, f"no return {return_id} that this token can see") from None


@api.get("/returns/{return_id}", auth=Token(), tags=["returns"])
def get_return(request, return_id: int):
    row = _own(request, return_id)
    # a business unit's or scrutineer's token reads only its partnership's scope of the return
    data = scoped.for_reader(request.auth, common.spec(), row, store.return_from_row(row)).model_dump(mode="json")
    data["lock_version"] = row.lock_version
    return data


@api.put("/returns/{return_id}/figures", auth=Token(), response={200: SaveOut}, tags=["returns"])
def put_figures(request, return_id: int, payload: FiguresIn):
    row = _own(request, return_id)
    if not access.can_edit(request.auth, row):
        raise HttpError(409, f"return {return_id} is {row.status}; only draft or queried returns can be changed")
    spec = common.spec()
    if not any(s.kind == "figures" for s in spec.template(row.template.code).sections):
        raise HttpError(422, f"return {return_id} uses the {row.template.code} template, which has no figures section")
    base = store.return_from_row(row)
    post: dict = {}
    from masa.web.site.returnform import by_key, fmt
    from masa.web.site.formdata import FormView as _FormView
    from masa.web.site.formdata import request_post_from

    known = {i.code for i in spec.indicators}
    problems = []
    for n, f in enumerate(payload.figures):
        if f.indicator not in known:
            problems.append(f"figures.{n}.indicator: unknown indicator {f.indicator!r}")
        post[f"fig|{f.indicator}|{by_key(f.breakdown)}"] = fmt(f.value)
    if problems:
        raise HttpError(422, "; ".join(problems))
    cur = {f"fig|{v.indicator}|{by_key(v.by)}": fmt(v.value) for v in base.values if (v.period or base.period) == base.period}
    cur.update(post)
    result = read_form(spec, base, _FormView(request_post_from(base, spec), cur), request.auth.username)
    if result.errors:
        raise HttpError(422, "; ".join(f"{k.replace('fig|', '')}: {m}" for k, ms in result.errors.items() for m in ms))
    try:
        lock = saving.save_return(row, result.ret, payload.lock_version, request.auth)
    except store.FigureOwned as exc:
        raise HttpError(409, "; ".join(msg for _, msg in exc.problems)) from None
    except saving.Conflict:
        raise HttpError(409, "someone else saved this return since lock_version "
                             f"{payload.lock_version}; fetch it again and reapply your changes") from None
    return {"lock_version": lock, "figures": len(payload.figures)}


_ = (DataValue, Provenance, Return)
