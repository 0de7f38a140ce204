//! Draws files: Parquet round trip and layout, CSV text, atomic writes.

use std::fs::{self, File};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema};
use entente_store::atomic::tmp_path;
use entente_store::draws_parquet::{draws_schema, RUN_ID_KEY, SEED_KEY, VERSION_KEY};
use entente_store::{
    read_draws_parquet, write_atomically, write_draws_csv, write_draws_parquet, DrawDesign,
    DrawRow, DrawTable, RunIdentity, StoreError,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;

/// Two options, two years, a state and a system-level metric, a missing value, two parameters.
fn sample() -> DrawTable {
    let mut t = DrawTable::new(["escalation_k", "alliance_weight"]).unwrap();
    for draw in 0..4u32 {
        let params = [0.25 * f64::from(draw), 1.0 - 0.1 * f64::from(draw)];
        let mut rows = t.begin_draw(draw, &params).unwrap();
        for option in ["baseline", "aukus+"] {
            for year in [2030, 2031] {
                let v = f64::from(draw) / 10.0 + f64::from(year - 2030);
                rows.push(option, year, "USA", "p_war", Some(v)).unwrap();
                rows.push(option, year, "CHN", "milex_usd_m", Some(1e5 * v))
                    .unwrap();
                // Missing in odd draws: must come back as null, never 0.
                let sys = (draw % 2 == 0).then_some(v * 2.0);
                rows.push(option, year, "", "polarity", sys).unwrap();
            }
        }
    }
    t
}

#[test]
fn parquet_round_trip_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draws.parquet");
    let table = sample();
    assert_eq!(table.len(), 4 * 2 * 2 * 3);
    write_draws_parquet(&path, &table).unwrap();
    let back = read_draws_parquet(&path).unwrap();
    assert_eq!(back, table);
    assert_eq!(back.param_names(), ["escalation_k", "alliance_weight"]);
    assert_eq!(back.draw_count(), 4);
    assert_eq!(back.draw_params(3), Some(&[0.75, 0.7][..]));
    assert!(!tmp_path(&path).exists());
}

#[test]
fn parquet_schema_nulls_parameters_and_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draws.parquet");
    let table = sample();
    write_draws_parquet(&path, &table).unwrap();

    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap();
    assert!(kv
        .iter()
        .any(|e| e.key == VERSION_KEY && e.value.as_deref() == Some(env!("CARGO_PKG_VERSION"))));
    let schema = builder.schema().clone();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "draw",
            "option",
            "year",
            "state",
            "metric",
            "value",
            "escalation_k",
            "alliance_weight"
        ]
    );
    let types: Vec<&DataType> = schema.fields().iter().map(|f| f.data_type()).collect();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    assert_eq!(
        types,
        [
            &DataType::UInt32,
            &dict,
            &DataType::Int32,
            &DataType::Utf8,
            &DataType::Utf8,
            &DataType::Float64,
            &DataType::Float64,
            &DataType::Float64
        ]
    );
    assert!(schema.field(5).is_nullable());
    assert!(!schema.field(6).is_nullable());

    // The option column is stored with a Parquet dictionary, not just declared one.
    let meta = builder.metadata().clone();
    let option_chunk = meta.row_group(0).column(1);
    assert!(option_chunk.dictionary_page_offset().is_some());

    let batches: Vec<RecordBatch> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, table.len());
    let b = &batches[0];
    let option = b.column(1).as_dictionary::<Int32Type>();
    let values = option.values().as_string::<i32>();
    let mut dict_values: Vec<&str> = (0..values.len()).map(|i| values.value(i)).collect();
    dict_values.sort_unstable();
    assert_eq!(dict_values, ["aukus+", "baseline"]);

    // Nulls exactly where the table has None; parameters repeated on every row of the draw.
    let value = b.column(5).as_any().downcast_ref::<Float64Array>().unwrap();
    let draw = b.column(0).as_any().downcast_ref::<UInt32Array>().unwrap();
    let k = b.column(6).as_any().downcast_ref::<Float64Array>().unwrap();
    let state = b.column(3).as_string::<i32>();
    let mut nulls = 0;
    for (i, row) in table.rows().enumerate() {
        assert_eq!(value.is_null(i), row.value.is_none(), "row {i}");
        nulls += usize::from(value.is_null(i));
        assert_eq!(draw.value(i), row.draw);
        assert_eq!(k.value(i), 0.25 * f64::from(row.draw));
        assert_eq!(state.value(i), row.state);
    }
    assert_eq!(
        nulls,
        2 * 2 * 2,
        "odd draws x options x years of the system metric"
    );
}

