"""The models on plain data, and the citations."""

import pandas as pd
import pytest

import entente


def test_bdm_on_a_dataframe_matches_the_file(root):
    path = root / "examples" / "bdm-actors.csv"
    from_file = entente.bdm(path, rounds=3)
    from_df = entente.bdm(pd.read_csv(path), rounds=3)
    pd.testing.assert_frame_equal(from_file.rounds, from_df.rounds)
    assert list(from_df.rounds.columns) == ["round", "median", "mean", "min", "max", "moves"]
    assert from_df.rounds["round"].tolist()[0] == 0
    assert len(from_df.actors) == len(pd.read_csv(path)) * (len(from_df.rounds))


def test_smp_on_ktab_csv_and_dataframe(root):
    path = root / "examples" / "smp-scenario.csv"
    r = entente.smp(path, max_turns=5)
    assert r.turns >= 1
    assert set(r.positions.columns) == {"turn", "actor", "dimension", "position"}
    assert r.positions.position.between(0, 100).all()
    df = pd.read_csv(path, skiprows=1, skipinitialspace=True).dropna(axis=1, how="all")
    r2 = entente.smp(df, max_turns=5, name="DummyData_3Dim")
    assert r2.turns == r.turns
    pd.testing.assert_frame_equal(r.positions, r2.positions)


def test_landscape_exact_finds_the_global_minimum(root):
    sizes = pd.read_csv(root / "examples" / "landscape-actors.csv")
    prop = pd.read_csv(root / "examples" / "landscape-propensity.csv", index_col=0)
    r = entente.landscape(sizes, prop)
    assert len(r.coalitions) == 2
    assert sorted(sum(r.coalitions, [])) == sorted(sizes.actor)
    assert r.energy == pytest.approx(r.minima.energy.min())
    assert set(r.actors.columns) == {"actor", "frustration", "alone_change", "prefers_alone"}


def test_maxcut_on_a_small_graph():
    # A 4-cycle with unit weights: the best cut takes all four edges.
    r = entente.maxcut([(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)], time_limit=1, moves=10_000)
    assert r.cut == 4.0
    assert r.side[0] == r.side[2] != r.side[1] == r.side[3]


def test_cite_lists_the_data_sets():
    c = entente.cite()
    assert {"data", "model"} <= set(c.role)
    assert c.citation.str.contains("SIPRI").any()
    bib = entente.cite(bibtex=True)
    assert bib.count("@") == len(c)
    assert len(entente.versions()) > 5
