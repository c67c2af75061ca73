"""Stand-in for the ``duckdb`` Python module, used only to execute the notebooks where that module cannot be
installed (it is not packaged for Debian). Each statement runs in the real DuckDB engine through its Node.js
binding (@duckdb/node-api, a devDependency of this repository) in a helper process, and results come back as
pandas DataFrames. It covers what the notebooks use: ``connect()``, ``con.execute(sql[, params])``,
``con.sql(sql)``, ``.df()`` and ``.fetchall()``. The notebooks' own code is the same with the real module.
"""
import json
import os
import subprocess

import numpy as np
import pandas as pd

_BRIDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'duckdb-bridge.mjs')
_INTS = {'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER'}
_FLOATS = {'FLOAT', 'DOUBLE', 'REAL'}
__version__ = None


class Error(Exception):
    pass


def _column(values, typ):
    """A pandas Series the way duckdb's .df() types it: int64/uint64, float64 where ints have NULLs, objects."""
    base = typ.split('(')[0]
    if base in _INTS or base == 'UBIGINT':
        if any(v is None for v in values):
            return pd.Series([np.nan if v is None else float(int(v)) for v in values], dtype='float64')
        return pd.Series([int(v) for v in values], dtype='uint64' if base == 'UBIGINT' else 'int64')
    if base in _FLOATS or base == 'DECIMAL':
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype='float64')
    if base == 'BOOLEAN':
        return pd.Series(values, dtype='object' if None in values else 'bool')
    return pd.Series(values, dtype='object')


class DuckDBPyRelation:
    def __init__(self, reply):
        self.columns = reply['columns']
        self.types = reply['types']
        self._rows = reply['rows']

    def df(self):
        cols = list(zip(*self._rows)) if self._rows else [[] for _ in self.columns]
        return pd.DataFrame({name: _column(list(vals), typ) for name, vals, typ in zip(self.columns, cols, self.types)})

    def fetchall(self):
        return [tuple(r) for r in self._rows]


class DuckDBPyConnection:
    def __init__(self, database=':memory:'):
        global __version__
        self._p = subprocess.Popen(['node', _BRIDGE, database], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        __version__ = json.loads(self._p.stdout.readline())['version']
        self._last = None

    def _run(self, sql, params=None):
        self._p.stdin.write(json.dumps({'sql': sql, 'params': params}) + '\n')
        self._p.stdin.flush()
        reply = json.loads(self._p.stdout.readline())
        if 'error' in reply:
            raise Error(reply['error'])
        return DuckDBPyRelation(reply)

    def execute(self, query, parameters=None):
        self._last = self._run(query, parameters)
        return self

    def sql(self, query, params=None):
        return self._run(query, params)

    def df(self):
        return self._last.df()

    def fetchall(self):
        return self._last.fetchall()

    def close(self):
        self._p.stdin.close()
        self._p.wait()


def connect(database=':memory:', read_only=False):
    return DuckDBPyConnection(database)
