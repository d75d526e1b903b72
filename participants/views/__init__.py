"""Views of the participants app, one module per area:

- home.py: the start page;
- caseload.py: My caseload, the team view, registering a participant;
- case_file.py: the participant page, its timeline and the htmx actions on it;
- employers.py: the employer pages, job development contacts, the team's weekly table.
"""
