"""A generated enterprise portfolio for the benchmarks (issue 12): at scale 1.0, 5,000 partners
with their users, spend, segmentation, agreements, contacts, one scorecard each with 23
quarters of history (~115,000 periods, ~2.4 M measurements), governance cadences, ~50,000
meetings and 200,000 actions; ``scale`` shrinks every per-partner count in proportion.

Set-based: every table is filled by one ``INSERT … SELECT`` over ``generate_series`` (or over
the rows inserted before), never row by row. Only what must be exactly what the app stores is
written by the app's own services, in batches: closing the past periods (the frozen
breakdowns, with the template version and every KPI's value, target and score), the risk
flags and the portfolio rollups. Values are pseudo-random with a fixed seed, so two runs at
the same scale give the same portfolio.

Sign-ins (password ``PASSWORD``): ``pm001`` (procurement manager, owns 1/50 of the
portfolio), ``exec001`` (executive sponsor), ``supplier00001`` (supplier user of partner 1,
a joint venture), ``bench-admin`` (administrator).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from bench import app_services
from bench.users import PASSWORD
from core.cadences import CadenceKind
from scorecards.demo import TEMPLATES
from scorecards.models import KpiDefinition, Perspective, ScorecardTemplate
from scorecards.periods import period_after, period_containing

META_TABLE = "bench_portfolio_meta"
QUARTERS = 23  # 22 closed quarters and the current, open one
CLOSE_BATCH = 500
FULL_PARTNERS = 5000

CATEGORIES = [
    ("battery-cells", "Battery cells"), ("cathode", "Cathode materials"),
    ("anode", "Anode materials"), ("electronics", "Power electronics"),
    ("semis", "Semiconductors"), ("harness", "Wiring harnesses"),
    ("castings", "Aluminium castings"), ("stampings", "Steel stampings"),
    ("plastics", "Injection-moulded plastics"), ("glass", "Automotive glass"),
    ("seating", "Seating"), ("interior", "Interior trim"), ("tyres", "Tyres"),
    ("magnets", "Rare-earth magnets"), ("motors", "Electric motors"),
    ("thermal", "Thermal management"), ("packaging", "Packaging"),
    ("logistics", "Logistics"), ("software", "Software"), ("tooling", "Tooling"),
    ("chemicals", "Chemicals"), ("fasteners", "Fasteners"), ("paint", "Paint and coatings"),
    ("facility", "Facility services"),
]  # fmt: skip
NAME_HEADS = ["Nord", "Volt", "Kes", "Sinter", "Green", "Alto", "Brio", "Cobal", "Delta",
              "Ferro", "Giga", "Helio", "Iono", "Juno", "Kraft", "Luma", "Magna", "Nova",
              "Orbi", "Pax"]  # fmt: skip
NAME_TAILS = ["tek", "pack", "freight", "cell", "form", "line", "works", "motion", "metal",
              "tron", "chem", "glas", "flex", "gear", "logic"]  # fmt: skip
COUNTRIES = [("DE", "EUR"), ("FR", "EUR"), ("IT", "EUR"), ("ES", "EUR"), ("PL", "PLN"),
             ("CZ", "CZK"), ("SE", "SEK"), ("US", "USD"), ("MX", "MXN"), ("CN", "CNY"),
             ("JP", "JPY"), ("KR", "KRW")]  # fmt: skip


class PortfolioExists(Exception):
    """The database already holds partners; the generator only fills an empty one."""


@dataclass(frozen=True)
class Sizes:
    partners: int
    procurement_managers: int
    alliance_managers: int
    sponsors: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        partners = max(10, round(FULL_PARTNERS * scale))
        # A manager's own portfolio is about 100 partners whatever the company's size, so the
        # workspace of pm001 holds the same at every scale.
        return cls(
            partners=partners,
            procurement_managers=max(1, round(partners / 100)),
            alliance_managers=max(1, round(partners / 250)),
            sponsors=max(1, round(partners / 500)),
        )


def fingerprint(scale: float) -> str:
    """What a generated database was built from: this generator, the scale and the applied
    migrations. The runner rebuilds a database whose fingerprint differs."""
    source = Path(__file__).read_bytes()
    applied = sorted(f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations)
    digest = hashlib.sha256(source + repr((scale, applied)).encode()).hexdigest()
    return digest[:16]


def stored_fingerprint() -> str | None:
    """The fingerprint the generator left in this database, if any."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'fingerprint'")
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _quarters(today: date) -> list[tuple[str, date, date]]:
    current = period_containing(today, "quarterly")
    start = current
    quarters = [start]
    for _ in range(QUARTERS - 1):
        start = period_containing(start.start - timedelta(days=1), "quarterly")
        quarters.insert(0, start)
    assert period_after(quarters[-2].end, "quarterly") == current
    return [(q.label, q.start, q.end) for q in quarters]


class _Sql:
    """Runs the generator's statements with one set of named parameters, timing each step."""

    def __init__(self, params: dict[str, Any], say: Callable[[str], None]) -> None:
        self.params = params
        self.say = say

    def __call__(self, step: str, sql: str) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            rows = cursor.rowcount
        self.say(f"  {step}: {rows} rows in {time.perf_counter() - started:.1f} s")

    def value(self, sql: str) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchone()[0]


