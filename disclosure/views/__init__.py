"""The staff workspace on a community's sub-domain, by concern. Views validate input and call services;
a refused action comes back as a Chinese message next to the form, with what was typed kept.

- ``workspace``: the morning page and the list of disclosures
- ``editor``: writing a new draft or changing one (step 1)
- ``imports``: the editor's spreadsheet import (preview, confirmation) and its templates
- ``steps``: a disclosure's page and the steps taken on it (submit … archive, corrections, files)
- ``obligations``: what must be published by when, per-event items, the catalogue
- ``renewals``: a fixed item due for renewal, revised or confirmed unchanged
- ``ledger``: the hash chain and the printed report form

Access goes through ``tenants.access`` (``member_required``, ``submit``) and ``disclosure.access``.
"""
