//! Inputs of the landscape (alignment) model: actor sizes and a propensity matrix.
//!
//! `A.csv` has a header with columns `actor` and `size` (others are ignored). `P.csv` is a
//! square matrix: a header row of actor names (its first cell is ignored), then one row per
//! actor, its name first. The diagonal may be blank; it is ignored.

use crate::DataError;

/// One row of the actor file.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorSize {
    pub name: String,
    pub size: f64,
    /// Line in the file (1-based).
    pub line: u64,
}

/// A propensity matrix with rows and columns in header order.
#[derive(Debug, Clone, PartialEq)]
pub struct PropensityMatrix {
    pub names: Vec<String>,
    /// `values[i][j]`; the diagonal is 0.
    pub values: Vec<Vec<f64>>,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

/// Read every record with its 1-based line number.
fn records(text: &str, file: &str) -> Result<Vec<(u64, Vec<String>)>, DataError> {
    let mut out = Vec::new();
    for rec in reader(text).records() {
        let rec = rec.map_err(|e| DataError::csv(file, "cannot read CSV: ", e))?;
        let line = rec.position().map_or(0, |p| p.line());
        out.push((line, rec.iter().map(str::to_string).collect()));
    }
    if out.is_empty() {
        return Err(DataError::file(file, "the file is empty"));
    }
    Ok(out)
}

fn number(file: &str, line: u64, field: &str, cell: &str) -> Result<f64, DataError> {
    let v: f64 = cell
        .parse()
        .map_err(|_| DataError::field(file, line, field, format!("`{cell}` is not a number")))?;
    if !v.is_finite() {
        return Err(DataError::field(
            file,
            line,
            field,
            format!("`{cell}` is not a finite number"),
        ));
    }
    Ok(v)
}

/// Parse the actor file (`actor,size`).
pub fn parse_actor_sizes(text: &str, file: &str) -> Result<Vec<ActorSize>, DataError> {
    let recs = records(text, file)?;
    let (hline, header) = &recs[0];
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ca), Some(cs)) = (col("actor"), col("size")) else {
        return Err(DataError::line(
            file,
            *hline,
            format!(
                "the header must have columns `actor` and `size`, found `{}`",
                header.join(",")
            ),
        ));
    };
    let mut out: Vec<ActorSize> = Vec::new();
    for (line, rec) in &recs[1..] {
        let line = *line;
        if rec.len() != header.len() {
            return Err(DataError::line(
                file,
                line,
                format!("{} fields, but the header has {}", rec.len(), header.len()),
            ));
        }
        let name = rec[ca].clone();
        if name.is_empty() {
            return Err(DataError::field(file, line, "actor", "the name is blank"));
        }
        if let Some(prev) = out.iter().find(|a| a.name == name) {
            return Err(DataError::field(
                file,
                line,
                "actor",
                format!("`{name}` is listed twice (first on line {})", prev.line),
            ));
        }
        let size = number(file, line, "size", &rec[cs])?;
        if size < 0.0 {
            return Err(DataError::field(
                file,
                line,
                "size",
                format!("{size} is negative: sizes must be 0 or more"),
            ));
        }
        out.push(ActorSize { name, size, line });
    }
    if out.is_empty() {
        return Err(DataError::file(file, "no actors below the header"));
    }
    Ok(out)
}

