"""Bad input raises Python exceptions with the engine's located messages, never a crash."""

import pytest

import entente

BAD = """[scenario]
name = "bad"

[world]
base_year = 2024
horizon_years = 4
actors = ["USA", "JPN", "XXX"]

[experiment]
base_samples = 4
seed = 1

[[options]]
id = "status-quo"
"""


def test_scenario_error_carries_located_problems(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(BAD)
    with pytest.raises(entente.ScenarioError) as e:
        entente.run(p, base_samples=2, out=tmp_path / "o", store=tmp_path / "s.sqlite")
    probs = e.value.problems
    assert probs, "at least one problem"
    xxx = [q for q in probs if "XXX" in q.message]
    assert xxx, [str(q) for q in probs]
    assert xxx[0].file == str(p)
    assert xxx[0].line == 7
    assert xxx[0].column > 1
    assert f"{p}:7:" in str(e.value)
    assert isinstance(e.value, entente.EntenteError)
    assert not (tmp_path / "o").exists()


def test_toml_syntax_error_is_located(tmp_path):
    p = tmp_path / "syntax.toml"
    p.write_text('[scenario]\nname = "x"\nthis is not toml\n')
    with pytest.raises(entente.ScenarioError) as e:
        entente.run(p, store=tmp_path / "s.sqlite")
    (q,) = e.value.problems
    assert (q.file, q.line) == (str(p), 3)


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    p = tmp_path / "two.toml"
    p.write_text(BAD.replace('base_year = 2024', 'base_year = 3000'))
    with pytest.raises(entente.ScenarioError) as e:
        entente.run(p, store=tmp_path / "s.sqlite")
    assert len(e.value.problems) >= 2


def test_dict_scenario_problems_are_located_in_its_toml(tmp_path):
    with pytest.raises(entente.ScenarioError) as e:
        entente.run({"scenario": {"name": "d"}}, store=tmp_path / "s.sqlite")
    assert all(q.file == "<dict>" for q in e.value.problems)


def test_too_few_draws_and_missing_files(tmp_path):
    with pytest.raises(entente.InputError, match="2-100000"):
        entente.run(base_samples=1, store=tmp_path / "s.sqlite")
    with pytest.raises(entente.InputError, match="1-10000000"):
        entente.run(draws=0, store=tmp_path / "s.sqlite")
    with pytest.raises(entente.InputError, match="1-10000000"):
        entente.run(draws=10**12, store=tmp_path / "s.sqlite")
    with pytest.raises(entente.InputError, match="not both"):
        entente.run(draws=30, base_samples=2, store=tmp_path / "s.sqlite")
    with pytest.raises(FileNotFoundError):
        entente.run(tmp_path / "nope.toml")


def test_bad_model_tables_raise_located_input_errors():
    import pandas as pd

    df = pd.DataFrame({"Actor": ["A", "B"], "Capability": [1.0, "lots"],
                       "Position": [0, 1], "Salience": [1, 1]})
    with pytest.raises(entente.InputError, match="Capability"):
        entente.bdm(df)
    with pytest.raises(entente.InputError, match="loop"):
        entente.maxcut([(0, 0, 1.0)], n=2)
    with pytest.raises(entente.InputError):
        entente.smp("scenario.txt")


def test_bad_hindcast_window(tmp_path):
    with pytest.raises(entente.InputError, match="base year"):
        entente.hindcast(1990, store=tmp_path / "s.sqlite")
