//! The tidy (long) table of Monte Carlo draws, built row by row and stored column-wise.
//!
//! One row is one value: `(draw, option, year, state, metric) -> value`, and every row also
//! carries its draw's sampled parameters, so a reader can regress any metric on any parameter
//! without a join. Strings are interned (options, states and metrics repeat millions of
//! times) and parameters are kept once per draw; the files expand both.

use std::collections::HashMap;

use crate::StoreError;

/// The fixed columns, in file order; option columns (strings, such as a lever sweep's
/// `lever_<name>`), then parameter columns follow them.
pub const FIXED_COLUMNS: [&str; 6] = ["draw", "option", "year", "state", "metric", "value"];

/// One row as the engine pushes it (and as [`DrawTable::rows`] gives it back).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawRow<'a> {
    /// Monte Carlo draw number (shared by every row of the draw).
    pub draw: u32,
    /// Policy option (scenario variant) the row belongs to, e.g. `baseline`.
    pub option: &'a str,
    /// Calendar year.
    pub year: i32,
    /// ISO3 code of the state, or `""` for a system-level metric.
    pub state: &'a str,
    /// Metric name, with its unit in the name (`p_war`, `milex_usd_m`).
    pub metric: &'a str,
    /// The value; `None` is missing (NA in the files), never 0.
    pub value: Option<f64>,
    /// The draw's sampled parameters, in [`DrawTable::param_names`] order.
    pub params: &'a [f64],
}

/// Strings seen so far and their codes, so each distinct string is stored once.
#[derive(Debug, Clone, Default)]
struct Interner {
    values: Vec<String>,
    codes: HashMap<String, u32>,
}

impl Interner {
    fn code(&mut self, s: &str) -> Result<u32, StoreError> {
        if let Some(&c) = self.codes.get(s) {
            return Ok(c);
        }
        let c = u32::try_from(self.values.len())
            .map_err(|_| StoreError::Table("more than 2^32 distinct strings".into()))?;
        self.values.push(s.to_owned());
        self.codes.insert(s.to_owned(), c);
        Ok(c)
    }

    fn get(&self, code: u32) -> &str {
        &self.values[code as usize]
    }
}

/// A table of draws in the long layout. Build it with [`DrawTable::push`] (one row, with its
/// parameters) or [`DrawTable::begin_draw`] (parameters once, then many rows).
#[derive(Debug, Clone)]
pub struct DrawTable {
    param_names: Vec<String>,
    /// Columns whose value is a property of the row's option (a lever setting), nullable.
    option_columns: Vec<String>,
    /// The option columns' values of each option, by option code.
    option_values: Vec<Vec<Option<String>>>,
    /// Parameters of each draw seen, flat: draw slot `k` is `params[k*p..(k+1)*p]`.
    params: Vec<f64>,
    draw_slot: HashMap<u32, u32>,
    options: Interner,
    states: Interner,
    metrics: Interner,
    draw: Vec<u32>,
    slot: Vec<u32>,
    option: Vec<u32>,
    year: Vec<i32>,
    state: Vec<u32>,
    metric: Vec<u32>,
    value: Vec<Option<f64>>,
}