#[test]
fn parquet_spans_several_batches_and_row_groups() {
    // More rows than one 65 536-row batch, so keys are sliced across batches.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.parquet");
    let mut t = DrawTable::new(["a"]).unwrap();
    for draw in 0..700u32 {
        let mut rows = t.begin_draw(draw, &[f64::from(draw).sqrt()]).unwrap();
        for i in 0..100 {
            let option = ["x", "y", "z"][i % 3];
            rows.push(option, 2000 + i as i32, "FRA", "m", Some(i as f64))
                .unwrap();
        }
    }
    assert_eq!(t.len(), 70_000);
    write_draws_parquet(&path, &t).unwrap();
    assert_eq!(read_draws_parquet(&path).unwrap(), t);
}

#[test]
fn empty_table_and_no_parameters_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.parquet");
    let t = DrawTable::new(Vec::<String>::new()).unwrap();
    write_draws_parquet(&path, &t).unwrap();
    let back = read_draws_parquet(&path).unwrap();
    assert!(back.is_empty());
    assert!(back.param_names().is_empty());
}

#[test]
fn read_accepts_plain_string_option_and_rejects_wrong_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, schema: Schema, cols: Vec<ArrayRef>| {
        let path = dir.path().join(name);
        let schema = Arc::new(schema);
        let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
        let mut w = ArrowWriter::try_new(File::create(&path).unwrap(), schema, None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        path
    };
    let fixed = |option_type: DataType| {
        vec![
            Field::new("draw", DataType::UInt32, false),
            Field::new("option", option_type, false),
            Field::new("year", DataType::Int32, false),
            Field::new("state", DataType::Utf8, false),
            Field::new("metric", DataType::Utf8, false),
            Field::new("value", DataType::Float64, true),
        ]
    };
    let cols = |extra: Vec<ArrayRef>| {
        let mut c: Vec<ArrayRef> = vec![
            Arc::new(UInt32Array::from(vec![0, 1])),
            Arc::new(StringArray::from(vec!["base", "base"])),
            Arc::new(Int32Array::from(vec![2030, 2030])),
            Arc::new(StringArray::from(vec!["USA", ""])),
            Arc::new(StringArray::from(vec!["p", "p"])),
            Arc::new(Float64Array::from(vec![Some(0.5), None])),
        ];
        c.extend(extra);
        c
    };

    // Plain-string option (as R or pandas may re-save it) reads fine.
    let mut fields = fixed(DataType::Utf8);
    fields.push(Field::new("k", DataType::Float64, false));
    let ok = write(
        "plain.parquet",
        Schema::new(fields),
        cols(vec![Arc::new(Float64Array::from(vec![1.0, 2.0]))]),
    );
    let t = read_draws_parquet(&ok).unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t.row(1).unwrap().value, None);
    assert_eq!(t.row(1).unwrap().params, [2.0]);

    // A parameter column that is not Float64.
    let mut fields = fixed(DataType::Utf8);
    fields.push(Field::new("k", DataType::Int32, false));
    let bad = write(
        "int_param.parquet",
        Schema::new(fields),
        cols(vec![Arc::new(Int32Array::from(vec![1, 2]))]),
    );
    let err = read_draws_parquet(&bad).unwrap_err();
    assert!(matches!(err, StoreError::Layout { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("int_param.parquet") && text.contains("`k`"),
        "{text}"
    );

    // A missing fixed column.
    let mut fields = fixed(DataType::Utf8);
    fields.remove(2);
    let mut c = cols(vec![]);
    c.remove(2);
    let bad = write("no_year.parquet", Schema::new(fields), c);
    let text = read_draws_parquet(&bad).unwrap_err().to_string();
    assert!(
        text.contains("no_year.parquet") && text.contains("no `year` column"),
        "{text}"
    );

    // Two rows of one draw with different parameters.
    let mut fields = fixed(DataType::Utf8);
    fields.push(Field::new("k", DataType::Float64, false));
    let mut c = cols(vec![Arc::new(Float64Array::from(vec![1.0, 2.0]))]);
    c[0] = Arc::new(UInt32Array::from(vec![7, 7]));
    let bad = write("mixed.parquet", Schema::new(fields), c);
    let text = read_draws_parquet(&bad).unwrap_err().to_string();
    assert!(
        text.contains("mixed.parquet") && text.contains("row 2") && text.contains("draw 7"),
        "{text}"
    );

    // Not a Parquet file at all.
    let junk = dir.path().join("junk.parquet");
    fs::write(&junk, "draw,option\n").unwrap();
    let err = read_draws_parquet(&junk).unwrap_err();
    assert!(
        matches!(err, StoreError::Parquet { .. }) && err.to_string().contains("junk.parquet"),
        "{err}"
    );
}

#[test]
fn csv_has_the_same_columns_and_na_for_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draws.csv");
    let mut t = DrawTable::new(["k"]).unwrap();
    let mut rows = t.begin_draw(3, &[1e-7]).unwrap();
    rows.push("base, with comma", 2030, "USA", "p_war", Some(0.1))
        .unwrap();
    rows.push("base, with comma", 2030, "", "polarity", None)
        .unwrap();
    rows.push("alt", -5, "CHN", "x", Some(f64::INFINITY))
        .unwrap();
    rows.push("alt", 2031, "CHN", "x", Some(f64::NAN)).unwrap();
    rows.push("alt", 2031, "CHN", "y", Some(1e300)).unwrap();
    rows.push("alt", 2031, "CHN", "z", Some(-2.0)).unwrap();
    write_draws_csv(&path, &t).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let expected = "\
draw,option,year,state,metric,value,k
3,\"base, with comma\",2030,USA,p_war,0.1,1e-7
3,\"base, with comma\",2030,,polarity,NA,1e-7
3,alt,-5,CHN,x,Inf,1e-7
3,alt,2031,CHN,x,NaN,1e-7
3,alt,2031,CHN,y,1e300,1e-7
3,alt,2031,CHN,z,-2.0,1e-7
";
    assert_eq!(text, expected);
    assert!(!tmp_path(&path).exists());
}

