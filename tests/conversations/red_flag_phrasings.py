"""Lay phrasings of red flags, and look-alikes that must not escalate.

Shared by the table-driven test and the dialogue explorer. Level: the triage level
the message alone must lead to.
"""

EMERGENCY, URGENT, ROUTINE = "emergency", "urgent", "routine"

PHRASINGS = [
    # ---- emergency: cauda equina
    ("i can't pee since this morning", EMERGENCY),
    ("i wet myself without noticing", EMERGENCY),
    ("ive lost control of my bladder", EMERGENCY),
    ("cant feel when i need to wee", EMERGENCY),
    ("i pooed myself and didnt realise", EMERGENCY),
    ("i cant control my bowels anymore", EMERGENCY),
    ("numb between my legs", EMERGENCY),
    ("numbness around my bum and genitals", EMERGENCY),
    ("it's numb down below when i wipe", EMERGENCY),
    ("tingling in my inner thighs and privates", EMERGENCY),
    ("both my legs are numb", EMERGENCY),
    ("sciatica in both legs", EMERGENCY),
    ("weakness in both legs", EMERGENCY),
    ("pins and needles in both feet and my back is killing me", EMERGENCY),
    ("i can't get an erection since my back went", EMERGENCY),
    # ---- emergency: heart, aorta, trauma, rapid weakness
    ("chest pain and pain between my shoulder blades", EMERGENCY),
    ("my chest feels tight and my upper back hurts", EMERGENCY),
    ("pain going into my jaw and upper back", EMERGENCY),
    ("im short of breath with this back pain", EMERGENCY),
    ("sudden tearing pain in my back", EMERGENCY),
    ("i feel faint and my back is agony", EMERGENCY),
    ("i was in a car crash yesterday and my back hurts", EMERGENCY),
    ("fell off a ladder and landed on my back", EMERGENCY),
    ("i can't move my legs", EMERGENCY),
    ("my leg is getting weaker by the hour", EMERGENCY),
    # ---- urgent
    ("i've got a fever and back pain", URGENT),
    ("feeling shivery with chills and my back aches", URGENT),
    ("i had breast cancer five years ago", URGENT),
    ("im having chemo and now my back hurts", URGENT),
    ("lost weight without trying and my back aches", URGENT),
    ("the pain wakes me up every night", URGENT),
    ("its constant pain even when resting", URGENT),
    ("i inject drugs", URGENT),
    ("im on immunosuppressants after a transplant", URGENT),
    ("my foot drags when i walk", URGENT),
    ("i have foot drop on the right", URGENT),
    ("i have osteoporosis and had a fall", URGENT),
    ("been on steroids for years and slipped on the ice and fell", URGENT),
    ("my hands are clumsy and my neck hurts", URGENT),
    ("i feel unsteady when i walk", URGENT),
    ("there's a lump on my back", URGENT),
    ("hiv positive and back pain", URGENT),
    ("night sweats and back pain", URGENT),
    ("the weakness in my leg is getting worse", URGENT),
    # ---- benign look-alikes and negations: must not escalate
    ("my bike saddle is uncomfortable", ROUTINE),
    ("no numbness anywhere", ROUTINE),
    ("no problems with my bladder or bowels", ROUTINE),
    ("i don't have a fever", ROUTINE),
    ("no chest pain", ROUTINE),
    ("never had cancer", ROUTINE),
    ("my legs are fine, it's just my lower back", ROUTINE),
    ("i can pee fine", ROUTINE),
    ("my weight is stable", ROUTINE),
    ("sitting makes my back worse", ROUTINE),
    ("it hurts when i bend over", ROUTINE),
    ("my back is stiff in the morning", ROUTINE),
    ("no tingling or weakness in my legs", ROUTINE),
    ("i haven't lost weight", ROUTINE),
    ("i lift weights at the gym", ROUTINE),
    ("my bladder is fine", ROUTINE),
    ("i work as a cancer nurse", ROUTINE),
    ("a faint ache in my lower back", ROUTINE),
    ("i sit all the time at work", ROUTINE),
    ("hot and cold packs help a bit", ROUTINE),
    ("i went for a walk and it felt better", ROUTINE),
]

assert len(PHRASINGS) >= 60
