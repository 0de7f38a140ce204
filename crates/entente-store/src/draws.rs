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

/// The columns of a table that knows its run ([`DrawTable::with_run`]), in file order: they
/// come first, `draw`'s design columns ([`DESIGN_COLUMNS`]) right after `draw`.
pub const RUN_COLUMNS: [&str; 2] = ["run_id", "seed"];

/// A draw's place in the experiment design ([`DrawDesign`]), after `draw` in a table that
/// knows its run.
pub const DESIGN_COLUMNS: [&str; 3] = ["point", "replication", "block"];

/// What identifies the run a table holds: written as its first columns (so tables of several
/// runs can be stacked and still told apart) and as the files' metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunIdentity {
    /// The run store's id of the run.
    pub run_id: String,
    /// The seed the draws come from.
    pub seed: u64,
}

/// Where a draw sits in the experiment design.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrawDesign {
    /// The design point (row of the design) whose parameter values the draw takes.
    pub point: u32,
    /// Which of the point's replications (independent noise, the same parameters) it is.
    pub replication: u32,
    /// The block of a Saltelli design (`A`, `B`, `AB_<parameter>`), `None` for other designs.
    pub block: Option<String>,
}

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
    /// The run the table holds, if it knows it; then every draw has a design.
    run: Option<RunIdentity>,
    /// Each draw slot's design (kept only when `run` is set).
    designs: Vec<DrawDesign>,
}

/// Whether `name` is one of the columns every table or a table with its run has.
fn reserved(name: &str) -> bool {
    FIXED_COLUMNS.contains(&name) || RUN_COLUMNS.contains(&name) || DESIGN_COLUMNS.contains(&name)
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
            if reserved(name) {
                return Err(StoreError::Table(format!(
                    "parameter `{name}` has the name of a fixed column ({}, {}, {})",
                    RUN_COLUMNS.join(", "),
                    FIXED_COLUMNS.join(", "),
                    DESIGN_COLUMNS.join(", ")
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
            run: None,
            designs: Vec::new(),
        })
    }

    /// The same table, knowing the run it holds: the files then start with `run_id` and
    /// `seed` and carry each draw's design columns, and every draw must be begun with its
    /// design ([`begin_draw_in`](Self::begin_draw_in)). The table must have no rows yet.
    pub fn with_run(mut self, run: RunIdentity) -> Result<DrawTable, StoreError> {
        self.set_run(run)?;
        Ok(self)
    }

    pub(crate) fn set_run(&mut self, run: RunIdentity) -> Result<(), StoreError> {
        if !self.is_empty() || !self.draw_slot.is_empty() {
            return Err(StoreError::Table(
                "the run must be given before any draw".into(),
            ));
        }
        if run.run_id.is_empty() {
            return Err(StoreError::Table("the run id is empty".into()));
        }
        self.run = Some(run);
        Ok(())
    }

    /// The run the table holds, if it knows it.
    pub fn run(&self) -> Option<&RunIdentity> {
        self.run.as_ref()
    }

    /// The design of `draw`, in a table that knows its run.
    pub fn draw_design(&self, draw: u32) -> Option<&DrawDesign> {
        let slot = *self.draw_slot.get(&draw)?;
        self.designs.get(slot as usize)
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
                || reserved(name)
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
        let slot = self.slot_for(row.draw, row.params, None)?;
        self.push_in_slot(
            row.draw, slot, row.option, row.year, row.state, row.metric, row.value,
        )
    }

    /// Records a draw's parameters once and returns a builder that adds its rows, so the engine
    /// need not repeat the parameters on every row. Parameters are checked as in [`push`](Self::push).
    pub fn begin_draw(&mut self, draw: u32, params: &[f64]) -> Result<DrawRows<'_>, StoreError> {
        let slot = self.slot_for(draw, params, None)?;
        Ok(DrawRows {
            table: self,
            draw,
            slot,
        })
    }

    /// [`begin_draw`](Self::begin_draw) in a table that knows its run: the draw's place in
    /// the design is recorded too (and must be the same if the draw already has rows).
    pub fn begin_draw_in(
        &mut self,
        draw: u32,
        design: DrawDesign,
        params: &[f64],
    ) -> Result<DrawRows<'_>, StoreError> {
        let slot = self.slot_for(draw, params, Some(design))?;
        Ok(DrawRows {
            table: self,
            draw,
            slot,
        })
    }

    /// Appends every row of `other` (e.g. another shard). Parameter names must match in order,
    /// and a draw present in both must have the same parameters.
    pub fn append(&mut self, other: &DrawTable) -> Result<(), StoreError> {
        if self.run != other.run {
            return Err(StoreError::Table(
                "cannot append the draws of another run (run id or seed differ)".into(),
            ));
        }
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
        for (i, row) in other.rows().enumerate() {
            let design = other.design_at(i).cloned();
            let slot = self.slot_for(row.draw, row.params, design)?;
            self.push_in_slot(
                row.draw, slot, row.option, row.year, row.state, row.metric, row.value,
            )?;
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
    /// The design of row `i`'s draw (in a table that knows its run).
    pub(crate) fn design_at(&self, i: usize) -> Option<&DrawDesign> {
        self.designs.get(self.slot[i] as usize)
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

    fn slot_for(
        &mut self,
        draw: u32,
        params: &[f64],
        design: Option<DrawDesign>,
    ) -> Result<u32, StoreError> {
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
            if let Some(d) = &design {
                if self.designs.get(slot as usize) != Some(d) {
                    return Err(StoreError::Table(format!(
                        "draw {draw}: design {d:?} here but {:?} on the draw's earlier rows",
                        self.designs.get(slot as usize)
                    )));
                }
            }
            return Ok(slot);
        }
        let slot = u32::try_from(self.draw_slot.len())
            .map_err(|_| StoreError::Table("more than 2^32 draws".into()))?;
        match (&self.run, design) {
            (Some(_), Some(d)) => self.designs.push(d),
            (Some(_), None) => {
                return Err(StoreError::Table(format!(
                    "draw {draw} has no design point, but the table knows its run (begin it with begin_draw_in)"
                )))
            }
            (None, Some(_)) => {
                return Err(StoreError::Table(format!(
                    "draw {draw} has a design point, but the table does not know its run (give it with_run first)"
                )))
            }
            (None, None) => {}
        }
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
/// names, the same run and the same draw designs (how strings are coded inside does not
/// matter). Values compare bit for bit.
impl PartialEq for DrawTable {
    fn eq(&self, other: &DrawTable) -> bool {
        self.run == other.run && self.same_rows(other)
    }
}

impl DrawTable {
    /// Whether `other` holds the same draws: equal in everything ([`PartialEq`]) but the run
    /// id. Two runs of the same scenario, seed and design give the same draws, each under
    /// its own id.
    pub fn same_draws_as(&self, other: &DrawTable) -> bool {
        let seed = |t: &DrawTable| t.run.as_ref().map(|r| r.seed);
        seed(self) == seed(other) && self.same_rows(other)
    }

    fn same_rows(&self, other: &DrawTable) -> bool {
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
        let values = |t: &DrawTable, i: usize| -> Vec<Option<String>> {
            (0..t.option_columns.len())
                .map(|j| t.option_value_at(i, j).map(str::to_owned))
                .collect()
        };
        self.param_names == other.param_names
            && self.option_columns == other.option_columns
            && self.len() == other.len()
            && self.rows().zip(other.rows()).all(|(a, b)| same(&a, &b))
            && (0..self.len()).all(|i| values(self, i) == values(other, i))
            && (0..self.len()).all(|i| self.design_at(i) == other.design_at(i))
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
