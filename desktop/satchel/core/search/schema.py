"""The search schema. One document per live asset."""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, FieldType, Schema
from whoosh.formats import Frequency

from satchel.core.domain.search import FACETS
from satchel.core.search.analysis import autocomplete_analyzer, plain_analyzer, text_analyzer
from satchel.core.search.pairs import PairTokenizer

# Bump when the schema or the analysers change: older indexes are then rebuilt.
SCHEMA_VERSION = "s8"
META_FACETS = ("kind", "product", "audience", "funnel_stage", "region")
# Field weights. Plain words must match `content` (which holds every text field: one
# posting list per word decides the match); a title match only adds rank.
TEXT_FIELDS = {"title": 4.0, "content": 1.0}
# Fields a query may name explicitly (title:brochure); tags and summary are kept for that.
NAMED_FIELDS = ("title", "tags", "summary", "content")


def build_schema(common: Iterable[str] = ()) -> Schema:
    """A fresh schema object (Whoosh mutates schemas, so never share one); `common` are
    the index's common words (see pairs.py)."""
    text = text_analyzer()
    fields = {
        # The asset's UUID: the key for updates and deletes; stored to map hits back.
        "id": ID(stored=True, unique=True),
        # Title words, boosted: a title hit matters most.
        "title": TEXT(analyzer=text, field_boost=TEXT_FIELDS["title"], phrase=True),
        # Tags and summary, only for queries that name them (tags:pricing).
        "tags": TEXT(analyzer=text, phrase=False),
        "summary": TEXT(analyzer=text, phrase=False),
        # Everything searchable: title, tags, summary, kind/product/audience/region words
        # (people type "atlas deck") and the text of every page. Snippets are cut from the
        # database's per-page text, so nothing is stored here.
        "content": TEXT(analyzer=text, phrase=True),
        # Pairs of common words side by side in `content`, counted: a phrase of two
        # common words is one term, not a position check per asset.
        "pairs": FieldType(Frequency(), PairTokenizer(common), scorable=True),
        # Edge n-grams of title and tag words: the as-you-type prefix is one term lookup.
        "autocomplete": TEXT(analyzer=autocomplete_analyzer(), phrase=False),
        # Unstemmed words of title, tags, summary and the start of page 1: the "did you mean"
        # vocabulary.
        "spelling": TEXT(analyzer=plain_analyzer(), phrase=False),
        # Title folded to lower case, for sorting by title.
        "title_sort": ID(sortable=True),
        "updated": DATETIME(sortable=True),
        # Columns too: the ranking signals read them per document (signals.py).
        "expires": DATETIME(sortable=True),
        "review_on": DATETIME(sortable=True),
        # Usage count, for "most used".
        "popularity": NUMERIC(int, sortable=True, bits=32),
    }
    # Facet values: one whole, folded token each ("case study"); the column per facet
    # lets counts be read per hit without stored-field lookups.
    for name in FACETS:
        fields[name] = ID(sortable=True)
    return Schema(**fields)
