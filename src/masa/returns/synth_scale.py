"""A seeded synthetic multi-partnership dataset for scale tests (issue 15, part 5): no real people.

Three partnerships, one fictional area each (Northmoor, Southvale, Eastbrook), share the
partners that serve all three (police, fire, the ICB, NHS trusts, charities); every other
partner serves one area. With the defaults there are 40 partners, 5 financial years, and for
each partner and year a yearly return (Appendix B, narrative and yearly figures), a voice of
the child return (Appendix C) and four quarterly figures returns, so the year's flows, stocks
and percentages are made from the quarters (masa.returns.quarters).

Each partnership is written as a folder that ``masa load`` and ``masa demo --example`` read
(``spec/`` and ``returns/``); as in the Pan-Bedfordshire example, the shared partners'
returns are written once, in the first partnership's folder, so load that one first.

The narrative is assembled from synthetic phrases (no names of people, no addresses), and
the few sentences that state a figure state the stored one, with the change on the year
before computed, so the checks find what a real year would give, not hundreds of slips.
Plain Python, no Django. Same seed and sizes: the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from masa.spec.models import Spec
from masa.spec.writer import write_spec
from masa.spec.yamlwrite import dump_yaml

from .model import Return

AREAS = [("northmoor", "Northmoor"), ("southvale", "Southvale"), ("eastbrook", "Eastbrook")]
QUARTERLY_TEMPLATE = "quarterly-figures"

# (code, name, short name, type, statutory): partners that serve every area
SHARED = [
    ("police", "Three Counties Police", "TC Police", "police", True),
    ("icb", "Three Counties Integrated Care Board", "TC ICB", "icb", True),
    ("fire", "Three Counties Fire and Rescue Service", "TC Fire", "fire-and-rescue", False),
    ("acute", "Three Counties Hospitals NHS Foundation Trust", "TC Hospitals", "nhs-trust", False),
    ("community", "Three Counties Community Health NHS Trust", "TC Community Health", "nhs-trust", False),
    ("mental-health", "Three Counties Mental Health NHS Foundation Trust", "TC Mental Health", "nhs-trust", False),
    ("ambulance", "Regional Ambulance Service NHS Trust", "Regional Ambulance", "nhs-trust", False),
    ("probation", "Regional Probation Service", "Probation", "other", False),
    ("children-charity", "Children First Charity", "Children First", "charity", False),
    ("family-charity", "Family Support Network", "Family Support", "charity", False),
    ("housing-association", "Three Counties Homes", "TC Homes", "other", False),
    ("sexual-health", "Three Counties Sexual Health Service", "Sexual Health", "nhs-trust", False),
    ("victim-service", "Regional Victim Support Service", "Victim Support", "charity", False),
    ("college", "Three Counties Further Education College", "TC College", "education", False),
    ("transport-police", "Regional Transport Police", "Transport Police", "police", False),
    ("immigration", "Regional Border and Immigration Team", "Border Team", "other", False),
]
# (suffix, name, short name, type, statutory): one of each per area
LOCAL = [
    ("childrens", "{area} Council Children's Services", "{area} Children's Services", "local-authority", True),
    ("education", "{area} Council Education and Inclusion", "{area} Education", "education", False),
    ("youth-justice", "{area} Youth Justice Service", "{area} YJS", "youth-justice", False),
    ("early-help", "{area} Early Help and Family Hubs", "{area} Family Hubs", "local-authority", False),
    ("housing", "{area} Council Housing Options", "{area} Housing", "local-authority", False),
    ("drugs-alcohol", "{area} Young People's Drug and Alcohol Service", "{area} Drug and Alcohol", "charity", False),
    ("domestic-abuse", "{area} Domestic Abuse Service", "{area} Domestic Abuse", "charity", False),
    ("schools-forum", "{area} Schools Safeguarding Forum", "{area} Schools Forum", "education", False),
]

PRIORITIES = [
    {"code": "neglect", "name": "Neglect"},
    {"code": "exploitation", "name": "Exploitation", "aliases": ["child exploitation"]},
    {"code": "domestic-abuse", "name": "Domestic abuse"},
    {"code": "mental-health", "name": "Mental health and emotional wellbeing"},
    {"code": "think-family", "name": "Think Family", "kind": "theme"},
    {"code": "voice-of-the-child", "name": "Voice of the child", "kind": "theme"},
]

INDICATORS = [
    {"code": "referrals_made", "name": "Safeguarding referrals made", "unit": "count", "breakdowns": ["area"],
     "aggregation": "sum"},
    {"code": "missing_episodes", "name": "Missing episodes reported", "unit": "count", "breakdowns": ["area"],
     "direction": "lower_is_better", "priorities": ["exploitation"], "aggregation": "sum"},
    {"code": "children_on_plans", "name": "Children on child protection plans at the period end", "unit": "count",
     "breakdowns": ["area"], "aggregation": "end", "priorities": ["neglect"]},
    {"code": "rhi_due", "name": "Return home interviews due", "unit": "count", "breakdowns": ["area"],
     "aggregation": "sum"},
    {"code": "rhi_held", "name": "Return home interviews held within 72 hours", "unit": "count",
     "breakdowns": ["area"], "aggregation": "sum"},
    {"code": "rhi_timely", "name": "Return home interviews held within 72 hours", "unit": "percent",
     "breakdowns": ["area"], "direction": "higher_is_better", "aggregation": "ratio", "numerator": "rhi_held",
     "denominator": "rhi_due", "priorities": ["exploitation"]},
    {"code": "training_sessions", "name": "Safeguarding training sessions delivered", "unit": "count",
     "breakdowns": ["area"], "aggregation": "sum"},
    {"code": "training_attendance", "name": "Attendances at safeguarding training", "unit": "count",
     "breakdowns": ["area"], "aggregation": "sum"},
    {"code": "training_compliance", "name": "Safeguarding training compliance", "unit": "percent",
     "breakdowns": ["area"], "direction": "higher_is_better", "target": {"value": 90, "direction": "at_least"},
     "rag": {"amber_within": 5}, "description": "Staff whose required training is in date at the year end."},
]
QUARTERLY_INDICATORS = ("referrals_made", "missing_episodes", "children_on_plans", "rhi_due", "rhi_held")
RULES = [
    {"code": "percent-at-most-100", "description": "A percentage cannot exceed 100", "left": "value", "op": "<=",
     "right": "100", "severity": "error", "applies_to": {"unit": "percent"}},
    {"code": "value-not-negative", "description": "Counts cannot be negative", "left": "value", "op": ">=",
     "right": "0", "severity": "error", "applies_to": {"unit": "count"}},
    {"code": "training-below-target", "description": "Training compliance is below the 90% target", "left": "value",
     "op": ">=", "right": "90", "severity": "query", "applies_to": {"indicators": ["training_compliance"]}},
]
TEMPLATES = [
    {"code": "appendix-b", "name": "Partners Safeguarding Snapshot", "appendix": "B",
     "heading_suffix": "achievements and impact",
     "sections": [
         {"code": "achievements", "title": "Achievements and impact", "kind": "narrative", "required": True},
         {"code": "figures", "title": "Figures", "kind": "figures"},
         {"code": "training", "title": "Training", "kind": "narrative"},
         {"code": "highlights", "title": "Key highlights", "kind": "highlights"},
         {"code": "audits", "title": "Audits", "kind": "audits"},
         {"code": "challenges", "title": "Barriers and challenges", "kind": "challenges"},
         {"code": "next-year", "title": "Priorities for next year", "kind": "next_year"}]},
    {"code": "appendix-c", "name": "Partners Voice of the Child Snapshot", "appendix": "C",
     "question": "How has your agency used the feedback of children, young people and families?",
     "sections": [{"code": "voice", "title": "Feedback and how it was used", "kind": "voice", "required": True},
                  {"code": "case-studies", "title": "Case studies", "kind": "case_studies"}]},
    {"code": QUARTERLY_TEMPLATE, "name": "Quarterly figures", "frequency": "quarterly",
     "sections": [{"code": "figures", "title": "Figures", "kind": "figures"}]},
]
VOCABULARY = ["TC", "ICB", "YJS", "NHS", "MASH", "CSPR", "CSPRs", "LADO", "SEND"]

# Synthetic phrases. No names of people, no addresses, no ages: the narrative checks read these.
# Slots ({team}, {when}, {concern}, ...) are filled per partner and year, so two partners'
# paragraphs differ as real ones do, and the duplicate-passage check has nothing to find.
WHEN = ["In the spring", "From the autumn", "Since the summer", "Over the winter", "Early in the year",
        "Later in the year", "In the first half of the year", "Towards the year end", "From the second quarter",
        "Since the start of the year"]
TEAMS = {
    "police": ["officers", "response teams", "neighbourhood officers", "the public protection unit", "detectives"],
    "icb": ["designated nurses", "primary care colleagues", "the safeguarding team", "commissioners"],
    "fire-and-rescue": ["crews", "prevention staff", "station managers", "home safety advisers"],
    "nhs-trust": ["ward staff", "health visitors", "school nurses", "the named nurses", "midwives", "clinicians"],
    "local-authority": ["social workers", "family support workers", "team managers", "the front door team",
                        "early help practitioners"],
    "youth-justice": ["case managers", "youth workers", "the prevention team", "the out-of-court panel"],
    "education": ["designated safeguarding leads", "school staff", "tutors", "pastoral teams"],
    "charity": ["volunteers", "project workers", "support workers", "group facilitators"],
    "other": ["caseworkers", "housing officers", "frontline staff", "duty managers"],
}
OPENERS = [
    "This year we concentrated on {topic}.",
    "Our main piece of work this year was on {topic}.",
    "Much of our effort went into {topic}, which remains a partnership priority.",
    "We made steady progress on {topic}, although there is more to do.",
    "Work on {topic} moved from planning into everyday practice for {team}.",
    "Building on last year, we strengthened our approach to {topic}.",
    "{when} we reviewed how {team} respond to {topic}.",
    "Our plan for {topic} set out three aims: earlier help, clearer plans and better recording.",
]
ACTIONS = [
    "{when} a new screening tool began to help {team} recognise {concern} earlier.",
    "Joint visits with colleagues from other agencies are now routine for {team} where {concern} is suspected.",
    "We rewrote our guidance on {concern} with {team} and tested it in two teams first.",
    "A monthly case discussion gives {team} time to reflect on {concern}.",
    "Supervision for {team} now includes a standing question on {concern}.",
    "{when} we set up a single point of contact for partners with worries about {concern}.",
    "Managers review every new case involving {concern} within five working days.",
    "Our recording system now prompts {team} to note {concern} and who was told.",
    "We trained team leaders to coach {team} on {concern}.",
    "A short practice guide on {concern} was shared with {team}.",
    "{when} {team} joined a multi-agency workshop on {concern}.",
    "We agreed with partners how {team} should escalate concerns about {concern}.",
]
IMPACTS = [
    "{team_cap} tell us they feel more confident to act.",
    "Families describe the help as quicker and easier to understand.",
    "Fewer cases now wait for a decision at the front door.",
    "Audits show clearer plans with actions that families can follow.",
    "Information now reaches the right team on the same day more often.",
    "{team_cap} say the joint approach saves repeated assessments.",
    "Feedback from schools shows they know whom to contact and when.",
    "Referrals arrive with more of the information needed to decide next steps.",
    "The change is early, and we will test its effect in next year's audit.",
]
TOPICS = {
    "neglect": ("neglect", "signs of neglect"),
    "exploitation": ("child exploitation", "exploitation outside the home"),
    "domestic-abuse": ("domestic abuse", "the effect of domestic abuse on children"),
    "mental-health": ("children's mental health", "low mood and self-harm"),
}
TRAINING = [
    "Training was offered online and face to face so that {team} working shifts could attend.",
    "New starters complete their safeguarding training within their first month.",
    "Refresher sessions now use short case scenarios drawn from local reviews.",
    "Managers receive a monthly list of {team} whose training is due.",
    "{when} a short course on professional curiosity was added to the programme.",
    "Sessions were evaluated, and most attendees rated them useful for their practice.",
    "{team_cap} asked for more on information sharing, so a session on it was added.",
    "{when} we moved the level three course to shorter sessions spread over two weeks.",
    "Compliance is reported to the senior leadership team every quarter, team by team.",
    "{team_cap} took part in multi-agency sessions run by the partnership.",
    "A learning briefing followed each local review and was discussed in team meetings by {team}.",
    "{when} we checked that agency staff and volunteers had the same training as permanent {team}.",
]
HIGHLIGHTS = [
    ("A joint panel for young people at risk outside the home", "Plans are agreed in one meeting rather than several."),
    ("A shared referral form for all teams", "Partners receive complete referrals and respond sooner."),
    ("Drop-in sessions for parents in family hubs", "Parents seek help earlier and in a familiar place."),
    ("An out-of-hours advice line for professionals", "Staff working evenings can get advice when they need it."),
    ("A peer review of safeguarding supervision", "Supervision records now show clearer decisions."),
    ("A quick guide for practitioners on information sharing", "Staff share concerns with confidence."),
]
AUDIT_TITLES = ["Quality of referrals", "Recording of the child's views", "Supervision records",
                "Timeliness of strategy discussions", "Use of the neglect toolkit", "Follow-up after missing episodes"]
FINDINGS = [
    "Most records showed a clear reason for the referral.",
    "The child's views were recorded in most but not all cases.",
    "Some plans lacked dates for review.",
    "Managers' decisions were recorded but the reasons were sometimes brief.",
    "Information from other agencies was not always added to the record.",
]
ACTIONS_TEXT = [
    "Add a prompt for review dates to the plan template.",
    "Run a short briefing on recording the child's views.",
    "Repeat the audit in six months to test the change.",
    "Share good examples of recorded reasons with every team.",
]
CHALLENGES = [
    "Recruiting experienced staff remained difficult, and vacancies slowed some work.",
    "Demand rose faster than capacity in the busiest months.",
    "Different recording systems across agencies make sharing information slower than it should be.",
    "Some families were reluctant to engage with early help, and reaching them took time.",
]
NEXT_YEAR = [
    "Embed the new screening tool across every team.",
    "Improve how we record what children tell us.",
    "Work with partners on a shared approach to exploitation.",
    "Review our training offer against the findings of local reviews.",
    "Strengthen the link between adult and children's services.",
]
VOICE = [
    "Children and young people told us they want to be listened to and kept informed.",
    "{when} we asked families for feedback at the end of our involvement, on paper or online.",
    "A young people's advisory group reviewed our leaflets and helped rewrite them in plain language.",
    "Parents said they valued being seen by the same worker each time, so we changed how cases are allocated.",
    "Feedback showed that some children did not know why we were involved, so {team} now explain this at the first visit.",
    "Young people helped to interview candidates for practitioner posts.",
    "We ran short surveys in waiting areas and shared the results with {team} and families.",
    "{when} {team} started ending each contact by asking what had helped and what had not.",
    "Children said they wanted fewer meetings and more time with a worker they trust.",
    "We now report back to families on what changed because of their feedback.",
    "{when} {team} tried a short text survey after each visit, and more families replied than to the paper form.",
    "Young carers told {team} that appointments clashed with school, so later slots are now offered.",
    "Parents asked for written plans in plain words; {team} now leave a one-page summary after each meeting.",
    "A group of young people reviewed our website and asked for clearer information on how to get help.",
    "{team_cap} now record the child's own words in the assessment, not only a summary of them.",
    "{when} we held listening sessions with parents who had been through child protection processes.",
    "Children with additional needs gave their views through pictures and symbols, supported by {team}.",
    "Families told us that being passed between services was tiring; {team} now make warm introductions instead.",
]
REFERRAL_FORMS = [
    "In {year} we made {n} safeguarding referrals in {area}",
    "{team_cap} made {n} safeguarding referrals about children in {area} in {year}",
    "Our safeguarding referrals in {area} numbered {n} in {year}",
    "During {year}, {team} in {area} made {n} safeguarding referrals",
]
WHY_UP = ["We think the rise reflects better recognition of {concern} by {team}.",
          "Part of the increase followed briefings for {team} on when to refer.",
          "More of these referrals came from {team} after the new guidance.",
          "The increase was highest in the winter months and is being looked at with partners."]
WHY_DOWN = ["The fall follows more help offered early through family hubs.",
            "Fewer referrals were needed once {team} could seek advice before referring.",
            "We are checking with partners that the lower figure does not mean missed concerns.",
            "Consultation calls now settle some worries without a formal referral."]
CASE_STARTS = [
    "A young person was referred after {team} noticed changes in their behaviour.",
    "A parent asked {team} for help after a difficult period at home.",
    "Concerns were raised when a young person missed several appointments.",
    "A school shared worries about a pupil who seemed withdrawn.",
    "{when} {team} became worried about a family who had stopped answering calls.",
    "A young carer told {team} that things at home had become too much.",
]
CASE_MIDDLES = [
    "Agencies met within a week, agreed one plan and one lead worker, and kept the family informed.",
    "Meetings moved to the family home, which made it easier for everyone to attend.",
    "The young person was offered a worker they already knew, and a safety plan was agreed with their carers.",
    "The worker explained each step and checked what the family wanted to happen.",
    "{team_cap} arranged a meeting with the school and the family together and agreed small, clear steps.",
    "A lead worker was named, and {team} kept in touch weekly while the plan was new.",
]
CASE_ENDS = [
    "The family said they knew who to call when things were hard.",
    "The plan ended with the family's agreement and no further referral since.",
    "The young person returned to full-time education.",
    "The family now attends a local group and says they feel less alone.",
    "The young person said that being listened to made the difference.",
    "Attendance at school improved over the following term.",
]
CASE_TITLES = ["Working together earlier", "Listening to a family", "Support after going missing",
               "One plan, one worker", "Help closer to home"]


@dataclass
class ScaleSummary:
    """What :func:`generate` wrote."""

    folders: list[Path] = field(default_factory=list)  # one per partnership, the shared partners' one first
    partnerships: list[str] = field(default_factory=list)
    partners: int = 0
    years: list[str] = field(default_factory=list)
    returns: int = 0
    values: int = 0


def financial_years(n: int, last: str = "2024-25") -> list[str]:
    end = int(last[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(end - n + 1, end + 1)]


def _partners(n_partners: int) -> tuple[list[dict], dict[str, list[dict]]]:
    """Shared partners and each area's own, ``n_partners`` in all (at least one local per area)."""
    n_local = max(1, n_partners // 5)  # 40 partners: 16 shared, 8 in each area
    while n_partners - n_local * len(AREAS) > len(SHARED):
        n_local += 1
    n_shared = n_partners - n_local * len(AREAS)
    shared = [{"code": c, "name": n, "short_name": s, "type": t, "statutory": st, "areas": [a for a, _ in AREAS]}
              for c, n, s, t, st in SHARED[:n_shared]]
    local = {a: [{"code": f"{a}-{suf}", "name": n.format(area=name), "short_name": s.format(area=name), "type": t,
                  "statutory": st, "areas": [a]} for suf, n, s, t, st in LOCAL[:n_local]] for a, name in AREAS}
    return shared, local


def build_spec(code: str, area: str, area_name: str, partners: list[dict], years: list[str]) -> Spec:
    return Spec.model_validate({
        "partnership": {"code": code, "name": f"{area_name} Safeguarding Children Partnership",
                        "short_name": f"{area_name[0]}SCP", "areas": [area], "report_title": "Yearly Report"},
        "areas": [{"code": a, "name": n, "aliases": [f"{n} Council"]} for a, n in AREAS],
        "partners": partners,
        "periods": {"financial_years": years, "quarters": True, "current": years[-1]},
        "priorities": PRIORITIES,
        "breakdowns": [{"code": "area", "name": "Local authority", "from_areas": True}],
        "indicators": INDICATORS,
        "templates": TEMPLATES,
        "rules": RULES,
        "vocabulary": VOCABULARY,
    })


def _indicators_for(partner: dict) -> list[str]:
    """The quarterly indicators a partner reports: children's services report plans and return
    interviews, the police and children's services missing episodes; everyone referrals."""
    out = ["referrals_made"]
    if partner["type"] == "police" or partner["code"].endswith("-childrens"):
        out.append("missing_episodes")
    if partner["code"].endswith("-childrens"):
        out += ["children_on_plans", "rhi_due", "rhi_held"]
    return out


def _base(rng: random.Random, ind: str, partner: dict) -> float:
    scale = {"local-authority": 3.0, "police": 2.5, "nhs-trust": 1.5, "icb": 0.6}.get(partner["type"], 0.6)
    return {"referrals_made": 60, "missing_episodes": 35, "children_on_plans": 90, "rhi_due": 30,
            "rhi_held": 0}[ind] * scale * rng.uniform(0.7, 1.3)


def _change(old: float, new: float, prev: str) -> str:
    """'up 37 (9.9%) on 2023-24', computed as the checks compute it."""
    diff = new - old
    if diff == 0 or old == 0:
        return f"the same as in {prev}"
    word = "up" if diff > 0 else "down"
    return f"{word} {abs(diff):g} ({abs(diff) / old * 100:.1f}%) on {prev}"


class _Writer:
    def __init__(self, seed: int, n_partners: int, n_years: int, last_year: str):
        self.rng = random.Random(seed)
        self.years = financial_years(n_years, last_year)
        self.shared, self.local = _partners(n_partners)
        self.summary = ScaleSummary(years=self.years)
        self.yearly_totals: dict[tuple[str, str, str], float] = {}  # (partner, area, year) -> referrals

    def text(self, pool: list[str], k: int, partner: dict | None = None, **fill) -> list[str]:
        """``k`` different sentences of ``pool``, each with its own team and time filled in."""
        out = []
        for s in self.rng.sample(pool, min(k, len(pool))):
            team = self.rng.choice(TEAMS[partner["type"]] if partner else TEAMS["other"])
            out.append(s.format(team=team, team_cap=team[0].upper() + team[1:], when=self.rng.choice(WHEN), **fill))
        return out

    def returns_for(self, partner: dict) -> list[Return]:
        rng = self.rng
        areas = partner["areas"]
        inds = _indicators_for(partner)
        base = {(i, a): _base(rng, i, partner) for i in inds for a in areas}
        trend = {(i, a): rng.uniform(-0.08, 0.1) for i in inds for a in areas}
        compliance = {a: {"pct": rng.uniform(88, 96), "sessions": rng.randint(10, 40)} for a in areas}
        out: list[Return] = []
        for yi, year in enumerate(self.years):
            status = "submitted" if year == self.years[-1] else "approved"
            year_ref: dict[str, float] = {}
            for qn in (1, 2, 3, 4):
                values = []
                for ind in inds:
                    for a in areas:
                        level = base[(ind, a)] * (1 + trend[(ind, a)]) ** (yi + qn / 4)
                        if ind == "rhi_held":
                            due = next(v["value"] for v in values if v["indicator"] == "rhi_due" and v["by"]["area"] == a)
                            v = round(due * rng.uniform(0.6, 0.95))
                        else:
                            v = max(0, round(level * rng.uniform(0.85, 1.15)))
                        values.append({"indicator": ind, "by": {"area": a}, "value": v})
                        if ind == "referrals_made":
                            year_ref[a] = year_ref.get(a, 0) + v
                out.append(Return.model_validate({"partner": partner["code"], "period": f"{year} Q{qn}",
                                                  "template": QUARTERLY_TEMPLATE, "status": status, "values": values}))
            for a in areas:
                self.yearly_totals[(partner["code"], a, year)] = year_ref[a]
            out.append(self._yearly(partner, year, yi, status, year_ref, compliance))
            out.append(self._voice(partner, year, status))
        return out

    def _yearly(self, partner, year, yi, status, year_ref, compliance) -> Return:
        rng = self.rng
        areas = partner["areas"]
        prios = rng.sample(list(TOPICS), 2)
        sections = []
        for p in prios:
            topic, concern = TOPICS[p]
            sections.append({"section": "achievements", "heading": topic[0].upper() + topic[1:],
                             "priorities": [p],
                             "text": " ".join(self.text(OPENERS, 1, partner, topic=topic)
                                              + self.text(ACTIONS, rng.randint(2, 3), partner, concern=concern)
                                              + self.text(IMPACTS, 1, partner))})
        forms = rng.sample(REFERRAL_FORMS, len(areas)) if len(areas) <= len(REFERRAL_FORMS) else \
            [rng.choice(REFERRAL_FORMS) for _ in areas]
        for a, form in zip(areas, forms):  # one part per area that states the area's yearly referrals
            name = dict(AREAS)[a]
            now = year_ref[a]
            team = rng.choice(TEAMS[partner["type"]])
            sentence = form.format(year=year, n=f"{now:g}", area=name, team=team, team_cap=team[0].upper() + team[1:])
            concern = TOPICS[rng.choice(list(TOPICS))][1]
            more = " " + " ".join(self.text(ACTIONS, 1, partner, concern=concern) + self.text(IMPACTS, 1, partner))
            text = sentence + "." + more
            if yi:
                prev = self.years[yi - 1]
                old = self.yearly_totals[(partner["code"], a, prev)]
                why = rng.choice(WHY_UP if now > old else WHY_DOWN).format(
                    team=rng.choice(TEAMS[partner["type"]]), concern=TOPICS[rng.choice(list(TOPICS))][1])
                text = f"{sentence}, {_change(old, now, prev)}. {why}{more}"
            sections.append({"section": "achievements", "heading": f"Referrals in {name}", "areas": [a],
                             "priorities": ["think-family"], "text": text})
        sections.append({"section": "training", "text": " ".join(self.text(TRAINING, 3, partner))})
        values = []
        for a in areas:
            c = compliance[a]
            c["pct"] = min(98.0, max(84.0, c["pct"] + rng.uniform(-1.5, 1.8)))
            c["sessions"] = max(6, round(c["sessions"] * rng.uniform(0.9, 1.15)))
            values.append({"indicator": "training_compliance", "by": {"area": a}, "value": round(c["pct"], 1)})
            values.append({"indicator": "training_sessions", "by": {"area": a}, "value": c["sessions"]})
            values.append({"indicator": "training_attendance", "by": {"area": a},
                           "value": round(c["sessions"] * rng.uniform(9, 14))})
        title = rng.choice(AUDIT_TITLES)
        done = year != self.years[-1]
        audits = [{"title": title, "findings": self.text(FINDINGS, 2), "priorities": [prios[0]],
                   "actions": [{"text": t, "status": "done" if done else "open"} for t in self.text(ACTIONS_TEXT, 2)]}]
        h = rng.choice(HIGHLIGHTS)
        return Return.model_validate({
            "partner": partner["code"], "period": year, "template": "appendix-b", "status": status,
            "sections": sections, "values": values, "audits": audits,
            "highlights": [{"delivered": h[0], "impact": h[1]}],
            "challenges": [{"text": rng.choice(CHALLENGES), "priorities": [prios[1]]}],
            "next_year": [{"text": t} for t in self.text(NEXT_YEAR, 2)],
        })

    def _voice(self, partner, year, status) -> Return:
        rng = self.rng
        said = self.text(VOICE, 6, partner)
        study = " ".join([*self.text(CASE_STARTS, 1, partner), *self.text(CASE_MIDDLES, 2, partner),
                          rng.choice(CASE_ENDS)])
        return Return.model_validate({
            "partner": partner["code"], "period": year, "template": "appendix-c", "status": status,
            "voice": " ".join(said[:3]) + "\n\n" + " ".join(said[3:]) + "\n",
            "case_studies": [{"title": rng.choice(CASE_TITLES), "text": study}],
        })


def _write_return(folder: Path, ret: Return) -> None:
    year = ret.period[:7]
    name = ret.partner + (f"-q{ret.period[-1]}" if ret.period != year else "")
    path = folder / "returns" / year / ret.template / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = ret.model_dump(mode="json", exclude_defaults=True)
    for v in doc.get("values", []):  # counts as 12, not 12.0
        if isinstance(v.get("value"), float) and v["value"].is_integer():
            v["value"] = int(v["value"])
    path.write_text(dump_yaml(doc,
                              "Synthetic return for scale tests (masa synth --scale): no real person or place."),
                    encoding="utf-8")


def generate(out: str | Path, *, seed: int = 1, partners: int = 40, years: int = 5,
             last_year: str = "2024-25") -> ScaleSummary:
    """Write the three partnership folders into ``out`` (``out/<code>/spec``, ``out/<code>/returns``).

    ``partners``: in all, shared plus each area's own (at least 4, at most 40); ``years``: the
    number of financial years ending with ``last_year``. Returns what was written."""
    if not 4 <= partners <= len(SHARED) + len(LOCAL) * len(AREAS):
        raise ValueError(f"partners must be between 4 and {len(SHARED) + len(LOCAL) * len(AREAS)}, not {partners}")
    if not 1 <= years <= 20:
        raise ValueError(f"years must be between 1 and 20, not {years}")
    out = Path(out)
    taken = [out / f"{a}-scp" for a, _ in AREAS if (out / f"{a}-scp").exists() and any((out / f"{a}-scp").iterdir())]
    if taken:  # files of an earlier run with other sizes would be loaded with these
        raise ValueError(f"{taken[0]} already exists and is not empty; choose an empty --out or remove it")
    w = _Writer(seed, partners, years, last_year)
    summary = w.summary
    summary.partners = len(w.shared) + sum(len(v) for v in w.local.values())
    for n, (area, name) in enumerate(AREAS):
        code = f"{area}-scp"
        folder = out / code
        write_spec(build_spec(code, area, name, w.shared + w.local[area], w.years), folder / "spec")
        (folder / "README.md").write_text(
            f"# {name} Safeguarding Children Partnership (synthetic, `masa synth --scale`)\n\n"
            "Generated for scale tests: no real person, place or organisation. "
            + ("The partners shared by the three partnerships write their returns here; load this folder first.\n"
               if n == 0 else "The shared partners' returns are in the first partnership's folder.\n"),
            encoding="utf-8")
        writers = (w.shared if n == 0 else []) + w.local[area]
        for p in writers:
            for ret in w.returns_for(p):
                _write_return(folder, ret)
                summary.returns += 1
                summary.values += len(ret.values)
        summary.folders.append(folder)
        summary.partnerships.append(code)
    return summary
