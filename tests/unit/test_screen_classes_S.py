"""Classes of wording that sets R and S (statements by helpers who never saw the code; S's
sealed part run once on f29f633, development data since) showed the screen missed or
over-read (issue 22), generated across their forms."""

from __future__ import annotations

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement


@pytest.mark.parametrize("degree", ["rather", "very", "quite", "really", "pretty"])
def test_a_degree_word_inside_a_phrase_keeps_its_meaning(degree):
    text = f"My mother is 82 and has osteoporosis. She sat down {degree} heavily yesterday and her back is agony."
    assert screen_statement(text).first == URGENT, text
    numb = f"my back went on monday and I can't {degree} feel my bum when I wipe"
    assert screen_statement(numb).first == EMERGENCY, numb


@pytest.mark.parametrize(
    "cancer", ["I had breast cancer", "my prostate cancer is in the bones", "I'm on chemo for lung cancer"]
)
@pytest.mark.parametrize(
    "walking",
    [
        "since yesterday my legs are that heavy",
        "I'm struggling on the stairs since yesterday",
        "my legs feel like lead now",
    ],
)
def test_trouble_walking_after_cancer_is_cord_compression(cancer, walking):
    text = f"{cancer} and my back is worse this week. {walking}."
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("walking", ["struggling on the stairs with my back", "my legs feel heavy after a long walk"])
def test_trouble_walking_without_cancer_is_no_emergency(walking):
    text = f"{walking}, it's been a sore week"
    assert screen_statement(text).first != EMERGENCY, text


@pytest.mark.parametrize("both", ["the two of them", "both of them", "the pair of them"])
@pytest.mark.parametrize("give", ["are buckling", "keep giving way"])
def test_both_said_back_of_one_leg_is_both_legs(both, give):
    text = f"my left leg was a bit weak on tuesday, now {both} {give} on the stairs. back's been bad a fortnight"
    assert screen_statement(text).first == EMERGENCY, text


def test_an_urgent_reply_still_asks_the_check_whose_yes_is_an_emergency():
    # Cancer before (same day) and "pins and needles in both feet" (an emergency if now and new).
    outcome = screen_statement("I had bowel cancer two years ago and my back aches. Odd feeling in both feet too")
    assert outcome.first in (URGENT, EMERGENCY)
    assert outcome.first == EMERGENCY or outcome.after_yes == EMERGENCY, outcome


@pytest.mark.parametrize("who", ["the physio", "my GP", "the nurse"])
@pytest.mark.parametrize("verb", ["asked me about", "asked all the questions about", "checked me for"])
def test_what_a_clinician_asked_about_is_not_a_report(who, verb):
    text = f"{who} {verb} bladder problems and it was fine, she thinks it's a facet joint. how long till I can golf?"
    assert screen_statement(text).first != EMERGENCY, text


@pytest.mark.parametrize("who", ["A mate's husband", "My neighbour's son", "A friend's dad"])
@pytest.mark.parametrize("symptom", ["wet himself", "soiled himself"])
def test_someone_elses_past_told_in_his_own_words_is_not_ours(who, symptom):
    text = f"{who} {symptom} after his back op but that was years ago. Mine's just a pulled muscle."
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("symptom", ["wet himself twice", "soiled himself"])
def test_someone_elses_now_told_in_his_own_words_still_escalates(symptom):
    text = f"My dad is 80 and since this morning he has {symptom}, his back has been agony all week"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "going", ["I'll go on my own terms", "I'll end it on my own terms", "I'll bow out on my own terms"]
)
def test_a_death_on_ones_own_terms_after_giving_things_away_is_a_crisis(going):
    text = f"Given my fishing gear to my nephew and sorted the will. This back won't beat me, {going}."
    assert screen_statement(text).first == CRISIS, text


def test_managing_on_ones_own_terms_is_no_crisis():
    assert screen_statement("I'll manage this back on my own terms, no more pills").first == ROUTINE


@pytest.mark.parametrize("after", ["after tonight", "after today"])
@pytest.mark.parametrize("bye", ["Look after yourselves.", "Take care of yourselves."])
def test_needing_nothing_after_tonight_with_a_farewell_is_a_crisis(after, bye):
    text = f"Thanks for all the tips over the months. Won't be needing them {after}. {bye}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("legs", ["the two legs have no force", "my legs have no force", "no power in my legs"])
def test_no_force_in_both_legs_is_weakness(legs):
    text = f"My back hurts since 5 days and today I cannot get up from the chair, {legs}."
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "broke", ["I broke my wrist from a trip", "I fractured my hip in a fall", "I broke my arm in a little fall"]
)
@pytest.mark.parametrize(
    "now", ["sudden pain right in my spine after a coughing fit", "I bent to lift a box and felt it go"]
)
def test_a_bone_broken_in_a_minor_fall_makes_new_back_pain_same_day(broke, now):
    text = f"I'm 70 and {broke} a few years back. Now {now}."
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize(
    "signs",
    [
        "terribly tired and very thirsty",
        "worn out all the time and I've had three chest infections",
        "drinking water like it's going out of fashion and always tired",
    ],
)
def test_bone_pain_over_50_with_myelomas_picture_is_same_day(signs):
    text = f"I'm 72 with an aching back and ribs for weeks. I'm {signs}."
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize("sign", ["terribly tired", "very thirsty"])
def test_one_sign_of_myeloma_alone_is_not_same_day(sign):
    text = f"I'm 72 and my back aches after gardening. I'm {sign} because the grandchildren were here."
    assert screen_statement(text).first == ROUTINE, text


# ----------------------------------------------------------------- a list a clinician asked about
@pytest.mark.parametrize(
    "who_asked",
    ["the physio asked about", "the GP asked me about", "she asked me all the questions about", "they checked me for"],
)
@pytest.mark.parametrize(
    "items",
    ["bladder, bowels and numbness", "numbness down below, bladder or bowel problems", "bowels and bladder"],
)
def test_every_item_of_a_list_a_clinician_asked_about_is_its_topic(who_asked, items):
    """Not only its first item (a look-alike sent to 999): at most asked whether it is
    happening, as any topic of a question is, and escalated after a "yes"."""
    text = f"{who_asked} {items} and it was all fine"
    outcome = screen_statement(text, EMERGENCY)
    assert outcome.first == ROUTINE and (outcome.asked is None or outcome.after_yes == EMERGENCY), outcome


@pytest.mark.parametrize(
    "report",
    [
        "the doctor asked about my bladder and I've wet myself twice since",
        "the GP asked about my bladder, my bum has been numb since",
        "the physio checked for numbness. Now I can't feel my bum when I wipe",
    ],
)
def test_a_report_after_what_a_clinician_asked_about_stays_a_report(report):
    assert screen_statement(report).first == EMERGENCY, report
