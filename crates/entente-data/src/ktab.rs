//! KTAB's SMP scenario CSV, as shipped with KTAB (`examples/smp/doc/*.csv`).
//!
//! ```text
//! name,"description",nActors,nDims,            <- extra trailing fields ignored
//! Actor,Description,Power,Pos1,Sal1,...,PosD,SalD[,]
//! name, description, capability, pos_1, sal_1, ..., pos_d, sal_d[,]
//! ```
//!
//! Positions and saliences are on 0-100 and are divided by 100 for the model.
//! Checks are KTAB's: the actor and dimension counts match the rows, positions and
//! saliences lie in [0, 100], and each actor's saliences sum to at most 100. In
//! addition capabilities must be positive (KTAB accepts 0 but then fails when the
//! actor votes) and each actor must care about some dimension.

use entente_core::smp::{SmpActor, SmpScenario};

use crate::DataError;

/// Parse a KTAB SMP scenario.
pub fn parse_ktab_smp(text: &str, file: &str) -> Result<SmpScenario, DataError> {
    let mut s = parse_as_written(text, file)?;
    for a in &mut s.actors {
        for x in a.position.iter_mut().chain(a.salience.iter_mut()) {
            *x /= 100.0;
        }
    }
    Ok(s)
}

/// The checked scenario with positions and saliences still on the file's 0-100
/// scale, so that a conversion can write the numbers exactly as the user wrote them.
pub(crate) fn parse_as_written(text: &str, file: &str) -> Result<SmpScenario, DataError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| DataError::csv(file, "unreadable CSV: ", e))?;
        let line = r.position().map_or(0, |p| p.line());
        // Lines of nothing but commas carry no data.
        if r.iter().all(str::is_empty) {
            continue;
        }
        records.push((line, r));
    }
    let mut rows = records.into_iter();
    let Some((l1, first)) = rows.next() else {
        return Err(DataError::file(file, "empty file"));
    };
    if first.len() < 4 {
        return Err(DataError::line(
            file,
            l1,
            "first line needs name, description, number of actors, number of dimensions",
        ));
    }
    let count = |idx: usize, field: &str| -> Result<usize, DataError> {
        first[idx].parse::<usize>().map_err(|_| {
            DataError::field(file, l1, field, format!("`{}` is not a count", &first[idx]))
        })
    };
    let n_act = count(2, "number of actors")?;
    let n_dim = count(3, "number of dimensions")?;
    if n_act < 2 {
        return Err(DataError::field(
            file,
            l1,
            "number of actors",
            "at least 2 actors are needed",
        ));
    }
    if n_dim < 1 {
        return Err(DataError::field(
            file,
            l1,
            "number of dimensions",
            "at least 1 dimension is needed",
        ));
    }
    let Some(width) = n_dim.checked_mul(2).and_then(|w| w.checked_add(3)) else {
        return Err(DataError::field(
            file,
            l1,
            "number of dimensions",
            format!("{n_dim} dimensions is more than a row can hold"),
        ));
    };
    let Some((l2, header)) = rows.next() else {
        return Err(DataError::file(file, "no header line"));
    };
    if header.len() < width {
        return Err(DataError::line(
            file,
            l2,
            format!(
                "header has {} fields, {} dimensions need {width}",
                header.len(),
                n_dim
            ),
        ));
    }
    let dimensions: Vec<String> = (0..n_dim).map(|k| header[3 + 2 * k].to_string()).collect();
    // The count is the file's claim; the rows are its evidence. A count beyond the rows
    // left is refused here, before anything is sized by it (10^18 would abort).
    let rows_left = rows.len();
    if n_act > rows_left {
        return Err(DataError::file(
            file,
            format!("line {l1} declares {n_act} actors but {rows_left} actor rows follow"),
        ));
    }
    let mut actors = Vec::with_capacity(n_act);
    for (line, r) in rows {
        if actors.len() == n_act {
            return Err(DataError::line(
                file,
                line,
                format!("more actor rows than the {n_act} declared on line {l1}"),
            ));
        }
        if r.len() < width {
            return Err(DataError::line(
                file,
                line,
                format!("{} fields, {} dimensions need {width}", r.len(), n_dim),
            ));
        }
        if let Some(extra) = (width..r.len()).find(|&i| !r[i].is_empty()) {
            return Err(DataError::line(
                file,
                line,
                format!(
                    "unexpected value `{}` in field {} after the last salience",
                    &r[extra],
                    extra + 1
                ),
            ));
        }
        let name = r[0].to_string();
        if name.is_empty() {
            return Err(DataError::field(file, line, "actor", "empty actor name"));
        }
        let num = |i: usize, field: &str| -> Result<f64, DataError> {
            let v = r[i].parse::<f64>().map_err(|_| {
                DataError::field(file, line, field, format!("`{}` is not a number", &r[i]))
            })?;
            if !v.is_finite() {
                return Err(DataError::field(file, line, field, "not a finite number"));
            }
            Ok(v)
        };
        let capability = num(2, "capability")?;
        if capability <= 0.0 {
            return Err(DataError::field(
                file,
                line,
                "capability",
                format!("{capability} is not positive"),
            ));
        }
        let mut position = Vec::with_capacity(n_dim);
        let mut salience = Vec::with_capacity(n_dim);
        let mut total = 0.0;
        for k in 0..n_dim {
            let pos_field = format!("{} (position)", dimensions[k]);
            let sal_field = format!("{} (salience)", &header[4 + 2 * k]);
            let p = num(3 + 2 * k, &pos_field)?;
            if !(0.0..=100.0).contains(&p) {
                return Err(DataError::field(
                    file,
                    line,
                    pos_field,
                    format!("{p} is outside 0-100"),
                ));
            }
            let s = num(4 + 2 * k, &sal_field)?;
            if !(0.0..=100.0).contains(&s) {
                return Err(DataError::field(
                    file,
                    line,
                    sal_field,
                    format!("{s} is outside 0-100"),
                ));
            }
            total += s;
            if total > 100.0 {
                return Err(DataError::field(
                    file,
                    line,
                    sal_field,
                    format!("saliences of {name} sum to {total}, more than 100"),
                ));
            }
            position.push(p);
            salience.push(s);
        }
        if total <= 0.0 {
            return Err(DataError::line(
                file,
                line,
                format!("all saliences of {name} are zero"),
            ));
        }
        actors.push(SmpActor {
            name,
            description: r[1].to_string(),
            capability,
            position,
            salience,
        });
    }
    if actors.len() != n_act {
        return Err(DataError::file(
            file,
            format!(
                "line {l1} declares {n_act} actors but {} actor rows follow",
                actors.len()
            ),
        ));
    }
    Ok(SmpScenario {
        name: first[0].to_string(),
        description: first[1].to_string(),
        dimensions,
        actors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "Scen,\"A, quoted description\",3,2,\n\
        Actor,Description,Power,P1,S1,P2,S2,\n\
        A,first,100,30,24,20,48,\n\
        B,second,60.2,45,44.7,65,41.3\n\
        C,third,35,30,28.9,15,65.1,\n";

    #[test]
    fn reads_counts_names_and_rescales() {
        let s = parse_ktab_smp(OK, "t.csv").unwrap();
        assert_eq!(s.name, "Scen");
        assert_eq!(s.description, "A, quoted description");
        assert_eq!(s.dimensions, vec!["P1", "P2"]);
        assert_eq!(s.actors.len(), 3);
        assert_eq!(s.actors[1].capability, 60.2);
        assert_eq!(s.actors[1].position, vec![0.45, 0.65]);
        assert_eq!(s.actors[2].salience, vec![28.9 / 100.0, 65.1 / 100.0]);
    }

    fn err(text: &str) -> String {
        parse_ktab_smp(text, "t.csv").unwrap_err().to_string()
    }

    #[test]
    fn located_errors() {
        assert_eq!(
            err(&OK.replace("A,first,100,30,24", "A,first,100,130,24")),
            "t.csv:3: field `P1 (position)`: 130 is outside 0-100"
        );
        assert_eq!(
            err(&OK.replace("C,third,35,30,28.9,15,65.1", "C,third,35,30,38.9,15,65.1")),
            "t.csv:5: field `S2 (salience)`: saliences of C sum to 104, more than 100"
        );
        assert_eq!(
            err(&OK.replace("B,second,60.2", "B,second,-1")),
            "t.csv:4: field `capability`: -1 is not positive"
        );
        assert_eq!(
            err(&OK.replace("B,second,60.2", "B,second,lots")),
            "t.csv:4: field `capability`: `lots` is not a number"
        );
        assert_eq!(
            err(&OK.replace(",3,2,", ",4,2,")),
            "t.csv: line 1 declares 4 actors but 3 actor rows follow"
        );
        assert_eq!(
            err(&OK.replace(",3,2,", ",2,2,")),
            "t.csv:5: more actor rows than the 2 declared on line 1"
        );
        assert_eq!(
            err(&OK.replace("45,44.7,65,41.3", "45,44.7,65")),
            "t.csv:4: 6 fields, 2 dimensions need 7"
        );
        assert_eq!(
            err(&OK.replace(",3,2,", ",3,x,")),
            "t.csv:1: field `number of dimensions`: `x` is not a count"
        );
        assert_eq!(
            err(&OK.replace("65,41.3", "65,41.3,9")),
            "t.csv:4: unexpected value `9` in field 8 after the last salience"
        );
        assert_eq!(err(""), "t.csv: empty file");
    }

    /// Issue 19, item 6: counts from the first line are the file's claim, not a size to
    /// allocate: 10^18 actors (or dimensions) is a located error, not an abort.
    #[test]
    fn regression_item6_a_huge_declared_count_is_refused_before_allocating() {
        assert_eq!(
            err(&OK.replace(",3,2,", ",1000000000000000000,2,")),
            "t.csv: line 1 declares 1000000000000000000 actors but 3 actor rows follow"
        );
        assert_eq!(
            err(&OK.replace(",3,2,", ",3,9223372036854775807,")),
            "t.csv:1: field `number of dimensions`: 9223372036854775807 dimensions is more than a row can hold"
        );
    }
}
