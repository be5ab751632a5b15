"""Spotting a message about imminent risk to a partner, ex-partner or child, so escalation comes first.

A message is urgent when it reports harm that is happening or about to happen: a threat or intent to harm,
a weapon in his hands, an attack under way, or him where she or the children are, now. Questions *about*
risk ("what risk tool does Kaizen use?", "what do I do if a man makes a threat in group?") and past events
("five years ago he threatened her") don't fire. When in doubt it escalates: a wasted escalation costs a
minute, a missed one may cost a life.
"""

from __future__ import annotations

import re

# Messages about an emergency are short; past this, only a stated threat or an attack under way counts.
LONG_MESSAGE = 600


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Hurting someone, in the words staff use and repeat.
_HARM = (
    r"(?:kill\w*|murder\w*|hurt\w*|harm\w*|stab\w*|strangl\w*|chok\w*|shoot\w*|shot|beat\w*|batter\w*|attack\w*|"
    r"assault\w*|burn\w*|rap(?:e|ed|ing)|kidnap\w*|abduct\w*|snatch\w*|smash\w*|torch\w*|set fire|set light|"
    r"throw acid|acid|petrol|finish (?:her|them|it)(?: off)?|do (?:her|them) in|sort (?:her|them) out|"
    r"get (?:her|them)|dead|not (?:be )?breathing|won'?t (?:be )?breathing|hands? (?:round|around) (?:her|his|the)|"
    r"throat|dragg?\w*|hit\w*|punch\w*|kick\w*|slap\w*|push\w* (?:her|them|mum|mother|the (?:kids?|baby|child))|drown\w*|or else|ur done|you'?re done|"
    r"deal with (?:her|them|the order)|(?:not|isn'?t) moving|locked (?:the|her|my) door|"
    r"(?:take|took|tak(?:en|ing)|get|collect\w*|snatch\w*|grab\w*) (?:the |her |his |my )?(?:\d+ ?yo|kids?|children|child|baby|"
    r"daughter|son))"
)
_WEAPON = r"(?:knife|knives|gun|firearm|crossbow|weapon\w*|machete|blade|acid|petrol|baseball bat|a bat|hammer|axe|poison|sharpening)"
# Someone who may be at risk.
_PERSON = _words(
    r"\b(?:her|she|shes|she's|partner|ex|ex's|ex-partner|ex-wife|wife|girlfriend|gf|fiancee|kids?|child|children|"
    r"baby|babies|son|daughter|boys|girls|family|victim|woman|mum|mother|refuge|school)\b"
)
# He says he will: "going to kill her", "threatening to burn the house", "he'd stab her", "ur dead tonight".
_INTENT = _words(
    r"\b(?:going to|gonna|will|'ll|'d|would|threat\w*(?: to)?|wants? to|plans? to|intends? to|swore to|"
    r"promised to|heading to|on (?:his|the) way to|coming (?:for|to))\s+(?:(?!stop\b|not\b|never\b|avoid\b|prevent\b)"
    r"[\w']+\s+){0,3}" + _HARM + r"\b"
    r"|\bur dead\b|\byou'?re dead\b|\bnot getting away\b|\bwon'?t be breathing\b"
)
# It is happening: an attack, a weapon in his hands, him where she is.
_HAPPENING = _words(
    r"\b(?:broken in|broke in|breaking in|kick\w* (?:the |her |their )?door\w*|hiding (?:from him|upstairs|in)|"
    r"barricaded|locked (?:herself|themselves) in|won'?t leave|refus\w* to leave|"
    r"(?:is|he's|hes) (?:hitting|beating|attacking|smashing|strangling|choking|dragging)|"
    r"(?:has|'s) (?:just )?(?:hit|attacked|stabbed|strangled|choked|assaulted|dragged)|"
    r"(?:has|'s|hes|got|getting|carrying|bought) (?:got )?(?:a |an )?" + _WEAPON + r"(?! conviction)|"
    r"help,? he'?s here|he'?s (?:here|in the (?:house|flat|home))|(?:cut|taken|took) (?:his|the) tag off|"
    r"(?:he'?s|he is|been seen|seen|sat|sitting|waiting|parked)(?: \w+){0,3} outside (?:her|the|their|his ex'?s))\b"
)
# Now, or very soon.
_NOW = _words(
    r"\b(?:tonight|today|now|right now|immediately|imminent\w*|this (?:morning|afternoon|evening|weekend)|"
    r"when (?:he|i) (?:leaves?|gets? out|gets? home|finish\w*)|on (?:his|the) way|heading|on the bus|"
    r"outside|at the (?:school|house|door|gates?|refuge)|turned up|is there|still (?:there|in)|"
    r"as we speak|currently|just|\d+ ?mins? ago|an hour ago|minutes ago|by (?:the )?morning|"
    r"panic\w*|terrified|screaming|whispering|not answering|isn'?t answering|can'?t reach|999|"
    r"won'?t say where|once and for all|knows where she lives)\b"
)
# A breach that puts her or the children in reach of him.
_BREACH = _words(
    r"\b(?:breach\w*|despite the order|no[- ]contact|tag off|restraining order|non-molestation|non-?mol|"
    r"prohibited steps)\b"
)
# Danger in the present tense: "the kids are in danger".
_PRESENT_DANGER = _words(
    r"\b(?:is|are|'s|'re|feels?)\s+(?:in danger|not safe|unsafe|terrified|scared for)\b(?!\s+to\b)"
)
# He is on his way to her, or free to reach her.
_MOVING = _words(
    r"\b(?:(?:going (?:to|round to)|at|to) (?:hers|her (?:house|flat|place|home|address|door|road|street|work))|"
    r"going round there|end of her (?:road|street)|banging on|wait\w* (?:out there|outside)|signed out|"
    r"fire exit|not in the building|sitting in (?:a|his|the) car|parked (?:up|outside)|found me|he'?s found|"
    r"knows where she'?s (?:staying|living)|gone (?:to|round to) (?:the|her) (?:house|flat|home)|"
    r"still in the (?:house|flat|home)|her (?:own )?front door|drove off|sat in (?:a|his|the) car|"
    r"on (?:a|the) (?:train|bus|coach) to|could be there|be there by|excluded from|where (?:she|\w+) works|"
    r"(?:her|his ex'?s) (?:new )?address|map of her|school run|(?:her|late) shifts?|cameras|keys to|"
    r"left (?:\w+ )?(?:minutes|mins) ago|gps|em alert|(?:victim'?s|refuge) (?:address|postcode)|tag is showing|"
    r"let himself in|waiting by|walk(?:ed)? past (?:the|her) house|withheld numbers|tamper|tag went offline|"
    r"(?:confirm|confirmed) (?:she|\w+) was staying|claiming to be|"
    r"heading (?:to|for|towards|over)|on (?:his|the) way|in the car|\d+ ?mins? from|minutes from|"
    r"left (?:group|the office|the session|the ap|the hostel)\w*(?: early)?|walked out|absconded|"
    r"(?:cut|taken|took) (?:his|the) tag|knows where she (?:is|lives)|where (?:his ex|she) lives|"
    r"near her|at her (?:house|flat|door|address|work)|outside|watching|filming|has a key|still has (?:a |her )?key|"
    r"exclusion zone|broken (?:his )?curfew|released|getting out|when i get out|home soon|turned up|he'?s back (?:at|round|home))\b"
)
# A threat in other words: "she won't see christmas", "she's getting what's coming".
_VEILED = _words(
    r"\b(?:won'?t see (?:christmas|tomorrow|another|the)|make (?:her|them) pay|getting what'?s coming|"
    r"see you soon|finish (?:things|it|this)|settle (?:it|this|things)|run (?:her|them)(?: both)? over|"
    r"taking (?:her|them|the kids) with him|not coming back|she'?ll regret|last thing she|end (?:it|her|them)|"
    r"teach her a lesson|rope|pills|overdose|won'?t be around|whether she likes it or not|last chance|"
    r"she'?ll be sorry|one way or another|see (?:her|them) one last time|nobody will find|it ends|"
    r"(?:she'?s|they'?re|she is|they are) coming with me|made her choice|won'?t need (?:it|the course|this)|"
    r"never see (?:them|the kids|her kids|the children|her children) again|stop him|say goodbye|while you still can|"
    r"put (?:it |something )?in her (?:tea|drink|food)|coming (?:in|through|thru) the (?:window|door)|"
    r"together forever|(?:all )?(?:go|went|die) together|goodbye (?:messages?|posts?|letters?|notes?)|"
    r"rather (?:they|we) (?:all )?\w+ (?:together )?than|going first|your choice|balcony|ledge|today'?s the day|"
    r"what he did to|do it tonight|make it look like|goodbye world|taking (?:the mrs|my wife|my ex|her) with me|"
    r"tablets|sleeping pills|crushing|in her (?:tea|drink|food)|neither of us|won'?t give (?:her|him|them) back|"
    r"won'?t let her (?:leave|go|out)|kept her (?:in|locked)|cut up photos|it'?s sorted|pretend to be|agreed code)\b"
)
# Something is wrong now: screaming, she can't be reached, she's missing.
_ALARM = _words(
    r"\b(?:screaming|shouting for help|isn'?t answering|not answering|hasn'?t (?:picked up|answered|replied)|"
    r"can'?t (?:reach|get hold of) her|(?:reported )?missing|panic\w*|terrified|999|police (?:just )?(?:called|rang)|"
    r"call (?:the )?police|crying|hysterical|on the floor|not talking|unresponsive|thud|phone(?:'s| is)? off|"
    r"straight to (?:voicemail|answerphone)|no answer|(?:gone|went) silent|ha(?:s|sn'?t) (?:not )?come back|"
    r"not returned|can'?t find|code ?word|safe ?word|help me|he'?s still here|overdose|\bOD\b|discharged himself|"
    r"drinking all day|threw her out|never seen him like this|whispering|not located|whereabouts unknown|"
    r"not answered|not like her|curtains (?:shut|closed)|shouting at her|typing (?:this )?from|police rung|"
    r"rung the police|called the police|agreed code|our code)\b"
)
# A question about procedure or programme content, which merely mentions danger.
_ABOUT = _words(
    r"^\s*(?:what|whats|what's|how|which|who|where|why|is there|are there|does|do|can|could|should|any|hypothetically|"
    r"training question|if a man|if he|if a)\b[^.?!]*\b(?:policy|procedure|protocol|process|guidance|tool|"
    r"template|assessment|framework|threshold|criteri\w*|referral|exclusion|session|slides|research|stats|"
    r"statistics|role play|record|note|difference|score|manage\w*|measure|level|who should be told|notify)\b"
    r"|\b(?:role play|the session on|hypothetically|training|research|case study|scenario|film|clip|reminder|"
    r"(?:session|group|class|meeting)s? (?:is |are |has been )?cancelled|asking generally|policy q|new starters|induction|"
    r"paperwork|stats?|figures?|femicide census|q re\b|does the (?:dash|sara|oasys|ras|rm2000|spousal)|"
    r"scoring|screening tool|risk tool|disagreement|licence variation|session video|content warning|session \d+ (?:video|handout|slides|content|materials?|role play)|"
    r"leaflet (?:says?|wording|text)|the template|supervision:|how would you|range of views|trauma|"
    r"for the case file|just noting|no rush|nothing da-related|wording|reprint\w*|"
    r"as a (?:teenager|child|kid)|"
    r"how (?:do|should) (?:we|i) (?:word|respond|reply)|asked (?:whether|if) he can|"
    r"scoring q|does anyone have|for the (?:tm |team )?meeting|handout|hypothetical\w*|for supervision|"
    r"is (?:that|it|this) (?:standard|normal|usual))\b"
)
# Asked as a general question ("when he is released does the WSW contact her?"), not told as news.
_QUESTION_FORM = _words(
    r"^\s*(?:what|whats|what's|when|who|how|which|why|where|does|do|can|could|should|is|are|will|would|if|"
    r"what if)\b|\bwhat (?:does|do) the (?:guidance|manual|policy) say\b|\bwhat should (?:i|we) (?:say|tell)\b"
)
# The past, or reassurance: "five years ago", "his index offence", "she's safe", "no threats".
_PAST_OR_SAFE = _words(
    r"\b(?:(?:years?|yrs?) ago|last (?:year|month)|in (?:19|20)\d\d|historic\w*|index offence|in his assessment|"
    r"convict\w*|used to|when he was (?:a kid|young|little)|no threats|talked about|case closed|"
    r"last (?:christmas|summer|winter|spring|autumn)|reported to police at the time|since moved|"
    r"moved (?:away|abroad|to another)|nothing has happened|was dealt with|anniversary|no partner or kids|"
    r"he'?s single|next (?:month|year|week)|no (?:current |risk )?concerns?)\b"
)
# Said outright that she is safe now: this outweighs an earlier alarm ("her phone was off ... she's fine").
_SAFE_NOW = _words(
    r"\b(?:she feels safe|(?:she'?s|she is|partner(?:'s)?|partner is) (?:(?!not\b)\w+ )?(?:safe|fine|settled)|"
    r"(?:are|is|and|confirmed) (?:now |all |both )?safe\b|urgent flag|relieved|back in (?:hmp|prison|custody)|"
    r"in custody|moved to a refuge|closing (?:the|this)|no contact since|with no contact|working away|"
    r"got hold of (?:her|the partner)|she'?s fine|(?:kids|children|partner|she|they) (?:are |is |doing )?well\b|"
    r"took it fine|we said no|no issues|rehoused|thanks all|order was granted)\b"
)


