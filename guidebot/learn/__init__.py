"""Learning for new staff: programme facts, glossary look-ups, side-by-side comparisons, a tour and a quiz.

Everything here reads content from knowledge/ (programmes.yaml `facts:`, tour.yaml, quiz.yaml, glossary.yaml)
and returns pydantic results that the terminal and Slack each render their own way.
"""