def generate(
    scale: float, *, say: Callable[[str], None] = print, analyze: bool = True
) -> dict[str, int]:
    """Fill the (migrated, empty) database with the portfolio at ``scale``; return row counts
    per table. Raises PortfolioExists when partners are already there. ``analyze`` refreshes
    the planner's statistics at the end (the test suite's ten partners do not need it)."""
    from partners.models import Partner  # the app registry is ready once we are called

    if Partner.objects.exists():
        raise PortfolioExists("The database already has partners; generate into an empty one.")
    sizes = Sizes.at(scale)
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    say(f"Generating the portfolio at scale {scale} ({sizes.partners} partners) for {today}")
    with transaction.atomic():
        _templates()
        params = _params(sizes, today, now)
        sql = _Sql(params, say)
        with connection.cursor() as cursor:
            # One session, serial plans, a fixed seed: the same portfolio on every run.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT setseed(0.42)")
        _users(sql)
        _partners(sql)
        _scorecards(sql)
        _governance(sql)
    _close_history(today, say)
    with transaction.atomic():
        sql = _Sql(params, say)
        sql(
            "closing dates",
            """UPDATE scorecards_period pe SET closed_at = (pe."end" + 7) + time '09:00',
                   closed_by_id = p.owner_id
               FROM scorecards_scorecard s JOIN partners_partner p ON p.id = s.partner_id
               WHERE s.id = pe.scorecard_id AND pe.status = 'closed'""",
        )
        _disputes(sql)
        step = time.perf_counter()
        app_services.partner_flags_refresh()
        say(f"  risk flags (app service): {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        app_services.rollups_refresh()
        say(f"  portfolio rollups (app service): {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        app_services.risk_signals_refresh()
        say(f"  at-risk signals (app service): {time.perf_counter() - step:.1f} s")
        _reset_sequences()
        _remember(scale, sizes)
    if analyze:
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say(f"  ANALYZE: {time.perf_counter() - step:.1f} s")
    counts = table_counts()
    say(f"Done in {time.perf_counter() - started:.0f} s: " + ", ".join(
        f"{n} {name}" for name, n in counts.items()
    ))  # fmt: skip
    return counts


COUNTED = {
    "users": "core_user",
    "partners": "partners_partner",
    "annual spend": "partners_annualspend",
    "contacts": "partners_suppliercontact",
    "supplier users": "partners_partneruser",
    "scorecards": "scorecards_scorecard",
    "periods": "scorecards_period",
    "measurements": "scorecards_measurement",
    "cadences": "governance_cadence",
    "meetings": "governance_meeting",
    "actions": "governance_actionitem",
    "escalations": "governance_escalation",
}


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for name, table in COUNTED.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _templates() -> None:
    """The demo's scorecard templates (the ones the playbooks name), unless already there."""
    for code, (name, perspectives) in TEMPLATES.items():
        if ScorecardTemplate.objects.filter(code=code).exists():
            continue
        template = ScorecardTemplate.objects.create(code=code, name=name, version=1)
        for p_position, spec in enumerate(perspectives):
            perspective = Perspective.objects.create(
                template=template,
                code=spec["code"],
                name=spec["name"],
                weight=spec["weight"],
                position=p_position,
            )
            KpiDefinition.objects.bulk_create(
                KpiDefinition(
                    perspective=perspective,
                    position=k_position,
                    **{k: v for k, v in kpi.items() if k != "weight"},
                    weight=kpi["weight"],
                )
                for k_position, kpi in enumerate(spec["kpis"])
            )


def _params(sizes: Sizes, today: date, now: datetime) -> dict[str, Any]:
    base_user = _max_id("core_user")
    pm0 = base_user
    am0 = pm0 + sizes.procurement_managers
    ex0 = am0 + sizes.alliance_managers
    admin = ex0 + sizes.sponsors + 1
    sup0 = admin
    quarters = _quarters(today)
    return {
        "n": sizes.partners,
        "n_pm": sizes.procurement_managers,
        "n_am": sizes.alliance_managers,
        "n_ex": sizes.sponsors,
        "pm0": pm0,
        "am0": am0,
        "ex0": ex0,
        "admin": admin,
        "sup0": sup0,
        "p0": _max_id("partners_partner"),
        "c0": _max_id("partners_suppliercontact"),
        "today": today,
        "now": now,
        "year": today.year,
        "password": make_password(PASSWORD),
        "q_labels": [q[0] for q in quarters],
        "q_starts": [q[1] for q in quarters],
        "q_ends": [q[2] for q in quarters],
        "quarters": len(quarters),
        "categories": [c[0] for c in CATEGORIES],
        "category_names": [c[1] for c in CATEGORIES],
        "heads": NAME_HEADS,
        "tails": NAME_TAILS,
        "countries": [c[0] for c in COUNTRIES],
        "currencies": [c[1] for c in COUNTRIES],
        "kinds": [k.value for k in CadenceKind],
        "kind_labels": [str(k.label) for k in CadenceKind],
    }


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return int(cursor.fetchone()[0])


# Partner index i = id - p0 - 1 (0-based). The engagement model comes from a spread of i so
# that even ten partners cover all four: 4 % joint ventures, 13 % strategic partnerships,
# 33 % preferred suppliers, the rest transactional.
_I = "(p.id - %(p0)s - 1)::int"


def _users(sql: _Sql) -> None:
    sql(
        "internal users",
        """INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name,
               email, is_staff, is_active, date_joined, role, time_zone, job_title, language)
           SELECT id, %(password)s, role = 'administrator', username, first, last,
                  username || '@bench.example', role = 'administrator', true, %(now)s, role,
                  'Europe/Berlin', title, 'en'
           FROM (
             SELECT %(pm0)s + g AS id, 'pm' || lpad(g::text, 3, '0') AS username,
                    'Procurement' AS first, 'Manager ' || g AS last,
                    'procurement_manager' AS role, 'Category manager' AS title
               FROM generate_series(1, %(n_pm)s) g
             UNION ALL
             SELECT %(am0)s + g, 'am' || lpad(g::text, 3, '0'), 'Alliance', 'Manager ' || g,
                    'alliance_manager', 'Alliance manager' FROM generate_series(1, %(n_am)s) g
             UNION ALL
             SELECT %(ex0)s + g, 'exec' || lpad(g::text, 3, '0'), 'Executive', 'Sponsor ' || g,
                    'executive_sponsor', 'Vice president' FROM generate_series(1, %(n_ex)s) g
             UNION ALL
             SELECT %(admin)s, 'bench-admin', 'Bench', 'Admin', 'administrator', 'Administrator'
           ) u""",
    )
    sql(
        "supplier users",
        """INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name,
               email, is_staff, is_active, date_joined, role, time_zone, job_title, language)
           SELECT %(sup0)s + g, %(password)s, false, 'supplier' || lpad(g::text, 5, '0'),
                  'Key', 'Account ' || g, 'supplier' || g || '@supplier.example', false, true,
                  %(now)s, 'supplier_user', 'Europe/Berlin', 'Key account manager', 'en'
           FROM generate_series(1, %(n)s) g""",
    )


def _partners(sql: _Sql) -> None:
    sql(
        "categories",
        """INSERT INTO partners_category (code, name)
           SELECT * FROM unnest(%(categories)s::text[], %(category_names)s::text[])
           ON CONFLICT (code) DO NOTHING""",
    )
    sql(
        "partners",
        """INSERT INTO partners_partner (id, created_at, updated_at, legal_name, short_name,
               country, currency, website, lifecycle_stage, engagement_model, quadrant, tags,
               description, owner_id, alliance_manager_id, executive_sponsor_id,
               alternative_source, risk_flags, flag_count)
           SELECT p.id, %(now)s - make_interval(days => 200 + mod(i * 13, 2000)), %(now)s,
                  short || ' ' || (ARRAY['GmbH','SAS','S.p.A.','S.L.','Sp. z o.o.','s.r.o.',
                    'AB','Inc.','S.A. de C.V.','Co., Ltd.','K.K.','Co., Ltd.'])[mod(i, 12) + 1]
                    || ' #' || (i + 1),
                  short, (%(countries)s::text[])[mod(i, 12) + 1],
                  (%(currencies)s::text[])[mod(i, 12) + 1],
                  'https://' || replace(lower(short), ' ', '-') || '.example',
                  CASE WHEN mod(i, 1250) = 1249 THEN 'identified'
                       WHEN mod(i, 25) = 7 THEN 'under_review' ELSE 'active' END,
                  CASE WHEN b < 4 THEN 'joint_venture' WHEN b < 17 THEN 'strategic_partnership'
                       WHEN b < 50 THEN 'preferred_supplier' ELSE 'transactional' END,
                  '',
                  CASE WHEN mod(i, 4) = 0 THEN '["ev-program"]'::jsonb
                       WHEN mod(i, 4) = 1 THEN '["tier-1", "audited"]'::jsonb
                       ELSE '[]'::jsonb END,
                  'Generated for the portfolio benchmark.',
                  %(pm0)s + 1 + mod(i, %(n_pm)s),
                  CASE WHEN b < 17 THEN %(am0)s + 1 + mod(i, %(n_am)s) END,
                  CASE WHEN b < 50 THEN %(ex0)s + 1 + mod(i, %(n_ex)s) END,
                  CASE WHEN mod(i, 3) = 0 THEN 'Second source under qualification' ELSE '' END,
                  '[]'::jsonb, 0
           FROM (SELECT %(p0)s + 1 + g AS id, g AS i, mod(g * 37, 100) AS b,
                        (%(heads)s::text[])[mod(g, 20) + 1]
                          || (%(tails)s::text[])[mod(g / 20, 15) + 1]
                          || CASE WHEN g >= 300 THEN ' ' || (g / 300 + 1) ELSE '' END AS short
                 FROM generate_series(0, %(n)s - 1) g) p""",
    )
    sql(
        "partner categories",
        f"""INSERT INTO partners_partner_categories (partner_id, category_id)
           SELECT DISTINCT p.id, c.id
           FROM partners_partner p
           CROSS JOIN LATERAL (VALUES (mod({_I}, 24)), (CASE WHEN mod({_I}, 3) <> 0
                 THEN mod({_I} * 7 + 3, 24) END), (CASE WHEN mod({_I}, 5) = 0
                 THEN mod({_I} * 11 + 5, 24) END)) AS pick(n)
           JOIN partners_category c ON c.code = (%(categories)s::text[])[pick.n + 1]
           WHERE pick.n IS NOT NULL""",
    )
    sql(
        "annual spend",
        """INSERT INTO partners_annualspend (partner_id, year, category_id, amount)
           SELECT pc.partner_id, y, pc.category_id,
                  round((10 ^ (4 + 2.6 * random()))::numeric, 2)
           FROM partners_partner_categories pc
           CROSS JOIN generate_series(%(year)s - 3, %(year)s) y""",
    )
    sql(
        "category spend totals",
        """INSERT INTO partners_categoryspendtotal (category_id, year, amount)
           SELECT category_id, year, round(sum(amount) * 1.3, 2)
           FROM partners_annualspend GROUP BY category_id, year""",
    )
    sql(
        "partner revenue",
        """UPDATE partners_partner p SET annual_revenue = CASE WHEN random() < 0.1 THEN NULL
               ELSE round(s.total * (1.5 + 40 * random())::numeric, 2) END
           FROM (SELECT partner_id, sum(amount) AS total FROM partners_annualspend
                 WHERE year = %(year)s GROUP BY partner_id) s
           WHERE s.partner_id = p.id""",
    )
    sql(
        "contacts",
        f"""INSERT INTO partners_suppliercontact (id, partner_id, name, role, email, phone,
               is_executive_sponsor, is_portal_user)
           SELECT %(c0)s + 2 * {_I} + k, p.id,
                  CASE k WHEN 1 THEN 'Key Account ' || ({_I} + 1)
                         ELSE 'Managing Director ' || ({_I} + 1) END,
                  CASE k WHEN 1 THEN 'Key account manager' ELSE 'Managing director' END,
                  CASE k WHEN 1 THEN 'supplier' || ({_I} + 1) || '@supplier.example'
                         ELSE 'md' || ({_I} + 1) || '@supplier.example' END,
                  '+49 30 ' || lpad(({_I} * 2 + k)::text, 7, '0'), k = 2, k = 1
           FROM partners_partner p CROSS JOIN generate_series(1, 2) k""",
    )
    sql(
        "supplier user links",
        f"""INSERT INTO partners_partneruser (user_id, partner_id)
           SELECT %(sup0)s + 1 + {_I}, p.id FROM partners_partner p""",
    )
    sql(
        "notes",
        """INSERT INTO partners_partnernote (partner_id, author_id, body, visibility, created_at)
           SELECT p.id, p.owner_id,
                  CASE v WHEN 'shared' THEN 'Thanks for the quick ramp-up of the new line.'
                         ELSE 'Negotiation stance for the next renewal: hold price, add volume.'
                  END, v, %(now)s - make_interval(days => (random() * 300)::int)
           FROM partners_partner p CROSS JOIN unnest(ARRAY['shared', 'internal']) v""",
    )
    _segmentation(sql)
    sql(
        "agreements",
        f"""INSERT INTO partners_agreement (created_at, updated_at, partner_id, kind, title,
               reference, start_date, end_date, term_years, auto_renewal, notice_period_days,
               has_exit_clause, exit_clause, transition_period_months, confidentiality_level,
               internal_notes)
           SELECT %(now)s, %(now)s, id, kind, initcap(replace(kind, '_', ' ')) || ' '
                    || short_name, 'AG-' || id, start,
                  (start + make_interval(years => 4))::date - 1, 4, mod(i, 2) = 0, 90,
                  has_exit,
                  CASE WHEN has_exit THEN 'Either party may exit with 12 months notice.'
                       ELSE '' END,
                  CASE WHEN has_exit THEN 6 END, 'confidential', ''
           FROM (SELECT p.id, p.short_name, {_I} AS i,
                        %(today)s::date - 1200 + mod({_I}, 1100) AS start,
                        random() < 0.85 AS has_exit,
                        CASE p.engagement_model WHEN 'joint_venture' THEN 'joint_venture'
                             WHEN 'strategic_partnership' THEN 'co_development'
                             WHEN 'preferred_supplier' THEN 'framework'
                             ELSE 'contract' END AS kind
                 FROM partners_partner p) a""",
    )
    sql(
        "supply items",
        f"""INSERT INTO partners_supplyitem (partner_id, name, category_id, is_critical,
               qualified_second_sources, second_source_names)
           SELECT p.id, item || ' ' || ({_I} + 1), pc.category_id,
                  item = 'Main part' AND p.engagement_model <> 'transactional',
                  CASE WHEN random() < 0.15 THEN 0 ELSE 1 + (random() * 2)::int END, ''
           FROM partners_partner p
           CROSS JOIN unnest(ARRAY['Main part', 'Spare part']) item
           JOIN LATERAL (SELECT category_id FROM partners_partner_categories
                         WHERE partner_id = p.id ORDER BY category_id LIMIT 1) pc ON true""",
    )
    sql(
        "price benchmarks",
        f"""INSERT INTO partners_pricebenchmark (partner_id, item, category_id, partner_price,
               market_price, unit, source, as_of, justification)
           SELECT p.id, 'Main part ' || ({_I} + 1), NULL,
                  round((100 * (0.9 + random() * 0.2))::numeric, 4), 100, 'pc',
                  'Market index', %(today)s::date - 30,
                  CASE WHEN random() < 0.5 THEN 'Includes tooling amortisation.' ELSE '' END
           FROM partners_partner p WHERE mod({_I}, 5) = 0""",
    )


def _segmentation(sql: _Sql) -> None:
    # Ratings lean towards the quadrant of the partner's engagement model (strategic for
    # partnerships and joint ventures, leverage or bottleneck for preferred suppliers,
    # non-critical for transactional ones); the quadrant is then read from the ratings as
    # partners.kraljic does (axis = mean rating rounded half-up to 2 places, high above 3).
    sql(
        "segmentation",
        f"""INSERT INTO partners_segmentationassessment (partner_id, category_id, ratings,
               weights, profit_impact, supply_risk, computed_quadrant, override_quadrant,
               override_justification, quadrant, assessed_by_id, assessed_at)
           SELECT id, NULL, jsonb_build_object('spend_share', r1, 'product_criticality', r2,
                    'quality_revenue_effect', r3, 'qualified_alternatives', r4,
                    'switching_cost', r5, 'market_volatility', r6, 'geographic_exposure', r7),
                  jsonb_build_object('spend_share', '1', 'product_criticality', '1',
                    'quality_revenue_effect', '1', 'qualified_alternatives', '1',
                    'switching_cost', '1', 'market_volatility', '1',
                    'geographic_exposure', '1'),
                  impact, risk, quadrant, '', '', quadrant, owner_id,
                  %(now)s - make_interval(days => (random() * 500)::int)
           FROM (
             SELECT *, CASE WHEN impact > 3 AND risk > 3 THEN 'strategic'
                            WHEN impact > 3 THEN 'leverage' WHEN risk > 3 THEN 'bottleneck'
                            ELSE 'non_critical' END AS quadrant
             FROM (
               SELECT *, round((r1 + r2 + r3) / 3.0, 2) AS impact,
                         round((r4 + r5 + r6 + r7) / 4.0, 2) AS risk
               FROM (
                 SELECT p.id, p.owner_id,
                        lo_hi(hi_impact) AS r1, lo_hi(hi_impact) AS r2, lo_hi(hi_impact) AS r3,
                        lo_hi(hi_risk) AS r4, lo_hi(hi_risk) AS r5, lo_hi(hi_risk) AS r6,
                        lo_hi(hi_risk) AS r7
                 FROM (SELECT p.*,
                         p.engagement_model IN ('joint_venture', 'strategic_partnership')
                           OR (p.engagement_model = 'preferred_supplier' AND mod({_I}, 2) = 0)
                           AS hi_impact,
                         p.engagement_model IN ('joint_venture', 'strategic_partnership')
                           OR (p.engagement_model = 'preferred_supplier' AND mod({_I}, 2) = 1)
                           AS hi_risk
                       FROM partners_partner p WHERE p.lifecycle_stage <> 'identified') p
               ) r
             ) s
           ) q""".replace(
            "lo_hi(hi_impact)",
            "(CASE WHEN hi_impact THEN 3 ELSE 1 END + floor(random() * 3))::int",
        ).replace(
            "lo_hi(hi_risk)",
            "(CASE WHEN hi_risk THEN 3 ELSE 1 END + floor(random() * 3))::int",
        ),
    )
    sql(
        "partner quadrants",
        """UPDATE partners_partner p SET quadrant = s.quadrant
           FROM partners_segmentationassessment s WHERE s.partner_id = p.id""",
    )


def _scorecards(sql: _Sql) -> None:
    # One scorecard per partner past identification, on its playbook's template (a tenth of
    # transactional partners are carriers on the logistics template).
    sql(
        "scorecards",
        f"""INSERT INTO scorecards_scorecard (partner_id, template_id, category_id, frequency,
               dispute_window_days, created_at)
           SELECT p.id, t.id, NULL, 'quarterly', 14, %(now)s - interval '6 years'
           FROM partners_partner p
           JOIN partners_engagementplaybook pb ON pb.engagement_model = p.engagement_model
           JOIN LATERAL (SELECT id FROM scorecards_scorecardtemplate
                         WHERE code = CASE WHEN p.engagement_model = 'transactional'
                                             AND mod({_I}, 10) = 3 THEN 'logistics-delivery'
                                           ELSE pb.scorecard_template_code END
                         ORDER BY version DESC LIMIT 1) t ON true
           WHERE p.lifecycle_stage <> 'identified'""",
    )
    sql(
        "scorecard trajectories",
        """CREATE TEMPORARY TABLE bench_trajectory ON COMMIT DROP AS
           SELECT id AS scorecard_id, 0.35 + random() * 0.6 AS level,
                  (random() - 0.5) * 0.03 AS slope
           FROM scorecards_scorecard""",
    )
    sql(
        "periods",
        """INSERT INTO scorecards_period (scorecard_id, label, start, "end", status,
               reopen_count, rating, provisional, breakdown)
           SELECT s.id, q.label, q.start, q.finish, 'open', 0, '', false, '{}'::jsonb
           FROM scorecards_scorecard s
           CROSS JOIN unnest(%(q_labels)s::text[], %(q_starts)s::date[], %(q_ends)s::date[])
                AS q(label, start, finish)""",
    )
    # Monthly values (dated each month's last day), some months missing; sums are counted per
    # month. Supplier-sourced KPIs were self-reported and accepted, except that some of the
    # current quarter's reports still await acceptance.
    sql(
        "measurements",
        """INSERT INTO scorecards_measurement (period_id, kpi_id, measured_on, value, source,
               status, comment, evidence, entered_by_id, entered_at, reviewed_by_id,
               reviewed_at, review_comment)
           SELECT period_id, kpi_id, measured_on,
                  CASE WHEN aggregation = 'sum'
                       THEN round((threshold + (target - threshold) * share) / 3)
                       ELSE round(threshold + (target - threshold) * share, 2) END,
                  source, status, '', '', entered_by, measured_on + time '12:00',
                  CASE WHEN status = 'accepted' AND source = 'supplier' THEN owner_id END,
                  CASE WHEN status = 'accepted' AND source = 'supplier'
                       THEN measured_on + time '16:00' END, ''
           FROM (
             SELECT pe.id AS period_id, k.id AS kpi_id, k.aggregation, k.target, k.threshold,
                    m.day AS measured_on, p.owner_id,
                    greatest(0, least(1.05, tr.level + tr.slope
                      * (extract(year FROM pe.start) * 4 + extract(quarter FROM pe.start)
                         - extract(year FROM %(today)s::date) * 4
                         - extract(quarter FROM %(today)s::date))
                      + (random() - 0.5) * 0.3))::numeric AS share,
                    CASE WHEN k.data_source = 'supplier' THEN 'supplier' ELSE 'buyer' END
                      AS source,
                    CASE WHEN k.data_source = 'supplier' AND pe."end" >= %(today)s
                              AND random() < 0.3 THEN 'submitted' ELSE 'accepted' END AS status,
                    CASE WHEN k.data_source = 'supplier' THEN %(sup0)s + p.id - %(p0)s
                         ELSE p.owner_id END AS entered_by
             FROM scorecards_period pe
             JOIN scorecards_scorecard s ON s.id = pe.scorecard_id
             JOIN bench_trajectory tr ON tr.scorecard_id = s.id
             JOIN partners_partner p ON p.id = s.partner_id
             JOIN scorecards_perspective ps ON ps.template_id = s.template_id
             JOIN scorecards_kpidefinition k ON k.perspective_id = ps.id
             CROSS JOIN LATERAL (SELECT (date_trunc('month', pe.start)
                                   + make_interval(months => n) - interval '1 day')::date AS day
                                 FROM generate_series(1, 3) n) m
             WHERE m.day < %(today)s AND random() >= 0.02
           ) v""",
    )


def _close_history(today: date, say: Callable[[str], None]) -> None:
    """Close every past quarter with the app's own set-based close, oldest first, so each
    frozen breakdown is exactly what the app writes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM scorecards_period WHERE status = 'open' AND \"end\" < %s ORDER BY id",
            [today],
        )
        ids = [row[0] for row in cursor.fetchall()]
    started = time.perf_counter()
    closed = 0
    for start in range(0, len(ids), CLOSE_BATCH):
        with transaction.atomic():
            closed += app_services.periods_close(ids[start : start + CLOSE_BATCH])
        if start and start % (CLOSE_BATCH * 40) == 0:
            say(f"  closed {closed} of {len(ids)} periods")
    say(f"  closed {closed} periods (app service) in {time.perf_counter() - started:.1f} s")


def _disputes(sql: _Sql) -> None:
    sql(
        "disputes",
        """INSERT INTO scorecards_dispute (period_id, raised_by_id, raised_at, reason, kpi_code,
               status, resolution, overall_before, overall_after)
           SELECT pe.id, %(sup0)s + s.partner_id - %(p0)s, %(now)s,
                  'The delivery figures miss the October shipments.', '', 'open', '',
                  coalesce(pe.breakdown ->> 'overall', ''), ''
           FROM scorecards_period pe JOIN scorecards_scorecard s ON s.id = pe.scorecard_id
           WHERE pe.status = 'closed' AND pe."end" = (%(q_ends)s::date[])[%(quarters)s - 1]
             AND mod(s.id, 97) = 5""",
    )


def _governance(sql: _Sql) -> None:
    sql(
        "cadences",
        """INSERT INTO governance_cadence (created_at, updated_at, partner_id, kind, name,
               frequency, interval, anchor_date, start_time, duration_minutes, tz_name,
               weekday_ordinal, weekday, location, agenda_template, visibility, active)
           SELECT %(now)s, %(now)s, p.id, c ->> 'kind', k.label, c ->> 'frequency',
                  (c ->> 'interval')::int,
                  (date_trunc('month', %(today)s::date - (random() * 400)::int)
                    + make_interval(days => (random() * 27)::int))::date,
                  time '10:00', (c ->> 'duration_minutes')::int, 'Europe/Berlin', NULL, '',
                  'Video call', 'Actions review' || chr(10) || 'KPIs' || chr(10) || 'Outlook',
                  CASE WHEN c ->> 'kind' IN ('steering_committee', 'executive_sponsor')
                       THEN 'internal' ELSE 'shared' END, true
           FROM partners_partner p
           JOIN partners_engagementplaybook pb ON pb.engagement_model = p.engagement_model
           CROSS JOIN jsonb_array_elements(pb.cadences) c
           JOIN unnest(%(kinds)s::text[], %(kind_labels)s::text[]) k(kind, label)
             ON k.kind = c ->> 'kind'
           WHERE p.lifecycle_stage <> 'identified'""",
    )
    # Occurrences from the anchor to a year ahead, as the daily job keeps them; past ones
    # were held, except a few missed (still "scheduled") or cancelled.
    sql(
        "meetings",
        """INSERT INTO governance_meeting (created_at, updated_at, partner_id, cadence_id,
               occurrence_index, title, start, "end", tz_name, location, agenda, minutes,
               status, visibility, sequence, change_reason)
           SELECT %(now)s, %(now)s, partner_id, id, n, name, start,
                  start + make_interval(mins => duration_minutes), tz_name, location,
                  agenda_template,
                  CASE WHEN status = 'held' THEN 'Reviewed actions and KPIs; next steps agreed.'
                       ELSE '' END,
                  status, visibility, CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END,
                  CASE WHEN status = 'cancelled' THEN 'Clash with a plant audit.' ELSE '' END
           FROM (
             SELECT c.*, o.n, o.start,
                    CASE WHEN o.start >= %(now)s THEN 'scheduled'
                         WHEN o.r < 0.02 THEN 'scheduled' WHEN o.r < 0.05 THEN 'cancelled'
                         ELSE 'held' END AS status
             FROM governance_cadence c
             CROSS JOIN LATERAL (
               SELECT n, random() AS r,
                      ((c.anchor_date + make_interval(
                          days => CASE c.frequency WHEN 'weekly' THEN 7 * n * c.interval
                                  ELSE 0 END,
                          months => CASE c.frequency WHEN 'monthly' THEN n * c.interval
                                    WHEN 'quarterly' THEN 3 * n * c.interval
                                    WHEN 'half_yearly' THEN 6 * n * c.interval
                                    WHEN 'yearly' THEN 12 * n * c.interval ELSE 0 END))::date
                        + c.start_time) AT TIME ZONE c.tz_name AS start
               FROM generate_series(0, 120) n) o
             WHERE o.start < %(now)s + interval '365 days'
           ) m""",
    )
    sql(
        "meeting attendees",
        """INSERT INTO governance_meeting_attendees (meeting_id, user_id)
           SELECT m.id, p.owner_id FROM governance_meeting m
           JOIN partners_partner p ON p.id = m.partner_id WHERE p.owner_id IS NOT NULL""",
    )
    sql(
        "actions",
        f"""INSERT INTO governance_actionitem (created_at, updated_at, partner_id, meeting_id,
               title, description, owner_user_id, owner_contact_id, due_date, status,
               priority, visibility, completed_at)
           SELECT due - 30 + time '09:00', due - 30 + time '09:00', id, NULL,
                  (ARRAY['Send the updated capacity plan', 'Confirm the Q3 price review',
                         'Share the PPAP documents', 'Agree the packaging change',
                         'Close the 8D report', 'Plan the line audit'])[mod(n, 6) + 1]
                    || ' #' || n, '',
                  CASE WHEN by_supplier THEN NULL ELSE owner_id END,
                  CASE WHEN by_supplier THEN %(c0)s + 2 * i + 1 END,
                  due, status, (ARRAY['low', 'medium', 'medium', 'high', 'critical'])
                    [mod(n, 5) + 1],
                  CASE WHEN mod(n, 5) = 0 THEN 'internal' ELSE 'shared' END,
                  CASE WHEN status = 'done' THEN due + time '15:00' END
           FROM (
             SELECT p.id, p.owner_id, {_I} AS i, a.n, a.due, random() < 0.3 AS by_supplier,
                    CASE WHEN a.due < %(today)s THEN
                           CASE WHEN a.r < 0.75 THEN 'done' WHEN a.r < 0.8 THEN 'cancelled'
                                WHEN a.r < 0.9 THEN 'open' ELSE 'in_progress' END
                         ELSE CASE WHEN a.r < 0.7 THEN 'open' ELSE 'in_progress' END
                    END AS status
             FROM partners_partner p
             CROSS JOIN LATERAL (SELECT n, random() AS r,
                                        %(today)s::date - 700 + (random() * 790)::int AS due
                                 FROM generate_series(1, 40) n) a
           ) x""",
    )
    sql(
        "escalation ladders",
        """INSERT INTO governance_escalationladderlevel (partner_id, number, name,
               response_time_hours)
           SELECT p.id, l.number, l.name, l.hours FROM partners_partner p
           CROSS JOIN (VALUES (1, 'Account managers', 48), (2, 'Category directors', 72),
                              (3, 'Executive sponsors', 120)) l(number, name, hours)
           WHERE p.engagement_model <> 'transactional'""",
    )
    sql(
        "escalations",
        f"""INSERT INTO governance_escalation (created_at, updated_at, partner_id, title,
               description, level, level_entered_at, overdue_at_top, raised_by_id,
               resolved_at, resolution, visibility)
           SELECT raised, raised, id, 'Late deliveries on the main line', 'Three late trucks.',
                  level, raised + make_interval(days => 3 * (level - 1)), false, owner_id,
                  CASE WHEN resolved THEN raised + interval '20 days' END,
                  CASE WHEN resolved THEN 'Buffer stock agreed.' ELSE '' END, 'internal'
           FROM (SELECT p.id, p.owner_id, %(now)s - make_interval(days => 5 + mod({_I}, 60))
                          AS raised,
                        1 + mod({_I}, 3) AS level, mod({_I}, 7) <> 0 AS resolved
                 FROM partners_partner p
                 WHERE p.engagement_model <> 'transactional' AND mod({_I}, 4) = 1) e""",
    )
    sql(
        "escalation moves",
        """INSERT INTO governance_escalationmove (escalation_id, from_level, to_level, at)
           SELECT e.id, l - 1, l, e.created_at + make_interval(days => 3 * (l - 1))
           FROM governance_escalation e CROSS JOIN LATERAL generate_series(1, e.level) l""",
    )
    sql(
        "charters",
        f"""INSERT INTO governance_charter (created_at, updated_at, partner_id, version, scope,
               shared_objectives, investment_commitments, performance_targets, roles,
               decision_rules, data_sharing_rules, escalation_path, effective_from,
               review_due, created_by_id)
           SELECT %(now)s, %(now)s, p.id, 1, 'Joint development and supply of the main part.',
                  'Cost down 3 %% a year; zero-defect launches.', '', 'OTD 98 %%, 50 ppm',
                  'Sponsors on both sides; alliance managers run the cadence.',
                  'Steering committee decides by consensus.', 'Forecasts shared monthly.',
                  'Account managers, directors, sponsors.',
                  %(today)s::date - 300 - mod({_I}, 200), %(today)s::date + 65 - mod({_I}, 200),
                  p.owner_id
           FROM partners_partner p WHERE p.engagement_model <> 'transactional'""",
    )
    sql(
        "business plans",
        """INSERT INTO governance_jointbusinessplan (created_at, updated_at, partner_id, year,
               title, summary, visibility)
           SELECT %(now)s, %(now)s, p.id, %(year)s, 'Joint plan ' || %(year)s,
                  'Grow the share of low-carbon parts.', 'shared'
           FROM partners_partner p
           WHERE p.engagement_model IN ('strategic_partnership', 'joint_venture')""",
    )
    sql(
        "plan objectives",
        """INSERT INTO governance_planobjective (plan_id, title, target, kpi_reference,
               progress_percent)
           SELECT pl.id, o.title, o.target, o.kpi, (random() * 100)::int
           FROM governance_jointbusinessplan pl
           CROSS JOIN (VALUES ('Cut CO2 per unit', '-10 %%', 'co2'),
                              ('Launch two joint innovations', '2 launches', '')) o(title,
                              target, kpi)""",
    )
    sql(
        "initiatives",
        """INSERT INTO governance_innovationinitiative (created_at, updated_at, partner_id,
               title, description, stage, owner_id, expected_value, realized_value,
               target_year, visibility)
           SELECT %(now)s, %(now)s, p.id, 'Dry electrode coating', 'Pilot on line 2.',
                  (ARRAY['idea', 'evaluating', 'prototype', 'commercialized'])
                    [1 + (random() * 3)::int], p.owner_id, 250000, 0, %(year)s + 1, 'shared'
           FROM partners_partner p
           WHERE p.engagement_model IN ('strategic_partnership', 'joint_venture')""",
    )
    sql(
        "lessons learned",
        f"""INSERT INTO governance_lessonlearned (created_at, updated_at, partner_id, title,
               body, tags, recorded_by_id)
           SELECT %(now)s - make_interval(days => mod({_I}, 700)), %(now)s, p.id,
                  'Dual sourcing delayed the launch',
                  'Qualifying the second source took four months longer than planned; start '
                  || 'the PPAP with both suppliers at once.', '["sourcing", "launch"]'::jsonb,
                  p.owner_id
           FROM partners_partner p WHERE mod({_I}, 10) = 0""",
    )


def _reset_sequences() -> None:
    """Tables filled with explicit ids: move their id sequences past the generated rows."""
    with connection.cursor() as cursor:
        for table in ("core_user", "partners_partner", "partners_suppliercontact"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def _remember(scale: float, sizes: Sizes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        rows = {"fingerprint": fingerprint(scale), "scale": str(scale), **{
            k: str(v) for k, v in asdict(sizes).items()
        }}  # fmt: skip
        for key, value in rows.items():
            cursor.execute(
                f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)",
                [key, value],
            )


def main(argv: list[str]) -> int:
    """``main(["--current", SCALE])`` (Django set up): 0 when this database holds the portfolio
    of SCALE built by this generator on the current migrations, else 3."""
    if argv[:1] != ["--current"] or len(argv) != 2:
        return 2
    return 0 if stored_fingerprint() == fingerprint(float(argv[1])) else 3
