"""Text to parsed sentences: the first floor of the pipeline.

Tokens, sentences, the encoder pass, tags, lemmas and the dependency parse: `parse` (the
`Parser` and its `Sentence`/`Word` records), `loading` (the Stanza pipelines, offline),
`encoder` (the pretrained MiniLM encoder, read from its wheel), `tagparse` (the minilm tagger
and parser heads), `fastparse` (the fast path's tagger and parser), `treedecode` (one-root
trees), `accel` (a faster biaffine for Stanza), `bound` (cutting over-long sentences) and
`paths` (where the shipped models live).  Nothing here imports `quotecraft.attribution`,
`quotecraft.io` or `quotecraft.train`.
"""
