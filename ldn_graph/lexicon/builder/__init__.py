"""The ontology lexicon builder: standard biomedical ontologies in, one compact lexicon file out.

    sources --(indra.py, obo.py, owl.py: one reader per format)--> Terms and Mappings
            --(merge.py: one concept per real thing, categories, keys, unambiguous forms)--> Concepts
            --(build.py: writes ontology/lexicon-ontologies.tsv.gz, byte for byte the same each run)

What is kept and how forms are filtered is data: `ontology/lexicon-rules.toml` and
`ontology/lexicon-stoplist.txt` (`terms.py` reads them). Only `ldn-graph lexicon build` runs this package; at
run time the pipeline reads the built file (`ldn_graph.lexicon`).
"""