#[test]
fn failed_write_leaves_no_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    // A write that fails halfway: no final file, no .tmp.
    let err = write_atomically(&path, |out, path| {
        use std::io::Write;
        out.write_all(b"draw,option\n0,half").unwrap();
        Err(StoreError::Table(format!(
            "simulated failure writing {}",
            path.display()
        )))
    })
    .unwrap_err();
    assert!(err.to_string().contains("simulated failure"));
    assert!(!path.exists());
    assert!(!tmp_path(&path).exists());

    // An earlier complete file survives a failed rewrite untouched.
    write_draws_csv(&path, &sample()).unwrap();
    let before = fs::read(&path).unwrap();
    let _ = write_atomically(&path, |out, _| {
        use std::io::Write;
        out.write_all(b"garbage").unwrap();
        Err(StoreError::Table("simulated".into()))
    })
    .unwrap_err();
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!tmp_path(&path).exists());
}

#[test]
fn unwritable_place_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_such_dir").join("draws.parquet");
    let err = write_draws_parquet(&path, &sample()).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    assert!(err.to_string().contains("draws.parquet.tmp"), "{err}");
    assert!(!path.exists());

    // The rename fails when the final name is a directory: nothing left but that directory.
    let blocked = dir.path().join("blocked.parquet");
    fs::create_dir(&blocked).unwrap();
    fs::write(blocked.join("keep"), "x").unwrap();
    let err = write_draws_parquet(&blocked, &sample()).unwrap_err();
    assert!(err.to_string().contains("blocked.parquet"), "{err}");
    assert!(blocked.is_dir());
    assert!(!tmp_path(&blocked).exists());
}

