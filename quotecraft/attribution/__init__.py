"""Sentences to attributions: the second floor of the pipeline.

`layout` (paragraphs, datelines, captions, credits), `quotes` (quotation-mark pairing), `cues`
and `cue_phrase` (speech cues and their syntax), `entities` and `speakers` (names and who a
mention is), `resolve` (the rules' attributions), `tagger` (the learned attribution tagger),
`merge` (the named reconcile steps where the rules and the tagger meet) and `rejoin` (contents
cut by a long-sentence split).  Uses `quotecraft.nlp`, `quotecraft.objects` and `quotecraft.lexicon`; never
`quotecraft.io` or `quotecraft.train`.
"""
