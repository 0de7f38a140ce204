//! KTAB's SMP CSV, printed as Entente's TOML form (`entente smp --convert`).

use super::*;

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn nums(xs: &[f64]) -> String {
    let v: Vec<String> = xs.iter().map(|x| num(*x)).collect();
    format!("[{}]", v.join(", "))
}

/// Convert a KTAB scenario CSV into Entente's TOML form, keeping every number as
/// written (positions and saliences on 0-100), so both read to the same scenario.
pub fn ktab_csv_to_toml(text: &str, file: &str) -> Result<String, DataError> {
    let s = crate::ktab::parse_as_written(text, file)?;
    let base = std::path::Path::new(file)
        .file_name()
        .map_or(file.to_string(), |f| f.to_string_lossy().into_owned());
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(
        out,
        "# Converted from the KTAB scenario {base} by `entente smp --convert`."
    );
    let _ = writeln!(out, "\n[scenario]\nname = {}", quoted(&s.name));
    let _ = writeln!(out, "description = {}", quoted(&s.description));
    let _ = writeln!(out, "scale = [0, 100]\nsalience_scale = [0, 100]");
    let dims: Vec<String> = s.dimensions.iter().map(|d| quoted(d)).collect();
    let _ = writeln!(out, "dimensions = [{}]", dims.join(", "));
    let _ = writeln!(
        out,
        "\n# KTAB's default options; uncomment a line to change it."
    );
    let _ = writeln!(out, "# [options]");
    for line in [
        "vote_rule = \"proportional\"",
        "victory = \"linear\"",
        "pce = \"conditional\"",
        "transition = \"deterministic\"",
        "risk_adjust = \"one_third\"",
        "risk_range = \"mid\"",
        "third_party = \"semi\"",
        "interpolation = \"s2p2\"",
        "bargain_model = \"init_only\"",
        "max_turns = 100",
    ] {
        let _ = writeln!(out, "# {line}");
    }
    for a in &s.actors {
        let _ = writeln!(out, "\n[[actors]]\nname = {}", quoted(&a.name));
        if !a.description.is_empty() {
            let _ = writeln!(out, "description = {}", quoted(&a.description));
        }
        let _ = writeln!(out, "capability = {}", num(a.capability));
        let _ = writeln!(out, "positions = {}", nums(&a.position));
        let _ = writeln!(out, "saliences = {}", nums(&a.salience));
    }
    Ok(out)
}
