"""The frame registry: construction families, found by name in the relation extractor's config.

A frame reads one family of constructions ("X is an opioid antagonist", "side effects of X are Y", ...)
and emits what it finds through the sentence reader. Each is a function registered in spaCy's registry
under `ldn_frames` ("ldn.frame.copula.v1", ...) that returns a `Frame`; the relation extractor's `frames`
config key lists the frames it runs, in order. Other packages add frames through the entry-point group
`thinc_ldn_frames` (spaCy's registries are catalogue registries in thinc's namespace).

A frame reads a sentence in one or both of two ways:
- `apply(reader, trigger, token)`, for each token that is a trigger word of `ontology/triggers.tsv` whose
  `frame` column is one of the frame's `trigger_frames`; a token's first trigger that applies ends its turn.
  These run first, in one pass over the sentence's tokens.
- `read(reader)`, once per sentence, when the sentence has one of the frame's `lemmas` or `lowers` (a frame
  with neither reads every sentence). These run next, in the order the config lists them: a frame sees the
  local entities an earlier one made, and where two frames find the same relation the first one's
  evidence is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.tokens import Token
from spacy.util import registry

from ldn_graph.errors import ModelError

if TYPE_CHECKING:
    from ldn_graph.pipeline.frames.reader import SentenceReader
    from ldn_graph.pipeline.rules import Trigger

if not hasattr(registry, "ldn_frames"):
    registry.create("ldn_frames", entry_points=True)
FRAMES: Any = registry.ldn_frames  # type: ignore[attr-defined]  # made just above

# The frames the relation extractor runs when its config does not say (the order matters; see above).
DEFAULT_FRAMES = (
    "ldn.frame.verb.v1",
    "ldn.frame.nominal.v1",
    "ldn.frame.adjective.v1",
    "ldn.frame.copula.v1",
    "ldn.frame.class-apposition.v1",
    "ldn.frame.such-as.v1",
    "ldn.frame.parenthetical-part.v1",
    "ldn.frame.part-of-whole.v1",
    "ldn.frame.located-in.v1",
    "ldn.frame.producer-of.v1",
    "ldn.frame.metabolite-of.v1",
    "ldn.frame.dose-of.v1",
    "ldn.frame.patient-report.v1",
    "ldn.frame.side-effect-list.v1",
    "ldn.frame.condition-list.v1",
    "ldn.frame.cannot-take-with.v1",
    "ldn.frame.outcome-in-population.v1",
    "ldn.frame.comparison.v1",
    "ldn.frame.treated-population.v1",
    "ldn.frame.no-difference.v1",
    "ldn.frame.arm-outcome.v1",
    "ldn.frame.versus-placebo.v1",
    "ldn.frame.drug-for.v1",
    "ldn.frame.ranked-treatment.v1",
    "ldn.frame.limits-use.v1",
    "ldn.frame.verbless-clause.v1",
)


@dataclass(frozen=True)
class Frame:
    """A construction family: how it is triggered and what it reads."""

    name: str
    read: Callable[[SentenceReader], None] | None = None
    lemmas: frozenset[str] = frozenset()  # `read` runs only on a sentence with one of these lemmas...
    lowers: frozenset[str] = frozenset()  # ... or of these lower-cased words (both empty: every sentence)
    trigger_frames: frozenset[str] = frozenset()  # the `frame` values of triggers.tsv that `apply` reads
    apply: Callable[[SentenceReader, Trigger, Token], bool] | None = None

    def wants(self, lemmas: set[str], lowers: set[str]) -> bool:
        """Whether `read` has anything to read in a sentence with these lemmas and lower-cased words."""
        if not self.lemmas and not self.lowers:
            return True
        return not self.lemmas.isdisjoint(lemmas) or not self.lowers.isdisjoint(lowers)


@dataclass(frozen=True)
class FrameSet:
    """The frames one relation extractor runs: those read per trigger word, and those read per sentence."""

    by_trigger_frame: dict[str, Frame]
    sentence_frames: tuple[Frame, ...]


def load_frames(names: Iterable[str]) -> FrameSet:
    """The registered frames of these names; an unknown name, or two frames reading the same triggers,
    is a one-line error naming the config key."""
    import ldn_graph.pipeline.frames  # noqa: F401  (registers the bundled frames)

    where = "[components.ldn_relation_extractor] frames"
    by_trigger_frame: dict[str, Frame] = {}
    sentence_frames: list[Frame] = []
    registered = FRAMES.get_all()  # the bundled frames and those of installed packages' entry points
    for name in names:
        if name not in registered:
            known = ", ".join(sorted(registered))
            raise ModelError(f"unknown frame {name!r} (registered: {known})", where=where)
        frame = registered[name]()
        for value in frame.trigger_frames:
            if value in by_trigger_frame:
                other = by_trigger_frame[value].name
                raise ModelError(
                    f"frames {other!r} and {frame.name!r} both read {value!r} triggers", where=where
                )
            by_trigger_frame[value] = frame
        if frame.read is not None:
            sentence_frames.append(frame)
    return FrameSet(by_trigger_frame, tuple(sentence_frames))
