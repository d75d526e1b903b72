"""Forms of the participants app: registration.py and case_file.py."""
