//! One module per subcommand.

pub mod align;
pub mod arms;
pub mod bdm;
pub mod calibrate;
pub mod cite;
pub mod hazard;
pub mod hindcast;
pub mod landscape;
pub mod maxcut;
pub mod power;
pub mod run;
pub mod serve;
pub mod slurm;
pub mod smp;
pub mod threat;
pub mod warheads;
pub mod world;

/// Longest search `--time-limit` accepted: a week. Past it a `Duration` of the seconds may
/// not exist (1e20 s), and no search here needs longer; `--moves` bounds a search by work.
pub const MAX_TIME_LIMIT_S: f64 = 7.0 * 86_400.0;

/// `--restarts` and `--moves` of a heuristic search: at least one of each, refused by flag
/// (the search's own error says what is missing, not which flag gave it).
pub fn search_budget(restarts: usize, moves: Option<u64>) -> anyhow::Result<()> {
    if restarts == 0 {
        anyhow::bail!("--restarts must be at least 1, got 0");
    }
    if moves == Some(0) {
        anyhow::bail!("--moves must be at least 1, got 0");
    }
    Ok(())
}

/// A heuristic search's error, its empty-search case blamed on `--time-limit` (restarts and
/// moves were checked by [`search_budget`], so only the time can have run out first).
pub fn search_error(e: entente_core::alignment::AlignmentError, secs: f64) -> anyhow::Error {
    match e {
        entente_core::alignment::AlignmentError::NoBudget => anyhow::anyhow!(
            "--time-limit {secs} s ended the search before it finished one move; give it more time"
        ),
        e => e.into(),
    }
}

/// `--time-limit` as a `Duration`: a positive, finite number of seconds up to a week.
pub fn time_limit(secs: f64) -> anyhow::Result<std::time::Duration> {
    if !(secs.is_finite() && secs > 0.0) {
        anyhow::bail!("--time-limit must be a positive number of seconds, got {secs}");
    }
    if secs > MAX_TIME_LIMIT_S {
        anyhow::bail!(
            "--time-limit {secs} s is more than a week ({MAX_TIME_LIMIT_S} s); use --moves to bound a long search"
        );
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}
