"""Surface forms live in `ldn_graph/lexicon/forms.py`; this module re-exports the names `pipeline/` imports
from here, and goes once `pipeline/words.py`, `entities.py` and `matcher.py` import `ldn_graph.lexicon.forms`
(they are being changed on another branch)."""

from ldn_graph.lexicon.forms import APOSTROPHES, fold, form_key, key_variants, singulars, token_key

__all__ = ["APOSTROPHES", "fold", "form_key", "key_variants", "singulars", "token_key"]
