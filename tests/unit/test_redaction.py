"""Personal details in UK formats are redacted; what the interview needs is left alone."""

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
