"""The helpers every reader and writer shares: the IRI shortener, the atomic writer, one-value readers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ldn_graph.atomic import gzip_bytes, write_atomic, write_gzip
from ldn_graph.namespaces import ENT, LDN, OBO, prefixed_name, shorten
from ldn_graph.rdf.values import first_text, integer, literal, one


def test_prefixed_name_takes_the_longest_namespace() -> None:
    assert prefixed_name(str(ENT) + "microglial-cell") == "ent:microglial-cell"
    # A namespace nested in another: the longer wins, whatever the order given.
    nested = {"short": "https://example.org/a/", "long": "https://example.org/a/b/"}
    assert prefixed_name("https://example.org/a/b/c", nested) == "long:c"
    assert prefixed_name(str(OBO) + "CL_0000129", {"ldn": LDN._NS}) is None


@pytest.mark.parametrize("local", ["", "has space", "a<b", "//host"])
def test_a_local_part_a_prefix_cannot_carry_stays_whole(local: str) -> None:
    iri = str(ENT) + local
    assert prefixed_name(iri) is None
    assert shorten(iri) == f"<{iri}>"


def test_write_atomic_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "caf\u00e9\r\n")
    assert target.read_bytes() == "caf\u00e9\r\n".encode()
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_atomic(target, b"again")
    assert target.read_bytes() == b"again" and target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_write_gzip_is_deterministic(tmp_path: Path) -> None:
    write_gzip(tmp_path / "a.gz", b"rows\n")
    assert gzip.decompress((tmp_path / "a.gz").read_bytes()) == b"rows\n"
    assert (tmp_path / "a.gz").read_bytes() == gzip_bytes(b"rows\n")


def test_one_value_readers_choose_the_same_value_every_time() -> None:
    g = Graph()
    s, p = URIRef("urn:s"), URIRef("urn:p")
    for value in (Literal("zeta"), Literal("alpha", lang="de"), Literal("beta", lang="en")):
        g.add((s, p, value))
    assert literal(g, s, p) == "beta"  # untagged or English first, then the smallest
    assert one(g, s, p) == Literal("alpha", lang="de") and first_text(g, s, p) == "alpha"
    assert literal(g, s, URIRef("urn:none")) is None and first_text(g, s, URIRef("urn:none")) is None
    assert integer(Literal(3)) == 3 and integer(Literal("x")) is None and integer(URIRef("urn:x")) is None
