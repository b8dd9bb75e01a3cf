"""What the lexicon knows, as a feature the trained recogniser reads.

The ontology lexicon names 126,000 concepts; a recogniser trained on 800 abstracts has seen few of them.
This component matches the lexicon (the entity linker's matcher) and writes, on each token of a match, its
category and position ("Drug-B", "Disease-I") into `token.ent_id`, which the recogniser's embedding layer
hashes like any other token attribute (`attrs = [..., "ENT_ID"]` in `training/configs/bio.cfg`). The
matches are kept in `doc.spans["ldn_lexicon"]` for the entity linker, which then does not match again.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ldn_graph.lexicon import Lexicon, load_lexicon
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.matcher import LexiconMatcher, shared_matcher

SPANS_KEY = "ldn_lexicon"


class LexiconFeatures:
    """spaCy component: lexicon matches as a token feature (`token.ent_id_`) and as `doc.spans`."""

    def __init__(self, nlp: Language, name: str, lexicon: Lexicon) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.lexicon = lexicon

    @property
    def matcher(self) -> LexiconMatcher:
        return shared_matcher(self.nlp, self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        tokens = list(doc)
        spans = self.matcher.match(doc, "".join(t.text_with_ws for t in tokens), tokens)
        for span in spans:
            for i in range(span.start, span.end):
                tokens[i].ent_id_ = f"{span.label_}-{'B' if i == span.start else 'I'}"
        doc.spans[SPANS_KEY] = spans
        return doc


@Language.factory(
    "ldn_lexicon_features",
    default_config={"lexicon": "", "ontology_lexicon": ""},
    assigns=["token.ent_id", "doc.spans"],
)
def make_lexicon_features(nlp: Language, name: str, lexicon: str, ontology_lexicon: str) -> LexiconFeatures:
    """Factory of the `ldn_lexicon_features` component; its config keys are the entity linker's."""
    return LexiconFeatures(nlp, name, load_lexicon(lexicon, ontology_lexicon))
