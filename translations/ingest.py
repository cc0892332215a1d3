"""Linear-time ingestion of translated StreamField segments (wagtail-localize 1.14).

wagtail-localize writes each translated block back by looking its block id up in the
stream, one pass over the stream per block (`StreamFieldSegmentsWriter.
get_stream_block_child_data`): a body of n blocks costs n²/2 steps each time a translation
is saved, 4.5 million for a page of 3,000 paragraphs. Here the lookup reads the stream once
into a table of its blocks by id, kept for the writer's life (one field of one save); the
first block of an id wins, as in upstream's pass.

Written for wagtail-localize 1.14's `get_stream_block_child_data` (its digest, checked as the
site starts: home/upstream.py); tests/translations/test_exchange.py counts upstream's own
passes and fails once upstream looks blocks up in one pass itself.
"""

from wagtail_localize.segments.ingest import StreamFieldSegmentsWriter

from home.upstream import replace

# The digest of the source of upstream's `StreamFieldSegmentsWriter.get_stream_block_child_data`.
UPSTREAM_DIGEST = "f6911082bbd0f2a6"


def _child_by_id(self, stream_block, block_uuid):
    tables = self.__dict__.setdefault("_procura_children_by_id", {})
    held = tables.get(id(stream_block))
    if held is None or held[0] is not stream_block:
        table = {}
        for child in stream_block:
            table.setdefault(child.id, child)
        held = tables[id(stream_block)] = (stream_block, table)
    return held[1].get(block_uuid)


def look_blocks_up_in_one_pass():
    replace(
        StreamFieldSegmentsWriter,
        "get_stream_block_child_data",
        _child_by_id,
        UPSTREAM_DIGEST,
        "translations/ingest.py",
    )
