"""Writes to partner records, one module per concept. Each service takes a keyword-only
``actor``, checks its capability with ``core.roles.require`` first, runs atomically and writes
the audit trail. Import the concept module or the function from it:

- ``partners``: create, update and move partners through the lifecycle; supplier users
- ``playbooks``: engagement-model changes and the playbooks' defaults
- ``segmentation``: Kraljic assessments
- ``readiness``: readiness & alignment assessments and their template
- ``agreements``: agreements and their documents
- ``records``: notes, contacts, spend, supply items, price benchmarks
- ``flags``: the stored risk flags
- ``reminders``: agreement notice-deadline and expiry reminders
- ``imports``: the partner and spend import from CSV/XLSX
- ``invitations``: supplier invitations to the portal; ending a contact's or partner's access
"""
