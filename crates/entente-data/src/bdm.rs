//! Input of the bargaining model: `Actor,Capability,Position,Salience`, one actor a line.
//!
//! Salience is a share in [0, 1]. Capability is >= 0 (only ratios matter). A file that is
//! parsed has at least two actors, some weight (capability x salience) and at least two
//! different positions. Duplicate names are kept as separate actors, with a warning, and
//! told apart in outputs by a `#k` suffix.

use crate::DataError;
use entente_core::bargaining::Actor;
use std::collections::HashMap;

/// One actor as read, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedActor {
    /// The name to show: the file's name, plus `#k` for the k-th repeat of a duplicate.
    pub name: String,
    /// 1-based line in the file.
    pub line: u64,
    pub actor: Actor,
}

/// A parsed input file.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmInput {
    pub actors: Vec<NamedActor>,
    /// Things the user should know that are not errors (duplicate names).
    pub warnings: Vec<String>,
}

impl BdmInput {
    pub fn model_actors(&self) -> Vec<Actor> {
        self.actors.iter().map(|a| a.actor).collect()
    }

    pub fn names(&self) -> Vec<String> {
        self.actors.iter().map(|a| a.name.clone()).collect()
    }
}

const COLUMNS: [&str; 4] = ["Actor", "Capability", "Position", "Salience"];