#[test]
fn table_rejects_bad_parameters() {
    assert!(DrawTable::new(["value"]).is_err());
    assert!(DrawTable::new(["a", "a"]).is_err());
    assert!(DrawTable::new([""]).is_err());
    let mut t = DrawTable::new(["a", "b"]).unwrap();
    let row = |params| DrawRow {
        draw: 1,
        option: "o",
        year: 2030,
        state: "USA",
        metric: "m",
        value: Some(1.0),
        params,
    };
    let err = t.push(row(&[1.0])).unwrap_err().to_string();
    assert!(err.contains("1 parameter values for 2"), "{err}");
    t.push(row(&[1.0, 2.0])).unwrap();
    t.push(row(&[1.0, 2.0])).unwrap();
    let err = t.push(row(&[1.0, 3.0])).unwrap_err().to_string();
    assert!(err.contains("draw 1") && err.contains("`b`"), "{err}");
    assert_eq!(t.len(), 2, "a rejected row is not added");
    assert!(t.begin_draw(1, &[9.0, 9.0]).is_err());
}

#[test]
fn shards_merge_by_append() {
    let dir = tempfile::tempdir().unwrap();
    let full = sample();
    let mut a = DrawTable::new(full.param_names().to_vec()).unwrap();
    let mut b = DrawTable::new(full.param_names().to_vec()).unwrap();
    for row in full.rows() {
        if row.draw < 2 {
            a.push(row).unwrap()
        } else {
            b.push(row).unwrap()
        }
    }
    let (pa, pb) = (dir.path().join("s0.parquet"), dir.path().join("s1.parquet"));
    write_draws_parquet(&pa, &a).unwrap();
    write_draws_parquet(&pb, &b).unwrap();
    let mut merged = read_draws_parquet(&pa).unwrap();
    merged.append(&read_draws_parquet(&pb).unwrap()).unwrap();
    assert_eq!(merged, full);
    assert_eq!(draws_schema(merged.param_names()).fields().len(), 8);

    let other = DrawTable::new(["zzz"]).unwrap();
    assert!(merged.append(&other).is_err());
}

/// A lever sweep's table: option columns set on the variants, NA on the other options.
fn with_levers() -> DrawTable {
    let mut t = DrawTable::new(["k"])
        .unwrap()
        .with_option_columns(["lever_start_year", "lever_obligation"])
        .unwrap();
    for (opt, year, kind) in [
        ("pact@a", "2025", "defence"),
        ("pact@b", "2027", "consultation"),
    ] {
        t.set_option_values(opt, vec![Some(year.into()), Some(kind.into())])
            .unwrap();
    }
    for draw in 0..3u32 {
        let mut rows = t.begin_draw(draw, &[f64::from(draw)]).unwrap();
        for opt in ["status-quo", "pact@a", "pact@b"] {
            rows.push(opt, 2030, "USA", "m", Some(f64::from(draw)))
                .unwrap();
        }
    }
    t
}

