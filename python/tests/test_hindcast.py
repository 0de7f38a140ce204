"""entente.hindcast: the CLI's hindcast path, scored against what happened."""

import sqlite3

import entente


def test_a_small_hindcast_scores_and_records(workdir):
    h = entente.hindcast(2016, 2024, draws=2, seed=1, out=workdir / "h")
    assert (h.start, h.end) == (2016, 2024)
    assert h.n_draws >= 2
    f = h.forecast
    assert set(f.option) == {"observed", "frozen"}
    assert f.year.min() == 2017 and f.year.max() == 2024
    assert (f.value_const2023_usd_m.dropna() > 0).all()
    s = h.scores
    assert s["schema"].startswith("entente.hindcast/")
    assert h.report_path.is_file()
    con = sqlite3.connect(workdir / "store.sqlite")
    (kind, status), = con.execute("SELECT kind, status FROM runs WHERE id = ?", (h.run_id,)).fetchall()
    con.close()
    assert (kind, status) == ("hindcast", "complete")
