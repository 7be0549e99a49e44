"""Governance pages, one module per page family. Each write has its own URL and view.

- partner: the partnership's governance page (charter, cadences, plans, innovation roadmap)
- meetings: a partner's meetings, one meeting and its writes, .ics and attachments
- calendar: my calendar page and the subscribable feeds
- actions: a partner's action items
- escalations: a partner's ladder and escalations
- portfolio: QBR, lessons learned, innovation challenges, my governance
- portal: the supplier's portal pages
- common: loading records through access for the pages
"""
