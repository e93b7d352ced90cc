"""MLCommons Croissant 1.1 metadata (JSON-LD) for the Parquet tables (extra ``croissant``).

``write_croissant`` writes the Parquet tables beside the metadata file and describes
them: a ``FileSet`` per table (``<table>/*.parquet``, its parts), a ``FileObject`` per
part with its sha256 and size, and a ``RecordSet`` per table with a typed ``Field`` per
column that is a string, integer, boolean or list of strings, read from the table's
``FileSet``.  (Lists of structs, such as ``quotes.spans`` and the nested ``articles``
columns, are typed in the Parquet schema itself; Croissant 1.1 has no loader for them.)
For the bundled dataset it adds the licences, ``citeAs`` and the Responsible-AI fields
that ``docs/annotation.md`` supports; for a user's corpus it states only what the files
show.  No date or URL is given: the dataset does not know one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._api import write_text_atomic
from ._arrow import TABLES, arrow_schema
from ._optional import require
from ._parquet import write_parquet

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["croissant_metadata", "file_set_id", "write_croissant"]

CONFORMS_TO: Final = "http://mlcommons.org/croissant/1.1"
CONTEXT: Final = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
PARQUET: Final = "application/x-parquet"
# Each table's key columns (with article_id first).
KEYS: Final = {
    "articles": ("article_id",),
    "blocks": ("article_id", "block_id"),
    "entities": ("article_id", "entity_id"),
    "mentions": ("article_id", "entity_id", "position"),
    "attributions": ("article_id", "attribution_id"),
    "spans": ("article_id", "attribution_id", "role", "position"),
    "quotes": ("article_id", "quote_id"),
    "claims": ("article_id", "claim_id"),
    "quantities": ("article_id", "claim_id", "position"),
}
DESCRIPTIONS: Final = {
    "articles": "One row per article: its text blocks and its whole annotation, nested.",
    "blocks": "One row per text block (headline, caption, paragraph, ...), in reading order.",
    "entities": "One row per entity (person, organisation, place) of an article.",
    "mentions": "One row per mention of an entity: block, code-point offsets and text.",
    "attributions": "One row per attribution: who said, wrote or thinks what.",
    "spans": "One row per span of an attribution's role (source, cue, content, ...).",
    "quotes": "One row per quote: the verbatim words inside quotation marks.",
    "claims": "One row per checkable claim, with the attribution and claimant that carry it.",
    "quantities": "One row per number a claim states: value, bound, unit, measure, words.",
}

# -- what the bundled dataset can truthfully say about itself (README "Rights",
#    docs/annotation.md); tests/test_croissant.py checks these against those files.
BUNDLED_NAME: Final = "ukrnews"
BUNDLED_DESCRIPTION: Final = (
    "A German news article about the war in Ukraine (NATO on Russian losses and North"
    " Korean troops) with verified stand-off annotation: every attribution (direct,"
    " indirect, free indirect and reported speech, thought and writing) with its source,"
    " cue, content, addressee, evidence and place; the verbatim quotes; every entity and"
    " each of its mentions; and the image credit with its supply chain."
)
CREATOR: Final = {"@type": "Organization", "name": "ukrnews contributors"}
LICENCES: Final = (
    {
        "@type": "CreativeWork",
        "name": "MIT",
        "description": "The annotation (spans, attributions, entities, quotes) and the code"
        " are under the MIT licence (the file LICENSE of the package).",
    },
    {
        "@type": "CreativeWork",
        "name": "Rights of the publisher and the agencies",
        "description": "The article text, its headline, caption and image credit belong to"
        " their publisher and to the agencies credited (DPA, Reuters). They are not under"
        " the MIT licence; if you redistribute or reuse the text, the rights holders'"
        " terms apply. The image itself is not included.",
    },
)
CITE_AS: Final = (
    "@misc{ukrnews, title = {ukrnews: a German news article with verified quotes,"
    " attributions and image credits}, author = {{ukrnews contributors}},"
    " note = {Python package and dataset, version VERSION}}"
)
RAI: Final = {
    "rai:dataCollection": "One news article, transcribed character for character from the"
    " source text as received (its file and sha256 are in the articles table's source_file)."
    " Page furniture that is not the article is recorded as excluded, not dropped.",
    "rai:dataCollectionType": "Manual transcription of one published news article.",
    "rai:dataAnnotationProtocol": "Stand-off spans by block and code-point offsets, with"
    " their text, checked by the loader. Every attribution in the article is annotated with"
    " source, cue, content, addressee, evidence and place, its kind (direct, indirect,"
    " free_indirect, reported) and medium (speech, thought, writing); quotes, entities and"
    " all their mentions (coreference) too. The rules, with this article's examples and"
    " hard cases, are the package's annotation guidelines (docs/annotation.md).",
    "rai:annotationsPerItem": "2: the article was annotated twice, the second time"
    " independently and blind (from the scheme and the source text alone).",
    "rai:dataAnnotationAnalysis": "Agreement of the final data with the blind annotation"
    " (attributions matched when in the same block with content Jaccard >= 0.5):"
    " AGREEMENT. The four differences of the first draft were resolved as"
    " docs/annotation.md describes. A second blind annotation of the complete entity and"
    " claims layers agrees with the final data on all 16 entities, 48 mentions (B³ and"
    " MUC F1 1.00), 11 claims with their claimants and 3 quantities; its one difference"
    " (a claim the data lacked) was resolved by adding the claim.",
    "rai:dataLimitations": "One article from one outlet on one topic, in German: counts"
    " and agreement describe this article only and do not generalise. The agreement is"
    " between two annotators on the same article.",
    "rai:dataBiases": "A single article reflects its outlet's and its agencies' framing;"
    " the dataset does not balance sources or viewpoints.",
    "rai:personalSensitiveInformation": "Names and titles of public figures (politicians)"
    " as the published article gives them; nothing else about persons.",
    "rai:dataUseCases": "Studying quotation and reported speech in German news; testing"
    " tools for quotation attribution, coreference and fact-checking on verified spans.",
}
AGREEMENT: Final = (
    "attributions 17 matched, A 17, B 17 (P 1.00, R 1.00, F1 1.00); kind 17 of 17 "
    "(Cohen's kappa 1.00); medium 14 of 17 (Cohen's kappa 0.57); source 17 of 17; parent "
    "17 of 17; cue, exact spans 16 of 17; content, exact spans 15 of 17; content, exact "
    "but for punctuation at the ends 17 of 17; addressee, exact spans 17 of 17; evidence, "
    "exact spans 17 of 17; place, exact spans 17 of 17; quotes, exact spans 4 matched, A "
    "4, B 4 (P 1.00, R 1.00, F1 1.00); entities 9 matched, A 16, B 9 (P 1.00, R 0.56, F1 "
    "0.72); mentions, exact spans 26 matched, A 48, B 26 (P 1.00, R 0.54, F1 0.70); "
    "entity clusters, B³ P 1.00, R 1.00, F1 1.00 over 26 mentions in both; entity "
    "clusters, MUC P 1.00, R 1.00, F1 1.00 over 26 mentions in both"
)


def file_set_id(table: str) -> str:
    """The ``@id`` of a table's ``FileSet`` (its parts)."""
    return f"{table}-parquet-files"


