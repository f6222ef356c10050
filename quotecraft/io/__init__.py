"""Results out: the command line (`cli`), Dask for corpora (`dask`), the HTML view (`render`)
and tables (`table`)."""