impl DrawTable {
    /// An empty table whose rows carry these parameters (one f64 column each, in this order).
    /// Names must be non-empty, distinct and not one of [`FIXED_COLUMNS`].
    pub fn new<I, S>(param_names: I) -> Result<DrawTable, StoreError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let param_names: Vec<String> = param_names.into_iter().map(Into::into).collect();
        for (i, name) in param_names.iter().enumerate() {
            if name.is_empty() {
                return Err(StoreError::Table(format!(
                    "parameter {} has an empty name",
                    i + 1
                )));
            }
            if FIXED_COLUMNS.contains(&name.as_str()) {
                return Err(StoreError::Table(format!(
                    "parameter `{name}` has the name of a fixed column ({})",
                    FIXED_COLUMNS.join(", ")
                )));
            }
            if param_names[..i].contains(name) {
                return Err(StoreError::Table(format!(
                    "parameter `{name}` is named twice"
                )));
            }
        }
        Ok(DrawTable {
            param_names,
            option_columns: Vec::new(),
            option_values: Vec::new(),
            params: Vec::new(),
            draw_slot: HashMap::new(),
            options: Interner::default(),
            states: Interner::default(),
            metrics: Interner::default(),
            draw: Vec::new(),
            slot: Vec::new(),
            option: Vec::new(),
            year: Vec::new(),
            state: Vec::new(),
            metric: Vec::new(),
            value: Vec::new(),
        })
    }

    /// Parameter column names, in file order (after the fixed and option columns).
    pub fn param_names(&self) -> &[String] {
        &self.param_names
    }

    /// The same table with string columns whose value is a property of each row's option
    /// (a lever sweep's settings), NA for options given none ([`set_option_values`](Self::set_option_values)).
    /// Names must be non-empty, distinct, and neither fixed columns nor parameters; the
    /// table must have no rows yet.
    pub fn with_option_columns<I, S>(mut self, names: I) -> Result<DrawTable, StoreError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty()
                || FIXED_COLUMNS.contains(&name.as_str())
                || self.param_names.contains(name)
                || names[..i].contains(name)
            {
                return Err(StoreError::Table(format!(
                    "option column `{name}` is empty, named twice, or the name of a fixed or parameter column"
                )));
            }
        }
        if !self.is_empty() {
            return Err(StoreError::Table(
                "option columns must be given before any row".into(),
            ));
        }
        self.option_columns = names;
        Ok(self)
    }

    /// Option column names, in file order (after the fixed columns).
    pub fn option_columns(&self) -> &[String] {
        &self.option_columns
    }

    /// Set `option`'s values of the option columns (one per column, `None` for NA). An
    /// option's values cannot change once set to others.
    pub fn set_option_values(
        &mut self,
        option: &str,
        values: Vec<Option<String>>,
    ) -> Result<(), StoreError> {
        if values.len() != self.option_columns.len() {
            return Err(StoreError::Table(format!(
                "option `{option}`: {} values for {} option columns",
                values.len(),
                self.option_columns.len()
            )));
        }
        let code = self.intern_option(option)? as usize;
        let known = &mut self.option_values[code];
        if known.iter().any(Option::is_some) && *known != values {
            return Err(StoreError::Table(format!(
                "option `{option}` has other option-column values already"
            )));
        }
        *known = values;
        Ok(())
    }

    /// `option`'s value of option column `j` (`None`: NA, or no such option).
    pub fn option_value(&self, option: &str, j: usize) -> Option<&str> {
        let code = *self.options.codes.get(option)?;
        self.option_values[code as usize].get(j)?.as_deref()
    }

    fn intern_option(&mut self, option: &str) -> Result<u32, StoreError> {
        let o = self.options.code(option)?;
        if o as usize == self.option_values.len() {
            self.option_values
                .push(vec![None; self.option_columns.len()]);
        }
        Ok(o)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.draw.len()
    }

    /// True if no row has been pushed.
    pub fn is_empty(&self) -> bool {
        self.draw.is_empty()
    }

    /// Number of distinct draws.
    pub fn draw_count(&self) -> usize {
        self.draw_slot.len()
    }

    /// The parameters recorded for `draw`, if any row or [`begin_draw`](Self::begin_draw) set them.
    pub fn draw_params(&self, draw: u32) -> Option<&[f64]> {
        self.draw_slot.get(&draw).map(|&s| self.slot_params(s))
    }

    /// Distinct options in first-seen order (the dictionary written to the files).
    pub fn options(&self) -> &[String] {
        &self.options.values
    }

    /// Adds one row. Its `params` must have one value per parameter and, if the draw already
    /// has rows, equal the draw's parameters bit for bit.
    pub fn push(&mut self, row: DrawRow<'_>) -> Result<(), StoreError> {
        let slot = self.slot_for(row.draw, row.params)?;
        self.push_in_slot(
            row.draw, slot, row.option, row.year, row.state, row.metric, row.value,
        )
    }

    /// Records a draw's parameters once and returns a builder that adds its rows, so the engine
    /// need not repeat the parameters on every row. Parameters are checked as in [`push`](Self::push).
    pub fn begin_draw(&mut self, draw: u32, params: &[f64]) -> Result<DrawRows<'_>, StoreError> {
        let slot = self.slot_for(draw, params)?;
        Ok(DrawRows {
            table: self,
            draw,
            slot,
        })
    }

    /// Appends every row of `other` (e.g. another shard). Parameter names must match in order,
    /// and a draw present in both must have the same parameters.
    pub fn append(&mut self, other: &DrawTable) -> Result<(), StoreError> {
        if self.param_names != other.param_names || self.option_columns != other.option_columns {
            return Err(StoreError::Table(format!(
                "cannot append a table with columns [{}; {}] to one with [{}; {}]",
                other.option_columns.join(", "),
                other.param_names.join(", "),
                self.option_columns.join(", "),
                self.param_names.join(", ")
            )));
        }
        self.reserve(other.len());
        for (code, name) in other.options.values.iter().enumerate() {
            if other.option_values[code].iter().any(Option::is_some) {
                self.set_option_values(name, other.option_values[code].clone())?;
            }
        }
        for row in other.rows() {
            self.push(row)?;
        }
        Ok(())
    }

    /// Reserves room for `additional` more rows.
    pub fn reserve(&mut self, additional: usize) {
        self.draw.reserve(additional);
        self.slot.reserve(additional);
        self.option.reserve(additional);
        self.year.reserve(additional);
        self.state.reserve(additional);
        self.metric.reserve(additional);
        self.value.reserve(additional);
    }

    /// Row `i`, if there is one.
    pub fn row(&self, i: usize) -> Option<DrawRow<'_>> {
        (i < self.len()).then(|| self.row_unchecked(i))
    }

    fn row_unchecked(&self, i: usize) -> DrawRow<'_> {
        DrawRow {
            draw: self.draw[i],
            option: self.options.get(self.option[i]),
            year: self.year[i],
            state: self.states.get(self.state[i]),
            metric: self.metrics.get(self.metric[i]),
            value: self.value[i],
            params: self.slot_params(self.slot[i]),
        }
    }

    /// The rows in insertion order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = DrawRow<'_>> + '_ {
        (0..self.len()).map(move |i| self.row_unchecked(i))
    }

    // Column access for the writers (crate-private: the layout is an implementation detail).

    pub(crate) fn draw_column(&self) -> &[u32] {
        &self.draw
    }
    pub(crate) fn year_column(&self) -> &[i32] {
        &self.year
    }
    pub(crate) fn value_column(&self) -> &[Option<f64>] {
        &self.value
    }
    pub(crate) fn option_codes(&self) -> &[u32] {
        &self.option
    }
    pub(crate) fn state_at(&self, i: usize) -> &str {
        self.states.get(self.state[i])
    }
    pub(crate) fn metric_at(&self, i: usize) -> &str {
        self.metrics.get(self.metric[i])
    }
    /// Option column `j` of row `i`.
    pub(crate) fn option_value_at(&self, i: usize, j: usize) -> Option<&str> {
        self.option_values[self.option[i] as usize][j].as_deref()
    }
    /// Parameter `j` of the draw of row `i`.
    pub(crate) fn param_at(&self, i: usize, j: usize) -> f64 {
        self.params[self.slot[i] as usize * self.param_names.len() + j]
    }

    fn slot_params(&self, slot: u32) -> &[f64] {
        let p = self.param_names.len();
        let start = slot as usize * p;
        &self.params[start..start + p]
    }

    fn slot_for(&mut self, draw: u32, params: &[f64]) -> Result<u32, StoreError> {
        if params.len() != self.param_names.len() {
            return Err(StoreError::Table(format!(
                "draw {draw}: {} parameter values for {} parameters ({})",
                params.len(),
                self.param_names.len(),
                self.param_names.join(", ")
            )));
        }
        if let Some(&slot) = self.draw_slot.get(&draw) {
            let known = self.slot_params(slot);
            // Bitwise, so NaN equals itself and -0.0 differs from 0.0: the draw is one sample.
            if let Some(j) = (0..params.len()).find(|&j| known[j].to_bits() != params[j].to_bits())
            {
                return Err(StoreError::Table(format!(
                    "draw {draw}: parameter `{}` is {} here but {} on the draw's earlier rows",
                    self.param_names[j], params[j], known[j]
                )));
            }
            return Ok(slot);
        }
        let slot = u32::try_from(self.draw_slot.len())
            .map_err(|_| StoreError::Table("more than 2^32 draws".into()))?;
        self.params.extend_from_slice(params);
        self.draw_slot.insert(draw, slot);
        Ok(slot)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_in_slot(
        &mut self,
        draw: u32,
        slot: u32,
        option: &str,
        year: i32,
        state: &str,
        metric: &str,
        value: Option<f64>,
    ) -> Result<(), StoreError> {
        // Intern all three before touching the columns, so an error leaves them equal in length.
        let o = self.intern_option(option)?;
        let s = self.states.code(state)?;
        let m = self.metrics.code(metric)?;
        self.draw.push(draw);
        self.slot.push(slot);
        self.option.push(o);
        self.year.push(year);
        self.state.push(s);
        self.metric.push(m);
        self.value.push(value);
        Ok(())
    }
}

