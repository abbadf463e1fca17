"""On a messaging channel (no cards), each possible cause comes with a "More about <cause>"
button, and tapping it answers from the content, starting with why it may fit (issue 26).

The conversation runs through the trained assistant as a Telegram user: the messages carry
``input_channel="telegram"``, as the Telegram connector's do."""

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.content import get_content
from tests.conftest import Conversation
from tests.conversations.test_interview import answer_until_done


def sent_metadata(event):
    """The metadata an action sent with a message (kept by Rasa under ``metadata``)."""
    return (event.metadata or {}).get("metadata") or {}


def the_causes(events):
    return next(e for e in events if sent_metadata(e).get("kind") == "causes")


class MessagingConversation(Conversation):
    """A conversation whose messages come from a messaging channel."""

    channel = "telegram"

    async def say(self, text):
        output = CollectingOutputChannel()
        message = UserMessage(text, output, self.sender_id, input_channel=self.channel)
        await self.agent.handle_message(message)
        self.turns.append({"user": text, "bot": output.messages})
        return output.messages


async def test_each_cause_has_a_more_about_button_answered_from_the_content(agent):
    conversation = MessagingConversation(agent)
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    slots = await conversation.slots()
    causes = slots["possible_causes"]
    assert causes, ("no cause was shown", conversation.turns)
    listing = the_causes(await conversation.bot_events())
    content = get_content()
    titles = [b["title"] for b in listing.data["buttons"]]
    assert titles == [f"More about {content.conditions[c].name}" for c in causes]
    # The cards' data goes with the message too; the text says it all for a text-only channel.
    assert [card["id"] for card in sent_metadata(listing)["causes"]] == causes
    assert all(content.conditions[c].name in listing.text for c in causes)

    tapped = causes[0]
    before = len(await conversation.texts())
    await conversation.say(listing.data["buttons"][0]["payload"])
    said = (await conversation.texts())[before:]
    name = content.conditions[tapped].name
    assert said[0].startswith(f"Why {name} may fit what you told me:\n• "), said
    assert said[1].startswith(f"{name}: {content.conditions[tapped].summary[:40]}"), said
    # The offer made after the result is not taken as answered by the tap.
    assert (await conversation.slots())["feedback"] is None


async def test_the_web_widget_gets_cards_not_buttons(agent):
    conversation = MessagingConversation(agent)
    conversation.channel = "socketio"
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    listing = the_causes(await conversation.bot_events())
    assert not listing.data.get("buttons")
    assert sent_metadata(listing)["causes"]


async def test_the_summary_comes_with_its_statements_as_a_list(agent):
    """The widget shows "You told me" as one card of statements (metadata.told), not a long
    sentence cut between its clauses on a phone; the text is the same statements joined."""
    conversation = MessagingConversation(agent)
    conversation.channel = "socketio"
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    told = next(e for e in await conversation.bot_events() if sent_metadata(e).get("kind") == "told")
    items = sent_metadata(told)["told"]
    assert len(items) >= 3 and all(isinstance(item, str) and item for item in items), items
    assert told.text.startswith("You told me: " + "; ".join(items) + "."), (told.text, items)


async def test_is_it_x_after_the_result_is_answered_against_the_best_fit(agent):
    """Usability review 8: "is it a slipped disc??" got only why a disc may fit."""
    conversation = MessagingConversation(agent)
    conversation.channel = "socketio"
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    causes = (await conversation.slots())["possible_causes"]
    asked = "sciatica" if causes[0] != "sciatica" else "a slipped disc"
    replies = await conversation.say(f"is it {asked}?")
    texts = [r.get("text") or "" for r in replies]
    assert any("say for sure" in t and ("fits better" in t or "less likely" in t) for t in texts), texts
