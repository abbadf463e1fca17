"""Bad input gets a clear, kind reply and loses nothing."""

import pytest

BAD_INPUT = {
    "empty": "",
    "spaces": "    ",
    "huge": "my back hurts " * 1500,
    "emoji": "😭😭😭🙏",
    "html": "<img src=x onerror=alert(1)><script>alert(2)</script>",
    "other language": "me duele mucho la espalda y la pierna",
    "nonsense": "qwpeoi zxmcnv lkjasd",
    "symbols": "?!?!?! ... ///",
}


@pytest.mark.parametrize("kind", list(BAD_INPUT))
async def test_bad_input_gets_a_reply(new_conversation, kind):
    conversation = new_conversation()
    replies = await conversation.say(BAD_INPUT[kind])
    texts = [r.get("text") or "" for r in replies]
    assert any(t.strip() for t in texts), f"no reply to {kind}"
    for text in texts:
        assert "<script" not in text and "onerror" not in text  # input is never echoed back as markup


@pytest.mark.parametrize("kind", list(BAD_INPUT))
async def test_bad_input_mid_interview_loses_nothing(new_conversation, kind):
    conversation = new_conversation()
    await conversation.say("my lower back hurts and it goes down below my knee")
    before = await conversation.slots()
    await conversation.say(BAD_INPUT[kind])
    after = await conversation.slots()
    for slot in ("pain_location", "pain_spreads", "spread_to", "triage_level"):
        assert after[slot] == before[slot], f"{slot} changed after {kind} input"
    if kind != "huge":  # a very long description may legitimately add findings
        assert (await conversation.tracker()).active_loop_name == "symptom_form", "the interview goes on"
    await conversation.say("no none of those")
    assert (await conversation.slots())["nerve_symptoms"] == []
