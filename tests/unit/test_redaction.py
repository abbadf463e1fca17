"""Personal details in UK formats are redacted; what the interview needs is left alone."""

from datetime import date

import pytest

from bot.redaction import redact


@pytest.mark.parametrize(
    "text, detail, placeholder",
    [
        ("my name is Tamsin Quarrendon and my back hurts", "Tamsin Quarrendon", "[name]"),
        ("my name is john smith and i have sciatica", "john smith", "[name]"),
        ("Hi, I'm Priya. My leg is numb", "Priya", "[name]"),
        ("call me Ade please", "Ade", "[name]"),
        ("ring me on 07700 900461", "07700 900461", "[phone number]"),
        ("mobile 07911123456", "07911123456", "[phone number]"),
        ("my number is +44 7700 900461", "+44 7700 900461", "[phone number]"),
        ("landline 020 7946 0958", "020 7946 0958", "[phone number]"),
        ("(0161) 496 0000 after six", "496 0000", "[phone number]"),
        ("email me at tamsin.q@example.org", "tamsin.q@example.org", "[email]"),
        ("NHS number 943 476 5919", "943 476 5919", "[NHS number]"),
        ("my nhs no is 9434765919", "9434765919", "[NHS number]"),
        ("NHS number: 123-456-7890", "123-456-7890", "[NHS number]"),
        ("born 14/02/1961", "14/02/1961", "[date]"),
        ("DOB 3rd March 1975", "3rd March 1975", "[date]"),
        ("date of birth: 3.3.75", "3.3.75", "[date]"),
        ("my birthday is 14 Feb", "14 Feb", "[date]"),
        ("born on March 3, 1975", "March 3, 1975", "[date]"),
        ("it started on 1975-03-03", "1975-03-03", "[date]"),
        ("I live in SW1A 1AA", "SW1A 1AA", "[postcode]"),
        ("postcode m1 1ae", "m1 1ae", "[postcode]"),
        ("NI number JG 10 37 82 A", "JG 10 37 82 A", "[NI number]"),
    ],
)
def test_uk_personal_details_are_redacted(text, detail, placeholder):
    redacted = redact(text)
    assert detail not in redacted and placeholder in redacted, redacted


@pytest.mark.parametrize(
    "text",
    [
        "my pain is 7/10",
        "it's 8 out of 10 for 3 weeks",
        "I'm 45 years old",
        "since 2019, about 2 days ago",
        "I take 400 mg ibuprofen 3 times a day",
        "I'm worried about my back",
        "I am in a lot of pain",
        "my lower back hurts when I bend",
        "I can't control my bladder",
        "it goes below my knee on the left",
    ],
)
def test_what_the_interview_needs_is_left_alone(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, detail, placeholder",
    [
        ("I'm Priya Shah and my back hurts", "Priya Shah", "[name]"),
        ("Sam Okafor here, my back is killing me", "Sam Okafor", "[name]"),
        ("this is Ade", "Ade", "[name]"),
        ("thanks, Tamsin", "Tamsin", "[name]"),
        ("Mrs jones here", "jones", "[name]"),
        ("call (555) 123-4567 tonight", "(555) 123-4567", "[phone number]"),
        ("cell 555.123.4567", "555.123.4567", "[phone number]"),
        ("+1 555 123 4567", "555 123 4567", "[phone number]"),
        ("I live at 12 Acacia Avenue", "12 Acacia Avenue", "[address]"),
        ("address: 4b high street, leeds", "4b high street", "[address]"),
        ("I live at 9231 Wrenfold Avenue, Springfield, IL 62783", "62783", "[address]"),
        ("I live at 9231 Wrenfold Avenue, Springfield, IL 62783", "Springfield", "[address]"),
        ("we're in Austin TX 78701-4410 now", "78701", "[address]"),
        ("Dayton, Ohio 45402", "45402", "[address]"),
        ("my zip code is 90210", "90210", "[postcode]"),
        ("I live at 12 Oak Street\nSpringfield, IL\n62711-5370", "62711", "[address]"),
        ("lower back, im yssquorpell wixdruoph", "yssquorpell", "[name]"),
        ("i'm yssquorpell wixdruoph and my back still hurts", "wixdruoph", "[name]"),
        ("bye! im Gravophmox, ring me", "Gravophmox", "[name]"),
        ("call 07700.900.623 please", "900.623", "[phone number]"),
        ("born on the ninth of October 1957", "1957", "[date]"),
        ("my birthday is the twenty-third of May", "twenty-third", "[date]"),
        ("my card is 4111 1111 1111 1111", "4111 1111 1111 1111", "[card number]"),
        ("5500-0000-0000-0004 expires soon", "5500-0000-0000-0004", "[card number]"),
        ("DOB 12/31/1980", "12/31/1980", "[date]"),
        ("DOB 12/31/1980", "1980", "[date]"),
        ("born in 1980", "1980", "[date]"),
        ("it started on 3/4/1990", "3/4/1990", "[date]"),
    ],
)
def test_details_said_in_other_ways_are_redacted(text, detail, placeholder):
    redacted = redact(text)
    assert detail not in redacted and placeholder in redacted, redacted


@pytest.mark.parametrize(
    "text",
    [
        "rasa 3.6.21, sanic 21.12.2, tensorflow 2.12.0",
        "/venv/lib/python3.10/site-packages/rasa-3.6.21/rasa/core/processor.py line 12",
        "my blood pressure was 120/80 and my temperature 37.5",
        "I'm 5ft 10 and 80kg, I walked 2 miles round the park",
        f"it started on {date.today():%d/%m/%Y} when I lifted a box",  # a recent date dates the symptoms
        "I'm Worried it's something serious",
        "I'm English and I'm In agony",
        "the number 4111 1111 1111 1112 fails its check digit",
        "I've had it 12 days",
        "I walk 10000 steps OR 12000 on a good day",
        "pain or 12345 steps, in 2 weeks",
        "im knackered and my back hurts",
        "i'm realy sore today",
        "i'm in agony, it's sciatica i think",
        "took 0.5 mg twice",
    ],
)
def test_versions_measurements_and_symptom_dates_are_left_alone(text):
    assert redact(text) == text
