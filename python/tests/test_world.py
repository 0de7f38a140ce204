"""entente.world / entente.dyads: pandas tables with units, source flags and NA."""

import io

import pandas as pd
import pyarrow as pa
import pytest

import entente


def test_world_has_every_state_with_units_and_source_flags():
    w = entente.world(2024)
    assert isinstance(w, pd.DataFrame)
    assert len(w) > 180
    for col in ("milex_const2023_usd_m", "milex_const2023_source", "gdp_current_usd_bn",
                "population_k", "nuclear_warheads_source", "cinc"):
        assert col in w.columns
    usa = w[w.iso3 == "USA"].iloc[0]
    assert usa.milex_const2023_source == "sipri"
    assert usa.milex_const2023_usd_m > 500_000
    assert bool(usa.major_power)


def test_world_missing_is_na_never_zero():
    w = entente.world(2024)
    # Spending is recorded for the SIPRI states only: the rest are missing, not 0.
    milex = w["milex_const2023_usd_m"]
    assert milex.isna().any()
    assert (milex.dropna() >= 0).all()
    # The one real zero is sourced: Iceland has no armed forces (SIPRI).
    zero = w[milex == 0]
    assert list(zero.iso3) == ["ISL"] and list(zero.milex_const2023_source) == ["sipri"]
    assert str(milex.dtype) == "Float64"
    # A missing value's source flag is missing too.
    src = w.loc[milex.isna(), "milex_const2023_source"]
    assert src.isna().all()


def test_world_selects_actors_and_groups_in_order():
    w = entente.world(2024, actors=["JPN", "KOR"])
    assert list(w.iso3) == ["JPN", "KOR"]
    ip4 = entente.world(2024, actors="IP4")
    assert sorted(ip4.iso3) == ["AUS", "JPN", "KOR", "NZL"]
    assert (entente.world(1936, actors=["DEU", "FRA"]).year == 1936).all()


def test_world_matches_the_cli_csv(cli, tmp_path):
    from conftest import run_cli

    csv = run_cli(cli, "world", "--year", "2024", "--actors", "JPN,KOR,PRK",
                  "--format", "csv", cwd=tmp_path).stdout
    expected = pd.read_csv(io.StringIO(csv), keep_default_na=False, na_values=["NA"])
    got = entente.world(2024, actors=["JPN", "KOR", "PRK"])
    assert list(got.columns) == list(expected.columns)
    for col in ("milex_const2023_usd_m", "population_k", "cinc"):
        a = got[col].astype("float64").to_numpy()
        b = expected[col].astype("float64").to_numpy()
        assert ((a == b) | (pd.isna(a) & pd.isna(b))).all(), col


def test_dyads_pairs_with_ties_and_distances():
    d = entente.dyads(2024, ["USA", "JPN", "CHN"])
    assert len(d) == 3
    usa_jpn = d[(d.iso3_a == "USA") & (d.iso3_b == "JPN")].iloc[0]
    assert bool(usa_jpn.defence)
    assert usa_jpn.capital_distance_km > 10_000
    assert not bool(d[(d.iso3_a == "USA") & (d.iso3_b == "CHN")].iloc[0].defence)


def test_world_tables_are_arrow_underneath():
    from entente import _entente

    t = _entente.world_table(2024, ["FRA"])
    table = pa.table(t)
    assert table.num_rows == 1
    assert table.schema.field("milex_const2023_usd_m").type == pa.float64()
    assert table.schema.field("ccode").type == pa.int64()


def test_bad_year_and_bad_actor_raise_input_errors():
    with pytest.raises(entente.InputError, match="1700"):
        entente.world(1700)
    with pytest.raises(entente.InputError, match="NOPE"):
        entente.world(2024, actors=["JPN", "NOPE"])
    assert issubclass(entente.InputError, entente.EntenteError)


def test_align_gives_three_places_per_actor_like_the_cli():
    a = entente.align(2024, draws=8)
    assert list(a.columns) == ["state", "unit", "observed", "west", "east", "unaligned", "modal"]
    shares = a[["west", "east", "unaligned"]].sum(axis=1)
    assert ((shares - 1.0).abs() < 1e-12).all()
    prk = a[a.state == "PRK"].iloc[0]
    assert prk.observed == "east" and prk.east >= 0.8
    assert a[a.state == "USA"].iloc[0].modal == "west"


def test_align_refuses_a_year_outside_the_data():
    with pytest.raises(entente.InputError, match="1800"):
        entente.align(1800, draws=2)
