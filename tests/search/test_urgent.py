"""Imminent-risk messages escalate; questions about risk, weapons or threats in general do not."""

from __future__ import annotations

import pytest

from guidebot.search.urgent import is_urgent

URGENT = [
    # wordings written by someone who had not seen the detector (2026-11-23), then the first list
    "he just said in group he's going to kill her tonight when he gets home",
    "URGENT - OM here, P rang me saying he's outside his ex's house right now with a knife",
    "wsw just called, his gf is hiding in the bathroom and he's kicking the door in",
    "neighbour rang the office, says he's dragged her back into the house and she was screaming",
    "he texted her 'ur dead tonight' about 10 mins ago, she's forwarded it to the WSW",
    "guy in 1:1 said he's got petrol in the car and he's going to burn the house down with her in it",
    "she's been threatened with acid by him this morning and he's on his way to hers now",
    "police just called TM - he's breached his no contact, turned up at the school and taken the kids, won't say where he is",
    "just had a call from his ex, whispering, says he's in the house and has a baseball bat",
    "he said he'd strangle her till she stops breathing and he's leaving now to go round there",
    "tutor here - man left group early saying he's going to sort her out once and for all, he knows where she lives",
    "partner rang in a panic, he had his hands round her throat an hour ago and he's still in the flat",
    "he's got a gun, told me on the phone he's going to shoot her and then himself",
    "kid rang 999 apparently, dad's smashing up the house and mum's not answering, WSW cant reach her",
    "he just told me hes taking the kids today and she'll never see them again, hes at the school gates now",
    "wsw says victim called, he's sat outside her house in his car and has been for an hour, she's terrified",
    "pls help he's said in group he'll stab her when she gets back from work at 6",
    "offender just told me he's cut his tag off and is heading to his ex's to finish it",
    "the baby is in the house with him and he's drunk and threatening to hurt it if she doesn't come back",
    "his gf messaged the WSW 'help he's here' and now isnt answering her phone",
    "had a call from police, he's been seen outside the refuge and she's inside with the children",
    "during 1:1 he showed me a knife in his bag and said its for her tonight",
    "she's been told by him he will kill the kids tonight if she goes to court tomorrow",
    "DV call - ex just broke in thru back window, she's locked in the bedroom with the kids",
    "he's just rung me saying she's got 1 hour to let him in or he'll torch the place",
    "wsw: victim says he's threatened to choke her again tonight, he's coming round after the pub",
    "got a text from him saying 'im outside, shes not getting away this time' what do i do",
    "he said on the phone he's going to throw acid in her face, he's already on the bus to hers",
    "school called, he's turned up despite the order and is trying to take his daughter out of class right now",
    "facilitator here, man in group said his partner wont be breathing by morning and walked out",
    "he said he'd stab her if she leaves",
    "ex-partner has a knife and is outside her house",
    "kids are in danger, he's drunk and kicking the door in",
    "service user threatened to strangle his partner when he gets home",
    "she's terrified he'll kill her tonight",
    "he just told me he's got a gun",
    "worried he will hurt the baby",
    "my guy says he's going to batter her when he gets out later",
    "partner rang, he's broken in and she's hiding upstairs",
    "she says she is not safe",
]

NOT_URGENT = [
    "what do I do if a man makes a threat in group?",
    "his index offence involved a knife - can he do BBR?",
    "what's the referral threshold for MARAC?",
    "how do i score the SARA for someone with historic strangulation?",
    "can someone explain the difference between MAPPA level 1 and level 2?",
    "does the WSW contact the partner before or after the man starts the programme?",
    "which session of BBR covers jealousy and controlling behaviour?",
    "if a man discloses a past assault in group that police don't know about, what's the process?",
    "is there any research on how often threats to kill come before DA homicides?",
    "training question: how should facilitators respond to minimising like 'i only pushed her'?",
    "what's the policy on men having phones out during group sessions?",
    "do we need to tell the WSW when a man's licence has a no-contact condition?",
    "how do I make a referral to children's services when the kids were present at a previous incident?",
    "he told us in group that 5 years ago he threatened his ex with a bat - it's already in his assessment, do I need to record it again?",
    "what are the stats on reoffending after completing Building Better Relationships?",
    "hypothetically, if a man said he wanted to hurt someone, who should be told first - OM or TM?",
    "where's the template for the risk management plan?",
    "can we run a role play about threats to take the children or is that too triggering?",
    "does OASys need updating after a historic disclosure from a partner?",
    "what's the difference between the DASH and the SARA?",
    "is a firearms conviction an exclusion criterion for the programme?",
    "does anyone have the slides for the session on coercive control and using children?",
    "who chairs MARAC in our area and when's the next meeting?",
    "how long should we keep WSW contact notes?",
    "can a man with an acid attack conviction be placed in a mixed risk group?",
    "what counts as a breach of a non-molestation order vs a restraining order?",
    "man in group today talked about his anger when his ex got custody - no threats, just venting. should I note it?",
    "what's the guidance on Clare's Law disclosures - can OMs apply on behalf of a partner?",
    "his ex told the WSW he strangled her last year - she's moved away and he doesn't know where, how do I update the risk assessment?",
    "any tips for treatment managers reviewing session videos where violence is discussed?",
    "what risk tool does Kaizen use?",
    "how is risk managed in HRP?",
    "what does the programme teach about threats and violence?",
    "is weapon use covered in kaizen risk assessment?",
    "how do we keep children safe during the programme",
    "does BBR cover threats to kill in its risk assessment",
    "would a man with a knife conviction be suitable for BBR",
    "can a man who has a knife conviction do kaizen",
    "what would you do if a man had a weapon in group",
    "what if she is not safe to contact",
    "she said he had hit her last year, is he suitable for BBR",
]


@pytest.mark.parametrize("message", URGENT)
def test_imminent_risk_escalates(message: str) -> None:
    assert is_urgent(message)


@pytest.mark.parametrize("message", NOT_URGENT)
def test_questions_about_risk_do_not_escalate(message: str) -> None:
    assert not is_urgent(message)