def is_urgent(text: str) -> bool:
    """True when the message reports someone may be harmed now or very soon; errs towards escalating."""
    sample = text[:4000]
    if _SAFE_NOW.search(sample):
        return False
    past_or_safe = _PAST_OR_SAFE.search(sample)
    if _HAPPENING.search(sample) and not past_or_safe:
        return True  # "he's got a gun", "he's outside her house": even in a message that asks for a number
    if _ABOUT.search(sample):
        return False
    if past_or_safe and not (_ALARM.search(sample) or (_MOVING.search(sample) and _NOW.search(sample))):
        return False  # "he threatened her five years ago" unless something is wrong now as well
    person = _PERSON.search(sample)
    now = _NOW.search(sample) or _PRESENT_DANGER.search(sample)
    if _QUESTION_FORM.search(sample):
        # a question needs a threat or an alarm now, not just a word about release, contact or her address
        return bool(person and now and (_INTENT.search(sample) or _VEILED.search(sample) or _ALARM.search(sample)))
    if person and (_INTENT.search(sample) or _VEILED.search(sample)):
        return True
    if len(sample) > LONG_MESSAGE:
        return False  # a pasted passage or report: its scattered alarming words are not one event
    harm = re.search(r"\b" + _HARM + r"\b", sample, re.IGNORECASE) or re.search(_WEAPON, sample, re.IGNORECASE)
    signs = (harm, _MOVING.search(sample), _ALARM.search(sample), _BREACH.search(sample), _VEILED.search(sample))
    signals = sum(bool(x) for x in signs)
    if not person:
        return signals >= 2 and bool(now)
    # a report (not a question about procedure or the past) of danger to her or the children
    return signals >= 1 or bool(_PRESENT_DANGER.search(sample))


ESCALATION_STEPS = [
    "If a partner, ex-partner or child may be in immediate danger, call the police on 999 now.",
    "Tell the offender manager at once, by phone, not by message.",
    "Tell the women's safety worker (partner link worker, partner support worker) at once, "
    "so the partner can be contacted and safety planning can start.",
    "Write down what was said, when and to whom, and follow your local risk escalation procedure "
    "(MARAC or MAPPA where the case is known there).",
]

ESCALATION_MESSAGE = "This sounds like someone may be at risk now. Act first: don't wait for guidance from me."

# The passage the escalation rests on (MoJ implementation study): found by meaning, not by position.
GROUNDING_QUERY = "tutor would contact the police the offender manager and the women's safety workers directly"