/// Parse a square propensity matrix with names on the first row and in the first column.
pub fn parse_propensity(text: &str, file: &str) -> Result<PropensityMatrix, DataError> {
    let recs = records(text, file)?;
    let (hline, header) = &recs[0];
    let names: Vec<String> = header.iter().skip(1).cloned().collect();
    let n = names.len();
    if n == 0 {
        return Err(DataError::line(
            file,
            *hline,
            "the header row names no actors",
        ));
    }
    for (k, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(DataError::line(
                file,
                *hline,
                format!("column {} of the header has no actor name", k + 2),
            ));
        }
        if names[..k].contains(name) {
            return Err(DataError::line(
                file,
                *hline,
                format!("actor `{name}` names two columns"),
            ));
        }
    }
    let mut rows: Vec<Option<Vec<f64>>> = vec![None; n];
    for (line, rec) in &recs[1..] {
        let line = *line;
        if rec.len() != n + 1 {
            return Err(DataError::line(
                file,
                line,
                format!(
                    "{} fields, but a row needs the actor's name and {n} values",
                    rec.len()
                ),
            ));
        }
        let name = &rec[0];
        let Some(i) = names.iter().position(|x| x == name) else {
            return Err(DataError::field(
                file,
                line,
                "actor",
                format!("row actor `{name}` is not among the header's actors"),
            ));
        };
        if rows[i].is_some() {
            return Err(DataError::field(
                file,
                line,
                "actor",
                format!("`{name}` has two rows"),
            ));
        }
        let mut vals = vec![0.0; n];
        for (j, cell) in rec[1..].iter().enumerate() {
            if j == i {
                // The diagonal is ignored: blank or any number.
                if !cell.is_empty() {
                    number(file, line, &names[j], cell)?;
                }
                continue;
            }
            if cell.is_empty() {
                return Err(DataError::field(
                    file,
                    line,
                    &names[j],
                    "missing propensity (only the diagonal may be blank)",
                ));
            }
            vals[j] = number(file, line, &names[j], cell)?;
        }
        rows[i] = Some(vals);
    }
    let mut values = Vec::with_capacity(n);
    for (name, row) in names.iter().zip(rows) {
        match row {
            Some(r) => values.push(r),
            None => {
                return Err(DataError::file(
                    file,
                    format!("actor `{name}` has a column but no row"),
                ))
            }
        }
    }
    Ok(PropensityMatrix { names, values })
}

/// Reorder a propensity matrix to the order of the actor file, checking that both name the
/// same actors.
pub fn match_propensity(
    actors: &[ActorSize],
    actors_file: &str,
    matrix: &PropensityMatrix,
    matrix_file: &str,
) -> Result<Vec<Vec<f64>>, DataError> {
    for name in &matrix.names {
        if !actors.iter().any(|a| &a.name == name) {
            return Err(DataError::field(
                matrix_file,
                1,
                name.as_str(),
                format!("actor `{name}` is not in {actors_file}"),
            ));
        }
    }
    let mut index = Vec::with_capacity(actors.len());
    for a in actors {
        match matrix.names.iter().position(|x| x == &a.name) {
            Some(k) => index.push(k),
            None => {
                return Err(DataError::field(
                    actors_file,
                    a.line,
                    "actor",
                    format!("`{}` has no row or column in {matrix_file}", a.name),
                ))
            }
        }
    }
    Ok(index
        .iter()
        .map(|&r| index.iter().map(|&c| matrix.values[r][c]).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_actors_and_matrix_in_any_row_order() {
        let a = parse_actor_sizes("actor,size\nA,1\nB,2.5\nC,0\n", "A.csv").unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[1].size, 2.5);
        let p = parse_propensity(",C,A,B\nA,1,,2\nC,,1,-1\nB,-1,2,\n", "P.csv").unwrap();
        let m = match_propensity(&a, "A.csv", &p, "P.csv").unwrap();
        assert_eq!(
            m,
            vec![
                vec![0.0, 2.0, 1.0],
                vec![2.0, 0.0, -1.0],
                vec![1.0, -1.0, 0.0]
            ]
        );
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = parse_actor_sizes("actor,size\nA,1\nB,-2\n", "A.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "A.csv:3: field `size`: -2 is negative: sizes must be 0 or more"
        );
        let e = parse_actor_sizes("actor,size\nA,x\n", "A.csv").unwrap_err();
        assert_eq!(e.to_string(), "A.csv:2: field `size`: `x` is not a number");
        let e = parse_actor_sizes("", "A.csv").unwrap_err();
        assert_eq!(e.to_string(), "A.csv: the file is empty");
        let e = parse_propensity(",A,B\nA,,1\nB,zz,\n", "P.csv").unwrap_err();
        assert_eq!(e.to_string(), "P.csv:3: field `A`: `zz` is not a number");
        let a = parse_actor_sizes("actor,size\nA,1\nB,1\n", "A.csv").unwrap();
        let p = parse_propensity(",A,X\nA,,1\nX,1,\n", "P.csv").unwrap();
        let e = match_propensity(&a, "A.csv", &p, "P.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "P.csv:1: field `X`: actor `X` is not in A.csv"
        );
    }
}
