"""A dialogue explorer: walks the real assistant many ways and checks the safety invariants.

Conversations mix random and systematic choices of user messages across every
intent, interview answers (taps and free text), corrections, questions mid-interview,
stop / restart, bad input, and red flags injected at random points. After every turn:

1. every turn that ends something (goodbye, stop, result, escalation, fallback,
   out-of-scope, an answer to a question outside the interview) has the consult
   recommendation after its last substantive message;
2. an injected red flag escalates (triage level at least the flag's level, flag recorded);
3. ``triage_level`` never goes down within a conversation;
4. a goodbye (in any words, "thanks, bye" included) or a stop is answered, in the same
   turn, with the consult recommendation after it, and ends the interview; a plain
   "thanks" inside the interview does not end it silently.

Goodbyes, stops and thanks are also sent at random points inside the interview.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from tests.conversations.red_flag_phrasings import EMERGENCY, PHRASINGS, ROUTINE, URGENT

CONSULT = "utter_consult_professional"
LEVELS = (ROUTINE, URGENT, EMERGENCY)

POOLS: Dict[str, List[str]] = {
    "greet": ["hi", "hello there", "hey", "good morning"],
    "goodbye": [
        "bye",
        "goodbye",
        "see you",
        "thats all thanks bye",
        "thanks, bye",
        "ok I'll leave it there",
        "cheers, got to go",
        "that's enough for now, bye",
    ],
    "thank": ["thanks", "thank you so much", "cheers"],
    "affirm": ["yes", "yeah", "yep"],
    "deny": ["no", "nope", "nah"],
    "dont_know": ["i don't know", "not sure", "no idea"],
    "bot_challenge": ["are you a bot?", "am i talking to a real doctor"],
    "ask_help": ["what can you do", "help"],
    "stop": ["stop", "i want to stop", "that's enough questions"],
    "out_of_scope": ["what's the weather", "can you order me a pizza", "who won the football", "my tooth hurts"],
    "ask_condition": [
        "what is sciatica",
        "tell me about a slipped disc",
        "what is spinal stenosis",
        "what's facet joint pain",
        "is a trapped nerve serious",
        "what is bursitis",
    ],
    "ask_treatment": [
        "does heat help",
        "should i take ibuprofen",
        "what exercises help back pain",
        "is physio worth it",
        "do i need surgery",
    ],
    "ask_anatomy": [
        "how many vertebrae are there",
        "what is the coccyx",
        "what does a disc do",
        "what is the sciatic nerve",
    ],
    "describe_pain": [
        "my lower back hurts",
        "i have back pain",
        "pain shooting down my leg",
        "my neck is stiff and sore",
        "my lower back hurts and it shoots down my left leg",
        "bak pain",
        "pain in my bum and thigh when i sit",
    ],
    "correction": [
        "actually it's my right leg",
        "no, it started a month ago",
        "sorry i meant my left side",
        "actually it's more like a 4",
    ],
    "bad_input": [
        "",
        "   ",
        "🙂🙂🙂",
        "<img src=x onerror=alert(1)>",
        "<b>hello</b>",
        "me duele la espalda",
        "j'ai mal au dos",
        "asdkjh qwe zzz",
        "?????",
        "x" * 3000,
        "1234567890",
        "/restart_not",
    ],
}
ANSWERS: Dict[str, List[str]] = {
    "utter_ask_pain_location": ["lower back", "neck", "upper back", "buttock", "my hip", "leg"],
    "utter_ask_pain_spreads": [
        "no it doesn't spread",
        "no, just the calf",
        "round to my ribs",
        "it spreads into my thigh",
        "it goes down below the knee",
        "it goes down into my foot",
        "yes",
        "no",
    ],
    "utter_ask_nerve_symptoms": [
        "numbness",
        "pins and needles",
        "weakness",
        "no none of those",
        "tingling and numbness",
        "yes",
        "yes, in two of my fingers",
        "dunno",
    ],
    "utter_ask_screen_cauda_equina": ["no", "nope none of those", "not sure"],
    "utter_ask_screen_weakness_progression": ["no", "yes slowly", "no it's the same"],
    "utter_ask_age": ["34", "i'm 67", "19", "not sure"],
    "utter_ask_easing_factors": ["lying down helps", "nothing", "walking", "not sure"],
    "utter_ask_aggravating_factors": [
        "bending forward",
        "leaning back",
        "sitting",
        "standing and walking",
        "coughing",
        "nothing in particular",
    ],
    "utter_ask_pain_onset": ["after lifting", "gradually", "suddenly", "not sure"],
    "utter_ask_screen_major_trauma": ["no"],
    "utter_ask_pain_duration": ["a few days", "3 weeks", "2 months", "for 6 months", "about a year"],
    "utter_ask_pain_severity": ["2", "4", "6", "8", "10", "about a 7", "5/10"],
    "utter_ask_screen_systemic": ["no", "none of those", "not sure"],
}
LEAVING = ("goodbye", "stop", "thank")
RED_FLAGS = [(text, level) for text, level in PHRASINGS if level != ROUTINE]
LOOK_ALIKES = [text for text, level in PHRASINGS if level == ROUTINE]
ENDING_RESPONSES = {"utter_goodbye", "utter_out_of_scope", "utter_default"}
ENDING_TEXT_STARTS = (
    "The best fit for what you described",
    "These are possible causes",
    "What you described doesn't clearly",
    "Because of what you told me",
    "No problem, let's stop",
    "I want to be sure you are safe",
)
# The first message of an escalation (bot/content/data/red_flags.yml, escalations).
ESCALATION_STARTS = ("Please call ", "Please get checked today", "I'm really sorry you're feeling like this")


@dataclass
class Report:
    conversations: int = 0
    turns: int = 0
    injected_red_flags: int = 0
    left_in_form: Counter = field(default_factory=Counter)  # goodbye / stop / thank sent mid-interview
    states: Set[Tuple] = field(default_factory=set)
    responses: Counter = field(default_factory=Counter)
    intents: Counter = field(default_factory=Counter)
    failures: List[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"explorer: {self.conversations} conversations, {self.turns} turns, "
            f"{len(self.states)} distinct dialogue states, {len(self.intents)} intents, "
            f"{len(self.responses)} distinct responses, {self.injected_red_flags} red flags injected, "
            f"inside the interview {self.left_in_form['goodbye']} goodbyes, {self.left_in_form['stop']} stops, "
            f"{self.left_in_form['thank']} thanks; {len(self.failures)} invariant violations"
        )


def _turn_bot(events) -> List[Tuple[Optional[str], str]]:
    from rasa.shared.core.events import BotUttered, UserUttered

    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    return [
        (e.metadata.get("utter_action"), e.text or "") for e in events[last_user + 1 :] if isinstance(e, BotUttered)
    ]


def _is_ending(name: Optional[str], text: str) -> bool:
    """A message after which the consult advice must follow in the same turn.

    The short reminder repeated on every message after an emergency is not one: it
    comes before the reply to what the person asked, which itself ends as usual.
    """
    return name in ENDING_RESPONSES or text.startswith(ENDING_TEXT_STARTS + ESCALATION_STARTS)


class Explorer:
    def __init__(self, agent, seed: int):
        self.agent = agent
        self.random = random.Random(seed)
        self.report = Report()

    async def _say(self, sender: str, text: str):
        await self.agent.handle_text(text, sender_id=sender)
        tracker = await self.agent.tracker_store.retrieve(sender)
        return tracker

    def _check_turn(
        self, conversation: str, text: str, tracker, previous_level: str, injected_level: Optional[str]
    ) -> str:
        report = self.report
        events = list(tracker.events)
        bot = _turn_bot(events)
        slots = tracker.current_slot_values()
        level = slots.get("triage_level") or ROUTINE
        report.turns += 1
        intent = (tracker.latest_message.intent or {}).get("name")
        report.intents[intent] += 1
        for name, _ in bot:
            report.responses[name or "text"] += 1
        report.states.add((tracker.active_loop_name, slots.get("requested_slot"), intent, level))
        where = f"[{conversation}] after {text[:60]!r}"
        # (1) the consult recommendation follows the last thing that ended a topic
        ending_positions = [i for i, (name, t) in enumerate(bot) if _is_ending(name, t)]
        if slots.get("new_red_flags") and not any(t.startswith(ESCALATION_STARTS) for _, t in bot):
            report.failures.append(f"{where}: new red flags {slots['new_red_flags']} but no escalation message")
        in_interview = tracker.active_loop_name == "symptom_form"
        answered_outside = any(name is None and not in_interview for name, _ in bot[-1:])
        if ending_positions or answered_outside:
            last_end = max(ending_positions + ([len(bot) - 1] if answered_outside else []))
            if not any(name == CONSULT for name, _ in bot[last_end:]):
                report.failures.append(f"{where}: no consult after {bot[last_end][1][:60]!r}; turn: {bot}")
        # (2) an injected red flag escalates
        if injected_level is not None and (
            LEVELS.index(level) < LEVELS.index(injected_level) or not slots.get("red_flags")
        ):
            report.failures.append(f"{where}: red flag not escalated (level {level}, expected {injected_level})")
        # (3) triage never goes down
        if LEVELS.index(level) < LEVELS.index(previous_level):
            report.failures.append(f"{where}: triage went down from {previous_level} to {level}")
        return level

    def _check_leaving(self, conversation: str, text: str, tracker, was_in_form: bool) -> None:
        """(4) a goodbye or a stop ends the interview with the consult advice after it;
        a plain thanks inside the interview goes on with it or ends with the advice."""
        kind = next((k for k in LEAVING if text in POOLS[k]), None)
        if kind is None:
            return
        bot = _turn_bot(list(tracker.events))
        names = [name for name, _ in bot]
        where = f"[{conversation}] after {kind} {text!r}" + (" inside the interview" if was_in_form else "")
        if was_in_form:
            self.report.left_in_form[kind] += 1
        if (tracker.current_slot_values().get("new_red_flags") or []) and kind != "goodbye":
            return  # a red flag in the same words is answered as one (checked above)
        if kind == "goodbye" and not (names and names[-1] == CONSULT and "utter_goodbye" in names):
            self.report.failures.append(f"{where}: not answered with goodbye then the consult advice: {bot}")
        if kind in ("goodbye", "stop") and tracker.active_loop_name == "symptom_form":
            self.report.failures.append(f"{where}: the interview is still running")
        if kind == "stop" and was_in_form and not (names and names[-1] == CONSULT):
            self.report.failures.append(f"{where}: no consult advice at the end: {bot}")
        if kind == "thank" and was_in_form and tracker.active_loop_name != "symptom_form" and names[-1:] != [CONSULT]:
            self.report.failures.append(f"{where}: the interview ended without the consult advice: {bot}")

    def _next_message(self, tracker) -> Tuple[str, Optional[str]]:
        """The next user message and, for an injected red flag, its level."""
        r = self.random.random()
        asked = None
        if tracker is not None and tracker.active_loop_name == "symptom_form":
            asked = f"utter_ask_{tracker.current_slot_values().get('requested_slot')}"
        if r < 0.08:
            text, level = self.random.choice(RED_FLAGS)
            return text, level
        if asked and r < 0.14:
            # Leaving, stopping or thanking at a random point inside the interview.
            return self.random.choice(POOLS[self.random.choice(LEAVING)]), None
        if asked in ANSWERS and r < 0.75:
            return self.random.choice(ANSWERS[asked]), None
        if r < 0.12:
            return self.random.choice(LOOK_ALIKES), None
        pool = self.random.choice(list(POOLS))
        return self.random.choice(POOLS[pool]), None

    async def conversation(self, opening: Optional[List[str]] = None, max_turns: Optional[int] = None) -> None:
        sender = f"explore-{uuid.uuid4().hex[:10]}"
        self.report.conversations += 1
        level = ROUTINE
        tracker = None
        script = list(opening or [])
        max_turns = max_turns or self.random.randint(2, 12)
        for _ in range(max(max_turns, len(script))):
            if script:
                text, injected = script.pop(0), None
                injected = dict(RED_FLAGS).get(text)
            else:
                text, injected = self._next_message(tracker)
            if injected:
                self.report.injected_red_flags += 1
            was_in_form = tracker is not None and tracker.active_loop_name == "symptom_form"
            tracker = await self._say(sender, text)
            level = self._check_turn(sender, text, tracker, level, injected)
            self._check_leaving(sender, text, tracker, was_in_form)
            if text in POOLS["goodbye"] and not script:
                break
        # Every conversation is ended by the person at the end; that ending too is checked.
        was_in_form = tracker is not None and tracker.active_loop_name == "symptom_form"
        tracker = await self._say(sender, "bye")
        self._check_turn(sender, "bye", tracker, level, None)
        self._check_leaving(sender, "bye", tracker, was_in_form)
        bot = _turn_bot(list(tracker.events))
        if not bot or bot[-1][0] != CONSULT:
            self.report.failures.append(f"[{sender}] the conversation did not end with the consult advice: {bot}")

    async def systematic(self) -> None:
        """Each interview question answered each way, and each red flag at each question."""
        for question, answers in ANSWERS.items():
            for answer in answers:
                await self.conversation(["my lower back hurts"] + self._path_to(question) + [answer], max_turns=16)

    def _path_to(self, question: str) -> List[str]:
        """Answers that lead from "my lower back hurts" to ``question`` (the place is known)."""
        base = ["no", "no none of those", "no", "45"]
        route = {
            "utter_ask_pain_location": [],
            "utter_ask_pain_spreads": [],
            "utter_ask_nerve_symptoms": ["no"],
            "utter_ask_screen_cauda_equina": ["no", "weakness"],
            "utter_ask_screen_weakness_progression": ["no", "weakness", "no"],
            "utter_ask_age": base[:3],
            "utter_ask_aggravating_factors": base,
            "utter_ask_easing_factors": base + ["sitting"],
            "utter_ask_pain_onset": base + ["sitting", "lying down helps"],
            "utter_ask_screen_major_trauma": base + ["sitting", "lying down helps", "i had a fall"],
            "utter_ask_pain_duration": base + ["sitting", "lying down helps", "gradually"],
            "utter_ask_pain_severity": base + ["sitting", "lying down helps", "gradually", "3 weeks"],
            "utter_ask_screen_systemic": base + ["sitting", "lying down helps", "gradually", "3 weeks", "5"],
        }
        return route[question]