def _data_type(pa: Any, kind: Any) -> tuple[str, bool] | None:
    """The Croissant data type of an Arrow type and whether it is an array (None: no field)."""
    if pa.types.is_list(kind):
        inner = _data_type(pa, kind.value_type)
        return None if inner is None or inner[1] else (inner[0], True)
    if pa.types.is_string(kind):
        return "sc:Text", False
    if pa.types.is_integer(kind):
        return "sc:Integer", False
    if pa.types.is_boolean(kind):
        return "sc:Boolean", False
    if pa.types.is_floating(kind):
        return "sc:Float", False
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _record_set(pa: Any, name: str, schema: Any) -> dict[str, Any]:
    fields = []
    for column in schema:
        typed = _data_type(pa, column.type)
        if typed is None:
            continue
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{name}/{column.name}",
            "name": column.name,
            "dataType": typed[0],
            "source": {
                "fileSet": {"@id": file_set_id(name)},
                "extract": {"column": column.name},
            },
        }
        if typed[1]:
            field["isArray"] = True
            field["arrayShape"] = "-1"
        fields.append(field)
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": DESCRIPTIONS[name],
        "key": [{"@id": f"{name}/{k}"} for k in KEYS[name]],
        "field": fields,
    }


def croissant_metadata(directory: str | os.PathLike[str], *, bundled: bool) -> dict[str, Any]:
    """The Croissant JSON-LD for the Parquet tables in ``directory``.

    ``bundled`` adds what is known of the bundled dataset (licences, citation, RAI).
    """
    from . import __version__  # noqa: PLC0415 - reads the package metadata

    pa = require("pyarrow", "arrow")
    root = Path(directory)
    schemas = arrow_schema()
    files: list[dict[str, Any]] = []
    for name in TABLES:
        files.append(
            {
                "@type": "cr:FileSet",
                "@id": file_set_id(name),
                "name": file_set_id(name),
                "description": f"The parts of the {name} table, in order.",
                "encodingFormat": PARQUET,
                "includes": f"{name}/*.parquet",
            }
        )
        files.extend(
            {
                "@type": "cr:FileObject",
                "@id": f"{name}/{part.name}",
                "name": f"{name}/{part.name}",
                "contentUrl": f"{name}/{part.name}",
                "contentSize": f"{part.stat().st_size} B",
                "encodingFormat": PARQUET,
                "sha256": _sha256(part),
            }
            for part in sorted((root / name).glob("*.parquet"))
        )
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": BUNDLED_NAME if bundled else root.name or "corpus",
    }
    if bundled:
        doc |= {
            "description": BUNDLED_DESCRIPTION,
            "version": __version__,
            "inLanguage": "de",
            "creator": CREATOR,
            "license": list(LICENCES),
            "citeAs": CITE_AS.replace("VERSION", __version__),
            "keywords": ["news", "quotation", "attribution", "reported speech", "German"],
            **RAI,
            "rai:dataAnnotationAnalysis": RAI["rai:dataAnnotationAnalysis"].replace(
                "AGREEMENT", AGREEMENT
            ),
        }
    else:
        doc["description"] = "Articles in the ukrnews format, exported to typed Parquet tables."
    doc["distribution"] = files
    doc["recordSet"] = [_record_set(pa, name, schemas[name]) for name in TABLES]
    return doc


def write_croissant(
    paths: Sequence[str], output: str | os.PathLike[str], *, jobs: int = 1
) -> dict[str, Any]:
    """Write the Parquet tables beside ``output``, then their Croissant metadata to ``output``."""
    target = Path(output)
    write_parquet(paths, target.parent, jobs=jobs)
    doc = croissant_metadata(target.parent, bundled=not paths)
    write_text_atomic(target, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return doc
