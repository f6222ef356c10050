"""Models in: the training and evaluation code, apart from the runtime.

No runtime module imports this package; ``python -m quotecraft.train COMMAND`` is its one entry
point (`quotecraft.train.__main__`): ``stanza`` (the embedded Stanza model), ``attribution``
(the learned attribution heads), ``tagparse`` (the minilm tagger and parser), ``fastparse``
(the fast path's tagger and parser) and ``evaluate`` (UD scores and speed).  `quotecraft.train.ud`
reads the UD treebanks they train on.
"""
