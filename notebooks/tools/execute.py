"""Executes notebooks in place with nbclient and saves their outputs (see execute.sh)."""
import os
import sys

import nbformat
from nbclient import NotebookClient

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name='python3', record_timing=False,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
    client.execute()
    nb.metadata.pop('widgets', None)
    nbformat.write(nb, path)
    print('executed', path)