/// Two tables are equal if they hold the same rows in the same order with the same parameter
/// names (how strings are coded inside does not matter). Values compare bit for bit.
impl PartialEq for DrawTable {
    fn eq(&self, other: &DrawTable) -> bool {
        fn same(a: &DrawRow<'_>, b: &DrawRow<'_>) -> bool {
            let bits = |v: Option<f64>| v.map(f64::to_bits);
            a.draw == b.draw
                && a.option == b.option
                && a.year == b.year
                && a.state == b.state
                && a.metric == b.metric
                && bits(a.value) == bits(b.value)
                && a.params.len() == b.params.len()
                && a.params
                    .iter()
                    .zip(b.params)
                    .all(|(x, y)| x.to_bits() == y.to_bits())
        }
        fn values(t: &DrawTable, i: usize) -> Vec<Option<&str>> {
            (0..t.option_columns.len())
                .map(|j| t.option_value_at(i, j))
                .collect()
        }
        self.param_names == other.param_names
            && self.option_columns == other.option_columns
            && self.len() == other.len()
            && self.rows().zip(other.rows()).all(|(a, b)| same(&a, &b))
            && (0..self.len()).all(|i| values(self, i) == values(other, i))
    }
}

/// Adds rows to one draw whose parameters were given to [`DrawTable::begin_draw`].
#[derive(Debug)]
pub struct DrawRows<'t> {
    table: &'t mut DrawTable,
    draw: u32,
    slot: u32,
}

impl DrawRows<'_> {
    /// Adds the row `(option, year, state, metric) -> value` to this draw.
    pub fn push(
        &mut self,
        option: &str,
        year: i32,
        state: &str,
        metric: &str,
        value: Option<f64>,
    ) -> Result<(), StoreError> {
        self.table
            .push_in_slot(self.draw, self.slot, option, year, state, metric, value)
    }

    /// The draw these rows belong to.
    pub fn draw(&self) -> u32 {
        self.draw
    }
}
