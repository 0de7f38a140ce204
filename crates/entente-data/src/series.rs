//! Annual series from a user's CSV file: a `year` column and numeric columns,
//! one row per year (e.g. Richardson's arms budgets for `entente arms richardson`).
//!
//! Only the requested columns are read, so a file may carry text columns
//! (units, provenance) beside the numbers. Every requested cell must hold a
//! number and the years must be consecutive: a model fitted on yearly changes
//! cannot skip a year silently.

use crate::error::DataError;
use crate::table::{Col, Table};

/// The requested columns of a yearly file.
#[derive(Debug, Clone, PartialEq)]
pub struct YearSeries {
    pub file: String,
    /// Consecutive years, in file order.
    pub years: Vec<i32>,
    /// The requested column names, in the order asked.
    pub columns: Vec<String>,
    /// `values[column][row]`.
    pub values: Vec<Vec<f64>>,
}

impl YearSeries {
    /// The values of column `name`, if it was requested.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .position(|c| c == name)
            .map(|i| self.values[i].as_slice())
    }
}

/// Parse `text` (named `file` in errors) and read `columns` for every year.
pub fn parse_year_series(
    text: &str,
    file: &str,
    columns: &[&str],
) -> Result<YearSeries, DataError> {
    let table = Table::parse(text, file)?;
    let year_col = table
        .headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("year"))
        .map(|index| Col {
            index,
            name: "year",
        })
        .ok_or_else(|| {
            DataError::file(
                file,
                format!(
                    "no `year` column (the header has: {})",
                    table.headers.join(", ")
                ),
            )
        })?;
    let mut idx = Vec::with_capacity(columns.len());
    for &c in columns {
        let i = table.headers.iter().position(|h| h == c).ok_or_else(|| {
            DataError::file(
                file,
                format!(
                    "no column `{c}` (the header has: {})",
                    table.headers.join(", ")
                ),
            )
        })?;
        idx.push(i);
    }
    if table.rows.is_empty() {
        return Err(DataError::file(file, "no data rows under the header"));
    }
    let mut years: Vec<i32> = Vec::with_capacity(table.rows.len());
    let mut values = vec![Vec::with_capacity(table.rows.len()); columns.len()];
    for row in &table.rows {
        let cells = table.at(row);
        let year = cells.year(year_col)?;
        if let Some(&prev) = years.last() {
            if year != prev + 1 {
                return Err(cells.err(
                    year_col,
                    format!("{year} follows {prev}: one row per year, consecutive and in order"),
                ));
            }
        }
        years.push(year);
        for ((&i, &name), out) in idx.iter().zip(columns).zip(values.iter_mut()) {
            let s = row.fields.get(i).unwrap_or("").trim();
            let v = match s.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ if s.is_empty() || s.eq_ignore_ascii_case("NA") => {
                    return Err(DataError::field(
                        file,
                        cells.line(),
                        name,
                        format!("no value for {year}: every year must have a number"),
                    ))
                }
                _ => {
                    return Err(DataError::field(
                        file,
                        cells.line(),
                        name,
                        format!("`{s}` is not a number"),
                    ))
                }
            };
            out.push(v);
        }
    }
    Ok(YearSeries {
        file: file.to_string(),
        years,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "year,a,b,note\n1909,1.5,2,x\n1910,2.5,3,\"y, z\"\n";

    #[test]
    fn reads_the_requested_columns() {
        let s = parse_year_series(OK, "f.csv", &["b", "a"]).unwrap();
        assert_eq!(s.years, vec![1909, 1910]);
        assert_eq!(s.column("a"), Some(&[1.5, 2.5][..]));
        assert_eq!(s.column("b"), Some(&[2.0, 3.0][..]));
        assert_eq!(s.column("note"), None);
    }

    fn err(text: &str, cols: &[&str]) -> String {
        parse_year_series(text, "f.csv", cols)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn errors_name_file_line_and_field() {
        assert_eq!(
            err("year,a\n1909,1\n1910,x\n", &["a"]),
            "f.csv:3: field `a`: `x` is not a number"
        );
        assert_eq!(
            err("year,a\n1909,1\n1910,NA\n", &["a"]),
            "f.csv:3: field `a`: no value for 1910: every year must have a number"
        );
        assert_eq!(
            err("year,a\n1909,1\n1911,2\n", &["a"]),
            "f.csv:3: field `year`: 1911 follows 1909: one row per year, consecutive and in order"
        );
        assert_eq!(
            err("year,a\n19x9,1\n", &["a"]),
            "f.csv:2: field `year`: `19x9` is not a whole number"
        );
        assert!(err("year,a\n1909,1\n", &["c"]).starts_with("f.csv: no column `c`"));
        assert!(err("yr,a\n1909,1\n", &["a"]).starts_with("f.csv: no `year` column"));
        assert_eq!(
            err("year,a\n", &["a"]),
            "f.csv: no data rows under the header"
        );
        assert_eq!(
            err("year,a\n1909,1,2\n", &["a"]),
            "f.csv:2: 3 fields where the header has 2"
        );
        assert_eq!(err("", &["a"]), "f.csv: the file is empty");
    }
}
