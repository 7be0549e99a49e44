"""Writes of the scorecards app, one module per concept. Every service takes its actor (a
user, or a named SystemActor for a job), checks the actor's capability first with
core.roles.require, is atomic and writes the audit trail.

- templates: a new template version (SPEC 3.1)
- scorecards: applying a template to a partner, upgrading to a newer version
- periods: closing (scoring and freezing), reopening and rescoring periods (SPEC 3.2, 3.4)
- measurements: buyer values, supplier self-reports and their review (SPEC 3.3)
- disputes: a supplier's dispute of a score and its resolution (SPEC 3.5)
- rollups: the portfolio rollups dashboards read (SPEC 3.12)
- imports: buyer measurements from a spreadsheet, all rows or none

Callers import the module: ``from scorecards.services import periods`` →
``periods.period_close(actor=..., period=...)``. The pure rules these services call live in
scorecards.scoring, scorecards.breakdown, scorecards.template_input and scorecards.kpi_values.
"""
