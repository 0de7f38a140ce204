//! A small CSV table reader that keeps line numbers and names fields in errors.

use crate::error::DataError;
use entente_core::ids::{Ccode, Iso3};
use entente_core::sources::Date;

/// A parsed CSV file: header and records, each with its 1-based line number.
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One record.
pub struct Row {
    pub line: u64,
    pub fields: csv::StringRecord,
}

/// A column looked up by name.
#[derive(Clone, Copy)]
pub struct Col {
    pub index: usize,
    pub name: &'static str,
}

impl Table {
    /// Parse `text` (a whole CSV file). A UTF-8 byte-order mark is ignored.
    /// Ragged lines are an error naming the line.
    pub fn parse(text: &str, file: &str) -> Result<Table, DataError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(DataError::file(file, "the file is empty"));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(file, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(file, e))?;
            // Blank lines are skipped by the csv crate; a line of empty fields is not data.
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            rows.push(Row { line, fields: rec });
        }
        Ok(Table {
            file: file.to_string(),
            headers,
            rows,
        })
    }

    /// The column named `name`, or an error listing what the file has.
    pub fn col(&self, name: &'static str) -> Result<Col, DataError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .map(|index| Col { index, name })
            .ok_or_else(|| {
                DataError::file(
                    &self.file,
                    format!(
                        "missing column `{name}` (the header has: {})",
                        self.headers.join(", ")
                    ),
                )
            })
    }

    pub fn cols<const N: usize>(&self, names: [&'static str; N]) -> Result<[Col; N], DataError> {
        let mut out = [Col { index: 0, name: "" }; N];
        for (o, n) in out.iter_mut().zip(names) {
            *o = self.col(n)?;
        }
        Ok(out)
    }

    /// A reader for one row.
    pub fn at<'a>(&'a self, row: &'a Row) -> Cells<'a> {
        Cells { table: self, row }
    }

    pub fn iter(&self) -> impl Iterator<Item = Cells<'_>> {
        self.rows.iter().map(move |r| self.at(r))
    }
}

fn csv_error(file: &str, e: csv::Error) -> DataError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the line is not valid UTF-8 text".to_string(),
        _ => {
            return DataError::Csv {
                file: file.to_string(),
                line: (line > 0).then_some(line),
                what: "",
                source: e,
            }
        }
    };
    if line > 0 {
        DataError::line(file, line, msg)
    } else {
        DataError::file(file, msg)
    }
}

/// Typed access to the cells of one row, with located errors.
pub struct Cells<'a> {
    table: &'a Table,
    row: &'a Row,
}

impl Cells<'_> {
    pub fn line(&self) -> u64 {
        self.row.line
    }

    pub fn str(&self, c: Col) -> &str {
        self.row.fields.get(c.index).unwrap_or("").trim()
    }

    pub fn err(&self, c: Col, msg: impl Into<String>) -> DataError {
        DataError::field(&self.table.file, self.row.line, c.name, msg)
    }

    /// An ISO3 code of column `c` that does not parse.
    pub fn iso3_err(&self, c: Col, source: entente_core::ids::BadIso3) -> DataError {
        DataError::Iso3 {
            file: self.table.file.clone(),
            line: self.row.line,
            field: c.name.to_string(),
            source,
        }
    }

    /// A number; `na` lists the spellings that mean missing.
    pub fn opt_f64(&self, c: Col, na: &[&str]) -> Result<Option<f64>, DataError> {
        let s = self.str(c);
        if na.contains(&s) {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.err(c, format!("`{s}` is not a number"))),
        }
    }

    pub fn f64(&self, c: Col) -> Result<f64, DataError> {
        self.opt_f64(c, &[])?
            .ok_or_else(|| self.err(c, "a number is required here"))
    }

    pub fn i64(&self, c: Col) -> Result<i64, DataError> {
        let s = self.str(c);
        // Some files print whole numbers as `1951.0`.
        let t = s.strip_suffix(".0").unwrap_or(s);
        t.parse::<i64>()
            .map_err(|_| self.err(c, format!("`{s}` is not a whole number")))
    }

    pub fn opt_i64(&self, c: Col) -> Result<Option<i64>, DataError> {
        if self.str(c).is_empty() || self.str(c) == "NA" {
            return Ok(None);
        }
        self.i64(c).map(Some)
    }

    pub fn year(&self, c: Col) -> Result<i32, DataError> {
        let v = self.i64(c)?;
        i32::try_from(v)
            .ok()
            .filter(|y| (-10_000..=3000).contains(y))
            .ok_or_else(|| self.err(c, format!("`{v}` is not a plausible year")))
    }

    pub fn ccode(&self, c: Col) -> Result<Ccode, DataError> {
        let v = self.i64(c)?;
        u16::try_from(v)
            .ok()
            .filter(|&v| (1..=999).contains(&v))
            .map(Ccode)
            .ok_or_else(|| self.err(c, format!("`{v}` is not a COW state code (1-999)")))
    }

    pub fn opt_iso3(&self, c: Col) -> Result<Option<Iso3>, DataError> {
        let s = self.str(c);
        if s.is_empty() || s == "NA" {
            return Ok(None);
        }
        s.parse().map(Some).map_err(|e| self.iso3_err(c, e))
    }

    /// A 0/1 flag.
    pub fn flag(&self, c: Col) -> Result<bool, DataError> {
        match self.str(c) {
            "0" | "0.0" => Ok(false),
            "1" | "1.0" => Ok(true),
            s => Err(self.err(c, format!("`{s}` is not 0 or 1"))),
        }
    }

    /// A 0/1 flag that may be blank (`None`).
    pub fn opt_flag(&self, c: Col) -> Result<Option<bool>, DataError> {
        if self.str(c).is_empty() || self.str(c) == "NA" {
            return Ok(None);
        }
        self.flag(c).map(Some)
    }

    /// An ISO date `YYYY-MM-DD`.
    pub fn date(&self, c: Col) -> Result<Date, DataError> {
        let s = self.str(c);
        parse_date(s).ok_or_else(|| self.err(c, format!("`{s}` is not a date (YYYY-MM-DD)")))
    }

    pub fn opt_date(&self, c: Col) -> Result<Option<Date>, DataError> {
        if self.str(c).is_empty() {
            return Ok(None);
        }
        self.date(c).map(Some)
    }

    /// A date from separate year, month and day columns; month and day may be
    /// blank or -9 (then the first of the month or year is taken).
    pub fn ymd(&self, y: Col, m: Col, d: Col) -> Result<Date, DataError> {
        let year = self.year(y)?;
        let part = |c: Col, max: i64| -> Result<u8, DataError> {
            match self.opt_i64(c)? {
                None | Some(-9) => Ok(1),
                Some(v) if (1..=max).contains(&v) => Ok(v as u8),
                Some(v) => Err(self.err(c, format!("`{v}` is out of range 1-{max}"))),
            }
        };
        Ok(Date::new(year, part(m, 12)?, part(d, 31)?))
    }
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Date::new(y, m, d))
}
