//! Tabular output as an aligned table, CSV or JSON, with NA for missing values.

use std::io::Write;

/// Output format of tabular commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// One cell (shared with the library's tables, so `entente world` and Python agree).
pub use entente_report::tables::Cell;

/// How a cell prints in each format.
trait Render {
    fn csv(&self) -> String;
    fn table(&self) -> String;
    fn json(&self) -> serde_json::Value;
}

impl Render for Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Num(Some(v)) => format!("{v}"),
            Cell::Num(None) => "NA".into(),
            Cell::Int(i) => i.to_string(),
            Cell::Str(s) => s.clone(),
            Cell::Bool(b) => u8::from(*b).to_string(),
        }
    }

    fn table(&self) -> String {
        match self {
            Cell::Num(Some(v)) => {
                let a = v.abs();
                if *v == 0.0 {
                    "0".into()
                } else if a >= 1000.0 {
                    format!("{v:.0}")
                } else if a >= 1.0 {
                    format!("{v:.1}")
                } else {
                    format!("{v:.4}")
                }
            }
            other => other.csv(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Num(v) => v
                .and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Int(i) => (*i).into(),
            Cell::Str(s) => s.clone().into(),
            Cell::Bool(b) => (*b).into(),
        }
    }
}

/// A table of rows under named columns.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl From<entente_report::tables::Table> for Rows {
    fn from(t: entente_report::tables::Table) -> Rows {
        Rows {
            headers: t.headers,
            rows: t.rows,
        }
    }
}

impl Rows {
    pub fn new(headers: Vec<&'static str>) -> Rows {
        Rows {
            headers,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    /// Keep only the named columns, in that order (for the compact table view).
    pub fn select(&self, names: &[&'static str]) -> Rows {
        let idx: Vec<usize> = names
            .iter()
            .filter_map(|n| self.headers.iter().position(|h| h == n))
            .collect();
        Rows {
            headers: idx.iter().map(|&i| self.headers[i]).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
                .collect(),
        }
    }

    /// The rows as a JSON array of objects (missing values `null`).
    pub fn to_json(&self) -> serde_json::Value {
        self.rows
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    self.headers
                        .iter()
                        .zip(r)
                        .map(|(h, c)| (h.to_string(), c.json()))
                        .collect(),
                )
            })
            .collect()
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(&self.headers)?;
                for r in &self.rows {
                    w.write_record(r.iter().map(Cell::csv))?;
                }
                w.flush()?;
            }
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.to_json())?;
                writeln!(out)?;
            }
            Format::Table => {
                let cells: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| r.iter().map(Cell::table).collect())
                    .collect();
                let mut widths: Vec<usize> =
                    self.headers.iter().map(|h| h.chars().count()).collect();
                for r in &cells {
                    for (w, c) in widths.iter_mut().zip(r) {
                        *w = (*w).max(c.chars().count());
                    }
                }
                let numeric: Vec<bool> = (0..self.headers.len())
                    .map(|i| {
                        self.rows
                            .iter()
                            .all(|r| matches!(r[i], Cell::Num(_) | Cell::Int(_)))
                    })
                    .collect();
                let line = |vals: Vec<String>| -> String {
                    vals.iter()
                        .zip(&widths)
                        .zip(&numeric)
                        .map(|((v, &w), &num)| {
                            let pad = w.saturating_sub(v.chars().count());
                            if num {
                                format!("{}{v}", " ".repeat(pad))
                            } else {
                                format!("{v}{}", " ".repeat(pad))
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("  ")
                        .trim_end()
                        .to_string()
                };
                writeln!(
                    out,
                    "{}",
                    line(self.headers.iter().map(|h| h.to_string()).collect())
                )?;
                for r in cells {
                    writeln!(out, "{}", line(r))?;
                }
            }
        }
        Ok(())
    }
}
