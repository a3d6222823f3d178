"""Reports in, datasets out: tables (pure functions), writers (CSV, Parquet, SQLite), codebook.

`output.publish.publish(docs, out_dir)` is the one call the pipeline makes; `schema.tables()`
defines every published column once for all of them.
"""