#[test]
fn option_columns_round_trip_through_parquet_and_csv_with_na_for_other_options() {
    let dir = tempfile::tempdir().unwrap();
    let t = with_levers();
    let path = dir.path().join("draws.parquet");
    write_draws_parquet(&path, &t).unwrap();
    let back = read_draws_parquet(&path).unwrap();
    assert_eq!(back, t);
    assert_eq!(
        back.option_columns(),
        ["lever_start_year", "lever_obligation"]
    );
    assert_eq!(back.option_value("pact@b", 1), Some("consultation"));
    assert_eq!(back.option_value("status-quo", 0), None);
    // A table without the option values is another table.
    let mut plain = DrawTable::new(["k"])
        .unwrap()
        .with_option_columns(["lever_start_year", "lever_obligation"])
        .unwrap();
    for r in t.rows() {
        plain.push(r).unwrap();
    }
    assert_ne!(plain, t);
    let csv = dir.path().join("draws.csv");
    write_draws_csv(&csv, &t).unwrap();
    let text = fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("draw,option,year,state,metric,value,lever_start_year,lever_obligation,k")
    );
    assert_eq!(lines.next(), Some("0,status-quo,2030,USA,m,0.0,NA,NA,0.0"));
    assert_eq!(
        lines.next(),
        Some("0,pact@a,2030,USA,m,0.0,2025,defence,0.0")
    );
    // Appending keeps each option's values; an option's values cannot change.
    let mut a = DrawTable::new(["k"])
        .unwrap()
        .with_option_columns(["lever_start_year", "lever_obligation"])
        .unwrap();
    a.append(&t).unwrap();
    assert_eq!(a, t);
    assert!(a
        .set_option_values("pact@a", vec![Some("2026".into()), Some("defence".into())])
        .is_err());
    assert!(DrawTable::new(["k"])
        .unwrap()
        .with_option_columns(["k"])
        .is_err());
    assert!(DrawTable::new(["k"]).unwrap().append(&t).is_err());
}

/// [`sample`]'s draws in a table that knows its run: a Saltelli-like block per draw, two
/// replications of each point.
fn with_run(run_id: &str, seed: u64) -> DrawTable {
    let mut t = DrawTable::new(["escalation_k"])
        .unwrap()
        .with_run(RunIdentity {
            run_id: run_id.into(),
            seed,
        })
        .unwrap();
    for draw in 0..4u32 {
        let design = DrawDesign {
            point: draw / 2,
            replication: draw % 2,
            block: (draw < 3).then(|| ["A", "B", "AB_escalation_k"][draw as usize].to_string()),
        };
        let mut rows = t
            .begin_draw_in(draw, design, &[f64::from(draw / 2)])
            .unwrap();
        rows.push("baseline", 2030, "USA", "p_war", Some(f64::from(draw)))
            .unwrap();
        rows.push("baseline", 2030, "", "polarity", None).unwrap();
    }
    t
}

#[test]
fn run_and_design_columns_round_trip_through_parquet_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draws.parquet");
    let table = with_run("20261203T1100-abc", u64::MAX - 1);
    write_draws_parquet(&path, &table).unwrap();
    let back = read_draws_parquet(&path).unwrap();
    assert_eq!(back, table);
    assert_eq!(back.run().unwrap().run_id, "20261203T1100-abc");
    assert_eq!(back.run().unwrap().seed, u64::MAX - 1);
    let d3 = back.draw_design(3).unwrap();
    assert_eq!(
        (d3.point, d3.replication, d3.block.as_deref()),
        (1, 1, None)
    );
    assert_eq!(
        back.draw_design(2).unwrap().block.as_deref(),
        Some("AB_escalation_k")
    );

    // The columns in file order, with their types, and the run in the metadata.
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .clone();
    let get = |k: &str| kv.iter().find(|e| e.key == k).and_then(|e| e.value.clone());
    assert_eq!(get(RUN_ID_KEY).as_deref(), Some("20261203T1100-abc"));
    assert_eq!(get(SEED_KEY), Some((u64::MAX - 1).to_string()));
    let schema = builder.schema().clone();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "run_id",
            "seed",
            "draw",
            "point",
            "replication",
            "block",
            "option",
            "year",
            "state",
            "metric",
            "value",
            "escalation_k"
        ]
    );
    assert_eq!(schema.field(1).data_type(), &DataType::UInt64);
    assert!(schema.field(5).is_nullable() && !schema.field(3).is_nullable());

    let csv_path = dir.path().join("draws.csv");
    write_draws_csv(&csv_path, &table).unwrap();
    let text = fs::read_to_string(&csv_path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), names.join(","));
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "20261203T1100-abc,{},0,0,0,A,baseline,2030,USA,p_war,0.0,0.0",
            u64::MAX - 1
        )
    );
    assert!(text.lines().any(|l| l.starts_with(&format!(
        "20261203T1100-abc,{},3,1,1,NA,baseline,2030,,polarity,NA,",
        u64::MAX - 1
    ))));
}

