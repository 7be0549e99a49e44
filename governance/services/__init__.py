"""Writes to governance records, one module per concept. Every service takes a keyword-only
``actor``, checks its capability first (core.roles.require), is atomic and writes the audit
trail.

- charters: charter versions
- cadences: meeting series, the playbook's default cadences, generating their meetings
- meetings: scheduling, moving, cancelling, attendees, minutes and attachments
- calendar: subscribable calendar feeds
- actions: action items
- escalations: ladders, raising, resolving, moving overdue escalations up
- reminders: overdue actions, charter reviews, upcoming meetings
- plans: joint business plans, objectives and milestones
- innovation: initiatives, challenges and proposals
- lessons: lessons learned
"""
