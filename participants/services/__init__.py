"""Writes of the participants app, one module per area (import from the module itself):

- registration.py: registering a participant, duplicate detection;
- case_file.py: follow-ups, outcome spells, plans and goals, change of case worker;
- caseload.py: saved caseload filters, the "no contact" setting, the next planned contact.

Each service takes keyword-only arguments, checks the acting user's rights through
``Participant.objects.editable_by(user)`` and runs in its own transaction.
"""
