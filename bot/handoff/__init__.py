"""The hand-off to the clinic (issue 27): the summary as FHIR R4 (fhir.py), delivered from a
persistent outbox (outbox.py), and as a PDF the person keeps (pdf.py). No Rasa here."""