/// Parse a bargaining input file. Extra columns are ignored.
pub fn parse_actors(text: &str, file_name: &str) -> Result<BdmInput, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|source| DataError::Csv {
            file: file_name.to_string(),
            line: None,
            what: "cannot read the header: ",
            source,
        })?
        .clone();
    let mut index = [0usize; 4];
    for (slot, want) in index.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(want))
            .ok_or_else(|| {
                DataError::file(
                    file_name,
                    format!(
                        "missing column `{want}`: the header must name {}",
                        COLUMNS.join(",")
                    ),
                )
            })?;
    }

    struct Row {
        name: String,
        line: u64,
        capability: f64,
        position: f64,
        salience: f64,
    }
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| DataError::csv(file_name, "bad CSV: ", e))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line is not an actor
        }
        if record.len() < headers.len() {
            return Err(DataError::line(
                file_name,
                line,
                format!("{} fields, the header has {}", record.len(), headers.len()),
            ));
        }
        let cell = |k: usize| record.get(index[k]).unwrap_or("").trim();
        let name = cell(0).to_string();
        if name.is_empty() {
            return Err(DataError::field(file_name, line, "Actor", "empty name"));
        }
        let number = |k: usize| -> Result<f64, DataError> {
            let raw = cell(k);
            let value: f64 = raw.parse().map_err(|_| {
                DataError::field(
                    file_name,
                    line,
                    COLUMNS[k],
                    format!("`{raw}` is not a number"),
                )
            })?;
            if !value.is_finite() {
                return Err(DataError::field(
                    file_name,
                    line,
                    COLUMNS[k],
                    format!("`{raw}` is not a finite number"),
                ));
            }
            Ok(value)
        };
        let capability = number(1)?;
        let position = number(2)?;
        let salience = number(3)?;
        if capability < 0.0 {
            return Err(DataError::field(
                file_name,
                line,
                "Capability",
                format!("{capability} is negative; capability must be >= 0"),
            ));
        }
        rows.push(Row {
            name,
            line,
            capability,
            position,
            salience,
        });
    }

    // Salience: say so when the whole column reads as a 0-100 scale.
    let looks_percent = rows.iter().any(|r| r.salience > 1.0)
        && rows.iter().all(|r| (0.0..=100.0).contains(&r.salience));
    if let Some(r) = rows.iter().find(|r| !(0.0..=1.0).contains(&r.salience)) {
        let message = if looks_percent {
            format!(
                "{} is outside [0, 1]: the Salience column looks like a 0-100 scale; \
                 salience must be a share in [0, 1] (divide the column by 100)",
                r.salience
            )
        } else {
            format!("{} is outside [0, 1]", r.salience)
        };
        return Err(DataError::field(file_name, r.line, "Salience", message));
    }

    if rows.len() < 2 {
        return Err(DataError::file(
            file_name,
            format!("{} actor(s): bargaining needs at least two", rows.len()),
        ));
    }
    if rows.iter().all(|r| r.capability * r.salience == 0.0) {
        return Err(DataError::file(
            file_name,
            "every actor has zero capability or zero salience: no one has any weight",
        ));
    }
    let first = rows[0].position;
    if rows.iter().all(|r| r.position == first) {
        return Err(DataError::file(
            file_name,
            format!(
                "all {} actors hold position {first} (lines {}-{}): there is nothing to bargain over",
                rows.len(),
                rows[0].line,
                rows[rows.len() - 1].line
            ),
        ));
    }

    // Duplicates: keep them apart, warn, and name repeats `NAME#2`, `NAME#3`, ...
    let mut warnings = Vec::new();
    let mut seen: HashMap<String, (u64, usize)> = HashMap::new();
    let mut actors = Vec::with_capacity(rows.len());
    for r in rows {
        let name = match seen.get_mut(&r.name) {
            Some((first_line, count)) => {
                *count += 1;
                let shown = format!("{}#{}", r.name, count);
                warnings.push(format!(
                    "{file_name}:{}: actor `{}` already appears on line {first_line}; \
                     kept as a separate actor named `{shown}`",
                    r.line, r.name
                ));
                shown
            }
            None => {
                seen.insert(r.name.clone(), (r.line, 1));
                r.name
            }
        };
        actors.push(NamedActor {
            name,
            line: r.line,
            actor: Actor {
                capability: r.capability,
                position: r.position,
                salience: r.salience,
            },
        });
    }
    Ok(BdmInput { actors, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse_actors(text, "in.csv") {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_reference_layout() {
        let input = parse_actors(
            "Actor,Capability,Position,Salience\nA,1,0,0.5\n\"B, the second\",2,10,1\n",
            "in.csv",
        )
        .expect("valid");
        assert_eq!(input.actors.len(), 2);
        assert_eq!(input.actors[1].name, "B, the second");
        assert_eq!(input.actors[1].line, 3);
        assert_eq!(input.actors[1].actor.position, 10.0);
        assert!(input.warnings.is_empty());
    }

    #[test]
    fn errors_name_line_and_field() {
        let h = "Actor,Capability,Position,Salience\n";
        assert_eq!(
            err(&format!("{h}A,1,0,0.5\nB,x,1,0.5\n")),
            "in.csv:3: field `Capability`: `x` is not a number"
        );
        assert!(err(&format!("{h}A,-1,0,0.5\nB,1,1,0.5\n"))
            .starts_with("in.csv:2: field `Capability`: -1 is negative"));
        let pct = err(&format!("{h}A,1,0,50\nB,1,1,80\n"));
        assert!(pct.starts_with("in.csv:2: field `Salience`"), "{pct}");
        assert!(pct.contains("0-100 scale"), "{pct}");
        let out = err(&format!("{h}A,1,0,0.5\nB,1,1,-0.5\n"));
        assert_eq!(out, "in.csv:3: field `Salience`: -0.5 is outside [0, 1]");
        assert!(err(&format!("{h}A,1,0,0.5\n")).contains("at least two"));
        assert!(err(&format!("{h}A,1,3,0.5\nB,2,3,0.5\n")).contains("nothing to bargain over"));
        assert!(err("Actor,Capability,Salience\nA,1,0.5\n").contains("missing column `Position`"));
        assert!(err(&format!("{h}A,1,0\n")).starts_with("in.csv:2:"));
        assert!(err(&format!("{h}A,0,0,0.5\nB,1,1,0\n")).contains("no one has any weight"));
        assert!(err(&format!("{h}A,1,NaN,0.5\nB,1,1,0.5\n")).contains("finite"));
    }

    #[test]
    fn duplicates_are_kept_apart_with_a_warning() {
        let input = parse_actors(
            "Actor,Capability,Position,Salience\nA,1,0,0.5\nB,1,1,0.5\nA,2,5,0.5\n",
            "in.csv",
        )
        .expect("valid");
        assert_eq!(input.names(), ["A", "B", "A#2"]);
        assert_eq!(input.warnings.len(), 1);
        assert!(
            input.warnings[0].contains("in.csv:4"),
            "{}",
            input.warnings[0]
        );
    }
}