#[test]
fn the_same_draws_under_another_run_id_are_the_same_draws_but_not_equal() {
    let a = with_run("run-a", 7);
    let b = with_run("run-b", 7);
    assert!(a.same_draws_as(&b) && a != b);
    // Another seed, another design or another value is not the same draws.
    assert!(!a.same_draws_as(&with_run("run-b", 8)));
    let mut c = DrawTable::new(["escalation_k"])
        .unwrap()
        .with_run(RunIdentity {
            run_id: "run-c".into(),
            seed: 7,
        })
        .unwrap();
    for r in a.rows() {
        let mut design = a.draw_design(r.draw).unwrap().clone();
        if r.draw == 3 {
            design.replication = 0;
        }
        c.begin_draw_in(r.draw, design, r.params)
            .unwrap()
            .push(r.option, r.year, r.state, r.metric, r.value)
            .unwrap();
    }
    assert!(!a.same_draws_as(&c));
    // Appending another run's draws is refused.
    let mut whole = with_run("run-a", 7);
    assert!(whole.append(&b).is_err());
}

#[test]
fn a_table_that_knows_its_run_needs_every_draw_placed_in_the_design() {
    let mut t = with_run("r", 1);
    let err = t.begin_draw(9, &[0.0]).unwrap_err().to_string();
    assert!(err.contains("draw 9 has no design point"), "{err}");
    let mut plain = DrawTable::new(["x"]).unwrap();
    let err = plain
        .begin_draw_in(0, DrawDesign::default(), &[0.0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not know its run"), "{err}");
    // A draw's design cannot change between its rows.
    let other = DrawDesign {
        point: 5,
        ..DrawDesign::default()
    };
    let err = t.begin_draw_in(0, other, &[0.0]).unwrap_err().to_string();
    assert!(err.contains("draw 0: design"), "{err}");
    // The run comes before any draw; parameters cannot take a run or design column's name.
    assert!(sample()
        .with_run(RunIdentity {
            run_id: "r".into(),
            seed: 1
        })
        .is_err());
    for name in ["run_id", "seed", "point", "replication", "block"] {
        assert!(DrawTable::new([name]).is_err(), "{name}");
    }
}

#[test]
fn a_file_with_some_run_columns_or_two_runs_is_refused_naming_what() {
    let dir = tempfile::tempdir().unwrap();
    // Only `seed` of the run columns.
    let schema = Arc::new(Schema::new(vec![
        Field::new("seed", DataType::UInt64, false),
        Field::new("draw", DataType::UInt32, false),
        Field::new("option", DataType::Utf8, false),
        Field::new("year", DataType::Int32, false),
        Field::new("state", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("value", DataType::Float64, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(arrow_array::UInt64Array::from(vec![1u64])) as ArrayRef,
            Arc::new(UInt32Array::from(vec![0u32])),
            Arc::new(StringArray::from(vec!["o"])),
            Arc::new(Int32Array::from(vec![2030])),
            Arc::new(StringArray::from(vec!["USA"])),
            Arc::new(StringArray::from(vec!["m"])),
            Arc::new(Float64Array::from(vec![1.0])),
        ],
    )
    .unwrap();
    let path = dir.path().join("part.parquet");
    let mut w = ArrowWriter::try_new(File::create(&path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let err = read_draws_parquet(&path).unwrap_err().to_string();
    assert!(err.contains("no `run_id` column"), "{err}");

    // Two runs' rows stacked in one file (as `pd.concat` would) do not read as one table.
    let (a, b) = (with_run("run-a", 7), with_run("run-b", 7));
    let (schema, mut batches) = entente_store::draws_batches(&a).unwrap();
    batches.extend(entente_store::draws_batches(&b).unwrap().1);
    let path = dir.path().join("two.parquet");
    let mut w = ArrowWriter::try_new(File::create(&path).unwrap(), schema, None).unwrap();
    for b in &batches {
        w.write(b).unwrap();
    }
    w.close().unwrap();
    let err = read_draws_parquet(&path).unwrap_err().to_string();
    assert!(err.contains("row 9: run run-b seed 7 differs"), "{err}");
}
